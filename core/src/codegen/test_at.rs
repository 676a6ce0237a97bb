//! The `test_at(…)` option: a `#[test]` in the user's crate that compares `f::grad` (one
//! output) or every row of `f::jacobian` (many outputs) with central differences of `f`.
//! The comparison is one function, compiled and unit-tested here and emitted verbatim as
//! `mod f::check`.

use proc_macro2::{Ident, Literal, TokenStream};
use quote::{format_ident, quote};

use crate::codegen::rust_syntax::float_literal;
use crate::codegen::{Float, OutputShape};
use crate::emitted::{emit_module, emitted_items};

emitted_items! {
    /// The gradient check, generic over the float type `F`.
    mod check_items {
        central_difference => /// `(f(x + h·eᵢ) - f(x - h·eᵢ)) / step` in coordinate `i` of `point`, where `step` is
        /// the step actually taken (rounding of `x ± h` changes it); also the two values of
        /// `f`, which the difference's rounding noise scales with.
        pub fn central_difference(f: &dyn Fn(&[F]) -> F, point: &[F], i: usize, h: F) -> (F, F, F) {
            let mut p = point.to_vec();
            p[i] = point[i] + h;
            let above = f(&p);
            p[i] = point[i] - h;
            let below = f(&p);
            let taken = (point[i] + h) - (point[i] - h);
            ((above - below) / taken, above, below)
        }
        check_gradient => /// Compares `analytic[k]`, the partial derivative of `f` by `point[wrt[k]]`,
        /// with a central difference, `Err` naming the first that disagrees.
        pub fn check_gradient(
            f: &dyn Fn(&[F]) -> F,
            point: &[F],
            wrt: &[usize],
            names: &[&str],
            analytic: &[F],
        ) -> Result<(), String> {
            // A step of ε^(1/3) balances the truncation error (∝ h²) against rounding
            // (∝ ε/h); both then are about ε^(2/3), far below the tolerance.
            let step = F::EPSILON.cbrt();
            let tolerance = 1000.0 * step * step;
            let value = f(point);
            for (k, &i) in wrt.iter().enumerate() {
                let (numeric, _, _) = central_difference(f, point, i, step * point[i].abs().max(1.0));
                let scale = analytic[k].abs().max(numeric.abs()).max(value.abs()).max(1.0);
                let error = (analytic[k] - numeric).abs();
                if error.is_nan() || error > tolerance * scale {
                    return Err(format!(
                        "∂/∂{} at {:?}: analytic {} but central difference {} (error {}, tolerance {})",
                        names[k], point, analytic[k], numeric, error, tolerance * scale
                    ));
                }
            }
            Ok(())
        }
        check_jacobian => /// Compares row `i` of `jacobian`, the partial derivatives of output `i` by
        /// `point[wrt[k]]`, with central differences of `f(·, i)`, that output, for every
        /// row; `Err` naming the output and the first partial that disagrees.
        pub fn check_jacobian<const K: usize>(
            f: &dyn Fn(&[F], usize) -> F,
            point: &[F],
            wrt: &[usize],
            names: &[&str],
            jacobian: &[[F; K]],
        ) -> Result<(), String> {
            for (i, row) in jacobian.iter().enumerate() {
                let output = |p: &[F]| f(p, i);
                check_gradient(&output, point, wrt, names, row)
                    .map_err(|message| format!("output {i}: {message}"))?;
            }
            Ok(())
        }
    }
}

/// What a `test_at` point checks.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Checked {
    /// `grad` of the one output.
    Grad,
    /// Every row of `jacobian`, for `f` returning `outputs` values shaped as `shape`.
    Jacobian { outputs: usize, shape: OutputShape },
}

