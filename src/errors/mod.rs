//! The SDK's errors: one enum for every failure, turned into the JS error classes in one place
//! (`impl From<Error> for JsValue`), from the tables in `messages` (the lifecycle's texts in
//! `lifecycle`).

mod classes;
pub mod lifecycle;
pub mod messages;

use e2b_wire::connect::Code;
use js_sys::{Object, Reflect};
use wasm_bindgen::JsValue;

use messages::{Class, Shaped};

/// A result whose error is the SDK's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Which error family a failed control-plane call belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Family {
    /// Volume calls raise `VolumeError`s.
    Volume,
    /// Sandbox calls raise `SandboxError`s (with `statusCode`).
    Sandbox,
}

/// Which timeout ran out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Timeout {
    /// `requestTimeoutMs`, before the reply (or the whole body) arrived.
    Request,
    /// `streamIdleTimeoutMs`, between two chunks of a streamed body.
    StreamIdle,
}

/// What a finished command produced: resolved by `commands.run`, carried by `CommandExitError`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CommandResult {
    /// The exit code.
    pub exit_code: i32,
    /// envd's description of how the process ended, if any.
    pub error: Option<String>,
    /// Everything written to stdout.
    pub stdout: String,
    /// Everything written to stderr.
    pub stderr: String,
}

impl CommandResult {
    /// `{ exitCode, error?, stdout, stderr }`.
    pub fn to_js(&self) -> JsValue {
        let obj = Object::new();
        let set = |k: &str, v: JsValue| {
            let _ = Reflect::set(&obj, &k.into(), &v);
        };
        set("exitCode", self.exit_code.into());
        if let Some(error) = &self.error {
            set("error", error.into());
        }
        set("stdout", self.stdout.as_str().into());
        set("stderr", self.stderr.as_str().into());
        obj.into()
    }
}

/// Every way an SDK call fails.
#[derive(Clone)]
#[cfg_attr(test, derive(Debug))]
pub enum Error {
    /// A control-plane or volume content call failed with `status` and the server's message.
    Api { status: u16, message: String, family: Family },
    /// The volume (by ID) does not exist.
    VolumeNotFound(String),
    /// The path does not exist in the volume.
    VolumePathNotFound(String),
    /// The sandbox does not exist (the whole message).
    SandboxNotFound(String),
    /// Something else does not exist (a `NotFoundError` with the whole message).
    NotFound(String),
    /// An envd REST call failed; `files` marks calls on files, whose 404 is `FileNotFoundError`.
    EnvdRest { status: u16, message: String, files: bool },
    /// An envd Connect call failed with `code`; `files` as for `EnvdRest`.
    Connect { code: Code, message: String, files: bool },
    /// A timeout ran out.
    Timeout(Timeout),
    /// An argument cannot be used.
    InvalidArgument(String),
    /// Credentials are missing.
    Authentication(String),
    /// The sandbox's template cannot be used.
    Template(String),
    /// A command exited with a non-zero code.
    CommandExit(CommandResult),
    /// A reply that does not make sense (a `SandboxError` without status).
    Sandbox(String),
    /// A plain `Error`, as the official SDK throws for misuse and unreadable replies.
    Plain(String),
    /// A platform error passed through untouched (`AbortError`, `TypeError`, the user's abort reason).
    Js(JsValue),
}

