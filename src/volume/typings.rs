//! TypeScript declarations of the volume API: its options and results, `readFile`'s overloads, and
//! the statics that share an instance method's name (`Volume.getInfo`, `Volume.list`), declared as
//! a namespace merged with the class.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const VOLUME: &str = r#"
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
  /** Proxy URL, kept on the volume (requests use the platform's `fetch`). */
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
  /** Most idle time between two chunks of a stream, in milliseconds (default: the request timeout). */
  streamIdleTimeoutMs?: number
}

/** Options of `list`. */
export interface VolumeListOpts extends VolumeApiOpts {
  /** How many levels deep to list (1 to 10, default 1). */
  depth?: number
}

/** @deprecated Use {@link VolumeMetadataOpts}. */
export type VolumeMetadataOptions = VolumeMetadataOpts
/** @deprecated Use {@link VolumeWriteOpts}. */
export type VolumeWriteOptions = VolumeWriteOpts

/** Type of a volume entry: `unknown`, `file`, `directory` or `symlink` (see the `VolumeFileType` object). */
export type VolumeFileTypeName = 'unknown' | 'file' | 'directory' | 'symlink'

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
  type: VolumeFileTypeName
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

export interface Volume {
  /** Reads a file as text (the default). */
  readFile(path: string, opts?: VolumeReadOpts & { format?: 'text' }): Promise<string>
  /** Reads a file as bytes. */
  readFile(path: string, opts: VolumeReadOpts & { format: 'bytes' }): Promise<Uint8Array>
  /** Reads a file as a Blob. */
  readFile(path: string, opts: VolumeReadOpts & { format: 'blob' }): Promise<Blob>
  /** Reads a file as a stream of chunks, as they arrive (an empty file is an empty stream). */
  readFile(path: string, opts: VolumeReadOpts & { format: 'stream' }): Promise<ReadableStream<Uint8Array>>
}

export declare namespace Volume {
  /** The volume's identity and a fresh token; `VolumeNotFoundError` if there is none. */
  function getInfo(volumeId: string, opts?: ConnectionOpts): Promise<VolumeAndToken>
  /** Every volume of the team. */
  function list(opts?: ConnectionOpts): Promise<VolumeInfo[]>
}
"#;
