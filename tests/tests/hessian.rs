//! `#[derive_grad(hessian)]` (SPEC §6), compiled: `f::hessian` against central differences
//! of the generated `f::grad`, bit-for-bit symmetric; `f::hvp` against `f::hessian`·v;
//! both forms, `wrt`, `test_at` and `f32`; the README's Newton step on Rosenbrock.

use symgrad::derive_grad;

#[derive_grad("(1-x)^2 + 100(y-x^2)^2", hessian)]
fn rosenbrock(x: f64, y: f64) -> f64;

#[derive_grad("1/(1+e^-(w0x0+w1x1+w2))", hessian, test_at(w0 = 2, x0 = -1, w1 = -3, x1 = -2, w2 = -3))]
fn neuron(w0: f64, x0: f64, w1: f64, x1: f64, w2: f64) -> f64;

#[derive_grad(hessian, wrt(w, b))]
fn logistic(w: f64, b: f64, x: f64, y: f64) -> f64 {
    let p = 1.0 / (1.0 + (-(w * x + b)).exp());
    -(y * p.ln() + (1.0 - y) * (1.0 - p).ln())
}

#[derive_grad(hessian)]
fn mixed(x: f64, y: f64, z: f64) -> f64 {
    x.sin() * y.tanh() + (x * z).max(y) + (y - z).abs() * x.powi(2) + (z * z + 1.0).ln()
}

#[derive_grad("logsumexp(x, y z, -y) + softmax(z, x, y)", hessian)]
fn softmax_family(x: f64, y: f64, z: f64) -> f64;

#[derive_grad("softplus(x y) + relu(x - y) y", hessian)]
fn gates32(x: f32, y: f32) -> f32;

/// Central differences of a generated gradient: `H[i][j] ≈ ∂grad_i/∂x_j`.
fn differenced<const N: usize>(grad: impl Fn([f64; N]) -> [f64; N], x: [f64; N]) -> [[f64; N]; N] {
    let mut h = [[0.0; N]; N];
    for j in 0..N {
        let step = f64::EPSILON.cbrt() * x[j].abs().max(1.0);
        let (mut up, mut down) = (x, x);
        up[j] += step;
        down[j] -= step;
        let (gu, gd) = (grad(up), grad(down));
        for i in 0..N {
            h[i][j] = (gu[i] - gd[i]) / (up[j] - down[j]);
        }
    }
    h
}

fn assert_agrees<const N: usize>(analytic: [[f64; N]; N], numeric: [[f64; N]; N], what: &str) {
    for i in 0..N {
        for j in 0..N {
            let (a, n) = (analytic[i][j], numeric[i][j]);
            assert!(
                (a - n).abs() <= 1e-6 * n.abs().max(1.0),
                "{what}: H[{i}][{j}] = {a}, central difference {n}"
            );
            assert_eq!(a.to_bits(), analytic[j][i].to_bits(), "{what}: [{i}][{j}]");
        }
    }
}

/// `H·v` formed from the matrix; `hvp`'s within 1e-12 of it, relative to `Σ|H_ij v_j|`.
fn assert_hvp<const N: usize>(h: [[f64; N]; N], v: [f64; N], hv: [f64; N], what: &str) {
    for i in 0..N {
        let expected: f64 = (0..N).map(|j| h[i][j] * v[j]).sum();
        let scale: f64 = (0..N).map(|j| (h[i][j] * v[j]).abs()).sum();
        assert!(
            (hv[i] - expected).abs() <= 1e-12 * scale.max(f64::MIN_POSITIVE),
            "{what}: (H·v)[{i}] = {}, H·v = {expected}",
            hv[i]
        );
    }
}

/// A fixed sequence of directions in [-2, 2) (a small LCG, so the test needs no crate).
fn directions<const N: usize>(count: usize) -> Vec<[f64; N]> {
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    (0..count)
        .map(|_| {
            std::array::from_fn(|_| {
                state = state
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                (state >> 11) as f64 / (1u64 << 53) as f64 * 4.0 - 2.0
            })
        })
        .collect()
}

