//! A cheap linear tokenizer that mirrors the grammar's tokens. It never decides whether a
//! formula is valid (pest does); the depth pre-scan and the error messages use it to see
//! what surrounds a position without recursion.

use crate::ast::Span;

/// A token's class.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Tok {
    Number,
    Name,
    Open,
    Close,
    Comma,
    /// `+`, `-` or `−`: a sign or a sum operator, depending on what precedes it.
    AddSign,
    /// `*`, `/`, `·`, `×`, `÷`.
    MulOp,
    /// `^` or `**`.
    PowOp,
    /// Any character no token starts with.
    Other,
}

impl Tok {
    /// Whether a complete operand ends with this token (so a following `+` is binary).
    pub(crate) fn ends_operand(self) -> bool {
        matches!(self, Tok::Number | Tok::Name | Tok::Close)
    }
}

/// Iterates over the tokens of `source` with their byte spans, skipping whitespace.
pub(crate) fn tokens(source: &str) -> Lexer<'_> {
    Lexer { source, pos: 0 }
}

#[derive(Debug)]
pub(crate) struct Lexer<'s> {
    source: &'s str,
    pos: usize,
}

impl Iterator for Lexer<'_> {
    type Item = (Tok, Span);

    fn next(&mut self) -> Option<(Tok, Span)> {
        let rest = self.source.get(self.pos..)?;
        let skipped = rest.len() - rest.trim_start_matches([' ', '\t', '\r', '\n']).len();
        self.pos += skipped;
        let rest = &rest[skipped..];
        let c = rest.chars().next()?;
        let start = self.pos;
        let (tok, len) = match c {
            '0'..='9' => (Tok::Number, number_len(rest)),
            '.' if rest[1..].starts_with(|d: char| d.is_ascii_digit()) => {
                (Tok::Number, number_len(rest))
            }
            '(' => (Tok::Open, 1),
            ')' => (Tok::Close, 1),
            ',' => (Tok::Comma, 1),
            '+' | '-' | '−' => (Tok::AddSign, c.len_utf8()),
            '*' if rest.starts_with("**") => (Tok::PowOp, 2),
            '^' => (Tok::PowOp, 1),
            '*' | '/' | '·' | '×' | '÷' => (Tok::MulOp, c.len_utf8()),
            'σ' | 'π' => (Tok::Name, c.len_utf8()),
            _ if is_name_letter(c) => (Tok::Name, name_len(rest)),
            _ => (Tok::Other, c.len_utf8()),
        };
        self.pos += len;
        Some((tok, Span::new(start, start + len)))
    }
}

/// A letter that may appear in a longer name (the grammar's `name_letter`).
pub(crate) fn is_name_letter(c: char) -> bool {
    c.is_alphabetic() && c != 'σ' && c != 'π'
}

/// Length of the number at the start of `s` (the grammar's `number`).
fn number_len(s: &str) -> usize {
    let b = s.as_bytes();
    let digits = |i: usize| b[i..].iter().take_while(|d| d.is_ascii_digit()).count();
    let mut i = digits(0);
    if b.get(i) == Some(&b'.') {
        i += 1 + digits(i + 1);
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        let mut j = i + 1;
        if matches!(b.get(j), Some(b'+' | b'-')) {
            j += 1;
        } else if s[j..].starts_with('−') {
            j += '−'.len_utf8();
        }
        let d = digits(j);
        if d > 0 {
            i = j + d;
        }
    }
    i
}

/// Length of the name at the start of `s`: letters, digits, then `_suffix` parts; or
/// `log1mexp`, the one function name with letters after a digit.
fn name_len(s: &str) -> usize {
    if let Some(after) = s.strip_prefix("log1mexp")
        && !after.starts_with(|c: char| is_name_letter(c) || c.is_ascii_digit() || c == '_')
    {
        return "log1mexp".len();
    }
    let letters: usize = s
        .chars()
        .take_while(|c| is_name_letter(*c))
        .map(char::len_utf8)
        .sum();
    let mut i = letters + s[letters..].bytes().take_while(u8::is_ascii_digit).count();
    while s[i..].starts_with('_') {
        let part: usize = s[i + 1..]
            .chars()
            .take_while(|c| is_name_letter(*c) || c.is_ascii_digit())
            .map(char::len_utf8)
            .sum();
        if part == 0 {
            break;
        }
        i += 1 + part;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(s: &str) -> Vec<(Tok, &str)> {
        tokens(s).map(|(t, sp)| (t, &s[sp.start..sp.end])).collect()
    }

    #[test]
    fn splits_like_the_grammar() {
        use Tok::*;
        assert_eq!(
            kinds("2e3 2e w0x0 y_hat x_ ** σx −.5"),
            vec![
                (Number, "2e3"),
                (Number, "2"),
                (Name, "e"),
                (Name, "w0"),
                (Name, "x0"),
                (Name, "y_hat"),
                (Name, "x"),
                (Other, "_"),
                (PowOp, "**"),
                (Name, "σ"),
                (Name, "x"),
                (AddSign, "−"),
                (Number, ".5"),
            ]
        );
    }
}
