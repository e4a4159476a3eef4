//! `sandbox.pty`: interactive terminals in a sandbox, over envd's process service.
