//! The OCI runtime configuration (`config.json`) of one sandbox: namespaces, a user namespace mapping
//! the sandbox's ids to an unprivileged host range, capabilities, seccomp, masked `/proc` paths and
//! cgroup limits. Pure: the bundle's files are written by `container.rs`.

use oci_spec::runtime::{
    Capability, LinuxBuilder, LinuxCpuBuilder, LinuxIdMappingBuilder, LinuxMemoryBuilder, LinuxNamespaceBuilder,
    LinuxNamespaceType, LinuxPidsBuilder, LinuxResourcesBuilder, MountBuilder, ProcessBuilder, RootBuilder, Spec,
    SpecBuilder, UserBuilder,
};

use super::seccomp;

/// How many ids a sandbox's user namespace maps (uid and gid 0..65535 inside).
pub const ID_RANGE: u32 = 65536;

/// Limits of one sandbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Memory, including the sandbox's own files (they live in memory).
    pub memory_bytes: u64,
    /// Processes and threads.
    pub pids: i64,
    /// CPUs, as a CFS quota.
    pub cpus: u32,
    /// Size of `/tmp` (mounted with the root filesystem).
    pub tmp_bytes: u64,
    /// Size of `/dev/shm`.
    pub shm_bytes: u64,
}

/// What a sandbox's configuration depends on.
#[derive(Debug, Clone)]
pub struct Config<'a> {
    /// First host id of the sandbox's range: sandbox uid `n` is host uid `host_id + n`.
    pub host_id: u32,
    pub limits: Limits,
    /// Path of the sandbox's cgroup under each hierarchy.
    pub cgroup: &'a str,
    /// The root filesystem, relative to the bundle.
    pub root: &'a str,
    /// The first process: envd, by its path inside the sandbox.
    pub args: Vec<String>,
}

/// Capabilities of root inside a sandbox: a hardened container runtime's default set.
const CAPABILITIES: [Capability; 14] = [
    Capability::Chown,
    Capability::DacOverride,
    Capability::Fsetid,
    Capability::Fowner,
    Capability::Mknod,
    Capability::NetRaw,
    Capability::Setgid,
    Capability::Setuid,
    Capability::Setfcap,
    Capability::Setpcap,
    Capability::NetBindService,
    Capability::SysChroot,
    Capability::Kill,
    Capability::AuditWrite,
];

/// `/proc` and `/sys` files hidden from sandboxes (they leak or change host state).
const MASKED: &[&str] = &[
    "/proc/acpi",
    "/proc/asound",
    "/proc/interrupts",
    "/proc/kcore",
    "/proc/keys",
    "/proc/latency_stats",
    "/proc/sched_debug",
    "/proc/scsi",
    "/proc/timer_list",
    "/proc/timer_stats",
    "/sys/devices/virtual/powercap",
    "/sys/firmware",
];

/// `/proc` files sandboxes may read but never write.
const READ_ONLY: &[&str] = &["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"];

fn mount(destination: &str, kind: &str, options: &[String]) -> oci_spec::runtime::Mount {
    MountBuilder::default()
        .destination(destination)
        .typ(kind)
        .source(kind)
        .options(options.to_vec())
        .build()
        .expect("a complete mount")
}

