use symgrad::derive_grad;

#[derive_grad("x * y")]
fn f(x: f64, y: f64) -> i64;

fn main() {}
