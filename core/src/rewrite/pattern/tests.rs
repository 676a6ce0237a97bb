//! Parsing patterns and matching them, one fact per test.

use super::*;

fn pattern(text: &str) -> Result<Pattern, PatternError> {
    parse(text, &mut Scope::default())
}

#[test]
fn parses_nested_forms() {
    let p = pattern("(pow (+ 1 (exp (neg ?u))) -1)").expect("parses");
    assert_eq!(p.root_op(), Some(Op::Pow));
}

#[test]
fn rejects_malformed_patterns() {
    for (text, needle) in [
        ("(pow ?x)", "takes 2 operand(s)"),
        ("(frob ?x)", "unknown operation `frob`"),
        ("(exp ?x", "unclosed"),
        ("(exp ?x))", "unexpected `)`"),
        ("(+ ?r.. ?x)", "must be last"),
        ("(exp ?r..)", "only a variadic operation"),
        ("(exp (exp ?x)..)", "not of `(exp`"),
        ("(+ (* ?x ?y)..)", "exactly one variable"),
        ("(+ (exp ?x).. ?y)", "must be last"),
        ("(+ (exp ?x).. (exp ?x))", "must be last"),
        ("(neg ?x ?y)", "`neg` takes one operand"),
        ("(negated)", "`negated` takes one operand"),
        ("abc", "neither `?var` nor a number"),
    ] {
        let err = pattern(text).expect_err(text);
        assert!(err.0.contains(needle), "{text}: {}", err.0);
    }
}

#[test]
fn sum_operands_match_in_any_order() {
    let mut g = Graph::new();
    let x = g.var(0);
    let one = g.constant(1.0);
    let e = g.apply(Op::Exp, &[x]);
    let s = g.add(&[e, one]);
    let p = pattern("(+ 1 (exp ?u))").expect("parses");
    let mut b = [None; MAX_VARS];
    assert!(p.matches(&mut g, s, &mut b));
    assert_eq!(b[0], Some(x));
}

#[test]
fn negation_matches_a_negated_sum_and_a_plain_node() {
    let mut g = Graph::new();
    let (x, y) = (g.var(0), g.var(1));
    let s = g.add(&[x, y]);
    let ns = g.neg(s);
    let p = pattern("(neg ?u)").expect("parses");
    let mut b = [None; MAX_VARS];
    assert!(p.matches(&mut g, ns, &mut b));
    assert_eq!(b[0], Some(s));
    let mut b = [None; MAX_VARS];
    assert!(p.matches(&mut g, x, &mut b));
    let nx = g.neg(x);
    assert_eq!(b[0], Some(nx));
}

#[test]
fn rest_variable_takes_the_other_operands() {
    let mut g = Graph::new();
    let (x, y, z) = (g.var(0), g.var(1), g.var(2));
    let e = g.apply(Op::Exp, &[x]);
    let p = g.mul(&[y, e, z]);
    let pat = pattern("(* (exp ?u) ?r..)").expect("parses");
    let mut b = [None; MAX_VARS];
    assert!(pat.matches(&mut g, p, &mut b));
    let yz = g.mul(&[y, z]);
    assert_eq!(b[1], Some(yz));
}

#[test]
fn a_repeated_operand_spreads_its_values_into_the_right_side() {
    let mut g = Graph::new();
    let [x, y, z] = [0, 1, 2].map(|i| g.var(i));
    let [ex, ey, ez] = [x, y, z].map(|v| g.apply(Op::Exp, &[v]));
    let one = g.constant(1.0);
    let mut scope = Scope::default();
    let lhs = parse("(+ (exp ?u) (exp ?x)..)", &mut scope).expect("parses");
    scope.enter_right_side();
    let rhs = parse("(logsumexp ?u ?x..)", &mut scope).expect("parses");
    let sum = g.add(&[ez, ex, ey]);
    let mut b = [None; MAX_VARS];
    assert!(lhs.matches(&mut g, sum, &mut b));
    let built = rhs.build(&mut g, &b);
    assert_eq!(g.node(built), Node::Apply(Op::Logsumexp, &[x, y, z]));
    // Every operand left must match: `1` is no exponential.
    let with_one = g.add(&[ex, ey, one]);
    assert!(!lhs.matches(&mut g, with_one, &mut [None; MAX_VARS]));
}

#[test]
fn a_repeated_variable_is_spread_on_the_right_side_only() {
    let mut scope = Scope::default();
    parse("(ln (+ (exp ?x)..))", &mut scope).expect("parses");
    scope.enter_right_side();
    for (text, needle) in [
        ("(exp ?x)", "write `?x..`"),
        ("(σ ?x..)", "spreads only into a variadic"),
        ("(+ (exp ?y)..)", "left side"),
    ] {
        let err = parse(text, &mut scope).expect_err(text);
        assert!(err.0.contains(needle), "{text}: {}", err.0);
    }
}

#[test]
fn repeated_variable_must_bind_the_same_node() {
    let mut g = Graph::new();
    let (x, y) = (g.var(0), g.var(1));
    let ex = g.apply(Op::Exp, &[x]);
    let ey = g.apply(Op::Exp, &[y]);
    let p = g.mul(&[ex, ey]);
    let q = g.mul(&[ex, ex]);
    let pat = pattern("(* (exp ?u) (exp ?u))").expect("parses");
    assert!(!pat.matches(&mut g, p, &mut [None; MAX_VARS]));
    assert!(pat.matches(&mut g, q, &mut [None; MAX_VARS]));
}

#[test]
fn a_negation_found_without_building_it_is_the_one_built() {
    let mut g = Graph::new();
    let x = g.var(0);
    let y = g.var(1);
    let e = g.apply(Op::Exp, &[x]);
    let s = g.add(&[x, y]);
    let xy = g.mul(&[x, y]);
    let minus_two = g.constant(-2.0);
    let three = g.constant(3.0);
    for n in [x, e, s, xy, minus_two, three] {
        let negated = g.neg(n);
        let doubled = g.mul(&[minus_two, n]);
        for m in [negated, doubled, n] {
            let built = g.neg(m);
            match negated_operand(&g, m) {
                Some(found) => assert_eq!(found, built, "{m:?}"),
                None => assert!(
                    g.node(built).op().is_none_or(|op| op == Op::Mul),
                    "{m:?}: its negation is an operation other than a product"
                ),
            }
        }
    }
}

#[test]
fn a_sum_without_the_operation_is_sifted_out_before_matching() {
    let mut g = Graph::new();
    let x = g.var(0);
    let y = g.var(1);
    let terms: Vec<NodeId> = [x, y].iter().map(|&v| g.neg(v)).collect();
    let sum = g.add(&terms);
    let before = g.len();
    let p = pattern("(+ ?a (neg (logsumexp ?a ?r..)) ?s..)").expect("parses");
    assert!(!p.matches(&mut g, sum, &mut [None; MAX_VARS]));
    assert_eq!(g.len(), before, "no negation was built");
}
