use symgrad::derive_grad;

#[derive_grad]
fn f(x: f64) -> f64 {
    match x > 0.0 {
        true => x,
        false => 0.0,
    }
}

fn main() {}
