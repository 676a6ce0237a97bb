//! The standard rule table (SPEC §2): identities, sigmoid gates from every disguise, and
//! the numerically stable gates. One rule a line, tried in order; bottom-up rewriting
//! has already simplified every operand when a rule is tried, so a pattern is written
//! against what its operands become (`e^u/(1+e^u)` is `e^u·σ(-u)` by then).
//!
//! Disguises that need no rule of their own, because the canonical form makes them one
//! node: `(1+e^-u)^-1` and `1/(e^-u+1)` are `1/(1+e^-u)`; `1/(1+e^u)` matches `sigmoid`
//! with `-u` (it is σ(-u)); `c/(1+e^-u)` is `c·(1+e^-u)^-1`, whose inner sigmoid fuses.
//!
//! Every rule also runs on the gradient nodes: `1 - σ(u)` there becomes `σ(-u)`, accurate
//! in both tails where `1 - σ(u)` is 0 from u ≈ 37 on (SPEC §9).

use crate::ir::graph::{Graph, NodeId};
use crate::rewrite::table::{Guard, RuleSpec};

/// `?c` is a constant greater than zero.
pub const POSITIVE_CONSTANT: Guard = Guard {
    name: "positive_constant",
    holds: |g: &Graph, c: NodeId| g.as_const(c).is_some_and(|c| c > 0.0),
};

/// `?k` is a constant.
pub const CONSTANT: Guard = Guard {
    name: "constant",
    holds: |g: &Graph, k: NodeId| g.as_const(k).is_some(),
};

