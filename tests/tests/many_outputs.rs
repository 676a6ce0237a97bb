//! Functions of many outputs (SPEC §6), compiled in both forms: `f::jacobian` against
//! central differences of the generated `f`, `vjp == doutᵀ·J`, `jvp == J·v`,
//! `Tape::backward == vjp`, `forward`'s outputs `f`'s; on polar → cartesian, the residual
//! vector of a curve fit, gates and kinks, `wrt` and `f32`; the README's Gauss–Newton step.

use symgrad::derive_grad;

#[derive_grad("r cos(t), r sin(t)")]
fn polar(r: f64, t: f64) -> [f64; 2];

#[derive_grad]
fn polar_body(r: f64, t: f64) -> (f64, f64) {
    (r * t.cos(), r * t.sin())
}

/// Residuals of `a·e^(-b·x) - y` at four data points, with respect to the model's `a`, `b`.
#[derive_grad("a e^(-0.5b) - 1.2, a e^(-b) - 0.8, a e^(-2b) - 0.35, a e^(-3b) - 0.15")]
fn residuals(a: f64, b: f64) -> [f64; 4];

#[derive_grad]
fn residuals_body(a: f64, b: f64) -> [f64; 4] {
    let r0 = a * (-0.5 * b).exp() - 1.2;
    let r1 = a * (-b).exp() - 0.8;
    [
        r0,
        r1,
        a * (-2.0 * b).exp() - 0.35,
        a * (-3.0 * b).exp() - 0.15,
    ]
}

#[derive_grad("σ(w x + b), softplus(x - w), tanh(w b), relu(x) w, max(x, b), abs(x - b) w^2")]
fn gates(w: f64, x: f64, b: f64) -> [f64; 6];

#[derive_grad(wrt(x, z))]
fn some(x: f64, y: f64, z: f64) -> [f64; 3] {
    let s = (x * y).sin();
    [x * y * z, s + z, if x > y { x * z } else { y.ln() }]
}

#[derive_grad("x y, x / y")]
fn small(x: f32, y: f32) -> (f32, f32);

/// Five-point central differences of `f` (error O(h⁴)): `J[i][j] ≈ ∂f_i/∂x_j`.
fn differenced<const M: usize, const N: usize>(
    f: impl Fn([f64; N]) -> [f64; M],
    x: [f64; N],
) -> [[f64; N]; M] {
    let mut jac = [[0.0; N]; M];
    for j in 0..N {
        let h = 1e-3 * x[j].abs().max(1.0);
        let at = |k: f64| {
            let mut p = x;
            p[j] += k * h;
            f(p)
        };
        let (p2, p1, m1, m2) = (at(2.0), at(1.0), at(-1.0), at(-2.0));
        for i in 0..M {
            jac[i][j] = (-p2[i] + 8.0 * p1[i] - 8.0 * m1[i] + m2[i]) / (12.0 * h);
        }
    }
    jac
}

fn assert_close(a: f64, b: f64, scale: f64, tolerance: f64, what: &str) {
    assert!(
        (a - b).abs() <= tolerance * scale,
        "{what}: {a} vs {b} (scale {scale})"
    );
}

fn assert_jacobian<const M: usize, const N: usize>(
    analytic: [[f64; N]; M],
    numeric: [[f64; N]; M],
    what: &str,
) {
    for i in 0..M {
        for j in 0..N {
            let (a, n) = (analytic[i][j], numeric[i][j]);
            // Relative 1e-9 where the entry is not 0; an exact 0 must be differenced to ~0.
            let scale = if a == 0.0 { 1.0 } else { a.abs() };
            assert_close(a, n, scale, 1e-9, &format!("{what}: J[{i}][{j}]"));
        }
    }
}

/// `vjp`, `jvp` and `Tape::backward` of one function at one point, against its Jacobian.
fn assert_products<const M: usize, const N: usize>(
    jac: [[f64; N]; M],
    (dout, vjp, backward): ([f64; M], [f64; N], [f64; N]),
    (v, jvp): ([f64; N], [f64; M]),
    what: &str,
) {
    for j in 0..N {
        let expected: f64 = (0..M).map(|i| dout[i] * jac[i][j]).sum();
        let scale: f64 = (0..M).map(|i| (dout[i] * jac[i][j]).abs()).sum();
        assert_close(
            vjp[j],
            expected,
            scale.max(f64::MIN_POSITIVE),
            1e-12,
            &format!("{what}: vjp[{j}]"),
        );
        assert_eq!(
            backward[j].to_bits(),
            vjp[j].to_bits(),
            "{what}: backward[{j}]"
        );
    }
    for i in 0..M {
        let expected: f64 = (0..N).map(|j| jac[i][j] * v[j]).sum();
        let scale: f64 = (0..N).map(|j| (jac[i][j] * v[j]).abs()).sum();
        assert_close(
            jvp[i],
            expected,
            scale.max(f64::MIN_POSITIVE),
            1e-12,
            &format!("{what}: jvp[{i}]"),
        );
    }
}

