//! Functions with arrays and loops (SPEC §8) against hand-written gradients and central
//! differences.

// Index loops, as the lecture writes backprop.
#![allow(clippy::needless_range_loop)]

use symgrad::derive_grad;

const D: usize = 7;
const H: usize = 5;
const C: usize = 3;

/// The lecture's two-layer net with a softmax loss, at any sizes: small ones here, the
/// lecture's own (3072, 100, 10) below.
#[derive_grad]
fn net<const D: usize, const H: usize, const C: usize>(
    w1: &[[f64; D]; H],
    b1: &[f64; H],
    w2: &[[f64; H]; C],
    b2: &[f64; C],
    x: &[f64; D],
    y: usize,
) -> f64 {
    let mut h = [0.0; H];
    for j in 0..H {
        let mut z = b1[j];
        for i in 0..D {
            z += w1[j][i] * x[i];
        }
        h[j] = z.max(0.0);
    }
    let mut s = [0.0; C];
    for k in 0..C {
        let mut t = b2[k];
        for j in 0..H {
            t += w2[k][j] * h[j];
        }
        s[k] = t;
    }
    let mut m = s[0];
    for k in 1..C {
        m = m.max(s[k]);
    }
    let mut total = 0.0;
    for k in 0..C {
        total += (s[k] - m).exp();
    }
    m + total.ln() - s[y]
}

/// The net's gradient by hand: backprop as the lecture writes it.
#[allow(clippy::type_complexity)]
fn net_by_hand(
    w1: &[[f64; D]; H],
    b1: &[f64; H],
    w2: &[[f64; H]; C],
    b2: &[f64; C],
    x: &[f64; D],
    y: usize,
) -> (
    f64,
    [[f64; D]; H],
    [f64; H],
    [[f64; H]; C],
    [f64; C],
    [f64; D],
) {
    let mut z = [0.0; H];
    let mut h = [0.0; H];
    for j in 0..H {
        z[j] = b1[j] + (0..D).map(|i| w1[j][i] * x[i]).sum::<f64>();
        h[j] = z[j].max(0.0);
    }
    let mut s = [0.0; C];
    for k in 0..C {
        s[k] = b2[k] + (0..H).map(|j| w2[k][j] * h[j]).sum::<f64>();
    }
    let m = s.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let total: f64 = s.iter().map(|v| (v - m).exp()).sum();
    let loss = m + total.ln() - s[y];
    let mut ds = [0.0; C];
    for k in 0..C {
        ds[k] = (s[k] - m).exp() / total - if k == y { 1.0 } else { 0.0 };
    }
    let (mut dw2, db2, mut dh) = ([[0.0; H]; C], ds, [0.0; H]);
    for k in 0..C {
        for j in 0..H {
            dw2[k][j] = ds[k] * h[j];
            dh[j] += ds[k] * w2[k][j];
        }
    }
    let (mut dw1, mut db1, mut dx) = ([[0.0; D]; H], [0.0; H], [0.0; D]);
    for j in 0..H {
        let dz = if z[j] > 0.0 { dh[j] } else { 0.0 };
        db1[j] = dz;
        for i in 0..D {
            dw1[j][i] = dz * x[i];
            dx[i] += dz * w1[j][i];
        }
    }
    (loss, dw1, db1, dw2, db2, dx)
}

/// Deterministic values in about [-1, 1].
fn values(seed: u64, n: usize) -> Vec<f64> {
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

fn matrix<const N: usize, const M: usize>(seed: u64) -> [[f64; N]; M] {
    let v = values(seed, N * M);
    std::array::from_fn(|j| std::array::from_fn(|i| v[j * N + i]))
}

fn vector<const N: usize>(seed: u64) -> [f64; N] {
    let v = values(seed, N);
    std::array::from_fn(|i| v[i])
}

fn close(a: f64, b: f64, what: &str) {
    assert!(
        (a - b).abs() <= 1e-12 * (1.0 + b.abs()),
        "{what}: generated {a:e}, by hand {b:e}"
    );
}

/// The net's inputs, and its gradient's fields.
type NetInputs<'a> = (
    &'a [[f64; D]; H],
    &'a [f64; H],
    &'a [[f64; H]; C],
    &'a [f64; C],
    &'a [f64; D],
    usize,
);
type NetGradient<'a> = (
    &'a [[f64; D]; H],
    &'a [f64; H],
    &'a [[f64; H]; C],
    &'a [f64; C],
    &'a [f64; D],
);

