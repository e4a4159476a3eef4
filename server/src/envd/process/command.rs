//! How a requested process is started inside the sandbox: as the calling user (no capabilities
//! unless root), in its own process group, with a clean environment — defaults (with `TERM` on a
//! terminal), then the sandbox's variables, then the request's.

use std::collections::BTreeMap;

use e2b_wire::envd::process::{ProcessConfig, PTY_TERM};

use crate::envd::user::SandboxUser;

/// `PATH` of every process.
const PATH: &str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
/// Most bytes of a command, its arguments and its environment together (as a kernel's `ARG_MAX`).
pub const MAX_COMMAND_BYTES: usize = 1 << 20;

/// What a process is started with.
#[derive(Debug, PartialEq, Eq)]
pub struct Launch {
    /// The program.
    pub program: String,
    /// Its arguments.
    pub args: Vec<String>,
    /// Its whole environment.
    pub env: BTreeMap<String, String>,
    /// Where it starts.
    pub cwd: String,
    /// Who runs it.
    pub uid: u32,
}

/// How `process` starts for `user` in a sandbox with `sandbox_envs` (on a terminal if
/// `terminal`); the error is the message of an `invalid_argument`.
pub fn launch(
    user: SandboxUser,
    sandbox_envs: &BTreeMap<String, String>,
    process: &ProcessConfig,
    terminal: bool,
) -> Result<Launch, String> {
    let defaults =
        [("HOME", user.home()), ("USER", user.name), ("LOGNAME", user.name), ("SHELL", "/bin/bash"), ("PATH", PATH)];
    let mut env: BTreeMap<String, String> = defaults.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    if terminal {
        env.insert("TERM".into(), PTY_TERM.into());
    }
    for (k, v) in sandbox_envs.iter().chain(&process.envs) {
        if k.is_empty() || k.contains('=') || k.contains('\0') || v.contains('\0') {
            return Err(format!("invalid environment variable {k:?}"));
        }
        env.insert(k.clone(), v.clone());
    }
    if process.cmd.is_empty() || process.cmd.contains('\0') || process.args.iter().any(|a| a.contains('\0')) {
        return Err(format!("invalid command {:?}", process.cmd));
    }
    let size = process.cmd.len()
        + process.args.iter().map(|a| a.len() + 1).sum::<usize>()
        + env.iter().map(|(k, v)| k.len() + v.len() + 2).sum::<usize>();
    if size > MAX_COMMAND_BYTES {
        return Err(format!("the command, its arguments and environment exceed {MAX_COMMAND_BYTES} bytes"));
    }
    let cwd = process.cwd.clone().filter(|c| !c.is_empty()).unwrap_or_else(|| user.home().to_string());
    if cwd.contains('\0') {
        return Err("invalid working directory".into());
    }
    Ok(Launch { program: process.cmd.clone(), args: process.args.clone(), env, cwd, uid: user.uid })
}

#[cfg(test)]
mod tests {
    use super::*;

    const USER: SandboxUser = SandboxUser { uid: 1000, name: "user" };
    const ROOT: SandboxUser = SandboxUser { uid: 0, name: "root" };

    fn process(cmd: &str, envs: &[(&str, &str)], cwd: Option<&str>) -> ProcessConfig {
        ProcessConfig {
            cmd: cmd.into(),
            args: vec!["-c".into(), "echo hi".into()],
            envs: envs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
            cwd: cwd.map(String::from),
        }
    }

    #[test]
    fn a_process_runs_as_its_user_with_a_clean_environment() {
        let sandbox_envs = [("TEAM".to_string(), "red".to_string())].into();
        let got = launch(USER, &sandbox_envs, &process("/bin/bash", &[("A", "1")], None), false).unwrap();
        assert_eq!(got.program, "/bin/bash");
        assert_eq!(got.args, ["-c", "echo hi"]);
        assert_eq!((got.uid, got.cwd.as_str()), (1000, "/home/user"));
        let env: Vec<String> = got.env.iter().map(|(k, v)| format!("{k}={v}")).collect();
        assert_eq!(
            env,
            [
                "A=1",
                "HOME=/home/user",
                "LOGNAME=user",
                "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                "SHELL=/bin/bash",
                "TEAM=red",
                "USER=user"
            ]
        );
    }

    #[test]
    fn the_working_directory_defaults_to_home() {
        let none = BTreeMap::new();
        let root = launch(ROOT, &none, &process("ls", &[], None), false).unwrap();
        assert_eq!((root.cwd.as_str(), root.env["HOME"].as_str(), root.uid), ("/root", "/root", 0));
        assert_eq!(launch(USER, &none, &process("ls", &[], Some("")), false).unwrap().cwd, "/home/user");
        assert_eq!(launch(USER, &none, &process("ls", &[], Some("/tmp")), false).unwrap().cwd, "/tmp");
    }

    #[test]
    fn later_environments_override_earlier_ones() {
        let sandbox_envs = [("HOME".to_string(), "/x".to_string()), ("B".to_string(), "s".to_string())].into();
        let got = launch(USER, &sandbox_envs, &process("ls", &[("HOME", "/y")], None), false).unwrap();
        assert_eq!((got.env["HOME"].as_str(), got.env["B"].as_str()), ("/y", "s"));
    }

    #[test]
    fn a_terminal_gets_a_term_unless_one_is_asked_for() {
        let none = BTreeMap::new();
        assert_eq!(launch(USER, &none, &process("ls", &[], None), true).unwrap().env["TERM"], "xterm-256color");
        assert!(!launch(USER, &none, &process("ls", &[], None), false).unwrap().env.contains_key("TERM"));
        let own = launch(USER, &none, &process("ls", &[("TERM", "dumb")], None), true).unwrap();
        assert_eq!(own.env["TERM"], "dumb");
    }

    #[test]
    fn bad_names_nul_bytes_and_oversized_commands_are_refused() {
        let none = BTreeMap::new();
        let err = |p: ProcessConfig| launch(USER, &none, &p, false).unwrap_err();
        assert_eq!(err(process("ls", &[("A=B", "1")], None)), "invalid environment variable \"A=B\"");
        assert_eq!(err(process("ls", &[("", "1")], None)), "invalid environment variable \"\"");
        assert!(err(process("ls", &[("A", "x\0y")], None)).starts_with("invalid environment variable"));
        assert_eq!(err(process("", &[], None)), "invalid command \"\"");
        assert!(err(process("l\0s", &[], None)).starts_with("invalid command"));
        assert_eq!(err(process("ls", &[], Some("/t\0mp"))), "invalid working directory");
        let big = "x".repeat(MAX_COMMAND_BYTES);
        assert!(err(process("ls", &[("BIG", &big)], None)).contains("exceed"));
        let bad_sandbox_env = [("X=Y".to_string(), "1".to_string())].into();
        assert!(launch(USER, &bad_sandbox_env, &process("ls", &[], None), false).is_err());
    }
}
