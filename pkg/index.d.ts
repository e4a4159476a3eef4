/**
 * e2b-wasm: E2B volumes from JavaScript, in Node and in browsers.
 *
 * A drop-in for the `Volume` and `Sandbox` APIs of the official `e2b` package: the same names, options,
 * defaults, errors and requests, compiled from Rust to WebAssembly.
 */

/** Something that logs; each method is optional. */
export interface Logger {
  /** Called with debug messages. */
  debug?: (...args: unknown[]) => void
  /** Called for each request and successful response. */
  info?: (...args: unknown[]) => void
  /** Called with warnings. */
  warn?: (...args: unknown[]) => void
  /** Called for failed requests and error responses. */
  error?: (...args: unknown[]) => void
}

/** Options of control-plane calls (`Volume.create`, `connect`, `getInfo`, `list`, `destroy`). */
export interface ConnectionOpts {
  /** E2B API key; defaults to the `E2B_API_KEY` environment variable (Node only). */
  apiKey?: string
  /** E2B domain; defaults to `E2B_DOMAIN`, else `e2b.app`. */
  domain?: string
  /** Control-plane URL; defaults to `E2B_API_URL`, else `https://api.<domain>`. */
  apiUrl?: string
  /** Debug mode: talk to `http://localhost:3000`; defaults to `E2B_DEBUG`. */
  debug?: boolean
  /** Timeout of each request in milliseconds (default 60 000; 0 disables it). */
  requestTimeoutMs?: number
  /** Receives a line for each request and response. */
  logger?: Logger
  /** Extra headers sent with each request. */
  headers?: Record<string, string>
  /** Aborts the request in flight. */
  signal?: AbortSignal
}

/** Options of volume content calls. */
export interface VolumeApiOpts {
  /** Volume token to use instead of the volume's own. */
  token?: string
  /** Domain of the volume content API; defaults to the volume's, then `E2B_DOMAIN`, then `e2b.app`. */
  domain?: string
  /** Debug mode: talk to `http://localhost:8080`. */
  debug?: boolean
  /** Volume content API URL; defaults to `E2B_VOLUME_API_URL`, else the URL the volume was created with, else `https://api.<domain>`. */
  apiUrl?: string
  /** Timeout of the request in milliseconds (default 60 000; 1 hour for `readFile` and `writeFile`). */
  requestTimeoutMs?: number
  /** Receives a line for each request and response. */
  logger?: Logger
  /** Extra headers sent with the request. */
  headers?: Record<string, string>
  /** Proxy URL (accepted for compatibility; requests use the platform's `fetch`). */
  proxy?: string
  /** Aborts the request in flight. */
  signal?: AbortSignal
}

/** Owner and permissions of an entry. */
export interface VolumeMetadataOpts {
  /** Owner user ID (default 9090). */
  uid?: number
  /** Owner group ID (default 9090). */
  gid?: number
  /** Permission bits, such as `0o644` (default `0o666` for files, `0o777` for directories). */
  mode?: number
}

/** Options of `makeDir` and `writeFile`. */
export interface VolumeWriteOpts extends VolumeMetadataOpts {
  /** `makeDir`: create missing parents. `writeFile`: overwrite an existing file and create missing parents. */
  force?: boolean
}

/** Options of `readFile`. */
export interface VolumeReadOpts extends VolumeApiOpts {
  /** Accepted for compatibility: most idle time between chunks of a stream. */
  streamIdleTimeoutMs?: number
}

/** @deprecated Use {@link VolumeMetadataOpts}. */
export type VolumeMetadataOptions = VolumeMetadataOpts
/** @deprecated Use {@link VolumeWriteOpts}. */
export type VolumeWriteOptions = VolumeWriteOpts

/** Type of a volume entry. */
export declare const VolumeFileType: {
  /** Neither a file nor a directory, or a dangling symlink. */
  readonly UNKNOWN: 'unknown'
  /** A regular file. */
  readonly FILE: 'file'
  /** A directory. */
  readonly DIRECTORY: 'directory'
  /** A symbolic link. */
  readonly SYMLINK: 'symlink'
}
/** Type of a volume entry. */
export type VolumeFileType = (typeof VolumeFileType)[keyof typeof VolumeFileType]

/** A volume's identity. */
export interface VolumeInfo {
  /** Volume ID. */
  volumeId: string
  /** Volume name. */
  name: string
}

/** A volume's identity with a fresh content token. */
export interface VolumeAndToken extends VolumeInfo {
  /** Token for the volume content API. */
  token: string
  /** Domain of the volume content API, for bring-your-own-cloud deployments. */
  domain?: string
}

