//! TypeScript declarations of the `Sandbox` class: options and results of its calls (the lifecycle,
//! network and snapshot ones too), the overloads of `Sandbox.create`, and the statics, declared as
//! a namespace merged with the class so that subclasses get their own type from `create`,
//! `connect` and `fork`.

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
  /** @deprecated Every sandbox is secured; accepted and ignored. */
  secure?: boolean
  /** Allow the sandbox to reach the internet (`false` is `network.denyOut: ['0.0.0.0/0']`). */
  allowInternetAccess?: boolean
  /** Volumes to mount, by mount path: a `Volume`, anything with a volume `name`, or a volume name. */
  volumeMounts?: Record<string, { readonly name: string } | string>
  /** MCP servers to run in the sandbox's gateway (the template defaults to `mcp-gateway`). */
  mcp?: McpServer
  /** Egress rules and the settings of the sandbox's public URLs. */
  network?: SandboxNetworkOpts
  /** Workload identity: named tokens that network transforms can inject. */
  iam?: SandboxIamOpts
  /** What happens at the timeout. */
  lifecycle?: SandboxLifecycle
}

/** MCP servers by name, each with its settings. */
export type McpServer = Record<string, unknown>

/** A workload token of `iam.tokens`. */
export interface SandboxIamToken {
  /** Audience of the token, as given. */
  audience: string
  /** Token type, such as `'JWT-SVID'`. */
  tokenType: string
}

/** Workload identity of a sandbox. */
export interface SandboxIamOpts {
  /** Tokens by name (no `{`, `}` or control characters in names). */
  tokens?: Record<string, SandboxIamToken>
}

/** What a selector callback is given. */
export type SandboxNetworkSelectorContext = {
  /** Every IPv4 address: `'0.0.0.0/0'`. */
  allTraffic: string
  /** The hosts of `rules`. */
  rules: Map<string, SandboxNetworkRule[]>
}

/** Destinations (CIDR blocks, IP addresses or host names), or a callback that returns them. */
export type SandboxNetworkSelector = string[] | ((ctx: SandboxNetworkSelectorContext) => string[])

/** Changes made to matching egress requests. */
export type SandboxNetworkTransform = {
  /** Headers set on the request. */
  headers?: Record<string, string>
}

/** What a transform callback is given: placeholders of the `iam` tokens. */
export type SandboxNetworkTransformContext = { iam: { tokens: Record<string, string> } }

/** One rule for requests to a host. */
export type SandboxNetworkRule = {
  /** A transform, or a callback that makes one. */
  transform?: SandboxNetworkTransform | ((ctx: SandboxNetworkTransformContext) => SandboxNetworkTransform)
}

/** Rules by host. */
export type SandboxNetworkRules = Record<string, SandboxNetworkRule[]> | Map<string, SandboxNetworkRule[]>

/** A SOCKS5 proxy for the sandbox's egress. */
export type SandboxEgressProxyOpts = {
  /** `host:port`. */
  address: string
  /** SOCKS5 user name. */
  username?: string
  /** SOCKS5 password (with `username`). */
  password?: string
}

/** The `network` option of `Sandbox.create`. */
export type SandboxNetworkOpts = {
  /** Destinations always allowed (they win over `denyOut`). */
  allowOut?: SandboxNetworkSelector
  /** Destinations denied. */
  denyOut?: SandboxNetworkSelector
  /** Transforms of egress requests, by host. */
  rules?: SandboxNetworkRules
  /** A SOCKS5 proxy for egress. */
  egressProxy?: SandboxEgressProxyOpts
  /** Whether the sandbox's URLs are public (default true). */
  allowPublicTraffic?: boolean
  /** Host sent with requests to the sandbox (`${PORT}` is replaced). */
  maskRequestHost?: string
  /** Ports whose public URLs reach the sandbox over HTTPS. */
  httpsPorts?: number[]
}

/** The argument of `updateNetwork`: every egress field is replaced (an absent one is cleared). */
export type SandboxNetworkUpdate = {
  /** Destinations always allowed. */
  allowOut?: SandboxNetworkSelector
  /** Destinations denied. */
  denyOut?: SandboxNetworkSelector
  /** Transforms of egress requests, by host. */
  rules?: SandboxNetworkRules
  /** A SOCKS5 proxy for egress. */
  egressProxy?: SandboxEgressProxyOpts
  /** `false` denies all egress but `allowOut`. */
  allowInternetAccess?: boolean
}

/** A sandbox's network settings, as `getInfo` shows them. */
export type SandboxNetworkInfo = {
  allowOut?: string[]
  denyOut?: string[]
  rules?: Record<string, { transform?: SandboxNetworkTransform }[]>
  /** The proxy (its password is never shown). */
  egressProxy?: { address: string; username?: string }
  allowPublicTraffic?: boolean
  maskRequestHost?: string
  httpsPorts?: number[]
}

/** What happens at the timeout: the action, or `pause` with whether the memory is kept. */
export type SandboxOnTimeout = 'pause' | 'kill' | { action: 'pause'; keepMemory?: boolean } | { action: 'kill' }