#[test]
fn polar_to_cartesian_in_both_forms() {
    for [r, t] in [[2.0, 0.3], [0.5, -2.0], [3.0, 4.0]] {
        let (xy, jac) = polar::jacobian(r, t);
        assert_eq!(xy, polar(r, t));
        // The closed form: [[cos t, -r sin t], [sin t, r cos t]].
        let closed = [[t.cos(), -r * t.sin()], [t.sin(), r * t.cos()]];
        assert_jacobian(jac, closed, "closed form");
        assert_jacobian(jac, differenced(|[r, t]| polar(r, t), [r, t]), "polar");
        let (body_xy, body_jac) = polar_body::jacobian(r, t);
        assert_eq!(polar_body(r, t), (body_xy[0], body_xy[1]));
        assert_eq!(body_jac, jac, "both forms compute the same");

        let dout = [0.7, -1.3];
        let (outputs, vjp) = polar::vjp(r, t, dout);
        let (forward, tape) = polar::forward(r, t);
        assert_eq!((outputs, forward), (xy, xy));
        let v = [-0.4, 2.5];
        let (outputs, jvp) = polar::jvp(r, t, v);
        assert_eq!(outputs, xy);
        assert_products(jac, (dout, vjp, tape.backward(dout)), (v, jvp), "polar");
    }
    assert_eq!(polar::WRT, ["r", "t"]);
}

#[test]
fn a_curve_fits_residuals() {
    for [a, b] in [[1.5, 0.7], [2.0, 1.2], [0.3, -0.4]] {
        let (r, jac) = residuals::jacobian(a, b);
        assert_eq!(r, residuals(a, b));
        assert_jacobian(
            jac,
            differenced(|[a, b]| residuals(a, b), [a, b]),
            "residuals",
        );
        let (body_r, body_jac) = residuals_body::jacobian(a, b);
        for i in 0..4 {
            assert_close(body_r[i], r[i], r[i].abs().max(1.0), 1e-15, "body residual");
        }
        assert_jacobian(body_jac, jac, "the body's Jacobian");
        let dout = [1.0, -2.0, 0.5, 3.0];
        let (_, vjp) = residuals::vjp(a, b, dout);
        let (_, tape) = residuals::forward(a, b);
        let v = [0.25, -1.5];
        let (_, jvp) = residuals::jvp(a, b, v);
        assert_products(jac, (dout, vjp, tape.backward(dout)), (v, jvp), "residuals");
    }
}

#[test]
fn gates_and_kinks_on_both_sides() {
    // Each side of `relu`, `max` and `|·|`, at points where differences are accurate.
    for p in [[1.5, 0.8, -0.3], [-2.0, 0.4, 0.9], [0.5, -0.3, 0.2]] {
        let [w, x, b] = p;
        let (y, jac) = gates::jacobian(w, x, b);
        assert_eq!(y, gates(w, x, b));
        assert_jacobian(jac, differenced(|[w, x, b]| gates(w, x, b), p), "gates");
        let dout = [0.3, -0.6, 1.1, 0.9, -1.4, 0.2];
        let (_, vjp) = gates::vjp(w, x, b, dout);
        let (_, tape) = gates::forward(w, x, b);
        let v = [1.0, -0.5, 0.25];
        let (_, jvp) = gates::jvp(w, x, b, v);
        assert_products(jac, (dout, vjp, tape.backward(dout)), (v, jvp), "gates");
    }
    // Both tails of σ (u = w x + b = ±36), where differences of σ are noise: against
    // σ'(u) = e^-|u| / (1 + e^-|u|)², which has no cancellation.
    for [w, x, b] in [[6.0, 6.0, 0.0], [6.0, -6.0, 0.0]] {
        let (_, jac) = gates::jacobian(w, x, b);
        let u: f64 = w * x + b;
        let d = (-u.abs()).exp() / (1.0 + (-u.abs()).exp()).powi(2);
        let closed = [x * d, w * d, d];
        for j in 0..3 {
            assert_close(jac[0][j], closed[j], closed[j].abs(), 1e-12, "σ's tail");
        }
    }
    // Far in the tails the derivative of σ is tiny but not 0, and never NaN.
    let (_, jac) = gates::jacobian(1.0, 40.0, 0.0);
    assert!(jac[0][0] > 0.0 && jac[0][0] < 1e-15, "{}", jac[0][0]);
    let (_, jac) = gates::jacobian(1.0, -800.0, 0.0);
    assert!(jac.iter().flatten().all(|d| d.is_finite()), "{jac:?}");
}

