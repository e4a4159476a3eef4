//! A sandbox's network as asked for — internet access and egress rules, checked (IP addresses and
//! CIDR blocks; no domain names, SOCKS5 proxy or request transforms, which e2b-local cannot
//! enforce) — and `PUT /sandboxes/{sandboxID}/network`, which replaces the rules of a running one.

use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use e2b_wire::sandboxes::{SandboxNetworkConfig, SandboxNetworkUpdateConfig};

use super::requests::{json_body, not_found};
use super::runtime::{Cidr, Egress};
use super::sandbox::{Network, Phase};
use super::transitions;
use crate::errors::ControlError;
use crate::state::SharedState;

/// The network of a new sandbox; the error says which setting cannot be had.
pub fn settings(config: Option<SandboxNetworkConfig>, internet: Option<bool>) -> Result<Network, String> {
    let config = config.filter(|c| *c != SandboxNetworkConfig::default());
    let egress = match &config {
        Some(c) => {
            supported(c.egress_proxy.is_some(), c.rules.as_ref().is_some_and(|r| !r.is_empty()))?;
            egress(c.allow_out.as_deref().unwrap_or_default(), c.deny_out.as_deref().unwrap_or_default())?
        }
        None => Egress::default(),
    };
    Ok(Network { internet: internet.unwrap_or(true), config, egress })
}

/// Refuses what e2b-local cannot enforce.
fn supported(proxy: bool, rules: bool) -> Result<(), String> {
    if proxy {
        return Err("network.egressProxy is not supported by e2b-local".into());
    }
    if rules {
        return Err("network.rules (request transforms) are not supported by e2b-local".into());
    }
    Ok(())
}

/// Egress rules from `allowOut` and `denyOut`.
fn egress(allow: &[String], deny: &[String]) -> Result<Egress, String> {
    let parse = |field: &str, list: &[String]| -> Result<Vec<Cidr>, String> {
        list.iter()
            .map(|entry| {
                Cidr::parse(entry).map_err(|why| {
                    format!(
                        "network.{field}: {why} (e2b-local enforces IP addresses and CIDR blocks, not domain names)"
                    )
                })
            })
            .collect()
    };
    Ok(Egress { allow: parse("allowOut", allow)?, deny: parse("denyOut", deny)? })
}

/// `PUT /sandboxes/{id}/network`: replaces a running sandbox's egress rules and internet access
/// (an absent field is cleared); 409 for a paused one.
pub async fn update(
    State(state): State<SharedState>,
    Path(id): Path<String>,
    body: Result<Json<SandboxNetworkUpdateConfig>, JsonRejection>,
) -> Result<StatusCode, ControlError> {
    let req = json_body(body)?;
    supported(req.egress_proxy.is_some(), req.rules.as_ref().is_some_and(|r| !r.is_empty()))
        .map_err(ControlError::bad_request)?;
    let egress = egress(req.allow_out.as_deref().unwrap_or_default(), req.deny_out.as_deref().unwrap_or_default())
        .map_err(ControlError::bad_request)?;
    let s = state.sandboxes.get(&id).ok_or_else(|| not_found(&id))?;
    let _transition = s.transition.lock().await;
    if s.phase() != Phase::Running {
        return Err(ControlError::new(StatusCode::CONFLICT, format!("sandbox \"{id}\" is paused: resume it first")));
    }
    let container = s.container.get().ok_or_else(|| not_found(&id))?;
    let old = s.network();
    let mut config = old.config.clone().unwrap_or_default();
    config.allow_out = req.allow_out;
    config.deny_out = req.deny_out;
    let config = Some(config).filter(|c| *c != SandboxNetworkConfig::default());
    let network = Network { internet: req.allow_internet_access.unwrap_or(true), config, egress };
    transitions::apply_network(&container, &network, true).await.map_err(|e| match e.kind() {
        std::io::ErrorKind::Unsupported => ControlError::new(StatusCode::SERVICE_UNAVAILABLE, e.to_string()),
        _ => ControlError::internal(format!("cannot change the sandbox's network: {e}")),
    })?;
    s.set_network(network);
    tracing::info!(sandbox = %id, "network rules replaced");
    Ok(StatusCode::NO_CONTENT)
}

#[cfg(test)]
mod tests {
    use super::*;
    use e2b_wire::sandboxes::SandboxEgressProxyConfig;

    #[test]
    fn rules_are_addresses_and_blocks() {
        let config = SandboxNetworkConfig {
            allow_out: Some(vec!["127.0.0.1".into()]),
            deny_out: Some(vec!["0.0.0.0/0".into()]),
            ..Default::default()
        };
        let n = settings(Some(config.clone()), None).unwrap();
        assert!(n.internet);
        assert_eq!(n.config, Some(config));
        assert_eq!((n.egress.allow.len(), n.egress.deny.len()), (1, 1));
        assert_eq!(
            settings(None, Some(false)).unwrap(),
            Network { internet: false, config: None, egress: Egress::default() }
        );
        let domain = SandboxNetworkConfig { allow_out: Some(vec!["example.com".into()]), ..Default::default() };
        assert!(settings(Some(domain), None).unwrap_err().contains("not domain names"));
        let proxy = SandboxNetworkConfig {
            egress_proxy: Some(SandboxEgressProxyConfig { address: "p:1".into(), ..Default::default() }),
            ..Default::default()
        };
        assert_eq!(settings(Some(proxy), None).unwrap_err(), "network.egressProxy is not supported by e2b-local");
        // An empty configuration is no configuration.
        assert_eq!(settings(Some(SandboxNetworkConfig::default()), None).unwrap().config, None);
    }
}
