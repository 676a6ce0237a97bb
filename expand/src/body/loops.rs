//! The Rust-body form with arrays and loops (SPEC §8): the body's statements read into
//! `core`'s loop IR ([`symgrad_core::loops`]), each statement's expression lowered by the
//! scalar form's [`Lowering`] with its names and array elements as the formula's leaves.
//!
//! Accepted: `let x = e;`, accumulators `let mut s = e;` updated by `s += e;`, `s -= e;`,
//! `s = s.max(e);`, `s = s.min(e);`, local arrays `let mut h = [0.0; M];` (or
//! `[[0.0; N]; M]`) whose elements are each assigned once (`h[j] = e;`), `for i in a..b`
//! loops, indexing by loop variables, `usize` parameters and constants, `i as f64` and
//! `x.len() as f64`, and a final expression, the value.

use std::collections::{HashMap, HashSet};

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};
use symgrad_core::Float;
use symgrad_core::loops::{Leaf, Rhs, Stmt as IrStmt, Update};
use symgrad_grammar::{ExprKind, Formula, VarIndex};
use syn::ext::IdentExt;
use syn::{BinOp, Block, Expr, Ident, Pat, Stmt};

use super::{Ast, Lowering, ast};
use crate::errors::{Errors, list};

/// What the body can name besides its own locals.
pub(crate) struct Names {
    /// Scalar float parameters.
    pub scalars: Vec<Ident>,
    /// Array and slice parameters, with how many indices an element takes.
    pub arrays: Vec<(Ident, usize)>,
    /// `usize` parameters.
    pub indices: Vec<Ident>,
    pub float: Float,
}

/// The body as the loop IR: its statements and its value.
pub(crate) struct LoopBody {
    pub body: Vec<IrStmt>,
    pub value: Rhs,
}

/// What an expression's names refer to while a loop body is lowered.
#[derive(Clone, Default)]
pub(super) struct LeafScope {
    /// Scalars in scope: parameters and locals.
    pub(super) scalars: HashMap<String, Ident>,
    /// Arrays in scope, with their ranks.
    pub(super) arrays: HashMap<String, (Ident, usize)>,
    /// Loop variables and `usize` parameters in scope.
    pub(super) indices: HashSet<String>,
    /// Accumulators and local arrays that may not be read here (updated later or here).
    pub(super) unreadable: HashSet<String>,
    /// The leaves of the expression being lowered, and their keys (their tokens).
    pub(super) leaves: Vec<Leaf>,
    pub(super) keys: Vec<String>,
    pub(super) float: Option<Float>,
    /// The items of an iterator's closure: elements (or rows) of an array.
    pub(super) aliases: HashMap<String, Alias>,
    /// Statements an iterator reduction puts before the statement being lowered.
    pub(super) pending: Vec<IrStmt>,
    /// Every name of the function and every name generated: fresh names avoid them.
    pub(super) taken: HashSet<String>,
    /// Names read too early, reported once.
    reported: HashSet<String>,
}

/// A closure's name for an element (`rank` 0) or a row of an array.
#[derive(Clone)]
pub(crate) struct Alias {
    pub array: Ident,
    pub index: Vec<TokenStream>,
    pub rank: usize,
}

impl LeafScope {
    /// A name like `base` (`sum`, `sum_1`, …) that nothing in the function has.
    pub(super) fn fresh(&mut self, base: &str) -> Ident {
        let mut name = base.to_string();
        let mut n = 0;
        while self.taken.contains(&name) {
            n += 1;
            name = format!("{base}_{n}");
        }
        self.taken.insert(name.clone());
        quote::format_ident!("{}", name)
    }

    /// Whether `name` means something here.
    pub(super) fn in_scope(&self, name: &str) -> bool {
        self.scalars.contains_key(name)
            || self.arrays.contains_key(name)
            || self.indices.contains(name)
            || self.aliases.contains_key(name)
    }

    pub(super) fn leaf(&mut self, key: String, leaf: Leaf) -> Ast {
        let k = match self.keys.iter().position(|k| *k == key) {
            Some(k) => k,
            None => {
                self.keys.push(key);
                self.leaves.push(leaf);
                self.leaves.len() - 1
            }
        };
        ast(ExprKind::Var(VarIndex(k)))
    }
}

