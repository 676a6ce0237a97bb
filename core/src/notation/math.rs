//! Math notation for nodes of the DAG: `σ(w0·x0 + w1·x1 + w2)`, `a - b`, `a/b`, with
//! sub-expressions used more than once named once (`t1 = …`) so the text stays linear in
//! the size of the graph.

use std::collections::HashMap;

use crate::ir::graph::{Graph, Node, NodeId};
use crate::ops::Op;

/// Roots printed in math notation, with the shared sub-expressions they refer to. The
/// first root is printed with names only for what it shares within itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Listing {
    /// `(name, definition)` in evaluation order: `("t1", "σ(x + y)")`.
    pub shared: Vec<(String, String)>,
    /// Each root's expression; a root is printed in full even when it is shared.
    pub roots: Vec<String>,
}

/// Prints `roots` of `g`, naming variable `i` by `var_names[i]`.
///
/// ```
/// use symgrad_core::{listing, Graph, Op};
/// let mut g = Graph::new();
/// let x = g.var(0);
/// let s = g.apply(Op::Sigmoid, &[x]);
/// let one = g.constant(1.0);
/// let ns = g.neg(s);
/// let d = g.add(&[one, ns]);
/// let d = g.mul(&[s, d]);
/// let l = listing(&g, &["x".to_string()], &[s, d]);
/// assert_eq!(l.shared, vec![("t1".to_string(), "σ(x)".to_string())]);
/// assert_eq!(l.roots, vec!["σ(x)", "t1·(1 - t1)"]);
/// ```
pub fn listing(g: &Graph, var_names: &[String], roots: &[NodeId]) -> Listing {
    let roots_ids = roots;
    let mut printer = Printer {
        g,
        var_names,
        names: HashMap::new(),
    };
    let mut shared = Vec::new();
    for id in printer.shared_nodes(roots) {
        let text = printer.expr(id).0;
        let name = format!("t{}", shared.len() + 1);
        printer.names.insert(id, name.clone());
        shared.push((name, text));
    }
    // The first root (the formula's value) reads on its own: only what it shares within
    // itself stays named.
    let Some((&first, rest)) = roots_ids.split_first() else {
        return Listing {
            shared,
            roots: Vec::new(),
        };
    };
    let local: HashMap<NodeId, String> = printer
        .shared_nodes(&[first])
        .into_iter()
        .filter_map(|id| printer.names.get(&id).map(|n| (id, n.clone())))
        .collect();
    let value = Printer {
        g,
        var_names,
        names: local,
    }
    .expr(first)
    .0;
    let roots = std::iter::once(value)
        .chain(rest.iter().map(|&r| printer.expr(r).0))
        .collect();
    Listing { shared, roots }
}

/// One expression in math notation, sub-expressions repeated where shared.
pub fn to_math(g: &Graph, var_names: &[String], root: NodeId) -> String {
    Printer {
        g,
        var_names,
        names: HashMap::new(),
    }
    .expr(root)
    .0
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

struct Printer<'a> {
    g: &'a Graph,
    var_names: &'a [String],
    names: HashMap<NodeId, String>,
}

