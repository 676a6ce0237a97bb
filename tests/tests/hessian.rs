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

/// A neuron of 50 inputs: 101 variables, 5 151 upper entries, so `f::hessian` is written in
/// parts (`core/src/codegen/hessian_rows.rs`).
#[rustfmt::skip]
#[derive_grad("1/(1+e^-(w0x0 + w1x1 + w2x2 + w3x3 + w4x4 + w5x5 + w6x6 + w7x7 + w8x8 + w9x9 + w10x10 + w11x11 + w12x12 + w13x13 + w14x14 + w15x15 + w16x16 + w17x17 + w18x18 + w19x19 + w20x20 + w21x21 + w22x22 + w23x23 + w24x24 + w25x25 + w26x26 + w27x27 + w28x28 + w29x29 + w30x30 + w31x31 + w32x32 + w33x33 + w34x34 + w35x35 + w36x36 + w37x37 + w38x38 + w39x39 + w40x40 + w41x41 + w42x42 + w43x43 + w44x44 + w45x45 + w46x46 + w47x47 + w48x48 + w49x49 + b))", hessian)]
fn neuron50(w0: f64, x0: f64, w1: f64, x1: f64, w2: f64, x2: f64, w3: f64, x3: f64, w4: f64, x4: f64, w5: f64, x5: f64, w6: f64, x6: f64, w7: f64, x7: f64, w8: f64, x8: f64, w9: f64, x9: f64, w10: f64, x10: f64, w11: f64, x11: f64, w12: f64, x12: f64, w13: f64, x13: f64, w14: f64, x14: f64, w15: f64, x15: f64, w16: f64, x16: f64, w17: f64, x17: f64, w18: f64, x18: f64, w19: f64, x19: f64, w20: f64, x20: f64, w21: f64, x21: f64, w22: f64, x22: f64, w23: f64, x23: f64, w24: f64, x24: f64, w25: f64, x25: f64, w26: f64, x26: f64, w27: f64, x27: f64, w28: f64, x28: f64, w29: f64, x29: f64, w30: f64, x30: f64, w31: f64, x31: f64, w32: f64, x32: f64, w33: f64, x33: f64, w34: f64, x34: f64, w35: f64, x35: f64, w36: f64, x36: f64, w37: f64, x37: f64, w38: f64, x38: f64, w39: f64, x39: f64, w40: f64, x40: f64, w41: f64, x41: f64, w42: f64, x42: f64, w43: f64, x43: f64, w44: f64, x44: f64, w45: f64, x45: f64, w46: f64, x46: f64, w47: f64, x47: f64, w48: f64, x48: f64, w49: f64, x49: f64, b: f64) -> f64;

/// The neuron's Hessian by hand: with `u = Σ wᵢxᵢ + b`, `s = σ(u)`, `s₁ = s(1-s)`,
/// `s₂ = s₁(1-2s)` and `a = ∂u/∂(w₀, x₀, …, b) = (x₀, w₀, …, 1)`,
/// `H = s₂·a·aᵀ + s₁·M`, `M` being 1 at `(wᵢ, xᵢ)` and `(xᵢ, wᵢ)`. Each entry within
/// 1e-13 of it relative to the size of its terms, and exactly symmetric; `hvp` against it.
#[test]
fn a_hessian_written_in_parts_is_the_hand_derived_one() {
    const N: usize = 101;
    let p: [f64; N] = std::array::from_fn(|i| ((i as f64) * 0.37 + 0.1).sin() * 0.4);
    let u: f64 = (0..50).map(|i| p[2 * i] * p[2 * i + 1]).sum::<f64>() + p[100];
    let s = 1.0 / (1.0 + (-u).exp());
    let (s1, s2) = (s * (1.0 - s), s * (1.0 - s) * (1.0 - 2.0 * s));
    let a: [f64; N] = std::array::from_fn(|i| if i == 100 { 1.0 } else { p[i ^ 1] });
    let (value, gradient, h) = neuron50::hessian(
        p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7], p[8], p[9], p[10], p[11], p[12], p[13],
        p[14], p[15], p[16], p[17], p[18], p[19], p[20], p[21], p[22], p[23], p[24], p[25], p[26],
        p[27], p[28], p[29], p[30], p[31], p[32], p[33], p[34], p[35], p[36], p[37], p[38], p[39],
        p[40], p[41], p[42], p[43], p[44], p[45], p[46], p[47], p[48], p[49], p[50], p[51], p[52],
        p[53], p[54], p[55], p[56], p[57], p[58], p[59], p[60], p[61], p[62], p[63], p[64], p[65],
        p[66], p[67], p[68], p[69], p[70], p[71], p[72], p[73], p[74], p[75], p[76], p[77], p[78],
        p[79], p[80], p[81], p[82], p[83], p[84], p[85], p[86], p[87], p[88], p[89], p[90], p[91],
        p[92], p[93], p[94], p[95], p[96], p[97], p[98], p[99], p[100],
    );
    assert!((value - s).abs() <= 1e-15, "value {value}, by hand {s}");
    for i in 0..N {
        assert!(
            (gradient[i] - s1 * a[i]).abs() <= 1e-14 * (s1 * a[i]).abs(),
            "∂f/∂p{i}"
        );
        for j in 0..N {
            let m = if i != j && i < 100 && j == (i ^ 1) {
                s1
            } else {
                0.0
            };
            let by_hand = s2 * a[i] * a[j] + m;
            let scale = (s2 * a[i] * a[j]).abs() + m;
            assert!(
                (h[i][j] - by_hand).abs() <= 1e-13 * scale,
                "H[{i}][{j}] = {}, by hand {by_hand}",
                h[i][j]
            );
            assert_eq!(h[i][j].to_bits(), h[j][i].to_bits(), "[{i}][{j}]");
        }
    }
    for v in directions::<N>(4) {
        let (_, _, hv) = neuron50::hvp(
            p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7], p[8], p[9], p[10], p[11], p[12], p[13],
            p[14], p[15], p[16], p[17], p[18], p[19], p[20], p[21], p[22], p[23], p[24], p[25],
            p[26], p[27], p[28], p[29], p[30], p[31], p[32], p[33], p[34], p[35], p[36], p[37],
            p[38], p[39], p[40], p[41], p[42], p[43], p[44], p[45], p[46], p[47], p[48], p[49],
            p[50], p[51], p[52], p[53], p[54], p[55], p[56], p[57], p[58], p[59], p[60], p[61],
            p[62], p[63], p[64], p[65], p[66], p[67], p[68], p[69], p[70], p[71], p[72], p[73],
            p[74], p[75], p[76], p[77], p[78], p[79], p[80], p[81], p[82], p[83], p[84], p[85],
            p[86], p[87], p[88], p[89], p[90], p[91], p[92], p[93], p[94], p[95], p[96], p[97],
            p[98], p[99], p[100], v,
        );
        assert_hvp(h, v, hv, "neuron50");
    }
}

