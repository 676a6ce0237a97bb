//! One test per rewrite rule of the standard table, each rule applied alone (or after
//! the rules that make its input) to the formula it is written for, and a check that no
//! rule is left without a test.

use symgrad_core::rewrite::{Pass, RuleSpec, RuleTable, STANDARD, simplify};
use symgrad_core::{Graph, lower, to_math};

/// `rule` alone (after the rules in `before`, which make its input) rewrites `source` to
/// `expected`, and fires.
fn check_rule(before: &[&str], rule: &str, source: &str, expected: &str) {
    let specs: Vec<RuleSpec> = before
        .iter()
        .chain([&rule])
        .map(|name| {
            *STANDARD
                .iter()
                .find(|s| s.name == *name)
                .unwrap_or_else(|| panic!("no rule `{name}` in the standard table"))
        })
        .collect();
    let table = RuleTable::new(&specs).expect("standard rules compile");
    let formula = symgrad_grammar::parse(source).expect("test formulas parse");
    let mut g = Graph::new();
    let root = lower(&mut g, &formula);
    let out = simplify(&mut g, &[root], &table, Pass::Forward);
    assert_eq!(
        to_math(&g, &formula.vars, out.roots[0]),
        expected,
        "rule `{rule}` on `{source}`"
    );
    assert!(
        out.fired.contains(&rule),
        "rule `{rule}` on `{source}` fired {:?}",
        out.fired
    );
}

macro_rules! rule_tests {
    ($($test:ident: $rule:literal $(after [$($before:literal),+])?, $source:literal => $expected:literal;)*) => {
        $(
            #[test]
            fn $test() {
                check_rule(&[$($($before),+)?], $rule, $source, $expected);
            }
        )*
        const TESTED: &[&str] = &[$($rule),*];
    };
}

rule_tests! {
    negated_difference: "negated-difference", "-(-a - b c)" => "a + b·c";
    ln_exp: "ln-exp", "ln(e^(x y))" => "x·y";
    exp_pow: "exp-pow", "1/e^x" => "exp(-x)";
    sigmoid: "sigmoid", "1/(1+e^-(a+b))" => "σ(a + b)";
    sigmoid_scaled_exp: "sigmoid-scaled-exp", "1/(1+2e^-x)" => "σ(x - 0.6931471805599453)";
    sigmoid_denominator: "sigmoid-denominator" after ["sigmoid"], "y/((1+e^-x)(1+z))" => "y·σ(x)/(z + 1)";
    sigmoid_shifted: "sigmoid-shifted", "1/(2+e^x)" => "0.5·σ(0.6931471805599453 - x)";
    exp_times_shifted_sigmoid: "exp-times-shifted-sigmoid" after ["sigmoid-shifted"], "e^x/(2+e^x)" => "σ(x - 0.6931471805599453)";
    sigmoid_power: "sigmoid-power", "1/(1+e^-x)^2" => "σ(x)^2";
    exp_times_sigmoid_power: "exp-times-sigmoid-power" after ["sigmoid-power"], "e^x/(1+e^x)^3" => "σ(x)·σ(-x)^2";
    sigmoid_prime_even: "sigmoid-prime-even" after ["sigmoid-prime"], "σ(-x y) σ(x y)" => "σ(x·y)·σ(-x·y)";
    sigmoid_prime: "sigmoid-prime", "y σ(x) σ(-x)" => "y·(σ(x)·σ(-x))"; // printed as what σ' computes
    exp_times_sigmoid: "exp-times-sigmoid", "y e^x σ(-x)" => "y·σ(x)";
    one_minus_sigmoid: "one-minus-sigmoid", "1 - σ(x)" => "σ(-x)";
    sigmoid_odds: "sigmoid-odds", "σ(x)/(1 - σ(x))" => "exp(x)";
    sigmoid_ratio: "sigmoid-ratio", "σ(x)/σ(-x)" => "exp(x)";
    softplus: "softplus", "ln(1+e^x)" => "softplus(x)";
    ln_sigmoid: "ln-sigmoid", "ln(σ(x))" => "-softplus(-x)";
    ln_one_minus_sigmoid: "ln-one-minus-sigmoid", "ln(1 - σ(x))" => "-softplus(x)";
    logistic_loss: "logistic-loss", "y softplus(-u) + (1 - y) softplus(u)" => "softplus(u) - y·u";
    logistic_likelihood: "logistic-likelihood", "-y softplus(-u) - (1 - y) softplus(u)" => "y·u - softplus(u)";
    tanh: "tanh", "(e^x - e^-x)/(e^x + e^-x)" => "tanh(x)";
    cosh: "cosh" after ["cosh-even"], "(e^x + e^-x)/2" => "cosh(x)";
    cosh_scaled: "cosh" after ["cosh-even"], "y·(e^(2x) + e^(-2x))/2" => "y·cosh(2·x)";
    cosh_even: "cosh-even", "cosh(-x y)" => "cosh(x·y)";
    sinh: "sinh", "(e^x - e^-x)/2" => "sinh(x)";
    sinh_odd: "sinh-odd", "sinh(-x y)" => "-sinh(x·y)";
    tanh_exp_m1: "tanh-exp-m1" after ["exp-m1"], "(e^(2x) - 1)σ(-2x)" => "tanh(x)";
    tanh_odd: "tanh-odd", "tanh(-x y)" => "-tanh(x·y)";
    tanh_sigmoid: "tanh-sigmoid", "2σ(2x) - 1" => "tanh(x)";
    relu: "relu", "max(0, x y)" => "relu(x·y)";
    relu_if: "relu-if", "if(x y > 0, x y, 0)" => "relu(x·y)";
    relu_if_flipped: "relu-if", "if(0 < x y, x y, 0)" => "relu(x·y)";
    relu_if_le: "relu-if-le", "if(x y <= 0, 0, x y)" => "relu(x·y)";
    leaky_relu_if: "leaky-relu-if", "if(x > 0, x, 0.1 x)" => "leaky_relu(x, 0.1)";
    leaky_relu_if_variable_slope: "leaky-relu-if", "if(sin(x) > 0, sin(x), a sin(x))" => "leaky_relu(sin(x), a)";
    leaky_relu_if_le: "leaky-relu-if-le", "if(x <= 0, a x, x)" => "leaky_relu(x, a)";
    ln_1p: "ln-1p", "ln(1 + x + y)" => "ln(1 + x + y)"; // printed as what ln_1p computes
    exp_m1: "exp-m1", "e^x - 1 + y" => "y + exp(x) - 1"; // printed as what exp_m1 computes
    one_minus_exp: "one-minus-exp", "1 - e^x" => "-(exp(x) - 1)";
    hypot: "hypot", "sqrt(x^2 + (y z)^2)" => "hypot(x, y·z)";
    log1mexp: "log1mexp" after ["one-minus-exp"], "ln(1 - e^(-x y))" => "log1mexp(-x·y)";
    log1mexp_spelled: "log1mexp", "ln(-exp_m1(x))" => "log1mexp(x)";
    logsumexp: "logsumexp", "ln(e^x + e^(2y) + e^-z)" => "logsumexp(x, 2·y, -z)";
    logsumexp_of_two: "logsumexp", "ln(exp(y) + e^x)" => "logsumexp(y, x)";
    logsumexp_with_one: "logsumexp-constant", "ln(1 + e^x + e^y)" => "logsumexp(x, y, 0)";
    logsumexp_constant: "logsumexp-constant", "ln(e^x + 2)" => "logsumexp(x, 0.6931471805599453)";
    softmax: "softmax", "e^x/(e^x + e^y + e^z)" => "σ(x - logsumexp(y, z))";
    softmax_of_two: "softmax", "c e^y/(e^x + e^y)" => "c·σ(y - x)";
    softmax_constant: "softmax-constant", "e^y/(e^x + e^y + 1)" => "σ(y - logsumexp(x, 0))";
    log_softmax: "log-softmax", "y - logsumexp(x, y, z)" => "-softplus(logsumexp(x, z) - y)";
    log_softmax_pair: "log-softmax-pair", "b - logsumexp(a, b)" => "-softplus(a - b)";
    exp_minus_softplus: "exp-minus-softplus", "e^-softplus(x y)" => "σ(-x·y)";
    log_softmax_disguised: "log-softmax" after ["ln-exp", "logsumexp"], "ln(e^y) - ln(e^x + e^y)" => "-softplus(x - y)";
    ln_softmax: "ln-sigmoid" after ["softmax"], "ln(e^x/(e^x + e^y + e^z))" => "-softplus(-(x - logsumexp(y, z)))";
}

