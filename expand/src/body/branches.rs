//! `if c { … } else { … }` in the Rust-body form (SPEC §7): `else if` chains, `let`s
//! scoped to their branch, and conditions read into the grammar's [`Cond`], so a
//! comparison is never a number.

use symgrad_grammar::{Cmp, Cond, CondKind, ExprKind, Span};
use syn::{BinOp, Block, Expr, UnOp};

use super::{Ast, Lowering, ast};

impl Lowering<'_> {
    /// `if c { … } else { … }` (SPEC §7), `else if` chains included; each branch is a
    /// block whose `let`s are visible in it only.
    pub(super) fn if_else(&mut self, i: &syn::ExprIf, depth: usize) -> Option<Ast> {
        let Some((_, otherwise)) = &i.else_branch else {
            self.errors.at(
                i.if_token,
                "an `if` without `else` has no value; add `else { … }` with the value otherwise",
            );
            return None;
        };
        let cond = self.cond(&i.cond, depth);
        let then = self.branch(&i.then_branch);
        let otherwise = match &**otherwise {
            Expr::Block(b) if b.label.is_none() && b.attrs.is_empty() => self.branch(&b.block),
            other => self.expr(other, depth),
        };
        let kind = ExprKind::If(Box::new(cond?), Box::new(then?), Box::new(otherwise?));
        Some(ast(kind))
    }

    /// A branch's block, its `let`s scoped to it.
    fn branch(&mut self, block: &Block) -> Option<Ast> {
        let outer = self.scope.clone();
        let value = self.block(block);
        self.scope = outer;
        value
    }

    /// A condition: comparisons `< <= > >=` of expressions, joined by `&&` and `||`,
    /// negated by `!`, in parentheses.
    fn cond(&mut self, e: &Expr, depth: usize) -> Option<Cond> {
        if self.too_deep(e, depth) {
            return None;
        }
        let depth = depth + 1;
        let kind = match e {
            Expr::Paren(p) => return self.cond(&p.expr, depth),
            Expr::Group(p) => return self.cond(&p.expr, depth),
            Expr::Unary(u) if matches!(u.op, UnOp::Not(_)) => {
                CondKind::Not(Box::new(self.cond(&u.expr, depth)?))
            }
            Expr::Binary(b) if matches!(b.op, BinOp::And(_) | BinOp::Or(_)) => {
                let (a, c) = (self.cond(&b.left, depth), self.cond(&b.right, depth));
                let parts = vec![a?, c?];
                if matches!(b.op, BinOp::And(_)) {
                    CondKind::And(parts)
                } else {
                    CondKind::Or(parts)
                }
            }
            Expr::Binary(b) => {
                let cmp = match b.op {
                    BinOp::Lt(_) => Cmp::Lt,
                    BinOp::Le(_) => Cmp::Le,
                    BinOp::Gt(_) => Cmp::Gt,
                    BinOp::Ge(_) => Cmp::Ge,
                    BinOp::Eq(_) | BinOp::Ne(_) => {
                        self.errors.at(
                            b.op,
                            "`==` and `!=` are not supported in conditions; compare with `<`, `<=`, `>` or `>=`",
                        );
                        return None;
                    }
                    _ => return self.not_a_condition(e),
                };
                let (a, c) = (self.expr(&b.left, depth), self.expr(&b.right, depth));
                CondKind::Compare(cmp, Box::new(a?), Box::new(c?))
            }
            _ => return self.not_a_condition(e),
        };
        Some(Cond {
            kind,
            span: Span::default(),
        })
    }

    fn not_a_condition(&mut self, e: &Expr) -> Option<Cond> {
        self.errors.at(
            e,
            "expected a condition: a comparison with `<`, `<=`, `>` or `>=`, joined by `&&`, `||` and `!`",
        );
        None
    }
}

/// A comparison or a connective, which make a condition (a `bool`), not a number.
pub(super) fn is_condition_operator(op: &BinOp) -> bool {
    matches!(
        op,
        BinOp::Lt(_)
            | BinOp::Le(_)
            | BinOp::Gt(_)
            | BinOp::Ge(_)
            | BinOp::Eq(_)
            | BinOp::Ne(_)
            | BinOp::And(_)
            | BinOp::Or(_)
    )
}
