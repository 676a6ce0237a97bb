//! `symgrad rust --file F.rs [--fn NAME]`: what `#[derive_grad]` generates for a function
//! of a Rust file (SPEC §8). The file is read with syn, the function's `#[derive_grad…]`
//! attribute is split from the item as rustc splits them for the macro, and both go to
//! `symgrad_expand::derive_grad`, the macro's own expansion: one lowering, one generator.
//! Its `compile_error!`s become diagnostics at the file's line and column.

use std::ops::Range;
use std::path::Path;

use annotate_snippets::{AnnotationKind, Level, Renderer, Snippet};
use proc_macro2::{Span, TokenStream, TokenTree};
use quote::ToTokens;
use syn::ext::IdentExt;
use syn::parse::{Parse, ParseStream};
use syn::spanned::Spanned;
use syn::{Attribute, Item, Meta, Signature, Visibility};

use crate::input::{Failure, list};
use crate::progress::Progress;

/// The largest file read, as for a formula on standard input.
const MAX_FILE_LEN: usize = symgrad_grammar::MAX_SOURCE_LEN;

/// Deepest nesting of groups (and runs of prefix `-`, `!`, `&`, `*`) in the file that syn
/// is asked to parse: syn recurses a few frames per level. The macro's own limit on the
/// function (256) is checked after; this one leaves room for the modules around it.
const MAX_FILE_DEPTH: usize = 384;

/// The most tokens read. syn also recurses in ways no nesting of groups shows (`A<A<…>>`,
/// `*const *const …`, `|x| |x| …`, `break break …`), at most one level per token, each
/// under 5 KiB of a debug build's stack (`break` measured 4.5, `A<` 3.2); this many fit
/// [`EXPAND_STACK`] twice over, and a file of 15 000 ordinary lines has fewer.
const MAX_FILE_TOKENS: usize = 120_000;

/// The stack of the thread that parses and expands: syn's recursion above, and code
/// generation as deep as the macro's limits allow. Reserved, not touched, beyond its use.
const EXPAND_STACK: usize = 1 << 30;

/// The formatted expansion of the chosen function, or a diagnostic (exit status 2).
pub fn run(path: &Path, function: Option<&str>, progress: Progress) -> Result<String, Failure> {
    progress.set_stage("reading");
    let shown = path.display().to_string();
    let source = read(path, &shown)?;
    // Spans live in a thread-local source map, so the file is parsed, expanded and its
    // errors placed on one thread.
    let work = || expand_file(&source, &shown, function, progress);
    std::thread::scope(|scope| {
        match std::thread::Builder::new()
            .stack_size(EXPAND_STACK)
            .spawn_scoped(scope, work)
        {
            Ok(thread) => thread
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            Err(e) => Err(Failure::new(
                format!("cannot start the expanding thread: {e}"),
                None,
            )),
        }
    })
}

fn read(path: &Path, shown: &str) -> Result<String, Failure> {
    let bytes = std::fs::read(path)
        .map_err(|e| Failure::new(format!("cannot read `{shown}`: {e}"), None))?;
    if bytes.len() > MAX_FILE_LEN {
        return Err(Failure::new(
            format!(
                "`{shown}` is too long ({} bytes; the limit is {MAX_FILE_LEN})",
                bytes.len()
            ),
            None,
        ));
    }
    String::from_utf8(bytes).map_err(|e| {
        Failure::new(
            format!(
                "`{shown}` is not UTF-8 (invalid byte at offset {}), so not a Rust file",
                e.utf8_error().valid_up_to()
            ),
            None,
        )
    })
}

fn expand_file(
    source: &str,
    shown: &str,
    function: Option<&str>,
    progress: Progress,
) -> Result<String, Failure> {
    progress.set_stage("parsing");
    let text = without_shebang(source);
    let file = parse(&text, shown)?;
    let mut functions = Vec::new();
    collect(&file.items, "", &mut functions);
    let chosen = choose(functions, function, shown)?;
    let attr = match chosen.attr.meta {
        Meta::Path(_) => TokenStream::new(),
        Meta::List(list) => list.tokens,
        // rustc's own error, before any macro runs.
        Meta::NameValue(nv) => {
            let message =
                "key-value macro attributes are not supported; write `#[derive_grad(\"…\")]`";
            return Err(located(
                &text,
                shown,
                message,
                nv.path.span(),
                nv.value.span(),
            ));
        }
    };
    progress.set_stage("expanding");
    let expansion = symgrad_expand::derive_grad(attr, chosen.item);
    let errors = compile_errors(&expansion);
    if !errors.is_empty() {
        let rendered: Vec<String> = errors
            .iter()
            .map(|(message, range)| render(&text, shown, message, range.clone()))
            .collect();
        return Err(Failure::with_code(rendered.join("\n"), 2));
    }
    crate::formatted::unparse(expansion, progress)
}

