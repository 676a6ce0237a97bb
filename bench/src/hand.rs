//! Hand-written fused gradients: what a careful engineer writes for each formula after
//! deriving it on paper — one forward pass saving what the backward pass reuses, the
//! sigmoid's local gradient as `σ(1-σ)`. They are the practical limit the generated code
//! is measured against. Inputs and outputs are ordered like the formula's `vars`.

use crate::formulas::{DEEP_LAYERS, NEURON50_INPUTS};

/// The input count of [`neuron50`].
pub const NEURON50_VARS: usize = 2 * NEURON50_INPUTS + 1;
/// The input count of [`deep`].
pub const DEEP_VARS: usize = 2 * DEEP_LAYERS + 1;

#[inline]
fn sigmoid(u: f64) -> f64 {
    1.0 / (1.0 + (-u).exp())
}

/// `σ(w0·x0 + w1·x1 + w2)`, the lecture's neuron.
///
/// ```
/// let (f, g) = symgrad_bench::hand::neuron(&[2.0, -1.0, -3.0, -2.0, -3.0]);
/// assert!((f - 0.7310585786300049).abs() < 1e-15);
/// assert!((g[0] - -0.19661193324148185).abs() < 1e-15);
/// ```
#[inline]
pub fn neuron(x: &[f64; 5]) -> (f64, [f64; 5]) {
    let [w0, x0, w1, x1, w2] = *x;
    let f = sigmoid(w0 * x0 + w1 * x1 + w2);
    let d = f * (1.0 - f);
    (f, [d * x0, d * w0, d * x1, d * w1, d])
}

/// The 2-2-1 sigmoid network; inputs `x0 x1 w00 w01 b0 w10 w11 b1 v0 v1 c`.
#[inline]
pub fn net(x: &[f64; 11]) -> (f64, [f64; 11]) {
    let [x0, x1, w00, w01, b0, w10, w11, b1, v0, v1, c] = *x;
    let h0 = sigmoid(w00 * x0 + w01 * x1 + b0);
    let h1 = sigmoid(w10 * x0 + w11 * x1 + b1);
    let o = sigmoid(v0 * h0 + v1 * h1 + c);
    let d_o = o * (1.0 - o);
    let d0 = d_o * v0 * h0 * (1.0 - h0);
    let d1 = d_o * v1 * h1 * (1.0 - h1);
    let grad = [
        d0 * w00 + d1 * w10,
        d0 * w01 + d1 * w11,
        d0 * x0,
        d0 * x1,
        d0,
        d1 * x0,
        d1 * x1,
        d1,
        d_o * h0,
        d_o * h1,
        d_o,
    ];
    (o, grad)
}

/// The logistic loss `-(y·ln σ(z) + (1-y)·ln(1-σ(z)))`, `z = w0·x0 + w1·x1 + w2`, written
/// the way one writes it by hand: `softplus(z) - y·z`, with `∂/∂z = σ(z) - y` and
/// `∂/∂y = -z`.
#[inline]
pub fn logistic(x: &[f64; 6]) -> (f64, [f64; 6]) {
    let [w0, x0, w1, x1, w2, y] = *x;
    let z = w0 * x0 + w1 * x1 + w2;
    let softplus = z.max(0.0) + (-z.abs()).exp().ln_1p();
    let d = sigmoid(z) - y;
    (softplus - y * z, [d * x0, d * w0, d * x1, d * w1, d, -z])
}

/// The 50-input neuron; inputs `w0 x0 … w49 x49 b`.
#[inline]
pub fn neuron50(x: &[f64; NEURON50_VARS]) -> (f64, [f64; NEURON50_VARS]) {
    let mut s = x[NEURON50_VARS - 1];
    for i in 0..NEURON50_INPUTS {
        s += x[2 * i] * x[2 * i + 1];
    }
    let f = sigmoid(s);
    let d = f * (1.0 - f);
    let mut grad = [0.0; NEURON50_VARS];
    for i in 0..NEURON50_INPUTS {
        grad[2 * i] = d * x[2 * i + 1];
        grad[2 * i + 1] = d * x[2 * i];
    }
    grad[NEURON50_VARS - 1] = d;
    (f, grad)
}

