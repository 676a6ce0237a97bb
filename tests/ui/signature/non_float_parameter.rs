use symgrad::derive_grad;

#[derive_grad("x * n")]
fn f(x: f64, n: i32) -> f64;

fn main() {
    let _ = f::grad(1.0, 2);
}
