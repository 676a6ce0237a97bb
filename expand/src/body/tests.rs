//! The body read into the grammar's syntax tree, construct by construct.

use quote::quote;

use super::*;

/// The body's formula as an s-expression, or the errors' messages.
fn read(params: &[&str], body: proc_macro2::TokenStream) -> Result<String, String> {
    let block: Block = syn::parse2(quote!({ #body })).expect("a block");
    let params: Vec<String> = params.iter().map(|p| p.to_string()).collect();
    let mut errors = Errors::default();
    match lower(&block, &params, &mut errors) {
        Some(outputs) if errors.is_empty() => Ok(outputs
            .formulas
            .iter()
            .map(Formula::to_sexpr)
            .collect::<Vec<_>>()
            .join(", ")),
        _ => Err(errors.into_compile_errors().to_string()),
    }
}

#[test]
fn arithmetic_chains_are_flat() {
    assert_eq!(
        read(&["x", "y", "z"], quote!(x - y + z * 2 / y)),
        Ok("(+ x -y (* z 2 /y))".into())
    );
}

#[test]
fn parentheses_and_unary_minus() {
    assert_eq!(
        read(&["x", "y"], quote!(-(x + y))),
        Ok("(- (+ x y))".into())
    );
}

#[test]
fn literals_and_constants() {
    assert_eq!(
        read(
            &["x"],
            quote!(2 * x + 0.5 + std::f64::consts::PI - f32::consts::E)
        ),
        Ok("(+ (* 2 x) 0.5 π -e)".into())
    );
}

#[test]
fn methods_and_associated_functions_are_calls() {
    assert_eq!(
        read(
            &["x", "b"],
            quote!(x.sin() + f64::log(x, b) + x.ln_1p() + b.exp_m1())
        ),
        Ok("(+ (sin x) (log x b) (ln_1p x) (exp_m1 b))".into())
    );
}

#[test]
fn powers_and_reciprocals() {
    assert_eq!(
        read(&["x", "y"], quote!(x.powi(2) + x.powf(y) + y.recip())),
        Ok("(+ (pow x 2) (pow x y) (* 1 /y))".into())
    );
}

#[test]
fn powi_needs_an_integer_constant_which_lets_may_hold() {
    assert_eq!(
        read(&["x"], quote!(let k = 2.0 * 1.5; x.powi(k))),
        Ok("$0=(* 2 1.5) (pow x $0)".into())
    );
    let error = read(&["x"], quote!(let k = 0.5; x.powi(k))).expect_err("not an integer");
    assert!(error.contains("`powi` needs a constant integer"), "{error}");
}

#[test]
fn each_let_is_one_binding_and_a_later_let_shadows() {
    assert_eq!(
        read(&["x"], quote!(let s = x * x; let s = s + s; s * x)),
        Ok("$0=(* x x) $1=(+ $0 $0) (* $1 x)".into())
    );
}

#[test]
fn a_let_used_two_to_the_64_times_is_lowered_once() {
    let mut body = quote!(let a0 = x;);
    for k in 1..=64usize {
        let (prev, next) = (
            quote::format_ident!("a{}", k - 1),
            quote::format_ident!("a{k}"),
        );
        body.extend(quote!(let #next = #prev * #prev;));
    }
    body.extend(quote!(a64));
    let block: Block = syn::parse2(quote!({ #body })).expect("a block");
    let mut errors = Errors::default();
    let outputs = lower(&block, &["x".to_owned()], &mut errors).expect("no error");
    let formula = &outputs.formulas[0];
    assert_eq!(formula.bindings.len(), 65);
    // Unshared, the value would have 2^64 leaves; lowered once per binding, the graph
    // holds one node per binding.
    let grad = symgrad_core::Gradient::new(formula, &[0]);
    assert!(grad.graph().len() < 1000, "{} nodes", grad.graph().len());
}

#[test]
fn if_else_with_a_comparison() {
    assert_eq!(
        read(&["x"], quote!(if x > 0.0 { x.ln() } else { 0.0 })),
        Ok("(if (> x 0) (ln x) 0)".into())
    );
}

#[test]
fn else_if_chains_nest_in_the_else_branch() {
    assert_eq!(
        read(
            &["x"],
            quote!(if x < -1.0 {
                -1.0
            } else if x <= 1.0 {
                x
            } else {
                1.0
            })
        ),
        Ok("(if (< x (- 1)) (- 1) (if (<= x 1) x 1))".into())
    );
}

#[test]
fn conditions_join_with_and_or_not() {
    assert_eq!(
        read(
            &["x", "y"],
            quote!(if !(x >= y) && y > 0.0 || x > 2.0 {
                x
            } else {
                y
            })
        ),
        Ok("(if (or (and (not (>= x y)) (> y 0)) (> x 2)) x y)".into())
    );
}

#[test]
fn lets_inside_a_branch_are_scoped_to_it() {
    let body = quote!(
        let s = x * x;
        if s > 1.0 {
            let s = s.sqrt();
            s + 1.0
        } else {
            s
        }
    );
    assert_eq!(
        read(&["x"], body),
        Ok("$0=(* x x) $1=(sqrt $0) (if (> $0 1) (+ $1 1) $0)".into())
    );
}

#[test]
fn a_let_of_a_branch_is_unknown_after_it() {
    let body = quote!(
        let y = if x > 0.0 {
            let t = x;
            t
        } else {
            0.0
        };
        y + t
    );
    let errors = read(&["x"], body).expect_err("`t` is out of scope");
    assert!(errors.contains("`t`"), "{errors}");
}

#[test]
fn if_without_else_is_an_error() {
    let errors = read(
        &["x"],
        quote!(if x > 0.0 {
            x
        }),
    )
    .expect_err("no value otherwise");
    assert!(
        errors.contains("an `if` without `else` has no value"),
        "{errors}"
    );
}

#[test]
fn a_number_is_not_a_condition() {
    let errors = read(&["x"], quote!(if x { x } else { 0.0 })).expect_err("not a condition");
    assert!(errors.contains("expected a condition"), "{errors}");
}

#[test]
fn a_comparison_is_not_a_number() {
    let errors = read(&["x"], quote!((x > 0.0) * x)).expect_err("not a number");
    assert!(
        errors.contains("`>` makes a condition, not a number"),
        "{errors}"
    );
}

#[test]
fn equality_is_not_a_supported_comparison() {
    let errors = read(&["x"], quote!(if x == 0.0 { 1.0 } else { x })).expect_err("==");
    assert!(
        errors.contains("`==` and `!=` are not supported"),
        "{errors}"
    );
}

#[test]
fn a_final_tuple_or_array_is_one_output_per_element() {
    assert_eq!(
        read(&["r", "t"], quote!(let c = t.cos(); (r * c, r * t.sin()))),
        // Each output has the `let`s (`$0`); lowered into one graph, they are one node.
        Ok("$0=(cos t) (* r $0), $0=(cos t) (* r (sin t))".into())
    );
    assert_eq!(read(&["x"], quote!([x, x * x])), Ok("x, (* x x)".into()));
    let e = read(&["x"], quote!(())).expect_err("no outputs");
    assert!(e.contains("no outputs"), "{e}");
}
