//! `if` in generated code (SPEC §7), in both forms of `#[derive_grad]`: only the branch taken
//! runs, so a NaN of the other never reaches `f`, `grad`, `forward` or `backward`; the Huber
//! loss against its hand-written gradient and central differences away from its kink.

use symgrad::derive_grad;
use symgrad_tests::central_difference;

#[derive_grad("if(x > 0, ln(x), 0)")]
fn log_or_zero(x: f64) -> f64;

#[derive_grad]
fn log_or_zero_body(x: f64) -> f64 {
    if x > 0.0 { x.ln() } else { 0.0 }
}

#[derive_grad("if(x > 0, sqrt(x), 0)")]
fn root_or_zero(x: f64) -> f64;

#[derive_grad]
fn root_or_zero_body(x: f64) -> f64 {
    if x > 0.0 {
        let r = x.sqrt();
        r
    } else {
        0.0
    }
}

/// A name, `f`, its `grad`, a point where the branch with the NaN is not taken, and one
/// where it is.
type Case = (&'static str, fn(f64) -> f64, Grad, f64, f64);
type Grad = fn(f64) -> (f64, [f64; 1]);

#[test]
fn the_branch_not_taken_leaks_no_nan_in_either_form() {
    let cases: [Case; 4] = [
        ("ln, string", log_or_zero, log_or_zero::grad, -1.0, 2.0),
        (
            "ln, body",
            log_or_zero_body,
            log_or_zero_body::grad,
            -1.0,
            2.0,
        ),
        ("sqrt, string", root_or_zero, root_or_zero::grad, -4.0, 4.0),
        (
            "sqrt, body",
            root_or_zero_body,
            root_or_zero_body::grad,
            -4.0,
            4.0,
        ),
    ];
    for (name, f, grad, dead, live) in cases {
        assert_eq!(f(dead), 0.0, "{name}");
        assert_eq!(grad(dead), (0.0, [0.0]), "{name}");
        let (value, [d]) = grad(live);
        assert_eq!(value, f(live), "{name}");
        let expected = if name.starts_with("ln") {
            1.0 / live
        } else {
            0.5 / live.sqrt()
        };
        assert!((d - expected).abs() <= 1e-15, "{name}: {d}");
    }
    let (value, tape) = log_or_zero::forward(-1.0);
    assert_eq!((value, tape.backward(1.0)), (0.0, [0.0]));
    let (value, tape) = root_or_zero_body::forward(-4.0);
    assert_eq!((value, tape.backward(2.0)), (0.0, [0.0]));
}

/// `ln(x)` is a tape field, computed before the `if` (a NaN at x < 0) and read by
/// `backward` only where `x > 0`.
#[derive_grad("if(x > 0, ln(x) y + ln(x), 0)")]
fn log_on_the_tape(x: f64, y: f64) -> f64;

#[test]
fn a_tape_field_only_a_branch_uses_reaches_neither_value_nor_gradient() {
    for x in [-1.0, 0.0] {
        let (value, tape) = log_on_the_tape::forward(x, 3.0);
        assert_eq!((value, tape.backward(2.0)), (0.0, [0.0, 0.0]), "x = {x}");
    }
    // x = e: value ln(x)(y + 1) = 4, gradient ((y + 1)/x, ln(x)) times dout = 2.
    let e = std::f64::consts::E;
    let (value, tape) = log_on_the_tape::forward(e, 3.0);
    let [dx, dy] = tape.backward(2.0);
    for (got, want) in [(value, 4.0), (dx, 8.0 / e), (dy, 2.0)] {
        assert!((got - want).abs() <= 1e-15 * want, "{got} vs {want}");
    }
}

#[derive_grad("if(abs(x) <= d, x^2/2, d*(abs(x) - d/2))")]
fn huber(x: f64, d: f64) -> f64;

#[derive_grad]
fn huber_body(x: f64, d: f64) -> f64 {
    let a = x.abs();
    if a <= d {
        x * x / 2.0
    } else {
        d * (a - d / 2.0)
    }
}

/// ∂/∂x and ∂/∂d of the Huber loss, by hand: inside, (x, 0); outside, (d·sign x, |x| - d).
fn huber_gradient(x: f64, d: f64) -> [f64; 2] {
    if x.abs() <= d {
        [x, 0.0]
    } else {
        [d * x.signum(), x.abs() - d]
    }
}

#[test]
fn huber_matches_its_hand_written_gradient_and_central_differences() {
    for grad in [huber::grad, huber_body::grad] {
        for k in -30..=30 {
            let (x, d) = (f64::from(k) * 0.1 + 0.003, 1.5);
            let (value, partials) = grad(x, d);
            assert_eq!(value, huber(x, d));
            let hand = huber_gradient(x, d);
            for (i, (&analytic, hand)) in partials.iter().zip(hand).enumerate() {
                assert!((analytic - hand).abs() <= 1e-15, "at {x}: {partials:?}");
                if (x.abs() - d).abs() > 1e-3 {
                    let f = |p: &[f64]| huber(p[0], p[1]);
                    let central = central_difference(f, &[x, d], i);
                    assert!((central - analytic).abs() <= 1e-7, "∂{i} at {x}: {central}");
                }
            }
        }
        // At the kink |x| = d the first branch is taken.
        assert_eq!(grad(1.5, 1.5).1, [1.5, 0.0]);
    }
}

#[derive_grad]
fn clamp_chain(x: f64) -> f64 {
    if x < -1.0 {
        -1.0
    } else if x <= 1.0 && !(x < 0.0) {
        x * x
    } else if x <= 1.0 {
        x
    } else {
        1.0
    }
}

#[test]
fn else_if_chains_take_the_first_branch_that_holds() {
    let points = [
        (-2.0, -1.0, 0.0),
        (-0.5, -0.5, 1.0),
        (0.5, 0.25, 1.0),
        (3.0, 1.0, 0.0),
    ];
    for (x, value, d) in points {
        assert_eq!(clamp_chain::grad(x), (value, [d]), "at {x}");
    }
}
