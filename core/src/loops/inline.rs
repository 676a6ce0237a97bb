//! A `let` read by one statement of its own block is written into that statement's
//! expression, as the scalar form's `let`s are: the rules then see across it (`let p =
//! σ(z);` then `ln(p)` is `-softplus(-z)`, stable where `ln(0)` would not be), and the
//! backward pass has one adjoint fewer. A `let` read inside a nested loop stays, so that
//! it is computed once rather than once per iteration.

use std::collections::HashMap;

use symgrad_grammar::{BindingIndex, Cond, CondKind, Expr, ExprKind, Formula, VarIndex};

use crate::loops::program::{Leaf, LoopFn, Rhs, Stmt};

/// `f` with its single-use `let`s written into their readers.
pub(crate) fn single_use_lets(f: &LoopFn) -> LoopFn {
    let mut f = f.clone();
    loop {
        let uses = count_uses(&f);
        let mut value = f.value.clone();
        let changed = inline_in(&mut f.body, Some(&mut value), &uses);
        f.value = value;
        if !changed {
            return f;
        }
    }
}

/// How many expressions read each name.
fn count_uses(f: &LoopFn) -> HashMap<String, usize> {
    let mut uses = HashMap::new();
    let mut count = |rhs: &Rhs| {
        for leaf in &rhs.leaves {
            if let Leaf::Name(n) = leaf {
                *uses.entry(n.to_string()).or_insert(0) += 1;
            }
        }
    };
    fn walk(stmts: &[Stmt], count: &mut dyn FnMut(&Rhs)) {
        for stmt in stmts {
            match stmt {
                Stmt::Let { value, .. }
                | Stmt::Acc { init: value, .. }
                | Stmt::Update { value, .. }
                | Stmt::Store { value, .. } => count(value),
                Stmt::For { body, .. } => walk(body, count),
                Stmt::Array { .. } => {}
            }
        }
    }
    walk(&f.body, &mut count);
    count(&f.value);
    uses
}

/// Inlines, in `stmts` and the blocks inside, the last `let` that one later statement of
/// the same block reads (or `value`, the function's value, after the top-level block).
fn inline_in(
    stmts: &mut Vec<Stmt>,
    value: Option<&mut Rhs>,
    uses: &HashMap<String, usize>,
) -> bool {
    for stmt in stmts.iter_mut() {
        if let Stmt::For { body, .. } = stmt
            && inline_in(body, None, uses)
        {
            return true;
        }
    }
    let mut value = value;
    for i in (0..stmts.len()).rev() {
        let Stmt::Let {
            name,
            value: definition,
        } = &stmts[i]
        else {
            continue;
        };
        if uses.get(&name.to_string()) != Some(&1) {
            continue;
        }
        let (name, definition) = (name.to_string(), definition.clone());
        let reader = stmts[i + 1..].iter_mut().find_map(|s| match s {
            Stmt::Let { value, .. }
            | Stmt::Acc { init: value, .. }
            | Stmt::Update { value, .. }
            | Stmt::Store { value, .. } => reads(value, &name).then_some(value),
            _ => None,
        });
        let reader = match reader {
            Some(r) => Some(r),
            None => value.as_deref_mut().filter(|v| reads(v, &name)),
        };
        if let Some(reader) = reader {
            *reader = substitute(reader, &name, &definition);
            stmts.remove(i);
            return true;
        }
    }
    false
}

fn reads(rhs: &Rhs, name: &str) -> bool {
    rhs.leaves
        .iter()
        .any(|l| matches!(l, Leaf::Name(n) if *n == name))
}

/// A leaf's identity: what it reads.
fn key(leaf: &Leaf) -> String {
    match leaf {
        Leaf::Name(n) => n.to_string(),
        Leaf::Element { array, index } => {
            let index: Vec<String> = index.iter().map(ToString::to_string).collect();
            format!("{array}[{}]", index.join("]["))
        }
        Leaf::Count(c) => format!("({c}) as F"),
    }
}

