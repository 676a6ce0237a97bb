//! The piecewise built-ins (SPEC §7) in generated code, both forms of `#[derive_grad]`: the
//! string form calls the built-in, the Rust-body form writes the same function with `if`
//! (and `x.clamp(lo, hi)`); the two agree with each other, with hand-written gradients,
//! and with central differences away from the kinks, including ±800 and ±1e3, and take
//! the documented convention at each kink.

use symgrad::derive_grad;
use symgrad_tests::central_difference;

#[derive_grad("leaky_relu(x, a)")]
fn leaky(x: f64, a: f64) -> f64;

#[derive_grad]
fn leaky_body(x: f64, a: f64) -> f64 {
    if x > 0.0 { x } else { a * x }
}

#[derive_grad("elu(x, a)")]
fn elu(x: f64, a: f64) -> f64;

#[derive_grad]
fn elu_body(x: f64, a: f64) -> f64 {
    if x > 0.0 { x } else { a * x.exp_m1() }
}

#[derive_grad("huber(x, d)", hessian)]
fn huber(x: f64, d: f64) -> f64;

#[derive_grad("clamp(x, lo, hi)")]
fn clamp(x: f64, lo: f64, hi: f64) -> f64;

#[derive_grad]
fn clamp_method(x: f64, lo: f64, hi: f64) -> f64 {
    x.clamp(lo, hi)
}

#[derive_grad("gelu(x) + silu(y) + sign(x) y", hessian)]
fn smooth(x: f64, y: f64) -> f64;

type Two = fn(f64, f64) -> (f64, [f64; 2]);

/// `grad` against the value's central differences and a hand-written gradient.
fn agrees(name: &str, grad: Two, hand: fn(f64, f64) -> [f64; 2], points: &[[f64; 2]]) {
    for &[x, y] in points {
        let (value, partials) = grad(x, y);
        assert!(value.is_finite(), "{name} at ({x}, {y})");
        assert_eq!(partials, hand(x, y), "{name} at ({x}, {y}): hand-written");
        for (i, &partial) in partials.iter().enumerate() {
            let numeric = central_difference(|p| grad(p[0], p[1]).0, &[x, y], i);
            let scale = partial
                .abs()
                .max(value.abs().max(1.0) / [x, y][i].abs().max(1.0));
            assert!(
                (partial - numeric).abs() <= 1e-6 * scale,
                "{name} at ({x}, {y}): ∂{i} = {partial}, differences {numeric}"
            );
        }
    }
}

const POINTS: [[f64; 2]; 6] = [
    [-1e3, 0.2],
    [-800.0, 1.5],
    [-0.7, 0.3],
    [0.4, 2.0],
    [800.0, 0.1],
    [1e3, 1.0],
];

#[test]
fn leaky_relu_and_elu_in_both_forms() {
    let leaky_hand = |x: f64, a: f64| if x > 0.0 { [1.0, 0.0] } else { [a, x] };
    let elu_hand = |x: f64, a: f64| {
        if x > 0.0 {
            [1.0, 0.0]
        } else {
            [a * x.exp(), x.exp_m1()]
        }
    };
    agrees("leaky_relu", leaky::grad, leaky_hand, &POINTS);
    agrees("leaky_relu body", leaky_body::grad, leaky_hand, &POINTS);
    agrees("elu", elu::grad, elu_hand, &POINTS);
    agrees("elu body", elu_body::grad, elu_hand, &POINTS);
    for [x, a] in POINTS.into_iter().chain([[0.0, 0.3]]) {
        assert_eq!(leaky(x, a), leaky_body(x, a));
        assert_eq!(elu(x, a), elu_body(x, a));
    }
    // At 0 the slope is a's: the branch x > 0 is not taken.
    assert_eq!(leaky::grad(0.0, 0.3), (0.0, [0.3, 0.0]));
    assert_eq!(elu::grad(0.0, 0.3), (0.0, [0.3, 0.0]));
}

