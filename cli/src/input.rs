//! What every subcommand reads: the formula (or `-` for standard input), `--vars`,
//! `--wrt` and `--at`, checked into a [`Problem`], or a [`Failure`] that says what is wrong.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::io::Read;

use clap::Args;
use symgrad_grammar::{ExprKind, Formula, is_reserved};

/// The formula and the options that say what to differentiate where.
#[derive(Debug, Args)]
pub struct FormulaArgs {
    /// The formula in math notation, e.g. "1/(1+e^-(w0x0+w1x1+w2))"; `-` reads standard input.
    #[arg(value_name = "EXPR", allow_hyphen_values = true)]
    pub expr: String,
    #[command(flatten)]
    pub options: FormulaOptions,
}

/// What to differentiate where, given with a formula.
#[derive(Debug, Clone, Default, Args)]
pub struct FormulaOptions {
    /// The variables, in order (default: every free name, in order of first appearance).
    #[arg(long, value_delimiter = ',', value_name = "a,b")]
    pub vars: Option<Vec<String>>,
    /// Differentiate only these variables (default: all).
    #[arg(long, value_delimiter = ',', value_name = "a,b")]
    pub wrt: Option<Vec<String>>,
    /// A point: a value for every variable, e.g. `x=1,y=-2.5`.
    #[arg(long, value_name = "a=1,b=2", allow_hyphen_values = true)]
    pub at: Option<String>,
}

/// A parsed formula with its checked options.
#[derive(Debug)]
pub struct Problem {
    /// The formula (of a comma-separated list, the first output).
    pub formula: Formula,
    /// The outputs after the first of a comma-separated list (SPEC §6), with the same
    /// variables; none for one formula (which is not cloned: it may be 10⁶ nodes).
    pub more_outputs: Vec<Formula>,
    /// Indices into `formula.vars`.
    pub wrt: Vec<u32>,
    /// One value per variable, when `--at` was given.
    pub at: Option<Vec<f64>>,
}

/// Bad input: the rendered diagnostic, ready for standard error (exit status 2).
#[derive(Debug)]
pub struct Failure {
    text: String,
    code: u8,
}

impl Failure {
    /// A diagnostic without a source span: `error: …` and an optional `help: …`.
    pub fn new(message: impl fmt::Display, help: Option<String>) -> Self {
        let mut text = format!("error: {message}\n");
        if let Some(help) = help {
            text.push_str(&format!("  = help: {help}\n"));
        }
        Failure { text, code: 2 }
    }

    /// A failure with a prepared text and exit status (e.g. `check`'s 1).
    pub fn with_code(mut text: String, code: u8) -> Self {
        if !text.ends_with('\n') {
            text.push('\n');
        }
        Failure { text, code }
    }

