//! Rust expressions for nodes of the DAG, with the fewest parentheses Rust's precedence
//! allows: `a·b^-1` is `a / b`, `a + (-1)·b` is `a - b`, integer powers are `powi`, gates
//! call the generated `gates` module. The emitter also counts the operations it writes
//! (an n-term sum n-1, `a / b` one, a call one), which is what [`crate::count_ops`] reports;
//! written into [`CountOnly`](super::code::CountOnly) it only counts.
//!
//! How a sum, product or power reads (signs, divisors, roots) is decided in
//! [`surface`], which the math printer reads too; here it is only spelled.

use proc_macro2::{Ident, TokenStream};

use crate::codegen::Float;
use crate::codegen::code::Code;
use crate::codegen::rust_syntax::{Prec, literal_prec};
use crate::codegen::schedule::branch_schedule;
use crate::ir::graph::{Graph, Node, NodeId};
use crate::ir::node_map::NodeMap;
use crate::notation::surface::{
    self, Condition, Exponent, Negation, Power, Raised, Signed, condition,
};
use crate::ops::{Op, Operator, Rust};

/// Writes expressions for one generated function as `C`.
pub(crate) struct Emitter<'a, C: Code> {
    g: &'a Graph,
    params: &'a [Ident],
    float: Float,
    /// Path of the module holding the gate functions (`gates` or `f::gates`).
    gates: TokenStream,
    /// Nodes available by name: `let`s already written and a tape's fields.
    names: NodeMap<C::Name>,
    /// Operations written so far.
    pub ops: usize,
    /// Names the `let`s written inside a branch; without it they are `t<id>`.
    namer: Option<&'a dyn Fn(NodeId) -> Ident>,
}

impl<C: Code> std::fmt::Debug for Emitter<'_, C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Emitter")
            .field("gates", &self.gates)
            .field("named", &self.names.len())
            .field("ops", &self.ops)
            .finish_non_exhaustive()
    }
}

/// The most terms one parenthesized group of a generated sum holds.
const SUM_GROUP: usize = 64;

impl<'a, C: Code> Emitter<'a, C> {
    pub fn new(g: &'a Graph, params: &'a [Ident], float: Float, gates: TokenStream) -> Self {
        Emitter {
            g,
            params,
            float,
            gates,
            names: NodeMap::default(),
            ops: 0,
            namer: None,
        }
    }

    /// Names the `let`s of branches with `namer`.
    pub fn with_namer(mut self, namer: &'a dyn Fn(NodeId) -> Ident) -> Self {
        self.namer = Some(namer);
        self
    }

    /// From now on `id` is written as `name`.
    pub fn name(&mut self, id: NodeId, name: C::Name) {
        self.names.insert(id, name);
    }

    /// The expression for `id`: its name if it has one, else its definition.
    pub fn expr(&mut self, id: NodeId) -> (C, Prec) {
        match self.names.get(id) {
            Some(name) => (C::of_name(name), Prec::Atom),
            None => self.define(id),
        }
    }

    /// `id` as an operand that must bind at least as tightly as `min`.
    pub fn operand(&mut self, id: NodeId, min: Prec) -> C {
        let (code, prec) = self.expr(id);
        parenthesize(code, prec, min)
    }

    /// The definition of `id`, ignoring any name it has (for its `let`).
    pub fn define(&mut self, id: NodeId) -> (C, Prec) {
        match self.g.node(id) {
            Node::Const(c) => self.literal(c.value()),
            Node::Var(i) => match self.params.get(i as usize) {
                Some(p) => (C::ident(p), Prec::Atom),
                None => self.literal(f64::NAN),
            },
            Node::Apply(op, args) => self.apply(op, args),
        }
    }

    fn apply(&mut self, op: Op, args: &[NodeId]) -> (C, Prec) {
        match op.rust() {
            Rust::Operator(Operator::Sum) => self.sum(args),
            Rust::Operator(Operator::Product) => self.product(args),
            Rust::Operator(Operator::Power) => self.power(args[0], args[1]),
            Rust::Method(method) => {
                self.ops += 1;
                // `x.hypot(y)`: a second operand is the method's argument.
                let extra = match args {
                    [_, second] => self.operand(*second, Prec::Sum),
                    _ => C::empty(),
                };
                (self.method(args[0], method, extra), Prec::Atom)
            }
            Rust::Gate(name) if op.is_variadic() => self.slice_gate(name, args),
            Rust::Gate(name) => self.gate(name, args),
            Rust::Branch => (self.branch(args[0], args[1], args[2]), Prec::Branch),
        }
    }

