//! The Rust-body form: the function's body read into the grammar's syntax tree, which
//! `core` lowers exactly as it lowers the math-notation form; each `let` is one binding
//! ([`Formula::bindings`]), however often it is used.
//! Accepted (SPEC §3): immutable `let`s, parentheses, `+ - * /`, unary `-`, float and
//! integer literals, the float methods and `f64::`/`f32::` functions of the formula
//! language ([`RustMethod`]), `std::f64::consts::{E, PI}`, and (SPEC §7) `if c { … } else
//! { … }` with `else if` chains, `let`s inside branches and conditions of `< <= > >=`,
//! `&&`, `||`, `!`. Anything else is a spanned error.

use std::collections::HashMap;

use symgrad_core::{OutputShape, fold_constant};
use symgrad_grammar::{
    BindingIndex, Constant, ExprKind, Formula, MulOp, RustMethod, Sign, Span, VarIndex,
};
use syn::ext::IdentExt;
use syn::{BinOp, Block, Expr, Lit, Pat, Stmt, UnOp};

use crate::errors::{Errors, list};

mod branches;
mod iterators;
pub(crate) mod loops;

use branches::is_condition_operator;

/// Deepest nesting of expressions accepted in a body, so the walk never overflows the
/// stack; deeper formulas name intermediate results with `let`.
pub(crate) const MAX_BODY_DEPTH: usize = 128;

/// The body's outputs as formulas whose variable `i` is parameter `i`, or `None` when an
/// error was pushed: one, or (SPEC §6) one per element of a final tuple or array
/// expression `(a, b)` / `[a, b]`, all with the body's `let`s. Their spans are empty:
/// errors point at the body's tokens, found here.
pub(crate) fn lower(body: &Block, params: &[String], errors: &mut Errors) -> Option<Outputs> {
    let mut lowering = Lowering {
        scope: HashMap::new(),
        bindings: Vec::new(),
        constants: Vec::new(),
        param_index: params
            .iter()
            .enumerate()
            .map(|(i, p)| (p.as_str(), i))
            .collect(),
        params,
        errors,
        leaves: None,
    };
    let (exprs, tail) = lowering.block_outputs(body)?;
    let formulas = exprs
        .into_iter()
        .map(|expr| Formula {
            source: String::new(),
            expr,
            vars: params.to_vec(),
            bindings: lowering.bindings.clone(),
        })
        .collect();
    Some(Outputs { formulas, tail })
}

/// What a body computes.
pub(crate) struct Outputs {
    pub formulas: Vec<Formula>,
    /// The final tuple or array expression, when the body ends in one.
    pub tail: Option<Tail>,
}

/// A body's final tuple or array expression, and which it is.
pub(crate) type Tail = (OutputShape, Expr);

/// A grammar expression of the body: its tokens have no place in a formula's source.
type Ast = symgrad_grammar::Expr;

fn ast(kind: ExprKind) -> Ast {
    Ast {
        kind,
        span: Span::default(),
    }
}

struct Lowering<'a> {
    /// `let` bindings by name (a later `let` shadows); the parameters are looked up after.
    /// `None` for a `let` whose error is reported already, so its uses add no more.
    scope: HashMap<String, Option<BindingIndex>>,
    /// Each `let`'s value, in order.
    bindings: Vec<Ast>,
    /// The constant each binding folds to, if any, for `powi`'s check.
    constants: Vec<Option<f64>>,
    /// Each parameter's position (a variable's index).
    param_index: HashMap<&'a str, usize>,
    params: &'a [String],
    errors: &'a mut Errors,
    /// In a body with loops (SPEC §8): what names and elements are; each one read becomes
    /// a leaf of the expression being lowered.
    leaves: Option<loops::LeafScope>,
}

