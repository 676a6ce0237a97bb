//! The table of operations: one entry per operation states its name, arity, evaluation,
//! local partials, the name rewrite patterns call it by, the grammar function that lowers
//! to it, its Rust spelling and its lecture label, side by side. Composite operations
//! (`-`, `/`, `sqrt`, `log2`, …) are built from these primitives when a formula is
//! lowered, so the table stays short.
//!
//! Adding a gate is one entry here (its stable source in [`stable`] when the generated
//! code calls it), the grammar's `Func` variant if formulas may call it by name, and a
//! rule line if a disguise of it should fuse into it.

mod define;
pub mod stable;

use define::define_ops;

/// What the table's partials are written against: the IR's [`Graph`](crate::Graph)
/// implements it, so the table needs no graph of its own and each partial builds exactly
/// the nodes it names, in order.
///
/// ```
/// use symgrad_core::{Graph, Op, evaluate};
/// let mut g = Graph::new();
/// let x = g.var(0);
/// let out = g.apply(Op::Sin, &[x]);
/// let d = Op::Sin.partial(&mut g, &[x], out, 0);
/// assert_eq!(evaluate(&g, &[d], &[0.5]), vec![0.5f64.cos()]);
/// ```
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

/// An operation the generated code and the lecture write by its shape, not by a name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Operator {
    /// `a + b - c`.
    Sum,
    /// `a * b / c`.
    Product,
    /// `x.powi(k)`, `x.sqrt()`, `1 / x`, `x.powf(y)`.
    Power,
}

/// How the generated Rust code spells an operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Rust {
    /// Written by its shape with Rust's operators.
    Operator(Operator),
    /// The float method of this name: `x.exp()`.
    Method(&'static str),
    /// The function of this name in the generated `gates` module, whose source is in
    /// [`stable`]: `gates::sigmoid(x)`; a variadic operation's takes a slice of its
    /// operands, `gates::logsumexp(&[a, b, c])`.
    Gate(&'static str),
    /// `if c { a } else { b }`, the condition written with comparisons, `&&`, `||`, `!`.
    Branch,
}

/// How the lecture names and draws an operation's gate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Lecture {
    /// Labelled by its constant inputs too (`+1`, `*-1`, `1/x`).
    Operator(Operator),
    /// The `{word} gate`, drawn with the operation's name, and what it does with the
    /// upstream gradient where the lecture says.
    Gate(&'static str, Option<&'static str>),
}

