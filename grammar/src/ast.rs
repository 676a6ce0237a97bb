//! The syntax tree of a formula: every node carries the byte span of its source text.

use std::fmt;

/// A byte range `start..end` in the source string.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct Span {
    /// The first byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    /// The bytes `start..end`.
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    /// The smallest span covering both.
    pub fn join(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }
}

/// An expression with its span.
#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    /// What the expression is.
    pub kind: ExprKind,
    /// The source text it was parsed from (empty for the Rust-body form's expressions).
    pub span: Span,
}

/// The position of a variable in [`Formula::vars`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct VarIndex(pub usize);

/// The position of a shared sub-expression in [`Formula::bindings`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BindingIndex(pub usize);

/// What an expression is. Sums and products are n-ary so that a long chain
/// `x1 + x2 + … + xn` is one flat node, not a tree n levels deep.
#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    /// A numeric literal.
    Number(f64),
    /// `e` or `pi`/`π`.
    Constant(Constant),
    /// A resolved variable.
    Var(VarIndex),
    /// Unary minus `-x` / `−x` (unary plus leaves no node).
    Neg(Box<Expr>),
    /// `t0 ± t1 ± …`, at least two terms; the first term's sign is always `Plus`.
    Sum(Vec<(Sign, Expr)>),
    /// `f0 */ f1 */ …`, at least two factors; the first factor's op is always `Mul`.
    /// Juxtaposition (`2x`, `w0x0`) is `Mul`.
    Product(Vec<(MulOp, Expr)>),
    /// `base ^ exponent` (also `**`); `e^u` is kept as `Pow(Constant(E), u)`.
    Pow(Box<Expr>, Box<Expr>),
    /// A call of a built-in function with its arguments (arity already checked).
    Call(Func, Vec<Expr>),
    /// The value of a shared sub-expression (a `let` of the Rust-body form), written once
    /// however often it is used.
    Binding(BindingIndex),
    /// `if(cond, then, otherwise)`: only the branch the condition picks is evaluated.
    If(Box<Cond>, Box<Expr>, Box<Expr>),
}

impl Expr {
    /// Moves every span of the tree `by` bytes on and renumbers each variable `i` as
    /// `vars[i]` (none when `vars` is empty): the tree of a piece of the source, parsed alone
    /// with names of its own, then points into the whole and uses the whole's variables (an
    /// explicit stack, as deep trees need no recursion).
    pub(crate) fn relocate(&mut self, by: usize, vars: &[usize]) {
        enum Node<'t> {
            Expr(&'t mut Expr),
            Cond(&'t mut Cond),
        }
        let shift = |span: &mut Span| *span = Span::new(span.start + by, span.end + by);
        let mut stack = vec![Node::Expr(self)];
        while let Some(node) = stack.pop() {
            match node {
                Node::Expr(e) => {
                    shift(&mut e.span);
                    match &mut e.kind {
                        ExprKind::Var(v) => {
                            if let Some(&renumbered) = vars.get(v.0) {
                                v.0 = renumbered;
                            }
                        }
                        ExprKind::Number(_) | ExprKind::Constant(_) | ExprKind::Binding(_) => {}
                        ExprKind::Neg(x) => stack.push(Node::Expr(x)),
                        ExprKind::Sum(terms) => {
                            stack.extend(terms.iter_mut().map(|(_, t)| Node::Expr(t)));
                        }
                        ExprKind::Product(factors) => {
                            stack.extend(factors.iter_mut().map(|(_, f)| Node::Expr(f)));
                        }
                        ExprKind::Pow(base, exponent) => {
                            stack.push(Node::Expr(base));
                            stack.push(Node::Expr(exponent));
                        }
                        ExprKind::Call(_, args) => stack.extend(args.iter_mut().map(Node::Expr)),
                        ExprKind::If(c, a, b) => {
                            stack.push(Node::Cond(c));
                            stack.push(Node::Expr(a));
                            stack.push(Node::Expr(b));
                        }
                    }
                }
                Node::Cond(c) => {
                    shift(&mut c.span);
                    match &mut c.kind {
                        CondKind::Compare(_, a, b) => {
                            stack.push(Node::Expr(a));
                            stack.push(Node::Expr(b));
                        }
                        CondKind::And(cs) | CondKind::Or(cs) => {
                            stack.extend(cs.iter_mut().map(Node::Cond));
                        }
                        CondKind::Not(c) => stack.push(Node::Cond(c)),
                    }
                }
            }
        }
    }
}

/// A condition of an [`ExprKind::If`], with its span. A separate type from [`Expr`], so a
/// comparison cannot be used as a number, nor a number as a condition.
#[derive(Clone, Debug, PartialEq)]
pub struct Cond {
    /// What the condition is.
    pub kind: CondKind,
    /// The source text it was parsed from (empty for the Rust-body form's conditions).
    pub span: Span,
}

/// What a condition is.
#[derive(Clone, Debug, PartialEq)]
pub enum CondKind {
    /// `a op b`.
    Compare(Cmp, Box<Expr>, Box<Expr>),
    /// `c0 and c1 and …`, at least two; evaluated left to right, stopping at a false one.
    And(Vec<Cond>),
    /// `c0 or c1 or …`, at least two; evaluated left to right, stopping at a true one.
    Or(Vec<Cond>),
    /// `not(c)`.
    Not(Box<Cond>),
}

/// A comparison operator. Comparisons with NaN are false, as in IEEE arithmetic and Rust.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Cmp {
    /// `<`
    Lt,
    /// `<=`, `≤`
    Le,
    /// `>`
    Gt,
    /// `>=`, `≥`
    Ge,
}

