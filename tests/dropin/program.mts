// A program written for the official `e2b` package, the way E2B's documentation uses volumes and
// sandboxes. The test command type-checks it twice under --strict: against `e2b` (to prove it is
// a real `e2b` program) and with `e2b` resolved to e2b-wasm's typings (the drop-in promise). It is
// only compiled, never run.
import {
  Sandbox,
  Volume,
  CommandExitError,
  FileNotFoundError,
  NotFoundError,
  SandboxError,
  TimeoutError,
  VolumeError,
  VolumeFileType,
  FileType,
  FilesystemEventType,
  ALL_TRAFFIC,
  type CommandHandle,
  type CommandRequestOpts,
  type CommandResult,
  type CommandStartOpts,
  type ConnectionOpts,
  type EntryInfo,
  type FilesystemReadOpts,
  type FilesystemWriteOpts,
  type Logger,
  type ProcessInfo,
  type SandboxInfo,
  type SandboxOpts,
  type Username,
  type VolumeAndToken,
  type VolumeEntryStat,
  type VolumeInfo,
  type WriteInfo,
  type WatchHandle,
  type FilesystemEvent,
  type SandboxMetrics,
  type SnapshotInfo,
} from 'e2b'

const logger: Logger = { debug: console.debug, info: console.info, warn: console.warn, error: console.error }
const connection: ConnectionOpts = { apiKey: process.env.E2B_API_KEY, requestTimeoutMs: 30_000, logger }

export async function volumes(): Promise<number> {
  const volume: Volume = await Volume.create('my-volume', connection)
  const id: string = volume.volumeId
  const name: string = volume.name
  await volume.makeDir('/data/raw', { force: true })
  const written: VolumeEntryStat = await volume.writeFile('/data/raw/a.txt', 'hello', { force: true })
  await volume.writeFile('/data/b.bin', new Uint8Array([1, 2, 3]).buffer)
  await volume.writeFile('/data/c.blob', new Blob(['x']))
  const text: string = await volume.readFile('/data/raw/a.txt')
  const bytes: Uint8Array = await volume.readFile('/data/b.bin', { format: 'bytes' })
  const blob: Blob = await volume.readFile('/data/c.blob', { format: 'blob' })
  const stream: ReadableStream<Uint8Array> = await volume.readFile('/data/b.bin', { format: 'stream' })
  await stream.cancel()
  const entries: VolumeEntryStat[] = await volume.list('/data', { depth: 2 })
  const dirs = entries.filter((e) => e.type === VolumeFileType.DIRECTORY).map((e) => e.path)
  const stat: VolumeEntryStat = await volume.getInfo('/data/raw/a.txt')
  const when: Date = stat.mtime
  await volume.updateMetadata('/data/raw/a.txt', { mode: 0o644 })
  const exists: boolean = await volume.exists('/data/nope')
  await volume.remove('/data/raw')

  const again: Volume = await Volume.connect(id, connection)
  const info: VolumeInfo = await Volume.getInfo(again.volumeId, connection)
  const all: VolumeInfo[] = await Volume.list(connection)
  const created: VolumeAndToken = { volumeId: info.volumeId, name: info.name, token: volume.token }
  try {
    await volume.readFile('/missing')
  } catch (err) {
    if (err instanceof NotFoundError || err instanceof VolumeError) console.log(err.message)
  }
  const destroyed: boolean = await Volume.destroy(id, connection)
  return [name, text, bytes.length, blob.size, dirs, when, exists, all.length, created, destroyed, written.size].length
}

