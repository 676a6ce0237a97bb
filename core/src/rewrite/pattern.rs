//! Patterns over the DAG, written as s-expressions: `(pow (+ 1 (exp (neg ?u))) -1)`.
//!
//! - `?u` binds any node (a second `?u` must be the same node);
//! - a number matches that constant;
//! - `(op p…)` matches an operation; for the n-ary `+` and `*` the operands match in any
//!   order, and a last `?r..` binds whatever operands are left (their sum or product,
//!   `0` or `1` when none are);
//! - `(neg p)` matches a node whose negation matches `p`, so `(exp (neg ?u))` matches
//!   `e^-(a+b)` with `u = a+b` and `e^x` with `u = -x`;
//! - `(negated p)` is `(neg p)` for nodes that read as negated only (`-a`, `-2·x·y`,
//!   a negative constant).
//!
//! Patterns are small, so matching recurses over the pattern, never over the graph.

use std::fmt;

use crate::ir::graph::{Graph, Node, NodeId};
use crate::notation::surface;
use crate::ops::Op;

/// Index of a pattern variable within its rule.
pub(crate) type VarId = usize;

/// At most this many variables per rule, so bindings are a small copyable array.
pub(crate) const MAX_VARS: usize = 8;

/// What each variable of a rule is bound to while matching.
pub(crate) type Bindings = [Option<NodeId>; MAX_VARS];

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Pattern {
    Var(VarId),
    Const(f64),
    /// An operation of fixed arity.
    Apply(Op, Vec<Pattern>),
    /// `+` or `*`: operands in any order, then an optional rest variable.
    Assoc(Op, Vec<Pattern>, Option<VarId>),
    Neg(Box<Pattern>),
    /// Like `Neg`, for nodes that read as negated only.
    Negated(Box<Pattern>),
}

/// A pattern that does not parse, with what is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PatternError(pub String);