fn opts(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

fn tmpfs(destination: &str, mode: &str, bytes: u64, extra: &[&str]) -> oci_spec::runtime::Mount {
    let mut o = opts(extra);
    o.push(format!("mode={mode}"));
    o.push(format!("size={bytes}"));
    mount(destination, "tmpfs", &o)
}

/// The runtime configuration of a sandbox.
pub fn spec(c: &Config<'_>) -> Spec {
    let caps: oci_spec::runtime::Capabilities = CAPABILITIES.into_iter().collect();
    let process = ProcessBuilder::default()
        .terminal(false)
        .user(UserBuilder::default().uid(0u32).gid(0u32).build().expect("user"))
        .args(c.args.clone())
        // envd's environment is empty: what commands see is set per command.
        .env(Vec::<String>::new())
        .cwd("/")
        .capabilities(
            oci_spec::runtime::LinuxCapabilitiesBuilder::default()
                .bounding(caps.clone())
                .effective(caps.clone())
                .permitted(caps)
                // Nothing survives an exec on its own: commands get capabilities only as root.
                .inheritable(oci_spec::runtime::Capabilities::new())
                .ambient(oci_spec::runtime::Capabilities::new())
                .build()
                .expect("capabilities"),
        )
        .no_new_privileges(true)
        .build()
        .expect("a complete process");

    let mounts = vec![
        mount("/proc", "proc", &opts(&["nosuid", "noexec", "nodev"])),
        tmpfs("/dev", "755", 4 << 20, &["nosuid", "strictatime"]),
        mount("/dev/pts", "devpts", &opts(&["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"])),
        tmpfs("/dev/shm", "1777", c.limits.shm_bytes, &["nosuid", "noexec", "nodev"]),
        mount("/dev/mqueue", "mqueue", &opts(&["nosuid", "noexec", "nodev"])),
        mount("/sys", "sysfs", &opts(&["nosuid", "noexec", "nodev", "ro"])),
    ];

    let ids = |kind: &str| {
        let _ = kind;
        vec![LinuxIdMappingBuilder::default()
            .container_id(0u32)
            .host_id(c.host_id)
            .size(ID_RANGE)
            .build()
            .expect("id mapping")]
    };
    let namespaces = [
        LinuxNamespaceType::Pid,
        LinuxNamespaceType::Network,
        LinuxNamespaceType::Ipc,
        LinuxNamespaceType::Uts,
        LinuxNamespaceType::Mount,
        LinuxNamespaceType::User,
        LinuxNamespaceType::Cgroup,
    ]
    .into_iter()
    .map(|t| LinuxNamespaceBuilder::default().typ(t).build().expect("namespace"))
    .collect::<Vec<_>>();
    let period = 100_000u64;
    let resources = LinuxResourcesBuilder::default()
        .memory(LinuxMemoryBuilder::default().limit(c.limits.memory_bytes as i64).build().expect("memory"))
        .pids(LinuxPidsBuilder::default().limit(c.limits.pids).build().expect("pids"))
        .cpu(
            LinuxCpuBuilder::default()
                .period(period)
                .quota(period as i64 * i64::from(c.limits.cpus))
                .build()
                .expect("cpu"),
        )
        .build()
        .expect("resources");
    let linux = LinuxBuilder::default()
        .uid_mappings(ids("uid"))
        .gid_mappings(ids("gid"))
        .namespaces(namespaces)
        .cgroups_path(c.cgroup)
        .resources(resources)
        .masked_paths(MASKED.iter().map(|s| s.to_string()).collect::<Vec<_>>())
        .readonly_paths(READ_ONLY.iter().map(|s| s.to_string()).collect::<Vec<_>>())
        .seccomp(seccomp::profile())
        .build()
        .expect("a complete linux section");

    SpecBuilder::default()
        .version("1.0.2")
        .root(RootBuilder::default().path(c.root).readonly(false).build().expect("root"))
        .hostname("e2b")
        .process(process)
        .mounts(mounts)
        .linux(linux)
        .build()
        .expect("a complete spec")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> Config<'static> {
        Config {
            host_id: 200_000,
            limits: Limits { memory_bytes: 512 << 20, pids: 512, cpus: 2, tmp_bytes: 256 << 20, shm_bytes: 64 << 20 },
            cgroup: "/e2b-local/abc",
            root: "disk/root",
            args: vec!["/run/e2b/envd".into()],
        }
    }

    #[test]
    fn sandbox_root_is_an_unprivileged_host_range() {
        let json = serde_json::to_value(spec(&config())).unwrap();
        for key in ["uidMappings", "gidMappings"] {
            assert_eq!(json["linux"][key], serde_json::json!([{"containerID": 0, "hostID": 200000, "size": 65536}]));
        }
        let ns: Vec<_> = json["linux"]["namespaces"].as_array().unwrap().iter().map(|n| n["type"].clone()).collect();
        for t in ["pid", "network", "ipc", "uts", "mount", "user", "cgroup"] {
            assert!(ns.contains(&serde_json::json!(t)), "{t} namespace");
        }
        assert_eq!(json["process"]["noNewPrivileges"], true);
        assert_eq!(json["process"]["env"], serde_json::json!([]));
    }

    #[test]
    fn limits_reach_the_cgroup_and_every_tmpfs() {
        let json = serde_json::to_value(spec(&config())).unwrap();
        let r = &json["linux"]["resources"];
        assert_eq!(r["memory"]["limit"], 512 << 20);
        assert_eq!(r["pids"]["limit"], 512);
        assert_eq!(r["cpu"]["quota"], 200_000);
        for m in json["mounts"].as_array().unwrap() {
            if m["type"] == "tmpfs" {
                assert!(
                    m["options"].as_array().unwrap().iter().any(|o| o.as_str().unwrap().starts_with("size=")),
                    "{m}"
                );
            }
        }
    }

    #[test]
    fn host_state_in_proc_is_masked_or_read_only() {
        let json = serde_json::to_value(spec(&config())).unwrap();
        let has = |key: &str, path: &str| json["linux"][key].as_array().unwrap().iter().any(|p| p == path);
        assert!(has("readonlyPaths", "/proc/sys"));
        assert!(has("readonlyPaths", "/proc/sysrq-trigger"));
        assert!(has("maskedPaths", "/proc/kcore"));
        let caps = json["process"]["capabilities"]["bounding"].as_array().unwrap();
        assert!(!caps.iter().any(|c| c == "CAP_SYS_ADMIN" || c == "CAP_NET_ADMIN" || c == "CAP_SYS_PTRACE"));
    }
}
