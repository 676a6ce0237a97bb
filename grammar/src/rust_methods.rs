//! The float methods of Rust that mean a function of the language, for `#[derive_grad]`'s
//! Rust-body form: `x.sin()` and `f64::sin(x)` are `sin(x)`, `x.log(b)` is `log(x, b)`.

use crate::ast::{Expr, ExprKind, Func, MulOp, Span};

/// What a float method means; [`RustMethod::from_name`] looks one up.
///
/// ```
/// use symgrad_grammar::{Func, RustMethod};
/// assert_eq!(RustMethod::from_name("log"), Some(RustMethod::Call(Func::LogBase)));
/// assert_eq!(RustMethod::from_name("log").map(RustMethod::arity), Some(2));
/// assert_eq!(RustMethod::from_name("recip"), Some(RustMethod::Recip));
/// assert_eq!(RustMethod::from_name("sigmoid"), None);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RustMethod {
    /// `x.f(a…)` is the function call `f(x, a…)`: `x.powf(y)` is `pow(x, y)`.
    Call(Func),
    /// `x.powi(n)` is `pow(x, n)`. Rust takes an `i32`; the caller checks that `n` is a
    /// constant integer, which takes lowering to know (`2 * 1.5` is one).
    Powi,
    /// `x.recip()` is `1/x`.
    Recip,
}

/// Every method accepted, in the order error messages list them.
const TABLE: [(&str, RustMethod); 25] = [
    ("exp", RustMethod::Call(Func::Exp)),
    ("ln", RustMethod::Call(Func::Ln)),
    ("log", RustMethod::Call(Func::LogBase)),
    ("log2", RustMethod::Call(Func::Log2)),
    ("log10", RustMethod::Call(Func::Log10)),
    ("sqrt", RustMethod::Call(Func::Sqrt)),
    ("abs", RustMethod::Call(Func::Abs)),
    ("sin", RustMethod::Call(Func::Sin)),
    ("cos", RustMethod::Call(Func::Cos)),
    ("tan", RustMethod::Call(Func::Tan)),
    ("asin", RustMethod::Call(Func::Asin)),
    ("acos", RustMethod::Call(Func::Acos)),
    ("atan", RustMethod::Call(Func::Atan)),
    ("sinh", RustMethod::Call(Func::Sinh)),
    ("cosh", RustMethod::Call(Func::Cosh)),
    ("tanh", RustMethod::Call(Func::Tanh)),
    ("powi", RustMethod::Powi),
    ("powf", RustMethod::Call(Func::Pow)),
    ("recip", RustMethod::Recip),
    ("max", RustMethod::Call(Func::Max)),
    ("min", RustMethod::Call(Func::Min)),
    ("exp_m1", RustMethod::Call(Func::ExpM1)),
    ("ln_1p", RustMethod::Call(Func::Ln1p)),
    ("hypot", RustMethod::Call(Func::Hypot)),
    ("clamp", RustMethod::Call(Func::Clamp)),
];

impl RustMethod {
    /// The method called `name` (as in `x.name()` or `f64::name(x)`), if it is accepted.
    pub fn from_name(name: &str) -> Option<RustMethod> {
        TABLE.iter().find(|(n, _)| *n == name).map(|&(_, m)| m)
    }

    /// Every accepted method's name, in the order error messages list them.
    pub fn names() -> impl Iterator<Item = &'static str> {
        TABLE.iter().map(|&(name, _)| name)
    }

    /// Number of operands, the receiver included: 2 for `x.log(b)`.
    pub fn arity(self) -> usize {
        match self {
            RustMethod::Call(f) => f.arity(),
            RustMethod::Powi => 2,
            RustMethod::Recip => 1,
        }
    }

    /// The expression `args[0].method(args[1..])`, spanning `span`; `args` has
    /// [`RustMethod::arity`] operands.
    pub fn apply(self, mut args: Vec<Expr>, span: Span) -> Expr {
        let kind = match self {
            RustMethod::Call(f) => ExprKind::Call(f, args),
            RustMethod::Powi => ExprKind::Call(Func::Pow, args),
            RustMethod::Recip => {
                let one = Expr {
                    kind: ExprKind::Number(1.0),
                    span,
                };
                let x = args.swap_remove(0);
                ExprKind::Product(vec![(MulOp::Mul, one), (MulOp::Div, x)])
            }
        };
        Expr { kind, span }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_method_but_powi_and_recip_names_its_function() {
        for name in RustMethod::names() {
            match RustMethod::from_name(name) {
                Some(RustMethod::Call(f)) if name == "powf" => assert_eq!(f, Func::Pow),
                Some(RustMethod::Call(f)) => assert_eq!(f.name(), name),
                Some(RustMethod::Powi | RustMethod::Recip) => {
                    assert!(matches!(name, "powi" | "recip"), "{name}")
                }
                None => panic!("`{name}` is listed but not found"),
            }
        }
    }

    #[test]
    fn arities_count_the_receiver() {
        let arity = |name| RustMethod::from_name(name).map(RustMethod::arity);
        for (name, expected) in [("sin", 1), ("recip", 1), ("log", 2), ("powi", 2)] {
            assert_eq!(arity(name), Some(expected), "{name}");
        }
        assert_eq!(arity("powf"), Some(2));
        assert_eq!(arity("max"), Some(2));
        assert_eq!(arity("hypot"), Some(2));
        assert_eq!(arity("clamp"), Some(3));
        // Rust's signum(±0.0) is ±1.0, not sign's 0: the body form rejects it.
        assert_eq!(arity("signum"), None);
    }

    #[test]
    fn functions_without_a_rust_method_are_not_methods() {
        for name in ["sigmoid", "σ", "softplus", "relu", "pow", "cbrt"] {
            assert_eq!(RustMethod::from_name(name), None, "{name}");
        }
    }

    #[test]
    fn recip_is_one_over_x() {
        let x = Expr {
            kind: ExprKind::Number(4.0),
            span: Span::default(),
        };
        let e = RustMethod::Recip.apply(vec![x.clone()], Span::default());
        let one = Expr {
            kind: ExprKind::Number(1.0),
            span: Span::default(),
        };
        assert_eq!(
            e.kind,
            ExprKind::Product(vec![(MulOp::Mul, one), (MulOp::Div, x)])
        );
    }
}
