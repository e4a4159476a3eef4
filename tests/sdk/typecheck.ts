// A user's file, checked by `tsc --strict --noEmit` against the shipped typings.
import Default, {
  Sandbox, CommandExitError, type SandboxInfo, type EntryInfo, type CommandResult,
  Volume, VolumeFileType, VolumeError, VolumePathNotFoundError, AuthenticationError,
  type VolumeEntryStat, type VolumeInfo, type VolumeAndToken, type ConnectionOpts,
  type VolumeTransferProgress, type VolumeTransferReport, type TransferReport, type VolumeDownload,
  type VolumeTransferSkip, type VolumeTransferFailure,
} from 'e2b-wasm'
import type {
  FilesystemEvent, FilesystemEventTypeName, WatchHandle, WriteInfo, CommandHandle,
} from 'e2b-wasm'
import type {
  SandboxOpts, SnapshotInfo, SnapshotPaginator, SandboxMetrics, SandboxNetworkUpdate, SandboxLifecycle,
} from 'e2b-wasm'

export async function example(): Promise<void> {
  const opts: ConnectionOpts = { apiKey: 'e2b_123', apiUrl: 'http://127.0.0.1:3000', requestTimeoutMs: 1000 }
  const vol: Volume = await Volume.create('name', opts)
  const again: Volume = await Volume.connect(vol.volumeId, opts)
  const info: VolumeAndToken = await Volume.getInfo(vol.volumeId)
  const all: VolumeInfo[] = await Volume.list({ signal: new AbortController().signal })
  const gone: boolean = await Volume.destroy(again.volumeId)
  const id: string = vol.volumeId
  const domain: string | undefined = vol.domain

  const entries: VolumeEntryStat[] = await vol.list('/', { depth: 2 })
  const dir: VolumeEntryStat = await vol.makeDir('/a', { force: true, mode: 0o755, uid: 1, gid: 1 })
  const stat: VolumeEntryStat = await vol.getInfo('/a')
  const there: boolean = await vol.exists('/a')
  const meta: VolumeEntryStat = await vol.updateMetadata('/a', { mode: 0o700 })
  const mtime: Date = stat.mtime
  const isFile: boolean = stat.type === VolumeFileType.FILE

  const t1: string = await vol.readFile('/f')
  const t2: string = await vol.readFile('/f', { format: 'text' })
  const b: Uint8Array = await vol.readFile('/f', { format: 'bytes' })
  const blob: Blob = await vol.readFile('/f', { format: 'blob' })
  const s: ReadableStream<Uint8Array> = await vol.readFile('/f', { format: 'stream', requestTimeoutMs: 5 })
  // @ts-expect-error bytes are not a string
  const wrong: string = await vol.readFile('/f', { format: 'bytes' })
  // @ts-expect-error unknown format
  await vol.readFile('/f', { format: 'json' })

  await vol.writeFile('/f', 'text')
  await vol.writeFile('/f', new Uint8Array(1), { force: true })
  await vol.writeFile('/f', new ArrayBuffer(1))
  await vol.writeFile('/f', new Blob(['x']))
  await vol.writeFile('/f', new Blob(['x']).stream())
  // @ts-expect-error numbers are not file data
  await vol.writeFile('/f', 42)
  // @ts-expect-error unknown option
  await vol.makeDir('/a', { recursive: true })
  await vol.remove('/f')

  try {
    await vol.getInfo('/nope')
  } catch (e) {
    if (e instanceof VolumePathNotFoundError) {
      const m: string = e.message
    } else if (e instanceof VolumeError || e instanceof AuthenticationError) {
      throw e
    }
  }
  const sbx: Sandbox = await Sandbox.create({ volumeMounts: { '/mnt/data': vol, '/mnt/other': 'name' }, timeoutMs: 1000 })
  const sbx2: Sandbox = await Default.create('base', { metadata: { a: 'b' } })
  const sinfo: SandboxInfo = await sbx.getInfo()
  const mounts: { name: string; path: string }[] = sinfo.volumeMounts
  const entries2: EntryInfo[] = await sbx.files.list('/mnt/data')
  const text: string = await sbx.files.read('/mnt/data/f')
  const many = await sbx.files.write([{ path: '/a', data: 'x' }])
  const one = await sbx.files.write('/a', new Blob(['x']))
  const res: CommandResult = await sbx.commands.run('ls', { onStdout: (d: string) => console.log(d), cwd: '/mnt/data' })
  const handle = await sbx.commands.run('sleep 1', { background: true })
  const pid: number = handle.pid
  const waited: CommandResult = await handle.wait()
  const running = await sbx.commands.list()
  const items: SandboxInfo[] = await Sandbox.list({ query: { metadata: { a: 'b' } } }).nextItems()
  const killed: boolean = await Sandbox.kill(sbx.sandboxId)
  // @ts-expect-error paths map to volumes or names
  await Sandbox.create({ volumeMounts: { '/x': 42 } })
  try {
    await sbx.commands.run('false')
  } catch (e) {
    if (e instanceof CommandExitError) {
      const code: number = e.exitCode
      void code
    }
  }
  void [pid, waited, running[0]?.cmd]
  void [sbx2, mounts, entries2, text, many.length, one.path, res.exitCode, items, killed]
  void [info, all, gone, id, domain, entries, dir, there, meta, mtime, isFile, t1, t2, b, blob, s, wrong]
}

