//! Formulas expanded through `#[derive_grad("…")]`: each generated `grad` agrees with the
//! core evaluator and with central differences at several points, the sigmoid disguises and
//! stable gates also at the extreme points ±40 and ±800.

use symgrad::derive_grad;
use symgrad_core::Gradient;
use symgrad_tests::{central_difference, close};

/// One formula: its source, the generated `grad` and `f`, and whether it is a gate (or a
/// disguise of one) to check at extreme points too.
struct Case {
    source: &'static str,
    grad: fn(f64, f64) -> (f64, [f64; 2]),
    f: fn(f64, f64) -> f64,
    gate: bool,
}

macro_rules! formulas {
    ($($name:ident = $source:tt $(, $gate:ident)?;)*) => {
        $(
            #[derive_grad($source)]
            fn $name(x: f64, y: f64) -> f64;
        )*
        const CASES: &[Case] = &[$(Case {
            source: $source,
            grad: $name::grad,
            f: $name,
            gate: formulas!(@gate $($gate)?),
        }),*];
    };
    (@gate gate) => { true };
    (@gate) => { false };
}

formulas! {
    product = "x*y";
    sum = "x + y";
    difference = "x - y";
    quotient = "x/y";
    powers = "x^2 + y^3";
    norm = "sqrt(x^2 + y^2)";
    exp_sin = "exp(x)*sin(y)";
    ln_cos = "ln(x^2+1) + cos(x y)";
    sigmoid_disguise_1 = "1/(1+e^-x)", gate;
    sigmoid_disguise_2 = "(1+e^-x)^-1", gate;
    sigmoid_disguise_3 = "1/(e^-x+1)", gate;
    sigmoid_disguise_4 = "e^x/(1+e^x)", gate;
    sigmoid_disguise_5 = "1 - 1/(1+e^x)", gate;
    sigmoid_of_minus = "1/(1+e^x)", gate;
    scaled_sigmoid = "3/(1+e^-x)", gate;
    sigmoid_of_a_sum = "1/(1+e^-(x y + y))", gate;
    softplus_disguise = "ln(1+e^x)", gate;
    log_sigmoid = "ln(σ(x))", gate;
    log_one_minus_sigmoid = "ln(1-σ(x))", gate;
    tanh_disguise = "(e^x-e^-x)/(e^x+e^-x)", gate;
    relu_disguise = "max(0, x)", gate;
    one_minus_sigmoid = "1 - σ(x)", gate;
    exp_times_sigmoid = "e^x σ(-x)", gate;
    odds = "σ(x)/(1-σ(x))", gate;
    log_one_plus = "ln(1+x^2)";
    exp_minus_one = "e^x - 1";
    sigmoid_times = "sigmoid(x)*y", gate;
    softplus_gate = "softplus(x - y)", gate;
    relus = "relu(x) + relu(-y)", gate;
    maximum = "max(x, y)";
    minimum = "min(x, y) * x";
    absolute = "abs(x - y)";
    hyperbolic_tangent = "tanh(x y)";
    arc_tangent = "atan(x/y)";
    arc_sine_cosine = "asin(x/4) + acos(y/4)";
    sinh_cosh = "sinh(x) cosh(y)";
    tangent = "tan(x/3)";
    logs = "log2(x^2+1) + log10(y^2+1)";
    log_base = "log(x^2+2, 3)";
    power = "pow(x^2+1, y)";
    exponentials = "2^x + (x^2+1)^y";
    nested_sigmoids = "σ(σ(σ(x y)))", gate;
    rational = "(x+y)(x-y)/(x^2+y^2+1)";
    negations = "-x^2 + -(y)";
    gaussian = "e^(-(x^2+y^2)/2)";
    constants = "π x + e y";
    cubic = "x·x·x - 3x y";
    juxtaposed_calls = "sin(x)cos(x)";
    logsumexp_gate = "logsumexp(x, y, x y)", gate;
    logsumexp_disguise = "ln(e^x + e^(2y))", gate;
    softmax_disguise = "e^x/(e^x + e^y + e^(x y))", gate;
    log_softmax_disguise = "ln(e^y/(e^x + e^y))", gate;
    log_softmax_gate = "log_softmax(x, y, 1)", gate;
}

