//! A compact s-expression view of a formula, for tests and debugging:
//! `1/(1+e^-x)` is `(* 1 /(+ 1 (^ e (- x))))`.

use std::fmt::Write as _;

use crate::ast::{Cond, CondKind, Constant, Expr, ExprKind, Formula, MulOp, Sign};

impl Formula {
    /// The expression as an s-expression: `(+ a -b)` for `a - b`, `(* a /b)` for `a/b`,
    /// `(- x)` for `-x`, `(^ x 2)`, `(sin x)`, `(log x b)` for a logarithm in base `b`;
    /// variables by name, constants as `e` and `π`, numbers in shortest form; binding `i`
    /// is `$i`, and the bindings come first: `$0=(* x y) (+ $0 $0)`.
    pub fn to_sexpr(&self) -> String {
        let mut out = String::new();
        for (i, binding) in self.bindings.iter().enumerate() {
            let _ = write!(out, "${i}=");
            write_sexpr(&mut out, binding, &self.vars);
            out.push(' ');
        }
        write_sexpr(&mut out, &self.expr, &self.vars);
        out
    }
}

fn write_sexpr(out: &mut String, expr: &Expr, vars: &[String]) {
    match &expr.kind {
        ExprKind::Number(x) => {
            let _ = write!(out, "{x}");
        }
        ExprKind::Constant(Constant::E) => out.push('e'),
        ExprKind::Constant(Constant::Pi) => out.push('π'),
        ExprKind::Var(v) => match vars.get(v.0) {
            Some(name) => out.push_str(name),
            None => {
                let _ = write!(out, "?{}", v.0);
            }
        },
        ExprKind::Neg(x) => list(out, "-", [("", &**x)], vars),
        ExprKind::Sum(terms) => {
            let items = terms.iter().map(|(sign, term)| {
                let mark = if *sign == Sign::Minus { "-" } else { "" };
                (mark, term)
            });
            list(out, "+", items, vars);
        }
        ExprKind::Product(factors) => {
            let items = factors.iter().map(|(op, factor)| {
                let mark = if *op == MulOp::Div { "/" } else { "" };
                (mark, factor)
            });
            list(out, "*", items, vars);
        }
        ExprKind::Pow(base, exponent) => {
            list(out, "^", [("", &**base), ("", &**exponent)], vars);
        }
        ExprKind::Call(f, args) => list(out, f.name(), args.iter().map(|a| ("", a)), vars),
        ExprKind::Binding(i) => {
            let _ = write!(out, "${}", i.0);
        }
        ExprKind::If(c, a, b) => {
            out.push_str("(if ");
            write_cond(out, c, vars);
            for e in [a, b] {
                out.push(' ');
                write_sexpr(out, e, vars);
            }
            out.push(')');
        }
    }
}

/// `(< a b)`, `(and c0 c1 …)`, `(or c0 c1 …)`, `(not c)`.
fn write_cond(out: &mut String, cond: &Cond, vars: &[String]) {
    let (head, parts): (&str, Vec<&Cond>) = match &cond.kind {
        CondKind::Compare(op, a, b) => {
            return list(out, op.symbol(), [("", &**a), ("", &**b)], vars);
        }
        CondKind::And(parts) => ("and", parts.iter().collect()),
        CondKind::Or(parts) => ("or", parts.iter().collect()),
        CondKind::Not(c) => ("not", vec![&**c]),
    };
    out.push('(');
    out.push_str(head);
    for c in parts {
        out.push(' ');
        write_cond(out, c, vars);
    }
    out.push(')');
}

/// `(head mark0item0 mark1item1 …)`
fn list<'e>(
    out: &mut String,
    head: &str,
    items: impl IntoIterator<Item = (&'static str, &'e Expr)>,
    vars: &[String],
) {
    out.push('(');
    out.push_str(head);
    for (mark, item) in items {
        out.push(' ');
        out.push_str(mark);
        write_sexpr(out, item, vars);
    }
    out.push(')');
}
