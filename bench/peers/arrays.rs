//! The runtime-tape peer on the lecture's two-layer net (`symgrad_bench::arrays`): the
//! same net written once, generically over the scalar, on one flat slice of every
//! parameter and the input (`NetParams::flat`'s order), the way a user of a runtime
//! autodiff crate writes it; differentiated by echidna 0.15 (its per-call Adept-style tape,
//! and its bytecode tape recorded once and replayed).
//!
//! Shared by `benches/arrays.rs` and `tests/arrays.rs` through `#[path]`.

#![allow(dead_code)] // each includer uses a different part

use echidna::bytecode_tape::BytecodeTape;
use echidna::scalar::Scalar as _;
use echidna::{BReverse, Reverse};
use num_traits::Float;
use symgrad_bench::arrays::{
    C, D, H, LogisticData, NetParams, boxed_net_grad, flat_grad, logistic_by_hand, logistic_rows,
    logistic_rows_one_statement,
};

/// Length of the flat parameter vector: `w1`, `b1`, `w2`, `b2`, `x`.
pub const FLAT: usize = D * H + H + C * H + C + D;

/// The net of `symgrad_bench::arrays::net` on the flat vector `p`, for any scalar.
pub fn net_flat<T: Float>(p: &[T], y: usize) -> T {
    let (w1, rest) = p.split_at(D * H);
    let (b1, rest) = rest.split_at(H);
    let (w2, rest) = rest.split_at(C * H);
    let (b2, x) = rest.split_at(C);
    let mut h = [T::zero(); H];
    for (j, h) in h.iter_mut().enumerate() {
        let mut z = b1[j];
        for (w, &x) in w1[j * D..(j + 1) * D].iter().zip(x) {
            z = z + *w * x;
        }
        *h = z.max(T::zero());
    }
    let mut s = [T::zero(); C];
    for (k, s) in s.iter_mut().enumerate() {
        let mut t = b2[k];
        for (w, &h) in w2[k * H..(k + 1) * H].iter().zip(&h) {
            t = t + *w * h;
        }
        *s = t;
    }
    let mut m = s[0];
    for &s in &s[1..] {
        m = m.max(s);
    }
    let mut total = T::zero();
    for &s in &s {
        total = total + (s - m).exp();
    }
    m + total.ln() - s[y]
}

/// echidna's reverse mode with its Adept-style tape, recorded anew at every call (about
/// 6.2·10⁵ operations): value and the flat gradient.
#[inline]
pub fn echidna_tape(p: &[f64], y: usize) -> (f64, Vec<f64>) {
    let mut value = f64::NAN;
    let grad = echidna::grad(
        |v: &[Reverse<f64>]| {
            let out = net_flat(v, y);
            value = out.value();
            out
        },
        p,
    );
    (value, grad)
}

/// echidna's bytecode tape: recorded once at a point (the ReLUs and the max are `Max`
/// opcodes, re-decided at each replay), replayed forward and reverse at every call.
pub struct EchidnaBytecode {
    tape: BytecodeTape<f64>,
    adjoints: Vec<f64>,
}

impl EchidnaBytecode {
    pub fn record(p: &[f64], y: usize) -> Self {
        let (tape, _) = echidna::record(|v: &[BReverse<f64>]| net_flat(v, y), p);
        EchidnaBytecode {
            tape,
            adjoints: Vec::new(),
        }
    }

    /// Operations on the tape.
    pub fn ops(&self) -> usize {
        self.tape.num_ops()
    }

    #[inline]
    pub fn grad(&mut self, p: &[f64]) -> (f64, Vec<f64>) {
        let grad = self.tape.gradient_with_buf(p, &mut self.adjoints);
        (self.tape.output_value(), grad)
    }
}

/// The largest `|a - b| / max(|a|, |b|, 1)` over a value and gradient pair.
pub fn max_difference(a: (f64, &[f64]), b: (f64, &[f64])) -> f64 {
    assert_eq!(a.1.len(), b.1.len(), "gradients of one length");
    std::iter::once((a.0, b.0))
        .chain(a.1.iter().copied().zip(b.1.iter().copied()))
        .map(|(a, b)| {
            if a == b {
                0.0
            } else {
                (a - b).abs() / a.abs().max(b.abs()).max(1.0)
            }
        })
        .fold(0.0, f64::max)
}

/// Largest difference accepted between two contenders (as `peers/agree.rs`).
pub const TOLERANCE: f64 = 1e-12;

/// A contender: the value and the flat gradient at the checked point.
type Contender<'a> = Box<dyn FnMut() -> (f64, Vec<f64>) + 'a>;

/// Every contender on the net, checked against the hand-written gradient at `params`
/// (twice each: a contender that keeps state between calls must give the same answer):
/// `contender: largest difference` for each that differs by more than [`TOLERANCE`].
pub fn net_disagreements(params: &NetParams) -> Vec<String> {
    let flat = params.flat();
    let mut g = boxed_net_grad();
    let hand_value = params.by_hand(&mut g);
    let hand = flat_grad(&g);
    let mut bytecode = EchidnaBytecode::record(&flat, params.y);
    let mut contenders: Vec<(&str, Contender<'_>)> = vec![
        (
            "generated",
            Box::new(|| {
                let mut g = boxed_net_grad();
                (params.generated(&mut g), flat_grad(&g))
            }),
        ),
        ("echidna", Box::new(|| echidna_tape(&flat, params.y))),
        ("echidna-bytecode", Box::new(|| bytecode.grad(&flat))),
    ];
    let mut out = Vec::new();
    let forward = params.value();
    if max_difference((forward, &[]), (hand_value, &[])) > TOLERANCE {
        out.push(format!(
            "forward: value {forward}, hand-written {hand_value}"
        ));
    }
    for (name, f) in &mut contenders {
        for _ in 0..2 {
            let (value, grad) = f();
            let d = max_difference((value, &grad), (hand_value, &hand));
            if d > TOLERANCE {
                out.push(format!("{name}: differs by {d:e} (relative)"));
            }
        }
    }
    out
}

/// The logistic contenders against the hand-written one on `data`, as
/// [`net_disagreements`].
pub fn logistic_disagreements(data: &LogisticData) -> Vec<String> {
    let LogisticData { w, b, xs, ys } = data;
    let (value, dw, db) = logistic_by_hand(w, *b, xs, ys);
    let hand: Vec<f64> = dw.iter().copied().chain([db]).collect();
    let (v1, g1) = logistic_rows::grad(w, *b, xs, ys);
    let (v2, g2) = logistic_rows_one_statement::grad(w, *b, xs, ys);
    let contenders = [
        ("generated", v1, g1.w, g1.b),
        ("generated-one-statement", v2, g2.w, g2.b),
    ];
    let mut out = Vec::new();
    let forward = logistic_rows(w, *b, xs, ys);
    if max_difference((forward, &[]), (value, &[])) > TOLERANCE {
        out.push(format!("forward: value {forward}, hand-written {value}"));
    }
    for (name, v, gw, gb) in contenders {
        let grad: Vec<f64> = gw.iter().copied().chain([gb]).collect();
        let d = max_difference((v, &grad), (value, &hand));
        if d > TOLERANCE {
            out.push(format!("{name}: differs by {d:e} (relative)"));
        }
    }
    out
}
