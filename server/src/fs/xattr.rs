//! Extended attributes in a confined tree: the metadata a file carries under one namespace
//! (`<prefix><key>` = value), written on an upload before it is published and read back per entry.

use std::collections::BTreeMap;
use std::os::fd::{AsFd, AsRawFd};

use rustix::fs::{FileType, OFlags, XattrFlags};

use super::errors::FsResult;
use super::path::TreePath;
use super::root::ConfinedRoot;
use super::write::PendingWrite;

impl ConfinedRoot {
    /// The attributes of `path` named `<prefix><key>`, by key. Symlinks carry none; an entry whose
    /// attributes cannot be read (gone, unreadable to the caller, a filesystem without them) shows none.
    pub fn xattrs(&self, path: &TreePath, prefix: &str) -> BTreeMap<String, String> {
        let mut found = BTreeMap::new();
        let Ok(fd) = self.resolve(path, OFlags::PATH | OFlags::NOFOLLOW) else { return found };
        match rustix::fs::fstat(&fd) {
            Ok(st) if FileType::from_raw_mode(st.st_mode) != FileType::Symlink => {}
            _ => return found,
        }
        // The *xattr calls do not take O_PATH descriptors; the descriptor's /proc link names the same inode.
        let link = format!("/proc/self/fd/{}", fd.as_raw_fd());
        let Ok(size) = rustix::fs::listxattr_query(link.as_str()) else { return found };
        let mut names = vec![0u8; size];
        let Ok(len) = rustix::fs::listxattr(link.as_str(), &mut names[..]) else { return found };
        for name in names[..len.min(size)].split(|b| *b == 0) {
            let Some(key) = name.strip_prefix(prefix.as_bytes()).filter(|k| !k.is_empty()) else { continue };
            let Ok(name) = std::str::from_utf8(name) else { continue };
            let Ok(size) = rustix::fs::getxattr_query(link.as_str(), name) else { continue };
            let mut value = vec![0u8; size];
            if let Ok(len) = rustix::fs::getxattr(link.as_str(), name, &mut value[..]) {
                value.truncate(len);
                found.insert(String::from_utf8_lossy(key).into_owned(), String::from_utf8_lossy(&value).into_owned());
            }
        }
        found
    }
}

impl PendingWrite {
    /// Sets `<prefix><key>` = value for every entry of `attrs` on the file being written, so that
    /// it is published with them (a published upload is a new file: it carries only these).
    pub fn set_xattrs(&self, prefix: &str, attrs: &BTreeMap<String, String>) -> FsResult<()> {
        let file = self.file();
        for (key, value) in attrs {
            let name = format!("{prefix}{key}");
            rustix::fs::fsetxattr(file.as_fd(), name.as_str(), value.as_bytes(), XattrFlags::empty())?;
        }
        Ok(())
    }
}
