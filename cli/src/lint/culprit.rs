//! Blame: at a bad point, the sub-expression of the generated graph where the f64 value
//! first departs from its own high-precision value — followed from the output down
//! through operands that are themselves wrong, to the node whose operands are all right
//! — named in the user's notation, with what went wrong there (an overflow, an
//! underflow, a cancellation, an `inf - inf`) and, for an overflow or underflow of one
//! variable, where on that variable's line it starts.

use astro_float::BigFloat;
use symgrad_core::{Gradient, Graph, Node, NodeId, Op, Program, to_math};

use crate::lint::bits::{error_bits, from_ordinal, ordinal};
use crate::lint::precise::{Precise, to_f64};

/// Bits of error from which a node counts as wrong.
pub const MANY_BITS: f64 = 8.0;

/// What went wrong at the blamed node.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Overflow,
    Underflow,
    Cancellation,
    /// NaN from finite-looking operands: `inf - inf`, `0·inf`, `inf/inf`.
    Invalid,
    /// Rounding error grown large without any of the above.
    Inaccurate,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Overflow => "overflow",
            Kind::Underflow => "underflow",
            Kind::Cancellation => "cancellation",
            Kind::Invalid => "invalid",
            Kind::Inaccurate => "inaccurate",
        }
    }
}

/// A blamed sub-expression.
#[derive(Clone, Debug, PartialEq)]
pub struct Culprit {
    pub kind: Kind,
    /// The sub-expression, in math notation.
    pub expr: String,
    /// One line saying what happens where, e.g. `x^2 overflows for |x| > 1.3e154`.
    pub message: String,
}

/// The culprit of root `root` of `grad` at `point`, evaluated at `bits` of precision;
/// `None` when no node is wrong by [`MANY_BITS`] (the root's error is then spread thin).
pub fn blame(grad: &Gradient, root: NodeId, point: &[f64], bits: usize) -> Option<Culprit> {
    let g = grad.graph();
    let f64s = eager_f64(g, point);
    let precise = Precise::new(bits).run_all(g, point);
    let wrong = |id: NodeId| departs(f64s[id.index()], &precise[id.index()]);
    if !wrong(root) {
        return None;
    }
    let mut at = root;
    // Down through the operands that are wrong too; a select's only through its branch
    // taken.
    while let Some(&next) = operands(g, at, &f64s).iter().find(|&&a| wrong(a)) {
        at = next;
    }
    let kind = kind(g, at, f64s[at.index()], &precise[at.index()]);
    let expr = to_math(g, grad.vars(), at);
    let message = describe(
        grad,
        at,
        kind,
        &expr,
        point,
        f64s[at.index()],
        &precise[at.index()],
    );
    Some(Culprit {
        kind,
        expr,
        message,
    })
}

/// Every node in f64, as the interpreter computes it (both branches of a select, which
/// [`operands`] then ignores where not taken).
fn eager_f64(g: &Graph, point: &[f64]) -> Vec<f64> {
    let mut values: Vec<f64> = Vec::with_capacity(g.len());
    for id in g.ids() {
        let v = match g.node(id) {
            Node::Const(c) => c.value(),
            Node::Var(i) => point.get(i as usize).copied().unwrap_or(f64::NAN),
            Node::Apply(op, args) => {
                let x: Vec<f64> = args.iter().map(|a| values[a.index()]).collect();
                op.eval(&x)
            }
        };
        values.push(v);
    }
    values
}

fn operands(g: &Graph, id: NodeId, f64s: &[f64]) -> Vec<NodeId> {
    match g.node(id) {
        Node::Apply(Op::Select, args) => {
            let taken = if f64s[args[0].index()] > 0.0 {
                args[1]
            } else {
                args[2]
            };
            vec![args[0], taken]
        }
        Node::Apply(_, args) => args.to_vec(),
        _ => Vec::new(),
    }
}

/// Whether the f64 value `f` is far from the high-precision `t`: wrong by many bits, or
/// non-finite where `t` is finite, or 0 where `t` is not (an underflow a later division
/// or logarithm may magnify).
fn departs(f: f64, t: &BigFloat) -> bool {
    if t.is_nan() {
        return false;
    }
    if f.is_nan() || (f.is_infinite() && !t.is_inf()) || (f == 0.0 && !t.is_zero()) {
        return true;
    }
    let rounded = to_f64(t);
    rounded.is_finite() && error_bits(f, rounded) >= MANY_BITS
}

