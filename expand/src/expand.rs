//! parse → validate → differentiate → generate, collecting every error on the way.

use proc_macro2::TokenStream;
use symgrad_core::{
    CodegenOptions, Gradient, HessianVectorProduct, ManyOutputs, Optimizers, OutputShape,
    SecondOrder, generate_many, generate_with, generate_with_hvp,
};
use syn::Ident;

use crate::errors::{Errors, list};
use crate::item::GradFn;
use crate::options::Options;
use crate::signature::{self, Params};
use crate::stubs::{many_stubs, stubs};
use crate::{body, depth, formula};

/// The expansion of `#[derive_grad(attr)] item`: the generated items, or `compile_error!`s
/// (spanned on the tokens of `attr` and `item`) followed by stubs of the items the user
/// calls. It never panics on user input.
pub fn derive_grad(attr: TokenStream, item: TokenStream) -> TokenStream {
    if let Some(error) = depth::too_deep(&item) {
        return error.into_compile_error();
    }
    let item: GradFn = match syn::parse2(item) {
        Ok(item) => item,
        Err(e) => {
            let message = format!("`derive_grad` goes on a function `fn f(x: f64, …) -> f64`: {e}");
            return syn::Error::new(e.span(), message).into_compile_error();
        }
    };
    let mut errors = Errors::default();
    let options = errors.ok(syn::parse2::<Options>(attr));
    if crate::arrays::is_array_fn(&item.sig) {
        let mut options = options;
        if let Some(o) = &mut options {
            for problem in std::mem::take(&mut o.problems) {
                errors.push(problem);
            }
        }
        return crate::arrays::derive(&item, options, errors);
    }
    // The signature's errors follow the attribute's, as they do in the source.
    let mut signature_errors = Errors::default();
    let params = signature::check(&item.sig, &mut signature_errors);
    let attribute_parsed = options.is_some();
    let mut parsed = options.unwrap_or_default();
    for problem in std::mem::take(&mut parsed.problems) {
        errors.push(problem);
    }
    let wrt = resolve_wrt(&parsed, &params, &mut errors);
    let test_points = resolve_test_points(&parsed, &params, &mut errors);
    for keyword in [&parsed.hessian, &parsed.hvp].into_iter().flatten() {
        if params.names.is_empty() {
            errors.at(
                keyword,
                format!(
                    "`{keyword}` needs a parameter to differentiate, and the function has none"
                ),
            );
        }
    }
    errors.append(signature_errors);
    // Without the attribute's arguments, whether a formula was meant is unknown.
    let formula = if attribute_parsed {
        formula_of(&item, &parsed, &params, &mut errors)
    } else {
        None
    };
    if let Some(outputs) = &formula {
        check_outputs(&item, &parsed, &params, outputs, &mut errors);
    }
    let many = match &formula {
        Some(outputs) => is_many(&params, outputs),
        None => params.outputs.is_some(),
    };
    let optimizers = resolve_optimizers(&parsed, wrt.len() < params.names.len(), many, &mut errors);
    match formula {
        Some(outputs) if errors.is_empty() && is_many(&params, &outputs) => {
            let many = ManyOutputs::new(&outputs.formulas, &wrt);
            let shape = params
                .outputs
                .as_ref()
                .map_or(OutputShape::Array, |(shape, _, _)| *shape);
            let codegen = codegen_options(&item, params, test_points, optimizers);
            generate_many(&many, shape, &codegen)
        }
        Some(mut outputs) if errors.is_empty() => {
            let formula = outputs.formulas.remove(0);
            let gradient = Gradient::new(&formula, &wrt);
            let codegen = codegen_options(&item, params, test_points, optimizers);
            match (&parsed.hessian, &parsed.hvp) {
                (None, Some(_)) => {
                    let hvp = HessianVectorProduct::new(&formula, &wrt);
                    generate_with_hvp(&gradient, &hvp, &codegen)
                }
                (hessian, _) => {
                    let second = hessian.is_some().then(|| SecondOrder::new(&formula, &wrt));
                    generate_with(&gradient, second.as_ref(), &codegen)
                }
            }
        }
        _ => {
            let wrt_names: Vec<String> = wrt
                .iter()
                .map(|&i| params.names[i as usize].clone())
                .collect();
            let mut out = errors.into_compile_errors();
            out.extend(match &params.outputs {
                Some((_, m, _)) => many_stubs(&item, params.float, &wrt_names, *m),
                None => stubs(
                    &item,
                    params.float,
                    &wrt_names,
                    parsed.hessian.is_some() || parsed.hvp.is_some(),
                ),
            });
            out
        }
    }
}