/** Metadata of a file or directory in a volume. */
export interface VolumeEntryStat {
  /** Base name (`/` for the root). */
  name: string
  /** Entry type; a symlink reports its target's type. */
  type: VolumeFileType
  /** Path from the volume root, starting with `/`. */
  path: string
  /** Size in bytes. */
  size: number
  /** Permission bits. */
  mode: number
  /** Owner user ID. */
  uid: number
  /** Owner group ID. */
  gid: number
  /** Last access time. */
  atime: Date
  /** Last modification time. */
  mtime: Date
  /** Last status change time. */
  ctime: Date
  /** For a symlink, its target inside the volume. */
  target?: string
}

/** Data `writeFile` accepts. */
export type VolumeWriteData = string | ArrayBuffer | ArrayBufferView | Blob | ReadableStream<Uint8Array>

/** A persistent volume, and its files read and written directly. */
export declare class Volume {
  /** Volume ID. */
  readonly volumeId: string
  /** Volume name. */
  readonly name: string
  /** Token for the volume content API. */
  readonly token: string
  /** Domain of the volume content API. */
  readonly domain?: string
  /** Whether debug mode is on. */
  readonly debug?: boolean
  /** Proxy URL (accepted for compatibility). */
  readonly proxy?: string

  /** Makes a local `Volume` object from known values; sends no request. */
  constructor(volumeId: string, name: string, token: string, domain?: string, debug?: boolean, proxy?: string)

  /** Creates a volume. Names match `^[a-zA-Z0-9_-]+$`; a taken name is a `VolumeError`. */
  static create(name: string, opts?: ConnectionOpts): Promise<Volume>
  /** Connects to an existing volume; `VolumeNotFoundError` if there is none. */
  static connect(volumeId: string, opts?: ConnectionOpts): Promise<Volume>
  /** The volume's identity and a fresh token; `VolumeNotFoundError` if there is none. */
  static getInfo(volumeId: string, opts?: ConnectionOpts): Promise<VolumeAndToken>
  /** Every volume of the team. */
  static list(opts?: ConnectionOpts): Promise<VolumeInfo[]>
  /** Destroys a volume and its data; `false` if there was none. */
  static destroy(volumeId: string, opts?: ConnectionOpts): Promise<boolean>

  /** Lists a directory, `depth` levels deep (1 to 10, default 1). */
  list(path: string, opts?: VolumeApiOpts & { depth?: number }): Promise<VolumeEntryStat[]>
  /** Creates a directory; with `force`, missing parents too, and an existing directory is returned unchanged. */
  makeDir(path: string, opts?: VolumeWriteOpts & VolumeApiOpts): Promise<VolumeEntryStat>
  /** Metadata of a file or directory; `VolumePathNotFoundError` if missing. */
  getInfo(path: string, opts?: VolumeApiOpts): Promise<VolumeEntryStat>
  /** Whether a file or directory exists. */
  exists(path: string, opts?: VolumeApiOpts): Promise<boolean>
  /** Changes owner and permissions; absent fields stay unchanged. */
  updateMetadata(path: string, metadata: VolumeMetadataOpts, opts?: VolumeApiOpts): Promise<VolumeEntryStat>
  /** Reads a file as text (the default). */
  readFile(path: string, opts?: VolumeReadOpts & { format?: 'text' }): Promise<string>
  /** Reads a file as bytes. */
  readFile(path: string, opts: VolumeReadOpts & { format: 'bytes' }): Promise<Uint8Array>
  /** Reads a file as a Blob. */
  readFile(path: string, opts: VolumeReadOpts & { format: 'blob' }): Promise<Blob>
  /** Reads a file as a stream of chunks, as they arrive. */
  readFile(path: string, opts: VolumeReadOpts & { format: 'stream' }): Promise<ReadableStream<Uint8Array>>
  /** Writes a file; an existing file needs `force`. Streams are uploaded as they are read (in Node). */
  writeFile(path: string, data: VolumeWriteData, opts?: VolumeWriteOpts & VolumeApiOpts): Promise<VolumeEntryStat>
  /** Removes a file, or a directory with everything in it. */
  remove(path: string, opts?: VolumeApiOpts): Promise<void>
}