impl Printer<'_> {
    /// Non-trivial nodes used more than once, in topological order.
    fn shared_nodes(&self, roots: &[NodeId]) -> Vec<NodeId> {
        let uses = self.g.use_counts(roots, &[]);
        self.g
            .ids()
            .take(uses.len())
            .filter(|id| uses[id.index()] > 1 && !self.is_trivial(*id))
            .collect()
    }

    /// Small enough to repeat: leaves, and sums, products and powers of two leaves.
    fn is_trivial(&self, id: NodeId) -> bool {
        match self.g.node(id) {
            Node::Apply(Op::Add | Op::Mul | Op::Pow, args) => {
                args.len() <= 2 && args.iter().all(|a| self.g.node(*a).args().is_empty())
            }
            Node::Apply(..) => false,
            _ => true,
        }
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
        match op {
            Op::Add => (self.sum(args), Prec::Sum),
            Op::Mul => self.product(args),
            Op::Pow => self.power(args[0], args[1]),
            Op::Ge | Op::Gt => {
                let rel = if op == Op::Ge { "≥" } else { ">" };
                let (a, b) = (
                    self.operand(args[0], Prec::Sum),
                    self.operand(args[1], Prec::Sum),
                );
                (format!("[{a} {rel} {b}]"), Prec::Atom)
            }
            // Not functions of the language: written as what they compute, so the text
            // parses back (and fuses into the same stable gate again).
            Op::Ln1p => {
                let inner = match self.negated(args[0]) {
                    Some(body) => format!("1 - {body}"),
                    None => format!("1 + {}", self.operand(args[0], Prec::Sum)),
                };
                (format!("ln({inner})"), Prec::Atom)
            }
            Op::ExpM1 => (
                format!("exp({}) - 1", self.operand(args[0], Prec::Sum)),
                Prec::Sum,
            ),
            _ => {
                let list: Vec<String> = args.iter().map(|&a| self.operand(a, Prec::Sum)).collect();
                (format!("{}({})", op.name(), list.join(", ")), Prec::Atom)
            }
        }
    }

    fn sum(&self, terms: &[NodeId]) -> String {
        // Each term is printed once: printing a term twice (once to ask whether it reads as a
        // negation, once to show it) doubles the work at every nesting level.
        let mut parts: Vec<(bool, String)> = terms
            .iter()
            .map(|&t| match self.negated(t) {
                Some(body) => (true, body),
                None => (false, self.operand(t, Prec::Sum)),
            })
            .collect();
        // `1 - t` reads better than `-t + 1`: lead with the first term that is not negated.
        if let Some(p) = parts.iter().position(|(negated, _)| !negated) {
            parts[..=p].rotate_right(1);
        }
        let mut out = String::new();
        for (k, (negated, body)) in parts.iter().enumerate() {
            if k > 0 {
                out.push_str(if *negated { " - " } else { " + " });
            } else if *negated {
                out.push('-');
            }
            out.push_str(body);
        }
        out
    }

    /// `Some(text of -t)` when `t` reads as a negation: a negative constant, or a
    /// product with a negative coefficient.
    fn negated(&self, t: NodeId) -> Option<String> {
        if self.names.contains_key(&t) {
            return None;
        }
        match self.g.node(t) {
            Node::Const(c) if c.value() < 0.0 => Some(constant(-c.value())),
            Node::Apply(Op::Mul, args) => match self.g.as_const(args[0]) {
                Some(c) if c < 0.0 => Some(self.product_text(-c, &args[1..]).0),
                // A factor that is itself a negation (`a·(-b)`, once `-b` became a shared
                // product of its own): read the whole product as `-(a·b)`.
                _ => {
                    let i = args.iter().position(|&f| self.negated_product(f))?;
                    let negated_factor = self.negated(args[i])?;
                    let rest: Vec<NodeId> = [&args[..i], &args[i + 1..]].concat();
                    let (rest, _) = self.product_text(1.0, &rest);
                    Some(format!("{negated_factor}·{rest}"))
                }
            },
            _ => None,
        }
    }

    /// A product with a negative coefficient that is printed where it is used.
    fn negated_product(&self, t: NodeId) -> bool {
        !self.names.contains_key(&t)
            && matches!(self.g.node(t), Node::Apply(Op::Mul, args)
                if self.g.as_const(args[0]).is_some_and(|c| c < 0.0))
    }

    fn product(&self, factors: &[NodeId]) -> (String, Prec) {
        match self.g.as_const(factors[0]) {
            Some(c) if c < 0.0 => {
                let (body, p) = self.product_text(-c, &factors[1..]);
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
            Some(c) => self.product_text(c, &factors[1..]),
            None => self.product_text(1.0, factors),
        }
    }

    /// `coefficient · factors`, with factors `b^-k` written as divisions.
    fn product_text(&self, coefficient: f64, factors: &[NodeId]) -> (String, Prec) {
        let mut numerator = Vec::new();
        let mut denominator = Vec::new();
        if coefficient != 1.0 {
            numerator.push(constant(coefficient));
        }
        // The precedence of a lone factor, taken as it is printed rather than by printing it
        // again (which would double the work at every nesting level).
        let mut only_factor_prec = Prec::Atom;
        for &f in factors {
            match self.reciprocal(f) {
                Some(d) => denominator.push(d),
                None => {
                    let (text, p) = self.operand_prec(f, Prec::Power);
                    numerator.push(text);
                    only_factor_prec = p;
                }
            }
        }
        if numerator.is_empty() && denominator.is_empty() {
            return ("1".to_string(), Prec::Atom);
        }
        if numerator.len() == 1 && denominator.is_empty() {
            let p = if factors.len() == 1 && coefficient == 1.0 {
                only_factor_prec.max(Prec::Product)
            } else {
                Prec::Product
            };
            return (numerator.remove(0), p);
        }
        let mut text = if numerator.is_empty() {
            "1".to_string()
        } else {
            numerator.join("·")
        };
        for d in denominator {
            text.push('/');
            text.push_str(&d);
        }
        (text, Prec::Product)
    }

    /// `Some(text of b^k)` when `f` is `b^-k` (a divisor).
    fn reciprocal(&self, f: NodeId) -> Option<String> {
        if self.names.contains_key(&f) {
            return None;
        }
        let Node::Apply(Op::Pow, args) = self.g.node(f) else {
            return None;
        };
        let k = self.g.as_const(args[1]).filter(|k| *k < 0.0)?;
        Some(self.power_text(args[0], -k))
    }

    fn power(&self, base: NodeId, exponent: NodeId) -> (String, Prec) {
        if let Some(k) = self.g.as_const(exponent) {
            if k < 0.0 {
                return (format!("1/{}", self.power_text(base, -k)), Prec::Product);
            }
            return (self.power_text(base, k), Prec::Power);
        }
        let b = self.operand(base, Prec::Atom);
        // An exponent is signs and a power chain (`x^-y^2`), never a product: `x^a·b` is
        // `(x^a)·b`.
        let e = match self.operand_prec(exponent, Prec::Neg) {
            (e, Prec::Product) => format!("({e})"),
            (e, _) => e,
        };
        (format!("{b}^{e}"), Prec::Power)
    }

    /// `base^k` for a positive constant `k`, as an operand of a product.
    fn power_text(&self, base: NodeId, k: f64) -> String {
        if k == 0.5 {
            return format!("sqrt({})", self.operand(base, Prec::Sum));
        }
        let b = self.operand(base, Prec::Atom);
        if k == 1.0 {
            b
        } else {
            format!("{b}^{}", constant(k))
        }
    }
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
mod tests {
    use super::*;

    fn names() -> Vec<String> {
        ["x", "y", "z"].map(String::from).to_vec()
    }

    fn show(build: impl FnOnce(&mut Graph, [NodeId; 3]) -> NodeId) -> String {
        let mut g = Graph::new();
        let v = [g.var(0), g.var(1), g.var(2)];
        let root = build(&mut g, v);
        to_math(&g, &names(), root)
    }

    #[test]
    fn subtraction_reads_as_minus() {
        assert_eq!(show(|g, [x, y, _]| g.sub(x, y)), "x - y");
    }

    #[test]
    fn division_reads_as_slash() {
        assert_eq!(show(|g, [x, y, _]| g.div(x, y)), "x/y");
    }

    #[test]
    fn reciprocal_reads_as_one_over() {
        assert_eq!(
            show(|g, [x, _, _]| {
                let m = g.constant(-1.0);
                g.pow(x, m)
            }),
            "1/x"
        );
    }

    #[test]
    fn sum_inside_product_is_parenthesized() {
        assert_eq!(
            show(|g, [x, y, z]| {
                let s = g.add(&[x, y]);
                g.mul(&[s, z])
            }),
            "z·(x + y)",
            "operands are in id order; z was created before the sum"
        );
    }

    #[test]
    fn a_sum_of_negated_terms_leads_with_a_minus() {
        assert_eq!(
            show(|g, [x, y, _]| {
                let (nx, ny) = (g.neg(x), g.neg(y));
                g.add(&[nx, ny])
            }),
            "-x - y"
        );
    }

    #[test]
    fn a_product_with_a_negated_factor_reads_as_subtraction() {
        // `x + y·(-z)`: sharing made `-z` a product of its own (it is also a partial).
        assert_eq!(
            show(|g, [x, y, z]| {
                let nz = g.neg(z);
                let product = g.intern(Node::Apply(Op::Mul, [y, nz].into()));
                g.add(&[x, product])
            }),
            "x - z·y"
        );
    }

    #[test]
    fn nested_negations_print_in_linear_time() {
        // `-sin(-sin(…x…))`: each level once asked its operand twice whether it reads as a
        // negation, so 100 levels took 2^100 steps.
        let text = show(|g, [x, _, _]| {
            (0..100).fold(x, |inner, _| {
                let s = g.apply(Op::Sin, &[inner]);
                g.neg(s)
            })
        });
        assert_eq!(text, format!("{}x{}", "-sin(".repeat(100), ")".repeat(100)));
    }

    #[test]
    fn a_negated_quotient_in_an_exponent_is_parenthesized() {
        // Found by the fuzzer: `le^-(1/me)` printed as `le^-1/me`, which reads `(le^-1)/me`.
        assert_eq!(
            show(|g, [x, y, _]| {
                let m = g.constant(-1.0);
                let r = g.pow(y, m);
                let e = g.neg(r);
                g.pow(x, e)
            }),
            "x^(-1/y)"
        );
    }

    #[test]
    fn a_product_in_an_exponent_is_parenthesized() {
        // Found by the fuzzer: `l**+(a·z)` printed as `l^a·z`.
        assert_eq!(
            show(|g, [x, y, z]| {
                let p = g.mul(&[y, z]);
                g.pow(x, p)
            }),
            "x^(y·z)"
        );
    }

    #[test]
    fn a_negated_power_in_an_exponent_needs_no_parentheses() {
        assert_eq!(
            show(|g, [x, y, z]| {
                let p = g.pow(y, z);
                let e = g.neg(p);
                g.pow(x, e)
            }),
            "x^-y^z"
        );
    }

    #[test]
    fn negated_sum_is_parenthesized() {
        assert_eq!(
            show(|g, [x, y, _]| {
                let s = g.add(&[x, y]);
                g.neg(s)
            }),
            "-(x + y)"
        );
    }

    #[test]
    fn negative_exponent_in_a_product_is_a_division() {
        assert_eq!(
            show(|g, [x, y, _]| {
                let m = g.constant(-2.0);
                let p = g.pow(y, m);
                g.mul(&[x, p])
            }),
            "x/y^2"
        );
    }

    #[test]
    fn square_root_reads_as_sqrt() {
        assert_eq!(
            show(|g, [x, _, _]| {
                let h = g.constant(0.5);
                g.pow(x, h)
            }),
            "sqrt(x)"
        );
    }

    #[test]
    fn stable_gates_outside_the_language_print_as_what_they_compute() {
        assert_eq!(show(|g, [x, _, _]| g.apply(Op::Ln1p, &[x])), "ln(1 + x)");
        assert_eq!(
            show(|g, [x, _, _]| {
                let n = g.neg(x);
                g.apply(Op::Ln1p, &[n])
            }),
            "ln(1 - x)"
        );
        assert_eq!(
            show(|g, [x, y, _]| {
                let e = g.apply(Op::ExpM1, &[x]);
                g.mul(&[y, e])
            }),
            "y·(exp(x) - 1)"
        );
    }

    #[test]
    fn constants_e_and_pi_print_by_name() {
        assert_eq!(show(|g, _| g.constant(std::f64::consts::PI)), "π");
    }

    #[test]
    fn non_finite_constants_print_as_formulas() {
        assert_eq!(show(|g, _| g.constant(f64::NAN)), "(0/0)");
        assert_eq!(
            show(|g, [x, _, _]| {
                let inf = g.constant(f64::INFINITY);
                g.mul(&[inf, x])
            }),
            "(1/0)·x"
        );
        assert_eq!(
            show(|g, [x, _, _]| {
                let inf = g.constant(f64::NEG_INFINITY);
                g.add(&[x, inf])
            }),
            "x - (1/0)"
        );
    }

    #[test]
    fn numbers_print_in_shortest_round_trip_form() {
        assert_eq!(number(0.1), "0.1");
        assert_eq!(number(2.0), "2");
        assert_eq!(number(1e300), "1e300");
        assert_eq!(number(-2.5e-7), "-2.5e-7");
        assert_eq!(number(f64::NAN), "NaN");
        assert_eq!(number(f64::NEG_INFINITY), "-inf");
    }

    #[test]
    fn shared_subexpressions_are_named_once() {
        let mut g = Graph::new();
        let x = g.var(0);
        let s = g.apply(Op::Sin, &[x]);
        let a = g.mul(&[s, s]);
        let e = g.apply(Op::Exp, &[s]);
        let l = listing(&g, &names(), &[a, e]);
        assert_eq!(l.shared, vec![("t1".to_string(), "sin(x)".to_string())]);
        assert_eq!(l.roots, vec!["t1·t1", "exp(t1)"]);
    }
}
