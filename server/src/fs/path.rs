//! Paths inside a confined tree, cleaned as E2B cleans them: a leading `/`, no `.` or `..`.

/// A cleaned path inside a tree: always starts with `/`, no `.`/`..`, no trailing `/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TreePath(String);

impl TreePath {
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
