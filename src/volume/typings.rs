//! TypeScript declarations of the volume API: its options and results, `readFile`'s overloads, the
//! folder transfers (`upload`, `download`, defined by the package's entry in JavaScript), and the
//! statics that share an instance method's name (`Volume.getInfo`, `Volume.list`), declared as a
//! namespace merged with the class.

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
  /** HTTP proxy URL for this call, over the volume's own (honoured in Node, with `undici`). */
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
  /** Called as the file arrives (at most every 100 ms, and once at the end); the total comes from a `getInfo` sent alongside. */
  onProgress?: (progress: VolumeTransferProgress) => void
}

/** Options of `writeFile`. */
export interface VolumeWriteFileOpts extends VolumeWriteOpts, VolumeApiOpts {
  /** Called as the file is sent (at most every 100 ms, and once at the end). In Node a body of 1 MiB or more is then sent as a stream, counted as it goes; browsers report it whole once sent. */
  onProgress?: (progress: VolumeTransferProgress) => void
}

/** Counts of a transfer, as `onProgress` receives them. */
export interface VolumeTransferProgress {
  /** Bytes moved so far (files skipped as existing count as done). */
  bytesDone: number
  /** Bytes to move: known up front for folders and listed downloads; grows as an async iterable source is read. */
  bytesTotal: number
  /** Files finished: moved, skipped or failed. */
  filesDone: number
  /** Files to move. */
  filesTotal: number
}

/** Options of `upload` and `download`. */
export interface VolumeTransferOpts extends VolumeApiOpts {
  /** Files moved at once (default 16). */
  concurrency?: number
  /** Called with the counts as the transfer goes (at most every 100 ms, and once at the end). */
  onProgress?: (progress: VolumeTransferProgress) => void
  /**
   * Skips files already at the destination with the same size that are not older than the source
   * (for a download into a local folder: that carry the volume file's modification time, as
   * downloaded files do), so that an interrupted transfer resumes where it stopped.
   */
  skipExisting?: boolean
  /** Goes on after a file fails, listing it in the report's `failed` (default: stop at the first failure, cancelling the others, and reject with its error). */
  continueOnError?: boolean
}

/** Options of `upload`: those of transfers, and the owner, mode and `force` of each file as `writeFile` takes them (folders get `uid` and `gid`, with the default mode). */
export interface VolumeUploadOpts extends VolumeTransferOpts, VolumeWriteOpts {}

/** Options of `download`. */
export interface VolumeDownloadOpts extends VolumeTransferOpts {
  /** Where to write the folder: a local folder path (Node) or a directory handle (browsers). Without it, `download` returns the files as streams. */
  to?: string | VolumeDirectoryHandleLike
}

/** A file as a browser gives it (`File`): a Blob with a name. */
export interface VolumeFileLike extends Blob {
  readonly name: string
  readonly lastModified?: number
  /** The path inside a folder picked with `<input webkitdirectory>`, the folder's name first. */
  readonly webkitRelativePath?: string
}

/** A browser's `FileList`. */
export interface VolumeFileListLike {
  readonly length: number
  item(index: number): VolumeFileLike | null
  [index: number]: VolumeFileLike
}

/** A browser's `DataTransfer`, as a drop event gives it. */
export interface VolumeDataTransferLike {
  readonly files: VolumeFileListLike
  readonly items: { readonly length: number; [index: number]: { readonly kind: string } }
}

/** A browser's `FileSystemDirectoryHandle` (from `showDirectoryPicker()` or `navigator.storage.getDirectory()`). */
export interface VolumeDirectoryHandleLike {
  readonly kind: 'directory'
  readonly name: string
  getDirectoryHandle(name: string, options?: { create?: boolean }): Promise<VolumeDirectoryHandleLike>
  getFileHandle(name: string, options?: { create?: boolean }): Promise<unknown>
  removeEntry(name: string, options?: { recursive?: boolean }): Promise<void>
}

/** One file of an uploaded set: its path under the volume folder, and its data as `writeFile` takes it. */
export interface VolumeUploadItem {
  path: string
  data: VolumeWriteData
}

/**
 * What `upload` takes: a local folder path (Node's build; its contents are uploaded), a `FileList`
 * (each file at its `webkitRelativePath`, else its name), a drop's `DataTransfer` (each dropped file
 * or folder under its name), a directory handle (its contents), or an iterable or async iterable of
 * `{ path, data }`.
 */
export type VolumeUploadSource =
  | string
  | VolumeFileListLike
  | VolumeDataTransferLike
  | VolumeDirectoryHandleLike
  | Iterable<VolumeUploadItem>
  | AsyncIterable<VolumeUploadItem>

/** A file or folder a transfer left out, and why. */
export interface VolumeTransferSkip {
  /** Path relative to the transfer's source folder. */
  path: string
  /** `symlink` and `special` (device, socket, pipe…) are never transferred; `existing` was already there (`skipExisting`). */
  reason: 'symlink' | 'special' | 'existing'
}

/** A file that failed (reported with `continueOnError`). */
export interface VolumeTransferFailure {
  /** Path relative to the transfer's source folder. */
  path: string
  /** Why it failed: an SDK error, or the local file system's. */
  error: Error
}

/** What a transfer did. */
export interface VolumeTransferReport {
  /** Files moved. */
  files: number
  /** Bytes moved. */
  bytes: number
  /** Folders created or confirmed at the destination. */
  directories: number
  /** What was left out, and why. */
  skipped: VolumeTransferSkip[]
  /** Files that failed (only with `continueOnError`; otherwise the transfer rejects). */
  failed: VolumeTransferFailure[]
}

/** Another name of {@link VolumeTransferReport}. */
export type TransferReport = VolumeTransferReport

/** A file of a download, its content streamed as it is read. */
export interface VolumeDownloadItem {
  /** Path relative to the downloaded folder. */
  path: string
  /** The file's metadata from the listing (its `path` is the volume path). */
  entry: VolumeEntryStat
  /** The content; read it to the end (or cancel it) before the next ones pile up. */
  stream: ReadableStream<Uint8Array>
}

/** A download without a target: the folder's files one by one, the next ones requested ahead (up to `concurrency`). */
export interface VolumeDownload extends AsyncIterable<VolumeDownloadItem> {
  /** What the download did so far (complete once iteration ends). */
  readonly report: VolumeTransferReport
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
  /** Uploads a folder or a set of files into the volume folder `volumePath` (made if missing), `concurrency` files at once. */
  upload(volumePath: string, source: VolumeUploadSource, opts?: VolumeUploadOpts): Promise<VolumeTransferReport>
  /** Downloads the volume folder `volumePath` into `opts.to`: a local folder (Node) or a directory handle (browsers). */
  download(volumePath: string, opts: VolumeDownloadOpts & { to: string | VolumeDirectoryHandleLike }): Promise<VolumeTransferReport>
  /** The files of the volume folder `volumePath`, as streams, for the caller to save. */
  download(volumePath: string, opts?: VolumeDownloadOpts & { to?: undefined }): VolumeDownload
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
