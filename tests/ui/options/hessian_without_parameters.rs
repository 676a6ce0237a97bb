use symgrad::derive_grad;

#[derive_grad("2 * pi", hessian)]
fn f() -> f64;

fn main() {
    let _ = f::hessian();
}
