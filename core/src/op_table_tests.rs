//! Every operation of the op table through every column: a forgotten column, or one that
//! disagrees with another, fails here rather than in a user's crate.

use symgrad_grammar::Func;

use crate::eval::evaluate;
use crate::ir::graph::{Graph, Node, NodeId};
use crate::ir::lower::call;
use crate::lecture::gate_label::GateLabel;
use crate::ops::{Op, Rust, stable};
use crate::rewrite::pattern;

/// A point where every operation is smooth (away from kinks, ties and domain edges; the
/// select takes its first branch there)…
const POINT: [f64; 3] = [0.7, 0.4, 0.9];

/// …but for `log1mexp`, real below 0 only, which is taken at `-0.7`.
fn point(op: Option<Op>, arity: usize) -> Vec<f64> {
    if op == Some(Op::Log1mexp) {
        return vec![-POINT[0]];
    }
    POINT[..arity].to_vec()
}

/// A graph holding `op` applied to variables, with that node and the variables.
fn applied(op: Op) -> (Graph, NodeId, Vec<NodeId>) {
    let mut g = Graph::new();
    let vars: Vec<NodeId> = (0..op.arity() as u32).map(|i| g.var(i)).collect();
    let out = g.apply(op, &vars);
    (g, out, vars)
}

#[test]
fn every_partial_matches_central_differences_of_eval() {
    for &op in Op::ALL {
        let x = &point(Some(op), op.arity())[..];
        assert!(op.eval(x).is_finite(), "{op:?} at {x:?}");
        let (mut g, out, vars) = applied(op);
        for i in 0..op.arity() {
            let partial = op.partial(&mut g, &vars, out, i);
            let built = evaluate(&g, &[partial], x)[0];
            let h = 1e-6;
            let (mut up, mut down) = (x.to_vec(), x.to_vec());
            up[i] += h;
            down[i] -= h;
            let central = (op.eval(&up) - op.eval(&down)) / (2.0 * h);
            assert!(
                (built - central).abs() <= 1e-6 * central.abs().max(1.0),
                "∂{op:?}/∂x{i}: built {built}, central differences {central}"
            );
            if op.is_piecewise_constant() {
                assert!(g.is_const(partial, 0.0), "{op:?} is piecewise constant");
            }
        }
    }
}

#[test]
fn every_gate_has_a_stable_source_and_every_source_a_gate() {
    // Each gate, then the fused gate it heads with its partner's (the partner is next).
    let gates: Vec<&str> = Op::ALL
        .iter()
        .flat_map(|op| {
            let gate = match op.rust() {
                Rust::Gate(name) => Some(name),
                Rust::Operator(_) | Rust::Method(_) | Rust::Branch => None,
            };
            let partner = op
                .fused()
                .and_then(|(partner, function)| match partner.rust() {
                    Rust::Gate(name) => Some([name, function]),
                    _ => None,
                });
            gate.into_iter().chain(partner.into_iter().flatten())
        })
        .collect();
    let mut seen = std::collections::HashSet::new();
    let listed: Vec<&str> = gates
        .into_iter()
        .filter(|name| seen.insert(*name))
        .collect();
    let sources: Vec<&str> = stable::SOURCES.iter().map(|(name, _)| *name).collect();
    assert_eq!(
        listed, sources,
        "gates in table order, sources in definition order"
    );
}

#[test]
fn every_fused_gate_pairs_a_gate_with_its_partial_in_the_first_operand() {
    let fused: Vec<Op> = Op::ALL
        .iter()
        .copied()
        .filter(|op| op.fused().is_some())
        .collect();
    assert_eq!(fused, [Op::Elu, Op::Huber]);
    for op in fused {
        let (partner, _) = op.fused().expect("fused");
        let mut g = Graph::new();
        let args: Vec<NodeId> = (0..op.arity() as u32).map(|i| g.var(i)).collect();
        let out = g.apply(op, &args);
        let partial = op.partial(&mut g, &args, out, 0);
        assert_eq!(g.node(partial), Node::Apply(partner, &args), "{op:?}");
    }
}

#[test]
fn every_rust_name_is_an_identifier() {
    for &op in Op::ALL {
        let name = match op.rust() {
            Rust::Method(name) | Rust::Gate(name) => name,
            Rust::Operator(_) | Rust::Branch => continue,
        };
        assert!(is_identifier(name), "{op:?} is spelled `{name}`");
    }
}

fn is_identifier(name: &str) -> bool {
    name.chars().next().is_some_and(|c| c.is_ascii_lowercase())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

#[test]
fn every_pattern_name_parses_back_to_its_operation() {
    for &op in Op::ALL {
        let operands: Vec<String> = (0..op.arity()).map(|i| format!("?x{i}")).collect();
        let text = format!("({} {})", op.pattern_name(), operands.join(" "));
        let parsed = pattern::parse(&text, &mut pattern::Scope::default()).expect(&text);
        assert_eq!(parsed.root_op(), Some(op), "{text}");
    }
}

#[test]
fn every_operation_has_a_lecture_label() {
    for &op in Op::ALL {
        let label = GateLabel::new(op, &vec![None; op.arity()]);
        assert!(label.name.ends_with(" gate"), "{op:?}: {label:?}");
        assert!(!label.symbol.is_empty(), "{op:?}: {label:?}");
    }
}

#[test]
fn every_grammar_function_of_the_table_lowers_to_its_operation() {
    for &op in Op::ALL {
        let Some(func) = op.grammar() else { continue };
        assert!(func.accepts(op.arity()), "{func}");
        assert_eq!(func.is_variadic(), op.is_variadic(), "{func}");
        let (mut g, _, vars) = applied(op);
        let lowered = call(&mut g, func, &vars);
        assert_eq!(g.node(lowered).op(), Some(op), "{func}");
    }
}

#[test]
fn every_grammar_function_lowers() {
    for func in Func::ALL {
        let mut g = Graph::new();
        let vars: Vec<NodeId> = (0..func.arity() as u32).map(|i| g.var(i)).collect();
        let lowered = call(&mut g, func, &vars);
        let at = point(Op::of_func(func), func.arity());
        let value = evaluate(&g, &[lowered], &at)[0];
        assert!(value.is_finite(), "{func}");
    }
}

#[test]
fn names_and_pattern_names_are_unique() {
    for (k, a) in Op::ALL.iter().enumerate() {
        for b in &Op::ALL[..k] {
            assert_ne!(a.name(), b.name());
            assert_ne!(a.pattern_name(), b.pattern_name());
        }
    }
}
