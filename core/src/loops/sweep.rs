//! The statements of a [`LoopFn`] as Rust: forward (the value), and the reverse sweep
//! that walks the same loops, recomputing each iteration's scalars and adding each
//! statement's partials times its adjoint into the adjoints of its leaves.
//!
//! A scalar's adjoint is a local `d_x` declared where the backward pass enters the
//! scalar's scope (the function, or one iteration of its loop); a local array's adjoint is
//! an array of its shape; a parameter's adjoint is its field of the gradient. Loops run
//! forward in the backward pass too: iterations only add into adjoints, so their order
//! does not matter, and the forward order reads memory as the forward pass did. A
//! product's factor takes the product of the others, which the forward pass keeps as the
//! product of the nonzero factors and the count of zeros, so that a zero factor needs no
//! division by zero and the iterations still need no order.

use std::collections::{HashMap, HashSet};

use proc_macro2::{Ident, Literal, TokenStream};
use quote::{format_ident, quote};

use crate::codegen::Float;
use crate::loops::bounds::static_length;
use crate::loops::program::{Leaf, LoopFn, ParamKind, Rhs, Stmt, Update};
use crate::loops::rhs::Compiled;

/// Each expression, differentiated, by address, with its number.
type Expressions = HashMap<*const Rhs, (usize, Compiled)>;

/// A loop's length, and each sum it keeps with the array keeping it.
type Kept = (TokenStream, Vec<(Ident, Ident)>);

/// Everything the writers of one function share.
pub(crate) struct Sweep<'a> {
    f: &'a LoopFn,
    /// Each expression, differentiated, by address.
    compiled: Expressions,
    /// Local scalars and arrays (names are unique in a loop body: SPEC §8's checks).
    locals: HashSet<String>,
    /// The loop variables enclosing each `max`/`min` update, below its accumulator's
    /// declaration: the iteration that won is kept as their values.
    keys: HashMap<String, Vec<Ident>>,
    /// Names taken by the user's code and by the generated code so far.
    taken: HashSet<String>,
    /// The generated name of each local's adjoint and of each `max`/`min` winner.
    adjoints: HashMap<String, Ident>,
    winners: HashMap<String, Ident>,
    /// For each product (`*=`) accumulator, the names of its nonzero factors' product and
    /// of its count of zero factors (the first value counts as a factor).
    products: HashMap<String, (Ident, Ident)>,
    /// Accumulators updated with `*=`.
    multiplied: HashSet<String>,
    /// Top-level loops run once, backward with forward (see [`Sweep::fused_loop`]): the
    /// accumulators each updates, with the value's partial giving its adjoint.
    fused: HashMap<*const Stmt, Vec<(Ident, Option<usize>)>>,
    /// Top-level loops of a length known at compile time whose iterations' sums are
    /// computed by inner loops: the length, and each sum with the array that keeps it
    /// for the backward pass (recomputing it would cost its inner loop again).
    kept: HashMap<*const Stmt, Kept>,
    /// The gradient's parameter in `grad_into`.
    pub g: Ident,
    /// Prefix of the partials' names (`p` in `p3_0`) and the names of an update's value,
    /// a stored element's adjoint and the function's value.
    partial_prefix: String,
    v: Ident,
    dv: Ident,
    out: Ident,
}

impl<'a> Sweep<'a> {
    /// The writers of `f`, its loops run once where they can (see [`Sweep::fused_loop`]).
    pub fn new(f: &'a LoopFn) -> Self {
        Sweep::build(f, true, None)
    }

    /// The same writers with loops never run once: for `forward` and `Tape::backward`,
    /// whose forward pass has no gradient to add into. The expressions are not
    /// differentiated again.
    pub fn without_fusion(&self) -> Self {
        Sweep::build(self.f, false, Some(self.compiled.clone()))
    }

