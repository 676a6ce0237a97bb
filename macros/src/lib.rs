//! `#[derive_grad]`: fused forward and backward Rust functions of a scalar formula.