    pub fn exit_code(&self) -> u8 {
        self.code
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl FormulaArgs {
    /// Reads and checks everything, for a command that takes one formula: a list of
    /// outputs is an error.
    pub fn problem(&self) -> Result<Problem, Failure> {
        let problem = self.problem_with_outputs()?;
        if problem.is_many() {
            return Err(Failure::new(
                format!(
                    "this command takes one formula; `{}` has {} outputs",
                    problem.formula.source,
                    problem.more_outputs.len() + 1
                ),
                Some(
                    "`grad`, `rust` and `check` take comma-separated outputs; give one output here"
                        .to_string(),
                ),
            ));
        }
        Ok(problem)
    }

    /// Reads and checks everything; the formula may be comma-separated outputs.
    pub fn problem_with_outputs(&self) -> Result<Problem, Failure> {
        let source = read_source(&self.expr)?;
        let mut outputs = match &self.options.vars {
            Some(vars) => {
                check_declared(vars)?;
                let names: Vec<&str> = vars.iter().map(String::as_str).collect();
                symgrad_grammar::parse_outputs_with_vars(&source, &names)
            }
            None => symgrad_grammar::parse_outputs(&source),
        }
        .map_err(|e| Failure::with_code(e.render(&source), 2))?;
        let formula = outputs.remove(0);
        let wrt = match &self.options.wrt {
            Some(names) => resolve_wrt(&formula, names)?,
            None => (0..formula.vars.len() as u32).collect(),
        };
        let at = self
            .options
            .at
            .as_deref()
            .map(|at| parse_point(&formula, at))
            .transpose()?;
        Ok(Problem {
            formula,
            more_outputs: outputs,
            wrt,
            at,
        })
    }
}

impl Problem {
    /// Whether the formula is a list of more than one output.
    pub fn is_many(&self) -> bool {
        !self.more_outputs.is_empty()
    }

    /// Every output, in order.
    pub fn outputs(&self) -> Vec<Formula> {
        std::iter::once(&self.formula)
            .chain(&self.more_outputs)
            .cloned()
            .collect()
    }
}

fn read_source(expr: &str) -> Result<String, Failure> {
    if expr != "-" {
        return Ok(expr.to_string());
    }
    let limit = symgrad_grammar::MAX_SOURCE_LEN;
    let mut bytes = Vec::new();
    // One byte past the limit is enough to know the input is too long; reading on would
    // let a 50 MB (or endless) stream fill memory first.
    std::io::stdin()
        .take(limit as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Failure::new(format!("cannot read standard input: {e}"), None))?;
    if bytes.len() > limit {
        return Err(Failure::new(
            format!(
                "standard input is too long (more than {limit} bytes; the limit is {limit} bytes)"
            ),
            Some("split the formula, or name repeated sub-expressions".to_string()),
        ));
    }
    let mut text = String::from_utf8(bytes).map_err(|e| {
        Failure::new(
            format!(
                "standard input is not UTF-8 (invalid byte at offset {})",
                e.utf8_error().valid_up_to()
            ),
            Some("symgrad reads formulas as UTF-8 text".to_string()),
        )
    })?;
    // Trimmed in place: a copy of a formula of megabytes is time and fresh pages.
    text.truncate(text.trim_end_matches(['\n', '\r']).len());
    Ok(text)
}

/// A declared variable is one name of the language (so the formula, and generated code,
/// can refer to it), listed once, and not a function or a constant.
fn check_declared(vars: &[String]) -> Result<(), Failure> {
    let limit = symgrad_grammar::MAX_NAME_LEN;
    let mut seen = HashSet::new();
    for v in vars {
        if v.len() > limit {
            return Err(Failure::new(
                format!(
                    "`--vars`: name too long ({} bytes; the limit is {limit})",
                    v.len()
                ),
                None,
            ));
        }
        if is_reserved(v) {
            return Err(Failure::new(
                format!("`--vars`: `{v}` is a function or constant, not a variable name"),
                Some("rename the variable".to_string()),
            ));
        }
        if !is_one_name(v) {
            return Err(Failure::new(
                format!("`--vars`: `{v}` is not a variable name"),
                Some(
                    "a name is letters, then digits, then optional `_suffix` parts, \
                     as in `x`, `w0`, `y_hat`"
                        .to_string(),
                ),
            ));
        }
        if !seen.insert(v.as_str()) {
            return Err(Failure::new(
                format!("`--vars`: `{v}` is listed twice"),
                None,
            ));
        }
    }
    Ok(())
}

/// `v` parses as exactly the variable `v` (`w0x0` is two names, `a b` a product).
fn is_one_name(v: &str) -> bool {
    symgrad_grammar::parse(v).is_ok_and(|f| {
        f.vars.len() == 1 && f.vars[0] == v && matches!(f.expr.kind, ExprKind::Var(_))
    })
}

/// Each variable's index, looked up once per name (a formula may have 65 536 variables).
fn var_index(formula: &Formula) -> HashMap<&str, usize> {
    let vars = formula.vars.iter().enumerate();
    vars.map(|(i, v)| (v.as_str(), i)).collect()
}

fn resolve_wrt(formula: &Formula, names: &[String]) -> Result<Vec<u32>, Failure> {
    let index = var_index(formula);
    let mut seen = HashSet::new();
    let mut wrt = Vec::new();
    for name in names {
        let Some(&i) = index.get(name.as_str()) else {
            return Err(Failure::new(
                format!("`--wrt`: unknown variable `{name}`"),
                Some(format!("the variables are {}", list(&formula.vars))),
            ));
        };
        if !seen.insert(i) {
            return Err(Failure::new(
                format!("`--wrt`: `{name}` is listed twice"),
                None,
            ));
        }
        wrt.push(i as u32);
    }
    Ok(wrt)
}

/// `a=1,b=-2.5` → one value per variable of the formula.
fn parse_point(formula: &Formula, at: &str) -> Result<Vec<f64>, Failure> {
    let index = var_index(formula);
    let mut values: Vec<Option<f64>> = vec![None; formula.vars.len()];
    for item in at.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        let Some((name, value)) = item.split_once('=') else {
            return Err(Failure::new(
                format!("`--at`: expected `name=value`, found `{item}`"),
                Some("write the point as `x=1,y=2`".to_string()),
            ));
        };
        let (name, value) = (name.trim(), value.trim());
        let Some(&i) = index.get(name) else {
            return Err(Failure::new(
                format!("`--at`: unknown variable `{name}`"),
                Some(format!("the variables are {}", list(&formula.vars))),
            ));
        };
        let Ok(v) = value.parse::<f64>() else {
            return Err(Failure::new(
                format!("`--at`: `{value}` is not a number (for `{name}`)"),
                Some("write a decimal number such as `-1.5` or `2e-3`".to_string()),
            ));
        };
        // Like a literal in the formula: a finite decimal that rounds to infinity is an
        // error; infinity itself is spelled out.
        let spelled_infinity = value.trim_start_matches(['+', '-']).to_ascii_lowercase();
        if v.is_infinite() && !matches!(spelled_infinity.as_str(), "inf" | "infinity") {
            return Err(Failure::new(
                format!("`--at`: `{value}` is too large for an f64 (for `{name}`)"),
                Some("write `inf` or `-inf` to evaluate at infinity".to_string()),
            ));
        }
        if values[i].replace(v).is_some() {
            return Err(Failure::new(
                format!("`--at`: `{name}` is given twice"),
                None,
            ));
        }
    }
    let missing: Vec<String> = formula
        .vars
        .iter()
        .zip(&values)
        .filter(|(_, v)| v.is_none())
        .map(|(n, _)| n.clone())
        .collect();
    if !missing.is_empty() {
        return Err(Failure::new(
            format!("`--at`: no value for {}", list(&missing)),
            Some(format!(
                "give every variable a value: {}",
                example_point(&formula.vars)
            )),
        ));
    }
    Ok(values.into_iter().flatten().collect())
}

/// `` `a`, `b` ``
/// `` `a`, `b` ``; past [`LISTED`] names, `` `a`, …, `t` and 65516 more ``, so a hint
/// stays readable (and small) for a formula with thousands of variables.
pub fn list(names: &[String]) -> String {
    if names.is_empty() {
        return "(none)".to_string();
    }
    let shown: Vec<String> = names
        .iter()
        .take(LISTED)
        .map(|n| format!("`{n}`"))
        .collect();
    let mut text = shown.join(", ");
    if names.len() > LISTED {
        text.push_str(&format!(" and {} more", names.len() - LISTED));
    }
    text
}

/// How many names [`list`] shows.
const LISTED: usize = 20;

fn example_point(vars: &[String]) -> String {
    let items: Vec<String> = vars.iter().take(LISTED).map(|v| format!("{v}=1")).collect();
    let more = if vars.len() > LISTED { ",…" } else { "" };
    format!("`--at {}{more}`", items.join(","))
}
