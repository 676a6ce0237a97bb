//! Lowering: the grammar's AST becomes nodes of the DAG. Composite notation is spelled
//! with primitives here (`a - b` = `a + (-1)·b`, `a/b` = `a·b^-1`, `sqrt(x)` = `x^0.5`,
//! `e^u` = `exp(u)`, `log2(x)` = `ln(x)·(1/ln 2)`), so the operation table stays short.

use symgrad_grammar::{Constant, Expr, ExprKind, Formula, Func, MulOp, Sign};

use crate::ir::graph::{Graph, NodeId};
use crate::ops::Op;

/// Adds `formula` to `g` and returns its root. Variable `i` of the formula is
/// `Node::Var(i)`. Recursion depth is bounded by the grammar's nesting limit.
pub fn lower(g: &mut Graph, formula: &Formula) -> NodeId {
    lower_expr(g, &formula.expr)
}

fn lower_expr(g: &mut Graph, e: &Expr) -> NodeId {
    match &e.kind {
        ExprKind::Number(v) => g.constant(*v),
        ExprKind::Constant(c) => g.constant(c.value()),
        ExprKind::Var(i) => {
            g.var(u32::try_from(i.0).expect("variable count is limited by the grammar"))
        }
        ExprKind::Neg(x) => {
            let x = lower_expr(g, x);
            g.neg(x)
        }
        ExprKind::Sum(terms) => {
            let ids: Vec<NodeId> = terms
                .iter()
                .map(|(sign, t)| {
                    let t = lower_expr(g, t);
                    match sign {
                        Sign::Plus => t,
                        Sign::Minus => g.neg(t),
                    }
                })
                .collect();
            g.add(&ids)
        }
        ExprKind::Product(factors) => {
            let ids: Vec<NodeId> = factors
                .iter()
                .map(|(op, f)| {
                    let f = lower_expr(g, f);
                    match op {
                        MulOp::Mul => f,
                        MulOp::Div => {
                            let minus_one = g.constant(-1.0);
                            g.pow(f, minus_one)
                        }
                    }
                })
                .collect();
            g.mul(&ids)
        }
        ExprKind::Pow(base, exponent) => {
            let x = lower_expr(g, exponent);
            if base.kind == ExprKind::Constant(Constant::E) {
                return g.apply(Op::Exp, &[x]);
            }
            let b = lower_expr(g, base);
            g.pow(b, x)
        }
        ExprKind::Call(func, args) => {
            let args: Vec<NodeId> = args.iter().map(|a| lower_expr(g, a)).collect();
            call(g, *func, &args)
        }
    }
}

/// A built-in function applied to lowered arguments: the operation the op table lowers
/// `func` to, or its spelling with primitives.
pub fn call(g: &mut Graph, func: Func, args: &[NodeId]) -> NodeId {
    if let Some(op) = Op::of_func(func) {
        return g.apply(op, args);
    }
    let x = args[0];
    match func {
        Func::Pow => g.pow(x, args[1]),
        Func::Sqrt => {
            let half = g.constant(0.5);
            g.pow(x, half)
        }
        Func::Log2 => log_base(g, x, std::f64::consts::LN_2),
        Func::Log10 => log_base(g, x, std::f64::consts::LN_10),
        Func::LogBase => {
            // ln(x) / ln(b)
            let ln_x = g.apply(Op::Ln, &[x]);
            let ln_b = g.apply(Op::Ln, &[args[1]]);
            g.div(ln_x, ln_b)
        }
        // A function the table does not lower is a composite: it needs an arm above.
        _ => unreachable!("`{func}` is neither in the op table nor a composite"),
    }
}

fn log_base(g: &mut Graph, x: NodeId, ln_base: f64) -> NodeId {
    let ln_x = g.apply(Op::Ln, &[x]);
    let k = g.constant(1.0 / ln_base);
    g.mul(&[k, ln_x])
}
