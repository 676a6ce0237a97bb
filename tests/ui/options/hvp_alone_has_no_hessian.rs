use symgrad::derive_grad;

// `hvp` gives `f::hvp` only: the Hessian's code grows with the square of the parameters.
#[derive_grad("x * y", hvp)]
fn f(x: f64, y: f64) -> f64;

fn main() {
    let _ = f::hvp(1.0, 2.0, [1.0, 0.0]);
    let _ = f::hessian(1.0, 2.0);
}
