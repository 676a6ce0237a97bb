//! The attribute's arguments:
//! `#[derive_grad("formula", wrt(a, b), test_at(a = 1, b = -2.5), hessian, hvp, argmin,
//! levenberg_marquardt)]`, each part optional and `test_at` repeatable.

use proc_macro2::TokenStream;
use symgrad_core::ArgminTypes;
use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::{Ident, LitStr, Token, parenthesized};

/// What the attribute says.
#[derive(Default)]
pub(crate) struct Options {
    /// The formula of the string form.
    pub formula: Option<LitStr>,
    /// `wrt(…)`: the keyword and the names.
    pub wrt: Option<(Ident, Vec<Ident>)>,
    /// Each `test_at(…)`: the keyword and its `name = value` pairs.
    pub test_at: Vec<(Ident, Vec<(Ident, f64)>)>,
    /// `hessian`: also generate `f::hessian` and `f::hvp` (SPEC §6).
    pub hessian: Option<Ident>,
    /// `hvp`: also generate `f::hvp` alone, without the Hessian's O(k²) code.
    pub hvp: Option<Ident>,
    /// `argmin` or `argmin(nalgebra)`: also generate `f::Problem` with argmin's traits
    /// (SPEC §10), over `Vec` or nalgebra's types.
    pub argmin: Option<(Ident, ArgminTypes)>,
    /// `levenberg_marquardt`: `f::Problem` with levenberg-marquardt's `LeastSquaresProblem`.
    pub levenberg_marquardt: Option<Ident>,
    /// Mistakes that leave the meaning clear (`hessian` twice, `hessian(…)`): reported,
    /// while the rest of the attribute still counts, so the stubs include what it asks.
    pub problems: Vec<syn::Error>,
}

/// One comma-separated argument.
enum Argument {
    Formula(LitStr),
    Wrt(Ident, Vec<Ident>),
    TestAt(Ident, Vec<(Ident, f64)>),
    /// `hessian` or `hvp`, with the error of arguments given to it.
    SecondOrder(Ident, Option<syn::Error>),
    /// `argmin`, `argmin(nalgebra)` or `argmin(vec)`.
    Argmin(Ident, ArgminTypes, Option<syn::Error>),
    /// `levenberg_marquardt`, with the error of arguments given to it.
    LevenbergMarquardt(Ident, Option<syn::Error>),
}

/// The keywords the attribute takes, for messages.
const EXPECTED: &str = "`wrt(…)`, `test_at(…)`, `hessian`, `hvp`, `argmin`, `argmin(nalgebra)` or \
     `levenberg_marquardt`";

impl Parse for Options {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let mut options = Options::default();
        let arguments = Punctuated::<Argument, Token![,]>::parse_terminated(input)?;
        for argument in arguments {
            match argument {
                Argument::Formula(lit) => {
                    if options.formula.is_some() {
                        return Err(syn::Error::new_spanned(
                            lit,
                            "a second formula; `derive_grad` takes one string",
                        ));
                    }
                    options.formula = Some(lit);
                }
                Argument::Wrt(keyword, names) => {
                    if options.wrt.is_some() {
                        return Err(syn::Error::new_spanned(
                            keyword,
                            "`wrt` given twice; list every parameter in one `wrt(…)`",
                        ));
                    }
                    options.wrt = Some((keyword, names));
                }
                Argument::TestAt(keyword, point) => options.test_at.push((keyword, point)),
                Argument::SecondOrder(keyword, arguments) => {
                    options.problems.extend(arguments);
                    let slot = if keyword == "hessian" {
                        &mut options.hessian
                    } else {
                        &mut options.hvp
                    };
                    if slot.is_some() {
                        options.problems.push(syn::Error::new_spanned(
                            &keyword,
                            format!("`{keyword}` given twice; write it once"),
                        ));
                    }
                    *slot = Some(keyword);
                }
                Argument::Argmin(keyword, types, problem) => {
                    options.problems.extend(problem);
                    if options.argmin.is_some() {
                        options.problems.push(syn::Error::new_spanned(
                            &keyword,
                            "`argmin` given twice; write it once",
                        ));
                    }
                    options.argmin = Some((keyword, types));
                }
                Argument::LevenbergMarquardt(keyword, problem) => {
                    options.problems.extend(problem);
                    if options.levenberg_marquardt.is_some() {
                        options.problems.push(syn::Error::new_spanned(
                            &keyword,
                            "`levenberg_marquardt` given twice; write it once",
                        ));
                    }
                    options.levenberg_marquardt = Some(keyword);
                }
            }
        }
        Ok(options)
    }
}