/// A value and gradient of the net (of either spelling) are backprop's by hand.
fn agrees_with_backprop_by_hand(at: NetInputs, value: f64, g: NetGradient) {
    let (w1, b1, w2, b2, x, y) = at;
    let (loss, dw1, db1, dw2, db2, dx) = net_by_hand(w1, b1, w2, b2, x, y);
    close(value, loss, "loss");
    for j in 0..H {
        close(g.1[j], db1[j], "b1");
        for i in 0..D {
            close(g.0[j][i], dw1[j][i], "w1");
        }
    }
    for k in 0..C {
        close(g.3[k], db2[k], "b2");
        for j in 0..H {
            close(g.2[k][j], dw2[k][j], "w2");
        }
    }
    for i in 0..D {
        close(g.4[i], dx[i], "x");
    }
}

#[test]
fn the_two_layer_net_agrees_with_backprop_by_hand() {
    for seed in 1..6 {
        let (w1, b1) = (matrix::<D, H>(seed), vector::<H>(seed + 10));
        let (w2, b2) = (matrix::<H, C>(seed + 20), vector::<C>(seed + 30));
        let x = vector::<D>(seed + 40);
        let y = seed as usize % C;
        let (value, g) = net::grad(&w1, &b1, &w2, &b2, &x, y);
        close(net(&w1, &b1, &w2, &b2, &x, y), value, "fn net");
        agrees_with_backprop_by_hand(
            (&w1, &b1, &w2, &b2, &x, y),
            value,
            (&g.w1, &g.b1, &g.w2, &g.b2, &g.x),
        );
    }
}

#[test]
fn the_two_layer_net_agrees_with_central_differences() {
    let (w1, b1) = (matrix::<D, H>(7), vector::<H>(8));
    let (w2, b2) = (matrix::<H, C>(9), vector::<C>(10));
    let x = vector::<D>(11);
    let (_, g) = net::grad(&w1, &b1, &w2, &b2, &x, 2);
    let h = 1e-6;
    for j in 0..H {
        for i in 0..D {
            let (mut up, mut down) = (w1, w1);
            up[j][i] += h;
            down[j][i] -= h;
            let numeric =
                (net(&up, &b1, &w2, &b2, &x, 2) - net(&down, &b1, &w2, &b2, &x, 2)) / (2.0 * h);
            assert!(
                (g.w1[j][i] - numeric).abs() < 1e-7,
                "w1[{j}][{i}]: {} vs {numeric}",
                g.w1[j][i]
            );
        }
    }
}

/// `grad_into` overwrites the gradient, whatever it held.
#[test]
fn grad_into_overwrites() {
    let (w1, b1) = (matrix::<D, H>(3), vector::<H>(4));
    let (w2, b2) = (matrix::<H, C>(5), vector::<C>(6));
    let x = vector::<D>(7);
    let (value, fresh) = net::grad(&w1, &b1, &w2, &b2, &x, 1);
    let mut g = fresh.clone();
    g.w1[0][0] = 1e300;
    g.b2[2] = f64::NAN;
    let again = net::grad_into(&w1, &b1, &w2, &b2, &x, 1, &mut g);
    assert_eq!(again, value);
    assert_eq!(g, fresh);
}

/// A dot product over a const generic length, with a scalar bias.
#[derive_grad]
fn affine<const N: usize>(w: &[f64; N], x: &[f64; N], b: f64) -> f64 {
    let mut s = b;
    for i in 0..N {
        s += w[i] * x[i];
    }
    s * s
}

