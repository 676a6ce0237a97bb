//! Math notation for nodes of the DAG: `σ(w0·x0 + w1·x1 + w2)`, `a - b`, `a/b`, the forms
//! of [`surface`] spelled with math's precedence. Nodes that have a name (see
//! [`super::listing`]) print as that name.

use std::fmt::Write as _;

use crate::ir::graph::{Graph, Node, NodeId};
use crate::ir::node_map::NodeMap;
use crate::notation::surface::{
    self, Condition, Exponent, Negation, Power, Raised, Signed, condition,
};
use crate::ops::Op;

/// One expression in math notation, sub-expressions repeated where shared.
pub fn to_math(g: &Graph, var_names: &[String], root: NodeId) -> String {
    Printer::new(g, var_names, NodeMap::default()).text(root)
}

/// How tightly an expression binds, loosest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Prec {
    Sum,
    /// A sign before a product, `-a·b`: reads right in a sum, but an exponent is a sign
    /// and a power chain only (`x^-a·b` is `(x^-a)·b`).
    NegProduct,
    /// A sign before a power or an atom, `-a^b`: may be an exponent, `x^-a^b`.
    Neg,
    Product,
    Power,
    Atom,
}

/// Prints nodes of one graph, writing a node numbered `n` in `names` by its name `tn`.
pub(super) struct Printer<'a> {
    g: &'a Graph,
    var_names: &'a [String],
    /// Numbers, not their `t1`, `t2` texts: on a 10⁶-node gradient a text per named node
    /// (and a second copy for the value's own listing) was tens of megabytes.
    pub(super) names: NodeMap<u32>,
}

impl<'a> Printer<'a> {
    pub(super) fn new(g: &'a Graph, var_names: &'a [String], names: NodeMap<u32>) -> Self {
        Printer {
            g,
            var_names,
            names,
        }
    }

    /// The expression of `id`, even when it has a name.
    pub(super) fn text(&self, id: NodeId) -> String {
        let mut out = String::new();
        self.expr(id, &mut out);
        out
    }

    fn operand(&self, id: NodeId, min: Prec, out: &mut String) {
        self.operand_prec(id, min, out);
    }

    /// The operand's text, written at the end of `out`, and how tightly it binds as
    /// printed (a name or a parenthesized expression is an atom). Every node writes into
    /// the one buffer: returning each operand's text to its user copied a chain of
    /// calls `d` deep `d` times over.
    fn operand_prec(&self, id: NodeId, min: Prec, out: &mut String) -> Prec {
        if let Some(n) = self.names.get(id) {
            let _ = write!(out, "t{n}");
            return Prec::Atom;
        }
        let start = out.len();
        let p = self.expr(id, out);
        if p < min {
            parenthesize(out, start);
            Prec::Atom
        } else {
            p
        }
    }

    /// The operand's text alone, for the rare forms that write it twice.
    fn operand_text(&self, id: NodeId, min: Prec) -> String {
        let mut out = String::new();
        self.operand(id, min, &mut out);
        out
    }

    fn expr(&self, id: NodeId, out: &mut String) -> Prec {
        match self.g.node(id) {
            Node::Const(c) => {
                let v = c.value();
                out.push_str(&constant(v));
                if v < 0.0 { Prec::Neg } else { Prec::Atom }
            }
            Node::Var(i) => {
                match self.var_names.get(i as usize) {
                    Some(name) => out.push_str(name),
                    None => {
                        let _ = write!(out, "v{i}");
                    }
                }
                Prec::Atom
            }
            Node::Apply(op, args) => self.apply(op, args, out),
        }
    }

    fn apply(&self, op: Op, args: &[NodeId], out: &mut String) -> Prec {
        // The printer recurses once per level of the formula; the rarer arms live in their
        // own functions so that this frame, on the stack once per level, stays small (a
        // debug build prints a 200-level formula on a 2 MiB thread stack).
        match op {
            Op::Add => {
                self.sum(args, out);
                Prec::Sum
            }
            Op::Mul => self.product(args, out),
            Op::Pow => self.power(args[0], args[1], out),
            Op::Select | Op::Ge | Op::Gt => self.branching(op, args, out),
            Op::Ln1p | Op::SigmoidPrime | Op::ExpM1 => self.spelled_out(op, args[0], out),
            Op::EluSlope | Op::HuberSlope => self.slope(op, args[0], args[1], out),
            _ => self.call(op, args, out),
        }
    }

