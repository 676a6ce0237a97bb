//! The second-order contenders of each formula of `formulas::second_order()`, handed to a
//! [`VisitSecond`]or (which checks or times them) in two groups: `hessian-NAME` (the
//! generated `f::hessian`, a hand-written Hessian where there is one, num-dual's
//! `hessian`, echidna's bytecode-tape `hessian`) and `hvp-NAME` (the generated `f::hvp`,
//! echidna's `hvp_with_buf`, and the generated `f::grad` that the HVP is measured against).
//! num-dual's Hessian of the n = 200 neuron (a dense 401×401 matrix per operation) is left
//! out of debug builds: it takes a minute there, in the agreement test.
//! Each contender returns its own crate's result type; [`Flat`] lists its numbers for the
//! check only, so no conversion is timed. Recording echidna's tape is setup, outside.

use echidna::BReverse;
use nalgebra::{DVector, DefaultAllocator, Dim, OMatrix, OVector, SVector, allocator::Allocator};
use num_dual::{Dual2DVec64, Dual2SVec64, DualNum};
use symgrad_bench::{Bench, formulas, hand, second};

use super::bodies::{Body, Neuron50, Rosenbrock};

/// A contender's result as numbers: a Hessian's value, gradient and rows; an HVP's
/// gradient and `H·v`; a gradient's partials (checked against the HVP's gradient).
pub trait Flat {
    fn flat(&self) -> Vec<f64>;
}

impl<const N: usize> Flat for (f64, [f64; N], [[f64; N]; N]) {
    fn flat(&self) -> Vec<f64> {
        let rows = self.2.iter().flatten();
        std::iter::once(self.0)
            .chain(self.1)
            .chain(rows.copied())
            .collect()
    }
}

impl Flat for (f64, Vec<f64>, Vec<Vec<f64>>) {
    fn flat(&self) -> Vec<f64> {
        let rows = self.2.iter().flatten();
        std::iter::once(self.0)
            .chain(self.1.iter().chain(rows).copied())
            .collect()
    }
}

impl<D: Dim> Flat for (f64, OVector<f64, D>, OMatrix<f64, D, D>)
where
    DefaultAllocator: Allocator<D> + Allocator<D, D>,
{
    fn flat(&self) -> Vec<f64> {
        // nalgebra stores columns; the Hessian is symmetric only up to rounding, so rows.
        let rows = self
            .2
            .row_iter()
            .flat_map(|r| r.iter().copied().collect::<Vec<_>>());
        std::iter::once(self.0)
            .chain(self.1.iter().copied())
            .chain(rows)
            .collect()
    }
}

impl<const N: usize> Flat for (f64, [f64; N], [f64; N]) {
    fn flat(&self) -> Vec<f64> {
        self.1.iter().chain(&self.2).copied().collect()
    }
}

impl Flat for (Vec<f64>, Vec<f64>) {
    fn flat(&self) -> Vec<f64> {
        self.0.iter().chain(&self.1).copied().collect()
    }
}

impl<const N: usize> Flat for (f64, [f64; N]) {
    fn flat(&self) -> Vec<f64> {
        self.1.to_vec()
    }
}

/// Receives each group and its contenders in turn; the first contender of a group is the
/// reference the others are checked against.
pub trait VisitSecond {
    fn group(&mut self, name: String);
    fn contender<R: Flat>(&mut self, name: &str, f: impl FnMut() -> R);
}

