//! The users of a sandbox as envd knows them, and acting as one of them.

use axum::http::{header, HeaderMap};
use base64::Engine as _;

use crate::fs::{FsResult, TreePath};
use crate::sandboxes::runtime::{USER_ID, USER_NAME};

/// A user of the sandbox: `user` (the default) or `root`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SandboxUser {
    /// uid, and gid too.
    pub uid: u32,
    /// User name.
    pub name: &'static str,
}

impl SandboxUser {
    /// Parses a user name (absent or empty: `user`); unknown names are refused.
    pub fn parse(name: Option<&str>) -> Result<Self, String> {
        match name.unwrap_or(USER_NAME) {
            "" | USER_NAME => Ok(Self { uid: USER_ID, name: USER_NAME }),
            "root" => Ok(Self { uid: 0, name: "root" }),
            other => Err(format!("user {other:?} does not exist in this sandbox (use \"user\" or \"root\")")),
        }
    }

    /// The user from an `Authorization: Basic base64("<user>:")` header (none: `user`).
    pub fn from_basic_auth(headers: &HeaderMap) -> Result<Self, String> {
        let Some(value) = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()) else {
            return Self::parse(None);
        };
        let encoded = value.strip_prefix("Basic ").ok_or("authorization must be Basic <user:>")?;
        let decoded = base64::engine::general_purpose::STANDARD.decode(encoded.trim()).map_err(|e| e.to_string())?;
        let text = String::from_utf8(decoded).map_err(|e| e.to_string())?;
        Self::parse(Some(text.split(':').next().unwrap_or_default()))
    }

    /// The user's home directory.
    pub fn home(&self) -> &'static str {
        if self.uid == 0 {
            "/root"
        } else {
            "/home/user"
        }
    }

    /// A path as envd resolves it: relative paths start at the user's home.
    pub fn resolve(&self, path: &str) -> FsResult<TreePath> {
        if path.starts_with('/') {
            TreePath::parse(path)
        } else {
            TreePath::parse(&format!("{}/{path}", self.home()))
        }
    }
}

/// Runs `f` with this thread's credentials switched to `user`, so the kernel checks permissions
/// as it would for the sandbox's own processes. Only for blocking-pool threads.
pub fn as_user<T>(user: SandboxUser, f: impl FnOnce() -> T) -> T {
    use rustix::process::{Gid, Uid};
    use rustix::thread::{set_thread_groups, set_thread_res_gid, set_thread_res_uid};
    if user.uid == 0 {
        return f();
    }
    let (uid, gid) = (Uid::from_raw(user.uid), Gid::from_raw(user.uid));
    // The saved IDs stay root so that the thread can switch back.
    set_thread_groups(&[gid]).expect("setgroups as root");
    set_thread_res_gid(gid, gid, Gid::ROOT).expect("setresgid as root");
    set_thread_res_uid(uid, uid, Uid::ROOT).expect("setresuid as root");
    struct Restore;
    impl Drop for Restore {
        fn drop(&mut self) {
            // A thread that cannot become root again must not serve another request.
            if set_thread_res_uid(Uid::ROOT, Uid::ROOT, Uid::ROOT).is_err()
                || set_thread_res_gid(Gid::ROOT, Gid::ROOT, Gid::ROOT).is_err()
                || set_thread_groups(&[]).is_err()
            {
                std::process::abort();
            }
        }
    }
    let _restore = Restore;
    f()
}

#[cfg(test)]
mod tests {
    use super::*;

    const USER: SandboxUser = SandboxUser { uid: 1000, name: "user" };
    const ROOT: SandboxUser = SandboxUser { uid: 0, name: "root" };

    #[test]
    fn only_user_and_root_exist() {
        assert_eq!(SandboxUser::parse(None), Ok(USER));
        assert_eq!(SandboxUser::parse(Some("")), Ok(USER));
        assert_eq!(SandboxUser::parse(Some("user")), Ok(USER));
        assert_eq!(SandboxUser::parse(Some("root")), Ok(ROOT));
        assert_eq!(
            SandboxUser::parse(Some("bob")),
            Err("user \"bob\" does not exist in this sandbox (use \"user\" or \"root\")".to_string())
        );
    }

    #[test]
    fn basic_auth_names_the_user() {
        let with = |value: &str| {
            let mut h = HeaderMap::new();
            h.insert(header::AUTHORIZATION, value.parse().unwrap());
            SandboxUser::from_basic_auth(&h)
        };
        assert_eq!(SandboxUser::from_basic_auth(&HeaderMap::new()), Ok(USER));
        assert_eq!(with("Basic cm9vdDo="), Ok(ROOT), "root:");
        assert_eq!(with("Basic dXNlcjo="), Ok(USER), "user:");
        assert_eq!(with("Bearer x"), Err("authorization must be Basic <user:>".to_string()));
        assert!(with("Basic !!").is_err());
        assert!(with("Basic Ym9iOg==").unwrap_err().contains("\"bob\""));
    }

    #[test]
    fn relative_paths_start_at_home() {
        let resolve = |user: SandboxUser, p: &str| user.resolve(p).unwrap().as_str().to_string();
        assert_eq!(resolve(USER, "a/b"), "/home/user/a/b");
        assert_eq!(resolve(ROOT, "a"), "/root/a");
        assert_eq!(resolve(USER, "/etc/../tmp/x"), "/tmp/x");
        assert_eq!(resolve(USER, ""), "/home/user");
        assert_eq!(resolve(USER, "../../.."), "/");
        assert!(USER.resolve("a\0b").is_err());
        assert_eq!((USER.home(), ROOT.home()), ("/home/user", "/root"));
    }
}
