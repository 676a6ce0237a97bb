//! Lowering: the grammar's AST becomes nodes of the DAG. Composite notation is spelled
//! with primitives here (`a - b` = `a + (-1)·b`, `a/b` = `a·b^-1`, `sqrt(x)` = `x^0.5`,
//! `e^u` = `exp(u)`, `log2(x)` = `ln(x)·(1/ln 2)`, `if(c, a, b)` = `select(c, a, b)` with
//! its condition as comparisons and selects), so the operation table stays short.

use symgrad_grammar::{
    BindingIndex, Cmp, Cond, CondKind, Constant, Expr, ExprKind, Formula, Func, MulOp, Sign,
};

use crate::ir::graph::{Graph, NodeId};
use crate::ops::Op;

/// Adds `formula` to `g` and returns its root. Variable `i` of the formula is
/// `Node::Var(i)`. Each binding is lowered once, in order, before the expression (as the
/// Rust-body form evaluates its `let`s), however often it is used. Recursion depth is
/// bounded by the grammar's nesting limit.
///
/// # Panics
///
/// If a binding refers to itself or a later one, which no front end builds.
pub fn lower(g: &mut Graph, formula: &Formula) -> NodeId {
    let mut bindings = Vec::with_capacity(formula.bindings.len());
    for binding in &formula.bindings {
        let id = lower_expr(g, binding, &mut |_, i| bindings[i.0]);
        bindings.push(id);
    }
    lower_expr(g, &formula.expr, &mut |_, i| bindings[i.0])
}

/// The constant `e` folds to when lowered, if it is one: `2 * 1.5`, `y^0` and `sin(0)` are,
/// `x` is not. `bindings[i]` is binding `i`'s constant, or `None` when it is not one.
///
/// ```
/// use symgrad_grammar::{Expr, ExprKind, Span};
/// let two = symgrad_grammar::parse("x^0 + 1").unwrap();
/// assert_eq!(symgrad_core::fold_constant(&two.expr, &[]), Some(2.0));
/// let binding = Expr { kind: ExprKind::Binding(symgrad_grammar::BindingIndex(0)), span: Span::default() };
/// assert_eq!(symgrad_core::fold_constant(&binding, &[Some(3.0)]), Some(3.0));
/// assert_eq!(symgrad_core::fold_constant(&binding, &[None]), None);
/// ```
pub fn fold_constant(e: &Expr, bindings: &[Option<f64>]) -> Option<f64> {
    let mut g = Graph::new();
    // Folding depends only on which operands are constants (and their values), so any
    // variable stands for a binding that is not one.
    let root = lower_expr(&mut g, e, &mut |g, i| match bindings[i.0] {
        Some(value) => g.constant(value),
        None => g.var(0),
    });
    g.as_const(root)
}

