//! Every contender of one formula, each a closure `&[f64; N] -> (value, gradient)`, handed
//! one by one to a [`Visit`]or (which checks or times them). Setup that a user does once
//! (recording a bytecode tape, compiling the interpreter's program) happens here, outside
//! the closures; everything a user does per gradient happens inside.

use std::array;

use ad_trait::reverse_ad::adr::adr;
use echidna::scalar::Scalar as _;
use echidna::{BReverse, Reverse};
use num_dual::DualSVec64;
use symgrad_bench::{Bench, Interpreter, formulas, generated, hand};

use super::bodies::{Body, Deep, Logistic, Net, Neuron, Neuron50};

/// Receives each contender of a formula in turn.
pub trait Visit {
    /// Called once per formula, before its contenders.
    fn formula(&mut self, bench: &Bench);
    fn contender<const N: usize, F>(&mut self, name: &str, point: &[f64; N], f: F)
    where
        F: FnMut(&[f64; N]) -> (f64, [f64; N]);
}

/// Visits every contender of every benchmark formula. Adding a contender for all
/// formulas is one line in [`contenders`]; adding a formula is one line here.
pub fn each_formula(v: &mut impl Visit) {
    contenders::<Neuron, 5>(&formulas::neuron(), hand::neuron, generated::neuron_grad, v);
    contenders::<Net, 11>(&formulas::net(), hand::net, generated::net_grad, v);
    contenders::<Logistic, 6>(
        &formulas::logistic(),
        hand::logistic,
        generated::logistic_grad,
        v,
    );
    contenders::<Neuron50, { hand::NEURON50_VARS }>(
        &formulas::neuron50(),
        hand::neuron50,
        generated::neuron50_grad,
        v,
    );
    contenders::<Deep, { hand::DEEP_VARS }>(&formulas::deep(), hand::deep, generated::deep_grad, v);
}

/// Every contender of the formula `B` (`bench` in math notation), hand-written first: the
/// others are checked and reported against it. The compiled contenders come in as `impl Fn`
/// (a function item), so, like the peers' generic functions, they are called directly and
/// may be inlined into the timing loop, never through a function pointer.
fn contenders<B: Body, const N: usize>(
    bench: &Bench,
    hand: impl Fn(&[f64; N]) -> (f64, [f64; N]),
    generated: impl Fn(&[f64; N]) -> (f64, [f64; N]),
    v: &mut impl Visit,
) {
    let point = bench.point_array::<N>();
    v.formula(bench);
    v.contender("hand-written", &point, |x: &[f64; N]| hand(x));
    v.contender("generated", &point, |x: &[f64; N]| generated(x));
    v.contender("num-dual", &point, num_dual::<B, N>);
    v.contender("echidna", &point, echidna_tape::<B, N>);
    let mut bytecode = EchidnaBytecode::<N>::record::<B>(&point);
    v.contender("echidna-bytecode", &point, |x: &[f64; N]| bytecode.grad(x));
    v.contender("ad_trait", &point, ad_trait_reverse::<B, N>);
    let interpreter = Interpreter::new(bench);
    v.contender("interpreter", &point, |x: &[f64; N]| {
        let (value, grad) = interpreter.grad(x);
        (value, to_array(&grad))
    });
}

fn to_array<const N: usize>(v: &[f64]) -> [f64; N] {
    v.try_into().expect("one partial per input")
}

/// Forward mode with `N`-wide vector duals: value and gradient in one pass.
#[inline]
fn num_dual<B: Body, const N: usize>(x: &[f64; N]) -> (f64, [f64; N]) {
    let vars: [DualSVec64<N>; N] = array::from_fn(|i| DualSVec64::from_re(x[i]).derivative(i));
    let y = B::eval(&vars);
    let grad = y.eps.0.map_or([0.0; N], |g| array::from_fn(|i| g[i]));
    (y.re, grad)
}

/// echidna's reverse mode with its Adept-style tape, recorded anew at each point.
#[inline]
fn echidna_tape<B: Body, const N: usize>(x: &[f64; N]) -> (f64, [f64; N]) {
    let mut value = f64::NAN;
    let grad = echidna::grad(
        |v: &[Reverse<f64>]| {
            let y = B::eval(v);
            value = y.value();
            y
        },
        x,
    );
    (value, to_array(&grad))
}

/// echidna's bytecode tape: recorded once, replayed forward and reverse at each point.
struct EchidnaBytecode<const N: usize> {
    tape: echidna::bytecode_tape::BytecodeTape<f64>,
    adjoints: Vec<f64>,
}

impl<const N: usize> EchidnaBytecode<N> {
    fn record<B: Body>(x: &[f64; N]) -> Self {
        let (tape, _) = echidna::record(|v: &[BReverse<f64>]| B::eval(v), x);
        EchidnaBytecode {
            tape,
            adjoints: Vec::new(),
        }
    }

    #[inline]
    fn grad(&mut self, x: &[f64; N]) -> (f64, [f64; N]) {
        let grad = self.tape.gradient_with_buf(x, &mut self.adjoints);
        (self.tape.output_value(), to_array(&grad))
    }
}

/// ad_trait's reverse mode (`adr`) on its global computation graph, reset at each point.
#[inline]
fn ad_trait_reverse<B: Body, const N: usize>(x: &[f64; N]) -> (f64, [f64; N]) {
    let vars: [adr; N] = array::from_fn(|i| adr::new_variable(x[i], i == 0));
    let y = B::eval(&vars);
    let adjoints = y.get_backwards_mode_grad();
    (y.value(), array::from_fn(|i| adjoints.wrt(&vars[i])))
}