fn kind(g: &Graph, id: NodeId, f: f64, t: &BigFloat) -> Kind {
    if f.is_nan() {
        Kind::Invalid
    } else if f.is_infinite() && !t.is_inf() {
        Kind::Overflow
    } else if f == 0.0 && !t.is_zero() || (f.abs() < f64::MIN_POSITIVE && f != to_f64(t)) {
        Kind::Underflow
    } else if g.node(id).op() == Some(Op::Add) {
        Kind::Cancellation
    } else {
        Kind::Inaccurate
    }
}

fn describe(
    grad: &Gradient,
    id: NodeId,
    kind: Kind,
    expr: &str,
    point: &[f64],
    f: f64,
    t: &BigFloat,
) -> String {
    let at = point_text(grad.vars(), point);
    match kind {
        Kind::Overflow | Kind::Underflow => {
            let verb = if kind == Kind::Overflow {
                "overflows"
            } else {
                "underflows"
            };
            match threshold(grad, id, kind, point) {
                Some(range) => format!("`{expr}` {verb} for {range}"),
                None => format!("`{expr}` {verb} at {at}"),
            }
        }
        Kind::Cancellation => format!(
            "cancellation in `{expr}`: {:.0} bits lost at {at}",
            lost(f, t)
        ),
        Kind::Invalid => format!("`{expr}` is NaN (inf - inf, 0·inf or inf/inf) at {at}"),
        Kind::Inaccurate => format!("`{expr}` loses {:.0} bits at {at}", lost(f, t)),
    }
}

fn lost(f: f64, t: &BigFloat) -> f64 {
    error_bits(f, to_f64(t))
}

/// `x = 1e15, y = -2`: the point, short.
pub fn point_text(vars: &[String], point: &[f64]) -> String {
    crate::explain::point_text_with(vars, point, " = ", short)
}

/// `1.3e154`, `1e10`, `0.5`, `-2`: at most two significant digits, the shortest of the
/// plain and the scientific spelling.
pub fn short(v: f64) -> String {
    let text = format!("{v:.1e}");
    let rounded: f64 = text.parse().unwrap_or(v);
    if !rounded.is_finite() {
        return text; // f64::MAX rounds up to 1.8e308, past the largest double
    }
    let scientific = format!("{rounded:e}");
    let plain = format!("{rounded}");
    if plain.len() <= scientific.len() {
        plain
    } else {
        scientific
    }
}

/// For a node of one variable that overflows (or underflows) at `point`: the range of
/// that variable where it does, found by bisection over the doubles between the point
/// and 0 on each side — `|x| ≥ 1.3e154` when both sides agree.
fn threshold(grad: &Gradient, id: NodeId, kind: Kind, point: &[f64]) -> Option<String> {
    let g = grad.graph();
    let reached = g.reachable(&[id], &[]);
    let vars: Vec<u32> = g
        .ids()
        .filter(|n| reached.get(n.index()).copied().unwrap_or(false))
        .filter_map(|n| match g.node(n) {
            Node::Var(v) => Some(v),
            _ => None,
        })
        .collect();
    let [var] = vars[..] else {
        return None;
    };
    let program = Program::new(g, &[id]);
    let fails = |x: f64| {
        let mut p = point.to_vec();
        p[var as usize] = x;
        let v = program.run(&p)[0];
        match kind {
            Kind::Overflow => v.is_infinite(),
            _ => v == 0.0,
        }
    };
    let name = &grad.vars()[var as usize];
    let x = point[var as usize];
    let edge = |towards_zero_from: f64| bisect(&fails, towards_zero_from);
    let here = edge(x)?;
    let there = if fails(-x) { edge(-x) } else { None };
    // Bisection from the point towards 0: the node fails beyond the edge found.
    Some(match there {
        Some(t) if t == -here => format!("|{name}| ≥ {}", short(here.abs())),
        _ if x > 0.0 => format!("{name} ≥ {}", short(here)),
        _ => format!("{name} ≤ {}", short(here)),
    })
}

/// The double nearest 0 (on `from`'s side) from which `fails` holds out to `from`, when
/// it does not hold at 0's side of the line.
fn bisect(fails: &impl Fn(f64) -> bool, from: f64) -> Option<f64> {
    let (mut bad, mut good) = (ordinal(from), ordinal(0.0f64.copysign(from)));
    if fails(from_ordinal(good)) || !fails(from) {
        return None;
    }
    while (bad - good).abs() > 1 {
        let mid = good + (bad - good) / 2;
        if fails(from_ordinal(mid)) {
            bad = mid;
        } else {
            good = mid;
        }
    }
    Some(from_ordinal(bad))
}