define_ops! {
    /// n-ary sum.
    Add {
        name: "+", arity: 2 or more, pattern: "+",
        rust: Rust::Operator(Operator::Sum),
        lecture: Lecture::Operator(Operator::Sum),
        eval: |x| x.iter().sum(),
        partial: |g, _, _, _| g.constant(1.0),
    }
    /// n-ary product (`-x` is `(-1)·x`, `a/b` is `a·b^-1`).
    Mul {
        name: "·", arity: 2 or more, pattern: "*",
        rust: Rust::Operator(Operator::Product),
        lecture: Lecture::Operator(Operator::Product),
        eval: |x| x.iter().product(),
        partial: |g, args, _, i| {
            let others: Vec<_> = (0..args.len()).filter(|&j| j != i).map(|j| args[j]).collect();
            g.mul(&others)
        },
    }
    /// `a ^ b`.
    Pow {
        name: "^", arity: 2, pattern: "pow",
        rust: Rust::Operator(Operator::Power),
        lecture: Lecture::Operator(Operator::Power),
        eval: |x| pow(x[0], x[1]),
        partial: |g, args, out, i| if i == 0 {
            // b·a^(b-1)
            let minus_one = g.constant(-1.0);
            let b1 = g.add(&[args[1], minus_one]);
            let p = g.pow(args[0], b1);
            g.mul(&[args[1], p])
        } else {
            // ln(a)·a^b
            let ln = g.apply(Op::Ln, &[args[0]]);
            g.mul(&[ln, out])
        },
    }
    /// `e^x`.
    Exp {
        name: "exp", arity: 1, pattern: "exp", grammar: Exp,
        rust: Rust::Method("exp"),
        lecture: Lecture::Gate("exp", Some("local gradient = its output")),
        eval: |x| x[0].exp(),
        partial: |_, _, out, _| out,
    }
    /// The natural logarithm.
    Ln {
        name: "ln", arity: 1, pattern: "ln", grammar: Ln,
        rust: Rust::Method("ln"),
        lecture: Lecture::Gate("ln", None),
        eval: |x| x[0].ln(),
        partial: |g, args, _, _| recip(g, args[0]),
    }
    /// `ln(1 + x)`, accurate near 0.
    Ln1p {
        name: "ln_1p", arity: 1, pattern: "ln_1p", grammar: Ln1p,
        rust: Rust::Method("ln_1p"),
        lecture: Lecture::Gate("ln_1p", None),
        eval: |x| x[0].ln_1p(),
        partial: |g, args, _, _| {
            let one = g.constant(1.0);
            let s = g.add(&[one, args[0]]);
            recip(g, s)
        },
    }
    /// `e^x - 1`, accurate near 0.
    ExpM1 {
        name: "exp_m1", arity: 1, pattern: "exp_m1", grammar: ExpM1,
        rust: Rust::Method("exp_m1"),
        lecture: Lecture::Gate("exp_m1", None),
        eval: |x| x[0].exp_m1(),
        // e^x, not `exp_m1(x) + 1`, which is 0 once e^x < 2⁻⁵³.
        partial: |g, args, _, _| g.apply(Op::Exp, args),
    }
    /// The sine.
    Sin {
        name: "sin", arity: 1, pattern: "sin", grammar: Sin,
        rust: Rust::Method("sin"),
        lecture: Lecture::Gate("sin", None),
        eval: |x| x[0].sin(),
        partial: |g, args, _, _| g.apply(Op::Cos, args),
    }
    /// The cosine.
    Cos {
        name: "cos", arity: 1, pattern: "cos", grammar: Cos,
        rust: Rust::Method("cos"),
        lecture: Lecture::Gate("cos", None),
        eval: |x| x[0].cos(),
        partial: |g, args, _, _| {
            let s = g.apply(Op::Sin, args);
            g.neg(s)
        },
    }
    /// The tangent.
    Tan {
        name: "tan", arity: 1, pattern: "tan", grammar: Tan,
        rust: Rust::Method("tan"),
        lecture: Lecture::Gate("tan", None),
        eval: |x| x[0].tan(),
        partial: |g, _, out, _| {
            // 1 + tan²
            let one = g.constant(1.0);
            let sq = square(g, out);
            g.add(&[one, sq])
        },
    }
    /// The arcsine.
    Asin {
        name: "asin", arity: 1, pattern: "asin", grammar: Asin,
        rust: Rust::Method("asin"),
        lecture: Lecture::Gate("asin", None),
        eval: |x| x[0].asin(),
        partial: |g, args, _, _| one_minus_square_pow(g, args[0], -0.5),
    }
    /// The arccosine.
    Acos {
        name: "acos", arity: 1, pattern: "acos", grammar: Acos,
        rust: Rust::Method("acos"),
        lecture: Lecture::Gate("acos", None),
        eval: |x| x[0].acos(),
        partial: |g, args, _, _| {
            let p = one_minus_square_pow(g, args[0], -0.5);
            g.neg(p)
        },
    }
    /// The arctangent.
    Atan {
        name: "atan", arity: 1, pattern: "atan", grammar: Atan,
        rust: Rust::Method("atan"),
        lecture: Lecture::Gate("atan", None),
        eval: |x| x[0].atan(),
        partial: |g, args, _, _| {
            let one = g.constant(1.0);
            let sq = square(g, args[0]);
            let s = g.add(&[one, sq]);
            recip(g, s)
        },
    }
    /// The hyperbolic sine.
    Sinh {
        name: "sinh", arity: 1, pattern: "sinh", grammar: Sinh,
        rust: Rust::Method("sinh"),
        lecture: Lecture::Gate("sinh", None),
        eval: |x| x[0].sinh(),
        partial: |g, args, _, _| g.apply(Op::Cosh, args),
    }
    /// The hyperbolic cosine.
    Cosh {
        name: "cosh", arity: 1, pattern: "cosh", grammar: Cosh,
        rust: Rust::Method("cosh"),
        lecture: Lecture::Gate("cosh", None),
        eval: |x| x[0].cosh(),
        partial: |g, args, _, _| g.apply(Op::Sinh, args),
    }
    /// The hyperbolic tangent.
    Tanh {
        name: "tanh", arity: 1, pattern: "tanh", grammar: Tanh,
        rust: Rust::Method("tanh"),
        lecture: Lecture::Gate("tanh", Some("local gradient 1/cosh²")),
        eval: |x| x[0].tanh(),
        // (1/cosh)², not `1 - tanh²`, which loses its digits as tanh nears ±1 (relative
        // error 1e-8 at x = 10) and is 0 from |x| ≈ 19 on, where the truth is 4e^-2|x|;
        // nor `1/cosh²`, whose cosh² overflows from |x| ≈ 355 on, before the truth underflows.
        partial: |g, args, _, _| {
            let cosh = g.apply(Op::Cosh, args);
            let sech = recip(g, cosh);
            square(g, sech)
        },
    }
    /// The absolute value.
    Abs {
        name: "abs", arity: 1, pattern: "abs", grammar: Abs,
        rust: Rust::Method("abs"),
        lecture: Lecture::Gate("abs", None),
        eval: |x| x[0].abs(),
        partial: |g, args, _, _| g.apply(Op::Sign, args),
    }
    /// The sigmoid gate `σ(x) = 1/(1+e^-x)`, evaluated without overflow.
    Sigmoid {
        name: "σ", arity: 1, pattern: "σ", grammar: Sigmoid,
        rust: Rust::Gate("sigmoid"),
        lecture: Lecture::Gate("sigmoid", Some("local gradient σ(x)·σ(-x), one exponential")),
        eval: |x| stable::sigmoid(x[0]),
        // σ', not `σ·(1-σ)`, which is 0 from x ≈ 37 on (the truth is e^-x).
        partial: |g, args, _, _| g.apply(Op::SigmoidPrime, args),
    }
    /// The sigmoid's local gradient `σ'(x) = σ(x)·σ(-x)`, from the sigmoid's own `e^-|x|`.
    SigmoidPrime {
        name: "σ'", arity: 1, pattern: "σ'",
        rust: Rust::Gate("sigmoid_prime"),
        lecture: Lecture::Gate("sigmoid'", None),
        eval: |x| stable::sigmoid_prime(x[0]),
        // σ'' = σ'·(σ(-x) - σ(x)) = σ'·tanh(-x/2): no difference that cancels near 0.
        partial: |g, args, out, _| {
            let minus_half = g.constant(-0.5);
            let half = g.mul(&[minus_half, args[0]]);
            let t = g.apply(Op::Tanh, &[half]);
            g.mul(&[out, t])
        },
    }
    /// `softplus(x) = ln(1+e^x)`, evaluated without overflow.
    Softplus {
        name: "softplus", arity: 1, pattern: "softplus", grammar: Softplus,
        rust: Rust::Gate("softplus"),
        lecture: Lecture::Gate("softplus", None),
        eval: |x| stable::softplus(x[0]),
        partial: |g, args, _, _| g.apply(Op::Sigmoid, args),
    }
    /// `max(0, x)`.
    Relu {
        name: "relu", arity: 1, pattern: "relu", grammar: Relu,
        rust: Rust::Gate("relu"),
        lecture: Lecture::Gate("relu", Some("router")),
        eval: |x| stable::relu(x[0]),
        partial: |g, args, _, _| {
            let zero = g.constant(0.0);
            g.apply(Op::Gt, &[args[0], zero])
        },
    }
    /// `max(a, b)`; ties go to `a`.
    Max {
        name: "max", arity: 2, pattern: "max", grammar: Max,
        rust: Rust::Gate("max"),
        lecture: Lecture::Gate("max", Some("router")),
        eval: |x| stable::max(x[0], x[1]),
        partial: |g, args, _, i| if i == 0 {
            g.apply(Op::Ge, &[args[0], args[1]])
        } else {
            g.apply(Op::Gt, &[args[1], args[0]])
        },
    }
    /// `min(a, b)`; ties go to `a`.
    Min {
        name: "min", arity: 2, pattern: "min", grammar: Min,
        rust: Rust::Gate("min"),
        lecture: Lecture::Gate("min", Some("router")),
        eval: |x| stable::min(x[0], x[1]),
        partial: |g, args, _, i| if i == 0 {
            g.apply(Op::Ge, &[args[1], args[0]])
        } else {
            g.apply(Op::Gt, &[args[0], args[1]])
        },
    }
    /// `1` for positive, `-1` for negative, `0` at zero: the subgradient of `abs`.
    Sign {
        name: "sign", arity: 1, pattern: "sign", grammar: Sign,
        rust: Rust::Gate("sign"),
        lecture: Lecture::Gate("sign", None),
        eval: |x| stable::sign(x[0]),
        partial: zero,
    }
    /// `select(c, a, b)`: `a` where the condition `c` holds (`c > 0`), else `b`; only the
    /// branch taken is evaluated, by the interpreter and the generated code alike.
    ///
    /// Conditions are nodes worth 1 (true) or 0 (false): the comparisons are [`Op::Gt`]
    /// and [`Op::Ge`] (`a < b` is `b > a`, `a ≤ b` is `b ≥ a`), and the connectives are
    /// selects themselves: `c and d` is `select(c, d, 0)`, `c or d` is `select(c, 1, d)`,
    /// `not(c)` is `select(c, 0, 1)`, so they short-circuit like Rust's `&&` and `||`.
    /// A comparison with NaN is false.
    ///
    /// The partials below are the router's (the whole upstream gradient to the branch
    /// taken, none to the condition); reverse mode does not multiply by them but routes
    /// the adjoint with a select of its own, `select(c, adjoint, 0)`, so a NaN or an
    /// infinity of the branch not taken never reaches a derivative.
    Select {
        name: "select", arity: 3, pattern: "select",
        rust: Rust::Branch,
        lecture: Lecture::Gate("select", Some("router: all of it to the branch taken")),
        eval: |x| if x[0] > 0.0 { x[1] } else { x[2] },
        partial: |g, args, _, i| {
            let (one, zero) = (g.constant(1.0), g.constant(0.0));
            match i {
                0 => zero,
                1 => g.apply(Op::Select, &[args[0], one, zero]),
                _ => g.apply(Op::Select, &[args[0], zero, one]),
            }
        },
    }
    /// `1` if `a ≥ b` else `0`: the max gate's router.
    Ge {
        name: "ge", arity: 2, pattern: "ge",
        rust: Rust::Gate("ge"),
        lecture: Lecture::Gate("ge", None),
        eval: |x| stable::ge(x[0], x[1]),
        partial: zero,
    }
    /// `1` if `a > b` else `0`.
    Gt {
        name: "gt", arity: 2, pattern: "gt",
        rust: Rust::Gate("gt"),
        lecture: Lecture::Gate("gt", None),
        eval: |x| stable::gt(x[0], x[1]),
        partial: zero,
    }
    /// `leaky_relu(x, a)`: `x` for `x > 0`, else `a·x`; at 0 the slope is `a` (the
    /// branch `x > 0` is not taken).
    LeakyRelu {
        name: "leaky_relu", arity: 2, pattern: "leaky_relu", grammar: LeakyRelu,
        rust: Rust::Gate("leaky_relu"),
        lecture: Lecture::Gate("leaky_relu", Some("router: all of it, or a times it")),
        eval: |x| stable::leaky_relu(x[0], x[1]),
        partial: |g, args, _, i| {
            let positive = positive(g, args[0]);
            let (one, zero) = (g.constant(1.0), g.constant(0.0));
            match i {
                0 => g.apply(Op::Select, &[positive, one, args[1]]),
                _ => g.apply(Op::Select, &[positive, zero, args[0]]),
            }
        },
    }
    /// `elu(x, a)`: `x` for `x > 0`, else `a·(e^x - 1)`; at 0 the slope is `a`.
    Elu {
        name: "elu", arity: 2, pattern: "elu", grammar: Elu,
        rust: Rust::Gate("elu"),
        lecture: Lecture::Gate("elu", None),
        fused: EluSlope => "elu_with_slope",
        eval: |x| stable::elu(x[0], x[1]),
        // The slope is a gate of its own, so that a block computing both calls
        // `elu_with_slope`: one exponential for the value and the slope.
        partial: |g, args, _, i| match i {
            0 => g.apply(Op::EluSlope, args),
            _ => {
                let positive = positive(g, args[0]);
                let zero = g.constant(0.0);
                let e = g.apply(Op::ExpM1, &[args[0]]);
                g.apply(Op::Select, &[positive, zero, e])
            }
        },
    }
    /// `elu'(x, a)`, elu's slope in `x`: `1` for `x > 0`, else `a·e^x` (never `elu + a`,
    /// which is 0 once e^x < 2⁻⁵³); the exponential only in the branch taken.
    EluSlope {
        name: "elu'", arity: 2, pattern: "elu'",
        rust: Rust::Gate("elu_slope"),
        lecture: Lecture::Gate("elu'", None),
        eval: |x| stable::elu_slope(x[0], x[1]),
        // Below 0 the slope is its own derivative in x, and e^x = elu'(x, 1) in a.
        partial: |g, args, out, i| {
            let positive = positive(g, args[0]);
            let zero = g.constant(0.0);
            let below = if i == 0 {
                out
            } else {
                let one = g.constant(1.0);
                g.apply(Op::EluSlope, &[args[0], one])
            };
            g.apply(Op::Select, &[positive, zero, below])
        },
    }
    /// `huber(x, d)`: `x²/2` for `|x| ≤ d`, else `d·(|x| - d/2)`. Both partials are
    /// continuous at `|x| = d` (`x` and `0` from either side); the second jumps.
    Huber {
        name: "huber", arity: 2, pattern: "huber", grammar: Huber,
        rust: Rust::Gate("huber"),
        lecture: Lecture::Gate("huber", None),
        fused: HuberSlope => "huber_with_slope",
        eval: |x| stable::huber(x[0], x[1]),
        // The slope in x is a gate of its own, so that a block computing both calls
        // `huber_with_slope`: one comparison for the value and the slope.
        partial: |g, args, _, i| {
            if i == 0 {
                g.apply(Op::HuberSlope, args)
            } else {
                let (magnitude, inside) = within(g, args[0], args[1]);
                let zero = g.constant(0.0);
                let minus_d = g.neg(args[1]);
                let outside = g.add(&[magnitude, minus_d]);
                g.apply(Op::Select, &[inside, zero, outside])
            }
        },
    }
    /// `huber'(x, d)`, huber's slope in `x`: `x` for `|x| ≤ d`, else `d·sign(x)`.
    HuberSlope {
        name: "huber'", arity: 2, pattern: "huber'",
        rust: Rust::Gate("huber_slope"),
        lecture: Lecture::Gate("huber'", None),
        eval: |x| stable::huber_slope(x[0], x[1]),
        partial: |g, args, _, i| {
            let (_, inside) = within(g, args[0], args[1]);
            if i == 0 {
                inside
            } else {
                let zero = g.constant(0.0);
                let sign = g.apply(Op::Sign, &[args[0]]);
                g.apply(Op::Select, &[inside, zero, sign])
            }
        },
    }
    /// `clamp(x, lo, hi)`: `lo` if `x < lo`, else `hi` if `x > hi`, else `x`. At a bound
    /// `x` passes through: the whole gradient goes to `x`, none to the bound.
    Clamp {
        name: "clamp", arity: 3, pattern: "clamp", grammar: Clamp,
        rust: Rust::Gate("clamp"),
        lecture: Lecture::Gate("clamp", Some("router")),
        eval: |x| stable::clamp(x[0], x[1], x[2]),
        partial: |g, args, _, i| {
            let below = g.apply(Op::Gt, &[args[1], args[0]]);
            let above = g.apply(Op::Gt, &[args[0], args[2]]);
            let zero = g.constant(0.0);
            match i {
                0 => {
                    let one = g.constant(1.0);
                    let inside = g.apply(Op::Select, &[above, zero, one]);
                    g.apply(Op::Select, &[below, zero, inside])
                }
                1 => below,
                _ => g.apply(Op::Select, &[below, zero, above]),
            }
        },
    }
    /// `gelu(x)`, the tanh form, evaluated as `x·σ(z)`, `z = 2√(2/π)·x·(1 + 0.044715x²)`.
    Gelu {
        name: "gelu", arity: 1, pattern: "gelu", grammar: Gelu,
        rust: Rust::Gate("gelu"),
        lecture: Lecture::Gate("gelu", None),
        eval: |x| stable::gelu(x[0]),
        // σ(z) + x·σ'(z)·z', from σ' rather than σ(1-σ), which is 0 in the tails.
        partial: |g, args, _, _| {
            let x = args[0];
            let sq = square(g, x);
            let k = g.constant(0.044715);
            let k3 = g.constant(3.0 * 0.044715);
            let one = g.constant(1.0);
            let c = g.constant(GELU_SCALE);
            let kx2 = g.mul(&[k, sq]);
            let inner = g.add(&[one, kx2]);
            let z = g.mul(&[c, x, inner]);
            let k3x2 = g.mul(&[k3, sq]);
            let inner_prime = g.add(&[one, k3x2]);
            x_sigmoid_partial(g, x, z, &[c, inner_prime])
        },
    }
    /// `silu(x) = x·σ(x)`.
    Silu {
        name: "silu", arity: 1, pattern: "silu", grammar: Silu,
        rust: Rust::Gate("silu"),
        lecture: Lecture::Gate("silu", None),
        eval: |x| stable::silu(x[0]),
        // σ(x) + x·σ'(x), σ' from one exponential.
        partial: |g, args, _, _| x_sigmoid_partial(g, args[0], args[0], &[]),
    }
    /// `log1mexp(x) = ln(1 - e^x)` for `x < 0`, accurate in both tails.
    Log1mexp {
        name: "log1mexp", arity: 1, pattern: "log1mexp", grammar: Log1mexp,
        rust: Rust::Gate("log1mexp"),
        lecture: Lecture::Gate("log1mexp", None),
        eval: |x| stable::log1mexp(x[0]),
        // -e^x/(1 - e^x), split at -ln 2 like the value: -1/exp_m1(-x) next to 0, where
        // 1 - e^x cancels; e^x/exp_m1(x) far below, where e^-x overflows (-1/exp_m1(-x)
        // is 0 at x = -745, the truth -5e-324). Not e^(x - out): the rounding of `out`,
        // scaled by |x - out| ≈ 690 at x = -1e-300, cost up to 9 bits.
        partial: |g, args, _, _| {
            let x = args[0];
            let split = g.constant(-std::f64::consts::LN_2);
            let near_zero = g.apply(Op::Gt, &[x, split]);
            let minus_x = g.neg(x);
            let up = g.apply(Op::ExpM1, &[minus_x]);
            let up_recip = recip(g, up);
            let near = g.neg(up_recip);
            let e = g.apply(Op::Exp, &[x]);
            let down = g.apply(Op::ExpM1, &[x]);
            let down_recip = recip(g, down);
            let far = g.mul(&[e, down_recip]);
            g.apply(Op::Select, &[near_zero, near, far])
        },
    }
    /// `hypot(x, y) = √(x² + y²)`, scaled: no square overflows near 1e200 or underflows
    /// near 1e-200.
    Hypot {
        name: "hypot", arity: 2, pattern: "hypot", grammar: Hypot,
        rust: Rust::Method("hypot"),
        lecture: Lecture::Gate("hypot", None),
        eval: |x| x[0].hypot(x[1]),
        // x/hypot and y/hypot, from the forward value: no square to overflow either.
        partial: |g, args, out, i| {
            let r = recip(g, out);
            g.mul(&[args[i], r])
        },
    }
    /// `logsumexp(a, b, …) = ln(e^a + e^b + …)`, max-shifted: no exponential overflows at
    /// ±800, and `ln_1p` keeps the digits of a sum next to 1.
    Logsumexp {
        name: "logsumexp", arity: 2 or more, pattern: "logsumexp", grammar: Logsumexp,
        rust: Rust::Gate("logsumexp"),
        lecture: Lecture::Gate("logsumexp", Some("local gradient e^(x - out), the softmax")),
        eval: |x| stable::logsumexp(x),
        // The softmax e^(x_i - out), from the forward value: no exponential of an operand
        // alone to overflow, and a far-below operand's tiny partial is not rounded to 0.
        partial: |g, args, out, i| {
            let minus_out = g.neg(out);
            let shifted = g.add(&[args[i], minus_out]);
            g.apply(Op::Exp, &[shifted])
        },
    }
}

