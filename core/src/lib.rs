//! symgrad's core (SPEC §2): the hash-consed DAG IR, lowering from the grammar's AST,
//! the operation table with each operation's evaluation and local partials,
//! reverse-mode differentiation into the same DAG, an f64 evaluator, and math notation;
//! [`rewrite`] fuses sigmoid and other stable gates by declarative rules, and
//! [`benchmark_formulas`] holds the formulas SPEC §5 measures.
//!
//! ```
//! use symgrad_core::Gradient;
//! let f = symgrad_grammar::parse("1/(1+e^-(w0x0+w1x1+w2))").unwrap();
//! let grad = Gradient::all(&f);
//! let (value, partials) = grad.evaluate(&[2.0, -1.0, -3.0, -2.0, -3.0]);
//! assert!((value - 0.7310585786300049).abs() < 1e-15);
//! assert!((partials[0] - -0.19661193324148185).abs() < 1e-15);
//! ```

pub mod benchmark_formulas;
mod count;
mod eval;
mod gradient;
mod graph;
mod lower;
mod op;
mod print;
mod reverse;
pub mod rewrite;

pub use count::count_ops;
pub use eval::{Program, evaluate};
pub use gradient::Gradient;
pub use graph::{Const, Graph, Node, NodeId};
pub use lower::{call, lower};
pub use op::Op;
pub use print::{Listing, listing, number, to_math};
pub use reverse::reverse_mode;

/// Numerically stable scalar functions, as the evaluator and the generated code use them.
pub mod stable {
    pub use crate::op::{max, min, relu, sigmoid, sign, softplus};
}
