//! Property: rewriting never changes what a formula computes. On random formulas built
//! from the disguises the rules look for, the simplified and the unsimplified graph give
//! the same value and gradient wherever both are finite.

use proptest::prelude::*;
use symgrad_core::rewrite::{Pass, RuleTable, simplify};
use symgrad_core::{
    Gradient, Graph, Node, NodeId, Op, evaluate, listing, lower, reverse_mode, share,
};

const VARS: [&str; 3] = ["x", "y", "z"];

/// Each disguise the rules look for, around a random sub-formula `{u}`.
const DISGUISES: &[&str] = &[
    "-({u})",
    "1/(1+e^-({u}))",
    "(1+e^-({u}))^-1",
    "1/(1+e^({u}))",
    "e^({u})/(1+e^({u}))",
    "1 - 1/(1+e^({u}))",
    "2.5/(1+e^-({u}))",
    "1/(1+3e^-({u}))",
    "ln(1+e^({u}))",
    "ln(σ({u}))",
    "ln(1-σ({u}))",
    // Bounded: `1 - σ(u)` cancels for large u, and the unsimplified graph, not the
    // rewrite, would be wrong.
    "σ(tanh({u}))/(1-σ(tanh({u})))",
    "(e^({u})-e^-({u}))/(e^({u})+e^-({u}))",
    "(e^(2({u}))-1)/(e^(2({u}))+1)",
    "(1-e^(-2({u})))/(1+e^(-2({u})))",
    "2/(1+e^(-2({u}))) - 1",
    "tanh(-({u}))",
    "1 - e^({u})",
    "max(0, {u})",
    "ln(1+({u})^2)",
    "e^({u}) - 1",
    "ln(e^({u}))",
    "1/e^({u})",
];

/// Random formulas mixing plain arithmetic with every pattern of the rule table.
fn formula() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        prop::sample::select(VARS.to_vec()).prop_map(str::to_string),
        (-3.0f64..3.0).prop_map(|c| format!("{c:.3}")),
    ];
    leaf.prop_recursive(4, 32, 2, |inner| {
        prop_oneof![
            1 => (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a}) + ({b})")),
            1 => (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a}) - ({b})")),
            1 => (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a})({b})")),
            1 => (inner.clone(), inner.clone())
                .prop_map(|(a, b)| format!("-(-({a}) - ({b})^2)")),
            DISGUISES.len() as u32 => (prop::sample::select(DISGUISES), inner)
                .prop_map(|(d, u)| d.replace("{u}", &u)),
        ]
    })
}

/// Equal within a relative 1e-7 (absolute below 1), or not both finite. The tolerance
/// leaves room for the rounding of the unsimplified forms: `1 - 1/(1+e^-u)` loses
/// digits to cancellation that `σ(-u)` keeps.
fn agree(a: f64, b: f64) -> bool {
    !(a.is_finite() && b.is_finite()) || (a - b).abs() <= 1e-7 * a.abs().max(b.abs()).max(1.0)
}

/// Whether evaluating `grad` in f64 adds terms that cancel to less than a millionth of
/// their size, or computes a product, power or exponential that underflows to 0 or
/// overflows from finite, nonzero operands. There the unsimplified forms lose the digits
/// that the rules exist to keep (`1 - σ(u)` for a large `u`; `(E - 1)/(E + 1)` with
/// E = e^418, whose derivative's (E + 1)^-2 is 0), and are no oracle for the simplified
/// ones.
fn unreliable(grad: &Gradient, point: &[f64]) -> bool {
    let g = grad.graph();
    let ids: Vec<NodeId> = g.ids().collect();
    let values = evaluate(g, &ids, point);
    ids.iter().any(|&id| {
        let value = values[id.index()];
        match g.node(id) {
            Node::Apply(Op::Add, terms) => {
                let size: f64 = terms.iter().map(|t| values[t.index()].abs()).sum();
                size > 1e6 * value.abs()
            }
            Node::Apply(Op::Mul | Op::Pow | Op::Exp, operands) => {
                let ordinary = operands
                    .iter()
                    .all(|o| values[o.index()].is_finite() && values[o.index()] != 0.0);
                ordinary && (value == 0.0 || value.is_infinite())
            }
            _ => false,
        }
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn simplified_and_unsimplified_graphs_agree(
        src in formula(),
        point in prop::array::uniform3(-2.0f64..2.0),
    ) {
        let formula = symgrad_grammar::parse_with_vars(&src, &VARS)
            .map_err(|e| TestCaseError::fail(format!("{src}: {}", e.message)))?;
        let simplified = Gradient::all(&formula);
        let all: Vec<u32> = (0..VARS.len() as u32).collect();
        let plain = Gradient::with_rules(&formula, &all, &RuleTable::empty());
        prop_assume!(!unreliable(&plain, &point));
        let (v1, g1) = simplified.evaluate(&point);
        let (v0, g0) = plain.evaluate(&point);
        prop_assert!(agree(v1, v0), "{src} at {point:?}: value {v1} simplified, {v0} not");
        for (i, (a, b)) in g1.iter().zip(&g0).enumerate() {
            prop_assert!(
                agree(*a, *b),
                "{src} at {point:?}: ∂/∂{} {a} simplified, {b} not (rules {:?})",
                VARS[i],
                simplified.rules()
            );
        }
    }

    #[test]
    fn remembering_normal_forms_between_passes_changes_nothing(src in formula()) {
        // `Gradient` skips nodes an earlier pass left in normal form; each `simplify`
        // here starts from nothing.
        let formula = symgrad_grammar::parse_with_vars(&src, &VARS)
            .map_err(|e| TestCaseError::fail(format!("{src}: {}", e.message)))?;
        let rules = RuleTable::standard();
        let mut g = Graph::new();
        let root = lower(&mut g, &formula);
        let value = simplify(&mut g, &[root], rules, Pass::Forward).roots[0];
        let partials = reverse_mode(&mut g, value, &[0, 1, 2]);
        let all: Vec<_> = std::iter::once(value).chain(partials).collect();
        let simplified = simplify(&mut g, &all, rules, Pass::Gradient).roots;
        let (fresh, fresh_roots) = share::products(g, &simplified);
        let names: Vec<String> = VARS.map(String::from).to_vec();
        let remembered = Gradient::all(&formula);
        prop_assert_eq!(
            listing(remembered.graph(), &names, &remembered.roots()),
            listing(&fresh, &names, &fresh_roots),
            "{}", src
        );
    }
}