impl Lowering<'_> {
    fn block(&mut self, body: &Block) -> Option<Ast> {
        self.block_with(body, |this, e| this.expr(e, 0).map(|x| vec![x]))
            .and_then(|mut v| v.pop())
    }

    /// The function's block, whose value may be a tuple or an array of outputs.
    fn block_outputs(&mut self, body: &Block) -> Option<(Vec<Ast>, Option<Tail>)> {
        let tail = match body.stmts.last() {
            Some(Stmt::Expr(e @ (Expr::Tuple(_) | Expr::Array(_)), None)) => Some(e.clone()),
            _ => None,
        };
        let exprs = self.block_with(body, |this, e| match e {
            Expr::Tuple(t) => this.outputs(&t.elems, e),
            Expr::Array(a) => this.outputs(&a.elems, e),
            _ => this.expr(e, 0).map(|x| vec![x]),
        })?;
        let tail = tail.map(|e| {
            let shape = match e {
                Expr::Tuple(_) => OutputShape::Tuple,
                _ => OutputShape::Array,
            };
            (shape, e)
        });
        Some((exprs, tail))
    }

    /// Each element of a final tuple or array, an output.
    fn outputs(
        &mut self,
        elems: &syn::punctuated::Punctuated<Expr, syn::Token![,]>,
        whole: &Expr,
    ) -> Option<Vec<Ast>> {
        if elems.is_empty() {
            self.errors.at(
                whole,
                "no outputs: the body's value must be a number, or a tuple or array of them",
            );
            return None;
        }
        let lowered: Vec<Option<Ast>> = elems.iter().map(|e| self.expr(e, 0)).collect();
        lowered.into_iter().collect()
    }

    /// A block whose last expression, its value, `tail` lowers.
    fn block_with(
        &mut self,
        body: &Block,
        tail_of: impl FnOnce(&mut Self, &Expr) -> Option<Vec<Ast>>,
    ) -> Option<Vec<Ast>> {
        let mut ok = true;
        let mut tail = None;
        let mut tail_of = Some(tail_of);
        for (k, stmt) in body.stmts.iter().enumerate() {
            let last = k + 1 == body.stmts.len();
            match stmt {
                Stmt::Local(local) => ok &= self.local(local).is_some(),
                Stmt::Expr(e, None) if last => {
                    tail = tail_of.take().and_then(|f| f(self, e));
                }
                Stmt::Expr(e, _) => {
                    ok = false;
                    if !self.mutation(e) && !self.unsupported_kind(e) {
                        self.errors.at(
                            e,
                            "only `let` statements are supported before the value; the body's last expression is its value",
                        );
                    }
                }
                Stmt::Item(item) => {
                    ok = false;
                    self.errors
                        .at(item, "items inside the body are not supported");
                }
                Stmt::Macro(m) => {
                    ok = false;
                    self.errors
                        .at(&m.mac.path, "macro calls are not supported in the body");
                }
            }
        }
        let ends_with_value = matches!(body.stmts.last(), Some(Stmt::Expr(_, None)));
        if !ends_with_value {
            self.errors.push(syn::Error::new(
                body.brace_token.span.close(),
                "the body must end with an expression, the function's value",
            ));
        }
        tail.filter(|_| ok)
    }

    /// `let name = expr;` or `let name: f64 = expr;`.
    fn local(&mut self, local: &syn::Local) -> Option<()> {
        let name = local_name(&local.pat);
        let binding = self.local_value(local).map(|value| {
            self.constants.push(fold_constant(&value, &self.constants));
            self.bindings.push(value);
            BindingIndex(self.bindings.len() - 1)
        });
        if let Some(name) = name {
            self.scope.insert(name, binding);
        }
        binding.map(|_| ())
    }

    fn local_value(&mut self, local: &syn::Local) -> Option<Ast> {
        let pat = match &local.pat {
            Pat::Type(t) => &*t.pat,
            p => p,
        };
        match pat {
            Pat::Ident(p) if p.by_ref.is_none() && p.subpat.is_none() => {
                if let Some(m) = &p.mutability {
                    self.errors.at(
                        m,
                        "mutation is not supported: `let mut`; bind each new value with its own `let`",
                    );
                    return None;
                }
            }
            other => {
                self.errors
                    .at(other, "expected a name such as `s` in `let s = …;`");
                return None;
            }
        }
        let Some(init) = &local.init else {
            self.errors.at(local, "a `let` needs a value: `let s = …;`");
            return None;
        };
        if let Some((else_token, _)) = &init.diverge {
            self.errors.at(else_token, "`let … else` is not supported");
            return None;
        }
        self.expr(&init.expr, 0)
    }

    /// Reports `e` when it is an assignment; true if it was.
    fn mutation(&mut self, e: &Expr) -> bool {
        let message = "mutation is not supported; bind each new value with its own `let`";
        match e {
            Expr::Assign(a) => self.errors.at(a.eq_token, message),
            Expr::Binary(b) if is_compound_assignment(&b.op) => self.errors.at(b.op, message),
            _ => return false,
        }
        true
    }

    /// Reports `e` when it is nested deeper than [`MAX_BODY_DEPTH`]; true if it is.
    fn too_deep(&mut self, e: &Expr, depth: usize) -> bool {
        if depth > MAX_BODY_DEPTH {
            self.errors.at(
                e,
                format!("expression nested too deeply (more than {MAX_BODY_DEPTH} levels); name intermediate results with `let`"),
            );
        }
        depth > MAX_BODY_DEPTH
    }

    fn expr(&mut self, e: &Expr, depth: usize) -> Option<Ast> {
        if self.too_deep(e, depth) {
            return None;
        }
        let depth = depth + 1;
        match e {
            Expr::Paren(p) => self.expr(&p.expr, depth),
            Expr::Group(p) => self.expr(&p.expr, depth),
            Expr::Lit(lit) => self.literal(&lit.lit),
            Expr::Path(p) => self.path(p),
            Expr::Unary(u) => match u.op {
                UnOp::Neg(_) => {
                    let x = self.expr(&u.expr, depth)?;
                    Some(ast(ExprKind::Neg(Box::new(x))))
                }
                _ => {
                    self.errors
                        .at(u.op, "unsupported operator; expected `-`, `+`, `*` or `/`");
                    None
                }
            },
            Expr::Binary(b) => self.binary(b, depth),
            Expr::MethodCall(m) => {
                if self.leaves.is_some()
                    && let Some(reduced) = self.reduction(m, depth)
                {
                    return reduced;
                }
                let receiver = self.expr(&m.receiver, depth);
                let args = self.args(&m.args, depth);
                if let Some(t) = &m.turbofish {
                    self.errors.at(t, "type arguments are not supported here");
                    return None;
                }
                let mut all = vec![receiver?];
                all.extend(args?);
                self.method(&m.method, all, m)
            }
            Expr::Call(c) => self.call(c, depth),
            Expr::If(i) => self.if_else(i, depth),
            Expr::Index(i) if self.leaves.is_some() => self.element(i),
            Expr::Cast(c) if self.leaves.is_some() => self.count(c),
            _ => {
                self.unsupported(e);
                None
            }
        }
    }

    fn args(
        &mut self,
        args: &syn::punctuated::Punctuated<Expr, syn::Token![,]>,
        depth: usize,
    ) -> Option<Vec<Ast>> {
        let lowered: Vec<Option<Ast>> = args.iter().map(|a| self.expr(a, depth)).collect();
        lowered.into_iter().collect()
    }

    fn literal(&mut self, lit: &Lit) -> Option<Ast> {
        let value = match lit {
            Lit::Float(f) => f.base10_parse::<f64>(),
            Lit::Int(i) => i.base10_digits().parse::<f64>().map_err(|_| {
                syn::Error::new_spanned(i, "this integer is not a number symgrad can read")
            }),
            other => Err(syn::Error::new_spanned(
                other,
                "unsupported literal; expected a number such as `1.0` or `2`",
            )),
        };
        let value = self.errors.ok(value)?;
        Some(ast(ExprKind::Number(value)))
    }

    /// A parameter, a `let` name, or `std::f64::consts::{E, PI}`.
    fn path(&mut self, p: &syn::ExprPath) -> Option<Ast> {
        if let Some(ident) = p.path.get_ident().filter(|_| p.qself.is_none()) {
            let name = ident.unraw().to_string();
            if let Some(&binding) = self.scope.get(&name) {
                return binding.map(|b| ast(ExprKind::Binding(b)));
            }
            if self.leaves.is_some() {
                return self.loop_name(ident);
            }
            if let Some(&i) = self.param_index.get(name.as_str()) {
                return Some(ast(ExprKind::Var(VarIndex(i))));
            }
            let hint = if matches!(name.as_str(), "E" | "PI") {
                format!("; write `std::f64::consts::{name}`")
            } else {
                format!("; the parameters are {}", list(self.params))
            };
            self.errors
                .at(ident, format!("unknown name `{name}`{hint}"));
            return None;
        }
        let segments: Vec<String> = p
            .path
            .segments
            .iter()
            .map(|s| s.ident.to_string())
            .collect();
        let tail: Vec<&str> = segments
            .iter()
            .rev()
            .take(3)
            .rev()
            .map(String::as_str)
            .collect();
        let prefix_ok = segments.len() == 3
            || (segments.len() == 4 && matches!(segments[0].as_str(), "std" | "core"));
        let constant = match tail.as_slice() {
            ["f64" | "f32", "consts", "E"] if prefix_ok => Constant::E,
            ["f64" | "f32", "consts", "PI"] if prefix_ok => Constant::Pi,
            _ => {
                self.errors.at(
                    p,
                    "unsupported path; expected a parameter, a `let` name, or `std::f64::consts::E` / `PI`",
                );
                return None;
            }
        };
        Some(ast(ExprKind::Constant(constant)))
    }

    fn binary(&mut self, b: &syn::ExprBinary, depth: usize) -> Option<Ast> {
        let supported = matches!(
            b.op,
            BinOp::Add(_) | BinOp::Sub(_) | BinOp::Mul(_) | BinOp::Div(_)
        );
        if !supported {
            let e = Expr::Binary(b.clone());
            if !self.mutation(&e) {
                let op = &b.op;
                let text = quote::quote!(#op).to_string();
                let message = if is_condition_operator(op) {
                    format!(
                        "`{text}` makes a condition, not a number; conditions go in `if c {{ … }} else {{ … }}`"
                    )
                } else {
                    format!("unsupported operator `{text}`; expected `+`, `-`, `*` or `/`")
                };
                self.errors.at(op, message);
            }
            return None;
        }
        // A chain `a + b - c + …` (or `a * b / c …`) nests to the left in syn; it is
        // walked as one flat sum (product), so its length does not count as depth.
        let additive = |op: &BinOp| matches!(op, BinOp::Add(_) | BinOp::Sub(_));
        let multiplicative = |op: &BinOp| matches!(op, BinOp::Mul(_) | BinOp::Div(_));
        let same_level = |op: &BinOp| {
            (additive(op) && additive(&b.op)) || (multiplicative(op) && multiplicative(&b.op))
        };
        let mut operands: Vec<(&BinOp, &Expr)> = Vec::new();
        let mut left = b;
        loop {
            operands.push((&left.op, &left.right));
            match &*left.left {
                Expr::Binary(inner) if same_level(&inner.op) => left = inner,
                first => {
                    operands.push((&b.op, first));
                    break;
                }
            }
        }
        operands.reverse();
        // Every operand is read (and its errors reported) before any is found missing.
        let lowered: Vec<Option<Ast>> = operands.iter().map(|(_, e)| self.expr(e, depth)).collect();
        let lowered: Vec<Ast> = lowered.into_iter().collect::<Option<_>>()?;
        // The first operand is positive whatever `b.op` is; the others follow their operator.
        let kind = if additive(&b.op) {
            let signs = operands.iter().enumerate().map(|(k, (op, _))| match op {
                BinOp::Sub(_) if k > 0 => Sign::Minus,
                _ => Sign::Plus,
            });
            ExprKind::Sum(signs.zip(lowered).collect())
        } else {
            let ops = operands.iter().enumerate().map(|(k, (op, _))| match op {
                BinOp::Div(_) if k > 0 => MulOp::Div,
                _ => MulOp::Mul,
            });
            ExprKind::Product(ops.zip(lowered).collect())
        };
        Some(ast(kind))
    }

    /// `f64::method(x, …)` / `f32::method(x, …)`; any other call is an error.
    fn call(&mut self, c: &syn::ExprCall, depth: usize) -> Option<Ast> {
        let method = match &*c.func {
            Expr::Path(p) if p.qself.is_none() && p.path.segments.len() == 2 => {
                let ty = &p.path.segments[0].ident;
                (ty == "f64" || ty == "f32").then(|| p.path.segments[1].ident.clone())
            }
            _ => None,
        };
        let Some(method) = method else {
            let func = &c.func;
            self.errors.at(
                func,
                format!(
                    "calls to other functions are not supported: `{}`; expected a float method such as `x.exp()` or `f64::exp(x)`",
                    quote::quote!(#func).to_string().replace(' ', "")
                ),
            );
            return None;
        };
        let args = self.args(&c.args, depth)?;
        if args.is_empty() {
            self.errors.at(
                c,
                format!("`{method}` needs its operand: `f64::{method}(x)`"),
            );
            return None;
        }
        self.method(&method, args, c)
    }

    /// `args[0].method(args[1..])`.
    fn method(
        &mut self,
        method: &syn::Ident,
        args: Vec<Ast>,
        whole: &dyn quote::ToTokens,
    ) -> Option<Ast> {
        let name = method.to_string();
        if name == "signum" {
            // Rust's signum(0.0) is 1.0 and signum(-0.0) is -1.0: a jump at 0 whose side
            // depends on the zero's sign, which rewriting does not keep.
            self.errors.at(
                method,
                "`signum` is not supported: Rust's `signum(0.0)` is 1.0, not the 0 of `sign`; write `if x > 0.0 { 1.0 } else if x < 0.0 { -1.0 } else { 0.0 }`, or `sign(x)` in a formula string",
            );
            return None;
        }
        let Some(meaning) = RustMethod::from_name(&name) else {
            self.errors.at(
                method,
                format!(
                    "unsupported method `{name}`; expected one of {}",
                    list(RustMethod::names())
                ),
            );
            return None;
        };
        let expected = meaning.arity();
        if args.len() != expected {
            self.errors.at(
                whole,
                format!(
                    "`{name}` takes {} argument{}",
                    expected - 1,
                    if expected == 2 { "" } else { "s" }
                ),
            );
            return None;
        }
        if meaning == RustMethod::Powi
            && !fold_constant(&args[1], &self.constants).is_some_and(|k| k.fract() == 0.0)
        {
            self.errors.at(
                whole,
                "`powi` needs a constant integer exponent such as `2`",
            );
            return None;
        }
        Some(meaning.apply(args, Span::default()))
    }

    fn unsupported(&mut self, e: &Expr) {
        if self.mutation(e) || self.unsupported_kind(e) {
            return;
        }
        self.errors.at(
            e,
            "unsupported expression; expected arithmetic (`+ - * /`), float methods, numbers or names",
        );
    }

    /// Reports `e` when it is a construct with its own message (`if`, loops, …); true if so.
    fn unsupported_kind(&mut self, e: &Expr) -> bool {
        let (at, message): (&dyn quote::ToTokens, &str) = match e {
            Expr::Match(m) => (
                &m.match_token,
                "`match` is not supported; a formula is one expression",
            ),
            Expr::ForLoop(l) => (
                &l.for_token,
                "loops are for functions with array parameters (`x: &[f64; N]`, SPEC §8); a function of scalars is one expression",
            ),
            Expr::While(l) => (
                &l.while_token,
                "`while` loops are not supported; with array parameters, write `for i in a..b`",
            ),
            Expr::Loop(l) => (
                &l.loop_token,
                "`loop` is not supported; with array parameters, write `for i in a..b`",
            ),
            Expr::Return(r) => (
                &r.return_token,
                "`return` is not supported; the body's last expression is its value",
            ),
            Expr::Macro(m) => (&m.mac.path, "macro calls are not supported in the body"),
            Expr::Block(_) | Expr::Unsafe(_) => {
                (e, "nested blocks are not supported; use `let` bindings")
            }
            Expr::Closure(_) => (e, "closures are not supported"),
            Expr::Cast(c) => (&c.as_token, "casts are not supported; use float literals"),
            _ => return false,
        };
        self.errors.at(at, message);
        true
    }
}

/// The name a `let` binds, when its pattern is a plain name.
fn local_name(pat: &Pat) -> Option<String> {
    let pat = match pat {
        Pat::Type(t) => &*t.pat,
        p => p,
    };
    match pat {
        Pat::Ident(p) => Some(p.ident.unraw().to_string()),
        _ => None,
    }
}

pub(crate) fn is_compound_assignment(op: &BinOp) -> bool {
    matches!(
        op,
        BinOp::AddAssign(_)
            | BinOp::SubAssign(_)
            | BinOp::MulAssign(_)
            | BinOp::DivAssign(_)
            | BinOp::RemAssign(_)
            | BinOp::BitXorAssign(_)
            | BinOp::BitAndAssign(_)
            | BinOp::BitOrAssign(_)
            | BinOp::ShlAssign(_)
            | BinOp::ShrAssign(_)
    )
}

#[cfg(test)]
mod tests;
