use symgrad::derive_grad;

// The generated `Problem` names `::argmin`: without the dependency, rustc says so.
#[derive_grad(argmin)]
fn f(x: f64, y: f64) -> f64 {
    x * y
}

fn main() {}
