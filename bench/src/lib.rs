//! Benchmarks of symgrad live in `benches/`.
