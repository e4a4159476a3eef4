//! Filesystem failures, and the one table that turns a failure into each plane's reply: the
//! volume content API's HTTP status and string code, envd REST's HTTP status, and envd Connect's
//! code — with the message each plane writes.

use std::io;

use axum::http::StatusCode;
use e2b_wire::connect::Code;
use rustix::io::Errno;

/// Failure of an operation in a confined tree.
#[derive(Debug)]
pub enum FsError {
    /// The OS refused.
    Io(io::Error),
    /// The path names the tree's root where that is not allowed.
    Root,
    /// The entry exists and the operation does not overwrite.
    Exists,
    /// A directory where a file was needed.
    IsDirectory,
    /// A listing depth outside 1..=10.
    Depth,
    /// A path no filesystem call may be made with (a NUL byte, too long).
    InvalidPath(&'static str),
    /// A FIFO, socket or device where a regular file was needed (reading one could block forever).
    NotRegular,
}

/// Result of an operation in a confined tree.
pub type FsResult<T> = Result<T, FsError>;

impl std::fmt::Display for FsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FsError::Io(e) => e.fmt(f),
            FsError::Root => f.write_str("not allowed on the root"),
            FsError::Exists => f.write_str("already exists"),
            FsError::IsDirectory => f.write_str("is a directory"),
            FsError::Depth => f.write_str("depth out of range"),
            FsError::InvalidPath(why) => f.write_str(why),
            FsError::NotRegular => f.write_str("not a regular file"),
        }
    }
}

impl From<Errno> for FsError {
    fn from(e: Errno) -> Self {
        FsError::Io(e.into())
    }
}

impl From<io::Error> for FsError {
    fn from(e: io::Error) -> Self {
        FsError::Io(e)
    }
}

/// A failure as the replies tell failures apart: one row of the table each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// `ENOENT`.
    NotFound,
    /// `EEXIST`, `ENOTEMPTY`.
    AlreadyExists,
    /// `ENOTDIR`: a file used as a directory.
    NotADirectory,
    /// `EISDIR`.
    IsADirectory,
    /// `ELOOP`.
    SymlinkLoop,
    /// `ENAMETOOLONG`.
    NameTooLong,
    /// `EINVAL`.
    InvalidArgument,
    /// `ENOSPC`, `EDQUOT`.
    NoSpace,
    /// `EAGAIN`: the tree kept changing during a resolution.
    Busy,
    /// `EACCES`, `EPERM`.
    PermissionDenied,
    /// `EROFS`.
    ReadOnly,
    /// Any other OS error.
    Other,
    /// [`FsError::Root`].
    Root,
    /// [`FsError::Exists`].
    Exists,
    /// [`FsError::IsDirectory`].
    IsDirectory,
    /// [`FsError::Depth`].
    Depth,
    /// [`FsError::InvalidPath`].
    InvalidPath,
    /// [`FsError::NotRegular`].
    NotRegular,
}