impl fmt::Display for PatternError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Parses `text`, numbering variables in `vars` (shared between a rule's two sides).
pub(crate) fn parse(text: &str, vars: &mut Vec<String>) -> Result<Pattern, PatternError> {
    let tokens = tokenize(text);
    let mut pos = 0;
    let pattern = parse_at(&tokens, &mut pos, vars)?;
    if pos != tokens.len() {
        return Err(PatternError(format!(
            "unexpected `{}` after the pattern",
            tokens[pos]
        )));
    }
    Ok(pattern)
}

fn tokenize(text: &str) -> Vec<String> {
    text.replace('(', " ( ")
        .replace(')', " ) ")
        .split_whitespace()
        .map(str::to_string)
        .collect()
}

fn parse_at(
    tokens: &[String],
    pos: &mut usize,
    vars: &mut Vec<String>,
) -> Result<Pattern, PatternError> {
    let Some(token) = tokens.get(*pos) else {
        return Err(PatternError("unexpected end of pattern".into()));
    };
    *pos += 1;
    match token.as_str() {
        ")" => Err(PatternError("unexpected `)`".into())),
        "(" => parse_form(tokens, pos, vars),
        atom => {
            if atom.ends_with("..") {
                return Err(PatternError(format!(
                    "`{atom}` may only end the operands of `+` or `*`"
                )));
            }
            if let Some(name) = atom.strip_prefix('?') {
                return Ok(Pattern::Var(var_id(name, vars)?));
            }
            atom.parse::<f64>()
                .map(Pattern::Const)
                .map_err(|_| PatternError(format!("`{atom}` is neither `?var` nor a number")))
        }
    }
}

/// After `(`: `op operand… )`.
fn parse_form(
    tokens: &[String],
    pos: &mut usize,
    vars: &mut Vec<String>,
) -> Result<Pattern, PatternError> {
    let head = tokens
        .get(*pos)
        .ok_or_else(|| PatternError("unexpected end of pattern".into()))?
        .clone();
    *pos += 1;
    let mut operands = Vec::new();
    let mut rest = None;
    loop {
        match tokens.get(*pos).map(String::as_str) {
            None => return Err(PatternError(format!("unclosed `({head}`"))),
            Some(")") => {
                *pos += 1;
                break;
            }
            Some(t) if t.starts_with('?') && t.ends_with("..") => {
                if rest.is_some() {
                    return Err(PatternError(format!("two rest variables in `({head}`")));
                }
                rest = Some(var_id(&t[1..t.len() - 2], vars)?);
                *pos += 1;
            }
            Some(_) if rest.is_some() => {
                return Err(PatternError(format!(
                    "the rest variable must be last in `({head}`"
                )));
            }
            Some(_) => operands.push(parse_at(tokens, pos, vars)?),
        }
    }
    if head == "neg" || head == "negated" {
        let inner = match (operands.len(), rest) {
            (1, None) => Box::new(operands.remove(0)),
            _ => return Err(PatternError(format!("`{head}` takes one operand"))),
        };
        return Ok(if head == "neg" {
            Pattern::Neg(inner)
        } else {
            Pattern::Negated(inner)
        });
    }
    let op = Op::of_pattern_name(&head)
        .ok_or_else(|| PatternError(format!("unknown operation `{head}`")))?;
    if matches!(op, Op::Add | Op::Mul) {
        if operands.is_empty() {
            return Err(PatternError(format!("`{head}` needs an operand")));
        }
        // The most selective operands first: a constant is found or missed in one scan,
        // and variables match anything.
        operands.sort_by_key(|p| match p {
            Pattern::Const(_) => 0,
            Pattern::Var(_) => 2,
            _ => 1,
        });
        return Ok(Pattern::Assoc(op, operands, rest));
    }
    if rest.is_some() {
        return Err(PatternError(format!(
            "only `+` and `*` take a rest variable, not `{head}`"
        )));
    }
    if operands.len() != op.arity() {
        return Err(PatternError(format!(
            "`{head}` takes {} operand(s), found {}",
            op.arity(),
            operands.len()
        )));
    }
    Ok(Pattern::Apply(op, operands))
}

fn var_id(name: &str, vars: &mut Vec<String>) -> Result<VarId, PatternError> {
    if name.is_empty() {
        return Err(PatternError("a variable needs a name after `?`".into()));
    }
    if let Some(i) = vars.iter().position(|v| v == name) {
        return Ok(i);
    }
    if vars.len() == MAX_VARS {
        return Err(PatternError(format!(
            "more than {MAX_VARS} variables in one rule"
        )));
    }
    vars.push(name.to_string());
    Ok(vars.len() - 1)
}

impl Pattern {
    /// The operation at the root, if it is one (used to skip rules quickly).
    pub(crate) fn root_op(&self) -> Option<Op> {
        match self {
            Pattern::Apply(op, _) | Pattern::Assoc(op, _, _) => Some(*op),
            _ => None,
        }
    }

    /// Whether `node` matches, extending `b`; on failure `b` is left as it was.
    /// Matching may add nodes to `g` (a negation, the rest of a sum); they are
    /// unreachable unless the rule fires.
    pub(crate) fn matches(&self, g: &mut Graph, node: NodeId, b: &mut Bindings) -> bool {
        let saved = *b;
        let ok = self.match_inner(g, node, b);
        if !ok {
            *b = saved;
        }
        ok
    }

    fn match_inner(&self, g: &mut Graph, node: NodeId, b: &mut Bindings) -> bool {
        match self {
            Pattern::Var(v) => match b[*v] {
                Some(bound) => bound == node,
                None => {
                    b[*v] = Some(node);
                    true
                }
            },
            Pattern::Const(c) => g.as_const(node) == Some(*c),
            Pattern::Apply(op, ps) => {
                let Node::Apply(o, args) = g.node(node) else {
                    return false;
                };
                if o != op || args.len() != ps.len() {
                    return false;
                }
                let args = args.clone();
                ps.iter().zip(args.iter()).all(|(p, &a)| p.matches(g, a, b))
            }
            Pattern::Assoc(op, ps, rest) => {
                let Node::Apply(o, args) = g.node(node) else {
                    return false;
                };
                let arity_fits = match rest {
                    None => args.len() == ps.len(),
                    Some(_) => args.len() >= ps.len(),
                };
                if o != op || !arity_fits {
                    return false;
                }
                let args = args.clone();
                OperandMatch {
                    op: *op,
                    rest: *rest,
                    args: &args,
                    used: vec![false; args.len()],
                    budget: MATCH_BUDGET,
                }
                .run(g, ps, b)
            }
            Pattern::Neg(p) => match negation(g, node, p) {
                Some(n) => p.matches(g, n, b),
                None => false,
            },
            Pattern::Negated(p) => {
                if !reads_negated(g, node) {
                    return false;
                }
                let n = g.neg(node);
                p.matches(g, n, b)
            }
        }
    }

    /// Builds the node this pattern describes under `b` (every variable bound).
    pub(crate) fn build(&self, g: &mut Graph, b: &Bindings) -> NodeId {
        match self {
            Pattern::Var(v) => b[*v].expect("rule tables check that every variable is bound"),
            Pattern::Const(c) => g.constant(*c),
            Pattern::Apply(op, ps) => {
                let args: Vec<NodeId> = ps.iter().map(|p| p.build(g, b)).collect();
                g.apply(*op, &args)
            }
            Pattern::Assoc(op, ps, rest) => {
                let mut args: Vec<NodeId> = ps.iter().map(|p| p.build(g, b)).collect();
                if let Some(r) = rest {
                    args.push(b[*r].expect("rule tables check that every variable is bound"));
                }
                g.apply(*op, &args)
            }
            Pattern::Neg(p) | Pattern::Negated(p) => {
                let x = p.build(g, b);
                g.neg(x)
            }
        }
    }
}

/// Operand pairings tried for one sum or product before giving up on it: assignments
/// multiply with the operand count, and a huge sum must not make matching quadratic.
const MATCH_BUDGET: usize = 4096;

/// Matching the operands of one sum or product against a pattern's, in any order.
struct OperandMatch<'a> {
    op: Op,
    rest: Option<VarId>,
    args: &'a [NodeId],
    used: Vec<bool>,
    budget: usize,
}