#[test]
fn const_generic_lengths() {
    let (w, x) = ([1.0, -2.0, 0.5], [3.0, 1.0, 4.0]);
    let (value, g) = affine::grad(&w, &x, 0.25);
    let s: f64 = 3.0 - 2.0 + 2.0 + 0.25;
    assert_eq!(value, s * s);
    assert_eq!(g.b, 2.0 * s);
    assert_eq!(g.w, [2.0 * s * 3.0, 2.0 * s * 1.0, 2.0 * s * 4.0]);
    assert_eq!(g.x, [2.0 * s * 1.0, 2.0 * s * -2.0, 2.0 * s * 0.5]);
}

/// Logistic regression's mean loss over data rows in a slice.
#[derive_grad]
fn logistic(w: &[f64; 3], b: f64, xs: &[[f64; 3]], ys: &[f64]) -> f64 {
    let mut loss = 0.0;
    for r in 0..xs.len() {
        let mut z = b;
        for k in 0..3 {
            z += w[k] * xs[r][k];
        }
        let p = 1.0 / (1.0 + (-z).exp());
        loss -= ys[r] * p.ln() + (1.0 - ys[r]) * (1.0 - p).ln();
    }
    loss / xs.len() as f64
}

#[test]
fn a_loss_summed_over_data_rows() {
    let xs: Vec<[f64; 3]> = (0..50).map(|r| vector::<3>(100 + r)).collect();
    let ys: Vec<f64> = (0..50).map(|r| f64::from(r % 2 == 0)).collect();
    let (w, b) = ([0.3, -0.7, 1.1], 0.2);
    let (value, g) = logistic::grad(&w, b, &xs, &ys);
    let n = xs.len() as f64;
    let (mut loss, mut dw, mut db) = (0.0, [0.0; 3], 0.0);
    for (x, &y) in xs.iter().zip(&ys) {
        let z = b + w[0] * x[0] + w[1] * x[1] + w[2] * x[2];
        let p = 1.0 / (1.0 + (-z).exp());
        loss -= y * p.ln() + (1.0 - y) * (1.0 - p).ln();
        for k in 0..3 {
            dw[k] += (p - y) * x[k] / n;
        }
        db += (p - y) / n;
    }
    close(value, loss / n, "loss");
    close(g.b, db, "b");
    for k in 0..3 {
        close(g.w[k], dw[k], "w");
    }
}

/// A boxed array of `T`s, never on the stack.
fn boxed<T: Clone, const N: usize>(v: Vec<T>) -> Box<[T; N]> {
    v.into_boxed_slice().try_into().ok().expect("the length")
}

/// At the lecture's sizes the gradient (2.4 MB) is larger than a 2 MiB thread's stack:
/// `Grad::boxed` and `grad_into` run there, and agree with central differences.
#[test]
fn the_lecture_net_runs_on_a_two_mebibyte_stack() {
    const D: usize = 3072;
    const H: usize = 100;
    const C: usize = 10;
    let handle = std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(|| {
            let w1: Box<[[f64; D]; H]> = boxed(
                (0..H as u64)
                    .map(|j| vector::<D>(j + 1).map(|v| v * 0.05))
                    .collect(),
            );
            let w2: Box<[[f64; H]; C]> = boxed(
                (0..C as u64)
                    .map(|k| vector::<H>(k + 500).map(|v| v * 0.3))
                    .collect(),
            );
            let (b1, b2, x) = (vector::<H>(900), vector::<C>(901), vector::<D>(902));
            let mut g = net::Grad::boxed();
            let value = net::grad_into(&w1, &b1, &w2, &b2, &x, 3, &mut g);
            assert!(value.is_finite() && value > 0.0, "{value}");
            let h = 1e-6;
            for (j, i) in [(0, 0), (17, 3071), (99, 1234)] {
                let (mut up, mut down) = (w1.clone(), w1.clone());
                up[j][i] += h;
                down[j][i] -= h;
                let numeric =
                    (net(&up, &b1, &w2, &b2, &x, 3) - net(&down, &b1, &w2, &b2, &x, 3)) / (2.0 * h);
                assert!((g.w1[j][i] - numeric).abs() < 1e-7, "w1[{j}][{i}]");
            }
            for k in 0..C {
                let (mut up, mut down) = (b2, b2);
                up[k] += h;
                down[k] -= h;
                let numeric =
                    (net(&w1, &b1, &w2, &up, &x, 3) - net(&w1, &b1, &w2, &down, &x, 3)) / (2.0 * h);
                assert!((g.b2[k] - numeric).abs() < 1e-7, "b2[{k}]");
            }
        })
        .expect("a thread starts");
    handle.join().expect("no stack overflow, every check holds");
}

