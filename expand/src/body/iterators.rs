//! Iterator reductions in a loop body (SPEC §8): `(0..n).map(|i| …).sum::<F>()`,
//! `a.iter().zip(b.iter()).map(|(x, y)| …).sum::<F>()`, `a.iter().enumerate()`,
//! `.fold(init, |acc, v| acc + …)` (or `acc.max(…)`, `acc.min(…)`), each written as the
//! loop it means: an accumulator and a `for` loop placed before the statement, whose
//! value the expression reads.

use proc_macro2::TokenStream;
use quote::{ToTokens, format_ident, quote};
use symgrad_core::loops::{Leaf, Rhs, Stmt as IrStmt, Update};
use symgrad_grammar::Formula;
use syn::ext::IdentExt;
use syn::{Expr, Ident, Pat};

use super::loops::Alias;
use super::{Ast, Lowering};

/// What one step of an iterator yields.
#[derive(Clone)]
enum Item {
    /// The loop's index (`0..n` yields it; `enumerate` pairs it).
    Index,
    /// An element of an array: `a[i]`, with the indices it still takes.
    Element(Ident, usize),
    /// A pair, from `zip` or `enumerate`.
    Pair(Box<Item>, Box<Item>),
}

/// An iterator: its range of indices and what each step yields.
struct Source {
    /// `a..b` of the index.
    range: TokenStream,
    item: Item,
    /// The arrays it iterates over (`zip` runs to the shortest).
    arrays: Vec<Ident>,
}