/// Lowers `body` into the loop IR, or `None` when an error was pushed.
pub(crate) fn lower(body: &Block, names: &Names, errors: &mut Errors) -> Option<LoopBody> {
    let mut scope = LeafScope {
        float: Some(names.float),
        ..LeafScope::default()
    };
    for s in &names.scalars {
        scope.scalars.insert(s.unraw().to_string(), s.clone());
    }
    for (a, rank) in &names.arrays {
        scope
            .arrays
            .insert(a.unraw().to_string(), (a.clone(), *rank));
    }
    for i in &names.indices {
        scope.indices.insert(i.unraw().to_string());
    }
    scope.taken = idents(&body.to_token_stream());
    scope.taken.extend(
        names
            .scalars
            .iter()
            .chain(names.arrays.iter().map(|(a, _)| a))
            .chain(&names.indices)
            .map(|i| i.unraw().to_string()),
    );
    let mut walker = Walker {
        lowering: Lowering {
            scope: HashMap::new(),
            bindings: Vec::new(),
            constants: Vec::new(),
            param_index: HashMap::new(),
            params: &[],
            errors,
            leaves: Some(scope),
        },
        declared: names
            .scalars
            .iter()
            .chain(names.arrays.iter().map(|(a, _)| a))
            .chain(&names.indices)
            .map(|i| i.unraw().to_string())
            .collect(),
        acc_kinds: HashMap::new(),
        loop_vars: HashSet::new(),
        accs: HashSet::new(),
        array_scopes: HashMap::new(),
        ok: true,
    };
    let stmts = &body.stmts;
    let Some((Stmt::Expr(tail, None), init)) = stmts.split_last() else {
        walker.lowering.errors.push(syn::Error::new(
            body.brace_token.span.close(),
            "the body must end with an expression, the function's value",
        ));
        return None;
    };
    let mut ir = walker.stmts(init, &[]);
    let value = walker.rhs(tail);
    ir.append(&mut walker.scope().pending);
    (walker.ok).then_some(())?;
    Some(LoopBody {
        body: ir,
        value: value?,
    })
}

/// An accumulator's kind, which its updates may not mix.
#[derive(Clone, Copy, PartialEq, Eq)]
enum AccKind {
    /// `+=` and `-=`.
    Sum,
    /// `s = s.max(…)` or `s = s.min(…)`, once.
    Extremum,
    /// `*=`.
    Product,
}

impl AccKind {
    fn of(how: Update) -> AccKind {
        match how {
            Update::Add | Update::Sub => AccKind::Sum,
            Update::Max | Update::Min => AccKind::Extremum,
            Update::Mul => AccKind::Product,
        }
    }
}

struct Walker<'a> {
    lowering: Lowering<'a>,
    /// Every name bound so far: a second binding of a name is an error in this form.
    declared: HashSet<String>,
    /// What each updated accumulator is, from its first update.
    acc_kinds: HashMap<String, AccKind>,
    /// The loop variables' names: a value may not take one.
    loop_vars: HashSet<String>,
    /// Accumulators: the `let mut` scalars.
    accs: HashSet<String>,
    /// The local arrays.
    array_scopes: HashMap<String, ArrayScope>,
    ok: bool,
}

/// How a statement changes an accumulator or a local array.
fn writes(stmt: &Stmt, into: &mut Vec<String>) {
    let Stmt::Expr(e, _) = stmt else { return };
    match e {
        Expr::Binary(b) if matches!(b.op, BinOp::AddAssign(_) | BinOp::SubAssign(_)) => {
            into.extend(target_name(&b.left));
        }
        Expr::Assign(a) => into.extend(target_name(&a.left)),
        Expr::ForLoop(l) => {
            for s in &l.body.stmts {
                writes(s, into);
            }
        }
        _ => {}
    }
}

/// The name a `let` binds, when its pattern is a name.
fn local_ident(pat: &Pat) -> Option<&Ident> {
    match pat {
        Pat::Type(t) => local_ident(&t.pat),
        Pat::Ident(p) => Some(&p.ident),
        _ => None,
    }
}

