//! symgrad's expression language (SPEC §1): one pest grammar, an AST with byte spans,
//! name resolution, and errors that render like rustc's.
//!
//! - `expr.pest`: the grammar; `grammar.rs`: the generated parser.
//! - `limits.rs`: size limits and the depth pre-scan that runs before pest; `lex.rs`: the
//!   linear tokenizer it and the error messages use.
//! - `builder.rs`: pest pairs → [`Expr`] (precedence, flat sums and products, depth).
//! - `names.rs`: constants, functions, variables, and the hints for unknown names;
//!   [`is_reserved`].
//! - `rust_methods.rs`: the float methods of Rust that mean functions ([`RustMethod`]),
//!   for `#[derive_grad]`'s Rust-body form.
//! - `diagnose.rs`: pest errors in the user's words; `render.rs`: rustc-style output, and a
//!   compact form for inside another message.
//! - `sexpr.rs`: [`Formula::to_sexpr`], a compact view for tests.

#![warn(missing_docs)]

// pest without its `std` feature (the workspace's Cargo.toml says why) writes `alloc` paths.
extern crate alloc;

pub mod ast;
mod builder;
mod diagnose;
pub mod error;
mod grammar;
mod lex;
mod limits;
mod names;
mod parser;
mod render;
mod rust_methods;
mod sexpr;

pub use ast::{
    BindingIndex, Cmp, Cond, CondKind, Constant, Expr, ExprKind, Formula, Func, MulOp, Sign, Span,
    VarIndex,
};
pub use error::{ErrorKind, ParseError};
pub use names::is_reserved;
pub use rust_methods::RustMethod;

/// Deepest nesting of parentheses, calls, unary operators and powers accepted.
///
/// The depth of a point in a formula counts the parentheses and calls around it, the prefix
/// signs that apply to it and the `^` operators to its left in its power chain:
/// `((x))` and `--x` and `a^b^x` all put `x` at depth 2. A formula deeper than this is an
/// [`ErrorKind::TooDeep`] error at the first token that goes too deep, found by a linear
/// scan before parsing, so no input overflows the stack. pest recurses once per parenthesis
/// and once per prefix sign (about 1.1 MiB of stack for 200 nested calls in a debug build,
/// 30–40 KiB a level for conditions nested in conditions; far less in release); the AST
/// builder does not recurse. A thread with too little stack left for the depth found
/// parses on a stack grown for it.
pub const MAX_DEPTH: usize = 200;

/// Longest formula accepted, in bytes of UTF-8 ([`ErrorKind::TooLarge`]).
pub const MAX_SOURCE_LEN: usize = 16 << 20;

/// Longest name accepted, in bytes of UTF-8 ([`ErrorKind::TooLarge`]).
pub const MAX_NAME_LEN: usize = 256;

/// Most distinct variables a formula may have or declare ([`ErrorKind::TooLarge`]).
pub const MAX_VARS: usize = 65_536;

/// Parses a formula; every name that is not a function or constant is a variable,
/// in order of first appearance.
///
/// ```
/// let f = symgrad_grammar::parse("1/(1+e^-(w0x0+w1x1+w2))").unwrap();
/// assert_eq!(f.vars, ["w0", "x0", "w1", "x1", "w2"]);
/// assert_eq!(
///     f.to_sexpr(),
///     "(* 1 /(+ 1 (^ e (- (+ (* w0 x0) (* w1 x1) w2)))))"
/// );
///
/// let err = symgrad_grammar::parse("2 3").unwrap_err();
/// assert_eq!(err.message, "two numbers side by side: `2 3`");
/// ```
pub fn parse(source: &str) -> Result<Formula, ParseError> {
    parser::parse(source, names::Names::free())
}

/// Parses a formula whose variables are exactly `vars`, in that order.
pub fn parse_with_vars(source: &str, vars: &[&str]) -> Result<Formula, ParseError> {
    parser::parse(source, names::Names::declared(vars)?)
}

/// Parses comma-separated formulas, the outputs of one function (SPEC §6), whose variables
/// are every free name in order of first appearance over all of them; each formula has
/// them all. One formula (no top-level comma) is a list of one, parsed as [`parse`] would.
///
/// ```
/// let outputs = symgrad_grammar::parse_outputs("r cos(t), r sin(t)").unwrap();
/// assert_eq!(outputs.len(), 2);
/// assert_eq!(outputs[1].vars, ["r", "t"]);
/// assert_eq!(outputs[1].to_sexpr(), "(* r (sin t))");
/// let err = symgrad_grammar::parse_outputs("x, , y").unwrap_err();
/// assert_eq!((err.message.as_str(), err.span.start), ("output 2 is empty", 3));
/// ```
pub fn parse_outputs(source: &str) -> Result<Vec<Formula>, ParseError> {
    parser::parse_outputs(source, names::Names::free())
}

/// [`parse_outputs`] with exactly `vars` as the variables, in that order.
pub fn parse_outputs_with_vars(source: &str, vars: &[&str]) -> Result<Vec<Formula>, ParseError> {
    parser::parse_outputs(source, names::Names::declared(vars)?)
}
