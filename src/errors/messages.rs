//! Which JS error class each failure becomes and with which text: tables that mirror the `e2b` npm
//! package 2.51.0 (its texts and its status and code mappings), then the SDK's own texts.

use e2b_wire::connect::Code;

/// The JS error classes of `src/js/errors.js` (`Plain` is the platform's own `Error`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Class {
    Sandbox,
    Timeout,
    InvalidArgument,
    NotEnoughSpace,
    NotFound,
    FileNotFound,
    SandboxNotFound,
    Template,
    RateLimit,
    Authentication,
    ServiceBusy,
    Volume,
    VolumeNotFound,
    VolumePathNotFound,
    Plain,
}

/// An error ready to be built: its class, its message, and the HTTP status a `SandboxError` carries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Shaped {
    /// The JS class.
    pub class: Class,
    /// The error's message.
    pub message: String,
    /// `statusCode` of a `SandboxError`.
    pub status: Option<u16>,
}

impl Shaped {
    /// An error of `class` with `message` and no status.
    pub fn new(class: Class, message: impl Into<String>) -> Self {
        Self { class, message: message.into(), status: None }
    }
}

// --- As e2b 2.51.0 has them ---

/// Added to the message of a sandbox that has probably reached its end.
const SANDBOX_TIMEOUT_HINT: &str = ": This error is likely due to sandbox timeout. You can modify the sandbox timeout by passing 'timeoutMs' when starting the sandbox or calling '.setTimeout' on the sandbox with the desired timeout.";
/// Added to the message of a Connect call cancelled by the request timeout.
const REQUEST_TIMEOUT_HINT: &str = ": This error is likely due to exceeding 'requestTimeoutMs'. You can pass the request timeout value as an option when making the request.";
/// Added to the message of a Connect call past its own deadline.
const DEADLINE_HINT: &str = ": This error is likely due to exceeding 'timeoutMs' — the total time a long running request (like command execution or directory watch) can be active. It can be modified by passing 'timeoutMs' when making the request. Use '0' to disable the timeout.";

/// Control-plane statuses with their own class and text (e2b 2.51.0's `apiErrorFromCode`); the server's message
/// follows after ` - `.
const API_STATUSES: [(u16, Class, &str); 3] = [
    (401, Class::Authentication, "Unauthorized, please check your credentials."),
    (429, Class::RateLimit, "Rate limit exceeded, please try again later"),
    (503, Class::ServiceBusy, "Service temporarily unavailable, please retry"),
];

/// envd REST statuses with their own class, and what is added to the message (e2b 2.51.0's envd `DEFAULT_ERROR_MAP`).
const ENVD_STATUSES: [(u16, Class, &str); 6] = [
    (400, Class::InvalidArgument, ""),
    (401, Class::Authentication, ""),
    (404, Class::NotFound, ""),
    (429, Class::RateLimit, ": The requests are being rate limited."),
    (502, Class::Timeout, SANDBOX_TIMEOUT_HINT),
    (507, Class::NotEnoughSpace, ""),
];

/// Connect codes with their own class, and what is added to the message (e2b 2.51.0's RPC `DEFAULT_ERROR_MAP`).
const CONNECT_CODES: [(Code, Class, &str); 7] = [
    (Code::InvalidArgument, Class::InvalidArgument, ""),
    (Code::Unauthenticated, Class::Authentication, ""),
    (Code::NotFound, Class::NotFound, ""),
    (Code::ResourceExhausted, Class::RateLimit, ": Rate limit exceeded, please try again later."),
    (Code::Unavailable, Class::Timeout, SANDBOX_TIMEOUT_HINT),
    (Code::Canceled, Class::Timeout, REQUEST_TIMEOUT_HINT),
    (Code::DeadlineExceeded, Class::Timeout, DEADLINE_HINT),
];

/// `Volume.connect`/`getInfo` of a volume that does not exist.
pub fn volume_not_found(id: &str) -> String {
    format!("Volume {id} not found")
}

/// A volume content call on a path that does not exist.
pub fn path_not_found(path: &str) -> String {
    format!("Path {path} not found")
}

/// A call on a sandbox that does not exist.
pub fn sandbox_not_found(id: &str) -> String {
    format!("Sandbox {id} not found")
}

/// `connect` to a sandbox that does not exist.
pub fn paused_sandbox_not_found(id: &str) -> String {
    format!("Paused sandbox {id} not found")
}

