//! `if(cond, a, b)` (SPEC §7): only the branch taken is evaluated, in the value and in the
//! gradient; at a boundary the derivative is the taken branch's. Checked against hand-derived
//! numbers and central differences.

use proptest::prelude::*;
use symgrad_core::{Gradient, Program, evaluate, lower, to_math};

/// The value and gradient of `source` at `point`, by the interpreter.
fn at(source: &str, point: &[f64]) -> (f64, Vec<f64>) {
    let formula = symgrad_grammar::parse(source).expect(source);
    Gradient::all(&formula).evaluate(point)
}

#[test]
fn the_log_of_the_branch_not_taken_leaks_no_nan() {
    assert_eq!(at("if(x > 0, ln(x), 0)", &[-1.0]), (0.0, vec![0.0]));
    assert_eq!(at("if(x > 0, ln(x), 0)", &[0.0]), (0.0, vec![0.0]));
    assert_eq!(at("if(x > 0, ln(x), 0)", &[2.0]), (2f64.ln(), vec![0.5]));
}

#[test]
fn the_root_of_the_branch_not_taken_leaks_no_nan() {
    assert_eq!(at("if(x > 0, sqrt(x), 0)", &[-4.0]), (0.0, vec![0.0]));
    assert_eq!(at("if(x > 0, sqrt(x), 0)", &[4.0]), (2.0, vec![0.25]));
}

#[test]
fn an_infinite_partial_in_the_else_branch_leaks_nothing() {
    // 1/x is infinite at 0, where the first branch is taken.
    assert_eq!(at("if(x >= 0, x^2, ln(-x))", &[0.0]), (0.0, vec![0.0]));
    assert_eq!(at("if(x >= 0, x^2, ln(-x))", &[-2.0]).1, vec![-0.5]);
}

#[test]
fn a_node_used_by_two_branches_of_different_ifs_leaks_no_nan() {
    let f = "if(x > 0, sqrt(x), 0) + if(x > 1, 2 sqrt(x), 0)";
    assert_eq!(at(f, &[-4.0]), (0.0, vec![0.0]));
    assert_eq!(at(f, &[4.0]), (6.0, vec![0.75]));
}

#[test]
fn at_a_boundary_the_derivative_is_the_taken_branch() {
    // x > 0 is false at 0: the else branch, 3x, is taken; x ≥ 0 is true: x².
    assert_eq!(at("if(x > 0, x^2, 3x)", &[0.0]).1, vec![3.0]);
    assert_eq!(at("if(x >= 0, x^2, 3x)", &[0.0]).1, vec![0.0]);
    assert_eq!(at("if(x < 0, 3x, x^2)", &[0.0]).1, vec![0.0]);
    assert_eq!(at("if(x <= 0, 3x, x^2)", &[0.0]).1, vec![3.0]);
}

#[test]
fn a_nan_condition_is_false() {
    assert_eq!(at("if(ln(x) > 0, 1, 2)", &[-1.0]).0, 2.0);
    assert_eq!(at("if(not(ln(x) > 0), 1, 2)", &[-1.0]).0, 1.0);
}

#[test]
fn and_or_not_short_circuit_and_bind_as_documented() {
    let f = "if(x > 0 and ln(x) > 1 or not(y < 0), x, y)";
    // x = -1: `x > 0` fails, `ln(x)` is not evaluated; y = -2 < 0: the else branch.
    assert_eq!(at(f, &[-1.0, -2.0]), (-2.0, vec![0.0, 1.0]));
    assert_eq!(at(f, &[-1.0, 2.0]), (-1.0, vec![1.0, 0.0]));
    assert_eq!(at(f, &[3.0, -2.0]), (3.0, vec![1.0, 0.0]));
}

/// The Huber loss with threshold 1, and its hand-derived gradient: `x` inside, `±1` outside.
const HUBER: &str = "if(abs(x) <= 1, x^2/2, abs(x) - 1/2)";

fn huber_gradient(x: f64) -> f64 {
    if x.abs() <= 1.0 { x } else { x.signum() }
}

