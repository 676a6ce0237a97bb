use super::*;
use quote::quote;

use crate::codegen::code::CountOnly;

/// The Rust expression for the node `build` returns, in the variables `x`, `y`, `z`.
fn rust(build: impl FnOnce(&mut Graph, [NodeId; 3]) -> NodeId) -> (String, usize) {
    let mut g = Graph::new();
    let v = [g.var(0), g.var(1), g.var(2)];
    let root = build(&mut g, v);
    let params = [
        quote::format_ident!("x"),
        quote::format_ident!("y"),
        quote::format_ident!("z"),
    ];
    let mut emitter = Emitter::<TokenStream>::new(&g, &params, Float::F64, quote!(gates));
    let (tokens, _) = emitter.expr(root);
    let mut counter = Emitter::<CountOnly>::new(&g, &params, Float::F64, quote!(gates));
    counter.expr(root);
    assert_eq!(
        counter.ops, emitter.ops,
        "counting writes what emitting writes"
    );
    (tokens.to_string(), emitter.ops)
}

#[test]
fn subtraction_is_minus_and_one_operation() {
    assert_eq!(rust(|g, [x, y, _]| g.sub(x, y)), ("x - y".to_string(), 1));
}

#[test]
fn a_subtracted_sum_keeps_its_parentheses() {
    let (code, _) = rust(|g, [x, y, z]| {
        let s = g.add(&[y, z]);
        g.sub(x, s)
    });
    assert_eq!(code, "x - (y + z)");
}

#[test]
fn division_is_slash_and_one_operation() {
    assert_eq!(rust(|g, [x, y, _]| g.div(x, y)), ("x / y".to_string(), 1));
}

#[test]
fn a_product_divisor_keeps_its_parentheses() {
    let (code, ops) = rust(|g, [x, y, z]| {
        let p = g.add(&[y, z]);
        let d = g.mul(&[p, z]);
        g.div(x, d)
    });
    assert_eq!(code, "x / (z * (y + z))");
    assert_eq!(ops, 3);
}

#[test]
fn a_method_receiver_is_parenthesized() {
    let (code, _) = rust(|g, [x, _, _]| {
        let n = g.neg(x);
        g.apply(Op::Exp, &[n])
    });
    assert_eq!(code, "(- x) . exp ()");
}

#[test]
fn integer_powers_are_powi_halves_sqrt_others_powf() {
    let power = |k: f64| {
        rust(move |g, [x, _, _]| {
            let k = g.constant(k);
            g.pow(x, k)
        })
        .0
    };
    assert_eq!(power(3.0), "x . powi (3)");
    assert_eq!(power(0.5), "x . sqrt ()");
    assert_eq!(power(1.5), "x . powf (1.5)");
    assert_eq!(power(-2.0), "1.0 / x . powi (2)");
}

#[test]
fn a_power_of_a_constant_names_the_float_type() {
    let (code, _) = rust(|g, [x, _, _]| {
        let two = g.constant(2.0);
        g.pow(two, x)
    });
    assert_eq!(code, "f64 :: powf (2.0 , x)");
}

#[test]
fn gates_call_the_gates_module() {
    let (code, ops) = rust(|g, [x, y, _]| {
        let s = g.add(&[x, y]);
        g.apply(Op::Sigmoid, &[s])
    });
    assert_eq!(code, "gates :: sigmoid (x + y)");
    assert_eq!(ops, 2);
}
