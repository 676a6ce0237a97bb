//! The f64 evaluator: a program compiled once from the DAG, then run on any number of
//! points. Without a select it is straight-line; with one it is run on demand from the
//! roots, so only the branch a select takes is evaluated (SPEC §7) — a step no root
//! needed at this point is left NaN.

use crate::ir::graph::{Graph, Node, NodeId};
use crate::ops::Op;

/// One instruction: `slot[i] = op(slot[args…])` (constants and variables are loaded).
#[derive(Clone, Debug)]
enum Step {
    Const(f64),
    Var(usize),
    Apply(Op, std::ops::Range<usize>),
}

/// The nodes needed for some roots, in topological order, ready to run.
///
/// ```
/// use symgrad_core::{Graph, Op, Program};
/// let mut g = Graph::new();
/// let x = g.var(0);
/// let s = g.apply(Op::Sigmoid, &[x]);
/// let p = Program::new(&g, &[s]);
/// assert_eq!(p.run(&[0.0]), vec![0.5]);
/// ```
#[derive(Clone, Debug)]
pub struct Program {
    steps: Vec<Step>,
    /// Operand slots of every `Apply`, flattened.
    operands: Vec<usize>,
    roots: Vec<usize>,
    /// Whether a step is a select: then only the steps the taken branches need run.
    branches: bool,
}

impl Program {
    /// Compiles the nodes `roots` need, in topological order.
    pub fn new(g: &Graph, roots: &[NodeId]) -> Self {
        let Some(last) = roots.iter().max() else {
            return Program {
                steps: Vec::new(),
                operands: Vec::new(),
                roots: Vec::new(),
                branches: false,
            };
        };
        debug_assert!(last.index() < g.len());
        let needed = g.reachable(roots, &[]);
        let mut slot = vec![usize::MAX; needed.len()];
        let mut steps = Vec::new();
        let mut operands = Vec::new();
        for id in g.ids().take(needed.len()).filter(|id| needed[id.index()]) {
            slot[id.index()] = steps.len();
            steps.push(match g.node(id) {
                Node::Const(c) => Step::Const(c.value()),
                Node::Var(v) => Step::Var(v as usize),
                Node::Apply(op, args) => {
                    let start = operands.len();
                    operands.extend(args.iter().map(|a| slot[a.index()]));
                    Step::Apply(op, start..operands.len())
                }
            });
        }
        let roots = roots.iter().map(|r| slot[r.index()]).collect();
        let branches = steps
            .iter()
            .any(|s| matches!(s, Step::Apply(Op::Select, _)));
        Program {
            steps,
            operands,
            roots,
            branches,
        }
    }

    /// The roots' values at the point `vars` (indexed like `Node::Var`).
    pub fn run(&self, vars: &[f64]) -> Vec<f64> {
        let values = self.run_all(vars);
        self.roots.iter().map(|&r| values[r]).collect()
    }

    /// Every step's value, in step order (for callers that show intermediate values); a
    /// step only a branch not taken needs is NaN.
    pub fn run_all(&self, vars: &[f64]) -> Vec<f64> {
        if self.branches {
            return self.run_taken(vars);
        }
        let mut values = Vec::with_capacity(self.steps.len());
        let mut buf = Vec::new();
        for step in &self.steps {
            let v = match step {
                Step::Const(c) => *c,
                Step::Var(i) => vars.get(*i).copied().unwrap_or(f64::NAN),
                Step::Apply(op, range) => {
                    buf.clear();
                    buf.extend(self.operands[range.clone()].iter().map(|&s| values[s]));
                    op.eval(&buf)
                }
            };
            values.push(v);
        }
        values
    }
}

impl Program {
    /// The steps the roots need at `vars`, on demand: a select waits for its condition,
    /// then for the branch it takes only. An explicit stack, not recursion, so a deep
    /// graph needs no deep native stack; each step is pushed at most once per user.
    fn run_taken(&self, vars: &[f64]) -> Vec<f64> {
        let mut values = vec![f64::NAN; self.steps.len()];
        let mut done = vec![false; self.steps.len()];
        let mut stack: Vec<usize> = self.roots.iter().rev().copied().collect();
        let mut buf = Vec::new();
        while let Some(&s) = stack.last() {
            if done[s] {
                stack.pop();
                continue;
            }
            let v = match &self.steps[s] {
                Step::Const(c) => *c,
                Step::Var(i) => vars.get(*i).copied().unwrap_or(f64::NAN),
                Step::Apply(Op::Select, range) => {
                    let [c, a, b] = self.operands[range.clone()] else {
                        unreachable!("a select has three operands")
                    };
                    if !done[c] {
                        stack.push(c);
                        continue;
                    }
                    let taken = if values[c] > 0.0 { a } else { b };
                    if !done[taken] {
                        stack.push(taken);
                        continue;
                    }
                    values[taken]
                }
                Step::Apply(op, range) => {
                    let operands = &self.operands[range.clone()];
                    let before = stack.len();
                    stack.extend(operands.iter().rev().filter(|&&a| !done[a]));
                    if stack.len() > before {
                        continue;
                    }
                    buf.clear();
                    buf.extend(operands.iter().map(|&a| values[a]));
                    op.eval(&buf)
                }
            };
            values[s] = v;
            done[s] = true;
            stack.pop();
        }
        values
    }
}

/// Evaluates `roots` at the point `vars`.
pub fn evaluate(g: &Graph, roots: &[NodeId], vars: &[f64]) -> Vec<f64> {
    Program::new(g, roots).run(vars)
}
