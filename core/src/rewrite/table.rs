//! A rule table: named rules compiled from their s-expression text and checked when
//! the table is built, so a broken rule fails there rather than while rewriting.

use std::fmt;

use crate::ir::graph::{Graph, NodeId};
use crate::ops::Op;
use crate::rewrite::pattern::{self, Bindings, MAX_VARS, Pattern, Scope, VarId};

/// A named predicate on the node a variable is bound to.
#[derive(Clone, Copy, Debug)]
pub struct Guard {
    /// The predicate's name, for messages.
    pub name: &'static str,
    /// Whether the node passes.
    pub holds: fn(&Graph, NodeId) -> bool,
}

/// When a rule runs. The gradient pass leaves out the rules marked
/// [`RuleSpec::forward_only`], for rules that would undo the sharing reverse mode set up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pass {
    /// On the formula, before differentiation.
    Forward,
    /// On the value and the gradient nodes, after differentiation.
    Gradient,
}

/// A rule as written in the table: `lhs` rewrites to `rhs` when the guard holds.
#[derive(Clone, Copy, Debug)]
pub struct RuleSpec {
    /// The rule's name, unique in its table and reported when it fires.
    pub name: &'static str,
    /// The pattern it matches, an s-expression.
    pub lhs: &'static str,
    /// What a match becomes, in the left side's variables.
    pub rhs: &'static str,
    /// `(variable, predicate)`: the rule fires only when the predicate holds for the
    /// node the variable is bound to.
    pub guard: Option<(&'static str, Guard)>,
    /// The passes the rule runs in.
    pub passes: &'static [Pass],
}

impl RuleSpec {
    /// `lhs` rewrites to `rhs` in every pass, with no guard.
    ///
    /// ```
    /// use symgrad_core::rewrite::{RuleSpec, RuleTable};
    /// let rules = [RuleSpec::new("ln-exp", "(ln (exp ?x))", "?x")];
    /// assert!(RuleTable::new(&rules).is_ok());
    /// ```
    pub const fn new(name: &'static str, lhs: &'static str, rhs: &'static str) -> Self {
        RuleSpec {
            name,
            lhs,
            rhs,
            guard: None,
            passes: &[Pass::Forward, Pass::Gradient],
        }
    }

    /// Fires only when `guard` holds for the node bound to `var` (`"?c"`).
    pub const fn when(self, var: &'static str, guard: Guard) -> Self {
        RuleSpec {
            guard: Some((var, guard)),
            ..self
        }
    }

    /// Runs on the formula only, not on the gradient nodes.
    pub const fn forward_only(self) -> Self {
        RuleSpec {
            passes: &[Pass::Forward],
            ..self
        }
    }
}

/// A rule the table failed to compile, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleError {
    /// The rule's name.
    pub rule: &'static str,
    /// What is wrong with it.
    pub message: String,
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "rule `{}`: {}", self.rule, self.message)
    }
}

impl std::error::Error for RuleError {}

#[derive(Clone, Debug)]
struct Rule {
    spec: RuleSpec,
    lhs: Pattern,
    rhs: Pattern,
    guard: Option<(VarId, Guard)>,
    root: Op,
}

/// Compiled, validated rules, tried in table order.
#[derive(Clone, Debug, Default)]
pub struct RuleTable {
    rules: Vec<Rule>,
    /// Per operation (`op as usize`), the positions of the rules rooted at it, in table
    /// order: every node of a pass is tried, and scanning all the rules for the few whose
    /// root is its operation was most of the matching on millions of nodes.
    by_root: Vec<Vec<usize>>,
}

impl RuleTable {
    /// No rules: the graph is only rebuilt in canonical form.
    pub fn empty() -> Self {
        RuleTable::default()
    }