impl Op {
    /// The operation the grammar's `func` lowers to directly; `None` for the composites
    /// (`pow`, `sqrt`, `log2`, …), which lowering spells with primitives.
    pub(crate) fn of_func(func: symgrad_grammar::Func) -> Option<Op> {
        Op::ALL
            .iter()
            .copied()
            .find(|op| op.grammar() == Some(func))
    }

    /// The operation a rewrite pattern names `name`.
    pub(crate) fn of_pattern_name(name: &str) -> Option<Op> {
        Op::ALL.iter().copied().find(|op| op.pattern_name() == name)
    }
}

/// `2√(2/π)`, the gelu's `z = 2√(2/π)·x·(1 + 0.044715x²)` (twice tanh's argument).
#[allow(clippy::excessive_precision)]
const GELU_SCALE: f64 = 1.595_769_121_605_730_7;

/// `x > 0`, as a condition.
/// `|x|` and the condition `d ≥ |x|`: huber's inside, where its slope is `x`.
fn within<B: Build>(g: &mut B, x: B::Node, d: B::Node) -> (B::Node, B::Node) {
    let magnitude = g.apply(Op::Abs, &[x]);
    let inside = g.apply(Op::Ge, &[d, magnitude]);
    (magnitude, inside)
}

fn positive<B: Build>(g: &mut B, x: B::Node) -> B::Node {
    let zero = g.constant(0.0);
    g.apply(Op::Gt, &[x, zero])
}