/// A sandbox whose envd is too old for this SDK.
pub const TEMPLATE_TOO_OLD: &str = "You need to update the template to use the new SDK.";
/// `nextItems()` after the last page.
pub const NO_MORE_ITEMS: &str = "No more items to fetch";
/// A stream of a process or a watch that could not start because the sandbox is gone.
pub const SANDBOX_NOT_RUNNING: &str = "Sandbox is probably not running anymore";
/// A process or watch stream whose first message is not its start.
pub const EXPECTED_START: &str = "Expected start event";
/// `files.write` with neither a path nor a list of files.
pub const PATH_OR_FILES_REQUIRED: &str = "Path or files are required";
/// `files.write` with a path and a list of files.
pub const PATH_AND_FILES: &str = "Cannot specify both path and array of files. You have to specify either path and data for a single file or an array for multiple files.";
/// `sendStdin` on a handle that has no stdin (a PTY's).
pub const NO_STDIN: &str = "Sending stdin is not supported for this command handle.";
/// `closeStdin` on a handle that has no stdin (a PTY's).
pub const NO_CLOSE_STDIN: &str = "Closing stdin is not supported for this command handle.";
/// `wait()` on a process whose stream ended without its end.
pub const NO_RESULT: &str = "Process exited without a result";
/// A signed URL's expiration asked of a sandbox without an access token.
pub const UNSIGNED_EXPIRATION: &str = "Signature expiration can be used only when sandbox is created as secured.";
/// `getSignature` without an access token.
pub const NO_ACCESS_TOKEN: &str = "Access token is not set and signature cannot be generated!";

/// An upload's metadata key that is not an HTTP token.
pub fn invalid_metadata_key(key: &str) -> String {
    format!(
        "Invalid metadata key {}: keys must be non-empty and use only HTTP token characters (letters, digits and !#$%&'*+-.^_`|~).",
        json_quoted(key)
    )
}

/// An upload's metadata value that is not printable US-ASCII.
pub fn invalid_metadata_value(key: &str) -> String {
    format!("Invalid metadata value for key {}: values must be printable US-ASCII.", json_quoted(key))
}

