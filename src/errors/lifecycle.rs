//! The texts of the lifecycle's errors (options of create and connect, forks, network, identity,
//! MCP), as e2b 2.51.0 has them.

/// A fork the server reports neither as started nor as failed.
pub const FORK_FAILED: &str = "Failed to start forked sandbox";
/// `lifecycle.onTimeout` given with `keepMemory` but not the action `pause`.
pub const KEEP_MEMORY_NEEDS_PAUSE: &str = "onTimeout.keepMemory is only allowed when action is 'pause'.";
/// `lifecycle.autoResume: true` without the action `pause`.
pub const AUTO_RESUME_NEEDS_PAUSE: &str = "autoResume can only be true when onTimeout action is 'pause'.";
/// `lifecycle.autoResume: true` with `keepMemory: false`.
pub const AUTO_RESUME_NEEDS_MEMORY: &str = "autoResume: true is not a valid value when keepMemory: false - a filesystem-only snapshot cannot be auto-resumed by traffic and must be resumed explicitly using Sandbox.connect().";
/// `network.egressProxy` without a string `address`.
pub const EGRESS_PROXY_INVALID: &str =
    "network egressProxy must be an object with a string 'address' (e.g. 'proxy.example.com:1080').";
/// Logged by `getMetrics` for an envd too old to measure its disk.
pub const DISK_METRICS_UNSUPPORTED: &str =
    "Disk metrics are not supported in this version of the sandbox, please rebuild the template to get disk metrics.";

/// An option that must be one of `allowed`; `got` is the value as JSON.
pub fn not_one_of(option: &str, allowed: &[&str], got: &str) -> String {
    format!("{option} must be one of: {} (got {got}).", allowed.join(", "))
}

/// A network transform callback that returned a promise.
pub fn transform_async(host: &str) -> String {
    format!("Network transform callback for '{host}' must be synchronous, it returned a promise. Resolve the value before creating the sandbox.")
}

/// A network transform callback that returned something else than a plain object (`got` names it).
pub fn transform_not_object(host: &str, got: &str) -> String {
    format!("Network transform callback for '{host}' must return a transform object, got {got}.")
}

/// An `iam` token without string `audience` and `tokenType`.
pub fn iam_token_invalid(name: &str) -> String {
    format!("iam token '{name}' must have string 'audience' and 'tokenType' properties.")
}

/// An `iam` token name that cannot be put in a placeholder (`quoted` is the name as JSON).
pub fn iam_token_name_invalid(quoted: &str) -> String {
    format!("iam token name {quoted} is not usable: a token name cannot be empty or contain '{{', '}}' or control characters, because it is interpolated into the '${{e2b.identity.tokens.<name>}}' placeholder the egress proxy resolves.")
}

/// A network transform that names an `iam` token not registered (`names` are the registered ones).
pub fn iam_token_unregistered(name: &str, names: &[String]) -> String {
    let hint = if names.is_empty() {
        format!("Pass it to Sandbox.create as iam: {{ tokens: {{ '{name}': Secret.iamToken({{ audience, tokenType }}) }} }}.")
    } else {
        let quoted: Vec<String> = names.iter().map(|n| format!("'{n}'")).collect();
        format!("Registered tokens: {}.", quoted.join(", "))
    };
    format!("Network transform references iam token '{name}', which is not registered. {hint}")
}

/// The MCP gateway failed to start in a new sandbox.
pub fn mcp_failed(stderr: &str) -> String {
    format!("Failed to start MCP gateway: {stderr}")
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn texts_name_the_option_and_the_value() {
        let got = not_one_of("onResume", &["restore", "reboot"], "\"x\"");
        assert_eq!(got, "onResume must be one of: restore, reboot (got \"x\").");
        assert!(iam_token_name_invalid("\"\"").contains("'${e2b.identity.tokens.<name>}'"));
        let unknown = iam_token_unregistered("b", &["a".into()]);
        assert_eq!(
            unknown,
            "Network transform references iam token 'b', which is not registered. Registered tokens: 'a'."
        );
        assert!(iam_token_unregistered("b", &[])
            .ends_with("iam: { tokens: { 'b': Secret.iamToken({ audience, tokenType }) } }."));
        let not_object = transform_not_object("h", "array");
        assert_eq!(not_object, "Network transform callback for 'h' must return a transform object, got array.");
    }
}
