//! Patterns over the DAG, written as s-expressions: `(pow (+ 1 (exp (neg ?u))) -1)`.
//!
//! - `?u` binds any node (a second `?u` must be the same node);
//! - a number matches that constant;
//! - `(op p…)` matches an operation; for the variadic `+`, `*` and `logsumexp` the
//!   operands match in any order, and a last `?r..` binds whatever operands are left
//!   (their sum, product or logsumexp, `0`, `1` or `-∞` when none are);
//! - a last operand `p..` of a variadic operation matches one or more operands left, each
//!   as `p`, whose one variable `?x` takes a value per operand: the right side spreads
//!   them as operands of a variadic operation with `?x..` (`(ln (+ (exp ?x)..))` →
//!   `(logsumexp ?x..)`);
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
use smallvec::SmallVec;

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
    /// A variadic operation: operands in any order, then what may be left.
    Assoc(Op, Vec<Pattern>, Rest),
    /// `?x..` on a right side: the values a repeated pattern's variable took, as operands.
    Spread(Repeat),
    Neg(Box<Pattern>),
    /// Like `Neg`, for nodes that read as negated only.
    Negated(Box<Pattern>),
}

/// What a variadic operation's pattern does with the operands its own patterns left.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Rest {
    /// There must be none.
    Nothing,
    /// `?r..` binds them, as the operation of them.
    Var(VarId),
    /// `p..`: one or more, each matching `p`.
    Each(Repeat),
}

/// `p..`: a pattern every operand left matches, and where the operands it matched are kept.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Repeat {
    /// The variadic operation whose operands these are.
    op: Op,
    /// The pattern each operand matches.
    each: Box<Pattern>,
    /// Its one variable, bound afresh for each operand.
    var: VarId,
    /// The slot holding the operands matched, as one unreduced node `op(operands…)`.
    operands: VarId,
}

/// The variables of a rule's two sides, and the repeated patterns of its left side.
#[derive(Clone, Debug, Default)]
pub(crate) struct Scope {
    /// Variable names by slot; a repeat's slot of operands is named `x..` after its `?x`.
    pub(crate) vars: Vec<String>,
    /// Each repeated pattern's variable name and the repeat.
    repeats: Vec<(String, Repeat)>,
    /// Whether the right side is being parsed.
    right: bool,
}

impl Scope {
    /// From now on patterns are parsed as a right side.
    pub(crate) fn enter_right_side(&mut self) {
        self.right = true;
    }

    /// Whether `name` is the variable of a repeated pattern.
    pub(crate) fn is_repeated(&self, name: &str) -> bool {
        self.repeats.iter().any(|(n, _)| n == name)
    }
}

/// A pattern that does not parse, with what is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PatternError(pub String);