#[test]
fn logsumexp_and_softmax_hessians_agree_with_their_generated_gradient() {
    let grad = |p: [f64; 3]| softmax_family::grad(p[0], p[1], p[2]).1;
    for x in [[0.6, -0.8, 1.3], [-2.0, 1.5, 0.25], [3.0, -1.0, 1.5]] {
        let (value, gradient, h) = softmax_family::hessian(x[0], x[1], x[2]);
        // The Hessian's pass may sum the gradient in another order: an ulp apart.
        let (grad_value, grad_gradient) = softmax_family::grad(x[0], x[1], x[2]);
        assert_eq!(value, grad_value);
        for (a, b) in gradient.iter().zip(grad_gradient) {
            assert!(
                (a - b).abs() <= 4.0 * f64::EPSILON * b.abs(),
                "{gradient:?}"
            );
        }
        assert_agrees(h, differenced(grad, x), "softmax family");
        for v in directions::<3>(4) {
            let (_, _, hv) = softmax_family::hvp(x[0], x[1], x[2], v);
            assert_hvp(h, v, hv, "softmax family");
        }
    }
}

#[test]
fn rosenbrock_has_its_closed_form_hessian() {
    for (x, y) in [(-1.2, 1.0), (1.0, 1.0), (0.5, -0.25)] {
        let (value, gradient, h) = rosenbrock::hessian(x, y);
        assert_eq!((value, gradient), rosenbrock::grad(x, y));
        let closed = 1200.0 * x * x - 400.0 * y + 2.0;
        assert!((h[0][0] - closed).abs() <= 1e-13 * closed.abs(), "{h:?}");
        assert_eq!(h[0][1], -400.0 * x);
        assert_eq!(h[1][1], 200.0);
        assert_eq!(h[1][0].to_bits(), h[0][1].to_bits());
    }
}

#[test]
fn the_neuron_hessian_agrees_with_its_generated_gradient() {
    let x = [2.0, -1.0, -3.0, -2.0, -3.0];
    let grad = |p: [f64; 5]| neuron::grad(p[0], p[1], p[2], p[3], p[4]).1;
    let (value, gradient, h) = neuron::hessian(x[0], x[1], x[2], x[3], x[4]);
    assert!((value - 0.7310585786300049).abs() < 1e-15);
    assert!((gradient[0] - -0.19661193324148185).abs() < 1e-15);
    assert_agrees(h, differenced(grad, x), "neuron");
    for v in directions::<5>(16) {
        let (hv_value, hv_gradient, hv) = neuron::hvp(x[0], x[1], x[2], x[3], x[4], v);
        assert!((hv_value - value).abs() < 1e-15);
        assert_eq!(hv_gradient.len(), gradient.len());
        assert_hvp(h, v, hv, "neuron");
    }
}

#[test]
fn wrt_narrows_the_hessian_of_the_body_form() {
    assert_eq!(logistic::WRT, ["w", "b"]);
    let (x, y) = (0.7, 1.0);
    for (w, b) in [(0.3, -0.2), (-1.5, 0.8)] {
        let grad = |p: [f64; 2]| logistic::grad(p[0], p[1], x, y).1;
        let (_, _, h) = logistic::hessian(w, b, x, y);
        // Closed form: H = σ(1-σ) [[x², x], [x, 1]].
        let s = 1.0 / (1.0 + f64::exp(-(w * x + b)));
        let d = s * (1.0 - s);
        let closed = [[d * x * x, d * x], [d * x, d]];
        for i in 0..2 {
            for j in 0..2 {
                assert!(
                    (h[i][j] - closed[i][j]).abs() <= 1e-14,
                    "{h:?} ≠ {closed:?}"
                );
            }
        }
        assert_agrees(h, differenced(grad, [w, b]), "logistic");
        for v in directions::<2>(8) {
            assert_hvp(h, v, logistic::hvp(w, b, x, y, v).2, "logistic");
        }
    }
}

#[test]
fn kinked_and_trigonometric_ops_away_from_their_kinks() {
    for x in [[0.4, 1.3, -0.7], [-1.1, 0.2, 0.9], [2.0, -0.5, 1.5]] {
        let grad = |p: [f64; 3]| mixed::grad(p[0], p[1], p[2]).1;
        let (_, _, h) = mixed::hessian(x[0], x[1], x[2]);
        assert_agrees(h, differenced(grad, x), "mixed");
        for v in directions::<3>(8) {
            assert_hvp(h, v, mixed::hvp(x[0], x[1], x[2], v).2, "mixed");
        }
    }
}

