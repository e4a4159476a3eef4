//! Volumes: the `Volume` class, its control-plane calls, its content requests, and its entries.

pub mod api;
pub mod class;
pub mod content;
pub mod entry;
mod typings;