/** Folder transfers: their sources, targets, options and results. */
export async function transfers(vol: Volume, picked: FileSystemDirectoryHandle, input: HTMLInputElement, drop: DragEvent): Promise<void> {
  const onProgress = (p: VolumeTransferProgress) => console.log(p.bytesDone / p.bytesTotal, p.filesDone, p.filesTotal)
  const r1: VolumeTransferReport = await vol.upload('/a', './local-folder', { concurrency: 4, onProgress, skipExisting: true, force: true, mode: 0o644 })
  const r2: TransferReport = await vol.upload('/a', picked, { continueOnError: true, signal: new AbortController().signal })
  if (input.files) await vol.upload('/a', input.files)
  if (drop.dataTransfer) await vol.upload('/a', drop.dataTransfer)
  await vol.upload('/a', [{ path: 'x.txt', data: 'x' }, { path: 'y.bin', data: new Uint8Array(1) }])
  async function* gen() {
    yield { path: 'z', data: new Blob(['z']) }
  }
  await vol.upload('/a', gen())
  // @ts-expect-error numbers are no source
  await vol.upload('/a', 42)
  const r3: VolumeTransferReport = await vol.download('/a', { to: './copy', skipExisting: true })
  const r4: VolumeTransferReport = await vol.download('/a', { to: picked, onProgress })
  const listing: VolumeDownload = vol.download('/a', { concurrency: 16 })
  for await (const item of listing) {
    const path: string = item.path
    const stream: ReadableStream<Uint8Array> = item.stream
    const size: number = item.entry.size
    void [path, stream, size]
  }
  const skips: VolumeTransferSkip['reason'][] = listing.report.skipped.map((s) => s.reason)
  const failures: VolumeTransferFailure[] = r1.failed
  const err: Error | undefined = failures[0]?.error
  await vol.writeFile('/f', 'x', { onProgress })
  const got: Uint8Array = await vol.readFile('/f', { format: 'bytes', onProgress })
  void [r2, r3, r4, skips, err, got]
}

