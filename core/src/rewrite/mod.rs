//! Simplification by declarative rewrite rules (SPEC §2): sigmoid gates from every
//! disguise, the numerically stable gates, and identities, applied to a fixed point on
//! the hash-consed DAG. Constant folding and the canonical order of sums and products
//! come from the [`Graph`](crate::Graph) constructors every rebuilt node goes through.
//!
//! A rule is a [`RuleSpec`]: a name, a pattern and its replacement as s-expressions,
//! `(pow (+ 1 (exp (neg ?u))) -1)` → `(σ ?u)`. `?u` binds any node; numbers match
//! constants; the variadic `+`, `*` and `logsumexp` match their operands in any order, a
//! final `?r..` binding the rest and a final `p..` matching each of them (`(+ (exp ?x)..)`,
//! spread on the right side as `?x..`); `(neg p)` matches what negates to `p`,
//! `(negated p)` only what reads as `-p`.
//!
//! - `pattern`: the s-expression patterns and how they match;
//! - `table`: rules compiled and checked into a [`RuleTable`];
//! - `rules`: the standard table, one rule a line;
//! - `engine`: bottom-up rewriting to a fixed point.

mod engine;
pub(crate) mod pattern;
mod rules;
mod table;

use std::sync::LazyLock;

pub(crate) use engine::{Settled, simplify_settled};
pub use engine::{Simplified, compact, simplify};
pub use pattern::PatternError;
pub use rules::{CONSTANT, POSITIVE_CONSTANT, STANDARD};
pub use table::{Guard, Pass, RuleError, RuleSpec, RuleTable};

static STANDARD_TABLE: LazyLock<RuleTable> =
    LazyLock::new(|| RuleTable::new(STANDARD).expect("the standard table is checked by a test"));

impl RuleTable {
    /// The [`STANDARD`] rules, compiled once.
    pub fn standard() -> &'static RuleTable {
        &STANDARD_TABLE
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_standard_table_builds() {
        let table = RuleTable::new(STANDARD).expect("every standard rule compiles");
        assert_eq!(table.names().count(), STANDARD.len());
    }
}
