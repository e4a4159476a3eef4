//! A container's resource use: CPU time and memory from its cgroup (cgroup v1 controllers, else
//! the v2 unified hierarchy), and its own files from its root filesystem's size.

use std::path::{Path, PathBuf};

/// Resource use at one moment.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Usage {
    /// CPU time used since the container started, in nanoseconds.
    pub cpu_ns: u64,
    /// Memory in use (without reclaimable file pages), in bytes.
    pub mem_used: u64,
    /// Page cache, in bytes.
    pub mem_cache: u64,
    /// Bytes of its own files.
    pub disk_used: u64,
    /// Room for its own files, in bytes.
    pub disk_total: u64,
}

/// Where the cgroup hierarchies are mounted.
#[derive(Debug, Clone, Default)]
pub struct Cgroups {
    cpuacct: Option<PathBuf>,
    memory: Option<PathBuf>,
    unified: Option<PathBuf>,
}

impl Cgroups {
    /// The hierarchies this process sees, from its mount table.
    pub fn find() -> Self {
        let table = std::fs::read_to_string("/proc/self/mountinfo").unwrap_or_default();
        Self::parse(&table)
    }

    fn parse(mountinfo: &str) -> Self {
        let mut found = Self::default();
        for line in mountinfo.lines() {
            let Some((left, right)) = line.split_once(" - ") else { continue };
            let mount_point = left.split(' ').nth(4).map(PathBuf::from);
            let mut right = right.split(' ');
            let (kind, options) = (right.next().unwrap_or(""), right.nth(1).unwrap_or(""));
            match kind {
                "cgroup2" if found.unified.is_none() => found.unified = mount_point,
                "cgroup" => {
                    for option in options.split(',') {
                        match option {
                            "cpuacct" if found.cpuacct.is_none() => found.cpuacct = mount_point.clone(),
                            "memory" if found.memory.is_none() => found.memory = mount_point.clone(),
                            _ => {}
                        }
                    }
                }
                _ => {}
            }
        }
        found
    }

    /// The use of the cgroup at `path` (as the runtime names it, from the hierarchies' roots), with
    /// the files of the filesystem at `disk`.
    pub fn read(&self, path: &str, disk: &Path) -> std::io::Result<Usage> {
        let rel = path.trim_start_matches('/');
        let (cpu_ns, mem_used, mem_cache) = match (&self.cpuacct, &self.memory) {
            (Some(cpu), Some(mem)) => {
                let cpu_ns = number(&std::fs::read_to_string(cpu.join(rel).join("cpuacct.usage"))?);
                let (mem, stat) = (mem.join(rel), std::fs::read_to_string(mem.join(rel).join("memory.stat"))?);
                let usage = number(&std::fs::read_to_string(mem.join("memory.usage_in_bytes"))?);
                let stat_of = |a: &str, b: &str| field(&stat, a).or_else(|| field(&stat, b)).unwrap_or(0);
                let inactive = stat_of("total_inactive_file", "inactive_file");
                (cpu_ns, usage.saturating_sub(inactive), stat_of("total_cache", "cache"))
            }
            _ => {
                let root = self.unified.as_ref().ok_or_else(|| std::io::Error::other("no cgroup hierarchy found"))?;
                let dir = root.join(rel);
                let cpu = std::fs::read_to_string(dir.join("cpu.stat"))?;
                let stat = std::fs::read_to_string(dir.join("memory.stat"))?;
                let current = number(&std::fs::read_to_string(dir.join("memory.current"))?);
                let inactive = field(&stat, "inactive_file").unwrap_or(0);
                let cache = field(&stat, "file").unwrap_or(0);
                (field(&cpu, "usage_usec").unwrap_or(0) * 1000, current.saturating_sub(inactive), cache)
            }
        };
        let fs = rustix::fs::statvfs(disk)?;
        let block = fs.f_frsize;
        Ok(Usage {
            cpu_ns,
            mem_used,
            mem_cache,
            disk_used: (fs.f_blocks - fs.f_bfree) * block,
            disk_total: fs.f_blocks * block,
        })
    }
}

fn number(text: &str) -> u64 {
    text.trim().parse().unwrap_or(0)
}

/// The value of `name` in a `name value` per line file.
fn field(text: &str, name: &str) -> Option<u64> {
    text.lines().find_map(|l| l.strip_prefix(name)?.strip_prefix(' ')?.trim().parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_cgroup_layouts_are_found() {
        let hybrid = "32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw - cgroup cgroup rw,cpu,cpuacct\n\
                      35 31 0:32 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n\
                      41 31 0:38 / /sys/fs/cgroup/unified rw - cgroup2 cgroup2 rw\n";
        let c = Cgroups::parse(hybrid);
        assert_eq!(c.cpuacct.as_deref(), Some(Path::new("/sys/fs/cgroup/cpu,cpuacct")));
        assert_eq!(c.memory.as_deref(), Some(Path::new("/sys/fs/cgroup/memory")));
        assert_eq!(c.unified.as_deref(), Some(Path::new("/sys/fs/cgroup/unified")));
        let v2 = Cgroups::parse("30 1 0:26 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw,nsdelegate\n");
        assert!(v2.cpuacct.is_none() && v2.memory.is_none());
        assert_eq!(v2.unified.as_deref(), Some(Path::new("/sys/fs/cgroup")));
    }

    #[test]
    fn stat_files_are_read_by_field() {
        let stat = "cache 10\ntotal_cache 30\ninactive_file 4\ntotal_inactive_file 7\n";
        assert_eq!(field(stat, "cache"), Some(10));
        assert_eq!(field(stat, "total_cache"), Some(30));
        assert_eq!(field(stat, "file"), None);
        assert_eq!(number("123\n"), 123);
    }

    #[test]
    fn a_real_cgroup_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let (cpu, mem) = (dir.path().join("cpuacct/e2b-local/x"), dir.path().join("memory/e2b-local/x"));
        std::fs::create_dir_all(&cpu).unwrap();
        std::fs::create_dir_all(&mem).unwrap();
        std::fs::write(cpu.join("cpuacct.usage"), "5000\n").unwrap();
        std::fs::write(mem.join("memory.usage_in_bytes"), "1000\n").unwrap();
        std::fs::write(mem.join("memory.stat"), "cache 300\ntotal_cache 400\ntotal_inactive_file 100\n").unwrap();
        let c = Cgroups {
            cpuacct: Some(dir.path().join("cpuacct")),
            memory: Some(dir.path().join("memory")),
            unified: None,
        };
        let u = c.read("/e2b-local/x", dir.path()).unwrap();
        assert_eq!((u.cpu_ns, u.mem_used, u.mem_cache), (5000, 900, 400));
        assert!(u.disk_total > 0);
    }
}
