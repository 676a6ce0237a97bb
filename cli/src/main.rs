//! `symgrad`: gradients of scalar formulas, in math notation and as Rust code.

mod grad;
mod input;
mod json;
mod rust;

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
    },
    /// Print the Rust code `#[derive_grad]` generates for the formula, formatted.
    Rust(rust::RustArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Grad { formula, json } => grad::run(&formula, json),
        Command::Rust(args) => rust::run(&args),
    };
    match result {
        Ok(output) => {
            print!("{output}");
            ExitCode::SUCCESS
        }
        Err(failure) => {
            eprint!("{failure}");
            ExitCode::from(failure.exit_code())
        }
    }
}
