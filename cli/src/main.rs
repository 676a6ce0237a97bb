//! `symgrad`: gradients of scalar formulas, in math notation and as Rust code.

mod grad;
mod input;
mod json;

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
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Grad {
            formula,
            json,
            explain_rules,
        } => grad::run(&formula, json, explain_rules),
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