fn lower_expr(
    g: &mut Graph,
    e: &Expr,
    binding: &mut impl FnMut(&mut Graph, BindingIndex) -> NodeId,
) -> NodeId {
    match &e.kind {
        ExprKind::Number(v) => g.constant(*v),
        ExprKind::Constant(c) => g.constant(c.value()),
        ExprKind::Var(i) => {
            g.var(u32::try_from(i.0).expect("variable count is limited by the grammar"))
        }
        ExprKind::Binding(i) => binding(g, *i),
        ExprKind::Neg(x) => {
            let x = lower_expr(g, x, binding);
            g.neg(x)
        }
        ExprKind::Sum(terms) => {
            let ids: Vec<NodeId> = terms
                .iter()
                .map(|(sign, t)| {
                    let t = lower_expr(g, t, binding);
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
                    let f = lower_expr(g, f, binding);
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
            let x = lower_expr(g, exponent, binding);
            if base.kind == ExprKind::Constant(Constant::E) {
                return g.apply(Op::Exp, &[x]);
            }
            let b = lower_expr(g, base, binding);
            g.pow(b, x)
        }
        ExprKind::Call(func, args) => {
            let args: Vec<NodeId> = args.iter().map(|a| lower_expr(g, a, binding)).collect();
            call(g, *func, &args)
        }
        ExprKind::If(c, a, b) => {
            let c = lower_cond(g, c, binding);
            let a = lower_expr(g, a, binding);
            let b = lower_expr(g, b, binding);
            g.apply(Op::Select, &[c, a, b])
        }
    }
}

/// A condition as a node worth 1 or 0 (see [`Op::Select`]): comparisons are `Gt`/`Ge` with
/// the operands swapped for `<` and `≤`; `and`/`or` of many parts are balanced trees of
/// selects, so a long chain nests only logarithmically.
fn lower_cond(
    g: &mut Graph,
    c: &Cond,
    binding: &mut impl FnMut(&mut Graph, BindingIndex) -> NodeId,
) -> NodeId {
    match &c.kind {
        CondKind::Compare(cmp, a, b) => {
            let a = lower_expr(g, a, binding);
            let b = lower_expr(g, b, binding);
            match cmp {
                Cmp::Gt => g.apply(Op::Gt, &[a, b]),
                Cmp::Ge => g.apply(Op::Ge, &[a, b]),
                Cmp::Lt => g.apply(Op::Gt, &[b, a]),
                Cmp::Le => g.apply(Op::Ge, &[b, a]),
            }
        }
        CondKind::Not(c) => {
            let c = lower_cond(g, c, binding);
            not(g, c)
        }
        CondKind::And(parts) | CondKind::Or(parts) => {
            let parts: Vec<NodeId> = parts.iter().map(|p| lower_cond(g, p, binding)).collect();
            let is_and = matches!(c.kind, CondKind::And(_));
            balanced(g, &parts, is_and)
        }
    }
}

/// `not(c)`: `select(c, 0, 1)`.
pub(crate) fn not(g: &mut Graph, c: NodeId) -> NodeId {
    let (zero, one) = (g.constant(0.0), g.constant(1.0));
    g.apply(Op::Select, &[c, zero, one])
}

/// `c and d` (`select(c, d, 0)`) or `c or d` (`select(c, 1, d)`).
pub(crate) fn connect(g: &mut Graph, c: NodeId, d: NodeId, is_and: bool) -> NodeId {
    let args = if is_and {
        [c, d, g.constant(0.0)]
    } else {
        [c, g.constant(1.0), d]
    };
    g.apply(Op::Select, &args)
}

/// The conjunction or disjunction of `parts` (at least one), split in halves.
fn balanced(g: &mut Graph, parts: &[NodeId], is_and: bool) -> NodeId {
    if let [only] = parts {
        return *only;
    }
    let (left, right) = parts.split_at(parts.len() / 2);
    let (left, right) = (balanced(g, left, is_and), balanced(g, right, is_and));
    connect(g, left, right, is_and)
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
        Func::Softmax => softmax(g, x, &args[1..]),
        Func::LogSoftmax => log_softmax(g, x, &args[1..]),
        // A function the table does not lower is a composite: it needs an arm above.
        _ => unreachable!("`{func}` is neither in the op table nor a composite"),
    }
}

/// `e^a/(e^a + e^others…)` as `σ(a - logsumexp(others…))`: no exponential overflows, and
/// its partials are σ's and the softmax's, without the `1 - p` that cancels as p nears 1.
/// Of `a` alone, 1.
fn softmax(g: &mut Graph, a: NodeId, others: &[NodeId]) -> NodeId {
    if others.is_empty() {
        return g.constant(1.0);
    }
    let lse = g.apply(Op::Logsumexp, others);
    let gap = g.sub(a, lse);
    g.apply(Op::Sigmoid, &[gap])
}

/// `ln(e^a/(e^a + e^others…))` as `-softplus(logsumexp(others…) - a)`: where `a` dominates
/// it is `-e^(others - a)`, which `a - logsumexp(a, others…)` rounds to 0. Of `a` alone, 0.
fn log_softmax(g: &mut Graph, a: NodeId, others: &[NodeId]) -> NodeId {
    if others.is_empty() {
        return g.constant(0.0);
    }
    let lse = g.apply(Op::Logsumexp, others);
    let gap = g.sub(lse, a);
    let softplus = g.apply(Op::Softplus, &[gap]);
    g.neg(softplus)
}

fn log_base(g: &mut Graph, x: NodeId, ln_base: f64) -> NodeId {
    let ln_x = g.apply(Op::Ln, &[x]);
    let k = g.constant(1.0 / ln_base);
    g.mul(&[k, ln_x])
}
