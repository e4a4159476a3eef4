//! How the SDK talks HTTP: one `fetch` call with its timeout and abort handling, the headers every
//! call carries, query strings, request and response bodies, JSON replies read by field tables, the
//! promise adapter, and what it reads from its host.

pub mod body;
pub mod fetch;
pub mod headers;
pub mod host;
pub mod js;
pub mod promise;
pub mod query;
pub mod reply;
pub mod upload;