    /// `if(c, a, b)`, and the routers `[a ≥ b]`, `[a > b]`.
    fn branching(&self, op: Op, args: &[NodeId], out: &mut String) -> Prec {
        if op == Op::Select {
            out.push_str("if(");
            self.condition(args[0], out);
            out.push_str(", ");
            self.operand(args[1], Prec::Sum, out);
            out.push_str(", ");
            self.operand(args[2], Prec::Sum, out);
            out.push(')');
            return Prec::Atom;
        }
        out.push('[');
        self.operand(args[0], Prec::Sum, out);
        out.push_str(if op == Op::Ge { " ≥ " } else { " > " });
        self.operand(args[1], Prec::Sum, out);
        out.push(']');
        Prec::Atom
    }

    /// The gates written as what they compute, as math reads them: the text parses back
    /// and fuses into the same stable gate again (`exp_m1` and `ln_1p` are also functions
    /// of the language now, but printing them so would change the output; σ' is in no
    /// formula).
    fn spelled_out(&self, op: Op, x: NodeId, out: &mut String) -> Prec {
        match op {
            Op::Ln1p => {
                out.push_str("ln(");
                match self.negation(x) {
                    Some(negation) => {
                        out.push_str("1 - ");
                        self.negated(negation, out);
                    }
                    None => {
                        out.push_str("1 + ");
                        self.operand(x, Prec::Sum, out);
                    }
                }
                out.push(')');
                Prec::Atom
            }
            Op::SigmoidPrime => {
                out.push_str("σ(");
                self.operand(x, Prec::Sum, out);
                out.push_str(")·σ(");
                match self.negation(x) {
                    Some(negation) => self.negated(negation, out),
                    None => {
                        out.push('-');
                        self.operand(x, Prec::Product, out);
                    }
                }
                out.push(')');
                Prec::Product
            }
            _ => {
                out.push_str("exp(");
                self.operand(x, Prec::Sum, out);
                out.push_str(") - 1");
                Prec::Sum
            }
        }
    }

    /// The slope gates of piecewise built-ins, written as the selects they compute (no
    /// formula names them): `if(x > 0, 1, a·exp(x))`, `if(d ≥ abs(x), x, d·sign(x))`.
    fn slope(&self, op: Op, x: NodeId, a: NodeId, out: &mut String) -> Prec {
        let x_sum = self.operand_text(x, Prec::Sum);
        let times_a = if self.g.is_const(a, 1.0) {
            String::new()
        } else {
            format!("{}·", self.operand_text(a, Prec::Product))
        };
        if op == Op::EluSlope {
            let _ = write!(out, "if({x_sum} > 0, 1, {times_a}exp({x_sum}))");
        } else {
            let a_sum = self.operand_text(a, Prec::Sum);
            let _ = write!(
                out,
                "if({a_sum} ≥ abs({x_sum}), {x_sum}, {times_a}sign({x_sum}))"
            );
        }
        Prec::Atom
    }

    /// `name(args…)`.
    fn call(&self, op: Op, args: &[NodeId], out: &mut String) -> Prec {
        out.push_str(op.name());
        out.push('(');
        for (k, &a) in args.iter().enumerate() {
            if k > 0 {
                out.push_str(", ");
            }
            self.operand(a, Prec::Sum, out);
        }
        out.push(')');
        Prec::Atom
    }

