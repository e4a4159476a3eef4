// The main job: e2b-wasm driving a volume on an e2b-local that this script starts itself.
import { readdirSync, readFileSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { join, relative, dirname } from 'node:path'
import { tmpdir } from 'node:os'
import { fileURLToPath } from 'node:url'
import { startServer } from '../tests/support/e2b-local.mjs'
import { Volume, Sandbox, VolumePathNotFoundError } from '../pkg/dist/node/index.mjs'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const say = (text) => console.log(text)
const mode = (m) => '0' + m.toString(8)

const server = await startServer()
say(`Started e2b-local at ${server.url} with a fresh data folder (${server.dataDir}).`)
const opts = { apiKey: server.apiKey, apiUrl: server.url }

try {
  const volume = await Volume.create('demo-volume', opts)
  say(`\n1. Created the volume "${volume.name}" (id ${volume.volumeId}). It lives on its own, outside any sandbox.`)

  await volume.writeFile('/notes/hello.txt', 'Hello from e2b-wasm!\n', { force: true })
  say('2. Wrote /notes/hello.txt (force: true also created the /notes folder).')
  say(`   Reading it back gives: ${JSON.stringify(await volume.readFile('/notes/hello.txt'))}`)

  const bytes = await volume.readFile('/notes/hello.txt', { format: 'bytes' })
  say(`   As bytes it is ${bytes.length} bytes long; as a stream or a Blob works too.`)

  const info = await volume.getInfo('/notes/hello.txt')
  say(`3. Its metadata: type ${info.type}, ${info.size} bytes, mode ${mode(info.mode)}, owner ${info.uid}:${info.gid}, modified ${info.mtime.toISOString()}.`)

  const changed = await volume.updateMetadata('/notes/hello.txt', { mode: 0o640, uid: 1000, gid: 1000 })
  say(`4. Changed its mode to ${mode(changed.mode)} and owner to ${changed.uid}:${changed.gid}.`)

  const source = join(root, 'wire')
  const files = walk(source)
  let updates = 0
  const up = await volume.upload('/upload', source, { onProgress: () => updates++ })
  say(`5. Uploaded the local folder ${relative(root, source)}/ to /upload with one call: ${up.files} files, ${up.bytes} bytes,`)
  say(`   ${up.directories} folders, ${updates} progress updates, ${up.failed.length} failures.`)

  const listing = await volume.list('/', { depth: 3 })
  say('6. The volume now holds (three levels deep):')
  for (const e of listing) say(`   ${e.type === 'directory' ? 'dir ' : 'file'} ${e.path}${e.type === 'file' ? ` (${e.size} bytes)` : ''}`)

  const target = mkdtempSync(join(tmpdir(), 'e2b-demo-download-'))
  const down = await volume.download('/upload', { to: target })
  const same = files.filter((file) => readFileSync(file).equals(readFileSync(join(target, relative(source, file))))).length
  say(`7. Downloaded /upload back into ${target} with one call (${down.files} files): ${same} of ${files.length} are byte-for-byte identical.`)
  const resumed = await volume.download('/upload', { to: target, skipExisting: true })
  say(`   Downloading again with skipExisting moves ${resumed.files} files and skips ${resumed.skipped.length}: an interrupted transfer resumes.`)
  rmSync(target, { recursive: true, force: true })

  await volume.remove('/notes')
  say(`8. Removed /notes; does /notes/hello.txt still exist? ${await volume.exists('/notes/hello.txt')}.`)
  try {
    await volume.readFile('/notes/hello.txt')
  } catch (e) {
    if (e instanceof VolumePathNotFoundError) say(`   Reading it now fails with ${e.name}: "${e.message}".`)
  }

  const again = await Volume.connect(volume.volumeId, opts)
  say(`9. Connected to the volume again by id: /upload still has ${(await again.list('/upload')).length} entries, so the data outlives this object.`)

  const sandboxOpts = { ...opts, sandboxUrl: server.url }
  const sandbox = await Sandbox.create({ ...sandboxOpts, volumeMounts: { '/mnt/my-data': volume } })
  say(`10. Started sandbox ${sandbox.sandboxId} (its own Linux namespaces) with the volume mounted at /mnt/my-data.`)
  const ls = await sandbox.commands.run('ls /mnt/my-data/upload')
  say(`    Inside it, "ls /mnt/my-data/upload" prints: ${ls.stdout.trim().split('\n').join(', ')}`)
  await sandbox.commands.run('echo "made by a shell in the sandbox" > /mnt/my-data/from-sandbox.txt')
  say(`    A shell there wrote /mnt/my-data/from-sandbox.txt; the volume API reads it at once: ${JSON.stringify(await volume.readFile('/from-sandbox.txt'))}`)
  await volume.writeFile('/from-api.txt', 'written through the volume API')
  say(`    And the other way: the sandbox reads ${JSON.stringify(await sandbox.files.read('/mnt/my-data/from-api.txt'))}.`)
  await sandbox.kill()
  say('11. Killed the sandbox. Its processes and mounts are gone; the volume keeps its files:')
  const next = await Sandbox.create({ ...sandboxOpts, volumeMounts: { '/data': volume.name } })
  say(`    a new sandbox mounting the volume by name at /data reads ${JSON.stringify((await next.commands.run('cat /data/from-sandbox.txt')).stdout.trim())}.`)
  await next.kill()

  await Volume.destroy(volume.volumeId, opts)
  say(`12. Destroyed the volume. Volume.list() now returns ${(await Volume.list(opts)).length} volumes.`)
  if (same !== files.length) throw new Error('the downloaded folder differs from the uploaded one')
} finally {
  await server.stop()
  say('\nStopped e2b-local. Done.')
}

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name)
    return statSync(p).isDirectory() ? walk(p) : [p]
  })
}
