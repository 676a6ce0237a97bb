use symgrad::derive_grad;

#[derive_grad("x * y")]
fn f(x: f64, y: f64);

fn main() {
    let _: f64 = f(1.0, 2.0);
}