#[derive_grad]
fn dot_zip(w: &[f64; 4], x: &[f64; 4]) -> f64 {
    w.iter().zip(x.iter()).map(|(a, b)| a * b).sum::<f64>()
}

/// The max-shifted log-sum-exp minus the label's score: its gradient is softmax minus
/// one-hot, written with iterators.
#[derive_grad]
fn softmax_loss(s: &[f64; 5], y: usize) -> f64 {
    let m = s.iter().fold(s[0], |m, &v| m.max(v));
    let total = s.iter().map(|&v| (v - m).exp()).sum::<f64>();
    m + total.ln() - s[y]
}

#[derive_grad]
fn weighted(w: &[f64; 3]) -> f64 {
    w.iter()
        .enumerate()
        .map(|(i, &v)| (i as f64 + 1.0) * v * v)
        .sum::<f64>()
}

/// A matrix-vector product inside a sum, with nested iterators and a gate.
#[derive_grad]
fn tanh_layer(w: &[[f64; 3]; 2], x: &[f64; 3]) -> f64 {
    (0..2)
        .map(|j| (0..3).map(|i| w[j][i] * x[i]).sum::<f64>().tanh())
        .sum::<f64>()
}

/// Huber loss over data rows: an `if` inside the loop, a closure with `let`s.
#[derive_grad]
fn huber_fit(w: &[f64; 2], xs: &[[f64; 2]], ys: &[f64]) -> f64 {
    xs.iter()
        .zip(ys.iter())
        .map(|(x, &y)| {
            let d = w[0] * x[0] + w[1] * x[1] - y;
            if d.abs() <= 1.0 {
                0.5 * d * d
            } else {
                d.abs() - 0.5
            }
        })
        .sum::<f64>()
}

#[test]
fn iterator_reductions() {
    let (value, g) = dot_zip::grad(&[1.0, 2.0, 3.0, 4.0], &[0.5, -1.0, 2.0, 0.25]);
    assert_eq!(value, 0.5 - 2.0 + 6.0 + 1.0);
    assert_eq!(g.w, [0.5, -1.0, 2.0, 0.25]);
    assert_eq!(g.x, [1.0, 2.0, 3.0, 4.0]);

    let s = [0.5, -1.25, 3.0, 2.5, -0.75];
    for y in 0..5 {
        let (value, g) = softmax_loss::grad(&s, y);
        let total: f64 = s.iter().map(|v| (v - 3.0f64).exp()).sum();
        close(value, 3.0 + total.ln() - s[y], "log-sum-exp");
        for k in 0..5 {
            let softmax = (s[k] - 3.0f64).exp() / total;
            let one_hot = if k == y { 1.0 } else { 0.0 };
            close(g.s[k], softmax - one_hot, "softmax minus one-hot");
        }
    }

    let (value, g) = weighted::grad(&[1.0, -2.0, 0.5]);
    assert_eq!(value, 1.0 + 2.0 * 4.0 + 3.0 * 0.25);
    assert_eq!(g.w, [2.0, 2.0 * 2.0 * -2.0, 3.0 * 2.0 * 0.5]);

    let (w, x) = ([[0.3, -0.2, 0.1], [0.5, 0.4, -0.6]], [1.0, 2.0, -1.5]);
    let (value, g) = tanh_layer::grad(&w, &x);
    let z: [f64; 2] = std::array::from_fn(|j| (0..3).map(|i| w[j][i] * x[i]).sum());
    close(value, z[0].tanh() + z[1].tanh(), "tanh layer");
    for j in 0..2 {
        let dz = 1.0 - z[j].tanh().powi(2);
        for i in 0..3 {
            close(g.w[j][i], dz * x[i], "w");
        }
    }
    for i in 0..3 {
        let dx: f64 = (0..2).map(|j| (1.0 - z[j].tanh().powi(2)) * w[j][i]).sum();
        close(g.x[i], dx, "x");
    }

    let xs = [[1.0, 2.0], [0.5, -1.0], [3.0, 0.25]];
    let ys = [0.5, 0.0, 4.0];
    let w = [0.4, 0.3];
    let (value, g) = huber_fit::grad(&w, &xs, &ys);
    let (mut loss, mut dw) = (0.0, [0.0; 2]);
    for (x, &y) in xs.iter().zip(&ys) {
        let d: f64 = w[0] * x[0] + w[1] * x[1] - y;
        let (l, slope) = if d.abs() <= 1.0 {
            (0.5 * d * d, d)
        } else {
            (d.abs() - 0.5, d.signum())
        };
        loss += l;
        dw[0] += slope * x[0];
        dw[1] += slope * x[1];
    }
    close(value, loss, "huber");
    close(g.w[0], dw[0], "w0");
    close(g.w[1], dw[1], "w1");
}

