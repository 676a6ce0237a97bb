//! Product accumulators (SPEC §8, issue 15): `p *= v` in loops, `.product::<F>()` and
//! `fold(1.0, |acc, v| acc * v)`. Each factor's partial is the product of the others,
//! exact with zero factors (one zero: only it has a nonzero partial; two: none does), and
//! the functions agree with hand-written gradients and central differences.

// Index loops, as the body form writes them.
#![allow(clippy::needless_range_loop)]

use symgrad::derive_grad;

#[derive_grad]
fn product(x: &[f64; 4]) -> f64 {
    let mut p = 1.0;
    for i in 0..4 {
        p *= x[i];
    }
    p
}

/// `∂/∂x_i` of `Π x`, by hand: the product of the others, one by one.
fn product_by_hand(x: &[f64; 4]) -> [f64; 4] {
    std::array::from_fn(|i| (0..4).filter(|&j| j != i).map(|j| x[j]).product())
}

#[test]
fn each_factor_takes_the_product_of_the_others() {
    for x in [
        [1.5, -2.0, 0.25, 3.0],
        [2.0, 0.0, 3.0, 4.0],
        [0.0, 0.0, 3.0, 4.0],
        [0.0, -0.0, 0.0, 0.0],
        [1e-200, 1e100, -7.0, 1e99],
    ] {
        let (value, g) = product::grad(&x);
        assert_eq!(value, x.iter().product::<f64>(), "{x:?}");
        let want = product_by_hand(&x);
        for i in 0..4 {
            let tolerance = 4.0 * f64::EPSILON * want[i].abs();
            assert!(
                (g.x[i] - want[i]).abs() <= tolerance,
                "{x:?}: {:?} vs {want:?}",
                g.x
            );
        }
    }
    // One zero factor: only it has a nonzero partial, exactly the others' product.
    assert_eq!(
        product::grad(&[2.0, 0.0, 3.0, 4.0]).1.x,
        [0.0, 24.0, 0.0, 0.0]
    );
}

/// A product whose first value is a parameter, of factors that are expressions, per data
/// row, summed: `Σ_r a Π_k (1 + w_k x_rk)`.
#[derive_grad(wrt(a, w))]
fn rows_of_products(a: f64, w: &[f64; 3], xs: &[[f64; 3]]) -> f64 {
    let mut total = 0.0;
    for r in 0..xs.len() {
        let mut p = a;
        for k in 0..3 {
            p *= 1.0 + w[k] * xs[r][k];
        }
        total += p;
    }
    total
}

fn central(f: impl Fn(f64) -> f64, x: f64) -> f64 {
    let h = 1e-6 * x.abs().max(1.0);
    (f(x + h) - f(x - h)) / (2.0 * h)
}

#[test]
fn products_in_nested_loops_agree_with_central_differences() {
    let xs = [[0.5, -1.0, 2.0], [1.5, 0.25, -0.5], [-2.0, 1.0, 0.0]];
    let (a, w) = (1.25, [0.3, -0.7, 0.4]);
    let (value, g) = rows_of_products::grad(a, &w, &xs);
    assert_eq!(value, rows_of_products(a, &w, &xs));
    let da = central(|a| rows_of_products(a, &w, &xs), a);
    assert!(
        (g.a - da).abs() < 1e-8 * da.abs().max(1.0),
        "{} vs {da}",
        g.a
    );
    for k in 0..3 {
        let dw = central(
            |v| {
                let mut w = w;
                w[k] = v;
                rows_of_products(a, &w, &xs)
            },
            w[k],
        );
        assert!(
            (g.w[k] - dw).abs() < 1e-8 * dw.abs().max(1.0),
            "w{k}: {} vs {dw}",
            g.w[k]
        );
    }
    // By hand: ∂/∂a = Σ_r Π_k (1 + w_k x_rk).
    let by_hand: f64 = xs
        .iter()
        .map(|x| (0..3).map(|k| 1.0 + w[k] * x[k]).product::<f64>())
        .sum();
    assert!((g.a - by_hand).abs() <= 1e-15 * by_hand.abs());
}

#[derive_grad]
fn iterator_products(x: &[f64; 3], y: &[f64; 3]) -> f64 {
    let scaled = x.iter().map(|v| v * 2.0).product::<f64>();
    let folded = x
        .iter()
        .zip(y.iter())
        .fold(1.0, |acc, (a, b)| acc * (a + b));
    scaled + folded
}

#[test]
fn product_and_fold_of_iterators() {
    let (x, y) = ([1.5, -0.5, 2.0], [0.5, 1.0, -1.0]);
    let (value, g) = iterator_products::grad(&x, &y);
    let s: [f64; 3] = std::array::from_fn(|i| x[i] + y[i]);
    assert_eq!(value, 8.0 * x[0] * x[1] * x[2] + s[0] * s[1] * s[2]);
    for i in 0..3 {
        let others = |v: &[f64; 3]| (0..3).filter(|&j| j != i).map(|j| v[j]).product::<f64>();
        let dx = 8.0 * others(&x) + others(&s);
        let dy = others(&s);
        assert!((g.x[i] - dx).abs() <= 1e-15 * dx.abs(), "x{i}");
        assert!((g.y[i] - dy).abs() <= 1e-15 * dy.abs(), "y{i}");
    }
}

#[test]
fn the_tape_keeps_the_product_for_the_backward_pass() {
    let x = [2.0, 0.0, 3.0, 4.0];
    let (value, tape) = product::forward(&x);
    assert_eq!(value, 0.0);
    let mut g = product::Grad::boxed();
    tape.backward(0.5, &mut g);
    assert_eq!(g.x, [0.0, 12.0, 0.0, 0.0]);
}

/// `*=` outside a loop, a factor reading the product's own first factor.
#[derive_grad]
fn straight_product(a: f64, x: &[f64; 2]) -> f64 {
    let mut p = a;
    p *= x[0];
    p *= x[1] + a;
    p
}

#[test]
fn products_outside_loops() {
    let (a, x) = (1.5, [-2.0, 0.25]);
    let (value, g) = straight_product::grad(a, &x);
    assert_eq!(value, a * x[0] * (x[1] + a));
    // ∂/∂a = x0 (x1 + a) + a x0; ∂/∂x0 = a (x1 + a); ∂/∂x1 = a x0.
    let want = [x[0] * (x[1] + a) + a * x[0], a * (x[1] + a), a * x[0]];
    let got = [g.a, g.x[0], g.x[1]];
    for (g, w) in got.iter().zip(want) {
        assert!(
            (g - w).abs() <= 4.0 * f64::EPSILON * w.abs(),
            "{got:?} vs {want:?}"
        );
    }
    // A zero first factor: only its own partial is nonzero.
    let (_, g) = straight_product::grad(0.0, &x);
    assert_eq!([g.a, g.x[0], g.x[1]], [x[0] * x[1], 0.0, 0.0]);
}
