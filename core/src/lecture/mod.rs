//! The lecture's tools (CS231n lecture 4): the forward graph with its gates named as the
//! lecture names them, its backward table at a point, and the central-difference check.

pub(crate) mod backward_table;
pub(crate) mod computational_graph;
pub(crate) mod gate_label;
pub(crate) mod gradient_check;