/// Each failure's reply on each plane: content API (status, code), envd REST status, envd Connect code.
/// Where the planes disagree, each keeps the reply its clients have always seen.
#[rustfmt::skip]
const TABLE: [(Failure, StatusCode, &str, StatusCode, Code); 18] = {
    use Failure as F;
    use StatusCode as S;
    [
        (F::NotFound,         S::NOT_FOUND,             "PATH_NOT_FOUND",      S::NOT_FOUND,             Code::NotFound),
        (F::AlreadyExists,    S::CONFLICT,              "PATH_ALREADY_EXISTS", S::INTERNAL_SERVER_ERROR, Code::AlreadyExists),
        (F::NotADirectory,    S::BAD_REQUEST,           "INVALID_REQUEST",     S::BAD_REQUEST,           Code::InvalidArgument),
        (F::IsADirectory,     S::CONFLICT,              "IS_A_DIRECTORY",      S::BAD_REQUEST,           Code::InvalidArgument),
        (F::SymlinkLoop,      S::BAD_REQUEST,           "INVALID_REQUEST",     S::BAD_REQUEST,           Code::InvalidArgument),
        (F::NameTooLong,      S::BAD_REQUEST,           "INVALID_REQUEST",     S::BAD_REQUEST,           Code::InvalidArgument),
        (F::InvalidArgument,  S::INTERNAL_SERVER_ERROR, "INTERNAL",            S::BAD_REQUEST,           Code::InvalidArgument),
        (F::NoSpace,          S::INSUFFICIENT_STORAGE,  "NO_SPACE",            S::INSUFFICIENT_STORAGE,  Code::ResourceExhausted),
        (F::Busy,             S::SERVICE_UNAVAILABLE,   "BUSY",                S::INTERNAL_SERVER_ERROR, Code::Internal),
        (F::PermissionDenied, S::FORBIDDEN,             "PERMISSION_DENIED",   S::FORBIDDEN,             Code::PermissionDenied),
        (F::ReadOnly,         S::INTERNAL_SERVER_ERROR, "INTERNAL",            S::FORBIDDEN,             Code::PermissionDenied),
        (F::Other,            S::INTERNAL_SERVER_ERROR, "INTERNAL",            S::INTERNAL_SERVER_ERROR, Code::Internal),
        (F::Root,             S::BAD_REQUEST,           "CANNOT_DELETE_ROOT",  S::BAD_REQUEST,           Code::InvalidArgument),
        (F::Exists,           S::CONFLICT,              "PATH_ALREADY_EXISTS", S::CONFLICT,              Code::AlreadyExists),
        (F::IsDirectory,      S::CONFLICT,              "IS_A_DIRECTORY",      S::BAD_REQUEST,           Code::InvalidArgument),
        (F::Depth,            S::BAD_REQUEST,           "DEPTH_OUT_OF_RANGE",  S::BAD_REQUEST,           Code::InvalidArgument),
        (F::InvalidPath,      S::BAD_REQUEST,           "INVALID_PATH",        S::BAD_REQUEST,           Code::InvalidArgument),
        (F::NotRegular,       S::BAD_REQUEST,           "NOT_A_REGULAR_FILE",  S::BAD_REQUEST,           Code::InvalidArgument),
    ]
};

/// The volume content API's reply to a failure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentReply {
    /// HTTP status.
    pub status: StatusCode,
    /// String code, e.g. `PATH_NOT_FOUND`.
    pub code: &'static str,
    /// Message for people.
    pub message: String,
}

impl FsError {
    /// Which row of the table this failure is.
    pub fn failure(&self) -> Failure {
        use Failure as F;
        match self {
            FsError::Io(e) => match e.raw_os_error().map(Errno::from_raw_os_error) {
                Some(Errno::NOENT) => F::NotFound,
                Some(Errno::EXIST | Errno::NOTEMPTY) => F::AlreadyExists,
                Some(Errno::NOTDIR) => F::NotADirectory,
                Some(Errno::ISDIR) => F::IsADirectory,
                Some(Errno::LOOP) => F::SymlinkLoop,
                Some(Errno::NAMETOOLONG) => F::NameTooLong,
                Some(Errno::INVAL) => F::InvalidArgument,
                Some(Errno::NOSPC | Errno::DQUOT) => F::NoSpace,
                Some(Errno::AGAIN) => F::Busy,
                Some(Errno::ACCESS | Errno::PERM) => F::PermissionDenied,
                Some(Errno::ROFS) => F::ReadOnly,
                _ if e.kind() == io::ErrorKind::PermissionDenied => F::PermissionDenied,
                _ => F::Other,
            },
            FsError::Root => F::Root,
            FsError::Exists => F::Exists,
            FsError::IsDirectory => F::IsDirectory,
            FsError::Depth => F::Depth,
            FsError::InvalidPath(_) => F::InvalidPath,
            FsError::NotRegular => F::NotRegular,
        }
    }

    fn row(&self) -> (Failure, StatusCode, &'static str, StatusCode, Code) {
        let failure = self.failure();
        *TABLE.iter().find(|row| row.0 == failure).expect("every failure has a row")
    }

    /// The content API's reply to this failure of `op` on the user's `path`.
    pub fn content_reply(&self, op: &str, path: &str) -> ContentReply {
        use Failure as F;
        let (failure, status, code, _, _) = self.row();
        let message = match failure {
            F::NotFound => format!("failed to {op}: {path:?} not found."),
            F::AlreadyExists | F::Exists => format!("failed to {op}: {path:?} already exists."),
            F::NotADirectory => {
                format!("failed to {op}: {path:?}: a component of the path is a file, but must be a directory")
            }
            F::IsADirectory | F::IsDirectory => format!("failed to {op}: {path:?} is a directory"),
            F::SymlinkLoop => format!("failed to {op}: {path:?}: too many levels of symbolic links"),
            F::NameTooLong => format!("failed to {op}: {path:?}: name too long"),
            F::NoSpace => format!("failed to {op}: {path:?}: no space left on device"),
            F::Busy => format!("failed to {op}: {path:?}: the volume changed during the request, try again"),
            F::PermissionDenied => format!("failed to {op}: {path:?}: {self}"),
            F::Root => "cannot delete root".into(),
            F::Depth => "depth must be between 1 and 10".into(),
            F::InvalidPath => format!("failed to {op}: {self}"),
            F::NotRegular => format!("failed to {op}: {path:?} is not a regular file"),
            F::InvalidArgument | F::ReadOnly | F::Other => {
                format!("internal error: failed to {op}: {path:?}: {self}")
            }
        };
        ContentReply { status, code, message }
    }