/// 16 nested sigmoid units; inputs `x w0 b0 … w15 b15`.
#[inline]
pub fn deep(x: &[f64; DEEP_VARS]) -> (f64, [f64; DEEP_VARS]) {
    let mut h = [0.0; DEEP_LAYERS + 1];
    h[0] = x[0];
    for k in 0..DEEP_LAYERS {
        h[k + 1] = sigmoid(x[1 + 2 * k] * h[k] + x[2 + 2 * k]);
    }
    let mut grad = [0.0; DEEP_VARS];
    let mut upstream = 1.0;
    for k in (0..DEEP_LAYERS).rev() {
        let d = upstream * h[k + 1] * (1.0 - h[k + 1]);
        grad[1 + 2 * k] = d * h[k];
        grad[2 + 2 * k] = d;
        upstream = d * x[1 + 2 * k];
    }
    grad[0] = upstream;
    (h[DEEP_LAYERS], grad)
}

/// Rosenbrock's `(1-x)² + 100(y-x²)²`: value, gradient and Hessian as derived on paper,
/// `∂²/∂x² = 2 - 400y + 1200x²`, `∂²/∂x∂y = -400x`, `∂²/∂y² = 200`.
///
/// ```
/// let (f, g, h) = symgrad_bench::hand::rosenbrock_hessian(&[1.0, 1.0]);
/// assert_eq!((f, g), (0.0, [0.0, 0.0]));
/// assert_eq!(h, [[802.0, -400.0], [-400.0, 200.0]]);
/// ```
#[inline]
pub fn rosenbrock_hessian(v: &[f64; 2]) -> (f64, [f64; 2], [[f64; 2]; 2]) {
    let [x, y] = *v;
    let (a, b) = (1.0 - x, y - x * x);
    let f = a * a + 100.0 * b * b;
    let grad = [-2.0 * a - 400.0 * x * b, 200.0 * b];
    let xy = -400.0 * x;
    let hessian = [[2.0 - 400.0 * y + 1200.0 * x * x, xy], [xy, 200.0]];
    (f, grad, hessian)
}

/// The mean Huber loss (threshold 1) of `w·x + b` over four samples; inputs
/// `w b x0 y0 … x3 y3`. Each residual's derivative is the residual inside the threshold,
/// its sign outside.
#[inline]
pub fn huber(x: &[f64; 10]) -> (f64, [f64; 10]) {
    let [w, b, ..] = *x;
    let mut loss = 0.0;
    let mut grad = [0.0; 10];
    for i in 0..4 {
        let (xi, yi) = (x[2 + 2 * i], x[3 + 2 * i]);
        let r = w * xi + b - yi;
        let (h, dh) = if r.abs() <= 1.0 {
            (0.5 * r * r, r)
        } else {
            (r.abs() - 0.5, r.signum())
        };
        loss += h;
        let d = 0.25 * dh;
        grad[0] += d * xi;
        grad[1] += d;
        grad[2 + 2 * i] = d * w;
        grad[3 + 2 * i] = -d;
    }
    (0.25 * loss, grad)
}

/// Three ELU neurons on two inputs, summed; inputs `x0 x1 w00 w01 b0 … w20 w21 b2`.
/// Below 0, `elu(z) = e^z - 1` (by `exp_m1`) and `elu'(z) = e^z`, one `exp` for both.
#[inline]
pub fn elu_layer(x: &[f64; 11]) -> (f64, [f64; 11]) {
    let [x0, x1, ..] = *x;
    let mut out = 0.0;
    let mut grad = [0.0; 11];
    for k in 0..3 {
        let [w0, w1, b] = [x[2 + 3 * k], x[3 + 3 * k], x[4 + 3 * k]];
        let z = w0 * x0 + w1 * x1 + b;
        let (e, d) = if z > 0.0 {
            (z, 1.0)
        } else {
            let m = z.exp_m1();
            (m, m + 1.0)
        };
        out += e;
        grad[0] += d * w0;
        grad[1] += d * w1;
        grad[2 + 3 * k] = d * x0;
        grad[3 + 3 * k] = d * x1;
        grad[4 + 3 * k] = d;
    }
    (out, grad)
}
