//! Checking the volume mounts of a new sandbox, with E2B's rules and messages.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use e2b_wire::sandboxes::SandboxVolumeMount;

use super::runtime::{SYSTEM_DIRS, SYSTEM_LINKS};

/// Where the sandbox keeps what it runs on (envd, its own `/etc` files): no volume goes there.
const PRIVATE: &[&str] = &["/proc/", "/dev/", "/sys/", "/run/e2b/"];

/// Paths a volume cannot be mounted at: they would hide what the sandbox itself needs.
const RESERVED: &[&str] = &[
    "/",
    "/proc",
    "/dev",
    "/sys",
    "/run",
    "/etc",
    "/usr",
    "/bin",
    "/sbin",
    "/lib",
    "/lib64",
    "/tmp",
    "/home",
    "/home/user",
    "/root",
];

/// Checks `mounts`, finding each volume's host directory with `volume_dir` (by volume name).
/// Every problem is reported, in order, in one message.
pub fn check(
    mounts: &[SandboxVolumeMount],
    volume_dir: impl Fn(&str) -> Option<PathBuf>,
) -> Result<Vec<(SandboxVolumeMount, PathBuf)>, String> {
    let mut problems = Vec::new();
    let mut resolved = Vec::new();
    let mut used = HashSet::new();
    for (i, m) in mounts.iter().enumerate() {
        let dir = volume_dir(&m.name);
        match problem(m, dir.is_some(), &mut used) {
            Some(reason) => problems.push(format!("\t- volume mount #{i}: {reason}")),
            None => resolved.extend(dir.map(|d| (m.clone(), d))),
        }
    }
    if problems.is_empty() {
        Ok(resolved)
    } else {
        Err(format!("invalid mounts:\n{}", problems.join("\n")))
    }
}

/// The first rule `m` breaks, if any; `used` collects the paths seen so far.
fn problem(m: &SandboxVolumeMount, volume_exists: bool, used: &mut HashSet<String>) -> Option<String> {
    let path = m.path.as_str();
    if !volume_exists {
        Some(format!("volume '{}' not found", m.name))
    } else if path.is_empty() {
        Some("path cannot be empty".to_string())
    } else if path.contains('\0') || path.len() > 4096 {
        Some("path must be at most 4096 bytes, without NUL bytes".to_string())
    } else if !path.starts_with('/') {
        Some("path must be absolute".to_string())
    } else if path_clean::clean(path).to_string_lossy() != path {
        Some("path must not contain any '.' or '..' components".to_string())
    } else if !used.insert(path.to_string()) {
        Some(format!("path '{path}' is already used"))
    } else if RESERVED.contains(&path) || PRIVATE.iter().any(|p| path.starts_with(p)) {
        Some(format!("path '{path}' is reserved by the sandbox and cannot be a mount point"))
    } else if SYSTEM_DIRS.iter().chain(SYSTEM_LINKS).any(|d| Path::new(path).starts_with(d)) {
        Some(format!("path '{path}' is inside the sandbox's read-only system directories"))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(name: &str, path: &str) -> SandboxVolumeMount {
        SandboxVolumeMount { name: name.into(), path: path.into() }
    }

    /// Only the volume `vol` exists.
    fn dirs(name: &str) -> Option<PathBuf> {
        (name == "vol").then(|| PathBuf::from("/data/volumes/id-1"))
    }

    fn reason(path: &str) -> String {
        let err = check(&[m("vol", path)], dirs).unwrap_err();
        err.strip_prefix("invalid mounts:\n\t- volume mount #0: ").unwrap().to_string()
    }

    #[test]
    fn good_mounts_resolve_to_their_volume_directories() {
        let ok =
            check(&[m("vol", "/mnt/data"), m("vol", "/home/user/v"), m("vol", "/tmp/x"), m("vol", "/var/data")], dirs)
                .unwrap();
        assert_eq!(ok.len(), 4);
        assert_eq!(ok[0], (m("vol", "/mnt/data"), PathBuf::from("/data/volumes/id-1")));
        assert_eq!(check(&[], dirs).unwrap(), vec![]);
    }

    #[test]
    fn each_rule_has_its_message() {
        assert_eq!(
            check(&[m("nope", "/a")], dirs).unwrap_err(),
            "invalid mounts:\n\t- volume mount #0: volume 'nope' not found"
        );
        assert_eq!(reason(""), "path cannot be empty");
        assert_eq!(reason("rel/x"), "path must be absolute");
        for unclean in ["/b/", "/a/../b", "/a/./b", "//a"] {
            assert_eq!(reason(unclean), "path must not contain any '.' or '..' components", "{unclean}");
        }
        let reserved = [
            "/",
            "/proc",
            "/dev",
            "/tmp",
            "/home",
            "/home/user",
            "/proc/x",
            "/dev/shm",
            "/sys/fs",
            "/run/e2b/x",
            "/root",
        ];
        for reserved in reserved {
            assert_eq!(
                reason(reserved),
                format!("path '{reserved}' is reserved by the sandbox and cannot be a mount point")
            );
        }
        for system in ["/usr/local/data", "/etc/x", "/opt/x", "/lib32/x", "/libx32"] {
            assert_eq!(reason(system), format!("path '{system}' is inside the sandbox's read-only system directories"));
        }
        assert_eq!(reason("/a\0b"), "path must be at most 4096 bytes, without NUL bytes");
        let dup = check(&[m("vol", "/c"), m("vol", "/c")], dirs).unwrap_err();
        assert_eq!(dup, "invalid mounts:\n\t- volume mount #1: path '/c' is already used");
    }

    #[test]
    fn every_problem_is_reported_at_once_in_order() {
        let mounts = [m("missing", "/a"), m("vol", "/ok"), m("vol", ""), m("vol", "/ok"), m("vol", "/usr/x")];
        assert_eq!(
            check(&mounts, dirs).unwrap_err(),
            "invalid mounts:\n\t- volume mount #0: volume 'missing' not found\n\t- volume mount #2: path cannot be empty\n\t- volume mount #3: path '/ok' is already used\n\t- volume mount #4: path '/usr/x' is inside the sandbox's read-only system directories"
        );
    }
}
