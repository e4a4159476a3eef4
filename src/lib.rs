//! e2b-wasm: placeholder
