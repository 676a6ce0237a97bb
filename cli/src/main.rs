//! `symgrad`: gradients of scalar formulas, in math notation and as Rust code.

/// The allocator: a 10⁶-node formula allocates a few million small node argument lists,
/// and glibc's malloc and free were a fifth of `symgrad grad`'s time (issue 16).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod check;
mod dot;
mod explain;
mod formatted;
mod grad;
mod input;
mod json;
mod lint;
mod many;
mod picture;
mod progress;
mod rust;
mod rust_file;
mod second;
mod svg;
mod table;

use std::io::Write as _;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::input::FormulaArgs;

/// Symbolic gradients of scalar formulas: backpropagation done once, by the compiler.
#[derive(Debug, Parser)]
#[command(name = "symgrad", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Print the simplified formula and each partial derivative; with --at, their values.
    Grad {
        #[command(flatten)]
        formula: FormulaArgs,
        /// Print one JSON object instead of text.
        #[arg(long)]
        json: bool,
        /// Also print each rewrite rule that fired, with its pattern.
        #[arg(long)]
        explain_rules: bool,
        /// Also print each second partial ∂²f/∂a∂b once (a not after b); with --at, the
        /// Hessian's numbers.
        #[arg(long)]
        hessian: bool,
    },
    /// Print the lecture's backward table: each node's value, local gradients, upstream
    /// gradient and what it passes back, then the gradient.
    Explain {
        #[command(flatten)]
        formula: FormulaArgs,
        /// Print the rows as one JSON object instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Compare the analytic gradient with central differences; exit 1 when they disagree.
    Check {
        #[command(flatten)]
        formula: FormulaArgs,
        /// The central-difference step for every variable (default: ∛ε·max(1, |x|)).
        #[arg(long, value_name = "H", allow_hyphen_values = true)]
        eps: Option<f64>,
        /// Check the Hessian against central differences of the analytic gradient instead.
        #[arg(long)]
        hessian: bool,
    },
    /// Write the computational graph as Graphviz DOT, or as SVG with `-o FILE.svg`.
    Dot {
        #[command(flatten)]
        formula: FormulaArgs,
        /// Write to FILE (`.dot` or `.svg`) instead of printing DOT.
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: Option<std::path::PathBuf>,
    },
    /// Print the Rust code `#[derive_grad]` generates for the formula, or for a function
    /// of a Rust file with --file, formatted.
    Rust(rust::RustArgs),
    /// Measure the bits of error of the generated value and partials over a box of inputs
    /// against a high-precision truth; exit 1 when a mean exceeds --max-bits.
    Lint(lint::LintArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Grad {
            formula,
            json,
            explain_rules,
            hessian,
        } => grad::run(
            &formula,
            grad::GradOutput {
                json,
                explain_rules,
                hessian,
            },
        )
        .map(success),
        Command::Explain { formula, json } => explain::run(&formula, json).map(success),
        Command::Check {
            formula,
            eps,
            hessian,
        } => check::run(&formula, eps, hessian).map(success),
        Command::Dot { formula, output } => dot::run(&formula, output.as_deref()).map(success),
        Command::Rust(args) => rust::run(&args).map(success),
        // The report goes to standard output whatever it finds; only its status differs.
        Command::Lint(args) => lint::run(&args),
    };
    match result {
        Ok((output, code)) => {
            // A reader that stops early (`symgrad rust … | head`) closes the pipe: that
            // ends the output, as for other Unix tools, and is no failure of symgrad's.
            let mut stdout = std::io::stdout().lock();
            match stdout
                .write_all(output.as_bytes())
                .and_then(|()| stdout.flush())
            {
                Ok(()) => ExitCode::from(code),
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::from(code),
                Err(e) => {
                    eprintln!("error: cannot write the output: {e}");
                    ExitCode::from(1)
                }
            }
        }
        Err(failure) => {
            eprint!("{failure}");
            ExitCode::from(failure.exit_code())
        }
    }
}

/// A subcommand's output with exit status 0.
fn success(output: String) -> (String, u8) {
    (output, 0)
}