    /// A select's condition as the language writes it: `a > b`, `a ≥ b`, `c and d`,
    /// `c or d`, `not(c)`, or `v > 0` for a condition that is not one of those.
    fn condition(&self, c: NodeId, out: &mut String) {
        match condition(self.g, c) {
            Condition::Compare { a, b, strict } => {
                self.operand(a, Prec::Sum, out);
                out.push_str(if strict { " > " } else { " ≥ " });
                self.operand(b, Prec::Sum, out);
            }
            Condition::And(x, y) => {
                let part = |p, out: &mut String| match condition(self.g, p) {
                    Condition::Or(..) => {
                        out.push('(');
                        self.condition(p, out);
                        out.push(')');
                    }
                    _ => self.condition(p, out),
                };
                part(x, out);
                out.push_str(" and ");
                part(y, out);
            }
            Condition::Or(x, y) => {
                self.condition(x, out);
                out.push_str(" or ");
                self.condition(y, out);
            }
            Condition::Not(x) => {
                out.push_str("not(");
                self.condition(x, out);
                out.push(')');
            }
            Condition::Positive(v) => {
                self.operand(v, Prec::Sum, out);
                out.push_str(" > 0");
            }
        }
    }

    fn sum(&self, terms: &[NodeId], out: &mut String) {
        for (k, term) in surface::sum(terms, |t| self.negation(t))
            .into_iter()
            .enumerate()
        {
            match term {
                Signed::Minus(negation) => {
                    out.push_str(if k > 0 { " - " } else { "-" });
                    self.negated(negation, out);
                }
                Signed::Plus(t) => {
                    if k > 0 {
                        out.push_str(" + ");
                    }
                    self.operand(t, Prec::Sum, out);
                }
            }
        }
    }

    /// Whether a node is printed by its name: then it is an atom, whatever it computes.
    fn named(&self) -> impl Fn(NodeId) -> bool + '_ {
        |id| self.names.contains(id)
    }

    /// How `t` reads as a negation: as [`surface::negation`] says, or a product with a
    /// factor that reads negated (`a·(-b)`, once `-b` became a shared product of its own),
    /// read as `-(a·b)`.
    fn negation(&self, t: NodeId) -> Option<MathNegation<'a>> {
        let g = self.g;
        if let Some(negation) = surface::negation(g, t, self.named()) {
            return Some(MathNegation::Plain(negation));
        }
        let Node::Apply(Op::Mul, factors) = g.node(t) else {
            return None;
        };
        if self.names.contains(t) {
            return None;
        }
        factors.iter().enumerate().find_map(|(i, &f)| {
            match surface::negation(g, f, self.named())? {
                Negation::Product(c, inner) => Some(MathNegation::Factor {
                    negated: (c, inner),
                    factors,
                    index: i,
                }),
                Negation::Constant(_) => None,
            }
        })
    }

    /// The text of `-t` for a term `t` that reads as a negation.
    fn negated(&self, negation: MathNegation, out: &mut String) {
        match negation {
            MathNegation::Plain(Negation::Constant(v)) => out.push_str(&constant(v)),
            MathNegation::Plain(Negation::Product(c, factors)) => {
                self.product_text(c, factors, out);
            }
            MathNegation::Factor {
                negated: (c, inner),
                factors,
                index,
            } => {
                let rest = [&factors[..index], &factors[index + 1..]].concat();
                self.product_text(c, inner, out);
                out.push('·');
                self.product_text(1.0, &rest, out);
            }
        }
    }

    fn product(&self, factors: &[NodeId], out: &mut String) -> Prec {
        match surface::coefficient(self.g, factors) {
            (c, rest) if c < 0.0 => {
                out.push('-');
                let start = out.len();
                let p = self.product_text(-c, rest, out);
                if p < Prec::Product {
                    parenthesize(out, start);
                }
                if p >= Prec::Power {
                    Prec::Neg
                } else {
                    Prec::NegProduct
                }
            }
            (c, rest) => self.product_text(c, rest, out),
        }
    }

    /// `coefficient · factors`, with factors `b^-k` written as divisions.
    fn product_text(&self, coefficient: f64, factors: &[NodeId], out: &mut String) -> Prec {
        let quotient = surface::quotient(self.g, coefficient, factors, self.named());
        let written = usize::from(quotient.coefficient.is_some()) + quotient.numerator.len();
        if written == 0 && quotient.denominator.is_empty() {
            out.push('1');
            return Prec::Atom;
        }
        if written == 0 {
            out.push('1');
        }
        if let Some(c) = quotient.coefficient {
            out.push_str(&constant(c));
        }
        // The precedence of a lone factor, taken as it is printed rather than by printing it
        // again (which would double the work at every nesting level).
        let mut only_factor_prec = Prec::Product;
        for (k, &f) in quotient.numerator.iter().enumerate() {
            if k > 0 || quotient.coefficient.is_some() {
                out.push('·');
            }
            only_factor_prec = self.operand_prec(f, Prec::Power, out);
        }
        for &d in &quotient.denominator {
            out.push('/');
            self.raised(d, out);
        }
        if written == 1 && quotient.coefficient.is_none() && quotient.denominator.is_empty() {
            only_factor_prec.max(Prec::Product)
        } else {
            Prec::Product
        }
    }

    fn power(&self, base: NodeId, exponent: NodeId, out: &mut String) -> Prec {
        match surface::power(self.g, base, exponent) {
            Power::Reciprocal(r) => {
                out.push_str("1/");
                self.raised(r, out);
                Prec::Product
            }
            Power::Constant(r) => {
                self.raised(r, out);
                Prec::Power
            }
            Power::General(base, exponent) => {
                self.operand(base, Prec::Atom, out);
                out.push('^');
                // An exponent is signs and a power chain (`x^-y^2`), never a product: `x^a·b`
                // is `(x^a)·b`.
                let start = out.len();
                if self.operand_prec(exponent, Prec::Neg, out) == Prec::Product {
                    parenthesize(out, start);
                }
                Prec::Power
            }
        }
    }

    /// `base^k` for a constant `k`, as an operand of a product.
    fn raised(&self, Raised { base, exponent }: Raised, out: &mut String) {
        match exponent {
            Exponent::Half => {
                out.push_str("sqrt(");
                self.operand(base, Prec::Sum, out);
                out.push(')');
            }
            Exponent::One => self.operand(base, Prec::Atom, out),
            Exponent::Other(k) => {
                self.operand(base, Prec::Atom, out);
                out.push('^');
                out.push_str(&constant(k));
            }
        }
    }
}

