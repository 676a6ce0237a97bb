//! Every gate's value and derivative at both tails as the generated code computes them:
//! one `#[derive_grad]` function per formula of core's tail data (50-digit truths from
//! mpmath, `core/tests/pipeline/data/make_gate_tails.py`), within a relative 1e-9 where
//! the truth is a finite nonzero f64, exactly 0 only where the truth underflows.

use symgrad::derive_grad;

#[path = "../../core/tests/pipeline/data/tails.rs"]
mod tails;

#[derive_grad("σ(x)")]
fn sigmoid(x: f64) -> f64;

#[derive_grad("1/(1+e^-x)")]
fn sigmoid_disguised(x: f64) -> f64;

#[derive_grad("softplus(x)")]
fn softplus(x: f64) -> f64;

#[derive_grad("ln(1+e^x)")]
fn softplus_disguised(x: f64) -> f64;

#[derive_grad("tanh(x)")]
fn tanh(x: f64) -> f64;

#[derive_grad("exp_m1(x)")]
fn exp_m1(x: f64) -> f64;

#[derive_grad("e^x - 1")]
fn exp_m1_disguised(x: f64) -> f64;

#[derive_grad("ln_1p(x)")]
fn ln_1p(x: f64) -> f64;

#[derive_grad("ln(1+x)")]
fn ln_1p_disguised(x: f64) -> f64;

#[derive_grad("exp(x)")]
fn exp(x: f64) -> f64;

#[derive_grad("ln(x)")]
fn ln(x: f64) -> f64;

#[derive_grad("sin(x)")]
fn sin(x: f64) -> f64;

#[derive_grad("cos(x)")]
fn cos(x: f64) -> f64;

#[derive_grad("tan(x)")]
fn tan(x: f64) -> f64;

#[derive_grad("asin(x)")]
fn asin(x: f64) -> f64;

#[derive_grad("acos(x)")]
fn acos(x: f64) -> f64;

#[derive_grad("atan(x)")]
fn atan(x: f64) -> f64;

#[derive_grad("sinh(x)")]
fn sinh(x: f64) -> f64;

#[derive_grad("cosh(x)")]
fn cosh(x: f64) -> f64;

#[derive_grad("(e^x + e^-x)/2")]
fn cosh_disguised(x: f64) -> f64;

#[derive_grad("(e^x - e^-x)/2")]
fn sinh_disguised(x: f64) -> f64;

#[derive_grad("log1mexp(x)")]
fn log1mexp(x: f64) -> f64;

#[derive_grad("ln(1 - e^x)")]
fn log1mexp_disguised(x: f64) -> f64;

#[derive_grad("ln(1 - exp(-x))")]
fn log1mexp_of_minus_x(x: f64) -> f64;

#[derive_grad("hypot(x, 2x)")]
fn hypot(x: f64) -> f64;

#[derive_grad("sqrt(x^2 + (2x)^2)")]
fn hypot_disguised(x: f64) -> f64;

#[derive_grad("sqrt(x^2 + (x + 1)^2)")]
fn hypot_shifted(x: f64) -> f64;

#[derive_grad("σ(x)·σ(-x)")]
fn sigmoid_prime(x: f64) -> f64;

#[derive_grad("e^x/(1+e^x)^2")]
fn sigmoid_prime_disguised(x: f64) -> f64;

#[derive_grad("-e^x/((1+e^x)(1+e^-x))")]
fn neg_sigmoid_squared(x: f64) -> f64;

#[derive_grad("-e^x/((1.1+e^x)(1+e^-x))")]
fn neg_sigmoid_squared_1_1_first(x: f64) -> f64;

#[derive_grad("-e^x/((1+e^x)(1.1+e^-x))")]
fn neg_sigmoid_squared_1_1_second(x: f64) -> f64;

#[derive_grad("-e^x/((2+e^x)(1+e^-x))")]
fn neg_sigmoid_squared_2_first(x: f64) -> f64;

#[derive_grad("-e^x/((1+e^x)(2+e^-x))")]
fn neg_sigmoid_squared_2_second(x: f64) -> f64;

/// The Rust-body form's `x.hypot(y)` is the gate too.
#[derive_grad]
fn hypot_method(x: f64, y: f64) -> f64 {
    x.hypot(y)
}

/// `(formula, f::grad)` for every formula of the data.
/// A generated `f::grad` in one variable.
type Grad = fn(f64) -> (f64, [f64; 1]);

#[derive_grad("leaky_relu(x, 0.1)")]
fn leaky_relu(x: f64) -> f64;

#[derive_grad("elu(x)")]
fn elu(x: f64) -> f64;

#[derive_grad("elu(x, 0.5)")]
fn elu_half(x: f64) -> f64;

