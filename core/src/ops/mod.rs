//! The table of operations: each states its evaluation and its local partials side by
//! side. Composite operations (`-`, `/`, `sqrt`, `log2`, …) are built from these
//! primitives when a formula is lowered, so the table stays short.

pub mod stable;

use stable::{ge, gt, max, min, relu, sigmoid, sign, softplus};

/// What the table's partials are written against: the IR's [`Graph`](crate::Graph)
/// implements it, so the table needs no graph of its own and each partial builds exactly
/// the nodes it names, in order.
pub trait Build {
    /// A handle to a built node.
    type Node: Copy;
    /// The constant `v`.
    fn constant(&mut self, v: f64) -> Self::Node;
    /// The sum of `terms`.
    fn add(&mut self, terms: &[Self::Node]) -> Self::Node;
    /// The product of `factors`.
    fn mul(&mut self, factors: &[Self::Node]) -> Self::Node;
    /// `-x`.
    fn neg(&mut self, x: Self::Node) -> Self::Node;
    /// `base ^ exponent`.
    fn pow(&mut self, base: Self::Node, exponent: Self::Node) -> Self::Node;
    /// `op(args…)`.
    fn apply(&mut self, op: Op, args: &[Self::Node]) -> Self::Node;
}

/// A primitive operation of the DAG.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Op {
    /// n-ary sum.
    Add,
    /// n-ary product (`-x` is `(-1)·x`, `a/b` is `a·b^-1`).
    Mul,
    /// `a ^ b`.
    Pow,
    Exp,
    Ln,
    /// `ln(1 + x)`, accurate near 0.
    Ln1p,
    /// `e^x - 1`, accurate near 0.
    ExpM1,
    Sin,
    Cos,
    Tan,
    Asin,
    Acos,
    Atan,
    Sinh,
    Cosh,
    Tanh,
    Abs,
    /// The sigmoid gate `σ(x) = 1/(1+e^-x)`, evaluated without overflow.
    Sigmoid,
    /// `softplus(x) = ln(1+e^x)`, evaluated without overflow.
    Softplus,
    /// `max(0, x)`.
    Relu,
    /// `max(a, b)`; ties go to `a`.
    Max,
    /// `min(a, b)`; ties go to `a`.
    Min,
    /// `1` for positive, `-1` for negative, `0` at zero: the subgradient of `abs`.
    Sign,
    /// `1` if `a ≥ b` else `0`: the max gate's router.
    Ge,
    /// `1` if `a > b` else `0`.
    Gt,
}

impl Op {
    /// Number of operands; `Add` and `Mul` take two or more (this returns 2).
    pub fn arity(self) -> usize {
        match self {
            Op::Add | Op::Mul | Op::Pow | Op::Max | Op::Min | Op::Ge | Op::Gt => 2,
            _ => 1,
        }
    }

