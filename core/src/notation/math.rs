//! Math notation for nodes of the DAG: `σ(w0·x0 + w1·x1 + w2)`, `a - b`, `a/b`, the forms
//! of [`surface`] spelled with math's precedence. Nodes that have a name (see
//! [`super::listing`]) print as that name.

use std::collections::HashMap;

use crate::ir::graph::{Graph, Node, NodeId};
use crate::notation::surface::{
    self, Condition, Exponent, Negation, Power, Raised, Signed, condition,
};
use crate::ops::Op;

/// One expression in math notation, sub-expressions repeated where shared.
pub fn to_math(g: &Graph, var_names: &[String], root: NodeId) -> String {
    Printer::new(g, var_names, HashMap::new()).text(root)
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

/// Prints nodes of one graph, writing the nodes of `names` by their names.
pub(super) struct Printer<'a> {
    g: &'a Graph,
    var_names: &'a [String],
    pub(super) names: HashMap<NodeId, String>,
}

impl<'a> Printer<'a> {
    pub(super) fn new(
        g: &'a Graph,
        var_names: &'a [String],
        names: HashMap<NodeId, String>,
    ) -> Self {
        Printer {
            g,
            var_names,
            names,
        }
    }

    /// The expression of `id`, even when it has a name.
    pub(super) fn text(&self, id: NodeId) -> String {
        self.expr(id).0
    }

    fn operand(&self, id: NodeId, min: Prec) -> String {
        self.operand_prec(id, min).0
    }

    /// The operand's text and how tightly it binds as printed (a name or a parenthesized
    /// expression is an atom).
    fn operand_prec(&self, id: NodeId, min: Prec) -> (String, Prec) {
        if let Some(name) = self.names.get(&id) {
            return (name.clone(), Prec::Atom);
        }
        let (s, p) = self.expr(id);
        if p < min {
            (format!("({s})"), Prec::Atom)
        } else {
            (s, p)
        }
    }

    fn expr(&self, id: NodeId) -> (String, Prec) {
        match self.g.node(id) {
            Node::Const(c) => {
                let v = c.value();
                let p = if v < 0.0 { Prec::Neg } else { Prec::Atom };
                (constant(v), p)
            }
            Node::Var(i) => (self.var_name(*i), Prec::Atom),
            Node::Apply(op, args) => self.apply(*op, args),
        }
    }

    fn var_name(&self, i: u32) -> String {
        self.var_names
            .get(i as usize)
            .cloned()
            .unwrap_or_else(|| format!("v{i}"))
    }

    fn apply(&self, op: Op, args: &[NodeId]) -> (String, Prec) {
        // The printer recurses once per level of the formula; the rarer arms live in their
        // own functions so that this frame, on the stack once per level, stays small (a
        // debug build prints a 200-level formula on a 2 MiB thread stack).
        match op {
            Op::Add => (self.sum(args), Prec::Sum),
            Op::Mul => self.product(args),
            Op::Pow => self.power(args[0], args[1]),
            Op::Select | Op::Ge | Op::Gt => self.branching(op, args),
            Op::Ln1p | Op::SigmoidPrime | Op::ExpM1 => self.spelled_out(op, args[0]),
            Op::EluSlope | Op::HuberSlope => self.slope(op, args[0], args[1]),
            _ => self.call(op, args),
        }
    }

    /// `if(c, a, b)`, and the routers `[a ≥ b]`, `[a > b]`.
    fn branching(&self, op: Op, args: &[NodeId]) -> (String, Prec) {
        if op == Op::Select {
            let c = self.condition(args[0]);
            let (a, b) = (
                self.operand(args[1], Prec::Sum),
                self.operand(args[2], Prec::Sum),
            );
            return (format!("if({c}, {a}, {b})"), Prec::Atom);
        }
        let rel = if op == Op::Ge { "≥" } else { ">" };
        let (a, b) = (
            self.operand(args[0], Prec::Sum),
            self.operand(args[1], Prec::Sum),
        );
        (format!("[{a} {rel} {b}]"), Prec::Atom)
    }