#[test]
fn huber_matches_its_hand_written_gradient_and_central_differences() {
    let formula = symgrad_grammar::parse(HUBER).expect("parses");
    let grad = Gradient::all(&formula);
    for k in -40..=40 {
        let x = f64::from(k) * 0.0625 + 0.01;
        let (value, partials) = grad.evaluate(&[x]);
        let expected = if x.abs() <= 1.0 {
            x * x / 2.0
        } else {
            x.abs() - 0.5
        };
        assert!((value - expected).abs() <= 1e-15, "huber({x}) = {value}");
        assert_eq!(partials[0], huber_gradient(x), "huber'({x})");
        let h = 1e-6;
        if (x.abs() - 1.0).abs() > 2.0 * h {
            let central = symgrad_core::central_difference(|p| grad.evaluate(p).0, &[x], 0, h);
            assert!((central - partials[0]).abs() <= 1e-8, "at {x}: {central}");
        }
    }
    // At the kink |x| = 1 the first branch is taken: the derivative is x.
    assert_eq!(grad.evaluate(&[1.0]).1, vec![1.0]);
    assert_eq!(grad.evaluate(&[-1.0]).1, vec![-1.0]);
}

#[test]
fn the_printed_if_parses_back_to_the_same_values() {
    for source in [
        "if(x > 0, ln(x), 0)",
        "if(x <= y and not(x > 2 or y < -1), x y, sin(x) - y)",
        "2 + if(x > 0, 1, if(y >= x, x, 0)) * 3",
    ] {
        let formula = symgrad_grammar::parse(source).expect(source);
        let grad = Gradient::all(&formula);
        for root in grad.roots() {
            let printed = to_math(grad.graph(), grad.vars(), root);
            let vars: Vec<&str> = grad.vars().iter().map(String::as_str).collect();
            let back = symgrad_grammar::parse_with_vars(&printed, &vars).expect(&printed);
            let mut g = symgrad_core::Graph::new();
            let again = lower(&mut g, &back);
            for point in [[-1.5, 0.5], [0.5, -2.0], [3.0, 3.0], [0.25, 1.0]] {
                let want = evaluate(grad.graph(), &[root], &point)[0];
                let got = evaluate(&g, &[again], &point)[0];
                assert_eq!(want.to_bits(), got.to_bits(), "{printed} at {point:?}");
            }
        }
    }
}

#[test]
fn the_interpreter_evaluates_only_the_branch_taken() {
    let formula = symgrad_grammar::parse("if(x > 0, ln(x), exp(x))").expect("parses");
    let mut g = symgrad_core::Graph::new();
    let root = lower(&mut g, &formula);
    let program = Program::new(&g, &[root]);
    let values = program.run_all(&[-1.0]);
    // Steps: x, 0, x > 0, ln(x), exp(x), the select. ln(x) is not evaluated.
    assert_eq!(values.len(), 6);
    assert!(values[3].is_nan(), "{values:?}");
    assert_eq!(values[4], (-1f64).exp());
    assert_eq!(values[5], (-1f64).exp());
}

const VARS: [&str; 2] = ["x", "y"];

/// Random formulas with random `if`s and piecewise built-ins, whose branches may be
/// undefined where they are not taken (`ln`, `sqrt` of a quantity the condition keeps
/// positive).
fn formula() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        prop::sample::select(VARS.to_vec()).prop_map(str::to_string),
        (-2.0f64..2.0).prop_map(|c| format!("{c:.3}")),
    ];
    let cmp = prop::sample::select(vec!["<", "<=", ">", ">="]);
    leaf.prop_recursive(4, 32, 3, move |inner| {
        prop_oneof![
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a}) + ({b})")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a})({b})")),
            inner.clone().prop_map(|a| format!("sin({a})")),
            inner.clone().prop_map(|a| format!("tanh({a})")),
            (
                inner.clone(),
                cmp.clone(),
                inner.clone(),
                inner.clone(),
                inner.clone()
            )
                .prop_map(|(a, op, b, t, e)| format!("if(({a}) {op} ({b}), {t}, {e})")),
            (inner.clone(), inner.clone(), inner.clone())
                .prop_map(|(u, t, e)| format!("if({u} > 0 and not({t} > 3), ln({u}) + {t}, {e})")),
            (inner.clone(), inner.clone())
                .prop_map(|(u, e)| format!("if({u} >= 0, sqrt({u} + 1) - 1, {e})")),
            builtin(inner.clone()),
        ]
    })
}