/// `d/dx [x·σ(z)] = σ(z) + x·σ'(z)·z'`, with `z'` the product of `dz`: gelu's and silu's
/// partial, σ' from its own gate (σ(1-σ) is 0 in the tails).
fn x_sigmoid_partial<B: Build>(g: &mut B, x: B::Node, z: B::Node, dz: &[B::Node]) -> B::Node {
    let s = g.apply(Op::Sigmoid, &[z]);
    let s_prime = g.apply(Op::SigmoidPrime, &[z]);
    let mut factors = vec![x, s_prime];
    factors.extend_from_slice(dz);
    let chain = g.mul(&factors);
    g.add(&[s, chain])
}

fn recip<B: Build>(g: &mut B, x: B::Node) -> B::Node {
    let minus_one = g.constant(-1.0);
    g.pow(x, minus_one)
}

fn square<B: Build>(g: &mut B, x: B::Node) -> B::Node {
    let two = g.constant(2.0);
    g.pow(x, two)
}

/// `(1 - x²)^p`, as `((1 - x)·(1 + x))^p`: near `|x| = 1`, `1 - x²` cancels away the
/// rounding of `x²` (asin' off by 1.9e-9 at x = 0.9999999925531615), while `1 - x` is
/// exact there.
fn one_minus_square_pow<B: Build>(g: &mut B, x: B::Node, p: f64) -> B::Node {
    let one = g.constant(1.0);
    let nx = g.neg(x);
    let below = g.add(&[one, nx]);
    let above = g.add(&[one, x]);
    let s = g.mul(&[below, above]);
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
