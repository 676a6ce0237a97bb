//! Functions with arrays and loops (SPEC §8) at the lecture's sizes, for
//! `benches/arrays.rs` (issue 15): the two-layer net (3072 inputs, 100 hidden units with
//! ReLU, 10 scores, a max-shifted softmax loss over a label) and logistic regression's mean
//! loss over data rows in slices, each through `#[derive_grad]` and written by hand.
//!
//! The net's weights are 308 200 `f64` (2.4 MB) and its gradient as much again: both live
//! on the heap ([`NetParams`], [`boxed_net_grad`]) and are passed by reference.

// Index loops, as the lecture writes backprop.
#![allow(clippy::needless_range_loop)]

use symgrad::derive_grad;

/// Features per data row of the logistic regression.
pub const FEATURES: usize = 8;
/// Data rows of the logistic regression.
pub const ROWS: usize = 100_000;

include!("net_item.rs");

/// The net's value and gradient by hand, the lecture's backprop written plainly: one
/// forward pass that keeps the pre-activations `z` and the exponentials of the scores, one
/// backward pass that writes each partial once (`=`, no zeroing first, except `dx`, a sum
/// over the hidden units). No allocation; `g` is overwritten. It uses nothing of the
/// generated code but the plain struct [`net::Grad`] to write into.
#[inline]
pub fn net_by_hand(
    w1: &[[f64; D]; H],
    b1: &[f64; H],
    w2: &[[f64; H]; C],
    b2: &[f64; C],
    x: &[f64; D],
    y: usize,
    g: &mut net::Grad,
) -> f64 {
    let (mut z, mut h) = ([0.0; H], [0.0; H]);
    for j in 0..H {
        let mut acc = b1[j];
        for i in 0..D {
            acc += w1[j][i] * x[i];
        }
        z[j] = acc;
        h[j] = acc.max(0.0);
    }
    let mut s = [0.0; C];
    for k in 0..C {
        let mut acc = b2[k];
        for j in 0..H {
            acc += w2[k][j] * h[j];
        }
        s[k] = acc;
    }
    let m = s.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let mut e = [0.0; C];
    let mut total = 0.0;
    for k in 0..C {
        e[k] = (s[k] - m).exp();
        total += e[k];
    }
    let loss = m + total.ln() - s[y];

    let mut dh = [0.0; H];
    for k in 0..C {
        let ds = e[k] / total - if k == y { 1.0 } else { 0.0 };
        g.b2[k] = ds;
        for j in 0..H {
            g.w2[k][j] = ds * h[j];
            dh[j] += ds * w2[k][j];
        }
    }
    g.x.fill(0.0);
    for j in 0..H {
        let dz = if z[j] > 0.0 { dh[j] } else { 0.0 };
        g.b1[j] = dz;
        for i in 0..D {
            g.w1[j][i] = dz * x[i];
            g.x[i] += dz * w1[j][i];
        }
    }
    loss
}

/// The net's parameters and one input, on the heap.
#[derive(Clone, Debug)]
pub struct NetParams {
    pub w1: Box<[[f64; D]; H]>,
    pub b1: Box<[f64; H]>,
    pub w2: Box<[[f64; H]; C]>,
    pub b2: Box<[f64; C]>,
    pub x: Box<[f64; D]>,
    pub y: usize,
}

impl NetParams {
    /// Deterministic weights scaled so that each pre-activation is of order one (about
    /// half the hidden units active), biases and the input in [-1, 1], the label `seed % C`.
    pub fn new(seed: u64) -> Self {
        let w1 = scaled(seed, D * H, (3.0 / D as f64).sqrt() * 3.0);
        let w2 = scaled(seed + 1, H * C, (3.0 / H as f64).sqrt());
        NetParams {
            w1: boxed_matrix(&w1),
            b1: boxed_array(&values(seed + 2, H)),
            w2: boxed_matrix(&w2),
            b2: boxed_array(&values(seed + 3, C)),
            x: boxed_array(&values(seed + 4, D)),
            y: seed as usize % C,
        }
    }

    /// `fn net` at these parameters: the forward pass alone.
    #[inline]
    pub fn value(&self) -> f64 {
        net(&self.w1, &self.b1, &self.w2, &self.b2, &self.x, self.y)
    }

