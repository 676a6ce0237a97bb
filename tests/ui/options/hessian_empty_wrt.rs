use symgrad::derive_grad;

// `wrt()` names no parameter: the same error as without `hessian`, whose items the
// stubs still provide, so the call below adds no error of its own.
#[derive_grad("x * y", wrt(), hessian)]
fn f(x: f64, y: f64) -> f64;

fn main() {
    let _ = f::hessian(1.0, 2.0);
    let _ = f::hvp(1.0, 2.0, [1.0, 0.0]);
}