    /// envd REST's reply (status and message) to this failure of `op` on the user's `path`.
    pub fn rest_reply(&self, op: &str, path: &str) -> (StatusCode, String) {
        let (_, _, _, status, _) = self.row();
        let message = match self {
            FsError::Io(e) => format!("cannot {op} {path}: {e}"),
            FsError::IsDirectory | FsError::Root => format!("{path} is a directory"),
            FsError::Exists => format!("{path} already exists"),
            FsError::Depth => "bad depth".into(),
            FsError::InvalidPath(why) => format!("cannot {op}: {why}"),
            FsError::NotRegular => format!("cannot {op} {path}: not a regular file"),
        };
        (status, message)
    }

    /// envd Connect's reply (code and message) to this failure of `op` on the user's `path`.
    pub fn connect_reply(&self, op: &str, path: &str) -> (Code, String) {
        let (_, _, _, _, code) = self.row();
        let message = match self {
            FsError::Io(e) => format!("{op} {path}: {e}"),
            FsError::Root => format!("cannot {op} the root directory"),
            FsError::Exists => format!("{path} already exists"),
            FsError::IsDirectory => format!("{path} is a directory"),
            FsError::Depth => "depth must be between 1 and 10".into(),
            FsError::InvalidPath(why) => format!("{op}: {why}"),
            FsError::NotRegular => format!("{op} {path}: not a regular file"),
        };
        (code, message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn os(errno: Errno) -> FsError {
        FsError::Io(errno.into())
    }

    #[test]
    fn errnos_pick_their_row() {
        use Failure as F;
        for (errno, want) in [
            (Errno::NOENT, F::NotFound),
            (Errno::EXIST, F::AlreadyExists),
            (Errno::NOTEMPTY, F::AlreadyExists),
            (Errno::NOTDIR, F::NotADirectory),
            (Errno::ISDIR, F::IsADirectory),
            (Errno::LOOP, F::SymlinkLoop),
            (Errno::NAMETOOLONG, F::NameTooLong),
            (Errno::INVAL, F::InvalidArgument),
            (Errno::NOSPC, F::NoSpace),
            (Errno::DQUOT, F::NoSpace),
            (Errno::AGAIN, F::Busy),
            (Errno::ACCESS, F::PermissionDenied),
            (Errno::PERM, F::PermissionDenied),
            (Errno::ROFS, F::ReadOnly),
            (Errno::IO, F::Other),
            (Errno::BADF, F::Other),
        ] {
            assert_eq!(os(errno).failure(), want, "{errno:?}");
        }
        let denied = io::Error::new(io::ErrorKind::PermissionDenied, "no");
        assert_eq!(FsError::Io(denied).failure(), F::PermissionDenied);
        assert_eq!(FsError::Io(io::Error::other("odd")).failure(), F::Other);
        assert_eq!(
            [FsError::Root, FsError::Exists, FsError::IsDirectory, FsError::Depth, FsError::NotRegular]
                .map(|e| e.failure()),
            [F::Root, F::Exists, F::IsDirectory, F::Depth, F::NotRegular]
        );
    }

    /// What each plane replies: content (status, code, message), REST (status, message), Connect (code, message).
    struct Replies {
        content: (u16, &'static str, String),
        rest: (u16, String),
        connect: (Code, String),
    }

    /// The replies to an OS error, whose REST and Connect messages quote the OS's own text.
    fn io_case(errno: Errno, content: (u16, &'static str, &str), rest: u16, connect: Code) -> (FsError, Replies) {
        let os_text = io::Error::from(errno).to_string();
        let content_message = content.2.replace("{os}", &os_text);
        let replies = Replies {
            content: (content.0, content.1, content_message),
            rest: (rest, format!("cannot write p: {os_text}")),
            connect: (connect, format!("write p: {os_text}")),
        };
        (os(errno), replies)
    }

    /// Every row, with the exact reply of each plane to a failed "write" of the path `p`.
    #[test]
    fn every_row_gives_each_plane_its_reply() {
        let own = |err: FsError, content: (u16, &'static str, &str), rest: (u16, &str), connect: (Code, &str)| {
            let replies = Replies {
                content: (content.0, content.1, content.2.to_string()),
                rest: (rest.0, rest.1.to_string()),
                connect: (connect.0, connect.1.to_string()),
            };
            (err, replies)
        };
        let cases = [
            io_case(Errno::NOENT, (404, "PATH_NOT_FOUND", r#"failed to write: "p" not found."#), 404, Code::NotFound),
            io_case(
                Errno::EXIST,
                (409, "PATH_ALREADY_EXISTS", r#"failed to write: "p" already exists."#),
                500,
                Code::AlreadyExists,
            ),
            io_case(
                Errno::NOTDIR,
                (
                    400,
                    "INVALID_REQUEST",
                    r#"failed to write: "p": a component of the path is a file, but must be a directory"#,
                ),
                400,
                Code::InvalidArgument,
            ),
            io_case(
                Errno::ISDIR,
                (409, "IS_A_DIRECTORY", r#"failed to write: "p" is a directory"#),
                400,
                Code::InvalidArgument,
            ),
            io_case(
                Errno::LOOP,
                (400, "INVALID_REQUEST", r#"failed to write: "p": too many levels of symbolic links"#),
                400,
                Code::InvalidArgument,
            ),
            io_case(
                Errno::NAMETOOLONG,
                (400, "INVALID_REQUEST", r#"failed to write: "p": name too long"#),
                400,
                Code::InvalidArgument,
            ),
            io_case(
                Errno::INVAL,
                (500, "INTERNAL", r#"internal error: failed to write: "p": {os}"#),
                400,
                Code::InvalidArgument,
            ),
            io_case(
                Errno::NOSPC,
                (507, "NO_SPACE", r#"failed to write: "p": no space left on device"#),
                507,
                Code::ResourceExhausted,
            ),
            io_case(
                Errno::AGAIN,
                (503, "BUSY", r#"failed to write: "p": the volume changed during the request, try again"#),
                500,
                Code::Internal,
            ),
            io_case(
                Errno::ACCESS,
                (403, "PERMISSION_DENIED", r#"failed to write: "p": {os}"#),
                403,
                Code::PermissionDenied,
            ),
            io_case(
                Errno::ROFS,
                (500, "INTERNAL", r#"internal error: failed to write: "p": {os}"#),
                403,
                Code::PermissionDenied,
            ),
            io_case(Errno::IO, (500, "INTERNAL", r#"internal error: failed to write: "p": {os}"#), 500, Code::Internal),
            own(
                FsError::Root,
                (400, "CANNOT_DELETE_ROOT", "cannot delete root"),
                (400, "p is a directory"),
                (Code::InvalidArgument, "cannot write the root directory"),
            ),
            own(
                FsError::Exists,
                (409, "PATH_ALREADY_EXISTS", r#"failed to write: "p" already exists."#),
                (409, "p already exists"),
                (Code::AlreadyExists, "p already exists"),
            ),
            own(
                FsError::IsDirectory,
                (409, "IS_A_DIRECTORY", r#"failed to write: "p" is a directory"#),
                (400, "p is a directory"),
                (Code::InvalidArgument, "p is a directory"),
            ),
            own(
                FsError::Depth,
                (400, "DEPTH_OUT_OF_RANGE", "depth must be between 1 and 10"),
                (400, "bad depth"),
                (Code::InvalidArgument, "depth must be between 1 and 10"),
            ),
            own(
                FsError::InvalidPath("a path must not contain NUL bytes"),
                (400, "INVALID_PATH", "failed to write: a path must not contain NUL bytes"),
                (400, "cannot write: a path must not contain NUL bytes"),
                (Code::InvalidArgument, "write: a path must not contain NUL bytes"),
            ),
            own(
                FsError::NotRegular,
                (400, "NOT_A_REGULAR_FILE", r#"failed to write: "p" is not a regular file"#),
                (400, "cannot write p: not a regular file"),
                (Code::InvalidArgument, "write p: not a regular file"),
            ),
        ];
        assert_eq!(cases.len(), TABLE.len(), "one case per row");
        for (err, want) in cases {
            let content = err.content_reply("write", "p");
            assert_eq!((content.status.as_u16(), content.code, content.message), want.content, "{err:?}");
            let (status, message) = err.rest_reply("write", "p");
            assert_eq!((status.as_u16(), message), want.rest, "{err:?}");
            assert_eq!(err.connect_reply("write", "p"), want.connect, "{err:?}");
        }
    }
}
