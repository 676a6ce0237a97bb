use symgrad::derive_grad;

#[derive_grad("x * y", argmin, argmin(nalgebra))]
fn f(x: f64, y: f64) -> f64;

fn main() {}
