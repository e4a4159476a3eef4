//! envd's description of one entry (`EntryInfo`): type, size, mode, owner, time, symlink target
//! and the metadata the file carries (its `user.e2b.*` extended attributes, prefix stripped).

use e2b_wire::envd::filesystem::{EntryInfo, FileType};
use e2b_wire::envd::METADATA_XATTR_PREFIX;
use rustix::fs::{FileType as Kind, Stat};

use crate::fs::{ConfinedRoot, TreePath};
use crate::sandboxes::runtime::{USER_ID, USER_NAME};

/// The entry at `path`, whose lstat is `st`.
pub fn entry_info(root: &ConfinedRoot, path: &TreePath, st: &Stat) -> EntryInfo {
    let kind = Kind::from_raw_mode(st.st_mode);
    let perm = st.st_mode & 0o777;
    EntryInfo {
        name: path.name().to_string(),
        kind: wire_type(kind),
        path: path.as_str().to_string(),
        size: st.st_size.to_string(),
        mode: perm,
        permissions: permissions(kind, perm),
        owner: name_of(st.st_uid),
        group: name_of(st.st_gid),
        modified_time: Some(crate::timestamp::from_unix(st.st_mtime, st.st_mtime_nsec as i64).unwrap_or_default()),
        symlink_target: (kind == Kind::Symlink).then(|| root.resolved_target(path).unwrap_or_default()),
        metadata: root.xattrs(path, METADATA_XATTR_PREFIX),
    }
}

fn wire_type(kind: Kind) -> FileType {
    match kind {
        Kind::RegularFile => FileType::File,
        Kind::Directory => FileType::Directory,
        Kind::Symlink => FileType::Symlink,
        _ => FileType::Unspecified,
    }
}

/// `ls -l`'s permission string, as envd writes it (`L` for a symlink).
fn permissions(kind: Kind, perm: u32) -> String {
    let letter = match kind {
        Kind::RegularFile => '-',
        Kind::Directory => 'd',
        Kind::Symlink => 'L',
        _ => '?',
    };
    let mut out = String::with_capacity(10);
    out.push(letter);
    for shift in [6, 3, 0] {
        let bits = (perm >> shift) & 7;
        out.push(if bits & 4 != 0 { 'r' } else { '-' });
        out.push(if bits & 2 != 0 { 'w' } else { '-' });
        out.push(if bits & 1 != 0 { 'x' } else { '-' });
    }
    out
}

/// The name of a sandbox uid or gid, or the number.
fn name_of(id: u32) -> String {
    match id {
        0 => "root".into(),
        USER_ID => USER_NAME.into(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permissions_read_like_ls() {
        assert_eq!(permissions(Kind::RegularFile, 0o644), "-rw-r--r--");
        assert_eq!(permissions(Kind::Directory, 0o755), "drwxr-xr-x");
        assert_eq!(permissions(Kind::Symlink, 0o777), "Lrwxrwxrwx");
        assert_eq!(permissions(Kind::Fifo, 0o000), "?---------");
    }

    #[test]
    fn owners_are_named_when_the_sandbox_knows_them() {
        assert_eq!((name_of(0), name_of(1000), name_of(9090)), ("root".into(), "user".into(), "9090".into()));
    }
}