impl Error {
    /// The class, text and status this error becomes in JavaScript; `None` for errors that already
    /// are JS values or carry one.
    pub fn shape(&self) -> Option<Shaped> {
        Some(match self {
            Error::Api { status, message, family } => messages::api(*status, message, *family == Family::Volume),
            Error::VolumeNotFound(id) => Shaped::new(Class::VolumeNotFound, messages::volume_not_found(id)),
            Error::VolumePathNotFound(path) => Shaped::new(Class::VolumePathNotFound, messages::path_not_found(path)),
            Error::SandboxNotFound(message) => Shaped::new(Class::SandboxNotFound, message.as_str()),
            Error::NotFound(message) => Shaped::new(Class::NotFound, message.as_str()),
            Error::EnvdRest { status, message, files } => messages::envd_rest(*status, message, *files),
            Error::Connect { code, message, files } => messages::connect(*code, message, *files),
            Error::Timeout(Timeout::Request) => Shaped::new(Class::Timeout, messages::REQUEST_TIMED_OUT),
            Error::Timeout(Timeout::StreamIdle) => Shaped::new(Class::Timeout, messages::STREAM_IDLE),
            Error::InvalidArgument(message) => Shaped::new(Class::InvalidArgument, message.as_str()),
            Error::Authentication(message) => Shaped::new(Class::Authentication, message.as_str()),
            Error::Template(message) => Shaped::new(Class::Template, message.as_str()),
            Error::Sandbox(message) => Shaped::new(Class::Sandbox, message.as_str()),
            Error::Plain(message) => Shaped::new(Class::Plain, message.as_str()),
            Error::CommandExit(_) | Error::Js(_) => return None,
        })
    }
}

impl From<Error> for JsValue {
    fn from(error: Error) -> JsValue {
        match (error.shape(), error) {
            (Some(shaped), _) => classes::build(&shaped),
            (None, Error::CommandExit(result)) => classes::command_exit(&result.to_js()),
            (None, Error::Js(value)) => value,
            (None, _) => JsValue::UNDEFINED, // every other error has a shape
        }
    }
}

impl From<JsValue> for Error {
    fn from(value: JsValue) -> Self {
        Error::Js(value)
    }
}

impl From<serde_wasm_bindgen::Error> for Error {
    fn from(e: serde_wasm_bindgen::Error) -> Self {
        Error::Plain(e.to_string())
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn every_sdk_error_has_a_class_and_a_text() {
        let cases = [
            (Error::VolumeNotFound("v".into()), Class::VolumeNotFound, "Volume v not found"),
            (Error::VolumePathNotFound("/p".into()), Class::VolumePathNotFound, "Path /p not found"),
            (Error::SandboxNotFound("Sandbox s not found".into()), Class::SandboxNotFound, "Sandbox s not found"),
            (Error::NotFound("404: gone".into()), Class::NotFound, "404: gone"),
            (Error::Timeout(Timeout::Request), Class::Timeout, messages::REQUEST_TIMED_OUT),
            (Error::Timeout(Timeout::StreamIdle), Class::Timeout, messages::STREAM_IDLE),
            (Error::InvalidArgument("a".into()), Class::InvalidArgument, "a"),
            (Error::Authentication("k".into()), Class::Authentication, "k"),
            (Error::Template("t".into()), Class::Template, "t"),
            (Error::Sandbox("s".into()), Class::Sandbox, "s"),
            (Error::Plain("p".into()), Class::Plain, "p"),
        ];
        for (error, class, text) in cases {
            assert_eq!(error.shape(), Some(Shaped::new(class, text)), "{error:?}");
        }
    }

    #[test]
    fn failed_calls_take_the_tables() {
        let api = Error::Api { status: 409, message: "taken".into(), family: Family::Volume };
        assert_eq!(api.shape(), Some(Shaped::new(Class::Volume, "409: taken")));
        let api = Error::Api { status: 409, message: "taken".into(), family: Family::Sandbox };
        assert_eq!(api.shape().map(|s| (s.class, s.status)), Some((Class::Sandbox, Some(409))));
        let rest = Error::EnvdRest { status: 404, message: "no file".into(), files: true };
        assert_eq!(rest.shape(), Some(Shaped::new(Class::FileNotFound, "no file")));
        let rpc = Error::Connect { code: Code::NotFound, message: "no file".into(), files: true };
        assert_eq!(rpc.shape(), Some(Shaped::new(Class::FileNotFound, "[not_found] no file")));
    }

    #[test]
    fn command_exits_and_platform_errors_keep_their_own_values() {
        assert_eq!(Error::CommandExit(CommandResult::default()).shape(), None);
    }
}