/// Visits every second-order contender of every formula.
pub fn each_formula(v: &mut impl VisitSecond) {
    let [n5, n50, n200, rosenbrock] = &formulas::second_order()[..] else {
        unreachable!("four second-order formulas")
    };
    contenders::<Neuron50, { second::neuron5::N }, _>(
        n5,
        None::<fn(&[f64; 11]) -> (f64, [f64; 11], [[f64; 11]; 11])>,
        second::neuron5::hessian,
        second::neuron5::hvp,
        second::neuron5::grad,
        (second::neuron5::hvp_called, second::neuron5::grad_called),
        Some(|x: &[f64; 11]| num_dual_static(neuron_dual, x)),
        v,
    );
    contenders::<Neuron50, { second::neuron50::N }, _>(
        n50,
        None::<fn(&[f64; 101]) -> (f64, [f64; 101], [[f64; 101]; 101])>,
        second::neuron50::hessian,
        second::neuron50::hvp,
        second::neuron50::grad,
        (second::neuron50::hvp_called, second::neuron50::grad_called),
        Some(|x: &[f64; 101]| num_dual_dynamic(neuron_dual, x)),
        v,
    );
    contenders::<Neuron50, { second::neuron200::N }, _>(
        n200,
        None::<fn(&[f64; 401]) -> (f64, [f64; 401], [[f64; 401]; 401])>,
        second::neuron200::hessian,
        second::neuron200::hvp,
        second::neuron200::grad,
        (
            second::neuron200::hvp_called,
            second::neuron200::grad_called,
        ),
        (!cfg!(debug_assertions)).then_some(|x: &[f64; 401]| num_dual_dynamic(neuron_dual, x)),
        v,
    );
    contenders::<Rosenbrock, 2, _>(
        rosenbrock,
        Some(hand::rosenbrock_hessian),
        second::rosenbrock::hessian,
        second::rosenbrock::hvp,
        second::rosenbrock::grad,
        (
            second::rosenbrock::hvp_called,
            second::rosenbrock::grad_called,
        ),
        Some(|x: &[f64; 2]| num_dual_static(rosenbrock_dual, x)),
        v,
    );
}

/// The direction of every HVP: deterministic, of mixed signs, not a unit vector.
pub fn direction<const N: usize>() -> [f64; N] {
    std::array::from_fn(|i| ((i * 29 + 7) % 17) as f64 / 8.0 - 1.0)
}

#[allow(clippy::too_many_arguments)]
fn contenders<B: Body, const N: usize, R: Flat>(
    bench: &Bench,
    hand: Option<impl Fn(&[f64; N]) -> (f64, [f64; N], [[f64; N]; N])>,
    hessian: impl Fn(&[f64; N]) -> (f64, [f64; N], [[f64; N]; N]),
    hvp: impl Fn(&[f64; N], &[f64; N]) -> (f64, [f64; N], [f64; N]),
    grad: impl Fn(&[f64; N]) -> (f64, [f64; N]),
    called: Called<N>,
    num_dual: Option<impl FnMut(&[f64; N]) -> R>,
    v: &mut impl VisitSecond,
) {
    use std::hint::black_box;
    let x = bench.point_array::<N>();
    let (tape, _) = echidna::record(|v: &[BReverse<f64>]| B::eval(v), &x);
    v.group(format!("hessian-{}", bench.name));
    if let Some(hand) = hand {
        v.contender("hand-written", || hand(black_box(&x)));
    }
    v.contender("generated", || hessian(black_box(&x)));
    if let Some(mut num_dual) = num_dual {
        v.contender("num-dual", || num_dual(black_box(&x)));
    }
    v.contender("echidna-bytecode", || tape.hessian(black_box(&x)));
    hvp_contenders::<B, N>(bench, hvp, grad, called, v);
}

/// `hvp` and `grad` behind calls (`#[inline(never)]`), timed too.
type Called<const N: usize> = (
    fn(&[f64; N], &[f64; N]) -> (f64, [f64; N], [f64; N]),
    fn(&[f64; N]) -> (f64, [f64; N]),
);

/// The HVP contenders of a formula: the generated `hvp`, echidna's, the generated `grad`,
/// and the generated `hvp` and `grad` again behind calls.
fn hvp_contenders<B: Body, const N: usize>(
    bench: &Bench,
    hvp: impl Fn(&[f64; N], &[f64; N]) -> (f64, [f64; N], [f64; N]),
    grad: impl Fn(&[f64; N]) -> (f64, [f64; N]),
    called: Called<N>,
    v: &mut impl VisitSecond,
) {
    use std::hint::black_box;
    let x = bench.point_array::<N>();
    let dir = direction::<N>();
    let (tape, _) = echidna::record(|v: &[BReverse<f64>]| B::eval(v), &x);
    v.group(format!("hvp-{}", bench.name));
    v.contender("generated", || hvp(black_box(&x), black_box(&dir)));
    let (mut duals, mut adjoints) = (Vec::new(), Vec::new());
    v.contender("echidna-bytecode", || {
        tape.hvp_with_buf(black_box(&x), black_box(&dir), &mut duals, &mut adjoints)
    });
    v.contender("gradient", || grad(black_box(&x)));
    let (hvp_called, grad_called) = called;
    v.contender("generated-called", || {
        hvp_called(black_box(&x), black_box(&dir))
    });
    v.contender("gradient-called", || grad_called(black_box(&x)));
}