/// Puts the text written from `start` on in parentheses. Moving it costs its length, as
/// copying it into a new string did; only operands that need parentheses pay it.
fn parenthesize(out: &mut String, start: usize) {
    out.insert(start, '(');
    out.push(')');
}

/// How a term reads negated in math notation.
#[derive(Clone, Copy, Debug)]
enum MathNegation<'g> {
    Plain(Negation<'g>),
    /// `factors` with the factor at `index` the negation of `negated`'s `c·inner`.
    Factor {
        negated: (f64, &'g [NodeId]),
        factors: &'g [NodeId],
        index: usize,
    },
}

/// A constant in a formula: `e` and `π` by name, other numbers as [`number`] prints them.
/// Non-finite constants (from folding `1/0` or `1e999`) print as the language spells them,
/// not as `inf`/`NaN`, which would read as variables of those names.
fn constant(v: f64) -> String {
    if v.is_nan() {
        "(0/0)".to_string()
    } else if v.is_infinite() {
        if v > 0.0 { "(1/0)" } else { "-(1/0)" }.to_string()
    } else if v == std::f64::consts::E {
        "e".to_string()
    } else if v == std::f64::consts::PI {
        "π".to_string()
    } else {
        number(v)
    }
}

/// A number in its shortest round-trip form: `2`, `0.5`, `1e300`, `NaN`, `inf`.
///
/// ```
/// assert_eq!(symgrad_core::number(2.0), "2");
/// assert_eq!(symgrad_core::number(1e-300), "1e-300");
/// ```
pub fn number(v: f64) -> String {
    if v.is_nan() {
        "NaN".to_string()
    } else if v.is_infinite() {
        if v > 0.0 { "inf" } else { "-inf" }.to_string()
    } else if v == 0.0 || (1e-5..1e16).contains(&v.abs()) {
        format!("{v}")
    } else {
        format!("{v:e}")
    }
}

#[cfg(test)]
mod tests;
