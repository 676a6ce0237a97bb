use symgrad::derive_grad;

#[derive_grad("2 * (x > 0)")]
fn f(x: f64) -> f64;

fn main() {}