/// `mod check` and one `#[test]` per point, to go inside the generated `mod f`; nothing
/// without points. `f` is the forward function, `params` its parameters, `wrt` the
/// differentiated parameters' positions, `checked` whether `grad` or `jacobian` is tested.
pub(crate) fn tests(
    f: &Ident,
    params: &[Ident],
    wrt: &[u32],
    float: Float,
    points: &[Vec<f64>],
    checked: Checked,
) -> TokenStream {
    if points.is_empty() {
        return TokenStream::new();
    }
    let module = emit_module(
        quote!(#[cfg(test)] mod check),
        float,
        check_items::SOURCES,
        &["central_difference", "check_gradient", "check_jacobian"],
    );
    let arity = Literal::usize_unsuffixed(params.len());
    let args: Vec<TokenStream> = (0..params.len())
        .map(|i| {
            let i = Literal::usize_unsuffixed(i);
            quote!(p[#i])
        })
        .collect();
    let wrt: Vec<Literal> = wrt
        .iter()
        .map(|&i| Literal::usize_unsuffixed(i as usize))
        .collect();
    let (prefix, analytic, call) = match checked {
        Checked::Grad => (
            "grad",
            quote!(let (_, analytic) = grad(#(#args),*);),
            quote! {
                let f = |p: &[#float]| super::#f(#(#args),*);
                check::check_gradient(&f, &point, &[#(#wrt),*], &WRT, &analytic)
            },
        ),
        Checked::Jacobian { outputs, shape } => {
            let each = (0..outputs).map(Literal::usize_unsuffixed);
            let as_array = match shape {
                OutputShape::Array => quote!(outputs),
                OutputShape::Tuple => quote!([#(outputs.#each),*]),
            };
            (
                "jacobian",
                quote!(let (_, analytic) = jacobian(#(#args),*);),
                quote! {
                    let f = |p: &[#float], i: usize| {
                        let outputs = super::#f(#(#args),*);
                        #as_array[i]
                    };
                    check::check_jacobian(&f, &point, &[#(#wrt),*], &WRT, &analytic)
                },
            )
        }
    };
    let tests = points.iter().enumerate().map(|(n, point)| {
        let name = format_ident!("{}_matches_central_differences_at_point_{}", prefix, n + 1);
        let values = point.iter().map(|&v| float_literal(float, v).0);
        quote! {
            #[test]
            fn #name() {
                let point: [#float; #arity] = [#(#values),*];
                let p = &point;
                #analytic
                if let Err(message) = { #call } {
                    panic!("{}", message);
                }
            }
        }
    });
    quote! {
        #module
        #(#[cfg(test)] #tests)*
    }
}

#[cfg(test)]
mod tests {
    use super::check_items::{f32 as c32, f64 as c64};

    fn neuron(p: &[f64]) -> f64 {
        1.0 / (1.0 + (-(p[0] * p[1] + p[2] * p[3] + p[4])).exp())
    }

    const LECTURE: [f64; 5] = [2.0, -1.0, -3.0, -2.0, -3.0];
    const NAMES: [&str; 5] = ["w0", "x0", "w1", "x1", "w2"];

    #[test]
    fn the_lectures_gradient_passes() {
        let analytic = [
            -0.19661193324148185,
            0.39322386648296376,
            -0.3932238664829637,
            -0.5898357997244456,
            0.19661193324148185,
        ];
        assert_eq!(
            c64::check_gradient(&neuron, &LECTURE, &[0, 1, 2, 3, 4], &NAMES, &analytic),
            Ok(())
        );
    }

    #[test]
    fn a_wrong_partial_fails_and_names_it() {
        let wrong = [
            -0.19661193324148185,
            0.39322386648296376,
            -0.3932238664829637,
            -0.59,
            0.19661193324148185,
        ];
        let err = c64::check_gradient(&neuron, &LECTURE, &[0, 1, 2, 3, 4], &NAMES, &wrong)
            .expect_err("0.59 is off by 1e-4");
        assert!(err.starts_with("∂/∂x1 at"), "{err}");
    }

    #[test]
    fn a_nan_partial_fails() {
        let square = |p: &[f64]| p[0] * p[0];
        assert!(c64::check_gradient(&square, &[3.0], &[0], &["x"], &[f64::NAN]).is_err());
    }

    #[test]
    fn a_subset_of_parameters_is_checked_in_wrt_order() {
        let f = |p: &[f64]| p[0] * p[1].sin();
        let at = [2.0, 0.5];
        assert_eq!(
            c64::check_gradient(&f, &at, &[1], &["y"], &[2.0 * 0.5f64.cos()]),
            Ok(())
        );
        assert!(c64::check_gradient(&f, &at, &[1], &["y"], &[0.5f64.sin()]).is_err());
    }

    #[test]
    fn f32_has_a_tolerance_fit_for_f32() {
        let f = |p: &[f32]| p[0].exp();
        assert_eq!(
            c32::check_gradient(&f, &[1.5], &[0], &["x"], &[1.5f32.exp()]),
            Ok(())
        );
        assert!(c32::check_gradient(&f, &[1.5], &[0], &["x"], &[1.5f32.exp() * 1.1]).is_err());
    }

    /// `(r cos t, r sin t)`, output `i`.
    fn polar(p: &[f64], i: usize) -> f64 {
        [p[0] * p[1].cos(), p[0] * p[1].sin()][i]
    }

    #[test]
    fn every_row_of_a_right_jacobian_passes() {
        let (r, t) = (2.0f64, 0.5f64);
        let jacobian = [[t.cos(), -r * t.sin()], [t.sin(), r * t.cos()]];
        assert_eq!(
            c64::check_jacobian(&polar, &[r, t], &[0, 1], &["r", "t"], &jacobian),
            Ok(())
        );
    }

    #[test]
    fn a_wrong_entry_in_a_later_row_fails_and_names_its_output() {
        let (r, t) = (2.0f64, 0.5f64);
        // ∂(r sin t)/∂t with the sign of ∂(r cos t)/∂t's sine: wrong in row 1 only.
        let jacobian = [[t.cos(), -r * t.sin()], [t.sin(), -r * t.cos()]];
        let err = c64::check_jacobian(&polar, &[r, t], &[0, 1], &["r", "t"], &jacobian)
            .expect_err("row 1's ∂/∂t has the wrong sign");
        assert!(err.starts_with("output 1: ∂/∂t at"), "{err}");
    }

    #[test]
    fn a_jacobian_over_a_subset_of_parameters_is_checked_in_wrt_order() {
        let (r, t) = (2.0f64, 0.5f64);
        let by_t = [[-r * t.sin()], [r * t.cos()]];
        assert_eq!(
            c64::check_jacobian(&polar, &[r, t], &[1], &["t"], &by_t),
            Ok(())
        );
        let by_r_as_if_t = [[t.cos()], [t.sin()]];
        assert!(c64::check_jacobian(&polar, &[r, t], &[1], &["t"], &by_r_as_if_t).is_err());
    }

    #[test]
    fn an_f32_jacobian_is_checked_with_the_f32_tolerance() {
        let f = |p: &[f32], i: usize| [p[0].exp(), p[0] * p[0]][i];
        let x = 1.5f32;
        assert_eq!(
            c32::check_jacobian(&f, &[x], &[0], &["x"], &[[x.exp()], [2.0 * x]]),
            Ok(())
        );
        assert!(c32::check_jacobian(&f, &[x], &[0], &["x"], &[[x.exp()], [2.2 * x]]).is_err());
    }
}
