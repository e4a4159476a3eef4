/// <reference lib="esnext.disposable" />
// e2b-wasm's typings: those wasm-bindgen generates from the crate (dist/types/glue), and those of
// the error classes (dist/types/errors). This entry only re-exports them; classes users never
// construct are exported as types.

export { Volume, Sandbox } from './dist/types/glue.js'
export type {
  Filesystem,
  Commands,
  CommandHandle,
  SandboxPaginator,
  Logger,
  ConnectionOpts,
  Username,
  VolumeApiOpts,
  VolumeMetadataOpts,
  VolumeMetadataOptions,
  VolumeWriteOpts,
  VolumeWriteOptions,
  VolumeReadOpts,
  VolumeListOpts,
  VolumeInfo,
  VolumeAndToken,
  VolumeEntryStat,
  VolumeWriteData,
  SandboxApiOpts,
  SandboxOpts,
  SandboxConnectOpts,
  SandboxConnection,
  SandboxVolumeMount,
  SandboxState,
  SandboxInfo,
  SandboxListOrder,
  SandboxListOpts,
  FilesystemRequestOpts,
  FilesystemReadOpts,
  FilesystemWriteOpts,
  FilesystemListOpts,
  WriteInfo,
  EntryInfo,
  WriteEntry,
  CommandRequestOpts,
  CommandStartOpts,
  CommandResult,
  ProcessInfo,
  Stdout,
  Stderr,
} from './dist/types/glue.js'
export * from './dist/types/errors.js'

import { Sandbox } from './dist/types/glue.js'
export default Sandbox
