use symgrad::derive_grad;

#[derive_grad("r cos(t), r sin(t)")]
fn polar(r: f64, t: f64) -> [f64; 2];

fn main() {
    // A gradient is of one output: with two there is `jacobian`, `vjp` and `jvp`.
    let _ = polar::grad(1.0, 0.5);
}
