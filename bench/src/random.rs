//! Deterministic random formulas of a requested size, for the scale benchmark.
//!
//! A formula is a flat sum of small random terms (at most 5 levels deep, so any size stays
//! far below the grammar's nesting limit) over 100 variables, with random two-digit
//! constants so that terms rarely coincide and hash-consing does not shrink the graph
//! much. The size counts every variable, number, operator and call once.

/// The seed of the scale benchmark's formulas.
pub const SEED: u64 = 0x5EED;

/// A shape of formula: its name, what it is, and its formula of about n nodes.
pub type Shape = (&'static str, &'static str, fn(usize) -> String);

/// The scale benchmark's shapes (`benches/scale.rs`, `bin/stage_memory.rs`).
pub const SHAPES: [Shape; 3] = [
    (
        "random",
        "sums of random terms of at most 5 levels over 100 variables (`random::formula`)",
        |n| formula(n, SEED),
    ),
    (
        "deep chains",
        "sums of 190-deep chains sin(cos(tanh(… (x + k·y)))) (`random::deep_chains`)",
        deep_chains,
    ),
    (
        "gate sums",
        "sums of sigmoid gates c/(1+e^-(a x + b y + k)) over two variables (`random::gate_sums`)",
        |n| gate_sums(n, SEED),
    ),
];

/// The shapes named in `SYMGRAD_SCALE_SHAPES` (comma separated), or all of them, and the
/// largest size, `SYMGRAD_SCALE_MAX` (default 10⁶ nodes).
pub fn scale_from_env() -> (Vec<Shape>, usize) {
    let only = std::env::var("SYMGRAD_SCALE_SHAPES").ok();
    let shapes = SHAPES
        .into_iter()
        .filter(|(name, ..)| {
            only.as_deref()
                .is_none_or(|only| only.split(',').any(|s| s == *name))
        })
        .collect();
    let max = std::env::var("SYMGRAD_SCALE_MAX")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1_000_000);
    (shapes, max)
}

/// Variables the random formulas draw from: `x0 … x99`.
pub const RANDOM_VARS: usize = 100;

const MAX_TERM_DEPTH: u32 = 5;
const FUNCTIONS: [&str; 5] = ["σ", "sin", "cos", "tanh", "exp"];
const OPERATORS: [&str; 4] = [" + ", " - ", "*", "/"];

/// A formula of about `nodes` nodes (never fewer), the same for the same `nodes` and `seed`.
///
/// ```
/// let f = symgrad_bench::random::formula(100, 1);
/// assert_eq!(f, symgrad_bench::random::formula(100, 1));
/// assert!(symgrad_grammar::parse(&f).is_ok());
/// ```
pub fn formula(nodes: usize, seed: u64) -> String {
    let mut rng = SplitMix(seed);
    sum_of_terms(nodes, |_, out| {
        let budget = 3 + rng.below(14) as usize;
        term(&mut rng, budget, MAX_TERM_DEPTH, out)
    })
}

/// Terms joined by ` + ` (one node each) until there are at least `nodes` nodes:
/// `term(k, out)` appends the k-th term (from 0) and returns how many nodes it has.
fn sum_of_terms(nodes: usize, mut term: impl FnMut(usize, &mut String) -> usize) -> String {
    let mut out = String::with_capacity(nodes * 6);
    let mut count = 0;
    let mut k = 0;
    while count < nodes {
        if count > 0 {
            out.push_str(" + ");
            count += 1;
        }
        count += term(k, &mut out);
        k += 1;
    }
    out
}

/// Appends one term of at most `budget` nodes; returns how many it used.
fn term(rng: &mut SplitMix, budget: usize, depth: u32, out: &mut String) -> usize {
    if budget < 2 || depth == 0 {
        if rng.below(10) < 7 {
            out.push_str(&format!("x{}", rng.below(RANDOM_VARS as u64)));
        } else {
            out.push_str(&format!("0.{:02}", 1 + rng.below(99)));
        }
        return 1;
    }
    if budget < 4 || rng.below(4) == 0 {
        out.push_str(FUNCTIONS[rng.below(FUNCTIONS.len() as u64) as usize]);
        out.push('(');
        let used = term(rng, budget - 1, depth - 1, out);
        out.push(')');
        return used + 1;
    }
    let left = 1 + rng.below(budget as u64 - 2) as usize;
    out.push('(');
    let mut used = term(rng, left, depth - 1, out);
    out.push_str(OPERATORS[rng.below(OPERATORS.len() as u64) as usize]);
    used += term(rng, budget - 1 - left, depth - 1, out);
    out.push(')');
    used + 1
}

/// The depth of [`deep_chains`]' chains: below the grammar's nesting limit of 200.
pub const CHAIN_DEPTH: usize = 190;

/// A sum of chains `sin(cos(tanh(sin(… (x + k·y) …))))` of [`CHAIN_DEPTH`] calls each,
/// `k` = 0.5, 1.5, … so that no two chains share a node: about `nodes` nodes (never fewer),
/// the deepest formulas the grammar takes, summed to any size.
///
/// ```
/// let f = symgrad_bench::random::deep_chains(1000);
/// assert!(f.starts_with("sin(cos(tanh(sin("));
/// assert!(symgrad_grammar::parse(&f).is_ok());
/// ```
pub fn deep_chains(nodes: usize) -> String {
    const FUNCTIONS: [&str; 3] = ["sin(", "cos(", "tanh("];
    sum_of_terms(nodes, |k, out| {
        for depth in 0..CHAIN_DEPTH {
            out.push_str(FUNCTIONS[depth % 3]);
        }
        out.push_str(&format!("x + {k}.5 y"));
        out.push_str(&")".repeat(CHAIN_DEPTH));
        // The calls, x, +, the constant, ·, y.
        CHAIN_DEPTH + 5
    })
}

/// A wide sum of sigmoid gates over two variables, each written as the lecture writes
/// one, `c/(1+e^-(a x + b y + k))`, with random coefficients and `k` = 0, 1, 2, … so that
/// no two gates coincide: about `nodes` nodes (never fewer), the same for the same seed.
///
/// ```
/// let f = symgrad_bench::random::gate_sums(100, 1);
/// assert_eq!(f, symgrad_bench::random::gate_sums(100, 1));
/// assert!(symgrad_grammar::parse(&f).is_ok());
/// ```
pub fn gate_sums(nodes: usize, seed: u64) -> String {
    let mut rng = SplitMix(seed);
    let mut coefficient = || {
        let sign = if rng.below(2) == 0 { "-" } else { "" };
        format!("{sign}{}.{:03}", rng.below(2), 1 + rng.below(999))
    };
    sum_of_terms(nodes, |k, out| {
        let (c, a, b) = (coefficient(), coefficient(), coefficient());
        let c = c.trim_start_matches('-');
        let (sign, b) = match b.strip_prefix('-') {
            Some(b) => ("-", b.to_string()),
            None => ("+", b),
        };
        out.push_str(&format!("{c}/(1+e^-({a} x {sign} {b} y + {k}))"));
        // c, /, 1, +, e^, -, a, ·, x, +, b, ·, y, +, k.
        15
    })
}

/// SplitMix64: a tiny, well-mixed generator, so the formulas need no dependency.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}