impl fmt::Display for PatternError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Parses `text`, numbering variables in `scope` (shared between a rule's two sides).
pub(crate) fn parse(text: &str, scope: &mut Scope) -> Result<Pattern, PatternError> {
    let tokens = tokenize(text);
    let mut pos = 0;
    let pattern = parse_at(&tokens, &mut pos, scope)?;
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
    scope: &mut Scope,
) -> Result<Pattern, PatternError> {
    let Some(token) = tokens.get(*pos) else {
        return Err(PatternError("unexpected end of pattern".into()));
    };
    *pos += 1;
    match token.as_str() {
        ")" => Err(PatternError("unexpected `)`".into())),
        "(" => parse_form(tokens, pos, scope),
        atom => {
            if atom.ends_with("..") {
                return Err(PatternError(format!(
                    "`{atom}` may only be an operand of a variadic operation"
                )));
            }
            if let Some(name) = atom.strip_prefix('?') {
                if scope.is_repeated(name) {
                    return Err(PatternError(format!(
                        "`?{name}` takes a value per operand: write `?{name}..`"
                    )));
                }
                return Ok(Pattern::Var(var_id(name, &mut scope.vars)?));
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
    scope: &mut Scope,
) -> Result<Pattern, PatternError> {
    let head = tokens
        .get(*pos)
        .ok_or_else(|| PatternError("unexpected end of pattern".into()))?
        .clone();
    *pos += 1;
    let variadic = Op::of_pattern_name(&head).filter(|op| op.is_variadic());
    let mut operands = Vec::new();
    let mut rest = Rest::Nothing;
    loop {
        match tokens.get(*pos).map(String::as_str) {
            None => return Err(PatternError(format!("unclosed `({head}`"))),
            Some(")") => {
                *pos += 1;
                break;
            }
            Some(_) if rest != Rest::Nothing => {
                return Err(PatternError(format!(
                    "the rest variable must be last in `({head}`"
                )));
            }
            Some(t) if t.starts_with('?') && t.ends_with("..") => {
                let name = &t[1..t.len() - 2];
                *pos += 1;
                match scope.repeats.iter().find(|(n, _)| n == name) {
                    Some((_, repeat)) if scope.right && variadic.is_some() => {
                        operands.push(Pattern::Spread(repeat.clone()))
                    }
                    Some(_) => {
                        return Err(PatternError(format!(
                            "`?{name}..` spreads only into a variadic operation's right side"
                        )));
                    }
                    None => rest = Rest::Var(var_id(name, &mut scope.vars)?),
                }
            }
            Some(_) => {
                let before = scope.vars.len();
                let operand = parse_at(tokens, pos, scope)?;
                if tokens.get(*pos).map(String::as_str) == Some("..") {
                    *pos += 1;
                    rest = Rest::Each(repeat(&head, variadic, operand, before, scope)?);
                } else {
                    operands.push(operand);
                }
            }
        }
    }
    if head == "neg" || head == "negated" {
        let inner = match (operands.len(), rest) {
            (1, Rest::Nothing) => Box::new(operands.remove(0)),
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
    if op.is_variadic() {
        if operands.is_empty() && rest == Rest::Nothing {
            return Err(PatternError(format!("`{head}` needs an operand")));
        }
        // The most selective operands first: a constant is found or missed in one scan,
        // and variables match anything. But a variable a sibling names too comes before
        // that sibling: a nested match keeps the first binding it finds (`?a` of
        // `(+ ?a (neg (logsumexp ?a ?r..)))` bound inside could miss the sum's `a`), while
        // one bound here is tried against every operand.
        let shared: Vec<VarId> = operands
            .iter()
            .filter_map(|p| match p {
                Pattern::Var(v) if operands.iter().filter(|q| q.mentions(*v)).count() > 1 => {
                    Some(*v)
                }
                _ => None,
            })
            .collect();
        operands.sort_by_key(|p| match p {
            Pattern::Const(_) => 0,
            Pattern::Var(v) if shared.contains(v) => 1,
            Pattern::Var(_) => 3,
            _ => 2,
        });
        return Ok(Pattern::Assoc(op, operands, rest));
    }
    if rest != Rest::Nothing {
        return Err(PatternError(format!(
            "only a variadic operation takes a rest variable, not `{head}`"
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

/// `each..`, the last operand of `(head …`: a left side's, with exactly one variable of its
/// own (from `first_var` on in `scope`), in a variadic operation.
fn repeat(
    head: &str,
    variadic: Option<Op>,
    each: Pattern,
    first_var: usize,
    scope: &mut Scope,
) -> Result<Repeat, PatternError> {
    let Some(op) = variadic.filter(|_| !scope.right) else {
        return Err(PatternError(format!(
            "`(…)..` repeats an operand of a variadic operation's left side, not of `({head}`"
        )));
    };
    let [name] = &scope.vars[first_var..] else {
        return Err(PatternError(format!(
            "a repeated operand of `({head}` needs exactly one variable of its own"
        )));
    };
    let name = name.clone();
    let var = first_var;
    let operands = var_id(&format!("{name}.."), &mut scope.vars)?;
    let repeat = Repeat {
        op,
        each: Box::new(each),
        var,
        operands,
    };
    scope.repeats.push((name, repeat.clone()));
    Ok(repeat)
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

    /// Whether the pattern names the variable `v`.
    fn mentions(&self, v: VarId) -> bool {
        match self {
            Pattern::Var(w) => *w == v,
            Pattern::Const(_) | Pattern::Spread(_) => false,
            Pattern::Apply(_, ps) => ps.iter().any(|p| p.mentions(v)),
            Pattern::Assoc(_, ps, rest) => {
                ps.iter().any(|p| p.mentions(v))
                    || matches!(rest, Rest::Var(r) if *r == v)
                    || matches!(rest, Rest::Each(repeat) if repeat.each.mentions(v))
            }
            Pattern::Neg(p) | Pattern::Negated(p) => p.mentions(v),
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
                if o != *op
                    || args.len() != ps.len()
                    || !ps.iter().zip(args.iter()).all(|(p, &a)| p.may_match(g, a))
                {
                    return false;
                }
                let args: SmallVec<[NodeId; 4]> = SmallVec::from_slice(args);
                ps.iter().zip(args.iter()).all(|(p, &a)| p.matches(g, a, b))
            }
            Pattern::Assoc(op, ps, rest) => {
                let Node::Apply(o, args) = g.node(node) else {
                    return false;
                };
                let arity_fits = match rest {
                    Rest::Nothing => args.len() == ps.len(),
                    Rest::Var(_) => args.len() >= ps.len(),
                    Rest::Each(_) => args.len() > ps.len(),
                };
                if o != *op
                    || !arity_fits
                    || !ps.iter().all(|p| args.iter().any(|&a| p.may_match(g, a)))
                {
                    return false;
                }
                let args: SmallVec<[NodeId; 4]> = SmallVec::from_slice(args);
                OperandMatch {
                    op: *op,
                    rest,
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
            Pattern::Spread(_) => unreachable!("rule tables parse `?x..` on right sides only"),
            Pattern::Negated(p) => {
                if !reads_negated(g, node) {
                    return false;
                }
                let n = g.neg(node);
                p.matches(g, n, b)
            }
        }
    }

    /// Whether `node` passes a shallow test every match passes: the operation at its root
    /// or its constant. Cheap and builds nothing, so a sum's operands are sifted by it
    /// before any of them is matched (a sum of 16 terms against a rule naming one operand
    /// `(neg (logsumexp …))` is 16 looks, not 16 negations built).
    fn may_match(&self, g: &Graph, node: NodeId) -> bool {
        match self {
            Pattern::Const(c) => g.as_const(node) == Some(*c),
            Pattern::Apply(op, _) | Pattern::Assoc(op, _, _) => g.node(node).op() == Some(*op),
            Pattern::Neg(inner) if negates_to_operand(inner) => {
                negated_operand(g, node).is_some_and(|x| inner.may_match(g, x))
            }
            _ => true,
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
                let mut args = Vec::with_capacity(ps.len() + 1);
                for p in ps {
                    match p {
                        Pattern::Spread(repeat) => args.extend(repeat.values(g, b)),
                        p => args.push(p.build(g, b)),
                    }
                }
                if let Rest::Var(r) = rest {
                    args.push(b[*r].expect("rule tables check that every variable is bound"));
                }
                g.apply(*op, &args)
            }
            Pattern::Spread(_) => {
                unreachable!("rule tables spread `?x..` into variadic operations only")
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

impl Repeat {
    /// Whether every one of `operands` (one or more) matches; then the slot of operands
    /// holds them, the variable is left unbound.
    fn matches(&self, g: &mut Graph, operands: Vec<NodeId>, b: &mut Bindings) -> bool {
        if operands.is_empty()
            || !operands
                .iter()
                .all(|&a| self.each.matches(g, a, &mut { *b }))
        {
            return false;
        }
        let node = g.intern(Node::Apply(self.op, &operands));
        Pattern::Var(self.operands).matches(g, node, b)
    }

    /// The value the variable takes in each operand matched.
    fn values(&self, g: &mut Graph, b: &Bindings) -> Vec<NodeId> {
        let held = b[self.operands].expect("rule tables check that every variable is bound");
        let operands = g.node(held).args().to_vec();
        operands
            .into_iter()
            .map(|a| {
                let mut own = *b;
                let matched = self.each.matches(g, a, &mut own);
                debug_assert!(matched, "an operand matched while the rule did");
                own[self.var].expect("the repeated pattern binds its variable")
            })
            .collect()
    }
}

/// Matching the operands of one variadic operation against a pattern's, in any order.
struct OperandMatch<'a> {
    op: Op,
    rest: &'a Rest,
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
                Rest::Nothing => left.is_empty(),
                Rest::Var(r) => {
                    let node = g.apply(self.op, &left);
                    Pattern::Var(*r).matches(g, node, b)
                }
                Rest::Each(repeat) => repeat.matches(g, left, b),
            };
        };
        for i in 0..self.args.len() {
            if self.used[i] || !first.may_match(g, self.args[i]) {
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
    if negates_to_operand(inner) {
        return negated_operand(g, node);
    }
    let can_match_product = matches!(inner, Pattern::Var(_) | Pattern::Assoc(Op::Mul, ..));
    (matches!(g.node(node), Node::Const(_)) || reads_negated(g, node) || can_match_product)
        .then(|| g.neg(node))
}

/// Whether `inner` is an operation other than a product: of all nodes, only `(-1)·x` has
/// a negation that is such an operation (the negation of a constant is a constant, of any
/// other product a product), and that negation is `x`.
fn negates_to_operand(inner: &Pattern) -> bool {
    inner.root_op().is_some_and(|op| op != Op::Mul)
}

/// `x` when `node` is `(-1)·x`: its negation, found without building it.
fn negated_operand(g: &Graph, node: NodeId) -> Option<NodeId> {
    match g.node(node) {
        Node::Apply(Op::Mul, args) if args.len() == 2 && g.is_const(args[0], -1.0) => Some(args[1]),
        _ => None,
    }
}

/// A negative constant, or a product with a negative coefficient: what the printers write
/// with a leading `-` (a pattern sees no names, so no node is kept atomic).
fn reads_negated(g: &Graph, node: NodeId) -> bool {
    surface::negation(g, node, |_| false).is_some()
}

#[cfg(test)]
mod tests;