#[test]
fn wrt_picks_the_columns_and_branches_pick_their_derivative() {
    for p in [[1.2, 0.4, -0.7], [0.4, 1.2, 2.0]] {
        let [x, y, z] = p;
        let (out, jac) = some::jacobian(x, y, z);
        assert_eq!(out, some(x, y, z));
        let numeric = differenced(|[x, z]| some(x, y, z), [x, z]);
        assert_jacobian(jac, numeric, "some");
        let dout = [1.0, 0.5, -2.0];
        let (_, vjp) = some::vjp(x, y, z, dout);
        let (_, tape) = some::forward(x, y, z);
        let v = [0.3, 0.9];
        let (_, jvp) = some::jvp(x, y, z, v);
        assert_products(jac, (dout, vjp, tape.backward(dout)), (v, jvp), "some");
    }
    assert_eq!(some::WRT, ["x", "z"]);
}

#[test]
fn f32_outputs() {
    let (xy, jac): ([f32; 2], [[f32; 2]; 2]) = small::jacobian(3.0, 2.0);
    assert_eq!(xy, [6.0, 1.5]);
    assert_eq!(small(3.0, 2.0), (6.0, 1.5));
    assert_eq!(jac, [[2.0, 3.0], [0.5, -0.75]]);
    let (_, vjp) = small::vjp(3.0, 2.0, [1.0, 2.0]);
    assert_eq!(vjp, [3.0, 1.5]);
    let (_, jvp) = small::jvp(3.0, 2.0, [1.0, 0.0]);
    assert_eq!(jvp, [2.0, 0.5]);
}

/// The README's example: Gauss–Newton on a curve fit, the 2×2 normal equations solved by
/// hand.
#[test]
fn a_gauss_newton_fit() {
    #[derive_grad("a e^(-b x0) - y0, a e^(-b x1) - y1, a e^(-b x2) - y2", wrt(a, b))]
    fn residuals(a: f64, b: f64, x0: f64, y0: f64, x1: f64, y1: f64, x2: f64, y2: f64) -> [f64; 3];

    let xs = [0.5, 1.0, 2.0];
    let ys = xs.map(|x: f64| 2.0 * (-0.8 * x).exp()); // data from a = 2, b = 0.8
    let (mut a, mut b) = (1.0, 0.3);
    for _ in 0..20 {
        let (r, jac) = residuals::jacobian(a, b, xs[0], ys[0], xs[1], ys[1], xs[2], ys[2]);
        // Normal equations JᵀJ·d = -Jᵀr, the 2×2 system solved by hand.
        let (mut jtj, mut jtr) = ([[0.0; 2]; 2], [0.0; 2]);
        for (row, ri) in jac.iter().zip(r) {
            for i in 0..2 {
                jtr[i] += row[i] * ri;
                for j in 0..2 {
                    jtj[i][j] += row[i] * row[j];
                }
            }
        }
        let det = jtj[0][0] * jtj[1][1] - jtj[0][1] * jtj[1][0];
        a -= (jtj[1][1] * jtr[0] - jtj[0][1] * jtr[1]) / det;
        b -= (jtj[0][0] * jtr[1] - jtj[1][0] * jtr[0]) / det;
    }
    assert!((a - 2.0).abs() < 1e-12, "{a}");
    assert!((b - 0.8).abs() < 1e-12, "{b}");
}

/// The README shows `a_gauss_newton_fit`'s code: each line of its example is a line of
/// this file, so the example cannot drift from the test that runs it.
#[test]
fn the_readme_shows_the_tested_gauss_newton_fit() {
    let readme = include_str!("../../README.md");
    let this = include_str!("many_outputs.rs");
    let start = readme
        .find("```rust\n#[derive_grad(\"a e^(-b x0)")
        .expect("the README has the Gauss–Newton example");
    let block = &readme[start + "```rust\n".len()..];
    let block = &block[..block.find("```").expect("the block ends")];
    let lines: Vec<&str> = this.lines().map(str::trim).collect();
    for line in block.lines().map(str::trim).filter(|l| !l.is_empty()) {
        assert!(lines.contains(&line), "README line not in the test: {line}");
    }
}
