//! The annotated function: attributes, visibility, signature, and a body or a `;`.

use proc_macro2::TokenStream;
use quote::ToTokens;
use syn::parse::{Parse, ParseStream};
use syn::{Attribute, Block, Signature, Token, Visibility};

/// `#[attrs] vis fn name(params) -> F { body }` or `… -> F;`.
pub(crate) struct GradFn {
    pub attrs: Vec<Attribute>,
    pub vis: Visibility,
    pub sig: Signature,
    /// `None` for a body-less function (`fn f(…) -> f64;`).
    pub body: Option<Block>,
}

impl Parse for GradFn {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let attrs = input.call(Attribute::parse_outer)?;
        let vis: Visibility = input.parse()?;
        let sig: Signature = input.parse()?;
        let body = if input.parse::<Option<Token![;]>>()?.is_some() {
            None
        } else {
            Some(input.parse()?)
        };
        Ok(GradFn {
            attrs,
            vis,
            sig,
            body,
        })
    }
}

impl GradFn {
    /// The attributes, as tokens to put back on the generated `fn`.
    pub fn attr_tokens(&self) -> TokenStream {
        let mut tokens = TokenStream::new();
        for attr in &self.attrs {
            attr.to_tokens(&mut tokens);
        }
        tokens
    }
}
