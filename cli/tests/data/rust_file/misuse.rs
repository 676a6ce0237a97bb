//! A function the macro rejects: two errors, each at its token.

use symgrad::derive_grad;

#[derive_grad]
fn f(x: f64, n: i32) -> f64 {
    x % 2.0
}
