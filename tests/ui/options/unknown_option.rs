use symgrad::derive_grad;

#[derive_grad("x * y", at(x = 1.0))]
fn f(x: f64, y: f64) -> f64;

fn main() {}
