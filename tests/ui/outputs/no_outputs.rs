use symgrad::derive_grad;

#[derive_grad]
fn nothing(x: f64) -> [f64; 1] {
    []
}

fn main() {}
