//! TypeScript declarations of the `Sandbox` class: options and results of its calls, the overloads
//! of `Sandbox.create`, and the statics, declared as a namespace merged with the class so that subclasses get their own type
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
