use symgrad::derive_grad;

#[derive_grad("x * y", hvp, hvp(x))]
fn f(x: f64, y: f64) -> f64;

fn main() {}