    /// `if c { … a } else { … b }`: each branch computes, in `let`s of its own, what only
    /// it needs (see [`schedule`]). It counts the condition's operations (a comparison,
    /// `&&`, `||` and `!` one each) and both branches': the count is of the code
    /// written, not of the path one point takes.
    fn branch(&mut self, c: NodeId, a: NodeId, b: NodeId) -> C {
        let condition = self.condition(c);
        let [then, otherwise] = [a, b].map(|branch| {
            let named: Vec<NodeId> = self.names.keys().collect();
            let plan = branch_schedule(self.g, branch, &named);
            let mut lets = C::empty();
            for &id in &plan.lets {
                let (definition, _) = self.define(id);
                let name = C::name(|| match self.namer {
                    Some(namer) => namer(id),
                    None => quote::format_ident!("t{}", id.index()),
                });
                lets.push_let(&name, definition);
                self.name(id, name);
            }
            let (value, _) = self.expr(branch);
            for id in &plan.lets {
                self.names.remove(*id);
            }
            lets.then(value)
        });
        C::if_else(condition, then, otherwise)
    }

    /// A select's condition as Rust's `bool`.
    fn condition(&mut self, c: NodeId) -> C {
        self.ops += 1;
        match condition(self.g, c) {
            Condition::Compare { a, b, strict } => {
                let mut out = self.operand(a, Prec::Sum);
                let b = self.operand(b, Prec::Sum);
                out.push_infix(if strict { ">" } else { ">=" }, b);
                out
            }
            Condition::And(x, y) | Condition::Or(x, y) => {
                let is_and = matches!(condition(self.g, c), Condition::And(..));
                let mut out = self.condition_operand(x, is_and);
                let y = self.condition_operand(y, is_and);
                out.push_infix(if is_and { "&&" } else { "||" }, y);
                out
            }
            Condition::Not(x) => self.condition(x).parenthesized().not(),
            Condition::Positive(v) => {
                let mut out = self.operand(v, Prec::Sum);
                out.push_infix(">", self.literal(0.0).0);
                out
            }
        }
    }

    /// An operand of `&&` (`is_and`) or `||`: parenthesized unless it is a comparison or
    /// the same connective.
    fn condition_operand(&mut self, x: NodeId, is_and: bool) -> C {
        let bare = match condition(self.g, x) {
            Condition::And(..) => is_and,
            Condition::Or(..) => !is_and,
            Condition::Not(_) => true,
            Condition::Compare { .. } | Condition::Positive(_) => true,
        };
        let code = self.condition(x);
        if bare { code } else { code.parenthesized() }
    }

    /// `x.method(extra)`, or `f64::method(x, extra)` when `x` is a literal (whose type a
    /// method call could not infer).
    fn method(&mut self, receiver: NodeId, method: &str, extra: C) -> C {
        if self.g.as_const(receiver).is_some() && !self.names.contains(receiver) {
            let (x, _) = self.expr(receiver);
            return C::float_call(self.float, method, x, extra);
        }
        self.operand(receiver, Prec::Atom)
            .method_call(method, extra)
    }

    /// `gates::name(args…)`.
    /// `gates::function(args…)` for a fused gate ([`Op::fused`]) on the operands of
    /// `value`, the gate's node: two operations in one call.
    pub fn fused_gate(&mut self, function: &str, value: NodeId) -> C {
        let args = match self.g.node(value) {
            Node::Apply(_, args) => args,
            Node::Const(_) | Node::Var(_) => &[],
        };
        self.ops += 1;
        self.gate(function, args).0
    }

    fn gate(&mut self, name: &str, args: &[NodeId]) -> (C, Prec) {
        self.ops += 1;
        let args: Vec<C> = args.iter().map(|&a| self.operand(a, Prec::Sum)).collect();
        (C::gate_call(&self.gates, name, args), Prec::Atom)
    }

    /// `gates::name(&[args…])`, a variadic gate's call.
    fn slice_gate(&mut self, name: &str, args: &[NodeId]) -> (C, Prec) {
        self.ops += 1;
        let args: Vec<C> = args.iter().map(|&a| self.operand(a, Prec::Sum)).collect();
        (
            C::gate_call(&self.gates, name, vec![C::slice(args)]),
            Prec::Atom,
        )
    }

    fn sum(&mut self, terms: &[NodeId]) -> (C, Prec) {
        let g = self.g;
        let signed = surface::sum(terms, |t| surface::negation(g, t, self.named()));
        let signed: Vec<(bool, C)> = signed
            .into_iter()
            .map(|s| match s {
                Signed::Minus(negation) => (true, self.negated(negation)),
                Signed::Plus(t) => (false, self.operand(t, Prec::Sum)),
            })
            .collect();
        self.ops += terms.len() - 1;
        (self.grouped_sum(signed), Prec::Sum)
    }

    /// `a + b - c …` from signed terms. A sum of more than [`SUM_GROUP`] terms becomes
    /// parenthesized groups (and groups of groups): rustc recurses once per operator of an
    /// expression, and a formula of 10 000 terms overflowed its stack.
    fn grouped_sum(&mut self, mut signed: Vec<(bool, C)>) -> C {
        while signed.len() > SUM_GROUP {
            let mut groups = Vec::with_capacity(signed.len().div_ceil(SUM_GROUP));
            let mut terms = signed.into_iter();
            while terms.len() > 0 {
                let sum = self.flat_sum(terms.by_ref().take(SUM_GROUP));
                groups.push((false, sum.parenthesized()));
            }
            signed = groups;
        }
        self.flat_sum(signed)
    }