/// 64 variables and branches: 2 080 upper entries, so written in parts, with selects whose
/// branches read values computed before the parts; some parameters have the names the
/// parts' code would otherwise use (`h`, `s`, `i`, `j`, `hessian_rows`, `hessian_rows_0`).
#[rustfmt::skip]
#[derive_grad("if(h > 0, h^2, h^3) s + if(s > 0, s^2, s^3) i + if(i > 0, i^2, i^3) j + if(j > 0, j^2, j^3) hessian_rows + if(hessian_rows > 0, hessian_rows^2, hessian_rows^3) hessian_rows_0 + if(hessian_rows_0 > 0, hessian_rows_0^2, hessian_rows_0^3) x6 + if(x6 > 0, x6^2, x6^3) x7 + if(x7 > 0, x7^2, x7^3) x8 + if(x8 > 0, x8^2, x8^3) x9 + if(x9 > 0, x9^2, x9^3) x10 + if(x10 > 0, x10^2, x10^3) x11 + if(x11 > 0, x11^2, x11^3) x12 + if(x12 > 0, x12^2, x12^3) x13 + if(x13 > 0, x13^2, x13^3) x14 + if(x14 > 0, x14^2, x14^3) x15 + if(x15 > 0, x15^2, x15^3) x16 + if(x16 > 0, x16^2, x16^3) x17 + if(x17 > 0, x17^2, x17^3) x18 + if(x18 > 0, x18^2, x18^3) x19 + if(x19 > 0, x19^2, x19^3) x20 + if(x20 > 0, x20^2, x20^3) x21 + if(x21 > 0, x21^2, x21^3) x22 + if(x22 > 0, x22^2, x22^3) x23 + if(x23 > 0, x23^2, x23^3) x24 + if(x24 > 0, x24^2, x24^3) x25 + if(x25 > 0, x25^2, x25^3) x26 + if(x26 > 0, x26^2, x26^3) x27 + if(x27 > 0, x27^2, x27^3) x28 + if(x28 > 0, x28^2, x28^3) x29 + if(x29 > 0, x29^2, x29^3) x30 + if(x30 > 0, x30^2, x30^3) x31 + if(x31 > 0, x31^2, x31^3) x32 + if(x32 > 0, x32^2, x32^3) x33 + if(x33 > 0, x33^2, x33^3) x34 + if(x34 > 0, x34^2, x34^3) x35 + if(x35 > 0, x35^2, x35^3) x36 + if(x36 > 0, x36^2, x36^3) x37 + if(x37 > 0, x37^2, x37^3) x38 + if(x38 > 0, x38^2, x38^3) x39 + if(x39 > 0, x39^2, x39^3) x40 + if(x40 > 0, x40^2, x40^3) x41 + if(x41 > 0, x41^2, x41^3) x42 + if(x42 > 0, x42^2, x42^3) x43 + if(x43 > 0, x43^2, x43^3) x44 + if(x44 > 0, x44^2, x44^3) x45 + if(x45 > 0, x45^2, x45^3) x46 + if(x46 > 0, x46^2, x46^3) x47 + if(x47 > 0, x47^2, x47^3) x48 + if(x48 > 0, x48^2, x48^3) x49 + if(x49 > 0, x49^2, x49^3) x50 + if(x50 > 0, x50^2, x50^3) x51 + if(x51 > 0, x51^2, x51^3) x52 + if(x52 > 0, x52^2, x52^3) x53 + if(x53 > 0, x53^2, x53^3) x54 + if(x54 > 0, x54^2, x54^3) x55 + if(x55 > 0, x55^2, x55^3) x56 + if(x56 > 0, x56^2, x56^3) x57 + if(x57 > 0, x57^2, x57^3) x58 + if(x58 > 0, x58^2, x58^3) x59 + if(x59 > 0, x59^2, x59^3) x60 + if(x60 > 0, x60^2, x60^3) x61 + if(x61 > 0, x61^2, x61^3) x62 + if(x62 > 0, x62^2, x62^3) x63 + if(x63 > h, x63 h, sin(x63))", hessian)]
fn branches64(h: f64, s: f64, i: f64, j: f64, hessian_rows: f64, hessian_rows_0: f64, x6: f64, x7: f64, x8: f64, x9: f64, x10: f64, x11: f64, x12: f64, x13: f64, x14: f64, x15: f64, x16: f64, x17: f64, x18: f64, x19: f64, x20: f64, x21: f64, x22: f64, x23: f64, x24: f64, x25: f64, x26: f64, x27: f64, x28: f64, x29: f64, x30: f64, x31: f64, x32: f64, x33: f64, x34: f64, x35: f64, x36: f64, x37: f64, x38: f64, x39: f64, x40: f64, x41: f64, x42: f64, x43: f64, x44: f64, x45: f64, x46: f64, x47: f64, x48: f64, x49: f64, x50: f64, x51: f64, x52: f64, x53: f64, x54: f64, x55: f64, x56: f64, x57: f64, x58: f64, x59: f64, x60: f64, x61: f64, x62: f64, x63: f64) -> f64;

