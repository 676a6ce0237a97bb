//! Name resolution: constants, functions and variables (declared or free), with the hints
//! that name what exists and how an unknown name splits into known ones (`xy` → `x*y`).

use std::collections::HashMap;

use foldhash::fast::RandomState;

use crate::ast::{Constant, ExprKind, Func, Span, VarIndex};
use crate::diagnose;
use crate::error::{ErrorKind, ParseError};
use crate::{MAX_NAME_LEN, MAX_VARS};

/// Every name a function can be called by, in the order hints list them: [`Func::ALL`]'s,
/// each followed by its alias (`sigmoid`, `σ`).
fn function_names() -> impl Iterator<Item = &'static str> {
    Func::ALL
        .iter()
        .flat_map(|f| std::iter::once(f.name()).chain(f.alias()))
}

/// How many variable names a hint lists before it says how many it left out.
const LISTED_VARS: usize = 12;

/// The variables of one formula: a declared list, or the free names in order of appearance.
#[derive(Clone, Debug)]
pub(crate) struct Names<'a> {
    declared: bool,
    vars: Vec<&'a str>,
    /// foldhash, not SipHash: every name of the formula is looked up here.
    index: HashMap<&'a str, usize, RandomState>,
}

/// What a name before `(` turned out to be.
#[derive(Debug)]
pub(crate) enum Callee {
    Func(Func),
    /// A constant or a declared variable: `x(y)` is the product `x·(y)`.
    Factor(ExprKind),
}

impl<'a> Names<'a> {
    /// Every name that is not a function or constant will be a variable.
    pub(crate) fn free() -> Self {
        Names {
            declared: false,
            vars: Vec::new(),
            index: HashMap::default(),
        }
    }