#[test]
fn every_rule_has_a_test() {
    for name in RuleTable::standard().names() {
        assert!(TESTED.contains(&name), "rule `{name}` has no test");
    }
}

#[test]
fn logistic_loss_takes_a_product_for_the_label() {
    check_rule(
        &[],
        "logistic-loss",
        "a b softplus(-x) + (1 - a b) softplus(x) + c",
        "softplus(x) + c - a·b·x",
    );
}

#[test]
fn a_guard_keeps_a_rule_from_firing() {
    // ln of a negative scale is not real: `1/(1-2e^-x)` is no sigmoid.
    let table = RuleTable::standard()
        .only("sigmoid-scaled-exp")
        .expect("rule exists");
    let formula = symgrad_grammar::parse("1/(1-2e^-x)").expect("parses");
    let mut g = Graph::new();
    let root = lower(&mut g, &formula);
    let out = simplify(&mut g, &[root], &table, Pass::Forward);
    assert!(out.fired.is_empty(), "fired {:?}", out.fired);
}

#[test]
fn max_with_zero_second_is_not_relu() {
    // `max(x, 0)` routes ties to `x` (gradient 1 at 0) while relu'(0) = 0.
    let formula = symgrad_grammar::parse("max(x, 0)").expect("parses");
    let grad = symgrad_core::Gradient::all(&formula);
    assert!(!grad.rules().contains(&"relu"));
}

#[test]
fn identities_keep_ieee_semantics() {
    // `x + 0`, `x·1`, `x^1` and `--x` are `x`; `0·x` is not `0` (it is NaN at x = inf).
    let formula = symgrad_grammar::parse("(x + 0)·1 + -(-(x^1)) + 0x").expect("parses");
    let grad = symgrad_core::Gradient::all(&formula);
    assert_eq!(
        to_math(grad.graph(), grad.vars(), grad.value()),
        "x + x + 0·x"
    );
    assert!(grad.evaluate(&[f64::INFINITY]).0.is_nan());
    assert_eq!(grad.evaluate(&[2.0]), (4.0, vec![2.0]));
}

#[test]
fn a_rule_fires_in_a_sum_of_thousands_of_terms() {
    // The constant `1` of `1 - σ(x)` is last of 5 001 terms; finding it is one scan.
    let terms: Vec<String> = (1..=5000).map(|i| format!("{i}y")).collect();
    let source = format!("1 - σ(x) + {}", terms.join(" + "));
    let formula = symgrad_grammar::parse(&source).expect("parses");
    let grad = symgrad_core::Gradient::all(&formula);
    assert!(
        grad.rules().contains(&"one-minus-sigmoid"),
        "{:?}",
        grad.rules()
    );
}