export async function sandboxes(volume: Volume): Promise<void> {
  const opts: SandboxOpts = { ...connection, timeoutMs: 120_000, volumeMounts: { '/mnt/data': volume }, envs: { A: '1' } }
  const sandbox = await Sandbox.create(opts)
  const other = await Sandbox.create('base', { volumeMounts: { '/mnt/data': volume.name }, metadata: { who: 'docs' } })
  const id: string = sandbox.sandboxId
  const running: boolean = await sandbox.isRunning()
  const info: SandboxInfo = await sandbox.getInfo()
  const started: Date = info.startedAt

  const user: Username = 'root'
  const writeOpts: FilesystemWriteOpts = { user }
  const wrote: WriteInfo = await sandbox.files.write('/mnt/data/hello.txt', 'hi', writeOpts)
  await sandbox.files.write([{ path: '/mnt/data/x', data: 'x' }, { path: '/mnt/data/y', data: new Uint8Array([1]).buffer }])
  const readOpts: FilesystemReadOpts = { user: 'user' }
  const content: string = await sandbox.files.read(wrote.path, readOpts)
  const raw: Uint8Array = await sandbox.files.read(wrote.path, { format: 'bytes' })
  const listed: EntryInfo[] = await sandbox.files.list('/mnt/data')
  const files = listed.filter((e) => e.type === FileType.FILE)
  const made: boolean = await sandbox.files.makeDir('/mnt/data/sub')
  const moved: EntryInfo = await sandbox.files.rename('/mnt/data/x', '/mnt/data/sub/x')
  await sandbox.files.remove('/mnt/data/y')
  const there: boolean = await sandbox.files.exists('/mnt/data/sub/x')

  const startOpts: CommandStartOpts & { background?: false } = {
    cwd: '/mnt/data',
    envs: { B: '2' },
    onStdout: (data) => console.log(data),
    onStderr: (data) => console.error(data),
    timeoutMs: 10_000,
  }
  const result: CommandResult = await sandbox.commands.run('ls -la', startOpts)
  const code: number = result.exitCode
  const handle: CommandHandle = await sandbox.commands.run('sleep 30', { background: true })
  const background: boolean = Math.random() > 2
  const either: CommandResult | CommandHandle = await sandbox.commands.run('true', { background })
  const processes: ProcessInfo[] = await sandbox.commands.list()
  await sandbox.commands.sendStdin(handle.pid, 'input\n')
  const requestOpts: CommandRequestOpts = { requestTimeoutMs: 5_000 }
  const killed: boolean = await sandbox.commands.kill(handle.pid, requestOpts)
  try {
    await sandbox.commands.run('exit 3')
  } catch (err) {
    if (err instanceof CommandExitError) console.log(err.exitCode, err.stderr, err.stdout)
    else if (err instanceof TimeoutError || err instanceof SandboxError) throw err
  }
  try {
    await sandbox.files.read('/nope')
  } catch (err) {
    if (!(err instanceof FileNotFoundError)) throw err
  }

  const connected = await Sandbox.connect(id, connection)
  await connected.setTimeout(60_000)
  await Sandbox.setTimeout(other.sandboxId, 30_000, connection)
  const paginator = Sandbox.list({ ...connection, query: { state: ['running'], metadata: { who: 'docs' } }, limit: 10 })
  while (paginator.hasNext) {
    const page: SandboxInfo[] = await paginator.nextItems()
    console.log(page.map((s) => s.sandboxId))
  }
  const gone: boolean = await Sandbox.kill(other.sandboxId, connection)
  await sandbox.kill()
  console.log(running, started, content, raw.length, files, made, moved, there, code, either, processes, killed, gone)
}

/** A subclass, as users write them: `create` and `connect` give instances of it. */
class ProjectSandbox extends Sandbox {
  async projectFiles(): Promise<EntryInfo[]> {
    return this.files.list('/mnt/data')
  }
}

export async function subclassed(): Promise<EntryInfo[]> {
  const sandbox: ProjectSandbox = await ProjectSandbox.create({ timeoutMs: 60_000 })
  const same: ProjectSandbox = await ProjectSandbox.connect(sandbox.sandboxId)
  return same.projectFiles()
}

/** Watching, terminals and the lifecycle, as E2B's documentation uses them. */
export async function liveAndLifecycle(volume: Volume): Promise<void> {
  const sandbox = await Sandbox.create({
    volumeMounts: { '/mnt/data': volume },
    lifecycle: { onTimeout: 'pause', autoResume: true },
    network: { denyOut: [ALL_TRAFFIC], allowOut: ['10.0.0.0/8'] },
  })
  const handle: WatchHandle = await sandbox.files.watchDir('/mnt/data', (event: FilesystemEvent) => {
    if (event.type === FilesystemEventType.WRITE) console.log('written', event.name)
  }, { recursive: true })
  const terminal: CommandHandle = await sandbox.pty.create({
    cols: 80,
    rows: 24,
    onData: (data: Uint8Array) => console.log(new TextDecoder().decode(data)),
  })
  await sandbox.pty.sendInput(terminal.pid, new TextEncoder().encode('ls\n'))
  await sandbox.pty.resize(terminal.pid, { cols: 120, rows: 40 })
  await sandbox.pty.kill(terminal.pid)
  await handle.stop()
  const url: string = await sandbox.downloadUrl('/mnt/data/hello.txt')
  const metrics: SandboxMetrics[] = await sandbox.getMetrics()
  const snapshot: SnapshotInfo = await sandbox.createSnapshot()
  const paused: boolean = await sandbox.betaPause()
  const resumed = await Sandbox.connect(sandbox.sandboxId)
  const fromSnapshot = await Sandbox.create(snapshot.snapshotId, { volumeMounts: { '/mnt/data': volume } })
  await Sandbox.deleteSnapshot(snapshot.snapshotId)
  console.log(url, metrics.map((m) => m.cpuUsedPct), paused, resumed.sandboxId, fromSnapshot.sandboxId)
}