/// A local array: how many indices an element takes, how many loops its declaration is
/// in, and the literal indices of each store into it (`None` for a store indexed by loop
/// variables).
#[derive(Clone, Default)]
struct ArrayScope {
    rank: usize,
    depth: usize,
    stores: Vec<Option<Vec<String>>>,
}

/// Every identifier in `tokens`.
fn idents(tokens: &TokenStream) -> HashSet<String> {
    let mut all = HashSet::new();
    for t in tokens.clone() {
        match t {
            proc_macro2::TokenTree::Ident(i) => {
                all.insert(i.unraw().to_string());
            }
            proc_macro2::TokenTree::Group(g) => all.extend(idents(&g.stream())),
            _ => {}
        }
    }
    all
}

/// The name at the root of an indexed or plain name (`h` in `h[j]`).
pub(super) fn root_name(e: &Expr) -> Option<String> {
    target_name(e)
}

/// The name at the root of an assignment's target (`s`, or `h` in `h[j]`).
fn target_name(e: &Expr) -> Option<String> {
    match e {
        Expr::Path(p) => p.path.get_ident().map(|i| i.unraw().to_string()),
        Expr::Index(i) => target_name(&i.expr),
        Expr::Paren(p) => target_name(&p.expr),
        _ => None,
    }
}