impl Lowering<'_> {
    /// `….sum()`, `….product()` or `….fold(…)` over an iterator, or `None` when `m` is no reduction
    /// (then it is a float method).
    pub(super) fn reduction(
        &mut self,
        m: &syn::ExprMethodCall,
        depth: usize,
    ) -> Option<Option<Ast>> {
        let name = m.method.to_string();
        let (how, init, body) = match (name.as_str(), m.args.len()) {
            ("sum", 0) => (Update::Add, None, None),
            ("fold", 2) => {
                let Expr::Closure(c) = &m.args[1] else {
                    return Some(
                        self.fail(&m.args[1], "`fold` takes a closure `|acc, v| acc + …`"),
                    );
                };
                if c.inputs.len() != 2 {
                    return Some(self.fail(
                        c,
                        "`fold`'s closure takes the accumulator and an item: `|acc, v| acc + …`",
                    ));
                }
                let Some(acc) = pat_ident(&c.inputs[0]) else {
                    return Some(self.fail(&c.inputs[0], "expected the accumulator's name"));
                };
                let Some((how, value)) = fold_step(&c.body, &acc) else {
                    return Some(self.fail(
                        &c.body,
                        format!("a fold's step is `{acc} + …`, `{acc} - …`, `{acc} * …`, `{acc}.max(…)` or `{acc}.min(…)`"),
                    ));
                };
                (how, Some(&m.args[0]), Some((&c.inputs[1], value)))
            }
            ("product", 0) => (Update::Mul, None, None),
            _ => return None,
        };
        if !is_iterator(&m.receiver) {
            return None;
        }
        // The mapped value: `.map(|p| e)` before `sum`, or the fold's step, or the item.
        let (source_expr, pattern, value): (&Expr, Option<&Pat>, Option<&Expr>) =
            match (body, &*m.receiver) {
                (Some((pat, value)), receiver) => (receiver, Some(pat), Some(value)),
                (None, Expr::MethodCall(map)) if map.method == "map" && map.args.len() == 1 => {
                    let Expr::Closure(c) = &map.args[0] else {
                        return Some(self.fail(&map.args[0], "`map` takes a closure `|x| …`"));
                    };
                    if c.inputs.len() != 1 {
                        return Some(self.fail(c, "`map`'s closure takes one item"));
                    }
                    (&map.receiver, Some(&c.inputs[0]), Some(&*c.body))
                }
                (None, receiver) => (receiver, None, None),
            };
        let source = self.source(source_expr)?;
        let Some(source) = source else {
            return Some(None);
        };
        let var = self.fresh_index(pattern, &source.item);
        let scope = self.leaves.as_mut().expect("lowering a loop body");
        let saved = scope.clone();
        scope.indices.insert(var.to_string());
        let bound = match pattern {
            Some(p) => self.bind(p, &source.item, &var),
            None => match &source.item {
                Item::Element(a, 0) => {
                    let scope = self.leaves.as_mut().expect("lowering a loop body");
                    let alias = format_ident!("{}", var);
                    scope.aliases.insert(
                        alias.to_string(),
                        Alias {
                            array: a.clone(),
                            index: vec![quote!(#var)],
                            rank: 0,
                        },
                    );
                    Some(())
                }
                _ => {
                    self.errors.at(
                        source_expr,
                        "a sum of items needs `.map(|x| …)` unless the items are floats",
                    );
                    None
                }
            },
        };
        let value = bound.and_then(|()| match value {
            Some(v) => self.nested_rhs(v, depth),
            None => self.nested_rhs_of_alias(&var),
        });
        let scope = self.leaves.as_mut().expect("lowering a loop body");
        let (pending_inner, taken) = (std::mem::take(&mut scope.pending), scope.taken.clone());
        *scope = saved;
        scope.taken = taken;
        let (value, inner) = (value?, pending_inner);
        let init = match (init, how) {
            (Some(e), _) => self.nested_rhs(e, depth)?,
            (None, Update::Mul) => Rhs::one(),
            (None, _) => Rhs::zero(),
        };
        let scope = self.leaves.as_mut().expect("lowering a loop body");
        let acc = scope.fresh(match how {
            Update::Add => "sum",
            Update::Mul => "product",
            _ => "fold",
        });
        let mut body = inner;
        body.push(IrStmt::Update {
            acc: acc.clone(),
            how,
            value,
        });
        scope.pending.push(IrStmt::Acc {
            name: acc.clone(),
            init,
        });
        scope.pending.push(IrStmt::For {
            var,
            range: source.range,
            body,
        });
        let key = acc.to_string();
        Some(Some(scope.leaf(key, Leaf::Name(acc))))
    }

    fn fail(&mut self, at: impl ToTokens, message: impl std::fmt::Display) -> Option<Ast> {
        self.errors.at(at, message);
        None
    }

    /// The iterator `e`: `(a..b)`, `x.iter()` (`.copied()`, `.cloned()`), `.zip(…)`,
    /// `.enumerate()`. `Some(None)` after an error.
    fn source(&mut self, e: &Expr) -> Option<Option<Source>> {
        match e {
            Expr::Paren(p) => self.source(&p.expr),
            Expr::Range(r) if r.start.is_some() && r.end.is_some() => {
                let a = self.index(r.start.as_deref().expect("checked"));
                let b = self.index(r.end.as_deref().expect("checked"));
                let limits = &r.limits;
                Some(a.zip(b).map(|(a, b)| Source {
                    range: quote!(#a #limits #b),
                    item: Item::Index,
                    arrays: Vec::new(),
                }))
            }
            Expr::MethodCall(m)
                if matches!(m.method.to_string().as_str(), "copied" | "cloned")
                    && m.args.is_empty() =>
            {
                self.source(&m.receiver)
            }
            Expr::MethodCall(m) if m.method == "iter" && m.args.is_empty() => {
                let name = super::loops::root_name(&m.receiver);
                let scope = self.leaves.as_ref().expect("lowering a loop body");
                match name.as_ref().and_then(|n| scope.arrays.get(n)).cloned() {
                    Some((array, rank)) => Some(Some(Source {
                        range: quote!(0..#array.len()),
                        item: Item::Element(array.clone(), rank - 1),
                        arrays: vec![array],
                    })),
                    None => {
                        self.errors.at(
                            &m.receiver,
                            "`.iter()` of an array or slice parameter or local array",
                        );
                        Some(None)
                    }
                }
            }
            Expr::MethodCall(m) if m.method == "zip" && m.args.len() == 1 => {
                let a = self.source(&m.receiver)?;
                let b = self.source(&m.args[0])?;
                let (Some(a), Some(b)) = (a, b) else {
                    return Some(None);
                };
                if matches!(a.item, Item::Index) || matches!(b.item, Item::Index) {
                    self.errors.at(
                        e,
                        "`zip` pairs `.iter()`s of arrays; for indices use `.enumerate()`",
                    );
                    return Some(None);
                }
                let lens: Vec<TokenStream> = a
                    .arrays
                    .iter()
                    .chain(&b.arrays)
                    .map(|x| quote!(#x.len()))
                    .collect();
                let first = &lens[0];
                let rest = &lens[1..];
                Some(Some(Source {
                    range: quote!(0..#first #(.min(#rest))*),
                    item: Item::Pair(Box::new(a.item), Box::new(b.item)),
                    arrays: [a.arrays, b.arrays].concat(),
                }))
            }
            Expr::MethodCall(m) if m.method == "enumerate" && m.args.is_empty() => {
                let a = self.source(&m.receiver)?;
                let Some(a) = a else { return Some(None) };
                if matches!(a.item, Item::Index) {
                    self.errors
                        .at(e, "`enumerate` numbers the items of `.iter()`");
                    return Some(None);
                }
                Some(Some(Source {
                    range: a.range,
                    item: Item::Pair(Box::new(Item::Index), Box::new(a.item)),
                    arrays: a.arrays,
                }))
            }
            other => {
                self.errors.at(
                    other,
                    "an iterator here is a range `(0..n)`, `x.iter()`, `.zip(y.iter())` or `.enumerate()`",
                );
                Some(None)
            }
        }
    }

    /// The loop variable: the closure's own name for a range's index, else a fresh one.
    fn fresh_index(&mut self, pattern: Option<&Pat>, item: &Item) -> Ident {
        let own = match (pattern, item) {
            (Some(p), Item::Index) => pat_ident(p),
            (Some(Pat::Tuple(t)), Item::Pair(a, _)) if matches!(**a, Item::Index) => {
                t.elems.first().and_then(pat_ident)
            }
            _ => None,
        };
        let scope = self.leaves.as_mut().expect("lowering a loop body");
        match own {
            Some(i) if !scope.in_scope(&i.unraw().to_string()) => i,
            _ => scope.fresh("i"),
        }
    }

    /// Binds the closure's pattern to the item of index `var`.
    fn bind(&mut self, p: &Pat, item: &Item, var: &Ident) -> Option<()> {
        match (p, item) {
            (Pat::Reference(r), Item::Element(..)) => self.bind(&r.pat, item, var),
            (Pat::Wild(_), _) => Some(()),
            (Pat::Ident(i), Item::Index) if i.subpat.is_none() => {
                if i.ident != *var {
                    let name = i.ident.unraw();
                    self.errors.at(
                        &i.ident,
                        format!("`{name}` is already a name here; give the index another"),
                    );
                    return None;
                }
                Some(())
            }
            (Pat::Ident(i), Item::Element(array, rank)) if i.subpat.is_none() => {
                let name = i.ident.unraw().to_string();
                let scope = self.leaves.as_mut().expect("lowering a loop body");
                if scope.in_scope(&name) {
                    self.errors.at(
                        &i.ident,
                        format!("`{name}` is already a name here; give the item another"),
                    );
                    return None;
                }
                scope.aliases.insert(
                    name,
                    Alias {
                        array: array.clone(),
                        index: vec![quote!(#var)],
                        rank: *rank,
                    },
                );
                Some(())
            }
            (Pat::Ident(i), Item::Index) => {
                self.errors.at(i, "expected a name for the index");
                None
            }
            (Pat::Tuple(t), Item::Pair(a, b)) if t.elems.len() == 2 => {
                self.bind(&t.elems[0], a, var)?;
                self.bind(&t.elems[1], b, var)
            }
            (other, _) => {
                self.errors
                    .at(other, "this pattern does not match the iterator's items");
                None
            }
        }
    }

    /// An expression inside a reduction, lowered as an expression of its own (its leaves,
    /// its reductions placed in the loop).
    fn nested_rhs(&mut self, e: &Expr, depth: usize) -> Option<Rhs> {
        let scope = self.leaves.as_mut().expect("lowering a loop body");
        let (leaves, keys) = (
            std::mem::take(&mut scope.leaves),
            std::mem::take(&mut scope.keys),
        );
        let bindings = std::mem::take(&mut self.bindings);
        let constants = std::mem::take(&mut self.constants);
        let names = std::mem::take(&mut self.scope);
        let expr = match e {
            // A closure's block: its `let`s are the expression's shared sub-expressions.
            Expr::Block(b) if b.label.is_none() && b.attrs.is_empty() => self.block(&b.block),
            _ => self.expr(e, depth),
        };
        let scope = self.leaves.as_mut().expect("lowering a loop body");
        let rhs_leaves = std::mem::replace(&mut scope.leaves, leaves);
        let rhs_keys = std::mem::replace(&mut scope.keys, keys);
        let rhs_bindings = std::mem::replace(&mut self.bindings, bindings);
        self.constants = constants;
        self.scope = names;
        Some(Rhs {
            formula: Formula {
                source: String::new(),
                expr: expr?,
                vars: rhs_keys,
                bindings: rhs_bindings,
            },
            leaves: rhs_leaves,
        })
    }

    /// The item itself, for `x.iter().sum()`.
    fn nested_rhs_of_alias(&mut self, var: &Ident) -> Option<Rhs> {
        let e: Expr = syn::parse_quote!(#var);
        self.nested_rhs(&e, 0)
    }
}

/// Whether `e` ends in an iterator adapter or source (so `.sum()` on it is a reduction).
fn is_iterator(e: &Expr) -> bool {
    match e {
        Expr::Paren(p) => is_iterator(&p.expr),
        Expr::Range(_) => true,
        Expr::MethodCall(m) => matches!(
            m.method.to_string().as_str(),
            "iter" | "map" | "zip" | "enumerate" | "copied" | "cloned"
        ),
        _ => false,
    }
}

/// The name a closure parameter binds.
fn pat_ident(p: &Pat) -> Option<Ident> {
    match p {
        Pat::Ident(i) if i.subpat.is_none() && i.by_ref.is_none() => Some(i.ident.clone()),
        Pat::Type(t) => pat_ident(&t.pat),
        _ => None,
    }
}

/// A fold's step `acc + e`, `e + acc`, `acc - e`, `acc.max(e)`, `e.max(acc)`, `acc.min(e)`,
/// `f64::max(acc, e)`: how and `e`.
fn fold_step<'e>(body: &'e Expr, acc: &Ident) -> Option<(Update, &'e Expr)> {
    let is_acc = |e: &Expr| matches!(e, Expr::Path(p) if p.path.is_ident(acc));
    match body {
        Expr::Paren(p) => fold_step(&p.expr, acc),
        Expr::Block(b) if b.block.stmts.len() == 1 => match &b.block.stmts[0] {
            syn::Stmt::Expr(e, None) => fold_step(e, acc),
            _ => None,
        },
        Expr::Binary(b) => match b.op {
            syn::BinOp::Add(_) if is_acc(&b.left) => Some((Update::Add, &b.right)),
            syn::BinOp::Add(_) if is_acc(&b.right) => Some((Update::Add, &b.left)),
            syn::BinOp::Sub(_) if is_acc(&b.left) => Some((Update::Sub, &b.right)),
            syn::BinOp::Mul(_) if is_acc(&b.left) => Some((Update::Mul, &b.right)),
            syn::BinOp::Mul(_) if is_acc(&b.right) => Some((Update::Mul, &b.left)),
            _ => None,
        },
        Expr::MethodCall(m) if m.args.len() == 1 && (m.method == "max" || m.method == "min") => {
            let how = if m.method == "max" {
                Update::Max
            } else {
                Update::Min
            };
            if is_acc(&m.receiver) {
                Some((how, &m.args[0]))
            } else if is_acc(&m.args[0]) {
                Some((how, &m.receiver))
            } else {
                None
            }
        }
        Expr::Call(c) if c.args.len() == 2 => {
            let Expr::Path(f) = &*c.func else { return None };
            let last = f.path.segments.last()?.ident.to_string();
            let how = match last.as_str() {
                "max" => Update::Max,
                "min" => Update::Min,
                _ => return None,
            };
            if is_acc(&c.args[0]) {
                Some((how, &c.args[1]))
            } else if is_acc(&c.args[1]) {
                Some((how, &c.args[0]))
            } else {
                None
            }
        }
        _ => None,
    }
}
