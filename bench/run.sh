#!/usr/bin/env bash
# Regenerates BENCHMARKS.md at the repository root: the gradient benchmarks and the
# arrays-and-loops and optimizer benchmarks (criterion), the scale benchmark, the compile times, then the
# report. Extra arguments go to criterion (e.g. a filter:
# `bench/run.sh neuron`). SYMGRAD_SCALE_MAX=100000 skips the 10^6-node formula;
# SYMGRAD_COMPILE_MAX=10000 the 10^5-node compile; SYMGRAD_COMPILE_HESSIAN_MAX=50 leaves
# the n = 200 neuron's Hessian out of the compile times (about 100 s of rustc);
# SYMGRAD_COMPILE_ARRAYS=0 leaves out the two-layer net's compile time.
set -euo pipefail
cd "$(dirname "$0")/.."
target="${CARGO_TARGET_DIR:-$PWD/target}"

cargo build --profile bench -p symgrad-cli
cargo bench -p symgrad-bench --bench gradients -- "$@"
cargo bench -p symgrad-bench --bench arrays -- "$@"
cargo bench -p symgrad-bench --bench optimizers -- "$@"
SYMGRAD_BIN="$target/release/symgrad" SYMGRAD_SCALE_OUT="$target/symgrad-scale.json" \
    cargo bench -p symgrad-bench --bench scale
SYMGRAD_COMPILE_OUT="$target/symgrad-compile.json" \
    cargo run --profile bench -p symgrad-bench --bin compile_time
SYMGRAD_RUSTC="$(rustc -V)" cargo run --profile bench -p symgrad-bench --bin report -- \
    "$target/criterion" "$target/symgrad-scale.json" "$target/symgrad-compile.json" > BENCHMARKS.md
echo "wrote BENCHMARKS.md"