/// A sum over a local array after the loop that fills it: the sum runs once (its adjoint
/// is 1), adding into the array's adjoint as it goes.
#[derive_grad]
fn relu_energy(w: &[[f64; 3]; 2], x: &[f64; 3], c: f64) -> f64 {
    let scale = c * c;
    let mut h = [0.0; 2];
    for j in 0..2 {
        let mut z = 0.0;
        for i in 0..3 {
            z += w[j][i] * x[i];
        }
        h[j] = z.max(0.0);
    }
    let mut s = 0.0;
    for j in 0..2 {
        s += scale * h[j] * h[j];
    }
    s / 2.0
}

#[test]
fn a_sum_run_once_feeds_the_arrays_before_it() {
    let (w, x, c) = ([[0.3, -0.2, 0.1], [0.5, 0.4, -0.6]], [1.0, 2.0, -1.5], 1.5);
    let (value, g) = relu_energy::grad(&w, &x, c);
    let z: [f64; 2] = std::array::from_fn(|j| (0..3).map(|i| w[j][i] * x[i]).sum());
    let h = z.map(|v| v.max(0.0));
    close(value, c * c * (h[0] * h[0] + h[1] * h[1]) / 2.0, "value");
    close(g.c, c * (h[0] * h[0] + h[1] * h[1]), "c");
    for j in 0..2 {
        for i in 0..3 {
            let dz = if z[j] > 0.0 { c * c * h[j] } else { 0.0 };
            close(g.w[j][i], dz * x[i], "w");
        }
    }
}

/// The layer API: `forward` then `Tape::backward(dout)` is `dout` times `grad`, for a
/// function whose `grad` runs a loop once and for one that keeps sums.
#[test]
fn forward_then_backward_is_the_scaled_gradient() {
    let xs: Vec<[f64; 3]> = (0..20).map(|r| vector::<3>(300 + r)).collect();
    let ys: Vec<f64> = (0..20).map(|r| f64::from(r % 3 == 0)).collect();
    let (w, b) = ([0.3, -0.7, 1.1], 0.2);
    let (value, g) = logistic::grad(&w, b, &xs, &ys);
    let (forward_value, tape) = logistic::forward(&w, b, &xs, &ys);
    assert_eq!(forward_value, value);
    let mut scaled = g.clone();
    tape.backward(-2.5, &mut scaled);
    close(scaled.b, -2.5 * g.b, "b");
    for k in 0..3 {
        close(scaled.w[k], -2.5 * g.w[k], "w");
    }

    let (w1, b1) = (matrix::<D, H>(21), vector::<H>(22));
    let (w2, b2) = (matrix::<H, C>(23), vector::<C>(24));
    let x = vector::<D>(25);
    let (value, g) = net::grad(&w1, &b1, &w2, &b2, &x, 0);
    let (forward_value, tape) = net::forward(&w1, &b1, &w2, &b2, &x, 0);
    assert_eq!(forward_value, value);
    let mut scaled = g.clone();
    scaled.w1[0][0] = f64::NAN;
    tape.backward(0.5, &mut scaled);
    for j in 0..H {
        for i in 0..D {
            close(scaled.w1[j][i], 0.5 * g.w1[j][i], "w1");
        }
    }
    for i in 0..D {
        close(scaled.x[i], 0.5 * g.x[i], "x");
    }
}