/** Base of sandbox and API errors. */
export declare class SandboxError extends Error {
  constructor(message?: string, stackTrace?: string)
  /** HTTP status of the response that caused the error, when there was one. */
  statusCode?: number
}
/** A request took longer than its timeout. */
export declare class TimeoutError extends SandboxError {}
/** An argument was invalid. */
export declare class InvalidArgumentError extends SandboxError {}
/** Not enough disk space. */
export declare class NotEnoughSpaceError extends SandboxError {}
/** @deprecated Something was not found; catch the specific not-found errors instead. */
export declare class NotFoundError extends SandboxError {}
/** A file or directory in a sandbox was not found. */
export declare class FileNotFoundError extends NotFoundError {}
/** A sandbox was not found. */
export declare class SandboxNotFoundError extends NotFoundError {}
/** The template cannot be used. */
export declare class TemplateError extends SandboxError {}
/** The API rate limit was hit. */
export declare class RateLimitError extends SandboxError {}
/** Missing or rejected credentials. */
export declare class AuthenticationError extends Error {
  constructor(message?: string)
}
/** The service is temporarily unavailable; retry later. */
export declare class ServiceBusyError extends Error {
  constructor(message?: string)
}
/** Base of volume errors. */
export declare class VolumeError extends Error {
  constructor(message?: string)
}
/** The volume does not exist. */
export declare class VolumeNotFoundError extends VolumeError {}
/** The path does not exist in the volume. */
export declare class VolumePathNotFoundError extends VolumeError {}

/** A command finished with a non-zero exit code. */
export declare class CommandExitError extends SandboxError implements CommandResult {
  constructor(result: CommandResult)
  /** The command's result. */
  readonly result: CommandResult
  /** Exit code of the command. */
  readonly exitCode: number
  /** Error message of the command, if any. */
  readonly error: string | undefined
  /** Everything the command wrote to stdout. */
  readonly stdout: string
  /** Everything the command wrote to stderr. */
  readonly stderr: string
}

/** Type of a filesystem entry in a sandbox. */
export declare const FileType: {
  /** A regular file. */
  readonly FILE: 'file'
  /** A directory. */
  readonly DIR: 'dir'
  /** A symbolic link. */
  readonly SYMLINK: 'symlink'
}
/** Type of a filesystem entry in a sandbox. */
export type FileType = (typeof FileType)[keyof typeof FileType]

/** Options of control-plane calls about sandboxes. */
export interface SandboxApiOpts extends ConnectionOpts {
  /** envd URL for every sandbox; defaults to `E2B_SANDBOX_URL`, else E2B's per-sandbox host. */
  sandboxUrl?: string
}

/** Options of `Sandbox.create`. */
export interface SandboxOpts extends SandboxApiOpts {
  /** Template name or ID (default `base`). */
  template?: string
  /** Lifetime in milliseconds (default 300 000). */
  timeoutMs?: number
  /** Metadata, for filtering in `Sandbox.list`. */
  metadata?: Record<string, string>
  /** Environment variables of every command. */
  envs?: Record<string, string>
  /** Require an access token for envd (default true). */
  secure?: boolean
  /** Allow the sandbox to reach the internet (default true). */
  allowInternetAccess?: boolean
  /** Volumes to mount, by mount path: a `Volume` or a volume name. */
  volumeMounts?: Record<string, Volume | { readonly name: string } | string>
}

/** Options of `Sandbox.connect`. */
export interface SandboxConnectOpts extends SandboxApiOpts {
  /** New lifetime in milliseconds from now (it only grows; default 300 000). */
  timeoutMs?: number
}

/** A volume mounted into a sandbox. */
export interface SandboxVolumeMount {
  /** Volume name. */
  name: string
  /** Mount path inside the sandbox. */
  path: string
}

/** State of a sandbox. */
export type SandboxState = 'running' | 'paused'

/** Information about a sandbox. */
export interface SandboxInfo {
  /** Sandbox ID. */
  sandboxId: string
  /** Template ID. */
  templateId: string
  /** Template alias. */
  name?: string
  /** Metadata given at creation. */
  metadata: Record<string, string>
  /** When it started. */
  startedAt: Date
  /** When it will end. */
  endAt: Date
  /** Running or paused. */
  state: SandboxState
  /** CPUs. */
  cpuCount: number
  /** Memory in MiB. */
  memoryMB: number
  /** Version of envd inside. */
  envdVersion: string
  /** Whether it may reach the internet. */
  allowInternetAccess?: boolean
  /** Domain serving it. */
  sandboxDomain?: string
  /** Mounted volumes. */
  volumeMounts: SandboxVolumeMount[]
}

