//! Writes one of the scale benchmark's formulas to standard output, to profile or time
//! `symgrad grad` on it outside the benchmark:
//!
//! `cargo run --release -p symgrad-bench --bin shape -- "deep chains" 1000000 > deep.txt`
//!
//! The first argument names a shape of `random::SHAPES` (`random`, `deep chains`,
//! `gate sums`); the second is the size in nodes (default 10⁶).

use std::io::Write;

use symgrad_bench::random::SHAPES;

fn main() {
    let mut args = std::env::args().skip(1);
    let names: Vec<&str> = SHAPES.iter().map(|(name, ..)| *name).collect();
    let Some(wanted) = args.next() else {
        eprintln!("usage: shape <{}> [nodes]", names.join("|"));
        std::process::exit(2);
    };
    let Some((_, _, formula)) = SHAPES.iter().find(|(name, ..)| *name == wanted) else {
        eprintln!(
            "unknown shape {wanted:?}; the shapes are {}",
            names.join(", ")
        );
        std::process::exit(2);
    };
    let nodes = match args.next().map(|n| n.parse::<usize>()) {
        None => 1_000_000,
        Some(Ok(n)) => n,
        Some(Err(e)) => {
            eprintln!("the size must be a number of nodes: {e}");
            std::process::exit(2);
        }
    };
    let mut out = std::io::stdout().lock();
    writeln!(out, "{}", formula(nodes)).expect("standard output is writable");
}