    /// Exactly `vars` are variables, in that order.
    pub(crate) fn declared(vars: &[&'a str]) -> Result<Self, ParseError> {
        if vars.len() > MAX_VARS {
            let message = format!(
                "too many variables declared ({}; the limit is {MAX_VARS})",
                vars.len()
            );
            return Err(ParseError::new(
                ErrorKind::TooLarge,
                message,
                Span::new(0, 0),
            ));
        }
        let mut index = HashMap::with_capacity_and_hasher(vars.len(), RandomState::default());
        // A name that is a constant or function stays one (the callers reject such
        // declarations); keeping it out of the index lets `resolve` look variables up first.
        let variables = vars.iter().enumerate().filter(|(_, v)| !is_reserved(v));
        for (i, v) in variables {
            index.entry(*v).or_insert(i);
        }
        Ok(Names {
            declared: true,
            vars: vars.to_vec(),
            index,
        })
    }

    /// The variable names, in index order.
    pub(crate) fn into_vars(self) -> Vec<String> {
        self.vars.into_iter().map(str::to_owned).collect()
    }

    /// Takes in the variables `other` has beyond these (a later piece of the same source,
    /// read with a copy of these names): where each of `other`'s variables now is, in
    /// `other`'s order (empty where declared names leave every variable in place), or
    /// `None` past [`MAX_VARS`].
    pub(crate) fn merge(&mut self, other: &Names<'a>) -> Option<Vec<usize>> {
        if self.declared {
            return Some(Vec::new());
        }
        let mut positions = Vec::with_capacity(other.vars.len());
        for &name in &other.vars {
            let i = match self.index.get(name) {
                Some(&i) => i,
                None if self.vars.len() >= MAX_VARS => return None,
                None => self.push_var(name),
            };
            positions.push(i);
        }
        Some(positions)
    }

    /// Resolves a name that stands alone (not before `(`).
    pub(crate) fn resolve(&mut self, name: &'a str, span: Span) -> Result<ExprKind, ParseError> {
        if let Some(&i) = self.index.get(name) {
            return Ok(ExprKind::Var(VarIndex(i)));
        }
        check_len(name, span)?;
        if let Some(c) = constant(name) {
            return Ok(ExprKind::Constant(c));
        }
        if let Some(error) = keyword_error(name, span) {
            return Err(error);
        }
        if let Some(f) = Func::from_name(name) {
            let message = format!(
                "function `{name}` needs parentheses: `{name}({})`",
                f.parameters()
            );
            return Err(ParseError::new(ErrorKind::MissingCallParens, message, span));
        }
        if self.declared {
            return Err(self.unknown_name(name, span));
        }
        if self.vars.len() >= MAX_VARS {
            let message = format!("too many variables (more than {MAX_VARS})");
            return Err(ParseError::new(ErrorKind::TooLarge, message, span));
        }
        Ok(ExprKind::Var(VarIndex(self.push_var(name))))
    }

    /// A new variable, after the others: its position.
    fn push_var(&mut self, name: &'a str) -> usize {
        self.index.insert(name, self.vars.len());
        self.vars.push(name);
        self.vars.len() - 1
    }

    /// Resolves the name of `name(args)`; `args` is the source text from `(` to `)`.
    pub(crate) fn callee(&self, name: &str, span: Span, args: &str) -> Result<Callee, ParseError> {
        check_len(name, span)?;
        if let Some(f) = Func::from_name(name) {
            return Ok(Callee::Func(f));
        }
        if let Some(c) = constant(name) {
            return Ok(Callee::Factor(ExprKind::Constant(c)));
        }
        if let Some(error) = keyword_error(name, span) {
            return Err(error);
        }
        if self.declared
            && let Some(&i) = self.index.get(name)
        {
            return Ok(Callee::Factor(ExprKind::Var(VarIndex(i))));
        }
        Err(self.unknown_function(name, span, args))
    }

    fn unknown_name(&self, name: &str, span: Span) -> ParseError {
        let mut hint = self.listing();
        if let Some(parts) = self.split(name) {
            hint.push_str(&format!("; did you mean `{}`?", parts.join("*")));
        }
        ParseError::new(
            ErrorKind::UnknownName,
            format!("unknown variable `{name}`"),
            span,
        )
        .with_hint(hint)
    }

    fn unknown_function(&self, name: &str, span: Span, args: &str) -> ParseError {
        let args = if args.len() <= 40 { args } else { "(…)" };
        let error = ParseError::new(
            ErrorKind::UnknownFunction,
            format!("unknown function `{name}`"),
            span,
        );
        if let Some(product) = self.function_suffix(name) {
            return error.with_hint(format!("did you mean `{product}{args}`?"));
        }
        let functions: Vec<&str> = function_names().collect();
        let mut hint = format!("expected one of {}", backticked(&functions));
        if !self.declared {
            hint.push_str(&format!("; write `{name}*{args}` for a product"));
        }
        error.with_hint(hint)
    }

    /// `xsin` → `x*sin`: the name is a variable (or product of them) times a function.
    fn function_suffix(&self, name: &str) -> Option<String> {
        function_names().find_map(|f| {
            let prefix = name.strip_suffix(f).filter(|p| !p.is_empty())?;
            let factors = if self.declared {
                self.split(prefix)
                    .or_else(|| self.index.contains_key(prefix).then(|| vec![prefix]))?
            } else {
                vec![prefix]
            };
            Some(format!("{}*{f}", factors.join("*")))
        })
    }

    /// "the variables are `x`, `y`", shortened when the list is long.
    fn listing(&self) -> String {
        match self.vars.as_slice() {
            [] => "no variables are declared".to_owned(),
            [only] => format!("the only variable is `{only}`"),
            vars if vars.len() <= LISTED_VARS => format!("the variables are {}", backticked(vars)),
            vars => format!(
                "the variables are {}, … ({} more)",
                backticked(&vars[..LISTED_VARS]),
                vars.len() - LISTED_VARS
            ),
        }
    }

    /// The fewest declared names (or constants) that concatenate to `name`, if at least two.
    pub(crate) fn split<'n>(&self, name: &'n str) -> Option<Vec<&'n str>> {
        let known = |part: &str| self.index.contains_key(part) || constant(part).is_some();
        let bounds: Vec<usize> = name
            .char_indices()
            .map(|(i, _)| i)
            .chain([name.len()])
            .collect();
        // best[k]: (parts, previous bound) of the best split of name[..bounds[k]].
        let mut best: Vec<Option<(usize, usize)>> = vec![None; bounds.len()];
        best[0] = Some((0, 0));
        for end in 1..bounds.len() {
            best[end] = (0..end)
                .filter_map(|start| {
                    let (parts, _) = best[start]?;
                    known(&name[bounds[start]..bounds[end]]).then_some((parts + 1, start))
                })
                .min_by_key(|(parts, _)| *parts);
        }
        let (parts, _) = best[bounds.len() - 1]?;
        if parts < 2 {
            return None;
        }
        let mut split = Vec::with_capacity(parts);
        let mut end = bounds.len() - 1;
        while end > 0 {
            let (_, start) = best[end]?;
            split.push(&name[bounds[start]..bounds[end]]);
            end = start;
        }
        split.reverse();
        Some(split)
    }
}

