//! What envd knows inside its sandbox: the environment the host gave it, and the processes it
//! started.

use std::collections::BTreeMap;
use std::sync::RwLock;

use super::process::table::ProcessTable;

/// What envd knows inside its sandbox.
#[derive(Default)]
pub struct Agent {
    /// Environment variables of every process, from the host.
    env_vars: RwLock<BTreeMap<String, String>>,
    /// The processes started through envd.
    pub processes: ProcessTable,
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