#[test]
fn huber_gradient_and_hessian() {
    let hand = |x: f64, d: f64| {
        if x.abs() <= d {
            [x, 0.0]
        } else {
            [d * x.signum(), x.abs() - d]
        }
    };
    agrees(
        "huber",
        huber::grad,
        hand,
        &[
            [-1e3, 1.0],
            [-800.0, 2.0],
            [-0.3, 1.0],
            [2.5, 1.0],
            [1e3, 10.0],
        ],
    );
    // Continuous at |x| = d; the second derivative takes the inside's 1.
    assert_eq!(huber::grad(1.5, 1.5), (1.125, [1.5, 0.0]));
    assert_eq!(huber::hessian(0.5, 1.0).2, [[1.0, 0.0], [0.0, 0.0]]);
    assert_eq!(huber::hessian(-2.0, 1.0).2, [[0.0, -1.0], [-1.0, -1.0]]);
}

#[test]
fn clamp_and_the_clamp_method_agree() {
    for (x, lo, hi, partials) in [
        (-5.0, -1.0, 2.0, [0.0, 1.0, 0.0]),
        (0.5, -1.0, 2.0, [1.0, 0.0, 0.0]),
        (1e3, -1.0, 2.0, [0.0, 0.0, 1.0]),
        // At a bound x passes through.
        (-1.0, -1.0, 2.0, [1.0, 0.0, 0.0]),
        (2.0, -1.0, 2.0, [1.0, 0.0, 0.0]),
    ] {
        assert_eq!(clamp::grad(x, lo, hi), (x.clamp(lo, hi), partials), "{x}");
        assert_eq!(clamp_method::grad(x, lo, hi), clamp::grad(x, lo, hi), "{x}");
        assert_eq!(clamp_method(x, lo, hi), x.clamp(lo, hi));
    }
}

#[test]
fn gelu_silu_and_sign_stay_finite_in_the_tails() {
    for [x, y] in [[-1e3, -1e3], [-800.0, -800.0], [800.0, 800.0], [1e3, 1e3]] {
        let (value, [dx, dy], h) = smooth::hessian(x, y);
        assert!(value.is_finite() && dx.is_finite() && dy.is_finite(), "{x}");
        assert!(h.iter().flatten().all(|v| v.is_finite()), "{x}: {h:?}");
        assert_eq!(smooth::grad(x, y).0, value);
    }
    // gelu'(0) = silu'(0) = 1/2; sign'(0) = 0, sign(0) = 0.
    assert_eq!(smooth::grad(0.0, 0.0), (0.0, [0.5, 0.5]));
    for [x, y] in [[-2.1, 0.7], [0.9, -3.0], [4.0, 1.2]] {
        let (_, partials) = smooth::grad(x, y);
        for (i, &partial) in partials.iter().enumerate() {
            let numeric = central_difference(|p| smooth(p[0], p[1]), &[x, y], i);
            assert!(
                (partial - numeric).abs() <= 1e-6 * partial.abs().max(1.0),
                "({x}, {y}) ∂{i}"
            );
        }
    }
}

