//! What the emitter writes into. The emitter decides what each node becomes and counts the
//! operations it writes; a [`Code`] only assembles the pieces. [`TokenStream`] assembles
//! Rust tokens, moving operands into place rather than copying them; [`CountOnly`]
//! assembles nothing, so `ops` is counted by the very logic that writes the code, without
//! building the code.

use proc_macro2::{Delimiter, Group, Ident, Literal, Punct, Spacing, Span, TokenStream, TokenTree};
use quote::{ToTokens, TokenStreamExt};

use crate::codegen::Float;
use crate::codegen::rust_syntax::float_literal;

/// An expression (or a sequence of statements) under construction.
pub(crate) trait Code: Sized {
    /// A node's name once it has one (an [`Ident`], or nothing when counting).
    type Name;
    /// The name `make` returns; `make` is not called when counting.
    fn name(make: impl FnOnce() -> Ident) -> Self::Name;
    /// The expression of a name.
    fn of_name(name: &Self::Name) -> Self;
    fn ident(ident: &Ident) -> Self;
    /// A constant of type `float` (see [`float_literal`]).
    fn literal(float: Float, v: f64) -> Self;
    fn integer(n: i32) -> Self;
    fn empty() -> Self;
    /// `(self)`
    fn parenthesized(self) -> Self;
    /// `-self`
    fn minus(self) -> Self;
    /// `self.method(args)`
    fn method_call(self, method: &str, args: Self) -> Self;
    /// `float::function(x, args)`, `args` possibly empty.
    fn float_call(float: Float, function: &str, x: Self, args: Self) -> Self;
    /// `gates::gate(args…)`
    fn gate_call(gates: &TokenStream, gate: &str, args: Vec<Self>) -> Self;
    /// `&[items…]`, a variadic gate's operands.
    fn slice(items: Vec<Self>) -> Self;
    /// Appends `operator operand` (`+ x`, `/ y`).
    fn push_operator(&mut self, operator: char, operand: Self);
    /// Appends `let name = definition;`.
    fn push_let(&mut self, name: &Self::Name, definition: Self);
    /// Appends `let (names…) = definition;`.
    fn push_let_tuple(&mut self, names: &[Self::Name], definition: Self);
    /// Appends `(names…) = definition;`, for names [`Code::push_declarations`] declared.
    fn push_assignment_tuple(&mut self, names: &[Self::Name], definition: Self);
    /// Appends `let (names…): (F, …);`: the names declared at once, assigned later.
    fn push_declarations(&mut self, float: Float, names: &[Self::Name]);
    /// Appends `name = definition;`, for a name [`Code::push_declarations`] declared.
    fn push_assignment(&mut self, name: &Self::Name, definition: Self);
    /// Appends an operator of two characters or one (`>=`, `&&`, `>`) and its operand.
    fn push_infix(&mut self, operator: &str, operand: Self);
    /// `!self`
    fn not(self) -> Self;
    /// `self` followed by `more` (a branch's `let`s, then its value).
    fn then(self, more: Self) -> Self;
    /// `if condition { then } else { otherwise }`.
    fn if_else(condition: Self, then: Self, otherwise: Self) -> Self;
}

/// Writes nothing: the emitter run only for its operation count.
#[derive(Clone, Copy, Debug)]
pub(crate) struct CountOnly;

impl Code for CountOnly {
    type Name = ();
    fn name(_: impl FnOnce() -> Ident) {}
    fn of_name(_: &()) -> Self {
        CountOnly
    }
    fn ident(_: &Ident) -> Self {
        CountOnly
    }
    fn literal(_: Float, _: f64) -> Self {
        CountOnly
    }
    fn integer(_: i32) -> Self {
        CountOnly
    }
    fn empty() -> Self {
        CountOnly
    }
    fn parenthesized(self) -> Self {
        CountOnly
    }
    fn minus(self) -> Self {
        CountOnly
    }
    fn method_call(self, _: &str, _: Self) -> Self {
        CountOnly
    }
    fn float_call(_: Float, _: &str, _: Self, _: Self) -> Self {
        CountOnly
    }
    fn gate_call(_: &TokenStream, _: &str, _: Vec<Self>) -> Self {
        CountOnly
    }
    fn slice(_: Vec<Self>) -> Self {
        CountOnly
    }
    fn push_operator(&mut self, _: char, _: Self) {}
    fn push_let(&mut self, _: &(), _: Self) {}
    fn push_let_tuple(&mut self, _: &[()], _: Self) {}
    fn push_assignment_tuple(&mut self, _: &[()], _: Self) {}
    fn push_declarations(&mut self, _: Float, _: &[()]) {}
    fn push_assignment(&mut self, _: &(), _: Self) {}
    fn push_infix(&mut self, _: &str, _: Self) {}
    fn not(self) -> Self {
        CountOnly
    }
    fn then(self, _: Self) -> Self {
        CountOnly
    }
    fn if_else(_: Self, _: Self, _: Self) -> Self {
        CountOnly
    }
}

