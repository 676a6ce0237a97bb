//! Every input the fuzzer found (`fuzz/regressions/pipeline/`) and every seed it started
//! from (`fuzz/seeds/pipeline/`) runs through the fuzz target's own checks, on the 2 MiB
//! stack of a test thread, so a fixed finding stays fixed without libFuzzer.

use crate::fuzz_target as pipeline;

use std::path::{Path, PathBuf};

fn inputs(dir: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../fuzz")
        .join(dir);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("read {}: {e}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

/// Runs every input of `dir`; fails listing each input whose check broke.
fn run_all(dir: &str) -> usize {
    let files = inputs(dir);
    let mut broken = Vec::new();
    for file in &files {
        let bytes = std::fs::read(file).expect("read input");
        // The fuzz target skips input that is not UTF-8, as the CLI rejects it up front.
        let Ok(source) = std::str::from_utf8(&bytes) else {
            continue;
        };
        if let Err(why) = pipeline::check_pipeline(source) {
            broken.push(format!("{}: {why}", file.display()));
        }
    }
    assert!(broken.is_empty(), "{}", broken.join("\n"));
    files.len()
}

#[test]
fn fuzz_findings_pass_the_pipeline_checks() {
    assert!(
        run_all("regressions/pipeline") > 0,
        "no regression inputs found"
    );
}

#[test]
fn fuzz_seeds_pass_the_pipeline_checks() {
    assert!(run_all("seeds/pipeline") > 0, "no seeds found");
}

#[test]
fn the_lecture_neuron_point_is_moderate() {
    // The checks evaluate at this point; it must not sit on a kink or a pole.
    let p = pipeline::sample_point(5);
    assert!(p.iter().all(|v| v.abs() < 2.0 && *v != 0.0), "{p:?}");
    let distinct: std::collections::BTreeSet<u64> = p.iter().map(|v| v.to_bits()).collect();
    assert_eq!(distinct.len(), 5);
}