/// 140 built-ins: a block of more than 256 `let`s, declared in patterns and assigned once,
/// where each value and its slope are one fused call, `(t1, t2) = gates::elu_with_slope(…)`.
#[derive_grad(
    "elu(1x - y) + huber(x - 1y, 1) + elu(2x - y) + huber(x - 2y, 1) + elu(3x - y) + huber(x - 3y, 1) + elu(4x - y) + huber(x - 4y, 1) + elu(5x - y) + huber(x - 5y, 1) + elu(6x - y) + huber(x - 6y, 1) + elu(7x - y) + huber(x - 7y, 1) + elu(8x - y) + huber(x - 8y, 1) + elu(9x - y) + huber(x - 9y, 1) + elu(10x - y) + huber(x - 10y, 1) + elu(11x - y) + huber(x - 11y, 1) + elu(12x - y) + huber(x - 12y, 1) + elu(13x - y) + huber(x - 13y, 1) + elu(14x - y) + huber(x - 14y, 1) + elu(15x - y) + huber(x - 15y, 1) + elu(16x - y) + huber(x - 16y, 1) + elu(17x - y) + huber(x - 17y, 1) + elu(18x - y) + huber(x - 18y, 1) + elu(19x - y) + huber(x - 19y, 1) + elu(20x - y) + huber(x - 20y, 1) + elu(21x - y) + huber(x - 21y, 1) + elu(22x - y) + huber(x - 22y, 1) + elu(23x - y) + huber(x - 23y, 1) + elu(24x - y) + huber(x - 24y, 1) + elu(25x - y) + huber(x - 25y, 1) + elu(26x - y) + huber(x - 26y, 1) + elu(27x - y) + huber(x - 27y, 1) + elu(28x - y) + huber(x - 28y, 1) + elu(29x - y) + huber(x - 29y, 1) + elu(30x - y) + huber(x - 30y, 1) + elu(31x - y) + huber(x - 31y, 1) + elu(32x - y) + huber(x - 32y, 1) + elu(33x - y) + huber(x - 33y, 1) + elu(34x - y) + huber(x - 34y, 1) + elu(35x - y) + huber(x - 35y, 1) + elu(36x - y) + huber(x - 36y, 1) + elu(37x - y) + huber(x - 37y, 1) + elu(38x - y) + huber(x - 38y, 1) + elu(39x - y) + huber(x - 39y, 1) + elu(40x - y) + huber(x - 40y, 1) + elu(41x - y) + huber(x - 41y, 1) + elu(42x - y) + huber(x - 42y, 1) + elu(43x - y) + huber(x - 43y, 1) + elu(44x - y) + huber(x - 44y, 1) + elu(45x - y) + huber(x - 45y, 1) + elu(46x - y) + huber(x - 46y, 1) + elu(47x - y) + huber(x - 47y, 1) + elu(48x - y) + huber(x - 48y, 1) + elu(49x - y) + huber(x - 49y, 1) + elu(50x - y) + huber(x - 50y, 1) + elu(51x - y) + huber(x - 51y, 1) + elu(52x - y) + huber(x - 52y, 1) + elu(53x - y) + huber(x - 53y, 1) + elu(54x - y) + huber(x - 54y, 1) + elu(55x - y) + huber(x - 55y, 1) + elu(56x - y) + huber(x - 56y, 1) + elu(57x - y) + huber(x - 57y, 1) + elu(58x - y) + huber(x - 58y, 1) + elu(59x - y) + huber(x - 59y, 1) + elu(60x - y) + huber(x - 60y, 1) + elu(61x - y) + huber(x - 61y, 1) + elu(62x - y) + huber(x - 62y, 1) + elu(63x - y) + huber(x - 63y, 1) + elu(64x - y) + huber(x - 64y, 1) + elu(65x - y) + huber(x - 65y, 1) + elu(66x - y) + huber(x - 66y, 1) + elu(67x - y) + huber(x - 67y, 1) + elu(68x - y) + huber(x - 68y, 1) + elu(69x - y) + huber(x - 69y, 1) + elu(70x - y) + huber(x - 70y, 1)"
)]
fn many_fused(x: f64, y: f64) -> f64;

#[test]
fn fused_gates_in_a_long_block_match_the_hand_written_gradient() {
    let elu_slope = |z: f64| if z > 0.0 { 1.0 } else { z.exp() };
    let huber_slope = |z: f64| if z.abs() <= 1.0 { z } else { z.signum() };
    for (x, y) in [(-0.3, 0.2), (2.0, -1.0), (0.01, 0.5), (-40.0, 3.0)] {
        let (mut value, mut gx, mut gy) = (0.0, 0.0, 0.0);
        for i in 1..=70 {
            let a = f64::from(i);
            let (z, w) = (a * x - y, x - a * y);
            value += if z > 0.0 { z } else { z.exp_m1() };
            value += if w.abs() <= 1.0 {
                0.5 * w * w
            } else {
                w.abs() - 0.5
            };
            gx += a * elu_slope(z) + huber_slope(w);
            gy += -elu_slope(z) - a * huber_slope(w);
        }
        let (v, [dx, dy]) = many_fused::grad(x, y);
        let close = |a: f64, b: f64| (a - b).abs() <= 1e-12 * a.abs().max(b.abs()).max(1e-300);
        assert!(close(v, value) && close(v, many_fused(x, y)), "{v} {value}");
        assert!(
            close(dx, gx) && close(dy, gy),
            "({dx}, {dy}) vs ({gx}, {gy})"
        );
    }
}