/// The file as syn reads it: a byte-order mark dropped, and a `#!` first line (not an
/// inner attribute `#![…]`) blanked, so that lines and columns stay the file's.
fn without_shebang(source: &str) -> String {
    let source = source.strip_prefix('\u{feff}').unwrap_or(source);
    let is_shebang = source
        .strip_prefix("#!")
        .is_some_and(|rest| !rest.trim_start().starts_with('['));
    if !is_shebang {
        return source.to_string();
    }
    let end = source.find('\n').unwrap_or(source.len());
    format!("{}{}", " ".repeat(end), &source[end..])
}

fn parse(text: &str, shown: &str) -> Result<syn::File, Failure> {
    let tokens: TokenStream = text.parse().map_err(|e: proc_macro2::LexError| {
        let span = e.span();
        located(
            text,
            shown,
            &format!(
                "`{shown}` is not Rust: no token can be read from here \
                 (an unclosed delimiter, string or comment?)"
            ),
            span,
            span,
        )
    })?;
    match shape(tokens.clone(), 0, &mut 0) {
        Ok(()) => {}
        Err(Shape::TooDeep(span)) => {
            let message = format!(
                "nested too deeply (more than {MAX_FILE_DEPTH} levels); name intermediate results with `let`"
            );
            return Err(located(text, shown, &message, span, span));
        }
        Err(Shape::TooLong) => {
            return Err(Failure::new(
                format!(
                    "`{shown}` has more than {MAX_FILE_TOKENS} tokens, more than `rust --file` reads"
                ),
                Some("put the `#[derive_grad]` function in a smaller file".to_string()),
            ));
        }
    }
    syn::parse2(tokens).map_err(|e| {
        let message = format!("`{shown}` is not Rust: {e}");
        let (start, end) = (e.span(), e.span());
        located(text, shown, &message, start, end)
    })
}

/// Why a file is not handed to syn.
enum Shape {
    /// The first token nested deeper than [`MAX_FILE_DEPTH`].
    TooDeep(Span),
    /// More than [`MAX_FILE_TOKENS`] tokens.
    TooLong,
}

/// Whether syn may parse `tokens`, nested `depth` deep, with `count` tokens before them;
/// the recursion stops at [`MAX_FILE_DEPTH`].
fn shape(tokens: TokenStream, depth: usize, count: &mut usize) -> Result<(), Shape> {
    let mut prefixes = 0;
    let mut after_operand = false;
    for token in tokens {
        *count += 1;
        if *count > MAX_FILE_TOKENS {
            return Err(Shape::TooLong);
        }
        match token {
            TokenTree::Group(group) => {
                let inner = depth + prefixes + 1;
                if inner > MAX_FILE_DEPTH {
                    return Err(Shape::TooDeep(group.span_open()));
                }
                shape(group.stream(), inner, count)?;
                (prefixes, after_operand) = (0, true);
            }
            TokenTree::Punct(p)
                if matches!(p.as_char(), '-' | '!' | '&' | '*') && !after_operand =>
            {
                prefixes += 1;
                if depth + prefixes > MAX_FILE_DEPTH {
                    return Err(Shape::TooDeep(p.span()));
                }
            }
            TokenTree::Punct(_) => (prefixes, after_operand) = (0, false),
            TokenTree::Ident(_) | TokenTree::Literal(_) => (prefixes, after_operand) = (0, true),
        }
    }
    Ok(())
}

/// A function carrying `#[derive_grad…]`, split as rustc splits it for the macro.
struct Annotated {
    /// `name`, or `module::name` inside inline modules.
    path: String,
    /// The attribute, whose arguments go to the macro.
    attr: Attribute,
    /// The function with its other attributes, without `#[derive_grad…]`.
    item: TokenStream,
}

/// The `#[derive_grad]` functions among `items` and in their inline modules, in order.
fn collect(items: &[Item], module: &str, out: &mut Vec<Annotated>) {
    for item in items {
        match item {
            Item::Fn(_) | Item::Verbatim(_) => {
                // A body-less `fn f(…) -> f64;` is verbatim to syn; both are read alike.
                if let Ok(function) = syn::parse2::<FnItem>(item.to_token_stream()) {
                    out.extend(function.annotated(module));
                }
            }
            Item::Mod(m) => {
                if let Some((_, items)) = &m.content {
                    collect(items, &format!("{module}{}::", m.ident.unraw()), out);
                }
            }
            _ => {}
        }
    }
}

/// `#[attrs] vis fn name(…) …`, with or without a body.
struct FnItem {
    attrs: Vec<Attribute>,
    name: syn::Ident,
    /// The tokens after the attributes.
    rest: TokenStream,
}

impl Parse for FnItem {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let attrs = input.call(Attribute::parse_outer)?;
        let ahead = input.fork();
        ahead.parse::<Visibility>()?;
        let sig: Signature = ahead.parse()?;
        Ok(FnItem {
            attrs,
            name: sig.ident,
            rest: input.parse()?,
        })
    }
}

impl FnItem {
    /// The function split at its first `#[derive_grad…]`, if it has one.
    fn annotated(self, module: &str) -> Option<Annotated> {
        let at = self.attrs.iter().position(is_derive_grad)?;
        let attr = self.attrs[at].clone();
        let mut item = TokenStream::new();
        for (i, other) in self.attrs.iter().enumerate() {
            if i != at {
                other.to_tokens(&mut item);
            }
        }
        item.extend(self.rest);
        Some(Annotated {
            path: format!("{module}{}", self.name.unraw()),
            attr,
            item,
        })
    }
}

