//! The IR of a function with arrays and loops (SPEC §8): statements that keep their
//! loops, each assigning one scalar expression ([`Rhs`]) that the scalar pipeline
//! differentiates with respect to its leaves.

use proc_macro2::{Ident, TokenStream};
use symgrad_grammar::Formula;

use crate::codegen::Float;

/// A function over scalars, arrays and data, written with loops.
#[derive(Clone, Debug)]
pub struct LoopFn {
    /// The function's name (`f`); its items live in `mod f`.
    pub name: Ident,
    /// Visibility of `fn f` and `mod f`.
    pub vis: TokenStream,
    /// Attributes and doc comments of `fn f`.
    pub attrs: TokenStream,
    /// The generic parameters as written (`<const N: usize>`), or nothing.
    pub generics: TokenStream,
    /// The generic arguments that name the same parameters (`<N>`), or nothing.
    pub generic_args: TokenStream,
    /// The float type of every float in the function.
    pub float: Float,
    /// The parameters, in order.
    pub params: Vec<LoopParam>,
    /// The statements of the body, in order.
    pub body: Vec<Stmt>,
    /// The body's final expression: the function's value.
    pub value: Rhs,
    /// The optimizer crates `f::Problem` serves (none by default).
    pub optimizers: crate::Optimizers,
}

/// One parameter.
#[derive(Clone, Debug)]
pub struct LoopParam {
    /// Its name.
    pub name: Ident,
    /// Its type as written (`&[f64; N]`).
    pub ty: TokenStream,
    /// What it holds.
    pub kind: ParamKind,
    /// Whether the gradient has a field for it.
    pub wrt: bool,
}

/// What a parameter holds.
#[derive(Clone, Debug)]
pub enum ParamKind {
    /// One float.
    Scalar,
    /// An array of compile-time lengths, outermost first (`[[F; N]; M]` is `[M, N]`).
    Array(Vec<TokenStream>),
    /// A run-time-length slice of floats or of float arrays: data.
    Slice,
    /// A `usize`: data, used as an index.
    Index,
}

/// A statement of the body.
#[derive(Clone, Debug)]
pub enum Stmt {
    /// `let name = value;`
    Let {
        /// The name bound.
        name: Ident,
        /// Its value.
        value: Rhs,
    },
    /// `let mut name = init;`, an accumulator updated by [`Stmt::Update`]s.
    Acc {
        /// The accumulator.
        name: Ident,
        /// Its first value.
        init: Rhs,
    },
    /// `acc += value;`, `acc -= value;`, `acc = acc.max(value);`, `acc = acc.min(value);`
    Update {
        /// The accumulator updated.
        acc: Ident,
        /// How.
        how: Update,
        /// The value it is updated with.
        value: Rhs,
    },
    /// `let mut name = [0.0; N];` (nested for more dimensions), each element assigned
    /// at most once by [`Stmt::Store`]s.
    Array {
        /// The array.
        name: Ident,
        /// Its lengths, outermost first.
        dims: Vec<TokenStream>,
    },
    /// `array[i][j] = value;`
    Store {
        /// The local array.
        array: Ident,
        /// The indices, outermost first.
        index: Vec<TokenStream>,
        /// The value stored.
        value: Rhs,
    },
    /// `for var in range { body }`.
    For {
        /// The loop variable.
        var: Ident,
        /// The range, as written (`0..x.len()`).
        range: TokenStream,
        /// The loop's statements.
        body: Vec<Stmt>,
    },
}

/// How an accumulator is updated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Update {
    /// `acc += v`
    Add,
    /// `acc -= v`
    Sub,
    /// `acc = acc.max(v)`: the adjoint goes to the first largest value.
    Max,
    /// `acc = acc.min(v)`: the adjoint goes to the first smallest value.
    Min,
    /// `acc *= v`: a product, each factor's partial the product of the others.
    Mul,
}

/// A scalar expression: a formula whose variable `k` is `leaves[k]`.
#[derive(Clone, Debug)]
pub struct Rhs {
    /// The expression; `formula.vars[k]` names `leaves[k]` (for messages only).
    pub formula: Formula,
    /// What each of the formula's variables reads.
    pub leaves: Vec<Leaf>,
}

impl Rhs {
    /// The number 0: a sum's first value.
    ///
    /// ```
    /// let zero = symgrad_core::loops::Rhs::zero();
    /// assert!(zero.leaves.is_empty() && zero.formula.vars.is_empty());
    /// ```
    pub fn zero() -> Rhs {
        Rhs::number("0")
    }

    /// The number 1: a product's first value.
    ///
    /// ```
    /// let one = symgrad_core::loops::Rhs::one();
    /// assert!(one.leaves.is_empty() && one.formula.vars.is_empty());
    /// ```
    pub fn one() -> Rhs {
        Rhs::number("1")
    }

    fn number(digits: &str) -> Rhs {
        Rhs {
            formula: symgrad_grammar::parse_with_vars(digits, &[]).expect("a number parses"),
            leaves: Vec::new(),
        }
    }
}

/// What a variable of an [`Rhs`] reads.
#[derive(Clone, Debug)]
pub enum Leaf {
    /// A scalar parameter or local.
    Name(Ident),
    /// An element of an array parameter, local array or data slice: `w[j][i]`.
    Element {
        /// The array.
        array: Ident,
        /// The indices, outermost first.
        index: Vec<TokenStream>,
    },
    /// An integer converted to the float type (`i as f64`, `xs.len() as f64`): data.
    Count(TokenStream),
}
