//! Sharing products, so that what reverse mode multiplies out in every partial is
//! computed once: common pairs of factors become nodes ([`share_pairs`], with the index
//! it keeps in `pair_index`), and products reuse needed sub-products
//! (`reuse_sub_products`).

mod pair_index;
mod pairs;
mod sub_products;

pub use pairs::share_pairs;
pub(crate) use sub_products::reuse_sub_products;
