//! What envd knows inside its sandbox: the environment the host gave it, the processes it
//! started, and the directories it watches for clients that poll.

use std::collections::BTreeMap;
use std::sync::RwLock;

use super::filesystem::registry::Watchers;
use super::process::table::ProcessTable;

/// What envd knows inside its sandbox.
#[derive(Default)]
pub struct Agent {
    /// Environment variables of every process, from the host.
    env_vars: RwLock<BTreeMap<String, String>>,
    /// The processes started through envd.
    pub processes: ProcessTable,
    /// The watchers of `CreateWatcher`.
    pub watchers: Watchers,
}

impl Agent {
    /// The sandbox's environment variables.
    pub fn env_vars(&self) -> BTreeMap<String, String> {
        self.env_vars.read().unwrap().clone()
    }

    /// Sets the sandbox's environment variables.
    pub fn set_env_vars(&self, vars: BTreeMap<String, String>) {
        *self.env_vars.write().unwrap() = vars;
    }
}
