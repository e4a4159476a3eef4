//! TypeScript declarations of `sandbox.files`, `sandbox.commands` and `sandbox.pty`: the options
//! and results of each call, the overloads (`files.read`, `files.write`, `commands.run`) and the
//! events of `files.watchDir`.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const FILES_AND_COMMANDS: &str = r#"
/** Options of each file call. */
export interface FilesystemRequestOpts extends Partial<Pick<ConnectionOpts, 'requestTimeoutMs' | 'signal'>> {
  /** The user who acts (default `user`). */
  user?: Username
}

/** Options of `files.read`. */
export interface FilesystemReadOpts extends FilesystemRequestOpts {
  /** Ask for a gzip-compressed transfer (the platform's `fetch` decompresses it). */
  gzip?: boolean
  /** Most idle time between two chunks of a stream, in milliseconds (default: the request timeout). */
  streamIdleTimeoutMs?: number
}

/** Options of `files.write`. */
export interface FilesystemWriteOpts extends FilesystemRequestOpts {
  /** Compress each file with gzip on the way (each in a request of its own). */
  gzip?: boolean
  /**
   * Send each file as raw bytes in a request of its own (`true`), or every file in one multipart form
   * (`false`). By default streams go as raw bytes in Node, everything else as a form.
   */
  useOctetStream?: boolean
  /** Metadata stored with each file: keys are HTTP tokens, values printable US-ASCII. */
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

/** Options of `sandbox.uploadUrl` and `sandbox.downloadUrl`. */
export interface SandboxUrlOpts {
  /** Seconds the link's signature stays valid (secure sandboxes only; default: no end). */
  useSignatureExpiration?: number
  /** The user the link acts as. */
  user?: Username
}

/** What `getSignature` signs. */
export interface SignatureOpts {
  /** The file's path. */
  path: string
  /** `read` for a download link, `write` for an upload link. */
  operation: 'read' | 'write'
  /** The user the link acts as. */
  user?: Username
  /** Seconds the signature stays valid (default: no end). */
  expirationInSeconds?: number
  /** The sandbox's envd access token. */
  envdAccessToken?: string
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

/** Options of `commands.connect`. */
export interface CommandConnectOpts extends CommandRequestOpts {
  /** Called with each piece of stdout from now on. */
  onStdout?: (data: string) => void | Promise<void>
  /** Called with each piece of stderr from now on. */
  onStderr?: (data: string) => void | Promise<void>
  /** Most time to stay connected, in milliseconds (default 60 000; 0 for none). */
  timeoutMs?: number
}

/** Options of each PTY call. */
export interface PtyRequestOpts extends Partial<Pick<ConnectionOpts, 'requestTimeoutMs' | 'signal'>> {}

/** A terminal's size in character cells. */
export interface PtySize {
  /** Columns. */
  cols: number
  /** Rows. */
  rows: number
}

/** Options of `pty.create`. */
export interface PtyCreateOpts extends PtyRequestOpts, PtySize {
  /** Called with each piece of the terminal's output, as bytes. */
  onData: (data: Uint8Array) => void | Promise<void>
  /** Most time the terminal may run, in milliseconds (default 60 000; 0 for none). */
  timeoutMs?: number
  /** The user whose shell it is (default `user`). */
  user?: Username
  /** Extra environment variables (`TERM`, `LANG` and `LC_ALL` have defaults). */
  envs?: Record<string, string>
  /** Working directory (default the user's home). */
  cwd?: string
}

/** Options of `pty.connect`. */
export interface PtyConnectOpts extends PtyRequestOpts {
  /** Called with each piece of the terminal's output from now on, as bytes. */
  onData?: (data: Uint8Array) => void | Promise<void>
  /** Most time to stay connected, in milliseconds (default 60 000; 0 for none). */
  timeoutMs?: number
}

/** Type of a filesystem event (see the `FilesystemEventType` object). */
export type FilesystemEventTypeName = 'chmod' | 'create' | 'remove' | 'rename' | 'write'

/** A change under a watched directory. */
export interface FilesystemEvent {
  /** Path of the changed entry, relative to the watched directory. */
  name: string
  /** What happened. */
  type: FilesystemEventTypeName
  /** The entry, with `includeEntry: true`, when it still exists. */
  entry?: EntryInfo
}

/** Options of `files.watchDir`. */
export interface WatchOpts extends FilesystemRequestOpts {
  /** Most time the watch may last, in milliseconds (default 60 000; 0 for none). */
  timeoutMs?: number
  /** Called once the watch ends, with its error if it failed (a stop is reported as one). */
  onExit?: (err?: Error) => void | Promise<void>
  /** Watch subdirectories too (default false). */
  recursive?: boolean
  /** Give each event the entry it is about (default false). */
  includeEntry?: boolean
  /** Allow watching network filesystem mounts (default false). */
  allowNetworkMounts?: boolean
}

export interface Commands {
  /** Runs a bash command and waits for it; a non-zero exit rejects with `CommandExitError`. */
  run(cmd: string, opts?: CommandStartOpts & { background?: false }): Promise<CommandResult>
  /** Starts a bash command in the background and resolves its handle once it runs. */
  run(cmd: string, opts: CommandStartOpts & { background: true }): Promise<CommandHandle>
  /** Runs a bash command, in the background when `background` is true. */
  run(cmd: string, opts?: CommandStartOpts): Promise<CommandResult | CommandHandle>
}
"#;