    /// The gates written as what they compute, as math reads them: the text parses back
    /// and fuses into the same stable gate again (`exp_m1` and `ln_1p` are also functions
    /// of the language now, but printing them so would change the output; σ' is in no
    /// formula).
    fn spelled_out(&self, op: Op, x: NodeId) -> (String, Prec) {
        match op {
            Op::Ln1p => {
                let inner = match self.negation(x) {
                    Some(negation) => format!("1 - {}", self.negated(negation)),
                    None => format!("1 + {}", self.operand(x, Prec::Sum)),
                };
                (format!("ln({inner})"), Prec::Atom)
            }
            Op::SigmoidPrime => {
                let minus = match self.negation(x) {
                    Some(negation) => self.negated(negation),
                    None => format!("-{}", self.operand(x, Prec::Product)),
                };
                let plus = self.operand(x, Prec::Sum);
                (format!("σ({plus})·σ({minus})"), Prec::Product)
            }
            _ => (
                format!("exp({}) - 1", self.operand(x, Prec::Sum)),
                Prec::Sum,
            ),
        }
    }

    /// The slope gates of piecewise built-ins, written as the selects they compute (no
    /// formula names them): `if(x > 0, 1, a·exp(x))`, `if(d ≥ abs(x), x, d·sign(x))`.
    fn slope(&self, op: Op, x: NodeId, a: NodeId) -> (String, Prec) {
        let x_sum = self.operand(x, Prec::Sum);
        let times_a = if self.g.is_const(a, 1.0) {
            String::new()
        } else {
            format!("{}·", self.operand(a, Prec::Product))
        };
        let text = if op == Op::EluSlope {
            format!("if({x_sum} > 0, 1, {times_a}exp({x_sum}))")
        } else {
            let a_sum = self.operand(a, Prec::Sum);
            format!("if({a_sum} ≥ abs({x_sum}), {x_sum}, {times_a}sign({x_sum}))")
        };
        (text, Prec::Atom)
    }

    /// `name(args…)`.
    fn call(&self, op: Op, args: &[NodeId]) -> (String, Prec) {
        let list: Vec<String> = args.iter().map(|&a| self.operand(a, Prec::Sum)).collect();
        (format!("{}({})", op.name(), list.join(", ")), Prec::Atom)
    }

    /// A select's condition as the language writes it: `a > b`, `a ≥ b`, `c and d`,
    /// `c or d`, `not(c)`, or `v > 0` for a condition that is not one of those.
    fn condition(&self, c: NodeId) -> String {
        match condition(self.g, c) {
            Condition::Compare { a, b, strict } => {
                let rel = if strict { ">" } else { "≥" };
                let (a, b) = (self.operand(a, Prec::Sum), self.operand(b, Prec::Sum));
                format!("{a} {rel} {b}")
            }
            Condition::And(x, y) => {
                let part = |p| match condition(self.g, p) {
                    Condition::Or(..) => format!("({})", self.condition(p)),
                    _ => self.condition(p),
                };
                format!("{} and {}", part(x), part(y))
            }
            Condition::Or(x, y) => format!("{} or {}", self.condition(x), self.condition(y)),
            Condition::Not(x) => format!("not({})", self.condition(x)),
            Condition::Positive(v) => format!("{} > 0", self.operand(v, Prec::Sum)),
        }
    }

    fn sum(&self, terms: &[NodeId]) -> String {
        let mut out = String::new();
        for (k, term) in surface::sum(terms, |t| self.negation(t))
            .into_iter()
            .enumerate()
        {
            let (negated, body) = match term {
                Signed::Minus(negation) => (true, self.negated(negation)),
                Signed::Plus(t) => (false, self.operand(t, Prec::Sum)),
            };
            if k > 0 {
                out.push_str(if negated { " - " } else { " + " });
            } else if negated {
                out.push('-');
            }
            out.push_str(&body);
        }
        out
    }

