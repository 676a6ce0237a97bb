//! Each benchmark formula written once, generically over [`Real`], as a user of a runtime
//! autodiff crate writes it (shared sub-expressions in `let`s, the sigmoid as
//! `1/(1+e^-u)` since no peer has a sigmoid). Inputs are ordered like the formula's `vars`.

use super::real::Real;

/// A formula as generic Rust.
pub trait Body {
    fn eval<T: Real>(x: &[T]) -> T;
}

#[inline]
fn sigmoid<T: Real>(u: T) -> T {
    T::cst(1.0) / (T::cst(1.0) + (-u).exp())
}

/// `symgrad_bench::neuron`.
pub struct Neuron;
impl Body for Neuron {
    #[inline]
    fn eval<T: Real>(x: &[T]) -> T {
        sigmoid(x[0] * x[1] + x[2] * x[3] + x[4])
    }
}

/// `symgrad_bench::net`.
pub struct Net;
impl Body for Net {
    #[inline]
    fn eval<T: Real>(x: &[T]) -> T {
        let (x0, x1) = (x[0], x[1]);
        let h0 = sigmoid(x[2] * x0 + x[3] * x1 + x[4]);
        let h1 = sigmoid(x[5] * x0 + x[6] * x1 + x[7]);
        sigmoid(x[8] * h0 + x[9] * h1 + x[10])
    }
}

/// `symgrad_bench::logistic`.
pub struct Logistic;
impl Body for Logistic {
    #[inline]
    fn eval<T: Real>(x: &[T]) -> T {
        let p = sigmoid(x[0] * x[1] + x[2] * x[3] + x[4]);
        let y = x[5];
        -(y * p.ln() + (T::cst(1.0) - y) * (T::cst(1.0) - p).ln())
    }
}

/// `symgrad_bench::neuron50`, and the neuron of any number of inputs (`formulas::neuron_of`).
pub struct Neuron50;
impl Body for Neuron50 {
    #[inline]
    fn eval<T: Real>(x: &[T]) -> T {
        let (pairs, bias) = x.split_at(x.len() - 1);
        let mut s = bias[0];
        for pair in pairs.chunks_exact(2) {
            s = s + pair[0] * pair[1];
        }
        sigmoid(s)
    }
}

/// `symgrad_bench::deep`.
pub struct Deep;
impl Body for Deep {
    #[inline]
    fn eval<T: Real>(x: &[T]) -> T {
        let mut h = x[0];
        for layer in x[1..].chunks_exact(2) {
            h = sigmoid(layer[0] * h + layer[1]);
        }
        h
    }
}

/// `symgrad_bench::formulas::rosenbrock`.
pub struct Rosenbrock;
impl Body for Rosenbrock {
    #[inline]
    fn eval<T: Real>(x: &[T]) -> T {
        let a = T::cst(1.0) - x[0];
        let b = x[1] - x[0] * x[0];
        a * a + T::cst(100.0) * b * b
    }
}
