use symgrad::derive_grad;

#[derive_grad("r cos(t), r sin(t)", hvp)]
fn polar(r: f64, t: f64) -> [f64; 2];

fn main() {
    let _ = polar::jacobian(1.0, 0.5);
}
