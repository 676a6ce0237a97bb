//! Running the `symgrad` binary from integration tests.

// Each test binary uses part of these helpers.
#![allow(dead_code)]

use std::io::Write;
use std::process::{Command, Output, Stdio};

/// Runs `symgrad args…` to completion.
pub fn symgrad(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_symgrad"))
        .args(args)
        .output()
        .expect("symgrad runs")
}

/// Runs symgrad with `input` on standard input, written from another thread so a child
/// that stops reading early (input over the size limit) cannot block the test.
pub fn symgrad_stdin(args: &[&str], input: impl Into<Vec<u8>>) -> Output {
    let input = input.into();
    let mut child = Command::new(env!("CARGO_BIN_EXE_symgrad"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("symgrad starts");
    let mut stdin = child.stdin.take().expect("stdin is piped");
    let writer = std::thread::spawn(move || {
        // A broken pipe is expected when symgrad rejects the input before reading it all.
        let _ = stdin.write_all(&input);
    });
    let out = child.wait_with_output().expect("symgrad runs");
    writer.join().expect("the writer thread ends");
    out
}

/// Standard error as text.
pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Standard output of a run that must succeed (its standard error shown otherwise).
pub fn stdout(out: &Output) -> String {
    assert!(
        out.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).expect("stdout is UTF-8")
}

/// Standard output as the one JSON object it must be, from a run that succeeded.
pub fn json(out: &Output) -> serde_json::Value {
    assert!(out.status.success(), "stderr: {}", stderr(out));
    serde_json::from_slice(&out.stdout).expect("stdout is one JSON object")
}

/// Exit status 2, nothing on standard output, and every `needle` in the diagnostic, which
/// starts like rustc's; the diagnostic.
pub fn assert_bad_input(out: &Output, needles: &[&str]) -> String {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(2), "stderr: {err}");
    assert!(
        out.stdout.is_empty(),
        "stdout: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(err.starts_with("error: "), "{err}");
    for needle in needles {
        assert!(err.contains(needle), "expected `{needle}` in:\n{err}");
    }
    assert!(!err.contains("panicked"), "{err}");
    err
}