const POINTS: [[f64; 2]; 4] = [[0.5, -1.3], [-2.0, 0.7], [1.7, 2.2], [-0.3, -3.1]];
const EXTREMES: [[f64; 2]; 4] = [[-800.0, 0.5], [-40.0, 0.5], [40.0, 0.5], [800.0, 0.5]];

fn points(case: &Case) -> Vec<[f64; 2]> {
    let mut points = POINTS.to_vec();
    if case.gate {
        points.extend(EXTREMES);
    }
    points
}

#[test]
fn there_are_at_least_forty_formulas() {
    assert!(CASES.len() >= 40, "{}", CASES.len());
}

#[test]
fn generated_grad_agrees_with_the_core_evaluator() {
    for case in CASES {
        let formula = symgrad_grammar::parse_with_vars(case.source, &["x", "y"])
            .expect("every formula parses");
        let reference = Gradient::new(&formula, &[0, 1]);
        for [x, y] in points(case) {
            let (value, gradient) = (case.grad)(x, y);
            let (expected, partials) = reference.evaluate(&[x, y]);
            assert!(
                close(value, expected, 1e-12),
                "{} at ({x}, {y}): value {value} vs {expected}",
                case.source
            );
            for k in 0..2 {
                assert!(
                    close(gradient[k], partials[k], 1e-12),
                    "{} at ({x}, {y}): ∂{k} {} vs evaluator {}",
                    case.source,
                    gradient[k],
                    partials[k]
                );
            }
        }
    }
}

#[test]
fn generated_grad_agrees_with_central_differences() {
    let mut compared = 0;
    for case in CASES {
        let f = |p: &[f64]| (case.f)(p[0], p[1]);
        for point in points(case) {
            let (value, gradient) = (case.grad)(point[0], point[1]);
            // Equal up to rounding: `grad` may share `1/y` where `f` writes `x / y`.
            assert!(
                close(value, f(&point), 1e-15),
                "{}: grad's value is f's",
                case.source
            );
            for (k, &analytic) in gradient.iter().enumerate() {
                let numeric = central_difference(f, &point, k);
                if !value.is_finite() {
                    // `σ(x)/(1-σ(x))` is `e^x`: at 800 the true value and gradient overflow.
                    continue;
                }
                assert!(
                    analytic.is_finite() && numeric.is_finite(),
                    "{} at {point:?}: ∂{k} analytic {analytic}, central difference {numeric}",
                    case.source
                );
                assert!(
                    close(analytic, numeric, 1e-6),
                    "{} at {point:?}: ∂{k} analytic {analytic} vs central difference {numeric}",
                    case.source
                );
                compared += 1;
            }
        }
    }
    assert!(compared >= 40 * 4 * 2, "only {compared} partials compared");
}

#[test]
fn explicit_gates_are_finite_at_the_extremes() {
    for case in CASES.iter().filter(|c| {
        c.source.contains("sigmoid(")
            || c.source.contains("softplus(")
            || c.source.contains("relu(")
            || c.source.starts_with("σ(σ")
    }) {
        for [x, y] in EXTREMES {
            let (value, gradient) = (case.grad)(x, y);
            assert!(
                value.is_finite() && gradient.iter().all(|g| g.is_finite()),
                "{} at ({x}, {y}): {value} {gradient:?}",
                case.source
            );
        }
    }
    assert_eq!(softplus_gate(800.0, 0.0), 800.0);
    assert_eq!(sigmoid_times::grad(-800.0, 1.0), (0.0, [0.0, 0.0]));
}