/// What the generator needs of the function.
fn codegen_options(
    item: &GradFn,
    params: Params,
    test_points: Vec<Vec<f64>>,
    optimizers: Optimizers,
) -> CodegenOptions {
    CodegenOptions {
        optimizers,
        name: item.sig.ident.clone(),
        params: params.idents,
        float: params.float,
        vis: quote::ToTokens::to_token_stream(&item.vis),
        attrs: item.attr_tokens(),
        test_points,
    }
}

/// The optimizer crates asked for, once their combination with the function's shape is
/// checked: levenberg-marquardt needs residuals, many outputs or rows of data (the
/// parameters outside `wrt`), and rows of data are not argmin's fixed data.
fn resolve_optimizers(
    options: &Options,
    has_data: bool,
    many: bool,
    errors: &mut Errors,
) -> Optimizers {
    let argmin = options.argmin.as_ref().map(|(_, types)| *types);
    if let Some(keyword) = &options.levenberg_marquardt {
        if !many && !has_data {
            errors.at(
                keyword,
                "`levenberg_marquardt` needs residuals: many outputs (`-> [f64; m]`), or the \
                 residual of one data row with its data outside `wrt(…)` (`fn r(a: f64, \
                 b: f64, t: f64, y: f64) -> f64` with `wrt(a, b)`); `argmin` minimizes one \
                 output",
            );
        }
        if let (Some((argmin_keyword, _)), false, true) = (&options.argmin, many, has_data) {
            errors.at(
                argmin_keyword,
                "`argmin` and `levenberg_marquardt` share `Problem`, whose data are rows of \
                 residuals for levenberg-marquardt and fixed values for argmin; derive one of \
                 them on this function",
            );
        }
    }
    Optimizers {
        argmin,
        levenberg_marquardt: options.levenberg_marquardt.is_some(),
    }
}

/// Whether the function has many outputs: a return type that says so, or more than one
/// formula (whose mismatch with a scalar return type [`check_outputs`] reports).
fn is_many(params: &Params, outputs: &body::Outputs) -> bool {
    params.outputs.is_some() || outputs.formulas.len() > 1
}

