use symgrad::derive_grad;

#[derive_grad("x * y")]
fn f(x: f64, y: f32) -> f64;

fn main() {}