/// The standard rules, in the order they are tried.
#[rustfmt::skip]
pub const STANDARD: &[RuleSpec] = &[
    // identities
    RuleSpec::new("ln-exp",               "(ln (exp ?x))",                                   "?x"),
    RuleSpec::new("negated-difference",   "(* -1 (+ (negated ?a) (negated ?b)))",            "(+ ?a ?b)"),
    RuleSpec::new("exp-pow",              "(pow (exp ?u) ?k)",                               "(exp (* ?k ?u))"),
    // sigmoid gates
    RuleSpec::new("sigmoid",              "(pow (+ 1 (exp (neg ?u))) -1)",                   "(σ ?u)"),
    RuleSpec::new("sigmoid-scaled-exp",   "(pow (+ 1 (* ?c (exp (neg ?u)))) -1)",            "(σ (+ ?u (neg (ln ?c))))").when("?c", POSITIVE_CONSTANT),
    // c/((c' + e^u)·v) splits off the factor that fuses into a gate: an overflowing e^u
    // then meets σ's 0 in no product (-e^x/((1+e^x)(1+e^-x)) = -σ(x)² at x = ±800).
    RuleSpec::new("sigmoid-denominator",  "(pow (* (+ ?c (exp ?u)) ?v ?r..) -1)",          "(* (pow (+ ?c (exp ?u)) -1) (pow (* ?v ?r..) -1))").when("?c", POSITIVE_CONSTANT),
    RuleSpec::new("sigmoid-shifted",      "(pow (+ ?c (exp ?u)) -1)",                        "(* (pow ?c -1) (σ (+ (ln ?c) (neg ?u))))").when("?c", POSITIVE_CONSTANT),
    RuleSpec::new("exp-times-shifted-sigmoid", "(* (exp ?u) (σ (+ ?k (neg ?u))) ?r..)",     "(* (exp ?k) (σ (+ ?u (neg ?k))) ?r..)").when("?k", CONSTANT),
    // (1+e^-u)^-k = σ(u)^k, and e^u·σ(-u)^k = σ(u)·σ(-u)^(k-1): e^x/(1+e^x)² is σ(x)·σ(-x).
    RuleSpec::new("sigmoid-power",        "(pow (pow (+ 1 (exp (neg ?u))) ?k) -1)",          "(pow (σ ?u) ?k)").when("?k", POSITIVE_CONSTANT),
    RuleSpec::new("exp-times-sigmoid-power", "(* (exp ?u) (pow (σ (neg ?u)) ?k) ?r..)",      "(* (σ ?u) (pow (σ (neg ?u)) (+ ?k -1)) ?r..)").when("?k", POSITIVE_CONSTANT),
    RuleSpec::new("exp-times-sigmoid",    "(* (exp ?u) (σ (neg ?u)) ?r..)",                  "(* (σ ?u) ?r..)"),
    RuleSpec::new("one-minus-sigmoid",    "(+ 1 (neg (σ ?u)) ?r..)",                         "(+ (σ (neg ?u)) ?r..)"),
    RuleSpec::new("sigmoid-odds",         "(* (σ ?u) (pow (+ 1 (neg (σ ?u))) -1) ?r..)",     "(* (exp ?u) ?r..)"),
    RuleSpec::new("sigmoid-ratio",        "(* (σ ?u) (pow (σ (neg ?u)) -1) ?r..)",           "(* (exp ?u) ?r..)"),
    // σ(u)·σ(-u) is the local gradient gate σ'(u), whose own partial does not cancel near 0
    // (tried after the rules that would fuse either factor with an exponential).
    RuleSpec::new("sigmoid-prime",        "(* (σ ?u) (σ (neg ?u)) ?r..)",                    "(* (σ' ?u) ?r..)"),
    RuleSpec::new("sigmoid-prime-even",   "(σ' (negated ?u))",                               "(σ' ?u)"),
    // stable gates
    RuleSpec::new("softplus",             "(ln (+ 1 (exp ?u)))",                             "(softplus ?u)"),
    // ln(e^a + e^b + …) and ln(c + e^a + …), max-shifted: no e^a overflows at ±800
    RuleSpec::new("logsumexp",            "(ln (+ (exp ?x)..))",                             "(logsumexp ?x..)"),
    RuleSpec::new("logsumexp-constant",   "(ln (+ ?c (exp ?x)..))",                          "(logsumexp (ln ?c) ?x..)").when("?c", POSITIVE_CONSTANT),
    // e^a/(e^a + e^b + …) = σ(a - logsumexp(b, …)): its partials are σ' and the softmax,
    // with no 1 - p to cancel as p nears 1; its ln becomes -softplus(logsumexp(b, …) - a)
    RuleSpec::new("softmax",              "(* (exp ?a) (pow (+ (exp ?a) (exp ?x)..) -1) ?r..)", "(* (σ (+ ?a (neg (logsumexp ?x..)))) ?r..)"),
    RuleSpec::new("softmax-constant",     "(* (exp ?a) (pow (+ ?c (exp ?a) (exp ?x)..) -1) ?r..)", "(* (σ (+ ?a (neg (logsumexp (ln ?c) ?x..)))) ?r..)").when("?c", POSITIVE_CONSTANT),
    // a - logsumexp(a, b, …) is 0 where a dominates: -softplus(logsumexp(b, …) - a) is not.
    // Not on the gradient, whose e^(x_i - logsumexp(…)) share the forward value: each would
    // get a logsumexp of its own (n² exponentials); but of two operands, it has none.
    RuleSpec::new("log-softmax",          "(+ ?a (neg (logsumexp ?a ?r..)) ?s..)",          "(+ (neg (softplus (+ ?r (neg ?a)))) ?s..)").forward_only(),
    RuleSpec::new("log-softmax-pair",     "(+ ?a (neg (logsumexp ?a ?b)) ?s..)",            "(+ (neg (softplus (+ ?b (neg ?a)))) ?s..)"),
    // e^-softplus(u) = 1/(1 + e^u): logsumexp(a, b)'s partials become σ(a - b), σ(b - a)
    RuleSpec::new("exp-minus-softplus",   "(exp (neg (softplus ?u)))",                       "(σ (neg ?u))"),
    RuleSpec::new("ln-sigmoid",           "(ln (σ ?u))",                                     "(neg (softplus (neg ?u)))"),
    RuleSpec::new("ln-one-minus-sigmoid", "(ln (+ 1 (neg (σ ?u))))",                         "(neg (softplus ?u))"),
    RuleSpec::new("logistic-loss",        "(+ (* (softplus (neg ?u)) ?y..) (* (+ 1 (negated ?y)) (softplus ?u)) ?r..)", "(+ (softplus ?u) (neg (* ?y ?u)) ?r..)"),
    // the log-likelihood, the loss's negation (`loss -= y ln σ(u) + (1-y) ln(1-σ(u))`):
    // one softplus and, in the gradient, one σ, where the two softplus cost two of each
    RuleSpec::new("logistic-likelihood",  "(+ (* -1 (softplus (neg ?u)) ?y..) (* -1 (+ 1 (negated ?y)) (softplus ?u)) ?r..)", "(+ (neg (softplus ?u)) (* ?y ?u) ?r..)"),
    RuleSpec::new("tanh",                 "(* (+ (exp ?u) (neg (exp (neg ?u)))) (pow (+ (exp ?u) (exp (neg ?u))) -1))", "(tanh ?u)"),
    // (e^u ± e^-u)/2: cosh has no overflow before its own, and sinh no cancellation near 0
    // (the difference is off by 1e-9 relative at u = 1e-8, 1 at u = 1e-17).
    RuleSpec::new("cosh",                 "(* 0.5 (+ (exp ?u) (exp (neg ?u))) ?r..)",       "(* (cosh ?u) ?r..)"),
    RuleSpec::new("cosh-even",            "(cosh (negated ?u))",                             "(cosh ?u)"),
    RuleSpec::new("sinh",                 "(* 0.5 (+ (exp ?u) (neg (exp (neg ?u)))) ?r..)", "(* (sinh ?u) ?r..)"),
    RuleSpec::new("sinh-odd",             "(sinh (negated ?u))",                             "(neg (sinh ?u))"),
    RuleSpec::new("tanh-exp-m1",          "(* (exp_m1 ?v) (σ (neg ?v)) ?r..)",               "(* (tanh (* 0.5 ?v)) ?r..)"),
    RuleSpec::new("tanh-odd",             "(tanh (negated ?u))",                             "(neg (tanh ?u))"),
    RuleSpec::new("tanh-sigmoid",         "(+ (* 2 (σ ?v)) -1)",                             "(tanh (* 0.5 ?v))"),
    RuleSpec::new("relu",                 "(max 0 ?u)",                                      "(relu ?u)"),
    // if(u > 0, u, 0): at a tie both are 0 with derivative 0; a NaN u stays NaN (relu keeps
    // NaN, as after the `relu` rule, where `max(0, NaN)` is 0)
    RuleSpec::new("relu-if",              "(select (gt ?u 0) ?u 0)",                         "(relu ?u)"),
    // if(u <= 0, 0, u): the tie takes 0 (derivative 0), a NaN u fails `0 ≥ u` and stays NaN
    RuleSpec::new("relu-if-le",           "(select (ge 0 ?u) 0 ?u)",                         "(relu ?u)"),
    // if(u > 0, u, a·u): the tie takes a·u (slope a, as leaky_relu'(0)); NaN stays NaN
    RuleSpec::new("leaky-relu-if",        "(select (gt ?u 0) ?u (* ?a ?u))",                 "(leaky_relu ?u ?a)"),
    // if(u <= 0, a·u, u): the same at the tie and for NaN
    RuleSpec::new("leaky-relu-if-le",     "(select (ge 0 ?u) (* ?a ?u) ?u)",                 "(leaky_relu ?u ?a)"),
    RuleSpec::new("ln-1p",                "(ln (+ 1 ?x..))",                                 "(ln_1p ?x)"),
    RuleSpec::new("one-minus-exp",        "(+ 1 (neg (exp ?x)) ?r..)",                       "(+ (neg (exp_m1 ?x)) ?r..)"),
    RuleSpec::new("exp-m1",               "(+ (exp ?x) -1 ?r..)",                            "(+ (exp_m1 ?x) ?r..)"),
    // ln(1 - e^x) is ln(-exp_m1(x)) by then, which is 0 once e^x < 2⁻⁵³ (x < -37).
    RuleSpec::new("hypot",                "(pow (+ (pow ?x 2) (pow ?y 2)) 0.5)",             "(hypot ?x ?y)"),
    RuleSpec::new("log1mexp",             "(ln (neg (exp_m1 ?x)))",                          "(log1mexp ?x)"),
];
