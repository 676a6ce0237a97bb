use symgrad::derive_grad;

#[derive_grad("x * (y + 2 3")]
fn f(x: f64, y: f64) -> f64;

fn main() {
    let _ = f::grad(1.0, 2.0);
}
