//! Math notation: the DAG printed as formulas, with shared sub-expressions named once.

pub(crate) mod math;