impl OperandMatch<'_> {
    /// Matches `ps` (then `rest`) against the unused operands, trying every assignment
    /// until the budget is spent.
    fn run(&mut self, g: &mut Graph, ps: &[Pattern], b: &mut Bindings) -> bool {
        let Some((first, others)) = ps.split_first() else {
            let left: Vec<NodeId> = (0..self.args.len())
                .filter(|&i| !self.used[i])
                .map(|i| self.args[i])
                .collect();
            return match self.rest {
                None => left.is_empty(),
                Some(r) => {
                    let node = g.apply(self.op, &left);
                    Pattern::Var(r).matches(g, node, b)
                }
            };
        };
        for i in 0..self.args.len() {
            if self.used[i] {
                continue;
            }
            // A constant matches at most one operand, so finding it costs one scan.
            if !matches!(first, Pattern::Const(_)) {
                if self.budget == 0 {
                    return false;
                }
                self.budget -= 1;
            }
            let saved = *b;
            if first.matches(g, self.args[i], b) {
                self.used[i] = true;
                if self.run(g, others, b) {
                    return true;
                }
                self.used[i] = false;
                *b = saved;
            }
        }
        false
    }
}

/// `-node` in canonical form, or `None` when it could not match `inner`: the negation
/// of a node that does not read as negated is a product `(-1)·node`, which only a
/// variable or a `*` pattern can match, so it is not built for anything else.
fn negation(g: &mut Graph, node: NodeId, inner: &Pattern) -> Option<NodeId> {
    let can_match_product = matches!(inner, Pattern::Var(_) | Pattern::Assoc(Op::Mul, ..));
    (matches!(g.node(node), Node::Const(_)) || reads_negated(g, node) || can_match_product)
        .then(|| g.neg(node))
}

