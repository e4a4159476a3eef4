// The SDK's error classes and enums. They are JavaScript because subclasses of `Error`
// (with working `instanceof`, `name` and stack traces) can only be declared in JavaScript.
// Kept to declarations: every decision about which error to raise is made in Rust.

/** Base class of sandbox and API errors. */
class SandboxError extends Error {
  /** @param {string} [message] @param {string} [stackTrace] */
  constructor(message, stackTrace) {
    super(message)
    this.name = 'SandboxError'
    /** HTTP status of the response that caused the error, when there was one. @type {number | undefined} */
    this.statusCode = undefined
    if (stackTrace) this.stack = stackTrace
  }
}
/** A request or operation took longer than its timeout. */
class TimeoutError extends SandboxError {
  /** @param {string} [message] @param {string} [stackTrace] */
  constructor(message, stackTrace) { super(message, stackTrace); this.name = 'TimeoutError' }
}
/** An argument was invalid. */
class InvalidArgumentError extends SandboxError {
  /** @param {string} [message] @param {string} [stackTrace] */
  constructor(message, stackTrace) { super(message, stackTrace); this.name = 'InvalidArgumentError' }
}
/** Not enough disk space. */
class NotEnoughSpaceError extends SandboxError {
  /** @param {string} [message] @param {string} [stackTrace] */
  constructor(message, stackTrace) { super(message, stackTrace); this.name = 'NotEnoughSpaceError' }
}
/** Something was not found (deprecated base of the specific not-found errors). */
class NotFoundError extends SandboxError {
  /** @param {string} [message] @param {string} [stackTrace] */
  constructor(message, stackTrace) { super(message, stackTrace); this.name = 'NotFoundError' }
}
/** A file or directory in a sandbox was not found. */
class FileNotFoundError extends NotFoundError {
  /** @param {string} [message] @param {string} [stackTrace] */
  constructor(message, stackTrace) { super(message, stackTrace); this.name = 'FileNotFoundError' }
}
/** A sandbox was not found. */
class SandboxNotFoundError extends NotFoundError {
  /** @param {string} [message] @param {string} [stackTrace] */
  constructor(message, stackTrace) { super(message, stackTrace); this.name = 'SandboxNotFoundError' }
}
/** The template is unusable (for example too old). */
class TemplateError extends SandboxError {
  /** @param {string} [message] @param {string} [stackTrace] */
  constructor(message, stackTrace) { super(message, stackTrace); this.name = 'TemplateError' }
}
/** The API rate limit was hit. */
class RateLimitError extends SandboxError {
  /** @param {string} [message] @param {string} [stackTrace] */
  constructor(message, stackTrace) { super(message, stackTrace); this.name = 'RateLimitError' }
}
/** Missing or rejected credentials. */
class AuthenticationError extends Error {
  /** @param {string} [message] */
  constructor(message) { super(message); this.name = 'AuthenticationError' }
}
/** The service is temporarily unavailable. */
class ServiceBusyError extends Error {
  /** @param {string} [message] */
  constructor(message) { super(message); this.name = 'ServiceBusyError' }
}
/** Base class of volume errors. */
class VolumeError extends Error {
  /** @param {string} [message] */
  constructor(message) { super(message); this.name = 'VolumeError' }
}
/** A volume was not found. */
class VolumeNotFoundError extends VolumeError {
  /** @param {string} [message] */
  constructor(message) { super(message); this.name = 'VolumeNotFoundError' }
}
/** A path inside a volume was not found. */
class VolumePathNotFoundError extends VolumeError {
  /** @param {string} [message] */
  constructor(message) { super(message); this.name = 'VolumePathNotFoundError' }
}

/** A command finished with a non-zero exit code; carries its result. */
class CommandExitError extends SandboxError {
  /** @param {{ exitCode: number, error?: string, stdout: string, stderr: string }} result */
  constructor(result) {
    super(result.error)
    this.name = 'CommandExitError'
    this.result = result
  }
  /** Exit code of the command. */
  get exitCode() { return this.result.exitCode }
  /** Error message of the command, if any. */
  get error() { return this.result.error }
  /** Everything the command wrote to stdout. */
  get stdout() { return this.result.stdout }
  /** Everything the command wrote to stderr. */
  get stderr() { return this.result.stderr }
}

/** Type of a filesystem entry in a sandbox. */
const FileType = Object.freeze({ FILE: 'file', DIR: 'dir', SYMLINK: 'symlink' })

/** Type of a volume entry. */
const VolumeFileType = Object.freeze({
  UNKNOWN: 'unknown',
  FILE: 'file',
  DIRECTORY: 'directory',
  SYMLINK: 'symlink',
})

/** Type of a filesystem event seen by `files.watchDir`. */
const FilesystemEventType = Object.freeze({
  CHMOD: 'chmod',
  CREATE: 'create',
  REMOVE: 'remove',
  RENAME: 'rename',
  WRITE: 'write',
})

/** Every IPv4 address, for `network.allowOut`/`denyOut`. */
const ALL_TRAFFIC = '0.0.0.0/0'

export {
  SandboxError,
  TimeoutError,
  InvalidArgumentError,
  NotEnoughSpaceError,
  NotFoundError,
  FileNotFoundError,
  SandboxNotFoundError,
  TemplateError,
  RateLimitError,
  AuthenticationError,
  ServiceBusyError,
  VolumeError,
  VolumeNotFoundError,
  VolumePathNotFoundError,
  VolumeFileType,
  CommandExitError,
  FileType,
  FilesystemEventType,
  ALL_TRAFFIC,
}