/// num-dual's `hessian` with `Dual2SVec64<N>`: the derivatives inline, for small `N` (an
/// input is `N² + N + 1` numbers, so 101 inputs would be 8 MB of them on the stack).
#[inline]
fn num_dual_static<const N: usize>(
    f: impl Fn(&[Dual2SVec64<N>]) -> Dual2SVec64<N>,
    x: &[f64; N],
) -> (
    f64,
    SVector<f64, N>,
    OMatrix<f64, nalgebra::Const<N>, nalgebra::Const<N>>,
) {
    num_dual::hessian(
        |v: SVector<Dual2SVec64<N>, N>| f(v.as_slice()),
        &SVector::from(*x),
    )
}

/// num-dual's `hessian` with `Dual2DVec64`: the derivatives on the heap, for large `N`.
#[inline]
fn num_dual_dynamic<const N: usize>(
    f: impl Fn(&[Dual2DVec64]) -> Dual2DVec64,
    x: &[f64; N],
) -> (
    f64,
    DVector<f64>,
    OMatrix<f64, nalgebra::Dyn, nalgebra::Dyn>,
) {
    num_dual::hessian(
        |v: DVector<Dual2DVec64>| f(v.as_slice()),
        &DVector::from_column_slice(x),
    )
}

/// [`Neuron50`]'s body (any number of inputs) for num-dual's second-order numbers, which
/// are `Clone`, not `Copy`, when their derivatives are on the heap.
fn neuron_dual<T: DualNum<Primitive = f64>>(x: &[T]) -> T {
    let (pairs, bias) = x.split_at(x.len() - 1);
    let mut s = bias[0].clone();
    for pair in pairs.chunks_exact(2) {
        s += pair[0].clone() * &pair[1];
    }
    T::one() / (T::one() + (-s).exp())
}

/// [`Rosenbrock`]'s body for num-dual's second-order numbers.
fn rosenbrock_dual<T: DualNum<Primitive = f64>>(x: &[T]) -> T {
    let a = T::one() - x[0].clone();
    let b = x[1].clone() - x[0].clone() * &x[0];
    a.clone() * &a + b.clone() * &b * 100.0
}

/// Checks each contender of a group against its first, to [`super::agree::TOLERANCE`].
#[derive(Debug, Default)]
pub struct SecondAgreement {
    group: String,
    reference: Vec<f64>,
    /// `group/contender: what differs`, empty when all agree.
    pub disagreements: Vec<String>,
    /// `(group, contender)` of every contender checked.
    pub checked: Vec<(String, String)>,
}

impl VisitSecond for SecondAgreement {
    fn group(&mut self, name: String) {
        self.group = name;
        self.reference.clear();
    }

    fn contender<R: Flat>(&mut self, name: &str, mut f: impl FnMut() -> R) {
        use super::agree::{TOLERANCE, relative_difference};
        // Twice: a contender that keeps buffers between calls must give the same answer.
        for _ in 0..2 {
            let result = f().flat();
            if self.reference.is_empty() {
                self.reference = result;
                continue;
            }
            // A gradient is checked against the HVP's gradient, the first part.
            if result.len() != self.reference.len() && !name.starts_with("gradient") {
                self.disagreements.push(format!(
                    "{}/{name}: {} numbers, expected {}",
                    self.group,
                    result.len(),
                    self.reference.len()
                ));
            }
            for (i, (a, b)) in result.iter().zip(&self.reference).enumerate() {
                if relative_difference(*a, *b) > TOLERANCE {
                    self.disagreements
                        .push(format!("{}/{name}: [{i}] is {a}, expected {b}", self.group));
                }
            }
        }
        self.checked.push((self.group.clone(), name.to_string()));
    }
}
