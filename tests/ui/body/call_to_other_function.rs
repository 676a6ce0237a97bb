use symgrad::derive_grad;

fn helper(x: f64) -> f64 {
    x * 2.0
}

#[derive_grad]
fn f(x: f64) -> f64 {
    helper(x) + 1.0
}

fn main() {
    let _ = helper(1.0);
}