    /// The name a formula or the generated code calls it by.
    pub fn name(self) -> &'static str {
        match self {
            Op::Add => "+",
            Op::Mul => "·",
            Op::Pow => "^",
            Op::Exp => "exp",
            Op::Ln => "ln",
            Op::Ln1p => "ln_1p",
            Op::ExpM1 => "exp_m1",
            Op::Sin => "sin",
            Op::Cos => "cos",
            Op::Tan => "tan",
            Op::Asin => "asin",
            Op::Acos => "acos",
            Op::Atan => "atan",
            Op::Sinh => "sinh",
            Op::Cosh => "cosh",
            Op::Tanh => "tanh",
            Op::Abs => "abs",
            Op::Sigmoid => "σ",
            Op::Softplus => "softplus",
            Op::Relu => "relu",
            Op::Max => "max",
            Op::Min => "min",
            Op::Sign => "sign",
            Op::Ge => "ge",
            Op::Gt => "gt",
        }
    }

    /// The forward value, in IEEE arithmetic; gates use their stable forms.
    pub fn eval(self, x: &[f64]) -> f64 {
        match self {
            Op::Add => x.iter().sum(),
            Op::Mul => x.iter().product(),
            Op::Pow => pow(x[0], x[1]),
            Op::Exp => x[0].exp(),
            Op::Ln => x[0].ln(),
            Op::Ln1p => x[0].ln_1p(),
            Op::ExpM1 => x[0].exp_m1(),
            Op::Sin => x[0].sin(),
            Op::Cos => x[0].cos(),
            Op::Tan => x[0].tan(),
            Op::Asin => x[0].asin(),
            Op::Acos => x[0].acos(),
            Op::Atan => x[0].atan(),
            Op::Sinh => x[0].sinh(),
            Op::Cosh => x[0].cosh(),
            Op::Tanh => x[0].tanh(),
            Op::Abs => x[0].abs(),
            Op::Sigmoid => sigmoid(x[0]),
            Op::Softplus => softplus(x[0]),
            Op::Relu => relu(x[0]),
            Op::Max => max(x[0], x[1]),
            Op::Min => min(x[0], x[1]),
            Op::Sign => sign(x[0]),
            Op::Ge => ge(x[0], x[1]),
            Op::Gt => gt(x[0], x[1]),
        }
    }

    /// The local partial `∂out/∂args[i]`, built with `g` from the operands and the node's
    /// own output `out` (the sigmoid's is `σ·(1-σ)`, reusing the forward value).
    pub fn partial<B: Build>(self, g: &mut B, args: &[B::Node], out: B::Node, i: usize) -> B::Node {
        let a = args[0];
        match self {
            Op::Add => g.constant(1.0),
            Op::Mul => {
                let others: Vec<B::Node> = (0..args.len())
                    .filter(|&j| j != i)
                    .map(|j| args[j])
                    .collect();
                g.mul(&others)
            }
            Op::Pow if i == 0 => {
                // b·a^(b-1)
                let b = args[1];
                let minus_one = g.constant(-1.0);
                let b1 = g.add(&[b, minus_one]);
                let p = g.pow(a, b1);
                g.mul(&[b, p])
            }
            Op::Pow => {
                // ln(a)·a^b
                let ln = g.apply(Op::Ln, &[a]);
                g.mul(&[ln, out])
            }
            Op::Exp => out,
            Op::Ln => recip(g, a),
            Op::Ln1p => {
                let one = g.constant(1.0);
                let s = g.add(&[one, a]);
                recip(g, s)
            }
            Op::ExpM1 => {
                let one = g.constant(1.0);
                g.add(&[out, one])
            }
            Op::Sin => g.apply(Op::Cos, &[a]),
            Op::Cos => {
                let s = g.apply(Op::Sin, &[a]);
                g.neg(s)
            }
            Op::Tan => {
                // 1 + tan²
                let one = g.constant(1.0);
                let sq = square(g, out);
                g.add(&[one, sq])
            }
            Op::Asin => one_minus_square_pow(g, a, -0.5),
            Op::Acos => {
                let p = one_minus_square_pow(g, a, -0.5);
                g.neg(p)
            }
            Op::Atan => {
                let one = g.constant(1.0);
                let sq = square(g, a);
                let s = g.add(&[one, sq]);
                recip(g, s)
            }
            Op::Sinh => g.apply(Op::Cosh, &[a]),
            Op::Cosh => g.apply(Op::Sinh, &[a]),
            Op::Tanh => {
                // 1 - tanh²
                let one = g.constant(1.0);
                let sq = square(g, out);
                let nsq = g.neg(sq);
                g.add(&[one, nsq])
            }
            Op::Abs => g.apply(Op::Sign, &[a]),
            Op::Sigmoid => {
                // σ·(1-σ)
                let one = g.constant(1.0);
                let n = g.neg(out);
                let one_minus = g.add(&[one, n]);
                g.mul(&[out, one_minus])
            }
            Op::Softplus => g.apply(Op::Sigmoid, &[a]),
            Op::Relu => {
                let zero = g.constant(0.0);
                g.apply(Op::Gt, &[a, zero])
            }
            Op::Max if i == 0 => g.apply(Op::Ge, &[a, args[1]]),
            Op::Max => g.apply(Op::Gt, &[args[1], a]),
            Op::Min if i == 0 => g.apply(Op::Ge, &[args[1], a]),
            Op::Min => g.apply(Op::Gt, &[a, args[1]]),
            Op::Sign | Op::Ge | Op::Gt => g.constant(0.0),
        }
    }

    /// Whether the operation is piecewise constant (its partials are all zero).
    pub fn is_piecewise_constant(self) -> bool {
        matches!(self, Op::Sign | Op::Ge | Op::Gt)
    }
}

fn recip<B: Build>(g: &mut B, x: B::Node) -> B::Node {
    let minus_one = g.constant(-1.0);
    g.pow(x, minus_one)
}

fn square<B: Build>(g: &mut B, x: B::Node) -> B::Node {
    let two = g.constant(2.0);
    g.pow(x, two)
}

/// `(1 - x²)^p`
fn one_minus_square_pow<B: Build>(g: &mut B, x: B::Node, p: f64) -> B::Node {
    let one = g.constant(1.0);
    let sq = square(g, x);
    let nsq = g.neg(sq);
    let s = g.add(&[one, nsq]);
    let p = g.constant(p);
    g.pow(s, p)
}

/// `a^b`, with `powi` for small integer exponents as the generated code does.
pub fn pow(a: f64, b: f64) -> f64 {
    if b.fract() == 0.0 && b.abs() <= i32::MAX as f64 {
        a.powi(b as i32)
    } else if b == 0.5 {
        a.sqrt()
    } else {
        a.powf(b)
    }
}