impl Walker<'_> {
    fn error(&mut self, at: impl ToTokens, message: impl std::fmt::Display) {
        self.ok = false;
        self.lowering.errors.at(at, message);
    }

    fn scope(&mut self) -> &mut LeafScope {
        self.lowering.leaves.as_mut().expect("lowering a loop body")
    }

    /// The statements of one level; `loops` are the loop variables around them.
    fn stmts(&mut self, stmts: &[Stmt], loops: &[Ident]) -> Vec<IrStmt> {
        // The last statement of this level writing each name: reads wait for it.
        // Only the names declared at this level: an outer level covers the others.
        let here: HashSet<String> = stmts
            .iter()
            .filter_map(|s| match s {
                Stmt::Local(l) => local_ident(&l.pat).map(|i| i.unraw().to_string()),
                _ => None,
            })
            .collect();
        let mut last_write: HashMap<String, usize> = HashMap::new();
        for (k, s) in stmts.iter().enumerate() {
            let mut names = Vec::new();
            writes(s, &mut names);
            for n in names.into_iter().filter(|n| here.contains(n)) {
                last_write.insert(n, k);
            }
        }
        let outer = self.scope().unreadable.clone();
        let mut out = Vec::new();
        for (k, stmt) in stmts.iter().enumerate() {
            let mut unreadable = outer.clone();
            for (name, &last) in &last_write {
                if last >= k {
                    unreadable.insert(name.clone());
                }
            }
            self.scope().unreadable = unreadable;
            self.stmt(stmt, loops, &mut out);
        }
        self.scope().unreadable = outer;
        out
    }

    fn declare(&mut self, ident: &Ident) -> bool {
        let name = ident.unraw().to_string();
        if self.loop_vars.contains(&name) {
            self.error(
                ident,
                format!("`{name}` is a loop variable's name; give the value another"),
            );
            return false;
        }
        if !self.declared.insert(name.clone()) {
            self.error(
                ident,
                format!("`{name}` is bound twice; with loops, give each value its own name (symgrad keeps one adjoint per name)"),
            );
            return false;
        }
        true
    }

    fn stmt(&mut self, stmt: &Stmt, loops: &[Ident], out: &mut Vec<IrStmt>) {
        let mut mine = Vec::new();
        self.stmt_into(stmt, loops, &mut mine);
        // An iterator reduction's loop comes before the statement that reads its value.
        out.append(&mut self.scope().pending);
        out.append(&mut mine);
    }

    fn stmt_into(&mut self, stmt: &Stmt, loops: &[Ident], out: &mut Vec<IrStmt>) {
        match stmt {
            Stmt::Local(local) => self.local(local, loops, out),
            Stmt::Expr(e, _) => match e {
                Expr::ForLoop(l) => self.for_loop(l, loops, out),
                Expr::Binary(b)
                    if matches!(
                        b.op,
                        BinOp::AddAssign(_) | BinOp::SubAssign(_) | BinOp::MulAssign(_)
                    ) =>
                {
                    let how = match b.op {
                        BinOp::AddAssign(_) => Update::Add,
                        BinOp::SubAssign(_) => Update::Sub,
                        _ => Update::Mul,
                    };
                    self.update(&b.left, how, &b.right, out);
                }
                Expr::Binary(b) if super::is_compound_assignment(&b.op) => self.error(
                    b.op,
                    "an accumulator is updated with `+=`, `-=`, `*=`, `s = s.max(…)` or `s = s.min(…)`",
                ),
                Expr::Assign(a) => self.assign(a, loops, out),
                Expr::While(w) => self.error(
                    w.while_token,
                    "`while` loops are not supported; write `for i in a..b` with bounds known before the loop",
                ),
                Expr::Loop(l) => self.error(
                    l.loop_token,
                    "`loop` is not supported; write `for i in a..b` with bounds known before the loop",
                ),
                other => {
                    self.error(
                        other,
                        "expected a statement: `let`, `let mut`, `s += …`, `s = s.max(…)`, `h[i] = …` or `for i in a..b { … }`",
                    );
                }
            },
            Stmt::Item(item) => self.error(item, "items inside the body are not supported"),
            Stmt::Macro(m) => self.error(&m.mac.path, "macro calls are not supported in the body"),
        }
    }

    fn local(&mut self, local: &syn::Local, loops: &[Ident], out: &mut Vec<IrStmt>) {
        let pat = match &local.pat {
            Pat::Type(t) => &*t.pat,
            p => p,
        };
        let Pat::Ident(p) = pat else {
            self.error(pat, "expected a name such as `s` in `let s = …;`");
            return;
        };
        if p.by_ref.is_some() || p.subpat.is_some() {
            self.error(pat, "expected a name such as `s` in `let s = …;`");
            return;
        }
        let Some(init) = &local.init else {
            self.error(local, "a `let` needs a value: `let s = …;`");
            return;
        };
        if let Some((else_token, _)) = &init.diverge {
            self.error(else_token, "`let … else` is not supported");
            return;
        }
        let name = p.ident.clone();
        if let Expr::Repeat(_) | Expr::Array(_) = &*init.expr {
            let Some(dims) = self.zeros(&init.expr) else {
                return;
            };
            if p.mutability.is_none() {
                self.error(
                    &p.ident,
                    "a local array is filled element by element: `let mut h = [0.0; M];`",
                );
                return;
            }
            if self.declare(&name) {
                let key = name.unraw().to_string();
                let scope = ArrayScope {
                    rank: dims.len(),
                    depth: loops.len(),
                    stores: Vec::new(),
                };
                self.array_scopes.insert(key.clone(), scope);
                self.scope().arrays.insert(key, (name.clone(), dims.len()));
                out.push(IrStmt::Array { name, dims });
            }
            return;
        }
        let value = self.rhs(&init.expr);
        if !self.declare(&name) {
            return;
        }
        self.scope()
            .scalars
            .insert(name.unraw().to_string(), name.clone());
        if p.mutability.is_some() {
            self.accs.insert(name.unraw().to_string());
        }
        let Some(value) = value else { return };
        out.push(if p.mutability.is_some() {
            IrStmt::Acc { name, init: value }
        } else {
            IrStmt::Let { name, value }
        });
    }

    /// `[0.0; M]` or `[[0.0; N]; M]`: the lengths, outermost first.
    fn zeros(&mut self, e: &Expr) -> Option<Vec<TokenStream>> {
        match e {
            Expr::Repeat(r) => {
                let inner = match &*r.expr {
                    Expr::Lit(lit) if is_zero(&lit.lit) => Some(Vec::new()),
                    inner @ Expr::Repeat(_) => self.zeros(inner),
                    other => {
                        self.error(
                            other,
                            "a local array starts as zeros: `[0.0; M]`, its elements assigned after",
                        );
                        None
                    }
                }?;
                let mut dims = vec![r.len.to_token_stream()];
                dims.extend(inner);
                Some(dims)
            }
            other => {
                self.error(
                    other,
                    "a local array starts as zeros: `[0.0; M]`, its elements assigned after",
                );
                None
            }
        }
    }

    fn update(&mut self, target: &Expr, how: Update, value: &Expr, out: &mut Vec<IrStmt>) {
        let Some(acc) = self.accumulator(target) else {
            return;
        };
        let key = acc.unraw().to_string();
        let kind = AccKind::of(how);
        // A `max`/`min` accumulator is updated once, by that update alone; a product only
        // multiplied.
        match (self.acc_kinds.get(&key), kind) {
            (Some(AccKind::Extremum), _) => {
                self.error(
                    target,
                    format!("`{key}` is a `max`/`min` accumulator, updated once; use another accumulator for this"),
                );
                return;
            }
            (Some(AccKind::Sum), AccKind::Extremum) => {
                self.error(target, format!("`{key}` is already updated with `+=`/`-=`; a `max`/`min` accumulator is updated once"));
                return;
            }
            (Some(AccKind::Product), AccKind::Extremum) => {
                self.error(target, format!("`{key}` is already updated with `*=`; a `max`/`min` accumulator is updated once"));
                return;
            }
            (Some(AccKind::Sum), AccKind::Product) => {
                self.error(target, format!("`{key}` is already updated with `+=`/`-=`; a product is only multiplied: use another accumulator for it"));
                return;
            }
            (Some(AccKind::Product), AccKind::Sum) => {
                self.error(target, format!("`{key}` is a product, updated with `*=`; use another accumulator for this sum"));
                return;
            }
            _ => {
                self.acc_kinds.insert(key, kind);
            }
        }
        if let Some(value) = self.rhs(value) {
            out.push(IrStmt::Update { acc, how, value });
        }
    }

    /// Whether the store `target` assigns each element of `name` at most once: every
    /// loop inside the array's scope names an index, and no other statement stores into
    /// the array unless both use different literal indices.
    fn assigned_once(
        &mut self,
        name: &str,
        target: &Expr,
        index: &[TokenStream],
        loops: &[Ident],
    ) -> bool {
        let ArrayScope { depth, stores, .. } =
            self.array_scopes.get(name).cloned().unwrap_or_default();
        let used: HashSet<String> = index.iter().flat_map(idents).collect();
        if let Some(var) = loops[depth.min(loops.len())..]
            .iter()
            .find(|v| !used.contains(&v.unraw().to_string()))
        {
            self.error(
                target,
                format!("`{name}` would be assigned on every iteration of the loop over `{var}`; each element of a local array is assigned once: index it by `{var}`"),
            );
            return false;
        }
        let literals: Option<Vec<String>> = index
            .iter()
            .map(|t| {
                syn::parse2::<syn::LitInt>(t.clone())
                    .ok()
                    .and_then(|l| l.base10_parse::<u64>().ok())
                    .map(|v| v.to_string())
            })
            .collect();
        let clash = stores.iter().any(|other| match (other, &literals) {
            (Some(a), Some(b)) => a == b,
            _ => true,
        });
        if clash {
            self.error(
                target,
                format!("`{name}` is already assigned by an earlier statement; each element of a local array is assigned once (assign it in one loop)"),
            );
            return false;
        }
        if let Some(entry) = self.array_scopes.get_mut(name) {
            entry.stores.push(literals);
        }
        true
    }

    /// The accumulator `target` names: a `let mut` scalar of this body.
    fn accumulator(&mut self, target: &Expr) -> Option<Ident> {
        let ident = match target {
            Expr::Path(p) => p.path.get_ident().cloned(),
            _ => None,
        };
        let Some(ident) = ident else {
            self.error(
                target,
                "expected an accumulator declared with `let mut s = …;`",
            );
            return None;
        };
        let name = ident.unraw().to_string();
        let scope = self.lowering.leaves.as_ref().expect("lowering a loop body");
        if scope.scalars.contains_key(&name) && !self.accs.contains(&name) {
            self.error(
                &ident,
                format!(
                    "`{name}` is not mutable; declare an accumulator with `let mut {name} = …;`"
                ),
            );
            return None;
        }
        if !scope.scalars.contains_key(&name) || !self.declared.contains(&name) {
            self.error(&ident, format!("unknown accumulator `{name}`; declare it with `let mut {name} = 0.0;` before the loop"));
            return None;
        }
        Some(scope.scalars[&name].clone())
    }

    /// `s = s.max(e)`, `s = s.min(e)`, or `h[i] = e`.
    fn assign(&mut self, a: &syn::ExprAssign, loops: &[Ident], out: &mut Vec<IrStmt>) {
        if let Expr::Index(_) = &*a.left {
            return self.store(&a.left, &a.right, loops, out);
        }
        if let Expr::MethodCall(m) = &*a.right
            && (m.method == "max" || m.method == "min")
            && m.args.len() == 1
            && target_name(&m.receiver).is_some()
            && target_name(&m.receiver) == target_name(&a.left)
        {
            let how = if m.method == "max" {
                Update::Max
            } else {
                Update::Min
            };
            return self.update(&a.left, how, &m.args[0], out);
        }
        self.error(
            a.eq_token,
            "assignment is supported as `s = s.max(…)`, `s = s.min(…)` or into a local array `h[i] = …`; bind new values with `let`",
        );
    }

    fn store(&mut self, target: &Expr, value: &Expr, loops: &[Ident], out: &mut Vec<IrStmt>) {
        let mut indices = Vec::new();
        let mut base = target;
        while let Expr::Index(i) = base {
            indices.push(&*i.index);
            base = &i.expr;
        }
        indices.reverse();
        let name = target_name(base).unwrap_or_default();
        let Some(rank) = self.array_scopes.get(&name).map(|a| a.rank) else {
            self.error(
                base,
                "elements are assigned only in local arrays declared `let mut h = [0.0; M];`",
            );
            return;
        };
        if indices.len() != rank {
            self.error(
                target,
                format!("`{name}` takes {rank} {}", indices_word(rank)),
            );
            return;
        }
        let index: Option<Vec<TokenStream>> =
            indices.iter().map(|i| self.lowering.index(i)).collect();
        if let Some(index) = &index
            && !self.assigned_once(&name, target, index, loops)
        {
            return;
        }
        let value = self.rhs(value);
        let array = self
            .lowering
            .leaves
            .as_ref()
            .expect("lowering a loop body")
            .arrays[&name]
            .0
            .clone();
        if let (Some(index), Some(value)) = (index, value) {
            out.push(IrStmt::Store {
                array,
                index,
                value,
            });
        }
    }

    fn for_loop(&mut self, l: &syn::ExprForLoop, loops: &[Ident], out: &mut Vec<IrStmt>) {
        if let Some(label) = &l.label {
            self.error(label, "loop labels are not supported");
        }
        let var = match &*l.pat {
            Pat::Ident(p) if p.by_ref.is_none() && p.subpat.is_none() && p.mutability.is_none() => {
                p.ident.clone()
            }
            other => {
                self.error(
                    other,
                    "expected a loop variable such as `i` in `for i in 0..n`",
                );
                return;
            }
        };
        let range = match &*l.expr {
            Expr::Range(r) if r.start.is_some() && r.end.is_some() => {
                let start = self.lowering.index(r.start.as_deref().expect("checked"));
                let end = self.lowering.index(r.end.as_deref().expect("checked"));
                let limits = &r.limits;
                match (start, end) {
                    (Some(a), Some(b)) => Some(quote!(#a #limits #b)),
                    _ => None,
                }
            }
            other => {
                self.error(
                    other,
                    "a loop runs over a range `a..b` whose bounds are constants, lengths (`x.len()`), loop variables or `usize` parameters; for the items of `x`, write `for i in 0..x.len()` with `x[i]`, or `x.iter().map(|v| …).sum::<f64>()`",
                );
                return;
            }
        };
        let key = var.unraw().to_string();
        let scope = self.lowering.leaves.as_ref().expect("lowering a loop body");
        if scope.indices.contains(&key)
            || scope.scalars.contains_key(&key)
            || scope.arrays.contains_key(&key)
        {
            self.error(
                &var,
                format!("`{key}` is already a name here; give the loop variable another"),
            );
            return;
        }
        if self.declared.contains(&key) {
            self.error(
                &var,
                format!("`{key}` names a value of the body; give the loop variable another name"),
            );
            return;
        }
        self.loop_vars.insert(key);
        let saved = self.lowering.leaves.clone();
        self.scope().indices.insert(var.unraw().to_string());
        let mut inner = loops.to_vec();
        inner.push(var.clone());
        let body = self.stmts(&l.body.stmts, &inner);
        // Names declared in the loop go out of scope with it.
        let unreadable = self.scope().unreadable.clone();
        self.lowering.leaves = saved;
        self.scope().unreadable = unreadable;
        if let Some(range) = range {
            out.push(IrStmt::For { var, range, body });
        }
    }

    /// A scalar expression with its leaves.
    fn rhs(&mut self, e: &Expr) -> Option<Rhs> {
        let scope = self.scope();
        scope.leaves.clear();
        scope.keys.clear();
        self.lowering.bindings.clear();
        self.lowering.constants.clear();
        self.lowering.scope.clear();
        let expr = self.lowering.expr(e, 0);
        let scope = self.scope();
        let leaves = std::mem::take(&mut scope.leaves);
        let keys = std::mem::take(&mut scope.keys);
        let Some(expr) = expr else {
            self.ok = false;
            return None;
        };
        Some(Rhs {
            formula: Formula {
                source: String::new(),
                expr,
                vars: keys,
                bindings: std::mem::take(&mut self.lowering.bindings),
            },
            leaves,
        })
    }
}

fn indices_word(n: usize) -> &'static str {
    if n == 1 { "index" } else { "indices" }
}

