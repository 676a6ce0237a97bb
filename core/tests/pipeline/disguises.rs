//! Every disguise of the sigmoid in SPEC §2 becomes exactly one sigmoid gate, with no
//! exponential left in the value or the gradient, and the gradient is the gate's local
//! gradient σ' on the same argument (the generated code shares the one `e^-|u|`).

use symgrad_core::{Gradient, Node, Op, to_math};

/// The gradient of `source` with respect to every variable.
fn gradient(source: &str) -> Gradient {
    let formula = symgrad_grammar::parse(source).expect("test formulas parse");
    Gradient::all(&formula)
}

fn count(grad: &Gradient, op: Op) -> usize {
    grad.graph()
        .ids()
        .filter(|&id| matches!(grad.graph().node(id), Node::Apply(o, _) if o == op))
        .count()
}

/// One sigmoid gate in the whole graph (value and gradient), no `exp`, and the value
/// printed as `expected`.
fn check_one_gate(source: &str, expected: &str) {
    let grad = gradient(source);
    assert_eq!(
        to_math(grad.graph(), grad.vars(), grad.value()),
        expected,
        "{source}"
    );
    assert_eq!(count(&grad, Op::Sigmoid), 1, "{source}: sigmoid gates");
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
fn the_sigmoid_partial_is_its_local_gradient_gate() {
    // σ' = σ(x)·σ(-x), printed as that product, one gate on the same `x` (SPEC §9: not
    // `σ·(1-σ)`, which is 0 from x ≈ 37 on).
    let grad = gradient("1/(1+e^-x)");
    let listing = symgrad_core::listing(grad.graph(), grad.vars(), &grad.roots());
    assert_eq!(listing.roots, vec!["σ(x)", "σ(x)·σ(-x)"]);
    let x = grad.graph().node(grad.value()).args()[0];
    assert_eq!(
        grad.graph().node(grad.partials()[0]),
        Node::Apply(Op::SigmoidPrime, &[x])
    );
    assert_eq!(count(&grad, Op::SigmoidPrime), 1);
    assert_eq!(grad.rules(), vec!["sigmoid"]);
}

#[test]
fn equal_subexpressions_are_one_node_after_rewriting() {
    // Two spellings of σ(x) become the same node: the sum adds one gate to itself.
    let grad = gradient("1/(1+e^-x) + e^x/(1+e^x)");
    assert_eq!(count(&grad, Op::Sigmoid), 1);
}
