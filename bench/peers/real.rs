//! The operations the benchmark formulas need, implemented for plain `f64` and for each
//! peer's number type by forwarding to that crate's own methods.

use std::ops::{Add, Div, Mul, Neg, Sub};

use ad_trait::AD;
use ad_trait::reverse_ad::adr::adr;
use echidna::{BReverse, Reverse};
use num_dual::{DualNum, DualSVec64};

/// A differentiable scalar.
pub trait Real:
    Copy
    + Add<Output = Self>
    + Sub<Output = Self>
    + Mul<Output = Self>
    + Div<Output = Self>
    + Neg<Output = Self>
{
    /// A constant (zero derivative).
    fn cst(c: f64) -> Self;
    fn exp(self) -> Self;
    fn ln(self) -> Self;
}

impl Real for f64 {
    #[inline]
    fn cst(c: f64) -> Self {
        c
    }
    #[inline]
    fn exp(self) -> Self {
        f64::exp(self)
    }
    #[inline]
    fn ln(self) -> Self {
        f64::ln(self)
    }
}

impl<const N: usize> Real for DualSVec64<N> {
    #[inline]
    fn cst(c: f64) -> Self {
        DualSVec64::from_re(c)
    }
    #[inline]
    fn exp(self) -> Self {
        DualNum::exp(&self)
    }
    #[inline]
    fn ln(self) -> Self {
        DualNum::ln(&self)
    }
}

/// Implements [`Real`] for a type whose `exp`/`ln` come from the trait `$float`.
macro_rules! real_via {
    ($($ty:ty => $cst:expr, $float:path;)*) => {$(
        impl Real for $ty {
            #[inline]
            fn cst(c: f64) -> Self {
                $cst(c)
            }
            #[inline]
            fn exp(self) -> Self {
                <$ty as $float>::exp(self)
            }
            #[inline]
            fn ln(self) -> Self {
                <$ty as $float>::ln(self)
            }
        }
    )*};
}

real_via! {
    Reverse<f64> => Reverse::constant, num_traits::Float;
    BReverse<f64> => BReverse::constant, num_traits::Float;
    // ad_trait implements `exp`/`ln` through simba's `ComplexField`, not num-traits.
    adr => <adr as AD>::constant, ad_trait::nalgebra::ComplexField;
}