impl Code for TokenStream {
    type Name = Ident;
    fn name(make: impl FnOnce() -> Ident) -> Ident {
        make()
    }
    fn of_name(name: &Ident) -> Self {
        name.to_token_stream()
    }
    fn ident(ident: &Ident) -> Self {
        ident.to_token_stream()
    }
    fn literal(float: Float, v: f64) -> Self {
        float_literal(float, v).0
    }
    fn integer(n: i32) -> Self {
        Literal::i32_unsuffixed(n).into_token_stream()
    }
    fn empty() -> Self {
        TokenStream::new()
    }
    fn parenthesized(self) -> Self {
        TokenTree::Group(Group::new(Delimiter::Parenthesis, self)).into()
    }
    fn minus(self) -> Self {
        let mut out = punct('-');
        out.extend([self]);
        out
    }
    fn method_call(mut self, method: &str, args: Self) -> Self {
        self.append(Punct::new('.', Spacing::Alone));
        self.append(Ident::new(method, Span::call_site()));
        self.append(Group::new(Delimiter::Parenthesis, args));
        self
    }
    fn float_call(float: Float, function: &str, mut x: Self, args: Self) -> Self {
        let mut out = float.to_token_stream();
        append_path_separator(&mut out);
        out.append(Ident::new(function, Span::call_site()));
        if !args.is_empty() {
            x.append(Punct::new(',', Spacing::Alone));
            x.extend([args]);
        }
        out.append(Group::new(Delimiter::Parenthesis, x));
        out
    }
    fn gate_call(gates: &TokenStream, gate: &str, args: Vec<Self>) -> Self {
        let mut out = gates.clone();
        append_path_separator(&mut out);
        out.append(Ident::new(gate, Span::call_site()));
        let mut inner = TokenStream::new();
        for (k, arg) in args.into_iter().enumerate() {
            if k > 0 {
                inner.append(Punct::new(',', Spacing::Alone));
            }
            inner.extend([arg]);
        }
        out.append(Group::new(Delimiter::Parenthesis, inner));
        out
    }
    fn slice(items: Vec<Self>) -> Self {
        quote::quote!(&[#(#items),*])
    }
    fn push_operator(&mut self, operator: char, operand: Self) {
        self.append(Punct::new(operator, Spacing::Alone));
        self.extend([operand]);
    }
    fn push_let(&mut self, name: &Ident, definition: Self) {
        self.append(Ident::new("let", Span::call_site()));
        self.append(name.clone());
        self.append(Punct::new('=', Spacing::Alone));
        self.extend([definition]);
        self.append(Punct::new(';', Spacing::Alone));
    }
    fn push_let_tuple(&mut self, names: &[Ident], definition: Self) {
        self.append(Ident::new("let", Span::call_site()));
        self.push_assignment_tuple(names, definition);
    }
    fn push_assignment_tuple(&mut self, names: &[Ident], definition: Self) {
        self.append(tuple(names));
        self.append(Punct::new('=', Spacing::Alone));
        self.extend([definition]);
        self.append(Punct::new(';', Spacing::Alone));
    }
    fn push_declarations(&mut self, float: Float, names: &[Ident]) {
        // Typed: rustc's type check of a function of 10⁴ `let`s took half the time with
        // the names' types known where they are declared (bench/NOTES.md).
        let types = names.iter().map(|_| float);
        self.extend(quote::quote!(let (#(#names,)*): (#(#types,)*);));
    }
    fn push_assignment(&mut self, name: &Ident, definition: Self) {
        self.append(name.clone());
        self.append(Punct::new('=', Spacing::Alone));
        self.extend([definition]);
        self.append(Punct::new(';', Spacing::Alone));
    }
    fn push_infix(&mut self, operator: &str, operand: Self) {
        let mut chars = operator.chars().peekable();
        while let Some(c) = chars.next() {
            let spacing = if chars.peek().is_some() {
                Spacing::Joint
            } else {
                Spacing::Alone
            };
            self.append(Punct::new(c, spacing));
        }
        self.extend([operand]);
    }
    fn not(self) -> Self {
        let mut out = punct('!');
        out.extend([self]);
        out
    }
    fn then(mut self, more: Self) -> Self {
        self.extend([more]);
        self
    }
    fn if_else(condition: Self, then: Self, otherwise: Self) -> Self {
        let mut out = TokenStream::new();
        out.append(Ident::new("if", Span::call_site()));
        out.extend([condition]);
        out.append(Group::new(Delimiter::Brace, then));
        out.append(Ident::new("else", Span::call_site()));
        out.append(Group::new(Delimiter::Brace, otherwise));
        out
    }
}

/// `(a, b, …,)`.
fn tuple(names: &[Ident]) -> Group {
    let mut inner = TokenStream::new();
    for name in names {
        inner.append(name.clone());
        inner.append(Punct::new(',', Spacing::Alone));
    }
    Group::new(Delimiter::Parenthesis, inner)
}

fn punct(c: char) -> TokenStream {
    TokenTree::Punct(Punct::new(c, Spacing::Alone)).into()
}

/// `::`, as `quote!` writes it.
fn append_path_separator(out: &mut TokenStream) {
    out.append(Punct::new(':', Spacing::Joint));
    out.append(Punct::new(':', Spacing::Alone));
}