impl Parse for Argument {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        if input.peek(LitStr) {
            return Ok(Argument::Formula(input.parse()?));
        }
        let keyword: Ident = input.call(syn::ext::IdentExt::parse_any).map_err(|e| {
            syn::Error::new(e.span(), format!("expected a formula string, {EXPECTED}"))
        })?;
        let content;
        match keyword.to_string().as_str() {
            "wrt" => {
                parenthesized!(content in input);
                let names = Punctuated::<Ident, Token![,]>::parse_terminated(&content)?;
                Ok(Argument::Wrt(keyword, names.into_iter().collect()))
            }
            "test_at" => {
                parenthesized!(content in input);
                let pairs = Punctuated::<Assignment, Token![,]>::parse_terminated(&content)?;
                let pairs = pairs.into_iter().map(|a| (a.name, a.value)).collect();
                Ok(Argument::TestAt(keyword, pairs))
            }
            "hessian" | "hvp" => {
                let mut arguments = None;
                if input.peek(syn::token::Paren) {
                    let paren = parenthesized!(content in input);
                    let _ignored: TokenStream = content.parse()?;
                    arguments = Some(syn::Error::new(
                        paren.span.join(),
                        format!(
                            "`{keyword}` takes no arguments; write `{keyword}` (it covers the `wrt` parameters)"
                        ),
                    ));
                }
                Ok(Argument::SecondOrder(keyword, arguments))
            }
            "argmin" => {
                let (mut types, mut problem) = (ArgminTypes::Vec, None);
                if input.peek(syn::token::Paren) {
                    parenthesized!(content in input);
                    let choice: TokenStream = content.parse()?;
                    match choice.to_string().as_str() {
                        "nalgebra" => types = ArgminTypes::Nalgebra,
                        "vec" => {}
                        _ => {
                            problem = Some(syn::Error::new_spanned(
                                &choice,
                                "`argmin` takes `nalgebra` or `vec`: the types of the point, \
                                 the gradient and the matrices (`Vec` when not given)",
                            ));
                        }
                    }
                }
                Ok(Argument::Argmin(keyword, types, problem))
            }
            "levenberg_marquardt" => {
                let mut problem = None;
                if input.peek(syn::token::Paren) {
                    let paren = parenthesized!(content in input);
                    let _ignored: TokenStream = content.parse()?;
                    problem = Some(syn::Error::new(
                        paren.span.join(),
                        "`levenberg_marquardt` takes no arguments; its types are nalgebra's",
                    ));
                }
                Ok(Argument::LevenbergMarquardt(keyword, problem))
            }
            other => Err(syn::Error::new_spanned(
                &keyword,
                format!("unknown option `{other}`; expected {EXPECTED}"),
            )),
        }
    }
}

/// `name = value`, the value a number with an optional `-`.
struct Assignment {
    name: Ident,
    value: f64,
}

impl Parse for Assignment {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let name: Ident = input.parse()?;
        input.parse::<Token![=]>()?;
        let negative = input.parse::<Option<Token![-]>>()?.is_some();
        let lookahead = input.lookahead1();
        let magnitude = if lookahead.peek(syn::LitFloat) {
            input.parse::<syn::LitFloat>()?.base10_parse::<f64>()?
        } else if lookahead.peek(syn::LitInt) {
            let int: syn::LitInt = input.parse()?;
            int.base10_digits().parse::<f64>().map_err(|_| {
                syn::Error::new_spanned(&int, "expected a number such as `1.0` or `-2`")
            })?
        } else {
            return Err(lookahead.error());
        };
        Ok(Assignment {
            name,
            value: if negative { -magnitude } else { magnitude },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_part_parses() {
        let o: Options = syn::parse_quote!(
            "x*y",
            wrt(y),
            test_at(x = 1, y = -2.5),
            test_at(x = 0.5, y = 3),
            hessian,
            argmin(nalgebra),
            levenberg_marquardt
        );
        assert_eq!(o.formula.map(|f| f.value()), Some("x*y".to_string()));
        assert_eq!(o.argmin.map(|(_, t)| t), Some(ArgminTypes::Nalgebra));
        assert!(o.levenberg_marquardt.is_some());
        assert!(o.problems.is_empty());
        assert_eq!(o.wrt.map(|(_, n)| n.len()), Some(1));
        assert_eq!(o.test_at.len(), 2);
        assert_eq!(o.test_at[0].1[1].1, -2.5);
        assert!(o.hessian.is_some());
        let o: Options = syn::parse_quote!(hvp);
        assert!(o.hvp.is_some() && o.hessian.is_none());
    }

    #[test]
    fn hessian_twice_or_with_arguments_is_an_error() {
        for (attr, message) in [
            (
                quote::quote!(hessian, hessian),
                "`hessian` given twice; write it once",
            ),
            (
                quote::quote!(hessian(x)),
                "`hessian` takes no arguments; write `hessian` (it covers the `wrt` parameters)",
            ),
        ] {
            let options = syn::parse2::<Options>(attr).expect("the attribute still counts");
            assert!(options.hessian.is_some());
            let problems: Vec<String> = options.problems.iter().map(|e| e.to_string()).collect();
            assert_eq!(problems, [message]);
        }
    }

    #[test]
    fn optimizer_options_twice_or_with_wrong_arguments_are_errors() {
        for (attr, message) in [
            (
                quote::quote!(argmin, argmin),
                "`argmin` given twice; write it once",
            ),
            (
                quote::quote!(argmin(ndarray)),
                "`argmin` takes `nalgebra` or `vec`: the types of the point, the gradient and \
                 the matrices (`Vec` when not given)",
            ),
            (
                quote::quote!(levenberg_marquardt(nalgebra)),
                "`levenberg_marquardt` takes no arguments; its types are nalgebra's",
            ),
        ] {
            let options = syn::parse2::<Options>(attr).expect("the attribute still counts");
            let problems: Vec<String> = options.problems.iter().map(|e| e.to_string()).collect();
            assert_eq!(problems, [message]);
        }
        let o: Options = syn::parse_quote!(argmin(vec));
        assert_eq!(o.argmin.map(|(_, t)| t), Some(ArgminTypes::Vec));
    }

    #[test]
    fn an_unknown_option_is_an_error() {
        let Err(err) = syn::parse2::<Options>(quote::quote!(at(x = 1))) else {
            panic!("`at` is not an option");
        };
        assert_eq!(
            err.to_string(),
            format!("unknown option `at`; expected {EXPECTED}")
        );
    }

    #[test]
    fn nothing_is_fine() {
        let o: Options = syn::parse_quote!();
        assert!(o.formula.is_none() && o.wrt.is_none() && o.test_at.is_empty());
        assert!(o.hessian.is_none());
    }
}