/// `f32` throughout: parameters, value, gradient and the generated adjoints.
#[derive_grad]
fn mean_square_f32(x: &[f32; 4], c: f32) -> f32 {
    let mut s = 0.0;
    for i in 0..4 {
        let d = x[i] - c;
        s += d * d;
    }
    s / 4.0
}

#[test]
fn f32_functions() {
    let x = [1.0f32, 2.0, -1.0, 0.5];
    let (value, g) = mean_square_f32::grad(&x, 0.5);
    assert_eq!(value, (0.25 + 2.25 + 2.25 + 0.0) / 4.0);
    assert_eq!(g.x, [0.25, 0.75, -0.75, 0.0]);
    assert_eq!(g.c, -(0.25 + 0.75 - 0.75 + 0.0));
}

/// README's net, iterators and all, at small sizes.
#[derive_grad]
fn readme_net(
    w1: &[[f64; D]; H],
    b1: &[f64; H],
    w2: &[[f64; H]; C],
    b2: &[f64; C],
    x: &[f64; D],
    y: usize,
) -> f64 {
    let mut h = [0.0; H];
    for j in 0..H {
        let mut z = b1[j];
        for i in 0..D {
            z += w1[j][i] * x[i];
        }
        h[j] = z.max(0.0);
    }
    let mut s = [0.0; C];
    for k in 0..C {
        s[k] = b2[k] + (0..H).map(|j| w2[k][j] * h[j]).sum::<f64>();
    }
    let m = s.iter().fold(s[0], |m, &v| m.max(v));
    let total = s.iter().map(|&v| (v - m).exp()).sum::<f64>();
    m + total.ln() - s[y]
}

#[test]
fn the_readme_net_agrees_with_backprop_by_hand() {
    for seed in 40..44 {
        let (w1, b1) = (matrix::<D, H>(seed), vector::<H>(seed + 10));
        let (w2, b2) = (matrix::<H, C>(seed + 20), vector::<C>(seed + 30));
        let x = vector::<D>(seed + 40);
        let y = seed as usize % C;
        let (value, g) = readme_net::grad(&w1, &b1, &w2, &b2, &x, y);
        agrees_with_backprop_by_hand(
            (&w1, &b1, &w2, &b2, &x, y),
            value,
            (&g.w1, &g.b1, &g.w2, &g.b2, &g.x),
        );
    }
}

/// Names the generated code also uses (`l0`, `t1`, `g`, `v`, `d_s`, `value`) as the
/// user's own: the generated names step aside.
#[derive_grad]
fn clashing_names(g: &[f64; 3], v: &[f64; 3], t1: f64) -> f64 {
    let mut value = 0.0;
    for l0 in 0..3 {
        let d_s = g[l0] * v[l0] * t1;
        value += d_s.exp();
    }
    value
}

#[test]
fn user_names_that_the_generated_code_uses() {
    let (g, v, t1) = ([0.1, 0.2, 0.3], [1.0, -1.0, 0.5], 2.0);
    let (value, grad) = clashing_names::grad(&g, &v, t1);
    let terms: Vec<f64> = (0..3).map(|i| (g[i] * v[i] * t1).exp()).collect();
    close(value, terms.iter().sum(), "value");
    for i in 0..3 {
        close(grad.g[i], terms[i] * v[i] * t1, "g");
        close(grad.v[i], terms[i] * g[i] * t1, "v");
    }
    close(grad.t1, (0..3).map(|i| terms[i] * g[i] * v[i]).sum(), "t1");
}

