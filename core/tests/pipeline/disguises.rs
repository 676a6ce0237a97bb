//! Every disguise of the sigmoid in SPEC §2 becomes exactly one sigmoid gate, with no
//! exponential left in the value or the gradient, and the gradient reuses the gate (its
//! local gradient is σ(u)·σ(-u), the one other gate, SPEC §9).

use symgrad_core::{Gradient, Node, Op, to_math};

/// The gradient of `source` with respect to every variable.
fn gradient(source: &str) -> Gradient {
    let formula = symgrad_grammar::parse(source).expect("test formulas parse");
    Gradient::all(&formula)
}

fn count(grad: &Gradient, op: Op) -> usize {
    grad.graph()
        .ids()
        .filter(|&id| matches!(grad.graph().node(id), Node::Apply(o, _) if *o == op))
        .count()
}

/// One sigmoid gate in the value, printed as `expected`; in the whole graph only it and
/// its mirror σ(-u) of the local gradient σ(u)·σ(-u); no `exp`.
fn check_one_gate(source: &str, expected: &str) {
    let grad = gradient(source);
    assert_eq!(
        to_math(grad.graph(), grad.vars(), grad.value()),
        expected,
        "{source}"
    );
    let g = grad.graph();
    let reached = g.reachable(&[grad.value()], &[]);
    let in_value = g
        .ids()
        .take(reached.len())
        .filter(|&id| reached[id.index()] && matches!(g.node(id), Node::Apply(Op::Sigmoid, _)))
        .count();
    assert_eq!(in_value, 1, "{source}: sigmoid gates in the value");
    assert_eq!(count(&grad, Op::Sigmoid), 2, "{source}: σ(u) and σ(-u)");
    assert_eq!(count(&grad, Op::Exp), 0, "{source}: exponentials");
}

#[test]
fn one_over_one_plus_exp_of_minus_x() {
    check_one_gate("1/(1+e^-x)", "σ(x)");
}

#[test]
fn power_minus_one() {
    check_one_gate("(1+e^-x)^-1", "σ(x)");
}

#[test]
fn terms_in_the_other_order() {
    check_one_gate("1/(e^-x+1)", "σ(x)");
}

#[test]
fn exp_over_one_plus_exp() {
    check_one_gate("e^x/(1+e^x)", "σ(x)");
}

#[test]
fn one_minus_the_sigmoid_of_minus_x() {
    check_one_gate("1 - 1/(1+e^x)", "σ(x)");
}

#[test]
fn positive_exponent_is_the_sigmoid_of_minus_x() {
    check_one_gate("1/(1+e^x)", "σ(-x)");
}

#[test]
fn scaled_numerator() {
    check_one_gate("3/(1+e^-x)", "3·σ(x)");
}

#[test]
fn negated_sum_argument() {
    check_one_gate("1/(1+exp(-(a+b)))", "σ(a + b)");
}

#[test]
fn product_with_minus_one_argument() {
    check_one_gate("1/(1+e^(-1·x y))", "σ(x·y)");
}

#[test]
fn exp_call_and_times_form() {
    check_one_gate("(1 + exp(-z))**-1", "σ(z)");
}

#[test]
fn the_neuron_prints_as_one_gate() {
    check_one_gate("1/(1+e^-(w0x0+w1x1+w2))", "σ(w0·x0 + w1·x1 + w2)");
}

#[test]
fn the_sigmoid_partial_reuses_the_forward_value() {
    let grad = gradient("1/(1+e^-x)");
    let listing = symgrad_core::listing(grad.graph(), grad.vars(), &grad.roots());
    assert_eq!(listing.roots, vec!["σ(x)", "t1·σ(-x)"]);
    assert_eq!(grad.rules(), vec!["sigmoid"]);
}

#[test]
fn equal_subexpressions_are_one_node_after_rewriting() {
    // Two spellings of σ(x) become the same node: the sum adds one gate to itself (and
    // the gradient one σ(-x)).
    let grad = gradient("1/(1+e^-x) + e^x/(1+e^x)");
    assert_eq!(count(&grad, Op::Sigmoid), 2);
}