    fn build(f: &'a LoopFn, fuse: bool, compiled: Option<Expressions>) -> Self {
        let mut sweep = Sweep {
            f,
            compiled: HashMap::new(),
            locals: HashSet::new(),
            keys: HashMap::new(),
            taken: HashSet::new(),
            adjoints: HashMap::new(),
            winners: HashMap::new(),
            products: HashMap::new(),
            multiplied: HashSet::new(),
            fused: HashMap::new(),
            kept: HashMap::new(),
            g: format_ident!("g"),
            partial_prefix: "p".to_string(),
            v: format_ident!("v"),
            dv: format_ident!("dv"),
            out: format_ident!("value"),
        };
        for p in &f.params {
            sweep.taken.insert(p.name.to_string());
        }
        sweep.scan(&f.body, &[]);
        sweep.taken.extend(sweep.locals.iter().cloned());
        match compiled {
            Some(compiled) => sweep.compiled = compiled,
            None => {
                let mut count = 0;
                sweep.compile_all(&f.body, &mut count);
                let value = &f.value;
                let compiled = sweep.compile(value);
                sweep
                    .compiled
                    .insert(value as *const Rhs, (count, compiled));
            }
        }
        let mut locals: Vec<String> = sweep.locals.iter().cloned().collect();
        locals.sort();
        for name in locals {
            let d = sweep.fresh(&format!("d_{name}"));
            sweep.adjoints.insert(name.clone(), d);
            if sweep.keys.contains_key(&name) {
                let at = sweep.fresh(&format!("{name}_at"));
                sweep.winners.insert(name.clone(), at);
            }
            if sweep.multiplied.contains(&name) {
                let nonzero = sweep.fresh(&format!("{name}_nonzero"));
                let zeros = sweep.fresh(&format!("{name}_zeros"));
                sweep.products.insert(name, (nonzero, zeros));
            }
        }
        if fuse {
            sweep.fused = sweep.find_fused();
        }
        sweep.kept = sweep.find_kept();
        sweep.g = sweep.fresh("g");
        sweep.v = sweep.fresh("v");
        sweep.dv = sweep.fresh("dv");
        sweep.out = sweep.fresh("value");
        while sweep
            .taken
            .iter()
            .any(|n| is_partial_name(n, &sweep.partial_prefix))
        {
            sweep.partial_prefix.push('_');
        }
        sweep
    }

    /// Records the locals, and the loop variables around each `max`/`min` update.
    fn scan(&mut self, stmts: &[Stmt], loops: &[Ident]) {
        for stmt in stmts {
            match stmt {
                Stmt::Let { name, .. } | Stmt::Acc { name, .. } | Stmt::Array { name, .. } => {
                    self.locals.insert(name.to_string());
                }
                Stmt::Update {
                    acc,
                    how: Update::Max | Update::Min,
                    ..
                } => {
                    self.keys.insert(acc.to_string(), loops.to_vec());
                }
                Stmt::Update {
                    acc,
                    how: Update::Mul,
                    ..
                } => {
                    self.multiplied.insert(acc.to_string());
                }
                Stmt::For { var, body, .. } => {
                    self.taken.insert(var.to_string());
                    let mut inner = loops.to_vec();
                    inner.push(var.clone());
                    self.scan(body, &inner);
                }
                _ => {}
            }
        }
        // Keep only the loops below each accumulator's declaration.
        for stmt in stmts {
            if let Stmt::Acc { name, .. } = stmt
                && let Some(key) = self.keys.get_mut(&name.to_string())
                && key.len() >= loops.len()
            {
                key.drain(..loops.len());
            }
        }
    }

