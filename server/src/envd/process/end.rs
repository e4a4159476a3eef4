//! How a process ended, as envd's end event tells it — and whether it ended because its whole
//! sandbox is going away.

use std::io;
use std::os::unix::process::ExitStatusExt as _;
use std::process::ExitStatus;

use e2b_wire::envd::process::EndEvent;

/// The end event of a process that exited with `status` (or could not be waited for).
pub fn end_event(status: io::Result<ExitStatus>) -> EndEvent {
    let ended = |status: String| EndEvent { exit_code: -1, exited: false, status, error: None };
    match status {
        Ok(s) => match (s.code(), s.signal()) {
            (Some(code), _) => {
                EndEvent { exit_code: code, exited: true, status: format!("exit status {code}"), error: None }
            }
            (None, Some(sig)) => ended(format!("signal: {}", signal_name(sig))),
            _ => ended("unknown".into()),
        },
        Err(e) => EndEvent { error: Some(e.to_string()), ..ended("error".into()) },
    }
}

/// True when the sandbox is going away: its first process is exiting, and with it the kernel
/// kills every process inside (a process it killed has not ended on its own).
pub fn sandbox_ending() -> bool {
    /// `PF_EXITING` in `/proc/<pid>/stat`'s flags: the task has begun to exit.
    const PF_EXITING: u64 = 0x4;
    let Ok(stat) = std::fs::read_to_string("/proc/1/stat") else { return true };
    // The flags are the 7th field after the parenthesised command name.
    let flags = stat.rsplit_once(") ").and_then(|(_, rest)| rest.split(' ').nth(6)?.parse::<u64>().ok());
    flags.is_none_or(|f| f & PF_EXITING != 0)
}

/// The word envd uses for a signal.
fn signal_name(sig: i32) -> &'static str {
    match sig {
        9 => "killed",
        15 => "terminated",
        2 => "interrupt",
        _ => "signal",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A wait status as the kernel reports it: exit code in the second byte, else the signal.
    fn exited(code: i32) -> io::Result<ExitStatus> {
        Ok(ExitStatus::from_raw(code << 8))
    }

    fn killed_by(signal: i32) -> io::Result<ExitStatus> {
        Ok(ExitStatus::from_raw(signal))
    }

    #[test]
    fn exit_codes_are_reported_as_exited() {
        let end = end_event(exited(0));
        assert_eq!((end.exit_code, end.exited, end.status.as_str(), end.error), (0, true, "exit status 0", None));
        assert_eq!(end_event(exited(3)).status, "exit status 3");
        assert_eq!(end_event(exited(127)).exit_code, 127);
    }

    #[test]
    fn signals_are_named_and_not_exited() {
        for (sig, name) in [(9, "killed"), (15, "terminated"), (2, "interrupt"), (1, "signal")] {
            let end = end_event(killed_by(sig));
            assert_eq!((end.exit_code, end.exited, end.status), (-1, false, format!("signal: {name}")));
        }
    }

    #[test]
    fn a_running_system_is_not_ending() {
        // Outside a sandbox, PID 1 is the host's init, which is not exiting.
        assert!(!sandbox_ending());
    }

    #[test]
    fn a_failed_wait_is_an_error() {
        let end = end_event(Err(io::Error::other("gone")));
        assert_eq!((end.exit_code, end.exited, end.status.as_str()), (-1, false, "error"));
        assert_eq!(end.error.as_deref(), Some("gone"));
    }
}
