//! The confined filesystem: operations inside one directory tree — a volume, or a sandbox's root
//! (for envd inside it) — that `..` and symlinks cannot leave, even when the tree changes during a
//! request. Only regular files are read, paths with NUL bytes or beyond `PATH_MAX` are refused,
//! and listings are walked without recursion.
//!
//! `path` cleans user paths; `root` resolves them and reads; `list` walks directories; `change`
//! makes, changes, removes and renames; `write` publishes uploads atomically; `xattr` keeps the
//! metadata a file carries in extended attributes; `owner` gives new entries their owner and mode;
//! `errors` maps failures to each plane's reply.

mod change;
mod errors;
mod list;
mod owner;
mod path;
mod root;
mod write;
mod xattr;

pub use errors::{ContentReply, Failure, FsError, FsResult};
pub use owner::NewEntry;
pub use path::TreePath;
pub use root::ConfinedRoot;
pub use write::{FillError, PendingWrite, UPLOAD_TEMP_PREFIX};