/** Options of `Sandbox.list`. */
export interface SandboxListOpts extends SandboxApiOpts {
  /** Filters. */
  query?: {
    /** Sandboxes whose metadata has all these pairs. */
    metadata?: Record<string, string>
    /** Sandboxes in these states. */
    state?: SandboxState[]
    /** Sandboxes started after this time. */
    startedAfter?: Date
    /** Sandboxes of this template. */
    template?: string
  }
  /** Sort by start time (default `desc`). */
  order?: 'asc' | 'desc'
  /** Page size, 1 to 100. */
  limit?: number
  /** Cursor of the page to start at. */
  nextToken?: string
}

/** Pages of sandboxes. */
export declare class SandboxPaginator {
  /** Whether another page can be fetched. */
  readonly hasNext: boolean
  /** Cursor of the next page. */
  readonly nextToken: string | undefined
  /** Fetches the next page; throws when there is none. */
  nextItems(): Promise<SandboxInfo[]>
}

/** Options of each file and command call. */
export interface SandboxRequestOpts {
  /** The user who acts: `user` (default) or `root`. */
  user?: 'user' | 'root'
  /** Timeout of the request in milliseconds (default 60 000). */
  requestTimeoutMs?: number
  /** Aborts the request in flight. */
  signal?: AbortSignal
}

/** A file or directory inside a sandbox. */
export interface EntryInfo {
  /** Base name. */
  name: string
  /** Entry type. */
  type: FileType
  /** Absolute path. */
  path: string
  /** Size in bytes. */
  size: number
  /** Permission bits. */
  mode: number
  /** Permissions as `ls` shows them, e.g. `-rw-r--r--`. */
  permissions: string
  /** Owner name. */
  owner: string
  /** Group name. */
  group: string
  /** Last modification time. */
  modifiedTime?: Date
  /** For a symlink, its target. */
  symlinkTarget?: string
  /** Extended attributes set through uploads. */
  metadata?: Record<string, string>
}

/** A written file. */
export interface WriteInfo {
  /** Base name. */
  name: string
  /** Always `file`. */
  type?: FileType
  /** Absolute path. */
  path: string
}

/** One file of a multi-file write. */
export interface WriteEntry {
  /** Destination path. */
  path: string
  /** Contents. */
  data: VolumeWriteData
}

/** Files inside a sandbox. */
export declare class Filesystem {
  /** Reads a file as text (the default). */
  read(path: string, opts?: SandboxRequestOpts & { format?: 'text' }): Promise<string>
  /** Reads a file as bytes. */
  read(path: string, opts: SandboxRequestOpts & { format: 'bytes' }): Promise<Uint8Array>
  /** Reads a file as a Blob. */
  read(path: string, opts: SandboxRequestOpts & { format: 'blob' }): Promise<Blob>
  /** Reads a file as a stream. */
  read(path: string, opts: SandboxRequestOpts & { format: 'stream' }): Promise<ReadableStream<Uint8Array>>
  /** Writes one file, creating its parents and replacing what was there. */
  write(path: string, data: VolumeWriteData, opts?: SandboxRequestOpts): Promise<WriteInfo>
  /** Writes several files in one request. */
  write(files: WriteEntry[], opts?: SandboxRequestOpts): Promise<WriteInfo[]>
  /** Lists a directory, `depth` levels deep (default 1). */
  list(path: string, opts?: SandboxRequestOpts & { depth?: number }): Promise<EntryInfo[]>
  /** Creates a directory and its parents; `false` if it already existed. */
  makeDir(path: string, opts?: SandboxRequestOpts): Promise<boolean>
  /** Whether a path exists. */
  exists(path: string, opts?: SandboxRequestOpts): Promise<boolean>
  /** Information about a path; `FileNotFoundError` if missing. */
  getInfo(path: string, opts?: SandboxRequestOpts): Promise<EntryInfo>
  /** Renames (moves) a path. */
  rename(oldPath: string, newPath: string, opts?: SandboxRequestOpts): Promise<EntryInfo>
  /** Removes a file or a directory with its contents. */
  remove(path: string, opts?: SandboxRequestOpts): Promise<void>
}

/** Result of a finished command. */
export interface CommandResult {
  /** Exit code. */
  exitCode: number
  /** Error message, if any. */
  error?: string
  /** Everything written to stdout. */
  stdout: string
  /** Everything written to stderr. */
  stderr: string
}

/** Options of `commands.run`. */
export interface CommandStartOpts extends SandboxRequestOpts {
  /** Working directory (default the user's home). */
  cwd?: string
  /** Extra environment variables. */
  envs?: Record<string, string>
  /** Most time the command may run, in milliseconds (default 60 000; 0 for none). */
  timeoutMs?: number
  /** Called with each piece of stdout. */
  onStdout?: (data: string) => void | Promise<void>
  /** Called with each piece of stderr. */
  onStderr?: (data: string) => void | Promise<void>
  /** Keep stdin open (default false). */
  stdin?: boolean
}

