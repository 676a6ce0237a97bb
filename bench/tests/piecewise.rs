//! The piecewise contenders (the Huber loss and the ELU layer): the hand-written gradient
//! against central differences of its own value at the benchmark point (away from every
//! kink), and the generated one against the hand-written one.

use symgrad_bench::{formulas, generated, hand};

/// Central differences of `f`'s value against its gradient, and `other` against `f`.
fn check<const N: usize>(
    bench: &formulas::Bench,
    f: fn(&[f64; N]) -> (f64, [f64; N]),
    other: fn(&[f64; N]) -> (f64, [f64; N]),
) {
    let point: [f64; N] = bench.point_array();
    let (value, grad) = f(&point);
    let h = 1e-6;
    for i in 0..N {
        let (mut up, mut down) = (point, point);
        up[i] += h;
        down[i] -= h;
        let central = (f(&up).0 - f(&down).0) / (2.0 * h);
        assert!(
            (central - grad[i]).abs() <= 1e-8 * grad[i].abs().max(1.0),
            "{} ∂{}: hand-written {}, central {central}",
            bench.name,
            bench.vars[i],
            grad[i]
        );
    }
    let (v, g) = other(&point);
    let close = |a: f64, b: f64| (a - b).abs() <= 1e-12 * a.abs().max(b.abs());
    assert!(close(v, value), "{}: {v} vs {value}", bench.name);
    for i in 0..N {
        assert!(
            close(g[i], grad[i]),
            "{} ∂{}: {} vs {}",
            bench.name,
            bench.vars[i],
            g[i],
            grad[i]
        );
    }
}

#[test]
fn the_huber_loss_by_hand_and_generated_agree_with_central_differences() {
    check(&formulas::huber(), hand::huber, generated::huber_grad);
    // Hand-derived at the point: residuals -0.1, -2, -1.5, 0.7 give
    // (0.005 + 1.5 + 1 + 0.245)/4.
    let (value, _) = hand::huber(&formulas::huber().point_array());
    assert!((value - 2.75 / 4.0).abs() <= 1e-15, "{value}");
}

#[test]
fn the_elu_layer_by_hand_and_generated_agree_with_central_differences() {
    check(
        &formulas::elu_layer(),
        hand::elu_layer,
        generated::elu_layer_grad,
    );
}
