use super::*;

fn names() -> Vec<String> {
    ["x", "y", "z"].map(String::from).to_vec()
}

fn show(build: impl FnOnce(&mut Graph, [NodeId; 3]) -> NodeId) -> String {
    let mut g = Graph::new();
    let v = [g.var(0), g.var(1), g.var(2)];
    let root = build(&mut g, v);
    to_math(&g, &names(), root)
}

#[test]
fn subtraction_reads_as_minus() {
    assert_eq!(show(|g, [x, y, _]| g.sub(x, y)), "x - y");
}

#[test]
fn division_reads_as_slash() {
    assert_eq!(show(|g, [x, y, _]| g.div(x, y)), "x/y");
}

#[test]
fn reciprocal_reads_as_one_over() {
    assert_eq!(
        show(|g, [x, _, _]| {
            let m = g.constant(-1.0);
            g.pow(x, m)
        }),
        "1/x"
    );
}

#[test]
fn sum_inside_product_is_parenthesized() {
    assert_eq!(
        show(|g, [x, y, z]| {
            let s = g.add(&[x, y]);
            g.mul(&[s, z])
        }),
        "z·(x + y)",
        "operands are in id order; z was created before the sum"
    );
}

#[test]
fn a_sum_of_negated_terms_leads_with_a_minus() {
    assert_eq!(
        show(|g, [x, y, _]| {
            let (nx, ny) = (g.neg(x), g.neg(y));
            g.add(&[nx, ny])
        }),
        "-x - y"
    );
}

#[test]
fn a_product_with_a_negated_factor_reads_as_subtraction() {
    // `x + y·(-z)`: sharing made `-z` a product of its own (it is also a partial).
    assert_eq!(
        show(|g, [x, y, z]| {
            let nz = g.neg(z);
            let product = g.intern(Node::Apply(Op::Mul, &[y, nz]));
            g.add(&[x, product])
        }),
        "x - z·y"
    );
}

#[test]
fn nested_negations_print_in_linear_time() {
    // `-sin(-sin(…x…))`: each level once asked its operand twice whether it reads as a
    // negation, so 100 levels took 2^100 steps.
    let text = show(|g, [x, _, _]| {
        (0..100).fold(x, |inner, _| {
            let s = g.apply(Op::Sin, &[inner]);
            g.neg(s)
        })
    });
    assert_eq!(text, format!("{}x{}", "-sin(".repeat(100), ")".repeat(100)));
}

#[test]
fn a_negated_quotient_in_an_exponent_is_parenthesized() {
    // Found by the fuzzer: `le^-(1/me)` printed as `le^-1/me`, which reads `(le^-1)/me`.
    assert_eq!(
        show(|g, [x, y, _]| {
            let m = g.constant(-1.0);
            let r = g.pow(y, m);
            let e = g.neg(r);
            g.pow(x, e)
        }),
        "x^(-1/y)"
    );
}

#[test]
fn a_product_in_an_exponent_is_parenthesized() {
    // Found by the fuzzer: `l**+(a·z)` printed as `l^a·z`.
    assert_eq!(
        show(|g, [x, y, z]| {
            let p = g.mul(&[y, z]);
            g.pow(x, p)
        }),
        "x^(y·z)"
    );
}

#[test]
fn a_negated_power_in_an_exponent_needs_no_parentheses() {
    assert_eq!(
        show(|g, [x, y, z]| {
            let p = g.pow(y, z);
            let e = g.neg(p);
            g.pow(x, e)
        }),
        "x^-y^z"
    );
}

#[test]
fn negated_sum_is_parenthesized() {
    assert_eq!(
        show(|g, [x, y, _]| {
            let s = g.add(&[x, y]);
            g.neg(s)
        }),
        "-(x + y)"
    );
}

#[test]
fn negative_exponent_in_a_product_is_a_division() {
    assert_eq!(
        show(|g, [x, y, _]| {
            let m = g.constant(-2.0);
            let p = g.pow(y, m);
            g.mul(&[x, p])
        }),
        "x/y^2"
    );
}

#[test]
fn square_root_reads_as_sqrt() {
    assert_eq!(
        show(|g, [x, _, _]| {
            let h = g.constant(0.5);
            g.pow(x, h)
        }),
        "sqrt(x)"
    );
}

#[test]
fn stable_gates_outside_the_language_print_as_what_they_compute() {
    assert_eq!(show(|g, [x, _, _]| g.apply(Op::Ln1p, &[x])), "ln(1 + x)");
    assert_eq!(
        show(|g, [x, _, _]| {
            let n = g.neg(x);
            g.apply(Op::Ln1p, &[n])
        }),
        "ln(1 - x)"
    );
    assert_eq!(
        show(|g, [x, y, _]| {
            let e = g.apply(Op::ExpM1, &[x]);
            g.mul(&[y, e])
        }),
        "y·(exp(x) - 1)"
    );
}

#[test]
fn constants_e_and_pi_print_by_name() {
    assert_eq!(show(|g, _| g.constant(std::f64::consts::PI)), "π");
}

#[test]
fn non_finite_constants_print_as_formulas() {
    assert_eq!(show(|g, _| g.constant(f64::NAN)), "(0/0)");
    assert_eq!(
        show(|g, [x, _, _]| {
            let inf = g.constant(f64::INFINITY);
            g.mul(&[inf, x])
        }),
        "(1/0)·x"
    );
    assert_eq!(
        show(|g, [x, _, _]| {
            let inf = g.constant(f64::NEG_INFINITY);
            g.add(&[x, inf])
        }),
        "x - (1/0)"
    );
}

#[test]
fn numbers_print_in_shortest_round_trip_form() {
    assert_eq!(number(0.1), "0.1");
    assert_eq!(number(2.0), "2");
    assert_eq!(number(1e300), "1e300");
    assert_eq!(number(-2.5e-7), "-2.5e-7");
    assert_eq!(number(f64::NAN), "NaN");
    assert_eq!(number(f64::NEG_INFINITY), "-inf");
}