/// A local array declared inside a loop (one per iteration), a 2-D local array, a `min`
/// accumulator, `-=`, and an `if` on a count inside a loop.
#[derive_grad]
fn assorted(a: &[[f64; 3]; 2], b: &[f64; 3]) -> f64 {
    let mut outer = [[0.0; 3]; 2];
    for j in 0..2 {
        for i in 0..3 {
            outer[j][i] = a[j][i] * b[i];
        }
    }
    let mut total = 0.0;
    for j in 0..2 {
        let mut row = [0.0; 3];
        for i in 0..3 {
            row[i] = outer[j][i].sin();
        }
        let mut low = row[0];
        for i in 1..3 {
            low = low.min(row[i]);
        }
        total -= low;
        for i in 0..3 {
            total += if (i as f64) < 1.5 {
                row[i] * row[i]
            } else {
                row[i]
            };
        }
    }
    total
}

fn assorted_by_hand(a: &[[f64; 3]; 2], b: &[f64; 3]) -> f64 {
    let mut total = 0.0;
    for j in 0..2 {
        let row: Vec<f64> = (0..3).map(|i| (a[j][i] * b[i]).sin()).collect();
        total -= row.iter().copied().fold(f64::INFINITY, f64::min);
        for (i, r) in row.iter().enumerate() {
            total += if i < 2 { r * r } else { *r };
        }
    }
    total
}

#[test]
fn assorted_constructs_agree_with_central_differences() {
    let (a, b) = ([[0.3, -1.2, 0.7], [1.5, 0.2, -0.4]], [0.9, -0.6, 1.3]);
    let (value, g) = assorted::grad(&a, &b);
    close(value, assorted_by_hand(&a, &b), "value");
    let h = 1e-6;
    for j in 0..2 {
        for i in 0..3 {
            let (mut up, mut down) = (a, a);
            up[j][i] += h;
            down[j][i] -= h;
            let numeric = (assorted_by_hand(&up, &b) - assorted_by_hand(&down, &b)) / (2.0 * h);
            assert!(
                (g.a[j][i] - numeric).abs() < 1e-7,
                "a[{j}][{i}]: {} vs {numeric}",
                g.a[j][i]
            );
        }
    }
    for i in 0..3 {
        let (mut up, mut down) = (b, b);
        up[i] += h;
        down[i] -= h;
        let numeric = (assorted_by_hand(&a, &up) - assorted_by_hand(&a, &down)) / (2.0 * h);
        assert!(
            (g.b[i] - numeric).abs() < 1e-7,
            "b[{i}]: {} vs {numeric}",
            g.b[i]
        );
    }
}

/// An element read only in a branch is read only when the branch is taken, as in the
/// user's own code: past the slice's end this would panic.
#[derive_grad]
fn guarded(w: f64, xs: &[f64], n: usize) -> f64 {
    let mut s = 0.0;
    for r in 0..n {
        s += if (r as f64) < (xs.len() as f64) {
            w * xs[r]
        } else {
            w
        };
    }
    s
}

#[test]
fn an_element_in_a_branch_not_taken_is_not_read() {
    let xs = [1.0, 2.0, 3.0];
    let (value, g) = guarded::grad(2.0, &xs, 5);
    assert_eq!(value, 2.0 * 6.0 + 2.0 * 2.0);
    assert_eq!(g.w, 6.0 + 2.0);
}

/// `let p = σ(z)` in its own statement and `ln(p)` in the next: the `let` is written into
/// its one reader, so `ln σ(z)` fuses into `-softplus(-z)` and stays finite at z = -800
/// (as two statements, p = 0 and ln(p) = -inf).
#[test]
fn a_sigmoid_in_its_own_let_keeps_the_stable_loss() {
    let xs = [[-800.0, 0.0, 0.0], [0.0, 800.0, 0.0]];
    let ys = [1.0, 0.0];
    let (value, g) = logistic::grad(&[1.0, 1.0, 1.0], 0.0, &xs, &ys);
    // Row 1: -ln σ(-800) = 800; row 2: -ln(1 - σ(800)) = 800; the mean is 800.
    close(value, 800.0, "loss");
    // ∂/∂w = mean of (σ(z) - y)·x: ((0 - 1)·-800 + (1 - 0)·800) / 2 on w0 and w1.
    close(g.w[0], 400.0, "w0");
    close(g.w[1], 400.0, "w1");
    close(g.b, 0.0, "b");
}