    /// The generated `net::grad_into`.
    #[inline]
    pub fn generated(&self, g: &mut net::Grad) -> f64 {
        net::grad_into(&self.w1, &self.b1, &self.w2, &self.b2, &self.x, self.y, g)
    }

    /// [`net_by_hand`].
    #[inline]
    pub fn by_hand(&self, g: &mut net::Grad) -> f64 {
        net_by_hand(&self.w1, &self.b1, &self.w2, &self.b2, &self.x, self.y, g)
    }

    /// Every parameter and the input in one vector, in the order `w1` (row by row), `b1`,
    /// `w2`, `b2`, `x`: the input of a runtime autodiff tape.
    pub fn flat(&self) -> Vec<f64> {
        let mut v = Vec::with_capacity(D * H + H + C * H + C + D);
        v.extend_from_slice(self.w1.as_flattened());
        v.extend_from_slice(&self.b1[..]);
        v.extend_from_slice(self.w2.as_flattened());
        v.extend_from_slice(&self.b2[..]);
        v.extend_from_slice(&self.x[..]);
        v
    }
}

/// A gradient in the order of [`NetParams::flat`].
pub fn flat_grad(g: &net::Grad) -> Vec<f64> {
    let mut v = Vec::with_capacity(D * H + H + C * H + C + D);
    v.extend_from_slice(g.w1.as_flattened());
    v.extend_from_slice(&g.b1);
    v.extend_from_slice(g.w2.as_flattened());
    v.extend_from_slice(&g.b2);
    v.extend_from_slice(&g.x);
    v
}

/// A zeroed [`net::Grad`] on the heap. The generated code has no `Grad::boxed()` (SPEC §8
/// names one) and the workspace forbids `unsafe`, so this is `Box::new` of a struct
/// literal: optimized builds write the zeros straight into the allocation, but an
/// unoptimized build may build the 2.4 MB struct on the stack first (fine on a main
/// thread's 8 MiB, not on a test thread's 2 MiB).
pub fn boxed_net_grad() -> Box<net::Grad> {
    Box::new(net::Grad {
        w1: [[0.0; D]; H],
        b1: [0.0; H],
        w2: [[0.0; H]; C],
        b2: [0.0; C],
        x: [0.0; D],
    })
}

/// A heap array from a slice of its length, without a copy on the stack.
pub fn boxed_array<const N: usize>(v: &[f64]) -> Box<[f64; N]> {
    v.to_vec()
        .into_boxed_slice()
        .try_into()
        .expect("a slice of the array's length")
}

/// A heap matrix of `M` rows of `N` from its row-major elements.
pub fn boxed_matrix<const N: usize, const M: usize>(v: &[f64]) -> Box<[[f64; N]; M]> {
    assert_eq!(v.len(), N * M, "row-major elements of an {M}×{N} matrix");
    let rows: Vec<[f64; N]> = v
        .chunks_exact(N)
        .map(|row| row.try_into().expect("chunks of N"))
        .collect();
    rows.into_boxed_slice()
        .try_into()
        .expect("M rows of the matrix")
}

/// Deterministic values in about [-1, 1] (xorshift64).
pub fn values(seed: u64, n: usize) -> Vec<f64> {
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..n)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 11) as f64 / (1u64 << 53) as f64 * 2.0 - 1.0
        })
        .collect()
}

fn scaled(seed: u64, n: usize, scale: f64) -> Vec<f64> {
    values(seed, n).into_iter().map(|v| v * scale).collect()
}

/// Logistic regression's mean loss over the rows `xs` with labels `ys` in {0, 1}, written
/// like `tests/tests/arrays.rs`: the probability `p` is a `let` of its own, so the loss's
/// statement sees `p`, not `σ(z)`. `logistic_rows::Problem` is the loss in argmin.
#[derive_grad(argmin)]
pub fn logistic_rows(w: &[f64; FEATURES], b: f64, xs: &[[f64; FEATURES]], ys: &[f64]) -> f64 {
    let mut loss = 0.0;
    for r in 0..xs.len() {
        let mut z = b;
        for k in 0..FEATURES {
            z += w[k] * xs[r][k];
        }
        let p = 1.0 / (1.0 + (-z).exp());
        loss -= ys[r] * p.ln() + (1.0 - ys[r]) * (1.0 - p).ln();
    }
    loss / xs.len() as f64
}

