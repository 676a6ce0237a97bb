//! End-to-end tests of symgrad live in `tests/`.
