//! Paths inside a confined tree, cleaned as E2B cleans them: a leading `/`, no `.` or `..`.

use super::errors::{FsError, FsResult};

/// A cleaned path inside a tree: always starts with `/`, no `.`/`..`, no trailing `/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TreePath(String);

/// Longest path accepted, in bytes (the kernel's `PATH_MAX`).
pub const MAX_PATH_BYTES: usize = 4096;

impl TreePath {
    /// A user's path, cleaned; refused when it holds a NUL byte or is longer than `PATH_MAX`.
    pub fn parse(raw: &str) -> FsResult<Self> {
        if raw.contains('\0') {
            return Err(FsError::InvalidPath("a path must not contain NUL bytes"));
        }
        if raw.len() > MAX_PATH_BYTES {
            return Err(FsError::InvalidPath("the path is longer than 4096 bytes"));
        }
        Ok(Self::clean(raw))
    }

    /// Cleans a user path as E2B does: add a leading `/`, then lexical cleaning (`..` clamps at `/`).
    pub fn clean(raw: &str) -> Self {
        let cleaned = path_clean::clean(format!("/{raw}"));
        Self(cleaned.to_string_lossy().into_owned())
    }

    /// The tree's root, `/`.
    pub fn root() -> Self {
        Self("/".into())
    }

    /// The path as shown in replies.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// True for the tree's root.
    pub fn is_root(&self) -> bool {
        self.0 == "/"
    }

    /// Base name; `/` for the root.
    pub fn name(&self) -> &str {
        self.split().map_or("/", |(_, n)| n)
    }

    /// The path relative to the root, as `openat2` wants it (`.` for the root).
    pub(super) fn relative(&self) -> &str {
        if self.is_root() {
            "."
        } else {
            &self.0[1..]
        }
    }

    /// Parent path and final name; `None` for the root.
    pub(super) fn split(&self) -> Option<(TreePath, &str)> {
        if self.is_root() {
            return None;
        }
        let idx = self.0.rfind('/').unwrap_or(0);
        let parent = if idx == 0 { "/".to_string() } else { self.0[..idx].to_string() };
        Some((TreePath(parent), &self.0[idx + 1..]))
    }

    /// The path of `name` inside this directory.
    pub(super) fn join(&self, name: &str) -> TreePath {
        if self.is_root() {
            TreePath(format!("/{name}"))
        } else {
            TreePath(format!("{}/{name}", self.0))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::TreePath;

    #[test]
    fn paths_clean_like_e2b() {
        for (raw, want) in [
            ("a/b", "/a/b"),
            ("../x", "/x"),
            ("..", "/"),
            (".", "/"),
            ("", "/"),
            ("/a//b/", "/a/b"),
            ("a/./b/../c", "/a/c"),
            ("/../../etc/passwd", "/etc/passwd"),
            ("a\\b", "/a\\b"),
        ] {
            assert_eq!(TreePath::clean(raw).as_str(), want, "{raw:?}");
        }
        assert_eq!(TreePath::clean("/a/b").name(), "b");
        assert_eq!(TreePath::clean("/").name(), "/");
    }

    #[test]
    fn nul_bytes_and_overlong_paths_are_refused() {
        assert!(matches!(TreePath::parse("a\0b"), Err(super::FsError::InvalidPath(_))));
        assert!(matches!(TreePath::parse(&"a/".repeat(2049)), Err(super::FsError::InvalidPath(_))));
        assert_eq!(TreePath::parse(&"a".repeat(4096)).unwrap().as_str().len(), 4097);
        assert_eq!(TreePath::parse("x/../y").unwrap().as_str(), "/y");
    }

    #[test]
    fn split_and_join_are_inverse() {
        let p = TreePath::clean("/a/b/c");
        let (parent, name) = p.split().unwrap();
        assert_eq!((parent.as_str(), name), ("/a/b", "c"));
        assert_eq!(parent.join(name), p);
        let top = TreePath::clean("top");
        let (parent, name) = top.split().unwrap();
        assert_eq!((parent.as_str(), name), ("/", "top"));
        assert!(parent.is_root() && parent.split().is_none());
        assert_eq!(TreePath::root().join("x").as_str(), "/x");
        assert_eq!((TreePath::root().relative(), TreePath::clean("a/b").relative()), (".", "a/b"));
    }
}
