use symgrad::derive_grad;

#[derive_grad("r cos(t), r sin(t)")]
fn polar(r: f64, t: f64) -> f64;

fn main() {}