fn is_zero(lit: &syn::Lit) -> bool {
    match lit {
        syn::Lit::Float(f) => f.base10_parse::<f64>().is_ok_and(|v| v == 0.0),
        syn::Lit::Int(i) => i.base10_parse::<u64>().is_ok_and(|v| v == 0),
        _ => false,
    }
}

impl Lowering<'_> {
    /// A name in a loop body: a scalar's leaf, or an error naming what it is.
    pub(super) fn loop_name(&mut self, ident: &Ident) -> Option<Ast> {
        let name = ident.unraw().to_string();
        let scope = self.leaves.as_mut().expect("lowering a loop body");
        if scope.unreadable.contains(&name) {
            if !scope.reported.insert(name.clone()) {
                return None;
            }
            self.errors.at(
                ident,
                format!("`{name}` is read before its last update; read an accumulator or a local array after the statement that completes it"),
            );
            return None;
        }
        if let Some(declared) = scope.scalars.get(&name).cloned() {
            return Some(scope.leaf(name, Leaf::Name(declared)));
        }
        if let Some(alias) = scope.aliases.get(&name).cloned() {
            if alias.rank > 0 {
                self.errors.at(
                    ident,
                    format!(
                        "`{name}` is a row of `{}`; read an element: `{name}[k]`",
                        alias.array
                    ),
                );
                return None;
            }
            let (array, index) = (alias.array, alias.index);
            let key = quote!(#array #([#index])*).to_string();
            return Some(scope.leaf(key, Leaf::Element { array, index }));
        }
        let float = scope.float.unwrap_or_default();
        let message = if scope.arrays.contains_key(&name) {
            format!("`{name}` is an array; read an element: `{name}[i]`")
        } else if scope.indices.contains(&name) {
            format!(
                "`{name}` is an index, not a number; write `{name} as {}`",
                quote!(#float)
            )
        } else {
            let mut known: Vec<&String> = scope.scalars.keys().chain(scope.arrays.keys()).collect();
            known.sort();
            format!(
                "unknown name `{name}`; the names in scope are {}",
                list(known)
            )
        };
        self.errors.at(ident, message);
        None
    }

    /// `a[i][j]`: an element's leaf.
    pub(super) fn element(&mut self, e: &syn::ExprIndex) -> Option<Ast> {
        let mut indices = vec![&*e.index];
        let mut base = &*e.expr;
        while let Expr::Index(i) = base {
            indices.push(&*i.index);
            base = &i.expr;
        }
        indices.reverse();
        let name = target_name(base);
        let scope = self.leaves.as_ref().expect("lowering a loop body");
        let alias = name.as_ref().and_then(|n| scope.aliases.get(n)).cloned();
        if let Some(alias) = alias.filter(|a| a.rank > 0) {
            if indices.len() != alias.rank {
                self.errors.at(
                    e,
                    format!(
                        "a row of `{}` takes {} {}",
                        alias.array,
                        alias.rank,
                        indices_word(alias.rank)
                    ),
                );
                return None;
            }
            let more: Vec<TokenStream> = indices
                .iter()
                .map(|i| self.index(i))
                .collect::<Option<Vec<_>>>()?;
            let index = [alias.index, more].concat();
            let array = alias.array;
            let key = quote!(#array #([#index])*).to_string();
            let scope = self.leaves.as_mut().expect("lowering a loop body");
            return Some(scope.leaf(key, Leaf::Element { array, index }));
        }
        let Some((array, rank)) = name.as_ref().and_then(|n| scope.arrays.get(n)).cloned() else {
            self.errors.at(base, "only arrays and slices are indexed");
            return None;
        };
        let name = name.expect("found");
        if scope.unreadable.contains(&name) {
            self.errors.at(
                base,
                format!("`{name}` is read before its last element is assigned; read a local array after the loop that fills it"),
            );
            return None;
        }
        if indices.len() != rank {
            self.errors
                .at(e, format!("`{name}` takes {rank} {}", indices_word(rank)));
            return None;
        }
        let index: Vec<TokenStream> = indices
            .iter()
            .map(|i| self.index(i))
            .collect::<Option<Vec<_>>>()?;
        let key = quote!(#array #([#index])*).to_string();
        let scope = self.leaves.as_mut().expect("lowering a loop body");
        Some(scope.leaf(key, Leaf::Element { array, index }))
    }

    /// `i as f64`, `x.len() as f64`: a count's leaf.
    pub(super) fn count(&mut self, c: &syn::ExprCast) -> Option<Ast> {
        let float = self
            .leaves
            .as_ref()
            .and_then(|s| s.float)
            .unwrap_or_default();
        let ty = &c.ty;
        if quote!(#ty).to_string() != quote!(#float).to_string() {
            self.errors.at(
                ty,
                format!(
                    "a cast converts an index or a length to the float type: `i as {}`",
                    quote!(#float)
                ),
            );
            return None;
        }
        let tokens = self.index(&c.expr)?;
        let key = format!("({tokens}) as {}", quote!(#float));
        let scope = self.leaves.as_mut().expect("lowering a loop body");
        Some(scope.leaf(key, Leaf::Count(tokens)))
    }

    /// An index or a bound: loop variables, `usize` parameters, constants, integer
    /// literals, `x.len()`, joined by `+ - *`; the tokens as written.
    pub(super) fn index(&mut self, e: &Expr) -> Option<TokenStream> {
        let ok = match e {
            Expr::Lit(l) if matches!(l.lit, syn::Lit::Int(_)) => true,
            Expr::Paren(p) => return self.index(&p.expr).map(|_| e.to_token_stream()),
            Expr::Group(p) => return self.index(&p.expr),
            Expr::Binary(b) if matches!(b.op, BinOp::Add(_) | BinOp::Sub(_) | BinOp::Mul(_)) => {
                let (a, c) = (self.index(&b.left), self.index(&b.right));
                a.is_some() && c.is_some()
            }
            Expr::Path(p) => match p.path.get_ident() {
                Some(ident) => {
                    let name = ident.unraw().to_string();
                    let scope = self.leaves.as_ref().expect("lowering a loop body");
                    if scope.indices.contains(&name) {
                        true
                    } else if scope.scalars.contains_key(&name) {
                        self.errors.at(ident, format!("`{name}` is a float; an index is a loop variable, a `usize` parameter or a constant"));
                        return None;
                    } else if scope.arrays.contains_key(&name) {
                        self.errors.at(
                            ident,
                            format!("`{name}` is an array; its length is `{name}.len()`"),
                        );
                        return None;
                    } else {
                        // A `const` item or a const generic parameter: rustc checks it.
                        true
                    }
                }
                None => true,
            },
            Expr::MethodCall(m) if m.method == "len" && m.args.is_empty() => {
                let base = target_name(&m.receiver);
                let scope = self.leaves.as_ref().expect("lowering a loop body");
                if base.as_ref().is_some_and(|b| scope.arrays.contains_key(b)) {
                    true
                } else {
                    self.errors.at(
                        &m.receiver,
                        "`.len()` of an array or slice parameter or local array",
                    );
                    return None;
                }
            }
            other => {
                self.errors.at(other, "an index is a loop variable, a `usize` parameter, a constant or `x.len()`, joined by `+`, `-` or `*`");
                return None;
            }
        };
        ok.then(|| e.to_token_stream())
    }
}
