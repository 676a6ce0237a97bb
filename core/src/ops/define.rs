//! `define_ops!`: the macro that turns the table's entries into [`Op`](super::Op) and one
//! method per column, so that a column cannot be forgotten for one operation (each
//! generated `match` is exhaustive by construction).

/// Defines `enum Op`, `Op::ALL` and a method per column from one entry per operation:
///
/// ```text
/// /// doc
/// Variant {
///     name: "…", arity: n [or more], pattern: "…", [grammar: FuncVariant,]
///     rust: Rust::…, lecture: Lecture::…,
///     [fused: PartnerVariant => "gate_with_partner",]
///     eval: |x| …,
///     partial: |builder, args, out, i| …,   or   partial: zero,
/// }
/// ```
///
/// `arity: n or more` marks a variadic operation (`n` operands or more, in any order: the graph
/// keeps them in canonical order, patterns match them in any order).
/// `partial: zero` marks a piecewise-constant operation: reverse mode skips it.
macro_rules! define_ops {
    (@some) => { None };
    (@some $func:path) => { Some($func) };
    (@fused) => { None };
    (@fused $partner:ident, $function:literal) => { Some((Op::$partner, $function)) };
    (@variadic) => { false };
    (@variadic more) => { true };
    (@zero zero $(,)?) => { true };
    (@zero $($closure:tt)*) => { false };
    (@partial $b:ident, $args:ident, $out:ident, $i:ident; zero $(,)?) => { $b.constant(0.0) };
    (@partial $b:ident, $args:ident, $out:ident, $i:ident;
        |$g:pat_param, $a:pat_param, $o:pat_param, $k:pat_param| $body:expr $(,)?
    ) => {{
        let $g = $b;
        let $a = $args;
        let $o = $out;
        let $k = $i;
        $body
    }};
    ($(
        $(#[$meta:meta])*
        $op:ident {
            name: $name:literal,
            arity: $arity:literal $(or $variadic:ident)?,
            pattern: $pattern:literal,
            $(grammar: $func:ident,)?
            rust: $rust:expr,
            lecture: $lecture:expr,
            $(fused: $partner:ident => $function:literal,)?
            eval: |$x:pat_param| $eval:expr,
            partial: $($partial:tt)*
        }
    )*) => {
        /// A primitive operation of the DAG.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Op {
            $($(#[$meta])* $op,)*
        }

        impl Op {
            /// Every operation, in table order.
            pub const ALL: &'static [Op] = &[$(Op::$op),*];

            /// Number of operands; the fewest a node of a [variadic](Op::is_variadic)
            /// operation has (`Add`, `Mul`, `Logsumexp`: 2).
            pub fn arity(self) -> usize {
                match self {
                    $(Op::$op => $arity,)*
                }
            }

            /// Whether the operation takes [`Op::arity`] operands or more, in any order.
            pub fn is_variadic(self) -> bool {
                match self {
                    $(Op::$op => define_ops!(@variadic $($variadic)?),)*
                }
            }

            /// The name a formula or the generated code calls it by.
            pub fn name(self) -> &'static str {
                match self {
                    $(Op::$op => $name,)*
                }
            }

            /// What a rewrite pattern calls it: `(+ …)`, `(* …)`, `(pow …)`, `(σ …)`, …
            pub(crate) fn pattern_name(self) -> &'static str {
                match self {
                    $(Op::$op => $pattern,)*
                }
            }

            /// The grammar's function that lowers to exactly this operation, if one does.
            pub(crate) fn grammar(self) -> Option<symgrad_grammar::Func> {
                match self {
                    $(Op::$op => define_ops!(@some $(symgrad_grammar::Func::$func)?),)*
                }
            }

            /// How the generated Rust code spells it.
            pub(crate) fn rust(self) -> Rust {
                match self {
                    $(Op::$op => $rust,)*
                }
            }

            /// How the lecture draws it.
            pub(crate) fn lecture(self) -> Lecture {
                match self {
                    $(Op::$op => $lecture,)*
                }
            }

            /// The gate function that computes this gate's value together with the operation
            /// returned (its partial in its first operand, on the same operands), sharing
            /// what both need — `elu_with_slope(x, a)` is `(elu(x, a), elu'(x, a))` from one
            /// exponential — for a block that computes both.
            pub(crate) fn fused(self) -> Option<(Op, &'static str)> {
                match self {
                    $(Op::$op => define_ops!(@fused $($partner, $function)?),)*
                }
            }

            /// The forward value, in IEEE arithmetic; gates use their stable forms.
            pub fn eval(self, x: &[f64]) -> f64 {
                match self {
                    $(Op::$op => {
                        let $x = x;
                        $eval
                    })*
                }
            }

            /// The local partial `∂out/∂args[i]`, built with `b` from the operands and the
            /// node's own output `out` (the sigmoid's is `σ(x)·σ(-x)`, reusing the forward
            /// value).
            pub fn partial<B: Build>(
                self,
                b: &mut B,
                args: &[B::Node],
                out: B::Node,
                i: usize,
            ) -> B::Node {
                match self {
                    $(Op::$op => define_ops!(@partial b, args, out, i; $($partial)*),)*
                }
            }

            /// Whether the operation is piecewise constant (its partials are all zero).
            pub fn is_piecewise_constant(self) -> bool {
                match self {
                    $(Op::$op => define_ops!(@zero $($partial)*),)*
                }
            }
        }
    };
}

pub(crate) use define_ops;
