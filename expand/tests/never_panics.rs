//! The expansion of bodies with arrays and loops never panics and always yields items
//! that parse, whatever is done to a valid body: proptest mutates the tokens of working
//! functions (deletes, duplicates, swaps and replaces them), a fuzzer in miniature whose
//! seeds are the shapes SPEC §8 accepts; and the optimizer options of SPEC §10, mutated
//! likewise on the functions they go on.

use proc_macro2::{TokenStream, TokenTree};
use proptest::prelude::*;

/// Working functions with arrays and loops: the seeds.
const SEEDS: [&str; 7] = [
    "fn net(w1: &[[f64; 4]; 3], b1: &[f64; 3], w2: &[[f64; 3]; 2], x: &[f64; 4], y: usize) -> f64 {
        let mut h = [0.0; 3];
        for j in 0..3 { let mut z = b1[j]; for i in 0..4 { z += w1[j][i] * x[i]; } h[j] = z.max(0.0); }
        let mut s = [0.0; 2];
        for k in 0..2 { s[k] = (0..3).map(|j| w2[k][j] * h[j]).sum::<f64>(); }
        let m = s.iter().fold(s[0], |m, &v| m.max(v));
        let total = s.iter().map(|&v| (v - m).exp()).sum::<f64>();
        m + total.ln() - s[y]
    }",
    "fn logistic(w: &[f64; 3], b: f64, xs: &[[f64; 3]], ys: &[f64]) -> f64 {
        let mut loss = 0.0;
        for r in 0..xs.len() {
            let mut z = b;
            for k in 0..3 { z += w[k] * xs[r][k]; }
            let p = 1.0 / (1.0 + (-z).exp());
            loss -= ys[r] * p.ln() + (1.0 - ys[r]) * (1.0 - p).ln();
        }
        loss / xs.len() as f64
    }",
    "fn dot<const N: usize>(w: &[f64; N], x: &[f64; N]) -> f64 {
        w.iter().zip(x.iter()).map(|(a, b)| a * b).sum::<f64>()
    }",
    "fn huber(w: &[f64; 2], xs: &[[f64; 2]], ys: &[f64]) -> f64 {
        xs.iter().zip(ys.iter()).map(|(x, &y)| {
            let d = w[0] * x[0] + w[1] * x[1] - y;
            if d.abs() <= 1.0 { 0.5 * d * d } else { d.abs() - 0.5 }
        }).sum::<f64>()
    }",
    "fn assorted(a: &[[f64; 3]; 2], b: [f64; 3]) -> f64 {
        let mut total = 0.0;
        for j in 0..2 {
            let mut row = [0.0; 3];
            for i in 0..3 { row[i] = (a[j][i] * b[i]).sin(); }
            let mut low = row[0];
            for i in 1..3 { low = low.min(row[i]); }
            total -= low;
            for i in 0..3 { total += if (i as f64) < 1.5 { row[i] * row[i] } else { row[i] }; }
        }
        total
    }",
    "fn weighted(w: &[f32; 3], c: f32) -> f32 {
        w.iter().enumerate().map(|(i, &v)| (i as f32 + c) * v * v).sum::<f32>()
    }",
    "fn products(a: f64, w: &[f64; 3], xs: &[[f64; 3]]) -> f64 {
        let mut total = 0.0;
        for r in 0..xs.len() {
            let mut p = a;
            for k in 0..3 { p *= 1.0 + w[k] * xs[r][k]; }
            total += p + (0..3).map(|k| w[k] * a).product::<f64>();
        }
        total
    }",
];

/// Tokens a mutation may put in: the body form's own vocabulary.
const VOCABULARY: [&str; 24] = [
    "for",
    "in",
    "let",
    "mut",
    "0..3",
    "x",
    "i",
    "j",
    "+=",
    "-=",
    "*=",
    "=",
    ";",
    "[0]",
    ".max(1.0)",
    ".iter()",
    ".sum::<f64>()",
    "as f64",
    "if",
    "else",
    "{ }",
    "( )",
    "1.5",
    "..",
];

/// The tokens of a function, flattened (groups opened), so a mutation can break brackets.
fn flat(source: &str) -> Vec<String> {
    fn walk(tokens: TokenStream, out: &mut Vec<String>) {
        for t in tokens {
            match t {
                TokenTree::Group(g) => {
                    let (open, close) = match g.delimiter() {
                        proc_macro2::Delimiter::Parenthesis => ("(", ")"),
                        proc_macro2::Delimiter::Brace => ("{", "}"),
                        proc_macro2::Delimiter::Bracket => ("[", "]"),
                        proc_macro2::Delimiter::None => ("", ""),
                    };
                    out.push(open.to_string());
                    walk(g.stream(), out);
                    out.push(close.to_string());
                }
                TokenTree::Punct(p) => {
                    // `+=`, `..`, `::`: a joint punctuation mark stays with the next.
                    let joined = matches!(out.last(), Some(last) if last.ends_with('\u{0}'));
                    let mut text = p.as_char().to_string();
                    if p.spacing() == proc_macro2::Spacing::Joint {
                        text.push('\u{0}');
                    }
                    if joined {
                        let last = out.pop().expect("checked");
                        out.push(last.trim_end_matches('\u{0}').to_string() + &text);
                    } else {
                        out.push(text);
                    }
                }
                other => out.push(other.to_string()),
            }
        }
    }
    let mut out = Vec::new();
    walk(source.parse().expect("the seeds lex"), &mut out);
    out.into_iter()
        .map(|t| t.trim_end_matches('\u{0}').to_string())
        .collect()
}

