//! The benchmark formulas of SPEC §5, in one place for the tests, the benchmarks and
//! the figures: each written the way a user would, sigmoids with exponentials.
//!
//! ```
//! let formulas = symgrad_core::benchmark_formulas::all();
//! assert_eq!(formulas[0], ("cs231n neuron", "1/(1+e^-(w0x0+w1x1+w2))".to_string()));
//! for (_, source) in &formulas {
//!     assert!(symgrad_grammar::parse(source).is_ok());
//! }
//! ```

/// The CS231n lecture 4 neuron.
pub const NEURON: &str = "1/(1+e^-(w0x0+w1x1+w2))";

/// A 2-2-1 network of sigmoids, in scalars.
pub const NET_2_2_1: &str =
    "1/(1+e^-(v0/(1+e^-(w00x0+w01x1+b0)) + v1/(1+e^-(w10x0+w11x1+b1)) + c))";

/// The logistic loss of one example, `z = w·x + b`, with the sigmoid spelled out.
pub const LOGISTIC_LOSS: &str = "-(y ln(1/(1+e^-(w x + b))) + (1 - y) ln(1 - 1/(1+e^-(w x + b))))";

/// `σ(w0·x0 + … + w{n-1}·x{n-1} + b)` written with an exponential.
pub fn wide_neuron(n: usize) -> String {
    let terms: Vec<String> = (0..n).map(|i| format!("w{i}x{i}")).collect();
    format!("1/(1+e^-({}+b))", terms.join("+"))
}

/// `σ(σ(…σ(x)…))`, `depth` sigmoids deep, each written with an exponential.
pub fn nested_sigmoids(depth: usize) -> String {
    let mut s = "x".to_string();
    for _ in 0..depth {
        s = format!("1/(1+e^-({s}))");
    }
    s
}

/// Every benchmark formula: `(name, source)`.
pub fn all() -> Vec<(&'static str, String)> {
    vec![
        ("cs231n neuron", NEURON.to_string()),
        ("2-2-1 sigmoid net", NET_2_2_1.to_string()),
        ("logistic loss", LOGISTIC_LOSS.to_string()),
        ("50-input neuron", wide_neuron(50)),
        ("16 nested sigmoids", nested_sigmoids(16)),
    ]
}
