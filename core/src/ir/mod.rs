//! The IR: the hash-consed DAG ([`graph`]) and lowering the grammar's AST into it
//! ([`lower`]).

pub(crate) mod graph;
pub(crate) mod lower;
mod node;
pub(crate) mod node_index;
mod node_list;
pub(crate) mod node_map;