impl Cmp {
    /// The operator as written in a formula (ASCII).
    pub fn symbol(self) -> &'static str {
        match self {
            Cmp::Lt => "<",
            Cmp::Le => "<=",
            Cmp::Gt => ">",
            Cmp::Ge => ">=",
        }
    }
}

/// The sign of a term of a [`ExprKind::Sum`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Sign {
    /// `+ t`
    Plus,
    /// `- t`
    Minus,
}

/// How a factor of a [`ExprKind::Product`] enters it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MulOp {
    /// `* f`, `·f`, `×f` or juxtaposition.
    Mul,
    /// `/ f` or `÷f`.
    Div,
}

/// A named constant of the language.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Constant {
    /// Euler's number.
    E,
    /// π.
    Pi,
}

impl Constant {
    /// Its value as an `f64`.
    pub fn value(self) -> f64 {
        match self {
            Constant::E => std::f64::consts::E,
            Constant::Pi => std::f64::consts::PI,
        }
    }
}

/// The built-in functions of SPEC §1.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Func {
    /// `exp(x)`; `e^x` is the same.
    Exp,
    /// `ln` and one-argument `log`.
    Ln,
    /// Two-argument `log(x, b)`: log of `x` in base `b`.
    LogBase,
    /// `log2(x)`, the base-2 logarithm.
    Log2,
    /// `log10(x)`, the base-10 logarithm.
    Log10,
    /// `sqrt(x)` = `x^0.5`.
    Sqrt,
    /// `abs(x)`, whose derivative at 0 is 0.
    Abs,
    /// `sin(x)`.
    Sin,
    /// `cos(x)`.
    Cos,
    /// `tan(x)`.
    Tan,
    /// `asin(x)`.
    Asin,
    /// `acos(x)`.
    Acos,
    /// `atan(x)`.
    Atan,
    /// `sinh(x)`.
    Sinh,
    /// `cosh(x)`.
    Cosh,
    /// `tanh(x)`.
    Tanh,
    /// `exp_m1(x)` = e^x − 1, accurate near 0.
    ExpM1,
    /// `ln_1p(x)` = ln(1 + x), accurate near 0.
    Ln1p,
    /// `sigmoid` and `σ`.
    Sigmoid,
    /// `softplus(x)` = ln(1 + e^x), evaluated without overflow.
    Softplus,
    /// `relu(x)` = max(0, x).
    Relu,
    /// `max(a, b)`; a tie goes to `a`.
    Max,
    /// `min(a, b)`; a tie goes to `a`.
    Min,
    /// `pow(a, b)` = `a^b`.
    Pow,
    /// `log1mexp(x)` = ln(1 − e^x) for x < 0, accurate in both tails.
    Log1mexp,
    /// `hypot(x, y)` = √(x² + y²), without overflow or underflow of the squares.
    Hypot,
    /// `sign(x)`: 1, −1, or 0 at 0; its derivative is 0.
    Sign,
    /// `leaky_relu(x, a)` = x for x > 0, else a·x.
    LeakyRelu,
    /// `elu(x, a)` = x for x > 0, else a·(e^x − 1); `elu(x)` is `elu(x, 1)`.
    Elu,
    /// `huber(x, d)` = x²/2 for |x| ≤ d, else d·(|x| − d/2).
    Huber,
    /// `clamp(x, lo, hi)` = lo below lo, hi above hi, else x.
    Clamp,
    /// `gelu(x)`, the tanh form ½x(1 + tanh(√(2/π)(x + 0.044715x³))), evaluated stably.
    Gelu,
    /// `silu(x)` = x·σ(x).
    Silu,
    /// `logsumexp(a, b, …)` = ln(e^a + e^b + …), max-shifted: one argument or more.
    Logsumexp,
    /// `softmax(a, b, …)` = e^a/(e^a + e^b + …), the probability of the first argument.
    Softmax,
    /// `log_softmax(a, b, …)` = ln(e^a/(e^a + e^b + …)) = a − logsumexp(a, b, …).
    LogSoftmax,
}