    /// Whether a node is printed by its name: then it is an atom, whatever it computes.
    fn named(&self) -> impl Fn(NodeId) -> bool + '_ {
        |id| self.names.contains_key(&id)
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
        if self.names.contains_key(&t) {
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
    fn negated(&self, negation: MathNegation) -> String {
        match negation {
            MathNegation::Plain(Negation::Constant(v)) => constant(v),
            MathNegation::Plain(Negation::Product(c, factors)) => self.product_text(c, factors).0,
            MathNegation::Factor {
                negated: (c, inner),
                factors,
                index,
            } => {
                let rest = [&factors[..index], &factors[index + 1..]].concat();
                let negated = self.product_text(c, inner).0;
                format!("{negated}·{}", self.product_text(1.0, &rest).0)
            }
        }
    }

    fn product(&self, factors: &[NodeId]) -> (String, Prec) {
        match surface::coefficient(self.g, factors) {
            (c, rest) if c < 0.0 => {
                let (body, p) = self.product_text(-c, rest);
                let body = if p < Prec::Product {
                    format!("({body})")
                } else {
                    body
                };
                let negated = if p >= Prec::Power {
                    Prec::Neg
                } else {
                    Prec::NegProduct
                };
                (format!("-{body}"), negated)
            }
            (c, rest) => self.product_text(c, rest),
        }
    }

    /// `coefficient · factors`, with factors `b^-k` written as divisions.
    fn product_text(&self, coefficient: f64, factors: &[NodeId]) -> (String, Prec) {
        let quotient = surface::quotient(self.g, coefficient, factors, self.named());
        let mut numerator: Vec<String> = quotient.coefficient.map(constant).into_iter().collect();
        // The precedence of a lone factor, taken as it is printed rather than by printing it
        // again (which would double the work at every nesting level).
        let mut only_factor_prec = Prec::Atom;
        for &f in &quotient.numerator {
            let (text, p) = self.operand_prec(f, Prec::Power);
            numerator.push(text);
            only_factor_prec = p;
        }
        if numerator.is_empty() && quotient.denominator.is_empty() {
            return ("1".to_string(), Prec::Atom);
        }
        if numerator.len() == 1 && quotient.denominator.is_empty() {
            let p = match quotient.coefficient {
                None => only_factor_prec.max(Prec::Product),
                Some(_) => Prec::Product,
            };
            return (numerator.remove(0), p);
        }
        let mut text = if numerator.is_empty() {
            "1".to_string()
        } else {
            numerator.join("·")
        };
        for &d in &quotient.denominator {
            text.push('/');
            text.push_str(&self.raised(d));
        }
        (text, Prec::Product)
    }

    fn power(&self, base: NodeId, exponent: NodeId) -> (String, Prec) {
        match surface::power(self.g, base, exponent) {
            Power::Reciprocal(r) => (format!("1/{}", self.raised(r)), Prec::Product),
            Power::Constant(r) => (self.raised(r), Prec::Power),
            Power::General(base, exponent) => {
                let b = self.operand(base, Prec::Atom);
                // An exponent is signs and a power chain (`x^-y^2`), never a product: `x^a·b`
                // is `(x^a)·b`.
                let e = match self.operand_prec(exponent, Prec::Neg) {
                    (e, Prec::Product) => format!("({e})"),
                    (e, _) => e,
                };
                (format!("{b}^{e}"), Prec::Power)
            }
        }
    }

    /// `base^k` for a constant `k`, as an operand of a product.
    fn raised(&self, Raised { base, exponent }: Raised) -> String {
        match exponent {
            Exponent::Half => format!("sqrt({})", self.operand(base, Prec::Sum)),
            Exponent::One => self.operand(base, Prec::Atom),
            Exponent::Other(k) => format!("{}^{}", self.operand(base, Prec::Atom), constant(k)),
        }
    }
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
