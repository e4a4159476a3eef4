//! PID 1 of a sandbox: forks envd, then reaps every process orphaned inside the sandbox until envd
//! exits (and with it the sandbox: the kernel kills the rest when PID 1 ends).

/// Forks; in the child returns (to become envd); in the parent closes `envds_own` descriptors, then
/// reaps until the child exits, and exits with its status. Call it while single-threaded.
pub fn fork_envd(envds_own: &[i32]) {
    // SAFETY: single-threaded here; the child only returns into ordinary code.
    let child = unsafe { libc::fork() };
    if child < 0 {
        eprintln!("envd: fork: {}", std::io::Error::last_os_error());
        std::process::exit(1);
    }
    if child == 0 {
        return;
    }
    for fd in envds_own {
        // SAFETY: these descriptors belong to envd from now on; PID 1 holds none of them.
        unsafe { libc::close(*fd) };
    }
    forward_termination(child);
    loop {
        let mut status = 0;
        // SAFETY: waitpid writes only `status`.
        let pid = unsafe { libc::waitpid(-1, &mut status, 0) };
        if pid == child {
            let code = if libc::WIFEXITED(status) { libc::WEXITSTATUS(status) } else { 128 + libc::WTERMSIG(status) };
            std::process::exit(code);
        }
        if pid < 0 && std::io::Error::last_os_error().raw_os_error() != Some(libc::EINTR) {
            std::process::exit(1);
        }
    }
}

static ENVD: std::sync::atomic::AtomicI32 = std::sync::atomic::AtomicI32::new(0);

/// SIGTERM and SIGINT to PID 1 (the kernel delivers only handled signals to it) go on to envd.
fn forward_termination(child: i32) {
    ENVD.store(child, std::sync::atomic::Ordering::Relaxed);
    extern "C" fn forward(sig: libc::c_int) {
        let child = ENVD.load(std::sync::atomic::Ordering::Relaxed);
        // SAFETY: kill is async-signal-safe.
        unsafe { libc::kill(child, sig) };
    }
    for sig in [libc::SIGTERM, libc::SIGINT] {
        // SAFETY: the handler only calls an async-signal-safe function.
        unsafe { libc::signal(sig, forward as *const () as libc::sighandler_t) };
    }
}
