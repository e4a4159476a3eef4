//! TypeScript declarations of the sandbox API: options and results of sandboxes, files and
//! commands, the overloads (`Sandbox.create`, `files.read`, `files.write`, `commands.run`), and the
//! statics, declared as a namespace merged with the class so that subclasses get their own type
//! from `create` and `connect`.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const SANDBOX: &str = r#"
/** Options of control-plane calls about one sandbox. */
export interface SandboxApiOpts extends Partial<Pick<ConnectionOpts,
  'apiKey' | 'validateApiKey' | 'headers' | 'apiHeaders' | 'debug' | 'domain' | 'apiUrl' | 'sandboxUrl'
  | 'requestTimeoutMs' | 'retries' | 'signal' | 'logger'>> {}

/** Options of `Sandbox.create`. */
export interface SandboxOpts extends ConnectionOpts {
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
  /** Volumes to mount, by mount path: a `Volume`, anything with a volume `name`, or a volume name. */
  volumeMounts?: Record<string, { readonly name: string } | string>
}

/** Options of `Sandbox.connect`. */
export type SandboxConnectOpts = ConnectionOpts & {
  /** New lifetime in milliseconds from now (it only grows; default 300 000). */
  timeoutMs?: number
}

/** What identifies a running sandbox to `new Sandbox(…)`: `Sandbox.create` and `Sandbox.connect` pass it. */
export interface SandboxConnection {
  /** Sandbox ID. */
  sandboxId: string
  /** Domain serving the sandbox. */
  sandboxDomain?: string
  /** Version of envd inside. */
  envdVersion?: string
  /** envd's access token. */
  envdAccessToken?: string
  /** Token for traffic to the sandbox's ports. */
  trafficAccessToken?: string
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

/** Order of `Sandbox.list`, by start time. */
export type SandboxListOrder = 'asc' | 'desc'

/** Options of `Sandbox.list`. */
export interface SandboxListOpts extends Omit<SandboxApiOpts, 'signal'> {
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
  order?: SandboxListOrder
  /** Page size, 1 to 100. */
  limit?: number
  /** Cursor of the page to start at. */
  nextToken?: string
}

/** Options of each file call. */
export interface FilesystemRequestOpts extends Partial<Pick<ConnectionOpts, 'requestTimeoutMs' | 'signal'>> {
  /** The user who acts (default `user`). */
  user?: Username
}

/** Options of `files.read`. */
export interface FilesystemReadOpts extends FilesystemRequestOpts {
  /** Accepted for compatibility: replies are not compressed. */
  gzip?: boolean
  /** Most idle time between two chunks of a stream, in milliseconds (default: the request timeout). */
  streamIdleTimeoutMs?: number
}

/** Options of `files.write`. */
export interface FilesystemWriteOpts extends FilesystemRequestOpts {
  /** Accepted for compatibility: uploads are not compressed. */
  gzip?: boolean
  /** Accepted for compatibility: streams are always sent as raw bytes, the rest as a form. */
  useOctetStream?: boolean
  /** Metadata stored with the file. */
  metadata?: Record<string, string>
}

/** Options of `files.list`. */
export interface FilesystemListOpts extends FilesystemRequestOpts {
  /** How many levels deep to list (default 1). */
  depth?: number
}

/** Type of a filesystem entry in a sandbox: `file`, `dir` or `symlink` (see the `FileType` object). */
export type FileTypeName = 'file' | 'dir' | 'symlink'

/** A written file. */
export interface WriteInfo {
  /** Base name. */
  name: string
  /** Entry type (always `file`). */
  type?: FileTypeName
  /** Absolute path. */
  path: string
  /** Metadata stored with the file. */
  metadata?: Record<string, string>
}

/** A file or directory inside a sandbox. */
export interface EntryInfo extends WriteInfo {
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
}

/** One file of a multi-file write. */
export type WriteEntry = {
  /** Destination path. */
  path: string
  /** Contents. */
  data: string | ArrayBuffer | ArrayBufferView | Blob | ReadableStream<Uint8Array>
}

export interface Filesystem {
  /** Reads a file as text (the default). */
  read(path: string, opts?: FilesystemReadOpts & { format?: 'text' }): Promise<string>
  /** Reads a file as bytes. */
  read(path: string, opts: FilesystemReadOpts & { format: 'bytes' }): Promise<Uint8Array>
  /** Reads a file as a Blob. */
  read(path: string, opts: FilesystemReadOpts & { format: 'blob' }): Promise<Blob>
  /** Reads a file as a stream (an empty file is an empty stream). */
  read(path: string, opts: FilesystemReadOpts & { format: 'stream' }): Promise<ReadableStream<Uint8Array>>
  /** Writes one file, creating its parents and replacing what was there. */
  write(path: string, data: WriteEntry['data'], opts?: FilesystemWriteOpts): Promise<WriteInfo>
  /** Writes several files in one request. */
  write(files: WriteEntry[], opts?: FilesystemWriteOpts): Promise<WriteInfo[]>
}

/** Options of each command call. */
export interface CommandRequestOpts extends Partial<Pick<ConnectionOpts, 'requestTimeoutMs' | 'signal'>> {}

/** Options of `commands.run`. */
export interface CommandStartOpts extends CommandRequestOpts {
  /** Start it and resolve a handle instead of waiting for it. */
  background?: boolean
  /** Working directory (default the user's home). */
  cwd?: string
  /** The user who runs it (default `user`). */
  user?: Username
  /** Extra environment variables. */
  envs?: Record<string, string>
  /** Called with each piece of stdout. */
  onStdout?: (data: string) => void | Promise<void>
  /** Called with each piece of stderr. */
  onStderr?: (data: string) => void | Promise<void>
  /** Keep stdin open (default false). */
  stdin?: boolean
  /** Most time the command may run, in milliseconds (default 60 000; 0 for none). */
  timeoutMs?: number
}

/** Output a command wrote to stdout. */
export type Stdout = string
/** Output a command wrote to stderr. */
export type Stderr = string

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

export interface Commands {
  /** Runs a bash command and waits for it; a non-zero exit rejects with `CommandExitError`. */
  run(cmd: string, opts?: CommandStartOpts & { background?: false }): Promise<CommandResult>
  /** Starts a bash command in the background and resolves its handle once it runs. */
  run(cmd: string, opts: CommandStartOpts & { background: true }): Promise<CommandHandle>
  /** Runs a bash command, in the background when `background` is true. */
  run(cmd: string, opts?: CommandStartOpts): Promise<CommandResult | CommandHandle>
}

export interface Sandbox {
  /** Connects again, extending the lifetime; resolves to this sandbox. */
  connect(opts?: SandboxConnectOpts): Promise<this>
}

export declare namespace Sandbox {
  /** Creates a sandbox from the `base` template (or `opts.template`). */
  function create<S extends typeof Sandbox>(this: S, opts?: SandboxOpts): Promise<InstanceType<S>>
  /** Creates a sandbox from `template`. */
  function create<S extends typeof Sandbox>(this: S, template: string, opts?: SandboxOpts): Promise<InstanceType<S>>
  /** Connects to a running sandbox; `SandboxNotFoundError` if there is none. */
  function connect<S extends typeof Sandbox>(this: S, sandboxId: string, opts?: SandboxConnectOpts): Promise<InstanceType<S>>
  /** Kills a sandbox; `false` if there was none. */
  function kill(sandboxId: string, opts?: SandboxApiOpts): Promise<boolean>
  /** Information about a sandbox; `SandboxNotFoundError` if there is none. */
  function getInfo(sandboxId: string, opts?: SandboxApiOpts): Promise<SandboxInfo>
  /** Sets a sandbox's remaining lifetime. */
  function setTimeout(sandboxId: string, timeoutMs: number, opts?: SandboxApiOpts): Promise<void>
  /** Pages through sandboxes. */
  function list(opts?: SandboxListOpts): SandboxPaginator
}
"#;