    fn flat_sum(&mut self, signed: impl IntoIterator<Item = (bool, C)>) -> C {
        let mut out: Option<C> = None;
        for (negative, body) in signed {
            match (&mut out, negative) {
                (None, true) => {
                    self.ops += 1;
                    out = Some(body.minus());
                }
                (None, false) => out = Some(body),
                (Some(sum), true) => sum.push_operator('-', body),
                (Some(sum), false) => sum.push_operator('+', body),
            }
        }
        out.unwrap_or_else(C::empty)
    }

    /// Whether a node is written by its name: then it is an atom, whatever it computes.
    fn named(&self) -> impl Fn(NodeId) -> bool + '_ {
        |id| self.names.contains(id)
    }

    /// The body of a negated term, bound tightly enough to follow `-`.
    fn negated(&mut self, negation: Negation) -> C {
        let (body, prec) = match negation {
            Negation::Constant(v) => self.literal(v),
            Negation::Product(c, factors) => self.product_of(c, factors),
        };
        parenthesize(body, prec, Prec::Product)
    }

    fn product(&mut self, factors: &[NodeId]) -> (C, Prec) {
        // Only `-1` is written as a sign: another negative coefficient is its literal.
        match surface::coefficient(self.g, factors) {
            (-1.0, rest) => {
                self.ops += 1;
                let (body, prec) = self.product_of(1.0, rest);
                (parenthesize(body, prec, Prec::Neg).minus(), Prec::Neg)
            }
            (c, rest) => self.product_of(c, rest),
        }
    }

    /// `coefficient * factors…`, with factors `b^-k` written as divisions.
    fn product_of(&mut self, coefficient: f64, factors: &[NodeId]) -> (C, Prec) {
        let quotient = surface::quotient(self.g, coefficient, factors, self.named());
        let mut numerator: Vec<(C, Prec)> = Vec::new();
        if let Some(c) = quotient.coefficient {
            numerator.push(self.literal(c));
        }
        for &f in &quotient.numerator {
            numerator.push(self.expr(f));
        }
        let mut denominator = Vec::new();
        for &d in &quotient.denominator {
            let (d, prec) = self.raised(d);
            denominator.push(parenthesize(d, prec, Prec::Neg));
        }
        self.ops += numerator.len().max(1) - 1 + denominator.len();
        if numerator.len() == 1 && denominator.is_empty() {
            return numerator.remove(0);
        }
        let mut out = if numerator.is_empty() {
            self.literal(1.0).0
        } else {
            let mut product = C::empty();
            for (k, (t, p)) in numerator.into_iter().enumerate() {
                let t = parenthesize(t, p, Prec::Neg);
                if k == 0 {
                    product = t;
                } else {
                    product.push_operator('*', t);
                }
            }
            product
        };
        for d in denominator {
            out.push_operator('/', d);
        }
        (out, Prec::Product)
    }

    fn power(&mut self, base: NodeId, exponent: NodeId) -> (C, Prec) {
        match surface::power(self.g, base, exponent) {
            Power::Reciprocal(r) => {
                self.ops += 1;
                let (d, prec) = self.raised(r);
                let d = parenthesize(d, prec, Prec::Neg);
                let mut quotient = self.literal(1.0).0;
                quotient.push_operator('/', d);
                (quotient, Prec::Product)
            }
            Power::Constant(r) => self.raised(r),
            Power::General(base, exponent) => {
                self.ops += 1;
                let e = self.operand(exponent, Prec::Sum);
                (self.method(base, "powf", e), Prec::Atom)
            }
        }
    }

    /// `base^k` for a constant `k`: `base`, `base.sqrt()`, `base.powi(k)`, `base.powf(k)`.
    fn raised(&mut self, Raised { base, exponent }: Raised) -> (C, Prec) {
        let call = match exponent {
            Exponent::One => return self.expr(base),
            Exponent::Half => self.method(base, "sqrt", C::empty()),
            Exponent::Other(k) if k.fract() == 0.0 && k <= f64::from(i32::MAX) => {
                self.method(base, "powi", C::integer(k as i32))
            }
            Exponent::Other(k) => {
                let k = self.literal(k).0;
                self.method(base, "powf", k)
            }
        };
        self.ops += 1;
        (call, Prec::Atom)
    }

    /// A constant of type `F`.
    pub fn literal(&self, v: f64) -> (C, Prec) {
        (C::literal(self.float, v), literal_prec(self.float, v))
    }
}

fn parenthesize<C: Code>(code: C, prec: Prec, min: Prec) -> C {
    if prec < min {
        code.parenthesized()
    } else {
        code
    }
}

#[cfg(test)]
mod tests;