    /// Compiles `specs`: each pattern parses, the left side is an operation, every
    /// variable of the right side and of the guard is bound by the left side, and names
    /// are unique.
    pub fn new(specs: &[RuleSpec]) -> Result<Self, RuleError> {
        let mut rules: Vec<Rule> = Vec::with_capacity(specs.len());
        for spec in specs {
            let fail = |message: String| RuleError {
                rule: spec.name,
                message,
            };
            if rules.iter().any(|r| r.spec.name == spec.name) {
                return Err(fail("defined twice".into()));
            }
            let mut scope = Scope::default();
            let lhs = pattern::parse(spec.lhs, &mut scope)
                .map_err(|e| fail(format!("left side: {e}")))?;
            let bound = scope.vars.len();
            scope.enter_right_side();
            let rhs = pattern::parse(spec.rhs, &mut scope)
                .map_err(|e| fail(format!("right side: {e}")))?;
            if let Some(unbound) = scope.vars.get(bound) {
                return Err(fail(format!("`?{unbound}` is not bound by the left side")));
            }
            let root = lhs
                .root_op()
                .ok_or_else(|| fail("the left side must be an operation".into()))?;
            let guard = match spec.guard {
                None => None,
                Some((var, g)) => {
                    let name = var.strip_prefix('?').unwrap_or(var);
                    if scope.is_repeated(name) {
                        return Err(fail(format!(
                            "guard `{}` names `{var}`, which takes a value per operand",
                            g.name
                        )));
                    }
                    let v =
                        scope.vars.iter().position(|v| v == name).ok_or_else(|| {
                            fail(format!("guard `{}` names unbound `{var}`", g.name))
                        })?;
                    Some((v, g))
                }
            };
            rules.push(Rule {
                spec: *spec,
                lhs,
                rhs,
                guard,
                root,
            });
        }
        Ok(RuleTable::indexed(rules))
    }

    fn indexed(rules: Vec<Rule>) -> Self {
        let mut by_root = vec![Vec::new(); Op::ALL.len()];
        for (i, rule) in rules.iter().enumerate() {
            by_root[rule.root as usize].push(i);
        }
        RuleTable { rules, by_root }
    }

    /// The names of the rules, in table order.
    pub fn names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.rules.iter().map(|r| r.spec.name)
    }

    /// The rule called `name`, as written.
    pub fn spec(&self, name: &str) -> Option<&RuleSpec> {
        self.rules
            .iter()
            .map(|r| &r.spec)
            .find(|spec| spec.name == name)
    }

    /// Only the rule called `name` (for testing one rule at a time).
    pub fn only(&self, name: &str) -> Option<RuleTable> {
        let rule = self.rules.iter().find(|r| r.spec.name == name)?;
        Some(RuleTable::indexed(vec![rule.clone()]))
    }

    /// The first rule of `pass` that matches `node`: its name and the replacement.
    pub(crate) fn rewrite(
        &self,
        g: &mut Graph,
        node: NodeId,
        pass: Pass,
    ) -> Option<(&'static str, NodeId)> {
        let op = g.node(node).op()?;
        for &i in self.by_root.get(op as usize)? {
            let rule = &self.rules[i];
            if !rule.spec.passes.contains(&pass) {
                continue;
            }
            let mut b: Bindings = [None; MAX_VARS];
            if !rule.lhs.matches(g, node, &mut b) {
                continue;
            }
            if let Some((v, guard)) = rule.guard {
                let bound = b[v].expect("the guard's variable is bound by the left side");
                if !(guard.holds)(g, bound) {
                    continue;
                }
            }
            let replacement = rule.rhs.build(g, &b);
            if replacement != node {
                return Some((rule.spec.name, replacement));
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NEVER: Guard = Guard {
        name: "never",
        holds: |_, _| false,
    };

    fn table(specs: &[RuleSpec]) -> Result<RuleTable, RuleError> {
        RuleTable::new(specs)
    }

    #[test]
    fn unbound_right_side_variable_is_rejected() {
        let err = table(&[RuleSpec::new("bad", "(exp ?x)", "?y")]).expect_err("unbound");
        assert_eq!(err.rule, "bad");
        assert!(err.message.contains("`?y` is not bound"), "{err}");
    }

    #[test]
    fn duplicate_names_are_rejected() {
        let r = RuleSpec::new("twice", "(exp (ln ?x))", "?x");
        let err = table(&[r, r]).expect_err("duplicate");
        assert!(err.message.contains("defined twice"), "{err}");
    }

    #[test]
    fn left_side_must_be_an_operation() {
        let err = table(&[RuleSpec::new("var", "?x", "?x")]).expect_err("bare variable");
        assert!(err.message.contains("must be an operation"), "{err}");
    }

    #[test]
    fn guard_must_name_a_bound_variable() {
        let err = table(&[RuleSpec::new("g", "(exp ?x)", "?x").when("?y", NEVER)])
            .expect_err("guard on unbound variable");
        assert!(err.message.contains("guard `never`"), "{err}");
    }

    #[test]
    fn a_failing_guard_stops_the_rule() {
        let t =
            table(&[RuleSpec::new("g", "(ln (exp ?x))", "?x").when("?x", NEVER)]).expect("valid");
        let mut g = Graph::new();
        let x = g.var(0);
        let e = g.apply(Op::Exp, &[x]);
        let l = g.apply(Op::Ln, &[e]);
        assert_eq!(t.rewrite(&mut g, l, Pass::Forward), None);
    }
}
