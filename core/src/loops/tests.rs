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
            LoopParam {
                name: format_ident!("w"),
                ty: quote!(&[[f64; #n]; #m]),
                kind: ParamKind::Array(vec![quote!(#m), quote!(#n)]),
                wrt: true,
            },
            LoopParam {
                name: format_ident!("x"),
                ty: quote!(&[f64; #n]),
                kind: ParamKind::Array(vec![quote!(#n)]),
                wrt: true,
            },
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
                        init: rhs("0", vec![]),
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
                init: rhs("0", vec![]),
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
    }
}

fn pretty(tokens: TokenStream) -> String {
    prettyplease::unparse(&syn::parse2(tokens).expect("the generated code parses"))
}

#[test]
fn code_is_the_same_for_any_length_up_to_the_constants() {
    let small = pretty(generate_loops(&layer(3, 2)));
    let large = pretty(generate_loops(&layer(3072, 100)));
    let normalize = |s: &str| s.replace("3072", "3").replace("100", "2");
    assert_eq!(normalize(&large), small);
    println!("{small}");
    assert!(small.contains("for i in 0..3"), "{small}");
}
