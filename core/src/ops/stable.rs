//! Numerically stable scalar functions, as the evaluator and the generated code use them.
//!
//! Each gate's stable form is written once, as the source that code generation emits into
//! the user's crate (`mod gates` inside the generated `mod f`), and compiled here for the
//! evaluator: one definition serves both.
//!
//! ```
//! use symgrad_core::stable::{sigmoid, softplus};
//! assert_eq!(sigmoid(-800.0), 0.0);
//! assert_eq!(softplus(800.0), 800.0);
//! ```

use crate::emitted::emitted_items;

emitted_items! {
    /// Each gate function, generic over the float type `F`.
    mod gates {
        sigmoid => /// `1/(1+e^-x)`, without overflow: `e^x/(1+e^x)` for negative `x`.
        /// One `e^-|x|` and a select rather than a branch, so that `σ(u)`, `σ(-u)`, `σ'(u)`
        /// and `softplus(±u)` inlined side by side share one exponential.
        #[inline]
        pub fn sigmoid(x: F) -> F {
            let e = (-x.abs()).exp();
            let numerator = if x >= 0.0 { 1.0 } else { e };
            numerator / (1.0 + e)
        }
        sigmoid_prime => /// `σ'(x) = σ(x)·σ(-x) = e^-|x|/(1+e^-|x|)²`, the sigmoid's local gradient,
        /// accurate in both tails (`σ·(1-σ)` is 0 from x ≈ 37 on, where this is e^-x). The
        /// same `e^-|x|` and `1+e^-|x|` as `sigmoid`: inlined side by side they share them.
        #[inline]
        pub fn sigmoid_prime(x: F) -> F {
            let e = (-x.abs()).exp();
            let denominator = 1.0 + e;
            // Divided twice: over a sweep as accurate as `e / d²` (5e-16 at worst), and
            // the lecture's σ'(1) = 0.19661193324148185 comes out correctly rounded.
            e / denominator / denominator
        }
        softplus => /// `ln(1+e^x)`, without overflow: `max(x, 0) + ln(1+e^-|x|)`.
        #[inline]
        pub fn softplus(x: F) -> F {
            let positive_part = if x > 0.0 { x } else { 0.0 };
            positive_part + (-x.abs()).exp().ln_1p()
        }
        relu => /// `max(0, x)`, keeping NaN.
        #[inline]
        pub fn relu(x: F) -> F {
            if x > 0.0 || x.is_nan() { x } else { 0.0 }
        }
        max => /// The larger of `a` and `b`; ties and NaN `b` give `a`.
        #[inline]
        pub fn max(a: F, b: F) -> F {
            if b > a { b } else { a }
        }
        min => /// The smaller of `a` and `b`; ties and NaN `b` give `a`.
        #[inline]
        pub fn min(a: F, b: F) -> F {
            if b < a { b } else { a }
        }
        sign => /// `1`, `-1`, or `x·0` at zero and NaN: the subgradient of `abs`.
        #[inline]
        pub fn sign(x: F) -> F {
            if x > 0.0 {
                1.0
            } else if x < 0.0 {
                -1.0
            } else {
                x * 0.0
            }
        }
        ge => /// `1` when `a ≥ b`, else `0`: routes the max gate's gradient.
        #[inline]
        pub fn ge(a: F, b: F) -> F {
            if a >= b { 1.0 } else { 0.0 }
        }
        gt => /// `1` when `a > b`, else `0`.
        #[inline]
        pub fn gt(a: F, b: F) -> F {
            if a > b { 1.0 } else { 0.0 }
        }
        leaky_relu => /// `x` for `x > 0`, else `a·x` (NaN stays NaN).
        #[inline]
        pub fn leaky_relu(x: F, a: F) -> F {
            if x > 0.0 { x } else { a * x }
        }
        elu => /// `x` for `x > 0`, else `a·(e^x - 1)`: by `exp_m1` above -ln 2, which keeps its
        /// digits near 0, and by `exp` below, where `e^x - 1` loses none (it is at least ½
        /// in magnitude) and never overflows. Only the branch taken is computed; the split
        /// is [`elu_slope`]'s, so `elu_with_slope` computes both from one exponential.
        #[inline]
        pub fn elu(x: F, a: F) -> F {
            if x > 0.0 {
                x
            } else if x > -(core::f64::consts::LN_2 as F) {
                a * x.exp_m1()
            } else {
                a * (x.exp() - 1.0)
            }
        }
        elu_slope => /// elu's slope in `x`: `1` for `x > 0`, else `a·e^x`, as `a·(exp_m1(x) + 1)` above
        /// -ln 2 (where that sum loses nothing) so that it shares [`elu`]'s exponential.
        #[inline]
        pub fn elu_slope(x: F, a: F) -> F {
            if x > 0.0 {
                1.0
            } else if x > -(core::f64::consts::LN_2 as F) {
                a * (x.exp_m1() + 1.0)
            } else {
                a * x.exp()
            }
        }
        elu_with_slope => /// `(elu(x, a), elu_slope(x, a))`, bit for bit, from one exponential.
        #[inline]
        pub fn elu_with_slope(x: F, a: F) -> (F, F) {
            if x > 0.0 {
                (x, 1.0)
            } else if x > -(core::f64::consts::LN_2 as F) {
                let m = x.exp_m1();
                (a * m, a * (m + 1.0))
            } else {
                let e = x.exp();
                (a * (e - 1.0), a * e)
            }
        }
        huber => /// `x²/2` for `|x| ≤ d`, else `d·(|x| - d/2)`: the square only inside, so it does not
        /// overflow for large residuals.
        #[inline]
        pub fn huber(x: F, d: F) -> F {
            let magnitude = x.abs();
            if magnitude <= d { 0.5 * x * x } else { d * (magnitude - 0.5 * d) }
        }
        huber_slope => /// huber's slope in `x`: `x` for `|x| ≤ d`, else `d·sign(x)` (`d·(x·0)` at 0 and NaN,
        /// as `sign`).
        #[inline]
        pub fn huber_slope(x: F, d: F) -> F {
            if x.abs() <= d {
                x
            } else if x > 0.0 {
                d
            } else if x < 0.0 {
                -d
            } else {
                d * (x * 0.0)
            }
        }
        huber_with_slope => /// `(huber(x, d), huber_slope(x, d))`, bit for bit, with one comparison.
        #[inline]
        pub fn huber_with_slope(x: F, d: F) -> (F, F) {
            let magnitude = x.abs();
            if magnitude <= d {
                (0.5 * x * x, x)
            } else {
                let slope = if x > 0.0 {
                    d
                } else if x < 0.0 {
                    -d
                } else {
                    d * (x * 0.0)
                };
                (d * (magnitude - 0.5 * d), slope)
            }
        }
        clamp => /// `lo` below `lo`, `hi` above `hi`, else `x` (NaN stays NaN). Unlike `f64::clamp`,
        /// it never panics: with `lo > hi`, `x < lo` gives `lo` first.
        #[inline]
        pub fn clamp(x: F, lo: F, hi: F) -> F {
            if x < lo {
                lo
            } else if x > hi {
                hi
            } else {
                x
            }
        }
        gelu => /// The tanh form `½x(1 + tanh(√(2/π)(x + 0.044715x³)))`, as `x·σ(z)` with
        /// `z = 2√(2/π)·x·(1 + 0.044715x²)`: equal, but `1 + tanh` cancels to 0 in the left
        /// tail (where the truth is `x·e^z`) and σ from one `e^-|z|` does not, nor overflows
        /// when `z` is infinite.
        #[inline]
        #[allow(clippy::excessive_precision)]
        pub fn gelu(x: F) -> F {
            let z = 1.595_769_121_605_730_7 * x * (1.0 + 0.044715 * x * x);
            let e = (-z.abs()).exp();
            let numerator = if z >= 0.0 { 1.0 } else { e };
            x * (numerator / (1.0 + e))
        }
        silu => /// `x·σ(x)`, σ as in `sigmoid`: `-0` at `-800`, `x` at `800`.
        #[inline]
        pub fn silu(x: F) -> F {
            let e = (-x.abs()).exp();
            let numerator = if x >= 0.0 { 1.0 } else { e };
            x * (numerator / (1.0 + e))
        }
        log1mexp => /// `ln(1 - e^x)` for `x < 0` (Mächler's two branches): `ln(-exp_m1(x))` above
        /// `-ln 2` (where `e^x > 1/2`), where `1 - e^x` is small and `exp_m1` keeps its
        /// digits; `ln_1p(-e^x)` below, where `1 - e^x` rounds to 1 once `e^x < 2⁻⁵³`.
        /// NaN above 0.
        #[inline]
        pub fn log1mexp(x: F) -> F {
            let e = x.exp();
            if e > 0.5 { (-x.exp_m1()).ln() } else { (-e).ln_1p() }
        }
        logsumexp => /// `ln(e^a + e^b + …)`, max-shifted: `m + ln_1p(Σ e^(x - m))` over the operands but
        /// the (first) largest, `m`, so that no exponential overflows and a sum next to 1
        /// keeps its digits. `-∞` for no operand, `m` itself when it is infinite (where
        /// `e^(m - m)` would be NaN), NaN when an operand is.
        #[inline]
        pub fn logsumexp(x: &[F]) -> F {
            let mut top = 0;
            for (i, &v) in x.iter().enumerate() {
                if v > x[top] || v.is_nan() {
                    top = i;
                }
            }
            let Some(&m) = x.get(top) else {
                return F::NEG_INFINITY;
            };
            if !m.is_finite() {
                return m;
            }
            let mut rest: F = 0.0;
            for (i, &v) in x.iter().enumerate() {
                if i != top {
                    rest += (v - m).exp();
                }
            }
            m + rest.ln_1p()
        }
    }
}