#[test]
fn f32_functions_get_an_f32_hessian() {
    let (value, gradient, h): (f32, [f32; 2], [[f32; 2]; 2]) = gates32::hessian(0.8, 0.3);
    assert_eq!((value, gradient), gates32::grad(0.8, 0.3));
    // On the piece x > y: softplus(xy)'' terms plus ∂²(x - y)y = [[0, 1], [1, -2]].
    let (x, y) = (0.8f64, 0.3f64);
    let s = 1.0 / (1.0 + f64::exp(-x * y));
    let d = s * (1.0 - s);
    let closed = [
        [d * y * y, d * x * y + s + 1.0],
        [d * x * y + s + 1.0, d * x * x - 2.0],
    ];
    for i in 0..2 {
        for j in 0..2 {
            assert!(
                (f64::from(h[i][j]) - closed[i][j]).abs() < 1e-6,
                "{h:?} ≠ {closed:?}"
            );
        }
    }
    assert_eq!(h[0][1].to_bits(), h[1][0].to_bits());
    let (_, _, hv) = gates32::hvp(0.8, 0.3, [1.0, 0.0]);
    assert!((hv[1] - h[1][0]).abs() < 1e-6);
}

/// The README's example: one Newton step on Rosenbrock, the 2×2 system solved by hand.
#[test]
fn a_newton_step_on_rosenbrock() {
    #[derive_grad("(1-x)^2 + 100(y-x^2)^2", hessian)]
    fn rosenbrock(x: f64, y: f64) -> f64;

    let (mut x, mut y) = (-1.2, 1.0);
    for _ in 0..10 {
        let (_, [gx, gy], [[hxx, hxy], [_, hyy]]) = rosenbrock::hessian(x, y);
        // Solve H·d = -g: d = -H⁻¹g, with H⁻¹ = [[hyy, -hxy], [-hxy, hxx]] / det.
        let det = hxx * hyy - hxy * hxy;
        x -= (hyy * gx - hxy * gy) / det;
        y -= (hxx * gy - hxy * gx) / det;
    }
    assert!((x - 1.0).abs() < 1e-12, "{x}");
    assert!((y - 1.0).abs() < 1e-12, "{y}");
    assert!(rosenbrock(x, y) < 1e-24);
}

/// The README shows `a_newton_step_on_rosenbrock`'s code: each line of its example is a
/// line of this file, so the example cannot drift from the test that runs it.
#[test]
fn the_readme_shows_the_tested_newton_step() {
    let readme = include_str!("../../README.md");
    let this = include_str!("hessian.rs");
    let start = readme
        .find("```rust\n#[derive_grad(\"(1-x)^2")
        .expect("the README has the Newton example");
    let block = &readme[start + "```rust\n".len()..];
    let block = &block[..block.find("```").expect("the block ends")];
    let lines: Vec<&str> = this.lines().map(str::trim).collect();
    for line in block.lines().map(str::trim).filter(|l| !l.is_empty()) {
        assert!(lines.contains(&line), "README line not in the test: {line}");
    }
}

/// `hvp` alone: the same `f::hvp` as `hessian` gives, without `f::hessian`.
#[derive_grad(hvp)]
fn mixed_hvp(x: f64, y: f64, z: f64) -> f64 {
    x.sin() * y.tanh() + (x * z).max(y) + (y - z).abs() * x.powi(2) + (z * z + 1.0).ln()
}

#[test]
fn hvp_alone_is_the_hvp_that_comes_with_the_hessian() {
    for v in directions::<3>(4) {
        let (x, y, z) = (0.7, -0.4, 1.3);
        let alone = mixed_hvp::hvp(x, y, z, v);
        assert_eq!(alone, mixed::hvp(x, y, z, v), "{v:?}");
        let (_, _, h) = mixed::hessian(x, y, z);
        assert_hvp(h, v, alone.2, "mixed_hvp");
        for (a, b) in alone.1.iter().zip(mixed_hvp::grad(x, y, z).1) {
            assert!((a - b).abs() <= 1e-15 * b.abs(), "{a} vs {b}");
        }
    }
}