impl Func {
    /// Every function, for error messages and hints.
    pub const ALL: [Func; 36] = [
        Func::Exp,
        Func::Ln,
        Func::LogBase,
        Func::Log2,
        Func::Log10,
        Func::Sqrt,
        Func::Abs,
        Func::Sin,
        Func::Cos,
        Func::Tan,
        Func::Asin,
        Func::Acos,
        Func::Atan,
        Func::Sinh,
        Func::Cosh,
        Func::Tanh,
        Func::ExpM1,
        Func::Ln1p,
        Func::Sigmoid,
        Func::Softplus,
        Func::Relu,
        Func::Max,
        Func::Min,
        Func::Pow,
        Func::Log1mexp,
        Func::Hypot,
        Func::Sign,
        Func::LeakyRelu,
        Func::Elu,
        Func::Huber,
        Func::Clamp,
        Func::Gelu,
        Func::Silu,
        Func::Logsumexp,
        Func::Softmax,
        Func::LogSoftmax,
    ];

    /// The function's name as written (`LogBase` is `log`).
    pub fn name(self) -> &'static str {
        match self {
            Func::Exp => "exp",
            Func::Ln => "ln",
            Func::LogBase => "log",
            Func::Log2 => "log2",
            Func::Log10 => "log10",
            Func::Sqrt => "sqrt",
            Func::Abs => "abs",
            Func::Sin => "sin",
            Func::Cos => "cos",
            Func::Tan => "tan",
            Func::Asin => "asin",
            Func::Acos => "acos",
            Func::Atan => "atan",
            Func::Sinh => "sinh",
            Func::Cosh => "cosh",
            Func::Tanh => "tanh",
            Func::ExpM1 => "exp_m1",
            Func::Ln1p => "ln_1p",
            Func::Sigmoid => "sigmoid",
            Func::Softplus => "softplus",
            Func::Relu => "relu",
            Func::Max => "max",
            Func::Min => "min",
            Func::Pow => "pow",
            Func::Log1mexp => "log1mexp",
            Func::Hypot => "hypot",
            Func::Sign => "sign",
            Func::LeakyRelu => "leaky_relu",
            Func::Elu => "elu",
            Func::Huber => "huber",
            Func::Clamp => "clamp",
            Func::Gelu => "gelu",
            Func::Silu => "silu",
            Func::Logsumexp => "logsumexp",
            Func::Softmax => "softmax",
            Func::LogSoftmax => "log_softmax",
        }
    }

    /// The other name the function is called by: `σ` for `sigmoid`.
    pub fn alias(self) -> Option<&'static str> {
        (self == Func::Sigmoid).then_some("σ")
    }

    /// Number of arguments (`elu(x)` is completed to `elu(x, 1)` by the parser); the
    /// fewest for a [variadic](Func::is_variadic) function.
    pub fn arity(self) -> usize {
        match self {
            Func::LogBase
            | Func::Max
            | Func::Min
            | Func::Pow
            | Func::Hypot
            | Func::LeakyRelu
            | Func::Elu
            | Func::Huber => 2,
            Func::Clamp => 3,
            _ => 1,
        }
    }

    /// Whether the function takes [`Func::arity`] arguments or more: `logsumexp`,
    /// `softmax`, `log_softmax`.
    pub fn is_variadic(self) -> bool {
        matches!(self, Func::Logsumexp | Func::Softmax | Func::LogSoftmax)
    }

    /// Whether `n` arguments are what the function takes.
    pub fn accepts(self, n: usize) -> bool {
        n == self.arity() || (self.is_variadic() && n > self.arity())
    }

    /// The parameters as a hint writes them: `x`, `a, b`, `x, d`, `x, lo, hi`.
    pub fn parameters(self) -> &'static str {
        match self {
            Func::LeakyRelu | Func::Elu => "x, a",
            Func::Huber => "x, d",
            Func::Clamp => "x, lo, hi",
            f if f.is_variadic() => "a, b, …",
            f if f.arity() == 1 => "x",
            _ => "a, b",
        }
    }

    /// Looks a function up by a name as written in a formula (`σ`, `sigmoid`, `log`…);
    /// `log` gives `Ln` (its two-argument form is `LogBase`, chosen by the parser).
    pub fn from_name(name: &str) -> Option<Func> {
        if name == "log" {
            return Some(Func::Ln);
        }
        Func::ALL
            .iter()
            .copied()
            .find(|f| *f != Func::LogBase && (f.name() == name || f.alias() == Some(name)))
    }
}

impl fmt::Display for Func {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A parsed, name-resolved formula.
#[derive(Clone, Debug, PartialEq)]
pub struct Formula {
    /// The source text the spans point into.
    pub source: String,
    /// The formula's value.
    pub expr: Expr,
    /// Variable names: the declared list, or every free name in order of first appearance.
    pub vars: Vec<String>,
    /// Shared sub-expressions, in order: binding `i` refers only to bindings before it, and
    /// is lowered once, before `expr`. The math-notation form has none.
    pub bindings: Vec<Expr>,
}