/// A negative constant, or a product with a negative coefficient: what the printers write
/// with a leading `-` (a pattern sees no names, so no node is kept atomic).
fn reads_negated(g: &Graph, node: NodeId) -> bool {
    surface::negation(g, node, |_| false).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pattern(text: &str) -> Result<Pattern, PatternError> {
        parse(text, &mut Vec::new())
    }

    #[test]
    fn parses_nested_forms() {
        let p = pattern("(pow (+ 1 (exp (neg ?u))) -1)").expect("parses");
        assert_eq!(p.root_op(), Some(Op::Pow));
    }

    #[test]
    fn rejects_malformed_patterns() {
        for (text, needle) in [
            ("(pow ?x)", "takes 2 operand(s)"),
            ("(frob ?x)", "unknown operation `frob`"),
            ("(exp ?x", "unclosed"),
            ("(exp ?x))", "unexpected `)`"),
            ("(+ ?r.. ?x)", "must be last"),
            ("(exp ?r..)", "only `+` and `*`"),
            ("(neg ?x ?y)", "`neg` takes one operand"),
            ("(negated)", "`negated` takes one operand"),
            ("abc", "neither `?var` nor a number"),
        ] {
            let err = pattern(text).expect_err(text);
            assert!(err.0.contains(needle), "{text}: {}", err.0);
        }
    }

    #[test]
    fn sum_operands_match_in_any_order() {
        let mut g = Graph::new();
        let x = g.var(0);
        let one = g.constant(1.0);
        let e = g.apply(Op::Exp, &[x]);
        let s = g.add(&[e, one]);
        let p = pattern("(+ 1 (exp ?u))").expect("parses");
        let mut b = [None; MAX_VARS];
        assert!(p.matches(&mut g, s, &mut b));
        assert_eq!(b[0], Some(x));
    }

    #[test]
    fn negation_matches_a_negated_sum_and_a_plain_node() {
        let mut g = Graph::new();
        let (x, y) = (g.var(0), g.var(1));
        let s = g.add(&[x, y]);
        let ns = g.neg(s);
        let p = pattern("(neg ?u)").expect("parses");
        let mut b = [None; MAX_VARS];
        assert!(p.matches(&mut g, ns, &mut b));
        assert_eq!(b[0], Some(s));
        let mut b = [None; MAX_VARS];
        assert!(p.matches(&mut g, x, &mut b));
        let nx = g.neg(x);
        assert_eq!(b[0], Some(nx));
    }

    #[test]
    fn rest_variable_takes_the_other_operands() {
        let mut g = Graph::new();
        let (x, y, z) = (g.var(0), g.var(1), g.var(2));
        let e = g.apply(Op::Exp, &[x]);
        let p = g.mul(&[y, e, z]);
        let pat = pattern("(* (exp ?u) ?r..)").expect("parses");
        let mut b = [None; MAX_VARS];
        assert!(pat.matches(&mut g, p, &mut b));
        let yz = g.mul(&[y, z]);
        assert_eq!(b[1], Some(yz));
    }

    #[test]
    fn repeated_variable_must_bind_the_same_node() {
        let mut g = Graph::new();
        let (x, y) = (g.var(0), g.var(1));
        let ex = g.apply(Op::Exp, &[x]);
        let ey = g.apply(Op::Exp, &[y]);
        let p = g.mul(&[ex, ey]);
        let q = g.mul(&[ex, ex]);
        let pat = pattern("(* (exp ?u) (exp ?u))").expect("parses");
        assert!(!pat.matches(&mut g, p, &mut [None; MAX_VARS]));
        assert!(pat.matches(&mut g, q, &mut [None; MAX_VARS]));
    }
}
