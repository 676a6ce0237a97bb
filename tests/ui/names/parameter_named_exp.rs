use symgrad::derive_grad;

#[derive_grad]
fn f(exp: f64, y: f64) -> f64 {
    exp * y
}

fn main() {}
