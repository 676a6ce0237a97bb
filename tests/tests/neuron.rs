//! The lecture's neuron through `#[derive_grad]`, in both forms: the lecture's numbers,
//! `Tape::backward(dout) = dout · grad`, `wrt` subsets, and f32.

use symgrad::derive_grad;

/// The CS231n lecture 4 neuron, in math notation.
#[derive_grad("1/(1+e^-(w0x0+w1x1+w2))")]
pub fn neuron(w0: f64, x0: f64, w1: f64, x1: f64, w2: f64) -> f64;

/// The same neuron, in Rust.
#[derive_grad]
pub fn neuron2(w0: f64, x0: f64, w1: f64, x1: f64, w2: f64) -> f64 {
    let s = w0 * x0 + w1 * x1 + w2;
    1.0 / (1.0 + (-s).exp())
}

#[derive_grad("1/(1+e^-(w0x0+w1x1+w2))", wrt(w2, w0))]
fn neuron_wrt(w0: f64, x0: f64, w1: f64, x1: f64, w2: f64) -> f64;

#[derive_grad("1/(1+e^-(w0x0+w1x1+w2))")]
fn neuron32(w0: f32, x0: f32, w1: f32, x1: f32, w2: f32) -> f32;

#[derive_grad]
fn neuron32_body(w0: f32, x0: f32, w1: f32, x1: f32, w2: f32) -> f32 {
    let s = w0 * x0 + w1 * x1 + w2;
    f32::recip(1.0 + (-s).exp())
}

const LECTURE: (f64, f64, f64, f64, f64) = (2.0, -1.0, -3.0, -2.0, -3.0);
const VALUE: f64 = 0.7310585786300049;
const GRADIENT: [f64; 5] = [
    -0.19661193324148185,
    0.39322386648296376,
    -0.39322386648296376,
    -0.5898357997244456,
    0.19661193324148185,
];

fn assert_close(actual: &[f64], expected: &[f64], tolerance: f64) {
    assert_eq!(actual.len(), expected.len());
    for (a, e) in actual.iter().zip(expected) {
        assert!((a - e).abs() <= tolerance, "{actual:?} != {expected:?}");
    }
}

#[test]
fn string_form_gives_the_lectures_numbers() {
    let (w0, x0, w1, x1, w2) = LECTURE;
    assert!((neuron(w0, x0, w1, x1, w2) - VALUE).abs() < 1e-15);
    let (value, gradient) = neuron::grad(w0, x0, w1, x1, w2);
    assert!((value - VALUE).abs() < 1e-15);
    assert_close(&gradient, &GRADIENT, 1e-15);
    assert_eq!(neuron::WRT, ["w0", "x0", "w1", "x1", "w2"]);
}

#[test]
fn rust_body_form_gives_the_lectures_numbers() {
    let (w0, x0, w1, x1, w2) = LECTURE;
    assert!((neuron2(w0, x0, w1, x1, w2) - VALUE).abs() < 1e-15);
    let (value, gradient) = neuron2::grad(w0, x0, w1, x1, w2);
    assert!((value - VALUE).abs() < 1e-15);
    assert_close(&gradient, &GRADIENT, 1e-15);
}

#[test]
fn both_forms_agree_exactly() {
    for k in 0..20 {
        let t = f64::from(k) * 0.37 - 3.0;
        let p = (t, -t / 2.0, t * t - 1.0, 0.5 - t, t.sin());
        assert_eq!(
            neuron::grad(p.0, p.1, p.2, p.3, p.4),
            neuron2::grad(p.0, p.1, p.2, p.3, p.4)
        );
    }
}

#[test]
fn backward_is_dout_times_grad() {
    let (w0, x0, w1, x1, w2) = LECTURE;
    let (_, gradient) = neuron::grad(w0, x0, w1, x1, w2);
    let (value, tape) = neuron::forward(w0, x0, w1, x1, w2);
    assert_eq!(value, neuron(w0, x0, w1, x1, w2));
    for dout in [1.0, -2.5, 0.0, 1e-3, 7.0] {
        let expected: Vec<f64> = gradient.iter().map(|g| dout * g).collect();
        assert_eq!(tape.backward(dout).to_vec(), expected);
    }
    let (_, tape2) = neuron2::forward(w0, x0, w1, x1, w2);
    assert_eq!(tape2.backward(2.0), gradient.map(|g| 2.0 * g));
}

#[test]
fn wrt_selects_and_orders_the_partials() {
    let (w0, x0, w1, x1, w2) = LECTURE;
    assert_eq!(neuron_wrt::WRT, ["w2", "w0"]);
    let (value, gradient) = neuron_wrt::grad(w0, x0, w1, x1, w2);
    assert!((value - VALUE).abs() < 1e-15);
    assert_close(&gradient, &[GRADIENT[4], GRADIENT[0]], 1e-15);
    let (_, tape) = neuron_wrt::forward(w0, x0, w1, x1, w2);
    assert_eq!(tape.backward(3.0), gradient.map(|g| 3.0 * g));
}

#[test]
fn f32_everywhere_gives_f32_code() {
    let (w0, x0, w1, x1, w2) = (2.0f32, -1.0f32, -3.0f32, -2.0f32, -3.0f32);
    let (value, gradient): (f32, [f32; 5]) = neuron32::grad(w0, x0, w1, x1, w2);
    assert!((f64::from(value) - VALUE).abs() < 1e-6);
    let gradient: Vec<f64> = gradient.iter().map(|&g| f64::from(g)).collect();
    assert_close(&gradient, &GRADIENT, 1e-6);
    let (value, gradient) = neuron32_body::grad(w0, x0, w1, x1, w2);
    assert!((f64::from(value) - VALUE).abs() < 1e-6);
    assert!((f64::from(gradient[3]) - GRADIENT[3]).abs() < 1e-6);
    let (_, tape): (f32, neuron32::Tape) = neuron32::forward(w0, x0, w1, x1, w2);
    assert_eq!(
        tape.backward(0.5)[0],
        0.5 * neuron32::grad(w0, x0, w1, x1, w2).1[0]
    );
}

mod inner {
    use symgrad::derive_grad;

    /// A square, visible in the crate only.
    #[derive_grad("x^2 + 0·y")]
    #[inline]
    #[must_use]
    pub(crate) fn square(x: f64, y: f64) -> f64;
}

#[test]
fn visibility_docs_and_attributes_are_kept() {
    assert_eq!(inner::square(3.0, 1.0), 9.0);
    assert_eq!(inner::square::grad(3.0, 1.0), (9.0, [6.0, 0.0]));
    let (_, tape) = inner::square::forward(3.0, 1.0);
    assert_eq!(tape.backward(0.5), [3.0, 0.0]);
}