#[derive_grad("huber(x, 1.5)")]
fn huber(x: f64) -> f64;

#[derive_grad("clamp(x, -2, 3)")]
fn clamp(x: f64) -> f64;

#[derive_grad("gelu(x)")]
fn gelu(x: f64) -> f64;

#[derive_grad("silu(x)")]
fn silu(x: f64) -> f64;

#[derive_grad("sign(x)")]
fn sign(x: f64) -> f64;

const GATES: &[(&str, Grad)] = &[
    ("σ(x)", sigmoid::grad),
    ("1/(1+e^-x)", sigmoid_disguised::grad),
    ("softplus(x)", softplus::grad),
    ("ln(1+e^x)", softplus_disguised::grad),
    ("tanh(x)", tanh::grad),
    ("exp_m1(x)", exp_m1::grad),
    ("e^x - 1", exp_m1_disguised::grad),
    ("ln_1p(x)", ln_1p::grad),
    ("ln(1+x)", ln_1p_disguised::grad),
    ("exp(x)", exp::grad),
    ("ln(x)", ln::grad),
    ("sin(x)", sin::grad),
    ("cos(x)", cos::grad),
    ("tan(x)", tan::grad),
    ("asin(x)", asin::grad),
    ("acos(x)", acos::grad),
    ("atan(x)", atan::grad),
    ("sinh(x)", sinh::grad),
    ("cosh(x)", cosh::grad),
    ("(e^x + e^-x)/2", cosh_disguised::grad),
    ("(e^x - e^-x)/2", sinh_disguised::grad),
    ("log1mexp(x)", log1mexp::grad),
    ("ln(1 - e^x)", log1mexp_disguised::grad),
    ("ln(1 - exp(-x))", log1mexp_of_minus_x::grad),
    ("hypot(x, 2x)", hypot::grad),
    ("sqrt(x^2 + (2x)^2)", hypot_disguised::grad),
    ("sqrt(x^2 + (x + 1)^2)", hypot_shifted::grad),
    ("σ(x)·σ(-x)", sigmoid_prime::grad),
    ("e^x/(1+e^x)^2", sigmoid_prime_disguised::grad),
    ("-e^x/((1+e^x)(1+e^-x))", neg_sigmoid_squared::grad),
    (
        "-e^x/((1.1+e^x)(1+e^-x))",
        neg_sigmoid_squared_1_1_first::grad,
    ),
    (
        "-e^x/((1+e^x)(1.1+e^-x))",
        neg_sigmoid_squared_1_1_second::grad,
    ),
    ("-e^x/((2+e^x)(1+e^-x))", neg_sigmoid_squared_2_first::grad),
    ("-e^x/((1+e^x)(2+e^-x))", neg_sigmoid_squared_2_second::grad),
    ("leaky_relu(x, 0.1)", leaky_relu::grad),
    ("elu(x)", elu::grad),
    ("elu(x, 0.5)", elu_half::grad),
    ("huber(x, 1.5)", huber::grad),
    ("clamp(x, -2, 3)", clamp::grad),
    ("gelu(x)", gelu::grad),
    ("silu(x)", silu::grad),
    ("sign(x)", sign::grad),
];

#[test]
fn the_generated_code_is_accurate_in_every_gate_tail() {
    tails::assert_accurate(|formula, x| {
        let (_, grad) = GATES
            .iter()
            .find(|(f, _)| *f == formula)
            .unwrap_or_else(|| panic!("no generated function for `{formula}`"));
        let (value, gradient) = grad(x);
        (value, gradient[0])
    });
}

#[test]
fn the_forward_function_agrees_with_grad_on_the_tails() {
    for tail in tails::tails().iter().filter(|t| t.formula == "σ(x)") {
        assert_eq!(sigmoid(tail.x).to_bits(), sigmoid::grad(tail.x).0.to_bits());
    }
}

#[test]
fn hypot_of_two_variables_keeps_the_squares_in_range() {
    // hypot(3s, 4s) = 5s, ∂/∂x = 3/5, ∂/∂y = 4/5, where (3s)² overflows or underflows.
    for s in [1e200, 1e300 / 4.0, 1e-200, -1e-200] {
        let (value, [dx, dy]) = hypot_method::grad(3.0 * s, 4.0 * s);
        assert!(tails::accurate(value, 5.0 * s.abs()), "at {s}: {value}");
        assert!(tails::accurate(dx, 0.6 * s.signum()), "at {s}: {dx}");
        assert!(tails::accurate(dy, 0.8 * s.signum()), "at {s}: {dy}");
        assert_eq!(hypot_method(3.0 * s, 4.0 * s), value);
    }
}