/** The `lifecycle` option of `Sandbox.create`. */
export type SandboxLifecycle = {
  /** Pause or kill at the timeout. */
  onTimeout: SandboxOnTimeout
  /** Resume on traffic when paused (only with `pause` keeping the memory). */
  autoResume?: boolean
}

/** A sandbox's lifecycle, as `getInfo` shows it. */
export type SandboxInfoLifecycle = {
  /** What happens at the timeout. */
  onTimeout: 'pause' | 'kill'
  /** Whether traffic resumes it. */
  autoResume: boolean
}

/** How a paused sandbox comes back: with its memory, or started afresh from its files. */
export type SandboxOnResume = 'restore' | 'reboot'

/** Options of `Sandbox.connect`. */
export type SandboxConnectOpts = ConnectionOpts & {
  /** New lifetime in milliseconds from now (it only grows; default 300 000). */
  timeoutMs?: number
  /** How a paused sandbox comes back (default `'restore'`). */
  onResume?: SandboxOnResume
}

/** Options of `pause`. */
export interface SandboxPauseOpts extends SandboxApiOpts {
  /** Keep the memory (default), or only the files. */
  keepMemory?: boolean
}

/** Options of `fork`. */
export interface SandboxForkOpts extends ConnectionOpts {
  /** How many forks (default 1). */
  count?: number
  /** Lifetime of each fork in milliseconds. */
  timeoutMs?: number
}

/** Options of `createSnapshot`. */
export interface CreateSnapshotOpts extends SandboxApiOpts {
  /** Name of the snapshot (one of that name is replaced). */
  name?: string
}

/** Options of `listSnapshots`. */
export interface SnapshotListOpts extends Omit<SandboxApiOpts, 'signal'> {
  /** Snapshots of this sandbox only. */
  sandboxId?: string
  /** The snapshot of this name or ID only. */
  name?: string
  /** Page size (default 100). */
  limit?: number
  /** Cursor of the page to start at. */
  nextToken?: string
}

/** A snapshot: create sandboxes from it with `Sandbox.create(snapshotId)`. */
export interface SnapshotInfo {
  /** Its ID with its tag. */
  snapshotId: string
  /** Its full names with their tags. */
  names: string[]
}

/** Options of `getMetrics`. */
export interface SandboxMetricsOpts extends SandboxApiOpts {
  /** Start of the interval (default: the sandbox's start). */
  start?: Date
  /** End of the interval (default: now). */
  end?: Date
}

/** One sample of a sandbox's resource use. */
export interface SandboxMetrics {
  /** When it was taken. */
  timestamp: Date
  /** CPU use in percent. */
  cpuUsedPct: number
  /** CPUs. */
  cpuCount: number
  /** Memory used, in bytes. */
  memUsed: number
  /** Memory available, in bytes. */
  memTotal: number
  /** Page cache, in bytes. */
  memCache: number
  /** Disk used, in bytes. */
  diskUsed: number
  /** Disk available, in bytes. */
  diskTotal: number
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
  /** The MCP gateway's token, when it was made with the sandbox. */
  mcpToken?: string
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
  /** Network settings (from `getInfo`). */
  network?: SandboxNetworkInfo
  /** What happens at the timeout (from `getInfo`). */
  lifecycle?: SandboxInfoLifecycle
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
  /** Connects again (resuming the sandbox if paused, extending its lifetime); resolves to this sandbox. */
  connect(opts?: SandboxConnectOpts): Promise<this>
  /** Forks the sandbox: a sandbox of this class, or the error of that fork, for each fork. */
  fork(opts?: SandboxForkOpts): Promise<Array<this | Error>>
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
  /** The same as `getInfo`. */
  function getFullInfo(sandboxId: string, opts?: SandboxApiOpts): Promise<SandboxInfo>
  /** Pauses a sandbox; `false` if it was paused already. */
  function pause(sandboxId: string, opts?: SandboxPauseOpts): Promise<boolean>
  /** @deprecated The same as `pause`. */
  function betaPause(sandboxId: string, opts?: SandboxPauseOpts): Promise<boolean>
  /** Takes a snapshot of a sandbox's files. */
  function createSnapshot(sandboxId: string, opts?: CreateSnapshotOpts): Promise<SnapshotInfo>
  /** Pages through snapshots. */
  function listSnapshots(opts?: SnapshotListOpts): SnapshotPaginator
  /** Deletes a snapshot; `false` if there was none. */
  function deleteSnapshot(snapshotId: string, opts?: SandboxApiOpts): Promise<boolean>
  /** Forks a sandbox: a sandbox of this class, or the error of that fork, for each fork. */
  function fork<S extends typeof Sandbox>(this: S, sandboxId: string, opts?: SandboxForkOpts): Promise<Array<InstanceType<S> | Error>>
  /** A sandbox's CPU, memory and disk use over time. */
  function getMetrics(sandboxId: string, opts?: SandboxMetricsOpts): Promise<SandboxMetrics[]>
  /** Replaces a sandbox's egress rules. */
  function updateNetwork(sandboxId: string, network: SandboxNetworkUpdate, opts?: SandboxApiOpts): Promise<void>
}
"#;