/// Poisson regression's mean negative log-likelihood (up to a constant) over data rows:
/// its gradient `(e^z - y)·x` reuses the value's `e^z`, so value and gradient share nearly
/// all their work (logistic regression's gradient needs no logarithm, its value does).
#[derive_grad(argmin)]
pub fn poisson_rows(w: &[f64; FEATURES], b: f64, xs: &[[f64; FEATURES]], ys: &[f64]) -> f64 {
    let mut loss = 0.0;
    for r in 0..xs.len() {
        let mut z = b;
        for k in 0..FEATURES {
            z += w[k] * xs[r][k];
        }
        loss += z.exp() - ys[r] * z;
    }
    loss / xs.len() as f64
}

/// The same loss with `σ(z)` written out inside the loss's one statement, so that the
/// scalar pipeline sees the whole per-row loss (and can turn it into `softplus(z) - y·z`).
#[derive_grad]
pub fn logistic_rows_one_statement(
    w: &[f64; FEATURES],
    b: f64,
    xs: &[[f64; FEATURES]],
    ys: &[f64],
) -> f64 {
    let mut loss = 0.0;
    for r in 0..xs.len() {
        let mut z = b;
        for k in 0..FEATURES {
            z += w[k] * xs[r][k];
        }
        loss += -(ys[r] * (1.0 / (1.0 + (-z).exp())).ln()
            + (1.0 - ys[r]) * (1.0 - 1.0 / (1.0 + (-z).exp())).ln());
    }
    loss / xs.len() as f64
}

/// The logistic loss and its gradient `(loss, ∂w, ∂b)` by hand, in one loop over the rows:
/// per row one exponential `e^-|z|`, the loss in its stable form `softplus(z) - y·z` and
/// the gradient `(σ(z) - y)·x`, then the mean.
#[inline]
pub fn logistic_by_hand(
    w: &[f64; FEATURES],
    b: f64,
    xs: &[[f64; FEATURES]],
    ys: &[f64],
) -> (f64, [f64; FEATURES], f64) {
    let (mut loss, mut dw, mut db) = (0.0, [0.0; FEATURES], 0.0);
    for (x, &y) in xs.iter().zip(ys) {
        let mut z = b;
        for k in 0..FEATURES {
            z += w[k] * x[k];
        }
        let e = (-z.abs()).exp();
        loss += z.max(0.0) + e.ln_1p() - y * z;
        let sigma = if z >= 0.0 { 1.0 } else { e } / (1.0 + e);
        let d = sigma - y;
        for k in 0..FEATURES {
            dw[k] += d * x[k];
        }
        db += d;
    }
    let n = xs.len() as f64;
    (loss / n, dw.map(|d| d / n), db / n)
}

/// The logistic regression's data and a point: `ROWS` rows of features in [-1, 1], labels
/// from a fixed linear rule with noise (about 80% separable), weights in [-0.5, 0.5].
#[derive(Clone, Debug)]
pub struct LogisticData {
    pub w: [f64; FEATURES],
    pub b: f64,
    pub xs: Vec<[f64; FEATURES]>,
    pub ys: Vec<f64>,
}

impl LogisticData {
    pub fn new(rows: usize, seed: u64) -> Self {
        let features = values(seed, rows * FEATURES);
        let xs: Vec<[f64; FEATURES]> = features
            .chunks_exact(FEATURES)
            .map(|row| row.try_into().expect("chunks of FEATURES"))
            .collect();
        let truth = values(seed + 1, FEATURES);
        let noise = values(seed + 2, rows);
        let ys = xs
            .iter()
            .zip(&noise)
            .map(|(x, n)| {
                let score: f64 = x.iter().zip(&truth).map(|(a, b)| a * b).sum();
                f64::from(score + 0.5 * n > 0.0)
            })
            .collect();
        let start = values(seed + 3, FEATURES + 1);
        LogisticData {
            w: std::array::from_fn(|k| 0.5 * start[k]),
            b: 0.5 * start[FEATURES],
            xs,
            ys,
        }
    }
}
