use symgrad::derive_grad;

#[derive_grad("x + 1")]
fn f(x: f64, e: f64) -> f64;

fn main() {}