#[derive(Clone, Debug)]
enum Edit {
    Delete(usize),
    Duplicate(usize),
    Swap(usize, usize),
    Replace(usize, usize),
}

fn apply(tokens: &mut Vec<String>, edit: &Edit) {
    let n = tokens.len();
    match *edit {
        Edit::Delete(i) => {
            tokens.remove(i % n);
        }
        Edit::Duplicate(i) => {
            let t = tokens[i % n].clone();
            tokens.insert(i % n, t);
        }
        Edit::Swap(i, j) => tokens.swap(i % n, j % n),
        Edit::Replace(i, v) => tokens[i % n] = VOCABULARY[v % VOCABULARY.len()].to_string(),
    }
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        any::<usize>().prop_map(Edit::Delete),
        any::<usize>().prop_map(Edit::Duplicate),
        (any::<usize>(), any::<usize>()).prop_map(|(i, j)| Edit::Swap(i, j)),
        (any::<usize>(), any::<usize>()).prop_map(|(i, v)| Edit::Replace(i, v)),
    ]
}

/// The expansion of `source` (no attribute arguments), if it lexes.
fn expand(source: &str) -> Option<TokenStream> {
    let item: TokenStream = source.parse().ok()?;
    Some(symgrad_expand::derive_grad(TokenStream::new(), item))
}

#[test]
fn the_seeds_expand_without_errors() {
    for seed in SEEDS {
        // Through the flattening the mutations work on, so that it is known to be right.
        let source = flat(seed).join(" ");
        let out = expand(&source).expect("a seed lexes").to_string();
        assert!(!out.contains("compile_error"), "{seed}\n{out}");
        assert!(out.contains("pub fn grad_into"), "{seed}");
        syn::parse_file(&out).expect("the items parse");
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 1024,
        failure_persistence: None,
        rng_seed: proptest::test_runner::RngSeed::Fixed(0x5EED_0015),
        ..ProptestConfig::default()
    })]

    #[test]
    fn mutated_bodies_expand_to_items_that_parse(
        seed in 0..SEEDS.len(),
        edits in proptest::collection::vec(edit(), 1..4),
    ) {
        let mut tokens = flat(SEEDS[seed]);
        for e in &edits {
            apply(&mut tokens, e);
        }
        let source = tokens.join(" ");
        if let Some(out) = expand(&source) {
            let text = out.to_string();
            prop_assert!(syn::parse_file(&text).is_ok(), "{source}\n=>\n{text}");
        }
    }
}

/// Functions the optimizer options go on (SPEC §10): a residual per data row, residuals as
/// many outputs, and a loss over data with arrays.
const OPTIMIZED: [&str; 3] = [
    "fn decay(a: f64, b: f64, t: f64, y: f64) -> f64 { a * (-b * t).exp() - y }",
    "fn rosenbrock(x: f64, y: f64, c: f64) -> [f64; 2] { [10.0 * (y - x * x), c - x] }",
    SEEDS[1],
];

/// The attribute the mutations start from, and tokens they may put in.
const OPTIONS: &str = "wrt(a, b, x, y, w), argmin(nalgebra), levenberg_marquardt, hessian";
const OPTION_WORDS: [&str; 12] = [
    "argmin",
    "levenberg_marquardt",
    "nalgebra",
    "vec",
    "hessian",
    "wrt",
    "(",
    ")",
    ",",
    "=",
    "\"x\"",
    "test_at",
];

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 512,
        failure_persistence: None,
        rng_seed: proptest::test_runner::RngSeed::Fixed(0x5EED_0017),
        ..ProptestConfig::default()
    })]

    #[test]
    fn mutated_optimizer_options_expand_to_items_that_parse(
        function in 0..OPTIMIZED.len(),
        edits in proptest::collection::vec((0..4usize, any::<usize>(), any::<usize>()), 0..4),
    ) {
        let mut tokens = flat(OPTIONS);
        for &(kind, i, j) in &edits {
            let n = tokens.len().max(1);
            match kind {
                0 if !tokens.is_empty() => { tokens.remove(i % n); }
                1 => tokens.insert(i % (tokens.len() + 1), OPTION_WORDS[j % OPTION_WORDS.len()].to_string()),
                2 if !tokens.is_empty() => tokens.swap(i % n, j % n),
                _ if !tokens.is_empty() => tokens[i % n] = OPTION_WORDS[j % OPTION_WORDS.len()].to_string(),
                _ => {}
            }
        }
        let attr = tokens.join(" ");
        if let (Ok(attr), Ok(item)) = (attr.parse::<TokenStream>(), OPTIMIZED[function].parse::<TokenStream>()) {
            let text = symgrad_expand::derive_grad(attr, item).to_string();
            prop_assert!(syn::parse_file(&text).is_ok(), "{}\n=>\n{text}", tokens.join(" "));
        }
    }
}
