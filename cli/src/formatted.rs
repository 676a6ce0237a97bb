//! Generated items as `symgrad rust` prints them: parsed and laid out by prettyplease.

use crate::input::Failure;
use crate::progress::Progress;

/// The generated items, formatted.
pub fn unparse(tokens: proc_macro2::TokenStream, progress: Progress) -> Result<String, Failure> {
    progress.set_stage("formatting");
    let file: syn::File = syn::parse2(tokens).map_err(|e| {
        Failure::new(
            format!("internal error: the generated code does not parse: {e}"),
            Some("please report this formula".to_string()),
        )
    })?;
    let formatted = prettyplease::unparse(&file);
    progress.finish();
    Ok(formatted)
}