/** A command running in the background. */
export declare class CommandHandle {
  /** Process ID. */
  readonly pid: number
  /** Everything written to stdout so far. */
  readonly stdout: string
  /** Everything written to stderr so far. */
  readonly stderr: string
  /** Exit code, once the command has ended. */
  readonly exitCode: number | undefined
  /** Waits for the command; a non-zero exit rejects with `CommandExitError`. */
  wait(): Promise<CommandResult>
  /** Kills the command; `false` if it had already ended. */
  kill(opts?: SandboxRequestOpts): Promise<boolean>
  /** Writes to the command's stdin (start it with `stdin: true`). */
  sendStdin(data: string, opts?: SandboxRequestOpts): Promise<void>
}

/** A process running in a sandbox. */
export interface ProcessInfo {
  /** Process ID. */
  pid: number
  /** Tag given at start, if any. */
  tag?: string
  /** Command. */
  cmd: string
  /** Arguments. */
  args: string[]
  /** Environment variables given at start. */
  envs: Record<string, string>
  /** Working directory. */
  cwd?: string
}

/** Commands inside a sandbox. */
export declare class Commands {
  /** Runs a bash command and waits for it; a non-zero exit rejects with `CommandExitError`. */
  run(cmd: string, opts?: CommandStartOpts & { background?: false }): Promise<CommandResult>
  /** Starts a bash command in the background and resolves its handle once it runs. */
  run(cmd: string, opts: CommandStartOpts & { background: true }): Promise<CommandHandle>
  /** The processes running in the sandbox. */
  list(opts?: SandboxRequestOpts): Promise<ProcessInfo[]>
  /** Kills a process with SIGKILL; `false` if there was none. */
  kill(pid: number, opts?: SandboxRequestOpts): Promise<boolean>
  /** Writes to a process's stdin. */
  sendStdin(pid: number, data: string, opts?: SandboxRequestOpts): Promise<void>
  /** Closes a process's stdin. */
  closeStdin(pid: number, opts?: SandboxRequestOpts): Promise<void>
}

/** A sandbox: a small Linux machine whose mount paths can hold volumes. */
export declare class Sandbox {
  /** Sandbox ID. */
  readonly sandboxId: string
  /** Domain serving the sandbox, when the API names one. */
  readonly sandboxDomain: string | undefined
  /** Token for traffic to the sandbox's ports, when required. */
  readonly trafficAccessToken: string | undefined
  /** Files inside the sandbox. */
  readonly files: Filesystem
  /** Commands inside the sandbox. */
  readonly commands: Commands

  /** Creates a sandbox from the `base` template. */
  static create(opts?: SandboxOpts): Promise<Sandbox>
  /** Creates a sandbox from `template`. */
  static create(template: string, opts?: SandboxOpts): Promise<Sandbox>
  /** Connects to a running sandbox; `SandboxNotFoundError` if there is none. */
  static connect(sandboxId: string, opts?: SandboxConnectOpts): Promise<Sandbox>
  /** Kills a sandbox; `false` if there was none. */
  static kill(sandboxId: string, opts?: SandboxApiOpts): Promise<boolean>
  /** Information about a sandbox; `SandboxNotFoundError` if there is none. */
  static getInfo(sandboxId: string, opts?: SandboxApiOpts): Promise<SandboxInfo>
  /** Sets a sandbox's remaining lifetime. */
  static setTimeout(sandboxId: string, timeoutMs: number, opts?: SandboxApiOpts): Promise<void>
  /** Pages through sandboxes. */
  static list(opts?: SandboxListOpts): SandboxPaginator

  /** The host under which the sandbox's `port` is reachable. */
  getHost(port: number): string
  /** Whether the sandbox is running. */
  isRunning(opts?: Pick<SandboxRequestOpts, 'requestTimeoutMs' | 'signal'>): Promise<boolean>
  /** Sets the remaining lifetime. */
  setTimeout(timeoutMs: number, opts?: SandboxApiOpts): Promise<void>
  /** Kills the sandbox. */
  kill(opts?: SandboxApiOpts): Promise<boolean>
  /** Information about the sandbox, with its volume mounts. */
  getInfo(opts?: SandboxApiOpts): Promise<SandboxInfo>
  /** Connects again, extending the lifetime. */
  connect(opts?: SandboxConnectOpts): Promise<Sandbox>
}

export default Sandbox