/// `reader` with its leaf `name` replaced by `definition`, which becomes a binding of it.
fn substitute(reader: &Rhs, name: &str, definition: &Rhs) -> Rhs {
    let k = reader
        .leaves
        .iter()
        .position(|l| matches!(l, Leaf::Name(n) if *n == name))
        .expect("the reader reads the name");
    // The leaves: the reader's without `name`, then the definition's that are new.
    let mut leaves: Vec<Leaf> = Vec::new();
    let mut vars: Vec<String> = Vec::new();
    let mut reader_map = vec![None; reader.leaves.len()];
    for (j, leaf) in reader.leaves.iter().enumerate() {
        if j != k {
            reader_map[j] = Some(leaves.len());
            leaves.push(leaf.clone());
            vars.push(reader.formula.vars[j].clone());
        }
    }
    let keys: Vec<String> = leaves.iter().map(key).collect();
    let mut definition_map = Vec::new();
    for (j, leaf) in definition.leaves.iter().enumerate() {
        match keys.iter().position(|x| *x == key(leaf)) {
            Some(at) => definition_map.push(at),
            None => {
                definition_map.push(leaves.len());
                leaves.push(leaf.clone());
                vars.push(definition.formula.vars[j].clone());
            }
        }
    }
    // The bindings: the definition's, the definition itself, then the reader's.
    let inner = definition.formula.bindings.len();
    let at = BindingIndex(inner);
    let shift = inner + 1;
    let mut bindings: Vec<Expr> = definition
        .formula
        .bindings
        .iter()
        .map(|b| remap(b, &|v| ExprKind::Var(VarIndex(definition_map[v])), &|b| b))
        .collect();
    bindings.push(remap(
        &definition.formula.expr,
        &|v| ExprKind::Var(VarIndex(definition_map[v])),
        &|b| b,
    ));
    let from_reader = |v: usize| match reader_map[v] {
        Some(j) => ExprKind::Var(VarIndex(j)),
        None => ExprKind::Binding(at),
    };
    let shifted = |b: usize| b + shift;
    bindings.extend(
        reader
            .formula
            .bindings
            .iter()
            .map(|b| remap(b, &from_reader, &shifted)),
    );
    let expr = remap(&reader.formula.expr, &from_reader, &shifted);
    Rhs {
        formula: Formula {
            source: String::new(),
            expr,
            vars,
            bindings,
        },
        leaves,
    }
}

/// `e` with each variable `v` replaced by `var(v)` and each binding `b` by `binding(b)`.
fn remap(e: &Expr, var: &dyn Fn(usize) -> ExprKind, binding: &dyn Fn(usize) -> usize) -> Expr {
    let kind = match &e.kind {
        ExprKind::Var(VarIndex(v)) => var(*v),
        ExprKind::Binding(BindingIndex(b)) => ExprKind::Binding(BindingIndex(binding(*b))),
        ExprKind::Number(_) | ExprKind::Constant(_) => e.kind.clone(),
        ExprKind::Neg(x) => ExprKind::Neg(Box::new(remap(x, var, binding))),
        ExprKind::Sum(terms) => ExprKind::Sum(
            terms
                .iter()
                .map(|(s, t)| (*s, remap(t, var, binding)))
                .collect(),
        ),
        ExprKind::Product(factors) => ExprKind::Product(
            factors
                .iter()
                .map(|(o, t)| (*o, remap(t, var, binding)))
                .collect(),
        ),
        ExprKind::Pow(a, b) => ExprKind::Pow(
            Box::new(remap(a, var, binding)),
            Box::new(remap(b, var, binding)),
        ),
        ExprKind::Call(func, args) => {
            ExprKind::Call(*func, args.iter().map(|a| remap(a, var, binding)).collect())
        }
        ExprKind::If(c, a, b) => ExprKind::If(
            Box::new(remap_cond(c, var, binding)),
            Box::new(remap(a, var, binding)),
            Box::new(remap(b, var, binding)),
        ),
    };
    Expr { kind, span: e.span }
}

fn remap_cond(c: &Cond, var: &dyn Fn(usize) -> ExprKind, binding: &dyn Fn(usize) -> usize) -> Cond {
    let kind = match &c.kind {
        CondKind::Compare(op, a, b) => CondKind::Compare(
            *op,
            Box::new(remap(a, var, binding)),
            Box::new(remap(b, var, binding)),
        ),
        CondKind::And(cs) => {
            CondKind::And(cs.iter().map(|c| remap_cond(c, var, binding)).collect())
        }
        CondKind::Or(cs) => CondKind::Or(cs.iter().map(|c| remap_cond(c, var, binding)).collect()),
        CondKind::Not(c) => CondKind::Not(Box::new(remap_cond(c, var, binding))),
    };
    Cond { kind, span: c.span }
}
