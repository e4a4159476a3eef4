// Declarations of errors.js: the SDK's error classes and its two entry-type enums.

/** Base class of sandbox and API errors. */
export declare class SandboxError extends Error {
  constructor(message?: string, stackTrace?: string)
  /** HTTP status of the response that caused the error, when there was one. */
  statusCode?: number
}
/** A request or operation took longer than its timeout. */
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
/** The template is unusable (for example too old). */
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
/** Base class of volume errors. */
export declare class VolumeError extends Error {
  constructor(message?: string)
}
/** A volume was not found. */
export declare class VolumeNotFoundError extends VolumeError {}
/** A path inside a volume was not found. */
export declare class VolumePathNotFoundError extends VolumeError {}

/** What a finished command produced. */
interface CommandOutcome {
  exitCode: number
  error?: string
  stdout: string
  stderr: string
}

/** A command finished with a non-zero exit code; carries its result. */
export declare class CommandExitError extends SandboxError implements CommandOutcome {
  constructor(result: CommandOutcome)
  /** The command's result. */
  readonly result: CommandOutcome
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

/** Type of a filesystem event seen by `files.watchDir`. */
export declare const FilesystemEventType: {
  /** Permissions changed. */
  readonly CHMOD: 'chmod'
  /** Created. */
  readonly CREATE: 'create'
  /** Removed. */
  readonly REMOVE: 'remove'
  /** Renamed. */
  readonly RENAME: 'rename'
  /** Written. */
  readonly WRITE: 'write'
}
/** Type of a filesystem event seen by `files.watchDir`. */
export type FilesystemEventType = (typeof FilesystemEventType)[keyof typeof FilesystemEventType]

/** Every IPv4 address, for `network.allowOut`/`denyOut`. */
export declare const ALL_TRAFFIC = '0.0.0.0/0'

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
