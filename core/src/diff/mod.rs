//! Differentiation: the pipeline every front end shares ([`pipeline`]), reverse mode on
//! the DAG ([`reverse`]), and the partials of a wide product at once ([`product_partials`]).

pub(crate) mod pipeline;
pub(crate) mod product_partials;
pub(crate) mod reverse;