/// Whether `name` is a constant's or a function's name in formulas (`e`, `pi`, `sin`, `σ`…),
/// which no variable or parameter may take.
///
/// ```
/// assert!(symgrad_grammar::is_reserved("π"));
/// assert!(symgrad_grammar::is_reserved("ln_1p"));
/// assert!(!symgrad_grammar::is_reserved("x"));
/// ```
pub fn is_reserved(name: &str) -> bool {
    constant(name).is_some() || Func::from_name(name).is_some() || KEYWORDS.contains(&name)
}

/// The words of conditions (SPEC §7), which are never variables.
const KEYWORDS: [&str; 4] = ["if", "and", "or", "not"];

/// The error for a keyword where an expression was expected: a condition's word used as a
/// number, or `if` without its three arguments.
fn keyword_error(name: &str, span: Span) -> Option<ParseError> {
    let hint = match name {
        "if" => return Some(diagnose::if_arguments(span)),
        "and" | "or" => "`and` and `or` join conditions, as in `if(x > 0 and y > 0, a, b)`",
        "not" => "`not(…)` negates a condition, as in `if(not(x > 0), a, b)`",
        _ => return None,
    };
    let message = format!("`{name}` is a word of conditions, not a number");
    Some(ParseError::new(ErrorKind::Syntax, message, span).with_hint(hint))
}

/// `e`, `pi` and `π`.
fn constant(name: &str) -> Option<Constant> {
    match name {
        "e" => Some(Constant::E),
        "pi" | "π" => Some(Constant::Pi),
        _ => None,
    }
}

fn check_len(name: &str, span: Span) -> Result<(), ParseError> {
    if name.len() <= MAX_NAME_LEN {
        return Ok(());
    }
    let message = format!(
        "name too long ({} bytes; the limit is {MAX_NAME_LEN})",
        name.len()
    );
    Err(ParseError::new(ErrorKind::TooLarge, message, span))
}

/// "`a`, `b`, `c`"
fn backticked(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    quoted.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn declared(vars: &[&'static str]) -> Names<'static> {
        Names::declared(vars).expect("few variables")
    }

    #[test]
    fn splits_into_declared_names() {
        assert_eq!(declared(&["x", "y"]).split("xy"), Some(vec!["x", "y"]));
    }

    #[test]
    fn split_tries_every_cut() {
        assert_eq!(
            declared(&["ab", "a", "bc"]).split("abc"),
            Some(vec!["a", "bc"])
        );
    }

    #[test]
    fn split_prefers_fewest_parts() {
        assert_eq!(
            declared(&["a", "b", "ab", "c"]).split("abc"),
            Some(vec!["ab", "c"])
        );
    }

    #[test]
    fn split_may_use_constants() {
        assert_eq!(declared(&["x"]).split("ex"), Some(vec!["e", "x"]));
    }

    #[test]
    fn no_split_of_unrelated_name() {
        assert_eq!(declared(&["x", "y"]).split("xz"), None);
    }

    #[test]
    fn split_handles_multibyte_letters() {
        assert_eq!(declared(&["θ", "x"]).split("θx"), Some(vec!["θ", "x"]));
    }

    #[test]
    fn constants_and_every_function_name_are_reserved() {
        for name in ["e", "pi", "π", "σ", "log", "exp_m1", "ln_1p"] {
            assert!(is_reserved(name), "{name}");
        }
        for f in Func::ALL {
            assert!(is_reserved(f.name()), "{f}");
        }
        for name in ["x", "E", "exp1", "powi", "recip"] {
            assert!(!is_reserved(name), "{name}");
        }
    }

    #[test]
    fn hints_list_every_function_with_sigma_after_sigmoid() {
        let names: Vec<&str> = function_names().collect();
        assert_eq!(names.len(), Func::ALL.len() + 1);
        let sigmoid = names.iter().position(|n| *n == "sigmoid");
        assert_eq!(sigmoid.map(|i| names[i + 1]), Some("σ"));
    }
}
