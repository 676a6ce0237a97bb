use symgrad::derive_grad;

#[derive_grad]
fn polar(r: f64, t: f64) -> (f64, f64, f64) {
    (r * t.cos(), r * t.sin())
}

fn main() {
    let _ = polar::jacobian(1.0, 0.5);
}
