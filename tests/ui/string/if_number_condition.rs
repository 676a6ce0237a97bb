use symgrad::derive_grad;

#[derive_grad("if(x, 1, 0)")]
fn f(x: f64) -> f64;

fn main() {}