/// `#[derive_grad]`, `#[derive_grad(…)]`, `#[symgrad::derive_grad…]` (or `::symgrad::…`).
fn is_derive_grad(attr: &Attribute) -> bool {
    let names: Vec<String> = attr
        .path()
        .segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect();
    matches!(attr.style, syn::AttrStyle::Outer)
        && (names == ["derive_grad"] || names == ["symgrad", "derive_grad"])
}

/// The function `--fn` names (by its path in the file's modules, or else by name), or the
/// only one.
fn choose(
    mut functions: Vec<Annotated>,
    wanted: Option<&str>,
    shown: &str,
) -> Result<Annotated, Failure> {
    let paths: Vec<String> = functions.iter().map(|f| f.path.clone()).collect();
    if functions.is_empty() {
        return Err(Failure::new(
            format!("no `#[derive_grad]` function in `{shown}`"),
            Some(
                "the attribute goes on a function: `#[derive_grad(\"x^2\")] fn f(x: f64) -> f64;` \
                 or `#[derive_grad] fn f(x: f64) -> f64 { … }`"
                    .to_string(),
            ),
        ));
    }
    let Some(wanted) = wanted else {
        if functions.len() == 1 {
            return Ok(functions.remove(0));
        }
        return Err(Failure::new(
            format!(
                "`{shown}` has {} `#[derive_grad]` functions: {}",
                functions.len(),
                list(&paths)
            ),
            Some("choose one with `--fn NAME`".to_string()),
        ));
    };
    let wanted = wanted.trim_start_matches("r#");
    if let Some(i) = functions.iter().position(|f| f.path == wanted) {
        return Ok(functions.swap_remove(i));
    }
    let matching: Vec<usize> = (0..functions.len())
        .filter(|&i| functions[i].path.rsplit("::").next() == Some(wanted))
        .collect();
    match matching[..] {
        [i] => Ok(functions.swap_remove(i)),
        [] => Err(Failure::new(
            format!("no `#[derive_grad]` function `{wanted}` in `{shown}`"),
            Some(format!(
                "the `#[derive_grad]` functions are {}",
                list(&paths)
            )),
        )),
        _ => {
            let named: Vec<String> = matching.iter().map(|&i| paths[i].clone()).collect();
            Err(Failure::new(
                format!(
                    "`{shown}` has {} `#[derive_grad]` functions named `{wanted}`: {}",
                    named.len(),
                    list(&named)
                ),
                Some(format!("name one by its path, e.g. `--fn {}`", named[0])),
            ))
        }
    }
}

/// The `::core::compile_error! { "…" }`s at the top of an expansion (where the macro puts
/// them): each message and the byte range it points at, `None` without one.
fn compile_errors(expansion: &TokenStream) -> Vec<(String, Option<Range<usize>>)> {
    let trees: Vec<TokenTree> = expansion.clone().into_iter().collect();
    trees
        .windows(3)
        .filter_map(|window| match window {
            [
                TokenTree::Ident(name),
                TokenTree::Punct(bang),
                TokenTree::Group(group),
            ] if name == "compile_error" && bang.as_char() == '!' => {
                let message = syn::parse2::<syn::LitStr>(group.stream()).ok()?.value();
                Some((message, byte_range(name.span(), group.span())))
            }
            _ => None,
        })
        .collect()
}

/// The bytes from `start` to `end`; `None` for a span without a place in the file (the
/// call site's, of tokens the expansion made).
fn byte_range(start: Span, end: Span) -> Option<Range<usize>> {
    start.source_text()?;
    let (start, end) = (start.byte_range(), end.byte_range());
    Some(start.start..end.end.max(start.end))
}

/// A failure at the tokens from `start` to `end`.
fn located(text: &str, shown: &str, message: &str, start: Span, end: Span) -> Failure {
    Failure::with_code(render(text, shown, message, byte_range(start, end)), 2)
}

/// `message` like rustc's: `error: …`, `--> F.rs:line:column`, the lines with carets.
fn render(text: &str, shown: &str, message: &str, range: Option<Range<usize>>) -> String {
    let Some(range) = range.filter(|r| r.end <= text.len()) else {
        return format!("error: {message}\n  --> {shown}\n");
    };
    // Only the lines of the span are handed to the renderer, numbered as in the file.
    let first = text[..range.start].rfind('\n').map_or(0, |i| i + 1);
    let last = text[range.end..]
        .find('\n')
        .map_or(text.len(), |i| range.end + i);
    let line = text[..first].matches('\n').count() + 1;
    let snippet = Snippet::source(&text[first..last])
        .path(shown)
        .line_start(line)
        .annotation(AnnotationKind::Primary.span(range.start - first..range.end - first));
    let report = [Level::ERROR.primary_title(message).element(snippet)];
    let mut rendered = Renderer::plain().render(&report);
    rendered.push('\n');
    rendered
}