/// `text` as a JSON string literal, as `JSON.stringify` shows the keys users type (written out:
/// `{:?}` would bring Unicode tables into the wasm).
fn json_quoted(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

// --- The SDK's own texts (where e2b 2.51.0 words things differently or has none) ---

/// No API key in the options or the environment.
pub const API_KEY_REQUIRED: &str = "API key is required: set the E2B_API_KEY environment variable or pass the apiKey option (for example Volume.create('name', { apiKey: 'e2b_...' }))";
/// A call that ran past `requestTimeoutMs`.
pub const REQUEST_TIMED_OUT: &str =
    "Request timed out — the 'requestTimeoutMs' option can be used to increase this timeout";
/// A streamed body that stalled for `streamIdleTimeoutMs`.
pub const STREAM_IDLE: &str = "Stream was idle for longer than 'streamIdleTimeoutMs' and was cancelled";

/// A failed control-plane or volume content call; `volume` picks `VolumeError` over `SandboxError`.
pub fn api(status: u16, message: &str, volume: bool) -> Shaped {
    if let Some((_, class, text)) = API_STATUSES.iter().find(|r| r.0 == status) {
        let text = if message.is_empty() { text.to_string() } else { format!("{text} - {message}") };
        return Shaped::new(*class, text);
    }
    let text = format!("{status}: {message}");
    if volume {
        Shaped::new(Class::Volume, text)
    } else {
        Shaped { class: Class::Sandbox, message: text, status: Some(status) }
    }
}

/// A failed envd REST call; `files` turns "not found" into `FileNotFoundError`.
pub fn envd_rest(status: u16, message: &str, files: bool) -> Shaped {
    match ENVD_STATUSES.iter().find(|r| r.0 == status) {
        Some((_, class, suffix)) => Shaped::new(not_found_of(*class, files), format!("{message}{suffix}")),
        None => Shaped { class: Class::Sandbox, message: format!("{status}: {message}"), status: Some(status) },
    }
}

/// A failed Connect call; `files` turns `not_found` into `FileNotFoundError`.
pub fn connect(code: Code, message: &str, files: bool) -> Shaped {
    let text = format!("[{}] {message}", code.as_str());
    match CONNECT_CODES.iter().find(|r| r.0 == code) {
        Some((_, class, suffix)) => Shaped::new(not_found_of(*class, files), format!("{text}{suffix}")),
        None => Shaped::new(Class::Sandbox, format!("{}: {text}", code.number())),
    }
}

fn not_found_of(class: Class, files: bool) -> Class {
    if class == Class::NotFound && files {
        Class::FileNotFound
    } else {
        class
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn api_statuses_with_their_own_class_keep_the_servers_message_after_a_dash() {
        let auth = api(401, "bad key", true);
        assert_eq!(auth, Shaped::new(Class::Authentication, "Unauthorized, please check your credentials. - bad key"));
        assert_eq!(api(429, "", false), Shaped::new(Class::RateLimit, "Rate limit exceeded, please try again later"));
        assert_eq!(api(503, "x", false).class, Class::ServiceBusy);
    }

    #[test]
    fn other_api_statuses_are_volume_or_sandbox_errors_with_the_status() {
        assert_eq!(api(400, "Invalid volume name", true), Shaped::new(Class::Volume, "400: Invalid volume name"));
        let sandbox = api(404, "template not found", false);
        assert_eq!(
            sandbox,
            Shaped { class: Class::Sandbox, message: "404: template not found".into(), status: Some(404) }
        );
    }

    #[test]
    fn envd_statuses_map_to_their_classes() {
        assert_eq!(envd_rest(400, "bad", false), Shaped::new(Class::InvalidArgument, "bad"));
        assert_eq!(envd_rest(404, "gone", false).class, Class::NotFound);
        assert_eq!(envd_rest(404, "gone", true).class, Class::FileNotFound);
        assert_eq!(envd_rest(429, "slow", true).message, "slow: The requests are being rate limited.");
        let ended = envd_rest(502, "bad gateway", false);
        assert_eq!(ended.class, Class::Timeout);
        assert!(ended.message.starts_with("bad gateway: This error is likely due to sandbox timeout."));
        assert_eq!(envd_rest(507, "full", false).class, Class::NotEnoughSpace);
        let other = envd_rest(403, "denied", true);
        assert_eq!(other, Shaped { class: Class::Sandbox, message: "403: denied".into(), status: Some(403) });
    }

    #[test]
    fn connect_codes_map_to_their_classes_with_the_code_in_brackets() {
        assert_eq!(
            connect(Code::InvalidArgument, "m", false),
            Shaped::new(Class::InvalidArgument, "[invalid_argument] m")
        );
        assert_eq!(connect(Code::NotFound, "m", true).class, Class::FileNotFound);
        assert_eq!(connect(Code::NotFound, "m", false).class, Class::NotFound);
        assert_eq!(connect(Code::Unauthenticated, "m", false).class, Class::Authentication);
        // e2b 2.51.0's text for a rate-limited Connect call (it differs from the REST one).
        assert_eq!(
            connect(Code::ResourceExhausted, "m", false).message,
            "[resource_exhausted] m: Rate limit exceeded, please try again later."
        );
        for code in [Code::Unavailable, Code::Canceled, Code::DeadlineExceeded] {
            assert_eq!(connect(code, "m", false).class, Class::Timeout, "{code:?}");
        }
        assert!(connect(Code::Canceled, "m", false).message.contains("'requestTimeoutMs'"));
        assert!(connect(Code::DeadlineExceeded, "m", false).message.contains("'timeoutMs'"));
    }

    #[test]
    fn other_connect_codes_are_sandbox_errors_numbered_without_a_status() {
        assert_eq!(
            connect(Code::AlreadyExists, "exists", false),
            Shaped::new(Class::Sandbox, "6: [already_exists] exists")
        );
        assert_eq!(connect(Code::PermissionDenied, "no", true).message, "7: [permission_denied] no");
        assert_eq!(connect(Code::Unknown, "?", false).message, "2: [unknown] ?");
    }

    #[test]
    fn metadata_texts_quote_the_key() {
        assert!(invalid_metadata_key("bad key").starts_with("Invalid metadata key \"bad key\": keys must"));
        assert_eq!(json_quoted("a\"b\\c\n\u{1}é"), r#""a\"b\\c\n\u0001é""#);
        assert_eq!(
            invalid_metadata_value("k"),
            "Invalid metadata value for key \"k\": values must be printable US-ASCII."
        );
    }

    #[test]
    fn texts_name_what_is_missing() {
        assert_eq!(volume_not_found("v1"), "Volume v1 not found");
        assert_eq!(path_not_found("/a"), "Path /a not found");
        assert_eq!(sandbox_not_found("s1"), "Sandbox s1 not found");
        assert_eq!(paused_sandbox_not_found("s1"), "Paused sandbox s1 not found");
    }
}
