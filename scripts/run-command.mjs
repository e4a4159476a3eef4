// @ts-check
// Runs a command as a child with the terminal, for the `with-*` wrapper scripts: SIGINT and SIGTERM
// are passed on to it (Ctrl-C reaches the whole process group: the command ends, then the wrapper
// cleans up), and the promise resolves to its exit code (127 when it cannot start).
import { spawn } from 'node:child_process'

/**
 * @param {string} label the wrapper's name, for the error when the command cannot start
 * @param {string} command
 * @param {string[]} args
 * @param {NodeJS.ProcessEnv} env
 * @returns {Promise<number>}
 */
export function runCommand(label, command, args, env) {
  const child = spawn(command, args, { stdio: 'inherit', env })
  for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) process.on(signal, () => child.kill(signal))
  return new Promise((resolve) => {
    child.once('error', (e) => {
      console.error(`${label}: ${command}: ${e.message}`)
      resolve(127)
    })
    child.once('exit', (c, s) => resolve(c ?? (s ? 1 : 0)))
  })
}
