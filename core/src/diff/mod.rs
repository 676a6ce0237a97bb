//! Differentiation: the pipeline every front end shares ([`pipeline`]), reverse mode on
//! the DAG ([`reverse`]), forward mode ([`forward`]), many outputs ([`many`]: Jacobians,
//! VJPs, JVPs), second order from the same stages ([`second`]: the Hessian and
//! Hessian-vector products), each node's local partials ([`partials`]: the op table's, or
//! those of a wide product at once, [`product_partials`]).

pub(crate) mod forward;
pub(crate) mod many;
pub(crate) mod partials;
pub(crate) mod pipeline;
pub(crate) mod product_partials;
pub(crate) mod reverse;
pub(crate) mod second;
