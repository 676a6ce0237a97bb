//! The progress line never reaches a pipe: even with no delay before it shows, `grad` and
//! `rust` with standard error piped print exactly what they print without it.

use std::process::{Command, Output};

/// A formula big enough that each stage takes a moment.
fn formula() -> String {
    (0..400)
        .map(|i| format!("tanh(x{}·y{} + {i})", i % 7, i % 5))
        .collect::<Vec<_>>()
        .join(" + ")
}

fn run(args: &[&str], delay_ms: Option<&str>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_symgrad"));
    command.args(args).env_remove("SYMGRAD_STAGE_TIMES");
    match delay_ms {
        Some(ms) => command.env("SYMGRAD_PROGRESS_DELAY_MS", ms),
        None => command.env_remove("SYMGRAD_PROGRESS_DELAY_MS"),
    };
    command.output().expect("symgrad runs")
}

#[test]
fn a_pipe_gets_no_progress_line() {
    let f = formula();
    for args in [
        vec!["grad", f.as_str(), "--json"],
        vec!["grad", f.as_str(), "--hessian", "--wrt", "x0,y0"],
        vec!["rust", f.as_str()],
    ] {
        let quiet = run(&args, None);
        let eager = run(&args, Some("0"));
        assert!(
            eager.status.success(),
            "{}",
            String::from_utf8_lossy(&eager.stderr)
        );
        assert_eq!(String::from_utf8_lossy(&eager.stderr), "", "{}", args[0]);
        assert_eq!(eager.stdout, quiet.stdout, "{}", args[0]);
        assert!(!eager.stdout.is_empty());
    }
}

#[test]
fn an_error_still_reaches_standard_error_alone() {
    let out = run(&["grad", "x +"], Some("0"));
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("error"), "{stderr}");
    assert!(
        !stderr.contains('\r') && !stderr.contains('\u{1b}'),
        "{stderr:?}"
    );
}

#[test]
fn stage_times_name_every_stage_once_with_its_seconds() {
    let f = formula();
    let out = Command::new(env!("CARGO_BIN_EXE_symgrad"))
        .args(["grad", f.as_str(), "--json"])
        .env("SYMGRAD_STAGE_TIMES", "1")
        .output()
        .expect("symgrad runs");
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stages: Vec<&str> = stderr
        .lines()
        .map(|line| {
            // Where the system says it, the memory follows: which stage raised the peak.
            let (timed, memory) = line.split_once(" (resident ").unwrap_or((line, ""));
            if cfg!(target_os = "linux") {
                assert!(
                    memory.contains(" MiB, peak ") && memory.ends_with(" MiB)"),
                    "{line}"
                );
            }
            let (stage, seconds) = timed
                .strip_prefix("grad: ")
                .and_then(|rest| rest.strip_suffix(" s"))
                .and_then(|rest| rest.rsplit_once(' '))
                .unwrap_or_else(|| panic!("not a stage time: {line}"));
            let seconds: f64 = seconds.parse().expect("seconds");
            assert!(seconds >= 0.0, "{line}");
            stage
        })
        .collect();
    assert_eq!(
        stages,
        [
            "starting",
            "parsing",
            "lowering",
            "simplifying",
            "differentiating",
            "simplifying the gradient",
            "sharing products",
            "listing and counting",
            "printing"
        ]
    );
    assert_eq!(
        out.stdout,
        run(&["grad", f.as_str(), "--json"], None).stdout
    );
}
