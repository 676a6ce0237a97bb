//! parse → differentiate → print → evaluate, on arbitrary bytes.
//!
//! A panic, a stack overflow, a hang, a runaway allocation or a broken invariant
//! reported by [`symgrad_fuzz::check_pipeline`] is a finding.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(source) = std::str::from_utf8(data)
        && let Err(broken) = symgrad_fuzz::check_pipeline(source)
    {
        panic!("{broken}");
    }
});