    /// The top-level loops whose accumulators' adjoints can be computed before they run:
    /// loops that store into no top-level array and update only sums (`+=`, `-=`) that
    /// nothing else updates, that no later statement reads, and whose partial in the
    /// value reads only parameters and values computed before the loop.
    fn find_fused(&self) -> HashMap<*const Stmt, Vec<(Ident, Option<usize>)>> {
        let top = &self.f.body;
        let top_names = |stmts: &[Stmt]| -> HashSet<String> {
            stmts
                .iter()
                .filter_map(|s| match s {
                    Stmt::Let { name, .. } | Stmt::Acc { name, .. } | Stmt::Array { name, .. } => {
                        Some(name.to_string())
                    }
                    _ => None,
                })
                .collect()
        };
        let all_top = top_names(top);
        let (_, value) = self.rhs(&self.f.value);
        let mut fused = HashMap::new();
        'loops: for (i, stmt) in top.iter().enumerate() {
            let Stmt::For { body, .. } = stmt else {
                continue;
            };
            let mut writes = Vec::new();
            collect_writes(body, &mut writes);
            let mut accs: Vec<Ident> = Vec::new();
            for (name, how) in writes {
                if !all_top.contains(&name.to_string()) {
                    continue;
                }
                if !matches!(how, Some(Update::Add | Update::Sub)) {
                    continue 'loops; // a top-level array, or a `max`/`min`
                }
                if !accs.contains(&name) {
                    accs.push(name);
                }
            }
            if accs.is_empty() {
                continue;
            }
            let names: HashSet<String> = accs.iter().map(ToString::to_string).collect();
            let elsewhere = top
                .iter()
                .enumerate()
                .any(|(j, s)| j != i && writes_any(std::slice::from_ref(s), &names));
            if elsewhere || top[i + 1..].iter().any(|s| reads_any(s, &names)) {
                continue;
            }
            let before: HashSet<String> =
                top_names(&top[..i]).difference(&names).cloned().collect();
            let known = |n: &Ident| {
                before.contains(&n.to_string())
                    || (self.param(n).is_some() && !names.contains(&n.to_string()))
            };
            let mut with_partials = Vec::new();
            for acc in accs {
                let leaf = value
                    .leaves()
                    .iter()
                    .position(|l| matches!(l, Leaf::Name(n) if *n == acc));
                let partial = leaf.and_then(|l| value.partial_of(l));
                if let Some(k) = partial {
                    let ready = value.partial_leaves(k).into_iter().all(|l| match l {
                        Leaf::Name(n) => known(n),
                        Leaf::Element { array, .. } => known(array),
                        Leaf::Count(_) => true,
                    });
                    if !ready {
                        continue 'loops;
                    }
                }
                with_partials.push((acc, partial));
            }
            fused.insert(stmt as *const Stmt, with_partials);
        }
        fused
    }

    /// The sums to keep (see [`Sweep::kept`]): in the top-level loops over `a..S` not run
    /// once, with `a` a literal and `S` a literal, a constant, or the length of an array
    /// parameter or a local array, the accumulators declared in the loop's body and
    /// updated with `+=`/`-=` by loops inside it.
    fn find_kept(&mut self) -> HashMap<*const Stmt, Kept> {
        let mut kept = HashMap::new();
        let mut arrays: HashMap<String, TokenStream> = self
            .f
            .params
            .iter()
            .filter_map(|p| match &p.kind {
                ParamKind::Array(dims) => Some((p.name.to_string(), dims[0].clone())),
                _ => None,
            })
            .collect();
        let indices: HashSet<String> = self
            .f
            .params
            .iter()
            .filter(|p| matches!(p.kind, ParamKind::Index))
            .map(|p| p.name.to_string())
            .collect();
        for stmt in &self.f.body {
            match stmt {
                Stmt::Array { name, dims } => {
                    arrays.insert(name.to_string(), dims[0].clone());
                }
                Stmt::For { range, body, .. }
                    if !self.fused.contains_key(&(stmt as *const Stmt)) =>
                {
                    let Some(size) = static_length(range, &arrays, &indices) else {
                        continue;
                    };
                    let mut sums = Vec::new();
                    for s in body {
                        let Stmt::Acc { name, .. } = s else { continue };
                        let key = name.to_string();
                        let mut writes = Vec::new();
                        for inner in body {
                            if let Stmt::For { body, .. } = inner {
                                collect_writes(body, &mut writes);
                            }
                        }
                        let hows: Vec<_> = writes
                            .iter()
                            .filter(|(n, _)| *n == key)
                            .map(|(_, h)| *h)
                            .collect();
                        if !hows.is_empty()
                            && hows
                                .iter()
                                .all(|h| matches!(h, Some(Update::Add | Update::Sub)))
                        {
                            sums.push(name.clone());
                        }
                    }
                    if sums.is_empty() {
                        continue;
                    }
                    let tapes = sums
                        .into_iter()
                        .map(|acc| {
                            let tape = self.fresh(&format!("{acc}_kept"));
                            (acc, tape)
                        })
                        .collect();
                    kept.insert(stmt as *const Stmt, (size, tapes));
                }
                _ => {}
            }
        }
        kept
    }

    fn compile_all(&mut self, stmts: &'a [Stmt], count: &mut usize) {
        for stmt in stmts {
            match stmt {
                Stmt::Let { value, .. }
                | Stmt::Acc { init: value, .. }
                | Stmt::Update { value, .. }
                | Stmt::Store { value, .. } => {
                    let compiled = self.compile(value);
                    self.compiled
                        .insert(value as *const Rhs, (*count, compiled));
                    *count += 1;
                }
                Stmt::For { body, .. } => self.compile_all(body, count),
                Stmt::Array { .. } => {}
            }
        }
    }

    fn compile(&self, rhs: &Rhs) -> Compiled {
        Compiled::new(rhs, |leaf| self.target(leaf).is_some())
    }

    fn fresh(&mut self, base: &str) -> Ident {
        let mut name = base.to_string();
        while self.taken.contains(&name) {
            name.push('_');
        }
        self.taken.insert(name.clone());
        format_ident!("{}", name)
    }

    fn float(&self) -> Float {
        self.f.float
    }

    fn zero(&self) -> Literal {
        match self.f.float {
            Float::F64 => Literal::f64_suffixed(0.0),
            Float::F32 => Literal::f32_suffixed(0.0),
        }
    }

    fn rhs(&self, rhs: &Rhs) -> &(usize, Compiled) {
        &self.compiled[&(rhs as *const Rhs)]
    }

    /// Every operation the expressions apply.
    pub fn ops_used(&self) -> Vec<crate::ops::Op> {
        let mut ops: Vec<_> = self
            .compiled
            .values()
            .flat_map(|(_, c)| c.ops_used())
            .collect();
        ops.sort();
        ops.dedup();
        ops
    }

    /// Where a leaf's adjoint goes: a gradient field or a local adjoint; `None` for data.
    fn target(&self, leaf: &Leaf) -> Option<TokenStream> {
        let g = &self.g;
        match leaf {
            Leaf::Name(name) if self.locals.contains(&name.to_string()) => {
                let d = self.adjoint(name);
                Some(quote!(#d))
            }
            Leaf::Name(name) => self
                .param(name)
                .filter(|p| p.wrt && matches!(p.kind, ParamKind::Scalar))
                .map(|_| quote!(#g.#name)),
            Leaf::Element { array, index } if self.locals.contains(&array.to_string()) => {
                let d = self.adjoint(array);
                Some(quote!(#d #([#index])*))
            }
            Leaf::Element { array, index } => self
                .param(array)
                .filter(|p| p.wrt && matches!(p.kind, ParamKind::Array(_)))
                .map(|_| quote!(#g.#array #([#index])*)),
            Leaf::Count(_) => None,
        }
    }

    fn param(&self, name: &Ident) -> Option<&crate::loops::program::LoopParam> {
        self.f.params.iter().find(|p| p.name == *name)
    }

    fn adjoint(&self, name: &Ident) -> Ident {
        // Before `new` has named them (while compiling), any name will do.
        self.adjoints
            .get(&name.to_string())
            .cloned()
            .unwrap_or_else(|| format_ident!("d_{}", name))
    }

    fn partial_name(&self, index: usize, k: usize) -> Ident {
        format_ident!("{}{}_{}", self.partial_prefix, index, k)
    }

    /// The body of `fn f`: the statements computing values only, as the user wrote
    /// them (`s = s.max(v)`), the gates at `gates`.
    pub fn plain(&self, stmts: &[Stmt], gates: &TokenStream) -> TokenStream {
        let pass = Pass {
            replay: None,
            level: false,
            loads: &HashMap::new(),
            plain: Some(gates),
        };
        self.statements(stmts, &pass)
    }

    /// The function's value in `fn f`, after [`Sweep::plain`].
    pub fn value_plain(&self, gates: &TokenStream) -> TokenStream {
        self.rhs(&self.f.value).1.value(self.float(), gates)
    }

    /// `[[0.0; N]; M]` for dimensions `[M, N]`.
    pub fn zeros(&self, dims: &[TokenStream]) -> TokenStream {
        let zero = self.zero();
        dims.iter()
            .rev()
            .fold(quote!(#zero), |inner, n| quote!([#inner; #n]))
    }

    /// The statements computing values in `grad_into`, or in one iteration of the reverse
    /// sweep (`replay`: the names declared in the loop, whose updates and stores are
    /// recomputed; others were made by the forward pass). Statements of this level bind
    /// their partials too, for the backward pass that follows in the same scope.
    fn forward(
        &self,
        stmts: &[Stmt],
        replay: Option<&HashSet<String>>,
        level: bool,
        loads: &HashMap<String, TokenStream>,
    ) -> TokenStream {
        let pass = Pass {
            replay,
            level,
            loads,
            plain: None,
        };
        self.statements(stmts, &pass)
    }

    /// The statements of `pass`: see [`Sweep::forward`] and [`Sweep::plain`].
    fn statements(&self, stmts: &[Stmt], pass: &Pass) -> TokenStream {
        let (replay, level, loads) = (pass.replay, pass.level, pass.loads);
        let float = self.float();
        let mut out = TokenStream::new();
        for stmt in stmts {
            out.extend(match stmt {
                Stmt::Let { name, value } | Stmt::Acc { name, init: value } => {
                    let mutable = matches!(stmt, Stmt::Acc { .. }).then(|| quote!(mut));
                    let winner = self
                        .winners
                        .get(&name.to_string())
                        .filter(|_| pass.plain.is_none())
                        .map(|at| {
                            let n = self.keys[&name.to_string()].len();
                            quote!(let mut #at: Option<[usize; #n]> = None;)
                        });
                    if let Some(load) = loads.get(&name.to_string()) {
                        // Kept by the forward pass: only the first value's partials.
                        let (index, c) = self.rhs(value);
                        let ps: Vec<Ident> = (0..c.wrt.len())
                            .map(|k| self.partial_name(*index, k))
                            .collect();
                        let partials = (!ps.is_empty()).then(|| {
                            let block = c.partials(float, &quote!(gates));
                            quote!(let (#(#ps),*) = #block;)
                        });
                        quote!(let #name: #float = #load; #partials)
                    } else {
                        let (v, ps) = self.value_at(value, level, pass);
                        let factors = self
                            .products
                            .get(&name.to_string())
                            .filter(|_| pass.plain.is_none())
                            .map(|(nonzero, zeros)| {
                                let zero = self.zero();
                                quote! {
                                    let mut #nonzero: #float = if #name == #zero { 1.0 } else { #name };
                                    let mut #zeros: usize = usize::from(#name == #zero);
                                }
                            });
                        match ps {
                            Some(ps) => {
                                quote!(let (#mutable #name, #(#ps),*) = #v; #winner #factors)
                            }
                            None => quote!(let #mutable #name: #float = #v; #winner #factors),
                        }
                    }
                }
                Stmt::Update { acc, how, value } => {
                    if !executes(replay, acc) {
                        continue;
                    }
                    let (v, ps) = self.value_at(value, level, pass);
                    if pass.plain.is_some() {
                        let how = match how {
                            Update::Add => quote!(#acc += #v;),
                            Update::Sub => quote!(#acc -= #v;),
                            Update::Max => quote!(#acc = #acc.max(#v);),
                            Update::Min => quote!(#acc = #acc.min(#v);),
                            Update::Mul => quote!(#acc *= #v;),
                        };
                        out.extend(how);
                        continue;
                    }
                    let v_name = &self.v;
                    let bind = match ps {
                        Some(ps) => quote!(let (#v_name, #(#ps),*) = #v;),
                        None => quote!(let #v_name: #float = #v;),
                    };
                    let update = match how {
                        Update::Add => quote!(#acc += #v_name;),
                        Update::Sub => quote!(#acc -= #v_name;),
                        Update::Mul => {
                            let (nonzero, zeros) = &self.products[&acc.to_string()];
                            let zero = self.zero();
                            quote! {
                                #acc *= #v_name;
                                if #v_name == #zero { #zeros += 1; } else { #nonzero *= #v_name; }
                            }
                        }
                        Update::Max | Update::Min => {
                            let at = &self.winners[&acc.to_string()];
                            let key = &self.keys[&acc.to_string()];
                            let better = if *how == Update::Max {
                                quote!(#v_name > #acc)
                            } else {
                                quote!(#v_name < #acc)
                            };
                            quote! {
                                if #better || #acc.is_nan() {
                                    #acc = #v_name;
                                    #at = Some([#(#key),*]);
                                }
                            }
                        }
                    };
                    quote!(#bind #update)
                }
                Stmt::Array { name, dims } => {
                    let zeros = self.zeros(dims);
                    quote!(let mut #name = #zeros;)
                }
                Stmt::Store {
                    array,
                    index,
                    value,
                } => {
                    if !executes(replay, array) {
                        continue;
                    }
                    let (v, ps) = self.value_at(value, level, pass);
                    match ps {
                        Some(ps) => {
                            let v_name = &self.v;
                            quote!(let (#v_name, #(#ps),*) = #v; #array #([#index])* = #v_name;)
                        }
                        None => quote!(#array #([#index])* = #v;),
                    }
                }
                Stmt::For { var, range, body } => {
                    if replay.is_some_and(|set| !writes_any(body, set)) {
                        continue;
                    }
                    if pass.plain.is_some() {
                        let body = self.statements(body, pass);
                        quote!(for #var in #range { #body })
                    } else if let Some(accs) = self.fused.get(&(stmt as *const Stmt)) {
                        self.fused_loop(var, range, body, accs)
                    } else if let Some((size, kept)) = self.kept.get(&(stmt as *const Stmt))
                        && replay.is_none()
                    {
                        let body = self.forward(body, None, false, loads);
                        let zero = self.zero();
                        let tapes = kept
                            .iter()
                            .map(|(_, tape)| quote!(let mut #tape = [#zero; #size];));
                        let stores = kept.iter().map(|(acc, tape)| quote!(#tape[#var] = #acc;));
                        quote!(#(#tapes)* for #var in #range { #body #(#stores)* })
                    } else {
                        let body = self.forward(body, replay, false, loads);
                        quote!(for #var in #range { #body })
                    }
                }
            });
        }
        out
    }

    /// The value of `rhs`, with its partials bound under their names when `level` asks
    /// for them and it has some.
    fn value_at(&self, rhs: &Rhs, level: bool, pass: &Pass) -> (TokenStream, Option<Vec<Ident>>) {
        let (index, c) = self.rhs(rhs);
        let gates = pass.plain.cloned().unwrap_or_else(|| quote!(gates));
        if level && !c.wrt.is_empty() {
            let ps = (0..c.wrt.len())
                .map(|k| self.partial_name(*index, k))
                .collect();
            (c.value_and_partials(self.float(), &gates), Some(ps))
        } else {
            (c.value(self.float(), &gates), None)
        }
    }

    /// A loop whose accumulators' adjoints are known before it runs: each iteration's
    /// backward pass follows its forward pass, so the loop runs once, its iterations'
    /// values never recomputed (a loss summed over data rows).
    fn fused_loop(
        &self,
        var: &Ident,
        range: &TokenStream,
        body: &[Stmt],
        accs: &[(Ident, Option<usize>)],
    ) -> TokenStream {
        let float = self.float();
        let value = &self.f.value;
        let (_, c) = self.rhs(value);
        let adjoints = accs.iter().map(|(acc, partial)| {
            let d = self.adjoint(acc);
            match partial {
                Some(k) => {
                    let p = c.partial(*k, float, &quote!(gates));
                    quote!(let mut #d: #float = #p;)
                }
                None => {
                    let zero = self.zero();
                    quote!(let mut #d: #float = #zero;)
                }
            }
        });
        let declared = self.declare_adjoints(body);
        let forward = self.forward(body, None, true, &HashMap::new());
        let backward = self.backward(body, None);
        quote! {
            #(#adjoints)*
            for #var in #range {
                #declared
                #forward
                #backward
            }
        }
    }

    /// `let mut d_x = 0.0;` for the scalars and arrays declared in `stmts` themselves.
    fn declare_adjoints(&self, stmts: &[Stmt]) -> TokenStream {
        self.declare_adjoints_except(stmts, &HashSet::new())
    }

    fn declare_adjoints_except(&self, stmts: &[Stmt], except: &HashSet<String>) -> TokenStream {
        let float = self.float();
        let zero = self.zero();
        stmts
            .iter()
            .filter_map(|stmt| match stmt {
                Stmt::Let { name, .. } | Stmt::Acc { name, .. }
                    if !except.contains(&name.to_string()) =>
                {
                    let d = self.adjoint(name);
                    Some(quote!(let mut #d: #float = #zero;))
                }
                Stmt::Array { name, dims } => {
                    let d = self.adjoint(name);
                    let zeros = self.zeros(dims);
                    Some(quote!(let mut #d = #zeros;))
                }
                _ => None,
            })
            .collect()
    }

    /// `target += dv * p` for each differentiable leaf of `value`, its partials bound by
    /// the forward pass of this level (`bound`) or computed here.
    fn contributions(&self, value: &Rhs, dv: &TokenStream, bound: bool) -> TokenStream {
        let (index, c) = self.rhs(value);
        if c.wrt.is_empty() {
            return TokenStream::new();
        }
        let names: Vec<Ident> = (0..c.wrt.len())
            .map(|k| self.partial_name(*index, k))
            .collect();
        let adds = names.iter().enumerate().map(|(k, p)| {
            let target = self
                .target(c.leaf(k))
                .expect("a partial's leaf has an adjoint");
            quote!(#target += #dv * #p;)
        });
        if bound {
            quote!(#(#adds)*)
        } else {
            let ps = c.partials(self.float(), &quote!(gates));
            let pattern = if names.len() == 1 {
                quote!(#(#names)*)
            } else {
                quote!((#(#names),*))
            };
            quote!({ let #pattern = #ps; #(#adds)* })
        }
    }

    /// The backward pass of `stmts` (in reverse) after their forward pass at this level
    /// (`replay` as in [`Sweep::forward`]), which bound the partials of the statements it
    /// ran.
    fn backward(&self, stmts: &[Stmt], replay: Option<&HashSet<String>>) -> TokenStream {
        let mut out = TokenStream::new();
        for stmt in stmts.iter().rev() {
            out.extend(match stmt {
                Stmt::Let { name, value } => {
                    let d = self.adjoint(name);
                    self.contributions(value, &quote!(#d), true)
                }
                Stmt::Acc { name, init } => {
                    let d = self.adjoint(name);
                    if self.products.contains_key(&name.to_string()) {
                        self.factor_contributions(name, init, &quote!(#d), true)
                    } else {
                        let adds = self.contributions(init, &quote!(#d), true);
                        match self.winners.get(&name.to_string()) {
                            Some(at) => quote!(if #at.is_none() { #adds }),
                            None => adds,
                        }
                    }
                }
                Stmt::Update { acc, how, value } => {
                    let d = self.adjoint(acc);
                    let bound = executes(replay, acc);
                    match how {
                        Update::Add => self.contributions(value, &quote!(#d), bound),
                        Update::Sub => self.contributions(value, &quote!((-#d)), bound),
                        Update::Mul => self.factor_contributions(acc, value, &quote!(#d), bound),
                        Update::Max | Update::Min => {
                            let at = &self.winners[&acc.to_string()];
                            let key = &self.keys[&acc.to_string()];
                            let adds = self.contributions(value, &quote!(#d), bound);
                            quote!(if #at == Some([#(#key),*]) { #adds })
                        }
                    }
                }
                Stmt::Array { .. } => TokenStream::new(),
                Stmt::Store {
                    array,
                    index,
                    value,
                } => {
                    let d = self.adjoint(array);
                    let dv = &self.dv;
                    let adds = self.contributions(value, &quote!(#dv), executes(replay, array));
                    if adds.is_empty() {
                        adds
                    } else {
                        quote!({ let #dv = #d #([#index])*; #adds })
                    }
                }
                Stmt::For { var, range, body } => {
                    if self.fused.contains_key(&(stmt as *const Stmt)) {
                        continue;
                    }
                    let mut declared = declared_in(body);
                    let mut loads = HashMap::new();
                    if let Some((_, kept)) = self.kept.get(&(stmt as *const Stmt)) {
                        for (acc, tape) in kept {
                            declared.remove(&acc.to_string());
                            loads.insert(acc.to_string(), quote!(#tape[#var]));
                        }
                    }
                    let adjoints = self.declare_adjoints(body);
                    let replay = self.forward(body, Some(&declared), true, &loads);
                    let backward = self.backward(body, Some(&declared));
                    if backward.is_empty() {
                        TokenStream::new()
                    } else {
                        quote!(for #var in #range { #adjoints #replay #backward })
                    }
                }
            });
        }
        out
    }

    /// The contributions of a factor `value` of the product `acc` (its first value or one
    /// `*=`), whose adjoint is `d`: `d` times the product of the other factors, from the
    /// product of the nonzero factors and the count of zeros the forward pass kept. The
    /// factor's value is computed again (its name is shadowed by then).
    fn factor_contributions(
        &self,
        acc: &Ident,
        value: &Rhs,
        d: &TokenStream,
        bound: bool,
    ) -> TokenStream {
        let (_, c) = self.rhs(value);
        if c.wrt.is_empty() {
            return TokenStream::new();
        }
        let (nonzero, zeros) = &self.products[&acc.to_string()];
        let (v, dv, float, zero) = (&self.v, &self.dv, self.float(), self.zero());
        let factor = c.value(float, &quote!(gates));
        let adds = self.contributions(value, &quote!(#dv), bound);
        quote!({
            let #v: #float = #factor;
            let #dv: #float = #d * if #v != #zero {
                if #zeros == 0 { #nonzero / #v } else { #zero }
            } else if #zeros == 1 {
                #nonzero
            } else {
                #zero
            };
            #adds
        })
    }

    /// The body of `grad_into` after the gradient is zeroed: the forward pass, the value,
    /// its partials into the adjoints, the backward pass; the value last.
    pub fn grad_body(&self) -> TokenStream {
        let forward = self.forward(&self.f.body, None, true, &HashMap::new());
        let fused: HashSet<String> = self
            .fused
            .values()
            .flatten()
            .map(|(acc, _)| acc.to_string())
            .collect();
        let adjoints = self.declare_adjoints_except(&self.f.body, &fused);
        let head = self.value_head();
        let seed = self.seed(None, &fused);
        let backward = self.backward(&self.f.body, None);
        let out = &self.out;
        // The adjoints come first: a loop run once adds into them as it goes.
        quote! {
            #adjoints
            #forward
            #head
            #seed
            #backward
            #out
        }
    }

    /// `let (value, p…) = …;`: the function's value, with its partials.
    fn value_head(&self) -> TokenStream {
        let (index, c) = self.rhs(&self.f.value);
        let out = &self.out;
        if c.wrt.is_empty() {
            let v = c.value(self.float(), &quote!(gates));
            quote!(let #out = #v;)
        } else {
            let v = c.value_and_partials(self.float(), &quote!(gates));
            let ps = (0..c.wrt.len()).map(|k| self.partial_name(*index, k));
            quote!(let (#out, #(#ps),*) = #v;)
        }
    }

    /// The value's partials (times `dout`) added into the adjoints of its leaves, but
    /// those of `fused` sums, set before their loops ran.
    fn seed(&self, dout: Option<&Ident>, fused: &HashSet<String>) -> TokenStream {
        let (index, c) = self.rhs(&self.f.value);
        (0..c.wrt.len())
            .filter_map(|k| {
                if let Leaf::Name(name) = c.leaf(k)
                    && fused.contains(&name.to_string())
                {
                    return None;
                }
                let p = self.partial_name(*index, k);
                let target = self
                    .target(c.leaf(k))
                    .expect("a partial's leaf has an adjoint");
                Some(match dout {
                    Some(d) => quote!(#target += #d * #p;),
                    None => quote!(#target += #p;),
                })
            })
            .collect()
    }

    /// The body of `forward`: the forward pass and the value, then the tape of every
    /// parameter and top-level value the backward pass reads.
    pub fn tape_forward(&self, tape: &Ident) -> TokenStream {
        let forward = self.forward(&self.f.body, None, true, &HashMap::new());
        let head = self.value_head();
        let out = &self.out;
        let fields = self.tape_fields().into_iter().map(|(name, _, _)| name);
        quote! {
            #forward
            #head
            (#out, #tape { #(#fields,)* _inputs: std::marker::PhantomData })
        }
    }

    /// The body of `Tape::backward`: the tape's values under their names, the value's
    /// partials times `dout` into the adjoints, the backward pass.
    pub fn tape_backward(&self, dout: &Ident) -> TokenStream {
        let unpack = self.tape_fields().into_iter().map(|(name, _, by_ref)| {
            if by_ref {
                quote!(let #name = &self.#name;)
            } else {
                quote!(let #name = self.#name;)
            }
        });
        let adjoints = self.declare_adjoints(&self.f.body);
        let seed = self.seed(Some(dout), &HashSet::new());
        let backward = self.backward(&self.f.body, None);
        quote! {
            #(#unpack)*
            #adjoints
            #seed
            #backward
        }
    }

    /// The tape's fields: name, type (references to the inputs live for `'a`), and
    /// whether the backward pass borrows it (arrays) or copies it.
    pub fn tape_fields(&self) -> Vec<(Ident, TokenStream, bool)> {
        let float = self.float();
        let mut fields = Vec::new();
        for p in &self.f.params {
            let ty = crate::codegen::rust_syntax::with_lifetime(&p.ty);
            let by_ref =
                matches!(p.kind, ParamKind::Array(_)) && !p.ty.to_string().starts_with('&');
            fields.push((p.name.clone(), ty, by_ref));
        }
        let partials = |rhs: &Rhs, fields: &mut Vec<(Ident, TokenStream, bool)>| {
            let (index, c) = self.rhs(rhs);
            for k in 0..c.wrt.len() {
                fields.push((self.partial_name(*index, k), quote!(#float), false));
            }
        };
        for stmt in &self.f.body {
            match stmt {
                Stmt::Let { name, value } | Stmt::Acc { name, init: value } => {
                    fields.push((name.clone(), quote!(#float), false));
                    if let Some(at) = self.winners.get(&name.to_string()) {
                        let n = self.keys[&name.to_string()].len();
                        fields.push((at.clone(), quote!(Option<[usize; #n]>), false));
                    }
                    if let Some((nonzero, zeros)) = self.products.get(&name.to_string()) {
                        fields.push((nonzero.clone(), quote!(#float), false));
                        fields.push((zeros.clone(), quote!(usize), false));
                    }
                    partials(value, &mut fields);
                }
                Stmt::Update { value, .. } | Stmt::Store { value, .. } => {
                    partials(value, &mut fields);
                }
                Stmt::Array { name, dims } => {
                    let ty = dims
                        .iter()
                        .rev()
                        .fold(quote!(#float), |t, n| quote!([#t; #n]));
                    fields.push((name.clone(), ty, true));
                }
                Stmt::For { .. } => {
                    if let Some((size, kept)) = self.kept.get(&(stmt as *const Stmt)) {
                        for (_, tape) in kept {
                            fields.push((tape.clone(), quote!([#float; #size]), true));
                        }
                    }
                }
            }
        }
        partials(&self.f.value, &mut fields);
        fields
    }
}

/// The names of the scalars and arrays declared anywhere in `stmts`.
fn declared_in(stmts: &[Stmt]) -> HashSet<String> {
    let mut names = HashSet::new();
    for stmt in stmts {
        match stmt {
            Stmt::Let { name, .. } | Stmt::Acc { name, .. } | Stmt::Array { name, .. } => {
                names.insert(name.to_string());
            }
            Stmt::For { body, .. } => names.extend(declared_in(body)),
            _ => {}
        }
    }
    names
}

/// Whether `stmts` update or store into one of `names`.
fn writes_any(stmts: &[Stmt], names: &HashSet<String>) -> bool {
    stmts.iter().any(|stmt| match stmt {
        Stmt::Update { acc, .. } => names.contains(&acc.to_string()),
        Stmt::Store { array, .. } => names.contains(&array.to_string()),
        Stmt::For { body, .. } => writes_any(body, names),
        _ => false,
    })
}

/// Whether `name` is `prefix`, digits, `_`, digits: a partial's name.
fn is_partial_name(name: &str, prefix: &str) -> bool {
    name.strip_prefix(prefix).is_some_and(|rest| {
        rest.split_once('_').is_some_and(|(a, b)| {
            [a, b]
                .iter()
                .all(|s| !s.is_empty() && s.bytes().all(|c| c.is_ascii_digit()))
        })
    })
}

/// Whether the pass at hand runs a statement writing `name`: every statement in the
/// forward pass, only those writing the loop's own names in a replay.
fn executes(replay: Option<&HashSet<String>>, name: &Ident) -> bool {
    replay.is_none_or(|set| set.contains(&name.to_string()))
}

/// The names `stmts` update (with how) or store into (`None`).
fn collect_writes(stmts: &[Stmt], into: &mut Vec<(Ident, Option<Update>)>) {
    for stmt in stmts {
        match stmt {
            Stmt::Update { acc, how, .. } => into.push((acc.clone(), Some(*how))),
            Stmt::Store { array, .. } => into.push((array.clone(), None)),
            Stmt::For { body, .. } => collect_writes(body, into),
            _ => {}
        }
    }
}

/// Whether `stmt` reads one of `names`.
fn reads_any(stmt: &Stmt, names: &HashSet<String>) -> bool {
    let reads = |rhs: &Rhs| {
        rhs.leaves.iter().any(|l| match l {
            Leaf::Name(n) => names.contains(&n.to_string()),
            Leaf::Element { array, .. } => names.contains(&array.to_string()),
            Leaf::Count(_) => false,
        })
    };
    match stmt {
        Stmt::Let { value, .. }
        | Stmt::Acc { init: value, .. }
        | Stmt::Update { value, .. }
        | Stmt::Store { value, .. } => reads(value),
        Stmt::For { body, .. } => body.iter().any(|s| reads_any(s, names)),
        Stmt::Array { .. } => false,
    }
}

/// What a pass over statements computes: values only (`plain`, for `fn f`, with the gates'
/// path), or the forward pass of `grad_into` and of a replay (see [`Sweep::forward`]).
struct Pass<'p> {
    replay: Option<&'p HashSet<String>>,
    level: bool,
    loads: &'p HashMap<String, TokenStream>,
    plain: Option<&'p TokenStream>,
}
