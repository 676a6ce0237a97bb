//! symgrad's core (SPEC §2): the hash-consed DAG IR, lowering from the grammar's AST,
//! the operation table with each operation's evaluation and local partials,
//! reverse-mode differentiation into the same DAG, an f64 evaluator, and math notation;
//! for the lecture's tools, the forward graph with its gates named as CS231n names them,
//! its backward table at a point, and the central-difference gradient check;
//! [`rewrite`] fuses sigmoid and other stable gates by declarative rules.
//!
//! ```
//! use symgrad_core::Gradient;
//! let f = symgrad_grammar::parse("1/(1+e^-(w0x0+w1x1+w2))").unwrap();
//! let grad = Gradient::all(&f);
//! let (value, partials) = grad.evaluate(&[2.0, -1.0, -3.0, -2.0, -3.0]);
//! assert!((value - 0.7310585786300049).abs() < 1e-15);
//! assert!((partials[0] - -0.19661193324148185).abs() < 1e-15);
//! ```
//!
//! The pipeline, folder by folder:
//!
//! - [`ir`](crate::Graph): the hash-consed DAG and lowering the grammar's AST into it;
//! - `ops`: the table of operations ([`Op`]), one entry each: evaluation, partials, Rust
//!   spelling, lecture label; and their [`stable`] forms;
//! - [`rewrite`]: simplification by declarative rules, fusing gates;
//! - `diff`: reverse mode and the pipeline, as stages ([`Pipeline`]) and run ([`Gradient`]);
//! - [`share`]: sharing products so that adjoints are computed once, the last stage;
//! - `eval`: the f64 evaluator ([`Program`]);
//! - `notation`: math notation ([`listing`], [`to_math`]);
//! - `codegen`: the Rust items of `#[derive_grad]` ([`generate`], [`count_ops`]);
//! - `optimizers`: `value_grad` and `f::Problem` for argmin and levenberg-marquardt
//!   ([`Optimizers`]);
//! - `lecture`: the lecture's computational graph, backward table and gradient check;
//! - `emitted`: Rust items compiled here and emitted verbatim into generated code.

#![warn(missing_docs)]

mod codegen;
mod diff;
mod emitted;
mod eval;
mod ir;
mod lecture;
pub mod loops;
mod notation;
#[cfg(test)]
mod op_table_tests;
mod ops;
mod optimizers;
pub mod rewrite;
pub mod share;

pub use codegen::{
    CodegenOptions, Float, OutputShape, count_forward_and_grad, count_many, count_ops,
    count_second_order, generate, generate_many, generate_with, generate_with_hvp, rust_ident,
};
pub use diff::forward::forward_mode;
pub use diff::many::{ManyOutputs, Outputs};
pub use diff::partials::kinked_ops;
pub use diff::pipeline::{Gradient, Pipeline, Stage};
pub use diff::reverse::reverse_mode;
pub use diff::second::{Hessian, HessianVectorProduct, SecondOrder};
pub use eval::{Program, evaluate};
pub use ir::graph::{Const, Graph, Node, NodeId};
pub use ir::lower::{call, fold_constant, lower};
pub use lecture::backward_table::{BackwardTable, Row};
pub use lecture::computational_graph::{ComputationalGraph, GraphNode, Input, NodeKind};
pub use lecture::gate_label::GateLabel;
pub use lecture::gradient_check::{
    CheckOptions, DEFAULT_TOLERANCE, PartialCheck, central_difference, check_gradient,
    check_hessian, compare_with_central_differences,
};
pub use notation::listing::{Listing, listing};
pub use notation::math::{number, to_math};
pub use ops::{Build, Op, stable};
pub use optimizers::{ArgminTypes, Optimizers};
