//! symgrad's core (SPEC §2): the hash-consed DAG IR, lowering from the grammar's AST,
//! the operation table with each operation's evaluation and local partials,
//! reverse-mode differentiation into the same DAG, an f64 evaluator, and math notation;
//! for the lecture's tools, the forward graph with its gates named as CS231n names them,
//! its backward table at a point, and the central-difference gradient check;
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

mod backward_table;
pub mod benchmark_formulas;
mod codegen;
mod computational_graph;
mod count;
mod eval;
mod gate_label;
mod gradient;
mod gradient_check;
mod graph;
mod lower;
mod op;
mod print;
mod reverse;
pub mod rewrite;
mod wide_product;

pub use backward_table::{BackwardTable, Row};
pub use codegen::{CodegenOptions, Float, generate, rust_ident};
pub use computational_graph::{ComputationalGraph, GraphNode, Input, NodeKind};
pub use count::{count_forward_and_grad, count_ops};
pub use eval::{Program, evaluate};
pub use gate_label::GateLabel;
pub use gradient::Gradient;
pub use gradient_check::{
    CheckOptions, DEFAULT_TOLERANCE, PartialCheck, check_gradient, compare_with_central_differences,
};
pub use graph::{Const, Graph, Node, NodeId};
pub use lower::{call, lower};
pub use op::Op;
pub use print::{Listing, listing, number, to_math};
pub use reverse::reverse_mode;

/// Numerically stable scalar functions, as the evaluator and the generated code use them.
pub mod stable {
    pub use crate::op::{max, min, relu, sigmoid, sign, softplus};
}
