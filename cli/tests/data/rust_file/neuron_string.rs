//! The CS231n neuron in math notation, on a function without a body.

use symgrad::derive_grad;

#[derive_grad("1/(1+e^-(w0x0+w1x1+w2))")]
fn neuron(w0: f64, x0: f64, w1: f64, x1: f64, w2: f64) -> f64;

fn main() {
    let (value, gradient) = neuron::grad(2.0, -1.0, -3.0, -2.0, -3.0);
    println!("{value} {gradient:?}");
}
