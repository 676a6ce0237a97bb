//! A progress line on standard error for long runs: shown only when standard error is a
//! terminal and the run has lasted about a second, so quick runs and pipes see nothing.
//!
//! ```ignore
//! let progress = Progress::new("lint", Some(points.len() as u64));
//! for point in points {
//!     progress.inc(1);
//! }
//! progress.finish();
//! ```
//!
//! `SYMGRAD_PROGRESS_DELAY_MS` overrides the delay (tests set it to 0 to show that a pipe
//! still gets nothing). `SYMGRAD_STAGE_TIMES=1` prints each stage's wall time on standard
//! error when it ends, terminal or not, with the resident and peak memory on Linux: the
//! first thing to look at when a big formula is slow or large.

use std::io::IsTerminal;
use std::sync::Mutex;
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How long a run goes before its progress line appears.
const DELAY: Duration = Duration::from_secs(1);
/// How often a shown line redraws its spinner and elapsed time.
const TICK: Duration = Duration::from_millis(120);

/// A run's progress: a label, a stage, and with a total a count of done items.
#[derive(Debug)]
pub struct Progress {
    bar: ProgressBar,
    /// Tells the thread waiting out the delay that the run is over; `None` off a terminal.
    over: Option<Sender<()>>,
    waiting: Option<JoinHandle<()>>,
    /// With `SYMGRAD_STAGE_TIMES` set: the current stage and when it began.
    timed: Option<Mutex<(String, Instant)>>,
}

impl Progress {
    /// Progress of `label`; `total` items when known (then [`Progress::inc`] counts them).
    pub fn new(label: &str, total: Option<u64>) -> Self {
        let delay = std::env::var("SYMGRAD_PROGRESS_DELAY_MS")
            .ok()
            .and_then(|ms| ms.parse().ok())
            .map_or(DELAY, Duration::from_millis);
        let mut progress =
            Progress::shown_after(label, total, std::io::stderr().is_terminal(), delay);
        if std::env::var_os("SYMGRAD_STAGE_TIMES").is_some_and(|v| v != "0") {
            progress.timed = Some(Mutex::new(("starting".into(), Instant::now())));
        }
        progress
    }

    /// Progress that appears after `delay` when `terminal`, never otherwise.
    fn shown_after(label: &str, total: Option<u64>, terminal: bool, delay: Duration) -> Self {
        let bar = ProgressBar::with_draw_target(total, ProgressDrawTarget::hidden());
        bar.set_style(style(total.is_some()));
        bar.set_prefix(label.to_string());
        if !terminal {
            return Progress {
                bar,
                over: None,
                waiting: None,
                timed: None,
            };
        }
        let (over, wait) = mpsc::channel::<()>();
        let shown = bar.clone();
        let waiting = std::thread::Builder::new()
            .name("progress".into())
            .spawn(move || {
                if wait.recv_timeout(delay) == Err(RecvTimeoutError::Timeout) {
                    shown.set_draw_target(ProgressDrawTarget::stderr());
                    shown.enable_steady_tick(TICK);
                }
            })
            .ok();
        Progress {
            bar,
            over: Some(over),
            waiting,
            timed: None,
        }
    }

    /// Counts `n` more items done.
    #[allow(
        dead_code,
        reason = "for loops over a known number of items; grad and rust have none"
    )]
    pub fn inc(&self, n: u64) {
        self.bar.inc(n);
    }

    /// Names the stage the run is in now ("parsing", "differentiating", …).
    pub fn set_stage(&self, stage: &str) {
        self.time_stage(Some(stage));
        self.bar.set_message(stage.to_string());
    }

    /// Prints how long the stage now ending took, when stage times were asked for.
    fn time_stage(&self, next: Option<&str>) {
        let Some(timed) = &self.timed else { return };
        let mut current = timed
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let now = Instant::now();
        eprintln!(
            "{}: {} {:.3} s{}",
            self.bar.prefix(),
            current.0,
            now.duration_since(current.1).as_secs_f64(),
            memory()
        );
        *current = (next.unwrap_or("done").to_string(), now);
    }

    /// Ends the run: the line, if it was shown, is cleared, so only the output remains.
    pub fn finish(mut self) {
        self.end();
    }

    fn end(&mut self) {
        self.time_stage(None);
        self.timed = None;
        if let Some(over) = self.over.take() {
            // The waiting thread may have ended already; then there is no one to tell.
            let _ = over.send(());
        }
        if let Some(waiting) = self.waiting.take() {
            let _ = waiting.join();
        }
        self.bar.finish_and_clear();
    }

    #[cfg(test)]
    fn is_shown(&self) -> bool {
        !self.bar.is_hidden()
    }
}

/// An early return (an error) ends the line too.
impl Drop for Progress {
    fn drop(&mut self) {
        self.end();
    }
}

fn style(counted: bool) -> ProgressStyle {
    let template = if counted {
        "{spinner} {prefix}: {msg} [{elapsed}] {wide_bar} {pos}/{len}"
    } else {
        "{spinner} {prefix}: {msg} [{elapsed}]"
    };
    ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_spinner())
}

/// The process's resident and peak memory where the system tells it (Linux's
/// `/proc/self/status`), for stage times: which stage raised the peak.
fn memory() -> String {
    let Ok(status) = std::fs::read_to_string("/proc/self/status") else {
        return String::new();
    };
    let field = |name: &str| {
        status
            .lines()
            .find_map(|line| line.strip_prefix(name))
            .and_then(|rest| {
                rest.trim()
                    .trim_end_matches("kB")
                    .trim()
                    .parse::<u64>()
                    .ok()
            })
            .map_or_else(|| "?".to_string(), |kib| (kib / 1024).to_string())
    };
    format!(
        " (resident {} MiB, peak {} MiB)",
        field("VmRSS:"),
        field("VmHWM:")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn off_a_terminal_it_never_shows() {
        let progress = Progress::shown_after("grad", None, false, Duration::ZERO);
        progress.set_stage("parsing");
        std::thread::sleep(Duration::from_millis(50));
        assert!(!progress.is_shown());
        assert!(progress.waiting.is_none());
        progress.finish();
    }

    #[test]
    fn a_quick_run_ends_before_it_shows() {
        let progress = Progress::shown_after("grad", Some(3), true, Duration::from_secs(3600));
        progress.inc(3);
        assert_eq!(progress.bar.position(), 3);
        assert!(!progress.is_shown());
        progress.finish();
    }

    #[test]
    fn dropping_it_ends_the_waiting_thread() {
        let progress = Progress::shown_after("rust", None, true, Duration::from_secs(3600));
        drop(progress); // joins the waiting thread: a hang here would time the test out
    }
}
