//! The command line that runs a requested process inside a sandbox: `nsenter` into its
//! namespaces, `setpriv` to its user without privileges, `env` for a clean environment.

use std::collections::BTreeMap;

use e2b_wire::envd::process::ProcessConfig;

use crate::envd::user::SandboxUser;

/// `PATH` of every process.
const PATH: &str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/// What a process is started with.
pub struct Launch<'a> {
    /// Host PID of the sandbox's first process, whose namespaces the process joins.
    pub init_pid: u32,
    /// The sandbox's ID (in `E2B_SANDBOX_ID`).
    pub sandbox_id: &'a str,
    /// The sandbox's environment, under the process's own.
    pub sandbox_envs: &'a BTreeMap<String, String>,
    /// Who runs it.
    pub user: SandboxUser,
    /// What to run, where, with which environment.
    pub process: &'a ProcessConfig,
}

/// The program and arguments that start `launch`; the error is the message of an `invalid_argument`.
pub fn command_line(launch: &Launch<'_>) -> Result<Vec<String>, String> {
    let Launch { init_pid, sandbox_id, sandbox_envs, user, process } = launch;
    let mut args: Vec<String> = ["nsenter", "--target"].map(String::from).into();
    args.push(init_pid.to_string());
    args.extend(["--mount", "--uts", "--ipc", "--pid", "--", "setpriv"].map(String::from));
    args.extend([format!("--reuid={}", user.uid), format!("--regid={}", user.uid)]);
    args.extend(["--clear-groups", "--bounding-set=-all", "--inh-caps=-all", "--no-new-privs", "--"].map(String::from));
    let cwd = process.cwd.clone().filter(|c| !c.is_empty()).unwrap_or_else(|| user.home().to_string());
    args.extend(["env".into(), "-i".into(), "-C".into(), cwd]);
    let defaults = [
        ("HOME", user.home()),
        ("USER", user.name),
        ("LOGNAME", user.name),
        ("SHELL", "/bin/bash"),
        ("PATH", PATH),
        ("E2B_SANDBOX", "true"),
        ("E2B_SANDBOX_ID", sandbox_id),
    ];
    let envs =
        defaults.into_iter().chain(sandbox_envs.iter().chain(&process.envs).map(|(k, v)| (k.as_str(), v.as_str())));
    // Later assignments win in `env`: the request's variables over the sandbox's over the defaults.
    for (k, v) in envs {
        if k.is_empty() || k.contains('=') {
            return Err(format!("invalid environment variable name {k:?}"));
        }
        args.push(format!("{k}={v}"));
    }
    // `env` takes the first word without `=` as the command.
    if process.cmd.contains('=') || process.cmd.is_empty() {
        return Err(format!("invalid command {:?}", process.cmd));
    }
    args.push(process.cmd.clone());
    args.extend(process.args.iter().cloned());
    Ok(args)
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

    fn line(user: SandboxUser, p: &ProcessConfig, sandbox_envs: &BTreeMap<String, String>) -> Result<String, String> {
        let launch = Launch { init_pid: 42, sandbox_id: "sb1", sandbox_envs, user, process: p };
        command_line(&launch).map(|args| args.join(" "))
    }

    #[test]
    fn a_process_enters_the_sandbox_as_its_user_with_a_clean_environment() {
        let sandbox_envs = [("TEAM".to_string(), "red".to_string())].into();
        let got = line(USER, &process("/bin/bash", &[("A", "1")], None), &sandbox_envs).unwrap();
        assert_eq!(
            got,
            "nsenter --target 42 --mount --uts --ipc --pid -- setpriv --reuid=1000 --regid=1000 --clear-groups \
             --bounding-set=-all --inh-caps=-all --no-new-privs -- env -i -C /home/user HOME=/home/user USER=user \
             LOGNAME=user SHELL=/bin/bash PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
             E2B_SANDBOX=true E2B_SANDBOX_ID=sb1 TEAM=red A=1 /bin/bash -c echo hi"
        );
    }

    #[test]
    fn the_working_directory_defaults_to_home() {
        let none = BTreeMap::new();
        assert!(line(ROOT, &process("ls", &[], None), &none)
            .unwrap()
            .contains(" env -i -C /root HOME=/root USER=root "));
        assert!(line(USER, &process("ls", &[], Some("")), &none).unwrap().contains(" -C /home/user "));
        assert!(line(USER, &process("ls", &[], Some("/tmp")), &none).unwrap().contains(" -C /tmp "));
    }

    #[test]
    fn later_environments_override_earlier_ones() {
        let sandbox_envs = [("HOME".to_string(), "/x".to_string())].into();
        let got = line(USER, &process("ls", &[("HOME", "/y")], None), &sandbox_envs).unwrap();
        assert!(got.contains("HOME=/home/user ") && got.find("HOME=/x").unwrap() < got.find("HOME=/y").unwrap());
    }

    #[test]
    fn names_with_equals_signs_and_empty_names_are_refused() {
        let none = BTreeMap::new();
        assert_eq!(
            line(USER, &process("ls", &[("A=B", "1")], None), &none),
            Err("invalid environment variable name \"A=B\"".into())
        );
        assert_eq!(
            line(USER, &process("ls", &[("", "1")], None), &none),
            Err("invalid environment variable name \"\"".into())
        );
        let bad_sandbox_env = [("X=Y".to_string(), "1".to_string())].into();
        assert!(line(USER, &process("ls", &[], None), &bad_sandbox_env).is_err());
        assert_eq!(line(USER, &process("A=B", &[], None), &none), Err("invalid command \"A=B\"".into()));
        assert_eq!(line(USER, &process("", &[], None), &none), Err("invalid command \"\"".into()));
    }
}
