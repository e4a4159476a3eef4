//! The seccomp filter of every sandbox: the system calls a hardened container runtime's default
//! profile refuses to unprivileged containers, refused here too.
//!
//! It is a deny list over a default of "allow" (the container's capabilities and user namespace
//! already stop most of these; the filter shrinks the kernel surface a sandbox can reach even
//! where a kernel bug would let a capability check pass).

use oci_spec::runtime::{
    Arch, LinuxSeccomp, LinuxSeccompAction, LinuxSeccompArgBuilder, LinuxSeccompBuilder, LinuxSeccompOperator,
    LinuxSyscall, LinuxSyscallBuilder,
};

/// Refused with `EPERM`: kernel modules and kexec, mounts and namespaces, BPF and perf, keyrings,
/// clocks, swap, reboot, raw I/O ports, io_uring, userfaultfd, handle-based opens, and obsolete calls.
pub const DENIED: &[&str] = &[
    "acct",
    "add_key",
    "adjtimex",
    "bpf",
    "clock_adjtime",
    "clock_settime",
    "create_module",
    "delete_module",
    "fanotify_init",
    "finit_module",
    "fsconfig",
    "fsmount",
    "fsopen",
    "fspick",
    "get_kernel_syms",
    "init_module",
    "io_uring_enter",
    "io_uring_register",
    "io_uring_setup",
    "ioperm",
    "iopl",
    "kcmp",
    "kexec_file_load",
    "kexec_load",
    "keyctl",
    "lookup_dcookie",
    "mount",
    "mount_setattr",
    "move_mount",
    "name_to_handle_at",
    "nfsservctl",
    "open_by_handle_at",
    "open_tree",
    "perf_event_open",
    "pivot_root",
    "query_module",
    "quotactl",
    "quotactl_fd",
    "reboot",
    "request_key",
    "setns",
    "settimeofday",
    "stime",
    "swapoff",
    "swapon",
    "syslog",
    "sysfs",
    "_sysctl",
    "umount",
    "umount2",
    "unshare",
    "uselib",
    "userfaultfd",
    "ustat",
    "vm86",
    "vm86old",
];

/// `clone` flags that make namespaces; `clone` with any of them is refused (above all a new user
/// namespace, which would hand the sandbox every capability inside it).
pub const NAMESPACE_FLAGS: [u64; 7] = [
    0x0002_0000, // CLONE_NEWNS
    0x0200_0000, // CLONE_NEWCGROUP
    0x0400_0000, // CLONE_NEWUTS
    0x0800_0000, // CLONE_NEWIPC
    0x1000_0000, // CLONE_NEWUSER
    0x2000_0000, // CLONE_NEWPID
    0x4000_0000, // CLONE_NEWNET
];

const EPERM: u32 = 1;
/// `clone3` passes its flags in memory, out of a filter's reach: it fails with `ENOSYS`, and the C
/// library falls back to `clone`.
const ENOSYS: u32 = 38;

fn rule(names: &[&str], errno: u32) -> LinuxSyscallBuilder {
    LinuxSyscallBuilder::default()
        .names(names.iter().map(|s| s.to_string()).collect::<Vec<_>>())
        .action(LinuxSeccompAction::ScmpActErrno)
        .errno_ret(errno)
}

/// The profile, as the OCI runtime takes it.
pub fn profile() -> LinuxSeccomp {
    let mut syscalls: Vec<LinuxSyscall> =
        vec![rule(DENIED, EPERM).build().expect("rule"), rule(&["clone3"], ENOSYS).build().expect("rule")];
    for flag in NAMESPACE_FLAGS {
        let arg = LinuxSeccompArgBuilder::default()
            .index(0usize)
            .value(flag)
            .value_two(flag)
            .op(LinuxSeccompOperator::ScmpCmpMaskedEq)
            .build()
            .expect("argument");
        syscalls.push(rule(&["clone"], EPERM).args(vec![arg]).build().expect("rule"));
    }
    LinuxSeccompBuilder::default()
        .default_action(LinuxSeccompAction::ScmpActAllow)
        .architectures(vec![Arch::ScmpArchX86_64, Arch::ScmpArchX86, Arch::ScmpArchX32, Arch::ScmpArchAarch64])
        .syscalls(syscalls)
        .build()
        .expect("profile")
}
