use symgrad::derive_grad;

// With levenberg_marquardt, `t` and `y` are rows of data; with argmin, fixed values.
#[derive_grad(wrt(a, b), argmin, levenberg_marquardt)]
fn r(a: f64, b: f64, t: f64, y: f64) -> f64 {
    a * (-b * t).exp() - y
}

fn main() {}
