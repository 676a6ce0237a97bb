use symgrad::derive_grad;

// Three mistakes, three errors; the calls below add none.
#[derive_grad(wrt(q))]
fn f(x: f64, n: u8) -> f64 {
    if x > 0.0 { x }
}

fn main() {
    let (_value, gradient) = f::grad(1.0, 2);
    let _: [f64; 0] = gradient;
    let (_, tape) = f::forward(1.0, 2);
    let _ = tape.backward(1.0);
    let _ = f(1.0, 2) + 1.0;
}