#[test]
fn a_hessian_in_parts_with_branches_agrees_with_its_generated_gradient() {
    const N: usize = 64;
    let x: [f64; N] = std::array::from_fn(|i| ((i as f64) * 1.3 + 0.2).sin());
    let grad = |p: [f64; N]| {
        branches64::grad(
            p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7], p[8], p[9], p[10], p[11], p[12], p[13],
            p[14], p[15], p[16], p[17], p[18], p[19], p[20], p[21], p[22], p[23], p[24], p[25],
            p[26], p[27], p[28], p[29], p[30], p[31], p[32], p[33], p[34], p[35], p[36], p[37],
            p[38], p[39], p[40], p[41], p[42], p[43], p[44], p[45], p[46], p[47], p[48], p[49],
            p[50], p[51], p[52], p[53], p[54], p[55], p[56], p[57], p[58], p[59], p[60], p[61],
            p[62], p[63],
        )
        .1
    };
    let p = x;
    let (_, _, h) = branches64::hessian(
        p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7], p[8], p[9], p[10], p[11], p[12], p[13],
        p[14], p[15], p[16], p[17], p[18], p[19], p[20], p[21], p[22], p[23], p[24], p[25], p[26],
        p[27], p[28], p[29], p[30], p[31], p[32], p[33], p[34], p[35], p[36], p[37], p[38], p[39],
        p[40], p[41], p[42], p[43], p[44], p[45], p[46], p[47], p[48], p[49], p[50], p[51], p[52],
        p[53], p[54], p[55], p[56], p[57], p[58], p[59], p[60], p[61], p[62], p[63],
    );
    assert_agrees(h, differenced(grad, x), "branches64");
}

/// Parameters named like what `f::hvp` writes (`out`, its result; `v`, the direction; `v0`,
/// its first entry) are renamed around, not shadowed.
#[derive_grad(hvp)]
fn hvp_names(out: f64, v: f64, v0: f64) -> f64 {
    out * v.sin() + v0 * out * out
}

#[test]
fn hvp_names_its_result_and_direction_apart_from_the_parameters() {
    let (out, v, v0): (f64, f64, f64) = (0.9, -1.2, 0.4);
    // Derived by hand: ∇f = (sin v + 2 v0 out, out cos v, out²).
    let h = [
        [2.0 * v0, v.cos(), 2.0 * out],
        [v.cos(), -out * v.sin(), 0.0],
        [2.0 * out, 0.0, 0.0],
    ];
    for d in directions::<3>(4) {
        let (value, gradient, hv) = hvp_names::hvp(out, v, v0, d);
        assert_eq!(value, hvp_names(out, v, v0));
        assert_eq!(gradient, hvp_names::grad(out, v, v0).1);
        assert_hvp(h, d, hv, "hvp_names");
    }
}