pub use gates::f64::*;

/// `(name, source)` of each gate function, in definition order, for emission.
pub(crate) use gates::SOURCES;

#[cfg(test)]
mod tests {
    use super::gates::{f32 as g32, f64 as g64};

    const POINTS: [f64; 13] = [
        -800.0,
        -40.0,
        -1.0,
        -1e-300,
        -0.0,
        0.0,
        1e-300,
        0.5,
        1.0,
        40.0,
        800.0,
        f64::INFINITY,
        f64::NAN,
    ];

    fn same(a: f64, b: f64) -> bool {
        a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan())
    }

    #[test]
    fn gates_match_their_naive_forms_where_those_do_not_overflow() {
        for x in POINTS.into_iter().filter(|x| x.abs() <= 40.0) {
            let naive_sigmoid = 1.0 / (1.0 + (-x).exp());
            assert!(
                (g64::sigmoid(x) - naive_sigmoid).abs() <= 1e-16,
                "sigmoid({x})"
            );
            let naive_softplus = (1.0 + x.exp()).ln();
            assert!(
                (g64::softplus(x) - naive_softplus).abs() <= 1e-15,
                "softplus({x})"
            );
            assert_eq!(g64::relu(x), x.max(0.0), "relu({x})");
            assert_eq!(
                g64::sign(x),
                if x == 0.0 { 0.0 } else { x.signum() },
                "sign({x})"
            );
        }
    }

    #[test]
    fn branch_free_gates_equal_their_two_sided_forms_bit_for_bit() {
        // The textbook stable forms, one branch per side of zero.
        let sigmoid = |x: f64| {
            if x >= 0.0 {
                1.0 / (1.0 + (-x).exp())
            } else {
                x.exp() / (1.0 + x.exp())
            }
        };
        let softplus = |x: f64| {
            if x > 0.0 {
                x + (-x).exp().ln_1p()
            } else {
                x.exp().ln_1p()
            }
        };
        let sweep = (-4000..=4000).map(|i| f64::from(i) * 0.2137);
        for x in POINTS.into_iter().chain(sweep) {
            assert!(same(g64::sigmoid(x), sigmoid(x)), "sigmoid({x})");
            assert!(same(g64::softplus(x), softplus(x)), "softplus({x})");
        }
        assert!(same(g64::sigmoid(f64::NEG_INFINITY), 0.0));
        assert!(same(g64::softplus(f64::NEG_INFINITY), 0.0));
    }

    #[test]
    fn sigmoid_prime_is_the_product_of_the_sigmoids_of_x_and_minus_x() {
        let sweep = (-4000..=4000).map(|i| f64::from(i) * 0.2137);
        for x in POINTS.into_iter().filter(|x| x.is_finite()).chain(sweep) {
            let product = g64::sigmoid(x) * g64::sigmoid(-x);
            let prime = g64::sigmoid_prime(x);
            assert!(
                (prime - product).abs() <= 4.0 * f64::EPSILON * product,
                "sigmoid_prime({x}) = {prime}, σ(x)·σ(-x) = {product}"
            );
        }
        assert_eq!(g64::sigmoid_prime(0.0), 0.25);
        assert_eq!(g64::sigmoid_prime(800.0), 0.0);
        assert!(g64::sigmoid_prime(f64::NAN).is_nan());
        assert!((g32::sigmoid_prime(40.0) / 4.248_354e-18 - 1.0).abs() < 1e-6);
    }

    #[test]
    fn fused_gates_are_their_two_gates_bit_for_bit() {
        let sweep = (-2000..=2000).map(|i| f64::from(i) * 0.01037);
        let ln_2 = std::f64::consts::LN_2;
        let near_the_split = [-ln_2, -ln_2.next_up(), -ln_2.next_down(), -0.69];
        for x in POINTS.into_iter().chain(sweep).chain(near_the_split) {
            for a in [1.0, 0.3, 2.5, f64::NAN] {
                let (value, slope) = g64::elu_with_slope(x, a);
                assert!(same(value, g64::elu(x, a)), "elu({x}, {a})");
                assert!(same(slope, g64::elu_slope(x, a)), "elu'({x}, {a})");
                let (value, slope) = g64::huber_with_slope(x, a);
                assert!(same(value, g64::huber(x, a)), "huber({x}, {a})");
                assert!(same(slope, g64::huber_slope(x, a)), "huber'({x}, {a})");
                assert!(same(slope, if x.abs() <= a { x } else { a * g64::sign(x) }));
            }
        }
        // Both pieces of elu's slope are e^x, within an ulp or two of it across the split.
        for x in [-0.7, -ln_2, -ln_2.next_down(), -0.69, -0.5, -1e-9] {
            let relative = (g64::elu_slope(x, 1.0) / x.exp() - 1.0).abs();
            assert!(
                relative <= 2.0 * f64::EPSILON,
                "elu'({x}) off by {relative:e}"
            );
        }
        assert_eq!(g64::elu_slope(-40.0, 1.0), (-40.0f64).exp());
        assert_eq!(g32::elu_with_slope(-40.0, 1.0).1, (-40.0f32).exp());
    }

    #[test]
    fn max_and_min_send_ties_and_nan_to_the_first_argument() {
        assert!(same(g64::max(-0.0, 0.0), -0.0));
        assert!(same(g64::min(0.0, -0.0), 0.0));
        assert_eq!(g64::max(1.0, f64::NAN), 1.0);
        assert!(g64::max(f64::NAN, 1.0).is_nan());
        for x in POINTS {
            for y in POINTS {
                assert_eq!(g64::ge(x, y), f64::from(u8::from(x >= y)));
                assert_eq!(g64::gt(x, y), f64::from(u8::from(x > y)));
            }
        }
    }

    #[test]
    fn relu_and_sign_keep_nan() {
        assert!(g64::relu(f64::NAN).is_nan() && g64::sign(f64::NAN).is_nan());
    }

    #[test]
    fn stable_gates_stay_finite_at_the_extremes() {
        assert_eq!(g64::softplus(800.0), 800.0);
        assert_eq!(g64::sigmoid(-800.0), 0.0);
        assert_eq!(g64::sigmoid(800.0), 1.0);
        assert_eq!(g32::softplus(800.0), 800.0);
        assert_eq!(g32::sigmoid(-800.0), 0.0);
        assert!((g32::sigmoid(0.0) - 0.5).abs() < f32::EPSILON);
    }

    #[test]
    fn log1mexp_branches_agree_where_they_meet_and_keep_the_tails() {
        let (above, below) = (|x: f64| (-x.exp_m1()).ln(), |x: f64| (-x.exp()).ln_1p());
        let ln_2 = std::f64::consts::LN_2;
        let next = |x: f64, by: i64| f64::from_bits((x.to_bits() as i64 + by) as u64);
        for x in [-ln_2, next(-ln_2, 1), next(-ln_2, -1), -0.69, -0.7] {
            let (a, b) = (above(x), below(x));
            assert!(
                (a - b).abs() <= 2.0 * f64::EPSILON * a.abs(),
                "{x}: {a} {b}"
            );
            assert!((g64::log1mexp(x) - a).abs() <= 2.0 * f64::EPSILON * a.abs());
        }
        // e^-40 is below 2⁻⁵³: ln(1 - e^x) would be 0.
        assert_eq!(g64::log1mexp(-40.0), -4.248354255291589e-18);
        assert_eq!(g64::log1mexp(-1e-300), (1e-300f64).ln());
        assert_eq!(g64::log1mexp(0.0), f64::NEG_INFINITY);
        assert_eq!(g64::log1mexp(f64::NEG_INFINITY), 0.0);
        assert!(g64::log1mexp(1.0).is_nan() && g64::log1mexp(f64::NAN).is_nan());
        assert!((g32::log1mexp(-20.0) / -2.061_153_6e-9 - 1.0).abs() < 1e-6);
    }

    #[test]
    fn logsumexp_is_shifted_by_the_largest_operand() {
        // ln(e^800 + e^800) = 800 + ln 2, where e^800 overflows.
        assert_eq!(
            g64::logsumexp(&[800.0, 800.0]),
            800.0 + core::f64::consts::LN_2
        );
        assert_eq!(
            g64::logsumexp(&[-800.0, -800.0]),
            -800.0 + core::f64::consts::LN_2
        );
        // ln(1 + e^-40) = e^-40 - …, where 1 + e^-40 rounds to 1.
        assert_eq!(g64::logsumexp(&[0.0, -40.0]), 4.248354255291589e-18);
        assert_eq!(
            g64::logsumexp(&[-40.0, 0.0, -f64::INFINITY]),
            4.248354255291589e-18
        );
        assert_eq!(g64::logsumexp(&[2.5]), 2.5);
        assert_eq!(g64::logsumexp(&[]), f64::NEG_INFINITY);
        assert_eq!(g64::logsumexp(&[f64::INFINITY, 1.0]), f64::INFINITY);
        assert_eq!(g64::logsumexp(&[1.0, f64::INFINITY]), f64::INFINITY);
        assert_eq!(g64::logsumexp(&[f64::NEG_INFINITY; 2]), f64::NEG_INFINITY);
        for nan_at in 0..3 {
            let mut x = [1.0, 5.0, -2.0];
            x[nan_at] = f64::NAN;
            assert!(g64::logsumexp(&x).is_nan(), "NaN at {nan_at}");
        }
        assert!((g32::logsumexp(&[100.0, 100.0]) - 100.693_15).abs() < 1e-4);
    }

    #[test]
    fn every_gate_has_its_source() {
        let names: Vec<&str> = super::SOURCES.iter().map(|(n, _)| *n).collect();
        assert_eq!(
            names,
            [
                "sigmoid",
                "sigmoid_prime",
                "softplus",
                "relu",
                "max",
                "min",
                "sign",
                "ge",
                "gt",
                "leaky_relu",
                "elu",
                "elu_slope",
                "elu_with_slope",
                "huber",
                "huber_slope",
                "huber_with_slope",
                "clamp",
                "gelu",
                "silu",
                "log1mexp",
                "logsumexp"
            ]
        );
    }
}
