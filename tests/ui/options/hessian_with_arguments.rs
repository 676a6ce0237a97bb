use symgrad::derive_grad;

#[derive_grad("x * y", hessian(x))]
fn f(x: f64, y: f64) -> f64;

fn main() {
    let _ = f::hessian(1.0, 2.0);
}