/// The piecewise built-ins of SPEC §7 around `inner` formulas, with constant or formula
/// parameters: their kinks are boundaries like an `if`'s.
fn builtin(inner: BoxedStrategy<String>) -> impl Strategy<Value = String> {
    let slope = (0.05f64..1.5).prop_map(|a| format!("{a:.3}"));
    prop_oneof![
        (inner.clone(), slope.clone()).prop_map(|(u, a)| format!("leaky_relu({u}, {a})")),
        (inner.clone(), inner.clone()).prop_map(|(u, a)| format!("leaky_relu({u}, {a})")),
        inner.clone().prop_map(|u| format!("elu({u})")),
        (inner.clone(), slope.clone()).prop_map(|(u, a)| format!("elu({u}, {a})")),
        (inner.clone(), slope.clone()).prop_map(|(u, d)| format!("huber({u}, {d})")),
        (inner.clone(), inner.clone()).prop_map(|(u, d)| format!("huber({u}, abs({d}) + 0.5)")),
        (inner.clone(), inner.clone())
            .prop_map(|(u, lo)| format!("clamp({u}, {lo}, ({lo}) + 1.5)")),
        inner.clone().prop_map(|u| format!("clamp({u}, -1, 1)")),
        inner.clone().prop_map(|u| format!("gelu({u})")),
        inner.clone().prop_map(|u| format!("silu({u})")),
        (inner.clone(), inner).prop_map(|(u, v)| format!("sign({u})·({v})")),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Where the value is finite it is the interpreter's on the unrewritten formula and
    /// the gradient is finite (no NaN of a branch not taken leaks), and away from the boundaries (where central differences with two steps
    /// agree) it matches them: relative tolerance 1e-5 against max(1, |analytic|).
    #[test]
    fn partials_of_random_ifs_match_central_differences(
        source in formula(),
        point in prop::array::uniform2(-2.0f64..2.0),
    ) {
        let formula = symgrad_grammar::parse_with_vars(&source, &VARS).expect("well-formed");
        let grad = Gradient::all(&formula);
        let (value, partials) = grad.evaluate(&point);
        prop_assume!(value.is_finite());
        // The interpreter on the formula as written, before any rule: only the branches
        // taken are evaluated there too, and the rules keep the value.
        let mut g = symgrad_core::Graph::new();
        let root = lower(&mut g, &formula);
        let plain = evaluate(&g, &[root], &point)[0];
        prop_assert!(
            (plain - value).abs() <= 1e-9 * plain.abs(),
            "value: interpreter {plain}, after the rules {value} in {source} at {point:?}"
        );
        for (i, &analytic) in partials.iter().enumerate() {
            prop_assert!(analytic.is_finite(), "∂/∂{}: {analytic} in {source} at {point:?}", VARS[i]);
            let f = |p: &[f64]| grad.evaluate(p).0;
            let coarse = symgrad_core::central_difference(f, &point, i, 1e-4);
            let fine = symgrad_core::central_difference(f, &point, i, 1e-5);
            // A jump or a kink within a step: the differences see it, the derivative not.
            if (coarse - fine).abs() > 1e-6 * fine.abs().max(1.0) {
                continue;
            }
            prop_assert!(
                (analytic - fine).abs() <= 1e-5 * analytic.abs().max(1.0),
                "∂/∂{}: analytic {analytic}, central {fine} in {source} at {point:?}",
                VARS[i]
            );
        }
    }
}

#[test]
fn the_relu_written_with_if_fuses_and_keeps_its_tie() {
    let formula = symgrad_grammar::parse("if(x > 0, x, 0)").expect("parses");
    let grad = Gradient::all(&formula);
    assert!(grad.rules().contains(&"relu-if"), "{:?}", grad.rules());
    assert_eq!(
        grad.evaluate(&[0.0]),
        (0.0, vec![0.0]),
        "relu'(0) = 0, as the else branch"
    );
    assert_eq!(grad.evaluate(&[-2.0]), (0.0, vec![0.0]));
    assert_eq!(grad.evaluate(&[2.0]), (2.0, vec![1.0]));
    // The documented convention (README, the piecewise built-ins): relu keeps a NaN input,
    // and so does its `if` form once the rule makes it relu, although the formula as
    // written gives 0 there (a NaN comparison is false): a NaN is not hidden as a 0.
    let (value, partials) = grad.evaluate(&[f64::NAN]);
    assert!(value.is_nan(), "relu(NaN) = {value}");
    assert_eq!(partials, vec![0.0], "relu'(NaN) is the else branch's 0");
    let mut g = symgrad_core::Graph::new();
    let written = lower(&mut g, &formula);
    assert_eq!(
        evaluate(&g, &[written], &[f64::NAN]),
        vec![0.0],
        "the `if` as written"
    );
    // The other spellings give NaN as written already.
    for other in [
        "if(x <= 0, 0, x)",
        "max(0, x)",
        "relu(x)",
        "if(x > 0, x, 0.5 x)",
    ] {
        assert!(at(other, &[f64::NAN]).0.is_nan(), "{other} at NaN");
    }
}
