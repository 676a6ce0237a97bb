//! Rust expressions for nodes of the DAG, with the fewest parentheses Rust's precedence
//! allows: `a·b^-1` is `a / b`, `a + (-1)·b` is `a - b`, integer powers are `powi`, gates
//! call the generated `gates` module. The emitter also counts the operations it writes
//! (an n-term sum n-1, `a / b` one, a call one), which is what [`crate::count_ops`] reports;
//! written into [`CountOnly`](super::code::CountOnly) it only counts.

use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::{ToTokens, quote};

use crate::codegen::Float;
use crate::codegen::code::Code;
use crate::ir::graph::{Graph, Node, NodeId};
use crate::ops::{Op, Operator, Rust};

/// How tightly an expression binds in Rust, loosest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Prec {
    Sum,
    Product,
    /// Unary minus (tighter than `*` in Rust).
    Neg,
    /// Names, literals, calls, method calls, parentheses.
    Atom,
}

/// Writes expressions for one generated function as `C`.
#[derive(Debug)]
pub(crate) struct Emitter<'a, C: Code> {
    g: &'a Graph,
    params: &'a [Ident],
    float: Float,
    /// Path of the module holding the gate functions (`gates` or `f::gates`).
    gates: TokenStream,
    /// Nodes available by name: `let`s already written and a tape's fields.
    names: foldhash::HashMap<NodeId, C::Name>,
    /// Operations written so far.
    pub ops: usize,
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
            names: foldhash::HashMap::default(),
            ops: 0,
        }
    }

    /// From now on `id` is written as `name`.
    pub fn name(&mut self, id: NodeId, name: C::Name) {
        self.names.insert(id, name);
    }

    /// The expression for `id`: its name if it has one, else its definition.
    pub fn expr(&mut self, id: NodeId) -> (C, Prec) {
        match self.names.get(&id) {
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
            Node::Var(i) => match self.params.get(*i as usize) {
                Some(p) => (C::ident(p), Prec::Atom),
                None => self.literal(f64::NAN),
            },
            Node::Apply(op, args) => self.apply(*op, args),
        }
    }

    fn apply(&mut self, op: Op, args: &[NodeId]) -> (C, Prec) {
        match op.rust() {
            Rust::Operator(Operator::Sum) => self.sum(args),
            Rust::Operator(Operator::Product) => self.product(args),
            Rust::Operator(Operator::Power) => self.power(args[0], args[1]),
            Rust::Method(method) => {
                self.ops += 1;
                (self.method(args[0], method, C::empty()), Prec::Atom)
            }
            Rust::Gate(name) => self.gate(name, args),
        }
    }

    /// `x.method(extra)`, or `f64::method(x, extra)` when `x` is a literal (whose type a
    /// method call could not infer).
    fn method(&mut self, receiver: NodeId, method: &str, extra: C) -> C {
        if self.g.as_const(receiver).is_some() && !self.names.contains_key(&receiver) {
            let (x, _) = self.expr(receiver);
            return C::float_call(self.float, method, x, extra);
        }
        self.operand(receiver, Prec::Atom)
            .method_call(method, extra)
    }

    /// `gates::name(args…)`.
    fn gate(&mut self, name: &str, args: &[NodeId]) -> (C, Prec) {
        self.ops += 1;
        let args: Vec<C> = args.iter().map(|&a| self.operand(a, Prec::Sum)).collect();
        (C::gate_call(&self.gates, name, args), Prec::Atom)
    }

    fn sum(&mut self, terms: &[NodeId]) -> (C, Prec) {
        // `1 - t` reads better than `-t + 1`: lead with the first term not negated.
        let mut terms = terms.to_vec();
        if let Some(p) = terms.iter().position(|&t| self.negation(t).is_none()) {
            terms[..=p].rotate_right(1);
        }
        let signed: Vec<(bool, C)> = terms
            .iter()
            .map(|&t| match self.negation(t) {
                Some(negated) => (true, self.negated(negated)),
                None => (false, self.operand(t, Prec::Sum)),
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

    /// How `t` reads as the negation of something: a negative constant, or a product
    /// with a negative coefficient. `None` for a named node.
    fn negation(&self, t: NodeId) -> Option<Negated> {
        if self.names.contains_key(&t) {
            return None;
        }
        match self.g.node(t) {
            Node::Const(c) if c.value() < 0.0 => Some(Negated::Constant(-c.value())),
            Node::Apply(Op::Mul, args) => {
                let c = self.g.as_const(args[0]).filter(|c| *c < 0.0)?;
                Some(Negated::Product(-c, t))
            }
            _ => None,
        }
    }

    /// The body of a negated term, bound tightly enough to follow `-`.
    fn negated(&mut self, negated: Negated) -> C {
        let (body, prec) = match negated {
            Negated::Constant(v) => self.literal(v),
            Negated::Product(c, t) => {
                let g = self.g;
                self.product_of(c, &g.node(t).args()[1..])
            }
        };
        parenthesize(body, prec, Prec::Product)
    }

    fn product(&mut self, factors: &[NodeId]) -> (C, Prec) {
        match self.g.as_const(factors[0]) {
            Some(-1.0) => {
                self.ops += 1;
                let (body, prec) = self.product_of(1.0, &factors[1..]);
                (parenthesize(body, prec, Prec::Neg).minus(), Prec::Neg)
            }
            Some(c) => self.product_of(c, &factors[1..]),
            None => self.product_of(1.0, factors),
        }
    }

    /// `coefficient * factors…`, with factors `b^-k` written as divisions.
    fn product_of(&mut self, coefficient: f64, factors: &[NodeId]) -> (C, Prec) {
        let mut numerator: Vec<(C, Prec)> = Vec::new();
        let mut denominator = Vec::new();
        if coefficient != 1.0 {
            numerator.push(self.literal(coefficient));
        }
        for &f in factors {
            match self.reciprocal(f) {
                Some((base, k)) => {
                    let (d, prec) = self.power_of(base, k);
                    denominator.push(parenthesize(d, prec, Prec::Neg));
                }
                None => numerator.push(self.expr(f)),
            }
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

    /// `Some((b, k))` when `f` is `b^-k` for a positive constant `k` (a divisor).
    fn reciprocal(&self, f: NodeId) -> Option<(NodeId, f64)> {
        if self.names.contains_key(&f) {
            return None;
        }
        let Node::Apply(Op::Pow, args) = self.g.node(f) else {
            return None;
        };
        let k = self.g.as_const(args[1]).filter(|k| *k < 0.0)?;
        Some((args[0], -k))
    }

    fn power(&mut self, base: NodeId, exponent: NodeId) -> (C, Prec) {
        match self.g.as_const(exponent) {
            Some(k) if k < 0.0 => {
                self.ops += 1;
                let (d, prec) = self.power_of(base, -k);
                let d = parenthesize(d, prec, Prec::Neg);
                let mut quotient = self.literal(1.0).0;
                quotient.push_operator('/', d);
                (quotient, Prec::Product)
            }
            Some(k) => self.power_of(base, k),
            None => {
                self.ops += 1;
                let e = self.operand(exponent, Prec::Sum);
                (self.method(base, "powf", e), Prec::Atom)
            }
        }
    }

    /// `base^k` for a constant `k > 0`: `base`, `base.sqrt()`, `base.powi(k)`, `base.powf(k)`.
    fn power_of(&mut self, base: NodeId, k: f64) -> (C, Prec) {
        if k == 1.0 {
            return self.expr(base);
        }
        self.ops += 1;
        let call = if k == 0.5 {
            self.method(base, "sqrt", C::empty())
        } else if k.fract() == 0.0 && k <= f64::from(i32::MAX) {
            self.method(base, "powi", C::integer(k as i32))
        } else {
            let k = self.literal(k).0;
            self.method(base, "powf", k)
        };
        (call, Prec::Atom)
    }

    /// A constant of type `F`.
    pub fn literal(&self, v: f64) -> (C, Prec) {
        (C::literal(self.float, v), literal_prec(self.float, v))
    }
}

/// A constant of type `float`: a literal, a named constant (`E`, `PI`, …) or
/// `NAN`/`INFINITY`, negated with `-` (so `Prec::Neg`, see [`literal_prec`]) when negative.
pub(crate) fn float_literal(float: Float, v: f64) -> (TokenStream, Prec) {
    let prec = literal_prec(float, v);
    let named = named_constant(v.abs());
    let v = float.round(v);
    let magnitude = if v.is_nan() {
        return (quote!(#float::NAN), prec);
    } else if let Some(name) = named {
        let name = Ident::new(name, Span::call_site());
        quote!(::core::#float::consts::#name)
    } else if v.is_infinite() {
        quote!(#float::INFINITY)
    } else {
        let text = match float {
            Float::F64 => format!("{:?}", v.abs()),
            Float::F32 => format!("{:?}", v.abs() as f32),
        };
        text.parse::<Literal>()
            .unwrap_or_else(|_| Literal::f64_unsuffixed(v.abs()))
            .into_token_stream()
    };
    match prec {
        Prec::Neg => (quote!(-#magnitude), prec),
        _ => (magnitude, prec),
    }
}

/// How tightly the literal of `v` binds: a negative number is written with `-`.
fn literal_prec(float: Float, v: f64) -> Prec {
    let v = float.round(v);
    if !v.is_nan() && v.is_sign_negative() {
        Prec::Neg
    } else {
        Prec::Atom
    }
}

/// A term that reads as a negation.
#[derive(Clone, Copy, Debug)]
enum Negated {
    /// `-v` for this positive `v`.
    Constant(f64),
    /// `-(c · rest)` for this positive `c` and the product node.
    Product(f64, NodeId),
}

fn parenthesize<C: Code>(code: C, prec: Prec, min: Prec) -> C {
    if prec < min {
        code.parenthesized()
    } else {
        code
    }
}

/// The name of a constant of `core::f64::consts`, when `v` is exactly one.
fn named_constant(v: f64) -> Option<&'static str> {
    use std::f64::consts as c;
    [
        (c::E, "E"),
        (c::PI, "PI"),
        (c::TAU, "TAU"),
        (c::FRAC_PI_2, "FRAC_PI_2"),
        (c::FRAC_PI_3, "FRAC_PI_3"),
        (c::FRAC_PI_4, "FRAC_PI_4"),
        (c::FRAC_PI_6, "FRAC_PI_6"),
        (c::FRAC_PI_8, "FRAC_PI_8"),
        (c::FRAC_1_PI, "FRAC_1_PI"),
        (c::FRAC_2_PI, "FRAC_2_PI"),
        (c::FRAC_2_SQRT_PI, "FRAC_2_SQRT_PI"),
        (c::SQRT_2, "SQRT_2"),
        (c::FRAC_1_SQRT_2, "FRAC_1_SQRT_2"),
        (c::LN_2, "LN_2"),
        (c::LN_10, "LN_10"),
        (c::LOG2_E, "LOG2_E"),
        (c::LOG10_E, "LOG10_E"),
        (c::LOG2_10, "LOG2_10"),
        (c::LOG10_2, "LOG10_2"),
    ]
    .into_iter()
    .find(|(value, _)| *value == v)
    .map(|(_, name)| name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codegen::code::CountOnly;

    /// The Rust expression for the node `build` returns, in the variables `x`, `y`, `z`.
    fn rust(build: impl FnOnce(&mut Graph, [NodeId; 3]) -> NodeId) -> (String, usize) {
        let mut g = Graph::new();
        let v = [g.var(0), g.var(1), g.var(2)];
        let root = build(&mut g, v);
        let params = [
            quote::format_ident!("x"),
            quote::format_ident!("y"),
            quote::format_ident!("z"),
        ];
        let mut emitter = Emitter::<TokenStream>::new(&g, &params, Float::F64, quote!(gates));
        let (tokens, _) = emitter.expr(root);
        let mut counter = Emitter::<CountOnly>::new(&g, &params, Float::F64, quote!(gates));
        counter.expr(root);
        assert_eq!(
            counter.ops, emitter.ops,
            "counting writes what emitting writes"
        );
        (tokens.to_string(), emitter.ops)
    }

    #[test]
    fn subtraction_is_minus_and_one_operation() {
        assert_eq!(rust(|g, [x, y, _]| g.sub(x, y)), ("x - y".to_string(), 1));
    }

    #[test]
    fn a_subtracted_sum_keeps_its_parentheses() {
        let (code, _) = rust(|g, [x, y, z]| {
            let s = g.add(&[y, z]);
            g.sub(x, s)
        });
        assert_eq!(code, "x - (y + z)");
    }

    #[test]
    fn division_is_slash_and_one_operation() {
        assert_eq!(rust(|g, [x, y, _]| g.div(x, y)), ("x / y".to_string(), 1));
    }

    #[test]
    fn a_product_divisor_keeps_its_parentheses() {
        let (code, ops) = rust(|g, [x, y, z]| {
            let p = g.add(&[y, z]);
            let d = g.mul(&[p, z]);
            g.div(x, d)
        });
        assert_eq!(code, "x / (z * (y + z))");
        assert_eq!(ops, 3);
    }

    #[test]
    fn a_method_receiver_is_parenthesized() {
        let (code, _) = rust(|g, [x, _, _]| {
            let n = g.neg(x);
            g.apply(Op::Exp, &[n])
        });
        assert_eq!(code, "(- x) . exp ()");
    }

    #[test]
    fn integer_powers_are_powi_halves_sqrt_others_powf() {
        let power = |k: f64| {
            rust(move |g, [x, _, _]| {
                let k = g.constant(k);
                g.pow(x, k)
            })
            .0
        };
        assert_eq!(power(3.0), "x . powi (3)");
        assert_eq!(power(0.5), "x . sqrt ()");
        assert_eq!(power(1.5), "x . powf (1.5)");
        assert_eq!(power(-2.0), "1.0 / x . powi (2)");
    }

    #[test]
    fn a_power_of_a_constant_names_the_float_type() {
        let (code, _) = rust(|g, [x, _, _]| {
            let two = g.constant(2.0);
            g.pow(two, x)
        });
        assert_eq!(code, "f64 :: powf (2.0 , x)");
    }

    #[test]
    fn gates_call_the_gates_module() {
        let (code, ops) = rust(|g, [x, y, _]| {
            let s = g.add(&[x, y]);
            g.apply(Op::Sigmoid, &[s])
        });
        assert_eq!(code, "gates :: sigmoid (x + y)");
        assert_eq!(ops, 2);
    }

    #[test]
    fn special_constants_are_named() {
        assert_eq!(
            float_literal(Float::F64, std::f64::consts::PI)
                .0
                .to_string(),
            ":: core :: f64 :: consts :: PI"
        );
        assert_eq!(
            float_literal(Float::F32, -f64::INFINITY).0.to_string(),
            "- f32 :: INFINITY"
        );
        assert_eq!(
            float_literal(Float::F32, 1e300).0.to_string(),
            "f32 :: INFINITY"
        );
        assert_eq!(
            float_literal(Float::F64, f64::NAN).0.to_string(),
            "f64 :: NAN"
        );
        assert_eq!(float_literal(Float::F64, 1e-300).0.to_string(), "1e-300");
    }
}
