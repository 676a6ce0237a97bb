//! Generated items laid out without a syntax tree: a statement a line, braces opening
//! blocks, lines wrapped near [`WIDTH`] columns. Linear in time and memory, for code too big
//! for prettyplease, which holds syn's tree of the whole file and its own layout state:
//! 49 MB of Rust from a 10⁵-node formula took it 9 s and 2.4 GB, and the 10⁶-node one
//! was killed by the kernel at 23 GB.
//!
//! Only whitespace differs from the tokens' own text: a space or a line break goes where
//! the tokens allow one, so the text parses back to the same tokens.

use proc_macro2::{Delimiter, Spacing, TokenStream, TokenTree};

/// Columns after which a line breaks at the next place a space could go.
const WIDTH: usize = 100;

/// Keywords after which a group keeps its space (`let (a, b)`, `in [..]`), unlike a call.
const KEYWORDS: &[&str] = &[
    "as", "else", "for", "if", "impl", "in", "let", "match", "move", "mut", "return", "where",
    "while", "dyn", "const", "static",
];

/// `tokens` as text, one statement a line.
pub fn layout(tokens: TokenStream) -> String {
    let mut out = Layout::default();
    // An explicit stack of open groups: nesting follows the formula, whose depth is
    // limited, but a layout needs no recursion at all.
    let mut stack: Vec<(proc_macro2::token_stream::IntoIter, Delimiter)> =
        vec![(tokens.into_iter(), Delimiter::None)];
    while let Some((iter, delimiter)) = stack.last_mut() {
        let delimiter = *delimiter;
        let Some(tree) = iter.next() else {
            stack.pop();
            if !stack.is_empty() {
                out.close(delimiter);
            }
            continue;
        };
        match tree {
            TokenTree::Group(group) => {
                out.open(group.delimiter());
                stack.push((group.stream().into_iter(), group.delimiter()));
            }
            TokenTree::Ident(ident) => out.word(&ident.to_string(), Last::Word(is_keyword(&ident))),
            TokenTree::Literal(literal) => out.word(&literal.to_string(), Last::Word(false)),
            TokenTree::Punct(punct) => out.punct(punct.as_char(), punct.spacing(), delimiter),
        }
    }
    let end = out.text.trim_end().len();
    out.text.truncate(end);
    out.text.push('\n');
    out.text
}

fn is_keyword(ident: &proc_macro2::Ident) -> bool {
    KEYWORDS.iter().any(|k| ident == k)
}

/// What was written last, which decides the space before the next token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Last {
    /// The start of a line.
    LineStart,
    /// An identifier or literal; `true` for a keyword.
    Word(bool),
    /// A punctuation character; `true` when joined to the next one (`::`, `->`, `'a`).
    Punct(char, bool),
    /// An opening delimiter.
    Open,
    /// A closing delimiter; `true` for the bracket of an attribute `#[…]`.
    Close(bool),
}

#[derive(Debug)]
struct Layout {
    text: String,
    indent: usize,
    line_start: usize,
    last: Last,
    /// Whether each open bracket group is an attribute's.
    attributes: Vec<bool>,
    /// The last two punctuation characters, to see `#[` and `#![`.
    before_last: Option<char>,
}

impl Default for Layout {
    fn default() -> Self {
        Layout {
            text: String::new(),
            indent: 0,
            line_start: 0,
            last: Last::LineStart,
            attributes: Vec::new(),
            before_last: None,
        }
    }
}

impl Layout {
    fn newline(&mut self) {
        if self.last == Last::LineStart {
            return;
        }
        self.text.push('\n');
        self.line_start = self.text.len();
        for _ in 0..self.indent {
            self.text.push_str("    ");
        }
        self.last = Last::LineStart;
    }

    /// A space where `spaced` says so, or a line break there once the line is long.
    fn separate(&mut self, spaced: bool) {
        if !spaced || self.last == Last::LineStart {
            return;
        }
        if self.text.len() - self.line_start > WIDTH {
            self.indent += 1;
            self.newline();
            self.indent -= 1;
        } else {
            self.text.push(' ');
        }
    }

    /// Whether the last token ends a `::`.
    fn after_path_separator(&self) -> bool {
        self.last == Last::Punct(':', false) && self.before_last == Some(':')
    }

    fn word(&mut self, text: &str, last: Last) {
        let spaced = !(matches!(
            self.last,
            Last::Open | Last::Punct(_, true) | Last::Punct('.' | '#' | '$', _)
        ) || self.after_path_separator());
        self.separate(spaced);
        self.text.push_str(text);
        self.last = last;
    }

