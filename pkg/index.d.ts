/**
 * e2b-wasm: E2B volumes from JavaScript, in Node and in browsers.
 *
 * A drop-in for the `Volume` API of the official `e2b` package: the same names, options,
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