/** The lifecycle: pause and resume, snapshots, forks, metrics, network and the create options. */
export async function lifecycle(): Promise<void> {
  class MySandbox extends Sandbox {}
  const lifecycle: SandboxLifecycle = { onTimeout: { action: 'pause', keepMemory: false } }
  const create: SandboxOpts = {
    lifecycle, allowInternetAccess: false, mcp: { exa: { apiKey: 'k' } },
    network: { allowOut: ({ allTraffic }) => [allTraffic], denyOut: ['10.0.0.0/8'], rules: { 'a.b': [{ transform: ({ iam }) => ({ headers: { A: iam.tokens.t } }) }] } },
    iam: { tokens: { t: { audience: 'sts', tokenType: 'JWT-SVID' } } },
  }
  // @ts-expect-error keepMemory goes with pause only
  const wrong: SandboxLifecycle = { onTimeout: { action: 'kill', keepMemory: true } }
  const s: MySandbox = await MySandbox.create(create)
  const paused: boolean = await s.pause({ keepMemory: true })
  const again: boolean = await Sandbox.betaPause(s.sandboxId)
  const back: MySandbox = await MySandbox.connect(s.sandboxId, { onResume: 'reboot', timeoutMs: 1000 })
  // @ts-expect-error an unknown way to resume
  await Sandbox.connect(s.sandboxId, { onResume: 'warm' })
  const snap: SnapshotInfo = await s.createSnapshot({ name: 'n' })
  const pages: SnapshotPaginator = Sandbox.listSnapshots({ sandboxId: s.sandboxId, limit: 5 })
  const items: SnapshotInfo[] = await pages.nextItems({ requestTimeoutMs: 5 })
  const mine: SnapshotInfo[] = await s.listSnapshots().nextItems()
  const deleted: boolean = await Sandbox.deleteSnapshot(snap.snapshotId)
  const forks: Array<MySandbox | Error> = await s.fork({ count: 2, timeoutMs: 1000 })
  const statics: Array<MySandbox | Error> = await MySandbox.fork(s.sandboxId)
  const metrics: SandboxMetrics[] = await s.getMetrics({ start: new Date(), end: new Date() })
  const cpu: number = metrics[0].cpuUsedPct
  const when: Date = (await Sandbox.getMetrics(s.sandboxId))[0].timestamp
  const update: SandboxNetworkUpdate = { denyOut: ({ allTraffic }) => [allTraffic], allowInternetAccess: true }
  await s.updateNetwork(update)
  await Sandbox.updateNetwork(s.sandboxId, { allowOut: [] })
  const info: SandboxInfo = await Sandbox.getFullInfo(s.sandboxId)
  const action: 'pause' | 'kill' | undefined = info.lifecycle?.onTimeout
  const denied: string[] | undefined = info.network?.denyOut
  const url: string = s.getMcpUrl()
  const token: string | undefined = await s.getMcpToken()
  const domain: string = s.sandboxDomain
  void [wrong, paused, again, back, items, mine, deleted, forks, statics, cpu, when, action, denied, url, token, domain]
}

/** sandbox.files, sandbox.commands and sandbox.pty beyond the basics. */
export async function envd(sbx: Sandbox): Promise<void> {
  const events: FilesystemEvent[] = []
  const watch: WatchHandle = await sbx.files.watchDir('/home/user', (e) => { events.push(e) }, {
    recursive: true, includeEntry: true, timeoutMs: 0, onExit: (err?: Error) => console.log(err?.message),
  })
  await watch.stop()
  const kind: FilesystemEventTypeName | undefined = events[0]?.type
  const size: number | undefined = events[0]?.entry?.size
  // @ts-expect-error onEvent takes an event
  await sbx.files.watchDir('/home/user', (e: string) => e)
  const written: WriteInfo[] = await sbx.files.writeFiles([{ path: '/a', data: new Uint8Array([1]) }], { gzip: true })
  const tagged: WriteInfo = await sbx.files.write('/a', 'x', { metadata: { k: 'v' } })
  const meta: Record<string, string> | undefined = tagged.metadata
  const unzipped: string = await sbx.files.read('/a', { gzip: true })
  const up: string = await sbx.uploadUrl()
  const down: string = await sbx.downloadUrl('/a', { useSignatureExpiration: 60, user: 'root' })
  const pty: CommandHandle = await sbx.pty.create({
    cols: 80, rows: 24, onData: (d: Uint8Array) => console.log(d.length), cwd: '/tmp', envs: { A: '1' }, timeoutMs: 0,
  })
  await sbx.pty.sendInput(pty.pid, new TextEncoder().encode('ls\n'))
  await sbx.pty.resize(pty.pid, { cols: 100, rows: 40 })
  const again: CommandHandle = await sbx.pty.connect(pty.pid, { onData: () => {} })
  const ptyKilled: boolean = await sbx.pty.kill(pty.pid)
  // @ts-expect-error a PTY needs its size
  await sbx.pty.create({ onData: () => {} })
  const attached: CommandHandle = await sbx.commands.connect(pty.pid, { onStdout: (d: string) => console.log(d), timeoutMs: 0 })
  await attached.sendStdin(new Uint8Array([1]))
  await attached.closeStdin()
  await sbx.commands.sendStdin(attached.pid, new Uint8Array([1]))
  await attached.disconnect()
  const error: string | undefined = attached.error
  const page: SandboxInfo[] = await Sandbox.list().nextItems({ signal: AbortSignal.timeout(1000) })
  void [kind, size, written, meta, unzipped, up, down, again, ptyKilled, error, page]
}