    fn punct(&mut self, c: char, spacing: Spacing, within: Delimiter) {
        let joined_before = matches!(self.last, Last::Punct(_, true));
        let tight = matches!(c, ',' | ';' | '.' | '?')
            || (c == ':' && !matches!(self.last, Last::Punct(':', _)) && !joined_before)
            || (c == '!' && matches!(self.last, Last::Word(false)));
        let spaced = !tight
            && !joined_before
            && !matches!(self.last, Last::Open | Last::Punct('.' | '#', _));
        self.separate(spaced);
        self.text.push(c);
        self.before_last = match self.last {
            Last::Punct(p, _) => Some(p),
            _ => None,
        };
        self.last = Last::Punct(c, spacing == Spacing::Joint);
        match c {
            ';' if matches!(within, Delimiter::Brace | Delimiter::None) => self.newline(),
            ',' if within == Delimiter::Brace => self.newline(),
            _ => {}
        }
    }

    fn open(&mut self, delimiter: Delimiter) {
        let attribute = delimiter == Delimiter::Bracket
            && (self.last == Last::Punct('#', false)
                || (self.last == Last::Punct('!', false) && self.before_last == Some('#')));
        let call = matches!(
            self.last,
            Last::Word(false) | Last::Close(false) | Last::Punct('!', _)
        ) && delimiter != Delimiter::Brace;
        let spaced = !call
            && !attribute
            && !matches!(
                self.last,
                Last::Open | Last::Punct('.' | '#', _) | Last::Punct(_, true)
            );
        let spaced = spaced || delimiter == Delimiter::Brace && self.last != Last::LineStart;
        self.separate(spaced);
        match delimiter {
            Delimiter::Parenthesis => self.text.push('('),
            Delimiter::Bracket => self.text.push('['),
            Delimiter::Brace => {
                self.text.push('{');
                self.indent += 1;
                self.last = Last::Open;
                self.newline();
                self.attributes.push(false);
                return;
            }
            Delimiter::None => {}
        }
        self.attributes.push(attribute);
        self.last = Last::Open;
    }

    fn close(&mut self, delimiter: Delimiter) {
        let attribute = self.attributes.pop().unwrap_or(false);
        match delimiter {
            Delimiter::Parenthesis => self.text.push(')'),
            Delimiter::Bracket => self.text.push(']'),
            Delimiter::Brace => {
                self.indent = self.indent.saturating_sub(1);
                if self.last == Last::LineStart {
                    // An empty or finished block: its `}` goes back to the block's indent.
                    self.text.truncate(self.line_start);
                    for _ in 0..self.indent {
                        self.text.push_str("    ");
                    }
                } else {
                    self.newline();
                }
                self.text.push('}');
                self.last = Last::Close(false);
                self.newline();
                return;
            }
            Delimiter::None => {}
        }
        self.last = Last::Close(attribute);
        if attribute {
            self.newline();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    fn same_tokens(text: &str, tokens: &TokenStream) {
        let parsed: TokenStream = text.parse().expect("the layout lexes");
        assert_eq!(parsed.to_string(), tokens.to_string(), "{text}");
    }

    #[test]
    fn statements_take_a_line_each_and_blocks_indent() {
        let tokens = quote! {
            #[inline]
            pub fn f(x: f64, v: [f64; 2]) -> (f64, [f64; 2]) {
                let (t1, t2): (f64, f64);
                t1 = x.sin();
                t2 = -t1 * gates::sigmoid(x) + 2.0;
                (t2, [t1, v[0]])
            }
        };
        let text = layout(tokens.clone());
        assert_eq!(
            text,
            "#[inline]\npub fn f(x: f64, v: [f64; 2]) -> (f64, [f64; 2]) {\n    let (t1, t2): (f64, f64);\n    t1 = x.sin();\n    t2 = - t1 * gates::sigmoid(x) + 2.0;\n    (t2, [t1, v[0]])\n}\n"
        );
        same_tokens(&text, &tokens);
    }

    #[test]
    fn long_lines_wrap_where_a_space_would_go() {
        let names: Vec<proc_macro2::Ident> =
            (0..300).map(|i| quote::format_ident!("t{i}")).collect();
        let tokens = quote! { let (#(#names),*): (f64,); };
        let text = layout(tokens.clone());
        assert!(text.lines().all(|line| line.len() <= WIDTH + 8), "{text}");
        assert!(text.lines().count() > 10);
        same_tokens(&text, &tokens);
    }
}
