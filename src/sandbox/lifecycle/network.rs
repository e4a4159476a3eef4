//! The `network` option of `Sandbox.create` and the argument of `updateNetwork` — egress rules,
//! selectors given as callbacks, per-host transforms and a SOCKS5 proxy — and the `iam` option
//! whose tokens the transforms name; built and checked as e2b 2.51 builds and checks them.

use std::collections::BTreeMap;

use e2b_wire::sandboxes::{
    SandboxEgressProxyConfig, SandboxNetworkConfig, SandboxNetworkRule, SandboxNetworkTransform,
    SandboxNetworkUpdateConfig,
};
use js_sys::{Array, Function, Map, Object, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::errors::{lifecycle as messages, Error, Result};
use crate::options::Options;
use crate::transport::js::{get, set, set_dynamic};

/// What `allowOut: ({ allTraffic }) => [allTraffic]` is given: every IPv4 address.
const ALL_TRAFFIC: &str = "0.0.0.0/0";

/// The egress part shared by create and update.
struct Egress {
    allow_out: Option<Vec<String>>,
    deny_out: Option<Vec<String>>,
    egress_proxy: Option<SandboxEgressProxyConfig>,
    rules: Option<BTreeMap<String, Vec<SandboxNetworkRule>>>,
}

/// The `network` of a create request, its transforms given the `iam` token names; `None` without one.
pub fn create_body(network: Option<JsValue>, token_names: &[String]) -> Result<Option<SandboxNetworkConfig>> {
    let Some(network) = network else { return Ok(None) };
    let e = egress(&network, Some(token_names))?;
    let n = Options::new(Some(network));
    Ok(Some(SandboxNetworkConfig {
        allow_out: e.allow_out,
        deny_out: e.deny_out,
        egress_proxy: e.egress_proxy,
        rules: e.rules,
        allow_public_traffic: n.boolean("allowPublicTraffic"),
        mask_request_host: n.string("maskRequestHost"),
        https_ports: n
            .get("httpsPorts")
            .map(|p| Array::from(&p).iter().filter_map(|v| v.as_f64()).map(|v| v as u16).collect()),
    }))
}

/// The body of `updateNetwork`: every egress field replaced (an absent one is cleared).
pub fn update_body(network: &JsValue) -> Result<SandboxNetworkUpdateConfig> {
    // The update carries no `iam`: every token name a transform asks for is given its placeholder.
    let e = egress(network, None)?;
    Ok(SandboxNetworkUpdateConfig {
        allow_out: e.allow_out,
        deny_out: e.deny_out,
        egress_proxy: e.egress_proxy,
        rules: e.rules,
        allow_internet_access: Options::new(Some(network.clone())).boolean("allowInternetAccess"),
    })
}

/// `iam.tokens` as the create request has it (`{ tokens: { name: { audience, tokenType } } }`,
/// `None` when there are none), and the token names.
pub fn iam_body(iam: Option<JsValue>) -> Result<(Option<JsValue>, Vec<String>)> {
    let tokens = Object::new();
    let mut names = Vec::new();
    for (name, token) in entries(&get(&iam.unwrap_or(JsValue::UNDEFINED), "tokens")) {
        if !truthy(&token) {
            continue;
        }
        let (audience, kind) = (get(&token, "audience"), get(&token, "tokenType"));
        if !audience.is_string() || !kind.is_string() {
            return Err(Error::InvalidArgument(messages::iam_token_invalid(&name)));
        }
        check_token_name(&name)?;
        let entry = Object::new();
        set(&entry, "audience", &audience);
        set(&entry, "tokenType", &kind);
        set_dynamic(&tokens, &name, &entry.into());
        names.push(name);
    }
    if names.is_empty() {
        return Ok((None, names));
    }
    let body = Object::new();
    set(&body, "tokens", &tokens.into());
    Ok((Some(body.into()), names))
}

fn check_token_name(name: &str) -> Result<()> {
    if name.is_empty() || name.chars().any(|c| c == '{' || c == '}' || c.is_control()) {
        let quoted = js_sys::JSON::stringify(&name.into()).ok().and_then(|s| s.as_string()).unwrap_or_default();
        return Err(Error::InvalidArgument(messages::iam_token_name_invalid(&quoted)));
    }
    Ok(())
}

/// The egress fields of `network`; `token_names` are the `iam` tokens transforms may name (`None`:
/// any name).
fn egress(network: &JsValue, token_names: Option<&[String]>) -> Result<Egress> {
    let given = get(network, "rules");
    let rules: Map = if given.is_instance_of::<Map>() {
        given.clone().unchecked_into()
    } else {
        let map = Map::new();
        for (host, list) in entries(&given) {
            map.set(&host.into(), &list);
        }
        map
    };
    let allow_out = selector(&get(network, "allowOut"), &rules)?;
    let deny_out = selector(&get(network, "denyOut"), &rules)?;
    let proxy = get(network, "egressProxy");
    let egress_proxy = if proxy.is_undefined() || proxy.is_null() { None } else { Some(egress_proxy(&proxy)?) };
    let rules = if given.is_undefined() { None } else { Some(transforms(&rules, token_names)?) };
    Ok(Egress { allow_out, deny_out, egress_proxy, rules })
}

/// A selector: a list, or a callback given `{ allTraffic, rules }` that returns one.
fn selector(value: &JsValue, rules: &Map) -> Result<Option<Vec<String>>> {
    if value.is_undefined() {
        return Ok(None);
    }
    let list = match value.dyn_ref::<Function>() {
        Some(f) => {
            let ctx = Object::new();
            set(&ctx, "allTraffic", &ALL_TRAFFIC.into());
            set(&ctx, "rules", rules);
            f.call1(&JsValue::UNDEFINED, &ctx)?
        }
        None => value.clone(),
    };
    Ok(Some(Array::from(&list).iter().filter_map(|v| v.as_string()).collect()))
}

fn egress_proxy(proxy: &JsValue) -> Result<SandboxEgressProxyConfig> {
    let address = get(proxy, "address").as_string().filter(|_| is_plain_object(proxy));
    let address = address.ok_or_else(|| Error::InvalidArgument(messages::EGRESS_PROXY_INVALID.into()))?;
    let p = Options::new(Some(proxy.clone()));
    let text = |key: &'static str| p.get(key).and_then(|v| v.as_string());
    Ok(SandboxEgressProxyConfig { address, username: text("username"), password: text("password") })
}

/// Each host's rules with their transforms resolved; a callback is given `{ iam: { tokens } }`.
fn transforms(rules: &Map, token_names: Option<&[String]>) -> Result<BTreeMap<String, Vec<SandboxNetworkRule>>> {
    let iam = Object::new();
    set(&iam, "tokens", &token_placeholders(token_names));
    let ctx = Object::new();
    set(&ctx, "iam", &iam.into());
    let mut out = BTreeMap::new();
    for entry in rules.entries().into_iter().flatten() {
        let pair: Array = entry.unchecked_into();
        let host = pair.get(0).as_string().unwrap_or_default();
        let mut list = Vec::new();
        for rule in Array::from(&pair.get(1)).iter() {
            let given = get(&rule, "transform");
            let transform = if given.is_undefined() || given.is_null() {
                None
            } else if let Some(f) = given.dyn_ref::<Function>() {
                let made = f.call1(&JsValue::UNDEFINED, &ctx)?;
                if made.is_instance_of::<Promise>() || get(&made, "then").is_function() {
                    return Err(Error::InvalidArgument(messages::transform_async(&host)));
                }
                if !is_plain_object(&made) {
                    return Err(Error::InvalidArgument(messages::transform_not_object(&host, &describe(&made))));
                }
                Some(transform_of(&made))
            } else {
                Some(transform_of(&given))
            };
            list.push(SandboxNetworkRule { transform });
        }
        out.insert(host, list);
    }
    Ok(out)
}

/// The placeholder the egress proxy replaces with a fresh token of `name`.
fn placeholder(name: &str) -> JsValue {
    ["${e2b.identity.tokens.", name, "}"].concat().into()
}

/// The `iam.tokens` a transform callback sees: each registered name's placeholder. Any other name
/// is an `InvalidArgumentError` when the names are known, its placeholder when they are not; what
/// JavaScript itself reads off objects (`then`, `toJSON`, …, symbols) is answered as for a plain
/// object.
fn token_placeholders(names: Option<&[String]>) -> JsValue {
    let tokens = Object::new();
    for name in names.unwrap_or_default() {
        set_dynamic(&tokens, name, &placeholder(name));
    }
    let known: Option<Vec<String>> = names.map(<[String]>::to_vec);
    let get = Closure::<dyn Fn(JsValue, JsValue) -> std::result::Result<JsValue, JsValue>>::new(
        move |target: JsValue, key: JsValue| {
            let Some(name) = key.as_string().filter(|k| !PROBED.contains(&k.as_str())) else {
                return js_sys::Reflect::get(&target, &key);
            };
            if Object::has_own(target.unchecked_ref::<Object>(), &key) {
                return js_sys::Reflect::get(&target, &key);
            }
            match &known {
                None => Ok(placeholder(&name)),
                Some(names) => Err(Error::InvalidArgument(messages::iam_token_unregistered(&name, names)).into()),
            }
        },
    );
    let handler = Object::new();
    set(&handler, "get", &get.into_js_value());
    js_sys::Proxy::new(&tokens, &handler).into()
}

/// What the language and runtimes read off any object they print, await or convert.
const PROBED: &[&str] = &["toJSON", "then", "toString", "valueOf"];

fn transform_of(value: &JsValue) -> SandboxNetworkTransform {
    let headers = get(value, "headers");
    // Inserted one by one: collecting into the map would sort the pairs first, and bring a sort in.
    let headers = (!headers.is_undefined()).then(|| {
        let mut map = BTreeMap::new();
        for (k, v) in entries(&headers) {
            if let Some(v) = v.as_string() {
                map.insert(k, v);
            }
        }
        map
    });
    SandboxNetworkTransform { headers }
}

/// The own enumerable `[key, value]` pairs of an object (none for anything else).
fn entries(value: &JsValue) -> Vec<(String, JsValue)> {
    if !value.is_object() {
        return Vec::new();
    }
    Object::entries(value.unchecked_ref())
        .iter()
        .map(|e| {
            let pair: Array = e.unchecked_into();
            (pair.get(0).as_string().unwrap_or_default(), pair.get(1))
        })
        .collect()
}

fn truthy(value: &JsValue) -> bool {
    value.is_truthy()
}

/// An object made by `{}` or `Object.create(null)`.
fn is_plain_object(value: &JsValue) -> bool {
    if !value.is_object() {
        return false;
    }
    let proto = Object::get_prototype_of(value);
    proto.is_null() || proto == Object::get_prototype_of(&Object::new())
}

/// How an error names a value that is not a transform object.
fn describe(value: &JsValue) -> String {
    if value.is_null() {
        return "null".into();
    }
    if !value.is_object() {
        return value.js_typeof().as_string().unwrap_or_default();
    }
    if Array::is_array(value) {
        return "array".into();
    }
    get(&get(value, "constructor"), "name").as_string().unwrap_or_else(|| "object".into())
}
