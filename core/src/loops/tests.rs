//! The generated code's shape: loops kept, its size independent of the lengths.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::*;

fn rhs(source: &str, leaves: Vec<Leaf>) -> Rhs {
    let names: Vec<String> = (0..leaves.len()).map(|k| format!("v{k}")).collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    Rhs {
        formula: symgrad_grammar::parse_with_vars(source, &names).expect("the formula parses"),
        leaves,
    }
}

fn element(array: &str, index: &[TokenStream]) -> Leaf {
    Leaf::Element {
        array: format_ident!("{}", array),
        index: index.to_vec(),
    }
}

fn param(name: &str, ty: TokenStream, kind: ParamKind, wrt: bool) -> LoopParam {
    LoopParam {
        name: format_ident!("{}", name),
        ty,
        kind,
        wrt,
    }
}

fn name(n: &str) -> Leaf {
    Leaf::Name(format_ident!("{}", n))
}

/// `fn layer(w: &[[f64; N]; M], x: &[f64; N]) -> f64`: `h[j] = relu(w[j]·x)`, the sum of
/// `h` squared.
fn layer(n: usize, m: usize) -> LoopFn {
    let (n, m) = (
        proc_macro2::Literal::usize_unsuffixed(n),
        proc_macro2::Literal::usize_unsuffixed(m),
    );
    LoopFn {
        name: format_ident!("layer"),
        vis: quote!(pub),
        attrs: quote!(),
        generics: quote!(),
        generic_args: quote!(),
        float: Default::default(),
        params: vec![
            param(
                "w",
                quote!(&[[f64; #n]; #m]),
                ParamKind::Array(vec![quote!(#m), quote!(#n)]),
                true,
            ),
            param(
                "x",
                quote!(&[f64; #n]),
                ParamKind::Array(vec![quote!(#n)]),
                true,
            ),
        ],
        body: vec![
            Stmt::Array {
                name: format_ident!("h"),
                dims: vec![quote!(#m)],
            },
            Stmt::For {
                var: format_ident!("j"),
                range: quote!(0..#m),
                body: vec![
                    Stmt::Acc {
                        name: format_ident!("z"),
                        init: Rhs::zero(),
                    },
                    Stmt::For {
                        var: format_ident!("i"),
                        range: quote!(0..#n),
                        body: vec![Stmt::Update {
                            acc: format_ident!("z"),
                            how: Update::Add,
                            value: rhs(
                                "v0 v1",
                                vec![
                                    element("w", &[quote!(j), quote!(i)]),
                                    element("x", &[quote!(i)]),
                                ],
                            ),
                        }],
                    },
                    Stmt::Store {
                        array: format_ident!("h"),
                        index: vec![quote!(j)],
                        value: rhs("relu(v0)", vec![name("z")]),
                    },
                ],
            },
            Stmt::Acc {
                name: format_ident!("s"),
                init: Rhs::zero(),
            },
            Stmt::For {
                var: format_ident!("j"),
                range: quote!(0..#m),
                body: vec![Stmt::Update {
                    acc: format_ident!("s"),
                    how: Update::Add,
                    value: rhs("v0^2", vec![element("h", &[quote!(j)])]),
                }],
            },
        ],
        value: rhs("v0", vec![name("s")]),
        optimizers: Default::default(),
    }
}

fn pretty(tokens: TokenStream) -> String {
    prettyplease::unparse(&syn::parse2(tokens).expect("the generated code parses"))
}

#[test]
fn code_is_the_same_for_any_length_up_to_the_constants() {
    // Tokens, not pretty text: longer numbers wrap lines differently.
    let small = generate_loops(&layer(3, 2)).to_string();
    let large = generate_loops(&layer(3072, 100)).to_string();
    let normalize = |s: &str| s.replace("3072", "3").replace("100", "2");
    assert_eq!(normalize(&large), small);
    let small = pretty(generate_loops(&layer(3, 2)));
    println!("{small}");
    assert!(small.contains("for i in 0..3"), "{small}");
}

/// `fn logistic(w: &[f64; 3], xs: &[[f64; 3]], ys: &[f64]) -> f64`: the mean
/// cross-entropy over data rows.
fn logistic() -> LoopFn {
    LoopFn {
        name: format_ident!("logistic"),
        vis: quote!(),
        attrs: quote!(),
        generics: quote!(),
        generic_args: quote!(),
        float: Default::default(),
        params: vec![
            param(
                "w",
                quote!(&[f64; 3]),
                ParamKind::Array(vec![quote!(3)]),
                true,
            ),
            param("xs", quote!(&[[f64; 3]]), ParamKind::Slice, false),
            param("ys", quote!(&[f64]), ParamKind::Slice, false),
        ],
        body: vec![
            Stmt::Acc {
                name: format_ident!("loss"),
                init: Rhs::zero(),
            },
            Stmt::For {
                var: format_ident!("r"),
                range: quote!(0..xs.len()),
                body: vec![
                    Stmt::Acc {
                        name: format_ident!("z"),
                        init: Rhs::zero(),
                    },
                    Stmt::For {
                        var: format_ident!("k"),
                        range: quote!(0..3),
                        body: vec![Stmt::Update {
                            acc: format_ident!("z"),
                            how: Update::Add,
                            value: rhs(
                                "v0 v1",
                                vec![
                                    element("w", &[quote!(k)]),
                                    element("xs", &[quote!(r), quote!(k)]),
                                ],
                            ),
                        }],
                    },
                    Stmt::Update {
                        acc: format_ident!("loss"),
                        how: Update::Sub,
                        value: rhs(
                            "v1 ln(σ(v0)) + (1 - v1) ln(1 - σ(v0))",
                            vec![name("z"), element("ys", &[quote!(r)])],
                        ),
                    },
                ],
            },
        ],
        value: rhs("v0 / v1", vec![name("loss"), Leaf::Count(quote!(xs.len()))]),
        optimizers: Default::default(),
    }
}

/// A loss summed over data rows runs its rows once: the sum's adjoint (`1/n`) is known
/// before the loop, so each row's backward pass follows its forward pass.
#[test]
fn a_sum_over_rows_is_one_pass() {
    let code = pretty(generate_loops(&logistic()));
    let grad_into = &code[code.find("pub fn grad_into").expect("grad_into")..];
    assert_eq!(grad_into.matches("for r in").count(), 1, "{grad_into}");
    assert!(grad_into.contains("let mut d_loss: f64 ="), "{grad_into}");
}