/// The number of outputs agrees between the return type and the formula, and `hessian`,
/// which needs one output, is not given with many (`test_at` checks the Jacobian there).
fn check_outputs(
    item: &GradFn,
    options: &Options,
    params: &Params,
    outputs: &body::Outputs,
    errors: &mut Errors,
) {
    let m = outputs.formulas.len();
    let what = if outputs.tail.is_some() {
        "the body's value has"
    } else if options.formula.is_some() {
        "the formula string has"
    } else {
        "the body has"
    };
    match &params.outputs {
        Some((_, declared, ty)) if *declared != m && *declared > 0 => {
            let at: &dyn quote::ToTokens = match &outputs.tail {
                Some((_, tail)) => tail,
                None => ty,
            };
            errors.at(
                at,
                format!(
                    "the return type has {declared} outputs but {what} {m}; give as many outputs as the return type"
                ),
            );
        }
        None if m > 1 || outputs.tail.is_some() => {
            let float = params.float;
            let float = quote::quote!(#float).to_string();
            let array = format!("`-> [{float}; {m}]`");
            let suggestion = if m == 1 {
                format!("{array}, or make the value a number")
            } else {
                format!("{array} or `-> ({})`", vec![float.as_str(); m].join(", "))
            };
            let at: &dyn quote::ToTokens = match &item.sig.output {
                syn::ReturnType::Type(_, ty) => ty,
                syn::ReturnType::Default => &item.sig.ident,
            };
            let plural = if m == 1 { "" } else { "s" };
            errors.at(
                at,
                format!("{what} {m} output{plural} but the return type is one number; write {suggestion}"),
            );
        }
        _ => {}
    }
    for keyword in [&options.hessian, &options.hvp].into_iter().flatten() {
        if is_many(params, outputs) {
            errors.at(
                keyword,
                format!("`{keyword}` is for a function of one output; with many outputs use `jacobian`, `vjp` and `jvp`, or one function per output with `{keyword}`"),
            );
        }
    }
}

/// The formulas of the string or of the body, whichever the user gave.
fn formula_of(
    item: &GradFn,
    options: &Options,
    params: &Params,
    errors: &mut Errors,
) -> Option<body::Outputs> {
    match (&options.formula, &item.body) {
        (Some(lit), Some(body)) => {
            errors.at(
                lit,
                "a formula string and a function body; give one: remove the string or the body",
            );
            errors.push(syn::Error::new(
                body.brace_token.span.join(),
                "the body is here",
            ));
            None
        }
        (Some(lit), None) => errors
            .ok(formula::parse(lit, &params.names))
            .map(|formulas| body::Outputs {
                formulas,
                tail: None,
            }),
        (None, Some(body)) => body::lower(body, &params.names, errors),
        (None, None) => {
            errors.at(
                &item.sig.ident,
                "no formula: write `#[derive_grad(\"…\")]` on a function without body, or give the function a body",
            );
            None
        }
    }
}

/// Positions of the `wrt(…)` names, or of every parameter.
fn resolve_wrt(options: &Options, params: &Params, errors: &mut Errors) -> Vec<u32> {
    let all = || (0..params.names.len() as u32).collect();
    let Some((keyword, names)) = &options.wrt else {
        return all();
    };
    if names.is_empty() {
        errors.at(keyword, "`wrt` needs at least one parameter: `wrt(x)`");
        return all();
    }
    let mut wrt = Vec::new();
    for name in names {
        match position(params, name) {
            Some(i) if wrt.contains(&i) => {
                errors.at(name, format!("`{name}` is listed twice in `wrt`"))
            }
            Some(i) => wrt.push(i),
            None => errors.at(
                name,
                format!(
                    "unknown parameter `{name}` in `wrt`; the parameters are {}",
                    list(&params.names)
                ),
            ),
        }
    }
    wrt
}

/// One value per parameter for each `test_at(…)`.
fn resolve_test_points(options: &Options, params: &Params, errors: &mut Errors) -> Vec<Vec<f64>> {
    let mut points = Vec::new();
    for (keyword, pairs) in &options.test_at {
        let mut point: Vec<Option<f64>> = vec![None; params.names.len()];
        for (name, value) in pairs {
            match position(params, name) {
                Some(i) if point[i as usize].is_some() => {
                    errors.at(name, format!("`{name}` is given twice in `test_at`"));
                }
                Some(i) => point[i as usize] = Some(*value),
                None => errors.at(
                    name,
                    format!(
                        "unknown parameter `{name}` in `test_at`; the parameters are {}",
                        list(&params.names)
                    ),
                ),
            }
        }
        let missing: Vec<&String> = params
            .names
            .iter()
            .zip(&point)
            .filter(|(_, v)| v.is_none())
            .map(|(n, _)| n)
            .collect();
        if missing.is_empty() {
            points.push(point.into_iter().flatten().collect());
        } else {
            errors.at(
                keyword,
                format!("`test_at` has no value for {}", list(missing)),
            );
        }
    }
    points
}

fn position(params: &Params, name: &Ident) -> Option<u32> {
    let name = syn::ext::IdentExt::unraw(name).to_string();
    params
        .names
        .iter()
        .position(|p| *p == name)
        .map(|i| i as u32)
}

#[cfg(test)]
mod tests {
    use proc_macro2::TokenStream;
    use quote::quote;

    use super::derive_grad;

    /// The expansion, which must always be valid Rust items.
    fn expand(attr: TokenStream, item: TokenStream) -> String {
        let out = derive_grad(attr, item);
        syn::parse2::<syn::File>(out.clone()).expect("the expansion is a list of items");
        out.to_string()
    }

    #[test]
    fn the_neuron_expands_to_the_api() {
        let out = expand(
            quote!("1/(1+e^-(w0x0+w1x1+w2))"),
            quote!(
                pub fn neuron(w0: f64, x0: f64, w1: f64, x1: f64, w2: f64) -> f64;
            ),
        );
        for item in [
            "pub fn neuron",
            "pub mod neuron",
            "pub fn grad",
            "pub const WRT",
            "pub fn forward",
            "pub struct Tape",
            "pub fn backward",
        ] {
            assert!(out.contains(item), "`{item}` missing: {out}");
        }
        assert!(!out.contains("compile_error"), "{out}");
    }

    #[test]
    fn both_forms_expand_to_the_same_code() {
        let string = expand(
            quote!("1/(1+e^-(w0x0+w1x1+w2))"),
            quote!(
                pub fn neuron(w0: f64, x0: f64, w1: f64, x1: f64, w2: f64) -> f64;
            ),
        );
        let body = expand(
            quote!(),
            quote!(
                pub fn neuron(w0: f64, x0: f64, w1: f64, x1: f64, w2: f64) -> f64 {
                    let s = w0 * x0 + w1 * x1 + w2;
                    1.0 / (1.0 + (-s).exp())
                }
            ),
        );
        assert_eq!(string, body);
    }

    #[test]
    fn both_forms_of_one_formula_expand_alike() {
        for (string, body) in [
            ("x - y + z", quote!(x - y + z)),
            ("x/y*sin(z)", quote!(x / y * z.sin())),
            (
                "1/x + ln_1p(y) - exp_m1(z)",
                quote!(x.recip() + y.ln_1p() - z.exp_m1()),
            ),
            ("log(x, y)^3 - z", quote!(x.log(y).powi(3) - z)),
        ] {
            let string = expand(
                quote!(#string),
                quote!(
                    fn f(x: f64, y: f64, z: f64) -> f64;
                ),
            );
            let body = expand(
                quote!(),
                quote!(fn f(x: f64, y: f64, z: f64) -> f64 { #body }),
            );
            assert_eq!(string, body);
        }
    }

    #[test]
    fn errors_come_with_stubs() {
        let out = expand(
            quote!(),
            quote!(
                fn f(x: f64, y: i32) -> f64 {
                    x % 2.0
                }
            ),
        );
        assert_eq!(out.matches("compile_error").count(), 2, "{out}");
        assert!(
            out.contains("pub fn grad") && out.contains("unreachable"),
            "{out}"
        );
    }

    #[test]
    fn not_a_function_is_an_error() {
        let out = expand(
            quote!("x"),
            quote!(
                struct S;
            ),
        );
        assert!(out.contains("`derive_grad` goes on a function"), "{out}");
    }

    #[test]
    fn a_body_as_deep_as_rustc_accepts_is_an_error_not_a_stack_overflow() {
        // rustc alone compiles 1000 nested parentheses (not 2000); syn inside the macro
        // overflowed rustc's stack on them before the token-level depth check.
        for open in ["(", "-", "-("] {
            let close = if open.ends_with('(') { ")" } else { "" };
            let body = format!("{}x{}", open.repeat(1000), close.repeat(1000));
            let item: TokenStream = format!("fn f(x: f64) -> f64 {{ {body} }}")
                .parse()
                .expect("balanced parentheses tokenize");
            let out = expand(quote!(), item);
            assert!(out.contains("nested too deeply"), "{open}: {out}");
        }
    }

    #[test]
    fn hostile_inputs_give_errors_not_panics() {
        let deep_body: TokenStream = format!(
            "fn f(x: f64) -> f64 {{ {}x{} }}",
            "(".repeat(400),
            ")".repeat(400)
        )
        .parse()
        .expect("balanced parentheses tokenize");
        let out = expand(quote!(), deep_body);
        assert!(out.contains("nested too deeply"), "{out}");

        let deep_string = format!("{}x{}", "(".repeat(100_000), ")".repeat(100_000));
        let out = expand(
            quote!(#deep_string),
            quote!(
                fn f(x: f64) -> f64;
            ),
        );
        assert!(out.contains("nested too deeply"), "{out}");

        for (attr, item) in [
            (
                quote!(""),
                quote!(
                    fn f(x: f64) -> f64;
                ),
            ),
            (
                quote!("x", "y"),
                quote!(
                    fn f(x: f64) -> f64;
                ),
            ),
            (
                quote!(wrt()),
                quote!(
                    fn f(x: f64) -> f64 {
                        x
                    }
                ),
            ),
            (
                quote!(test_at(x = "one")),
                quote!(
                    fn f(x: f64) -> f64 {
                        x
                    }
                ),
            ),
            (
                quote!(42),
                quote!(
                    fn f(x: f64) -> f64 {
                        x
                    }
                ),
            ),
            (
                quote!(),
                quote!(
                    fn f<T>(self, x: T) -> T {
                        x
                    }
                ),
            ),
            (
                quote!(),
                quote!(
                    async unsafe extern "C" fn f(mut x: f64, (a, b): (f64, f64)) -> f64 {
                        x
                    }
                ),
            ),
            (
                quote!(),
                quote!(
                    fn f(x: f64) -> f64 {
                        let (a, b) = (x, x);
                        let c;
                        x.powi(x) + f64::exp() + x.log(1.0, 2.0)
                    }
                ),
            ),
            (
                quote!(),
                quote!(
                    fn f(x: f64) -> f64 {
                        let y = x;
                    }
                ),
            ),
            (
                quote!(),
                quote!(
                    fn f(x: f64) -> f64 {}
                ),
            ),
            (
                quote!(),
                quote!(
                    fn f(x: f64) -> f64 {
                        "x" + E + std::f64::consts::TAU + x as f64
                    }
                ),
            ),
        ] {
            let out = expand(attr.clone(), item.clone());
            assert!(out.contains("compile_error"), "`{attr}` on `{item}`: {out}");
        }
    }

    #[test]
    fn long_chains_are_flat_not_deep() {
        let terms: Vec<String> = (0..1000).map(|i| format!("x * {i}.5 / x")).collect();
        let item: TokenStream = format!("fn f(x: f64) -> f64 {{ {} }}", terms.join(" - "))
            .parse()
            .expect("the chain tokenizes");
        assert!(!expand(quote!(), item).contains("compile_error"));
        let out = expand(
            quote!(),
            quote!(
                fn f(x: f64, y: f64) -> f64 {
                    x % y * x
                }
            ),
        );
        assert!(out.contains("unsupported operator `%`"), "{out}");
    }

    #[test]
    fn many_parameters_and_unicode_names_work() {
        let names: Vec<syn::Ident> = (0..300usize)
            .map(|i| quote::format_ident!("x{}", i))
            .collect();
        let formula = names
            .iter()
            .map(|n| n.to_string())
            .collect::<Vec<_>>()
            .join(" + ");
        let out = expand(quote!(#formula), quote!(fn f(#(#names: f64),*) -> f64;));
        assert!(!out.contains("compile_error"));
        let unicode: TokenStream = "fn f(θ: f64) -> f64;".parse().expect("θ is an identifier");
        let out = expand(quote!("θ^2"), unicode);
        assert!(!out.contains("compile_error"), "{out}");
    }
}
