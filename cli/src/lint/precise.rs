//! The high-precision evaluator: a graph's every node in `astro-float` numbers at a given
//! precision, each operation of the op table by its mathematical definition (a gate by its
//! stable source's formula, `ln_1p` and `exp_m1` without the cancellation their naive
//! forms have at any finite precision). The match over [`Op`] is exhaustive, so an op
//! added to the table without a high-precision evaluation does not compile.

use astro_float::{BigFloat, Consts, RoundingMode, Sign};
use symgrad_core::{Graph, Node, Op};

const RM: RoundingMode = RoundingMode::ToEven;

/// Evaluates graphs at one precision, keeping the constants (π, ln 2) it has computed.
pub struct Precise {
    /// Bits of mantissa of every result.
    pub bits: usize,
    consts: Consts,
}

impl std::fmt::Debug for Precise {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Precise({} bits)", self.bits)
    }
}

impl Precise {
    /// An evaluator at `bits` bits of mantissa.
    pub fn new(bits: usize) -> Self {
        // Consts::new only fails when memory cannot be allocated.
        let consts = Consts::new().unwrap_or_else(|e| panic!("astro-float constants: {e:?}"));
        Precise { bits, consts }
    }

    /// Every node of `g` at the point `vars` (eagerly, both branches of a select: no
    /// side effects, and the select picks the taken one).
    pub fn run_all(&mut self, g: &Graph, vars: &[f64]) -> Vec<BigFloat> {
        let mut values: Vec<BigFloat> = Vec::with_capacity(g.len());
        for id in g.ids() {
            let v = match g.node(id) {
                Node::Const(c) => from_f64(c.value(), self.bits),
                Node::Var(i) => from_f64(vars.get(i as usize).copied().unwrap_or(f64::NAN), 64),
                Node::Apply(op, args) => {
                    let a: Vec<&BigFloat> = args.iter().map(|a| &values[a.index()]).collect();
                    self.apply(op, &a)
                }
            };
            values.push(v);
        }
        values
    }

    /// `op(x…)` at this precision.
    pub fn apply(&mut self, op: Op, x: &[&BigFloat]) -> BigFloat {
        let p = self.bits;
        match op {
            Op::Add => x[1..].iter().fold(x[0].clone(), |s, t| s.add(t, p, RM)),
            Op::Mul => x[1..].iter().fold(x[0].clone(), |s, t| s.mul(t, p, RM)),
            Op::Pow => self.pow(x[0], x[1]),
            Op::Exp => x[0].exp(p, RM, &mut self.consts),
            Op::Ln => self.ln(x[0]),
            Op::Ln1p => self.ln_1p(x[0]),
            Op::ExpM1 => self.exp_m1(x[0]),
            Op::Sin => x[0].sin(p, RM, &mut self.consts),
            Op::Cos => x[0].cos(p, RM, &mut self.consts),
            Op::Tan => x[0].tan(p, RM, &mut self.consts),
            Op::Asin => self.in_unit(x[0], |x, p, c| x.asin(p, RM, c)),
            Op::Acos => self.in_unit(x[0], |x, p, c| x.acos(p, RM, c)),
            Op::Atan => x[0].atan(p, RM, &mut self.consts),
            Op::Sinh => x[0].sinh(p, RM, &mut self.consts),
            Op::Cosh => x[0].cosh(p, RM, &mut self.consts),
            Op::Tanh => x[0].tanh(p, RM, &mut self.consts),
            Op::Abs => x[0].abs(),
            Op::Sigmoid => self.sigmoid(x[0]),
            // σ'(x) = e^-|x| / (1 + e^-|x|)².
            Op::SigmoidPrime => {
                let (e, d) = self.exp_minus_abs_and_one_plus(x[0]);
                e.div(&d, p, RM).div(&d, p, RM)
            }
            // softplus(x) = max(x, 0) + ln(1 + e^-|x|).
            Op::Softplus => {
                let e = self.exp_minus_abs(x[0]);
                let positive = if x[0].is_positive() && !x[0].is_zero() {
                    x[0].clone()
                } else {
                    BigFloat::new(p)
                };
                positive.add(&self.ln_1p(&e), p, RM)
            }
            Op::Relu => {
                if x[0].is_nan() || greater(x[0], &BigFloat::new(p)) {
                    x[0].clone()
                } else {
                    BigFloat::new(p)
                }
            }
            Op::Max => pick(greater(x[1], x[0]), x[1], x[0]),
            Op::Min => pick(greater(x[0], x[1]), x[1], x[0]),
            Op::Sign => {
                if x[0].is_nan() {
                    x[0].clone()
                } else if x[0].is_zero() {
                    BigFloat::new(p)
                } else if x[0].is_positive() {
                    one(p)
                } else {
                    one(p).neg()
                }
            }
            Op::Select => pick(greater(x[0], &BigFloat::new(p)), x[1], x[2]),
            Op::Ge => truth(matches!(x[0].cmp(x[1]), Some(c) if c >= 0), p),
            Op::Gt => truth(greater(x[0], x[1]), p),
            // ln(1 - e^x): the branch of the gate's source keeps it exact-enough here too.
            Op::Log1mexp => {
                let minus_ln_2 = BigFloat::from_f64(-std::f64::consts::LN_2, p);
                if greater(x[0], &minus_ln_2) {
                    let m = self.exp_m1(x[0]).neg();
                    self.ln(&m)
                } else {
                    let e = x[0].exp(p, RM, &mut self.consts).neg();
                    self.ln_1p(&e)
                }
            }
            Op::LeakyRelu => {
                if greater(x[0], &BigFloat::new(p)) {
                    x[0].clone()
                } else {
                    x[1].mul(x[0], p, RM)
                }
            }
            Op::Elu => {
                if greater(x[0], &BigFloat::new(p)) {
                    x[0].clone()
                } else {
                    x[1].mul(&self.exp_m1(x[0]), p, RM)
                }
            }
            Op::EluSlope => {
                if greater(x[0], &BigFloat::new(p)) {
                    one(p)
                } else {
                    x[1].mul(&x[0].exp(p, RM, &mut self.consts), p, RM)
                }
            }
            Op::HuberSlope => {
                let magnitude = x[0].abs();
                if greater(&magnitude, x[1]) || magnitude.is_nan() || x[1].is_nan() {
                    let sign = self.apply(Op::Sign, &[x[0]]);
                    x[1].mul(&sign, p, RM)
                } else {
                    x[0].clone()
                }
            }
            Op::Huber => {
                let magnitude = x[0].abs();
                if greater(&magnitude, x[1]) || magnitude.is_nan() || x[1].is_nan() {
                    let half_d = x[1].div(&BigFloat::from_f64(2.0, p), p, RM);
                    x[1].mul(&magnitude.sub(&half_d, p, RM), p, RM)
                } else {
                    x[0].mul(x[0], p, RM)
                        .div(&BigFloat::from_f64(2.0, p), p, RM)
                }
            }
            Op::Clamp => {
                if greater(x[1], x[0]) {
                    x[1].clone()
                } else if greater(x[0], x[2]) {
                    x[2].clone()
                } else {
                    x[0].clone()
                }
            }
            // x·σ(z), z = c·x·(1 + k·x²) with the f64 constants the gate uses, so that what
            // is measured is the evaluation's rounding, not the constants'.
            Op::Gelu => {
                let c = BigFloat::from_f64(1.595_769_121_605_730_7, p);
                let k = BigFloat::from_f64(0.044715, p);
                let x2 = x[0].mul(x[0], p, RM);
                let inner = one(p).add(&k.mul(&x2, p, RM), p, RM);
                let z = c.mul(x[0], p, RM).mul(&inner, p, RM);
                x[0].mul(&self.sigmoid(&z), p, RM)
            }
            Op::Silu => x[0].mul(&self.sigmoid(x[0]), p, RM),
            // m + ln_1p(Σ e^(x - m)) over the operands but the largest, as the gate.
            Op::Logsumexp => self.logsumexp(x),
            Op::Hypot => {
                let s = x[0].mul(x[0], p, RM).add(&x[1].mul(x[1], p, RM), p, RM);
                s.sqrt(p, RM)
            }
        }
    }

    /// `a^b` as f64's `powf`/`powi` define it on negative bases and zero.
    fn pow(&mut self, a: &BigFloat, b: &BigFloat) -> BigFloat {
        let p = self.bits;
        if a.is_nan() || b.is_nan() {
            return if b.is_zero() { one(p) } else { nan() };
        }
        if b.is_int()
            && !b.is_inf()
            && let Some(n) = small_integer(b)
        {
            let power = a.powi(n.unsigned_abs() as usize, p, RM);
            return if n < 0 {
                one(p).div(&power, p, RM)
            } else {
                power
            };
        }
        if a.is_negative() && !a.is_zero() {
            return nan();
        }
        if a.is_zero() {
            return if b.is_positive() {
                BigFloat::new(p)
            } else {
                astro_float::INF_POS
            };
        }
        a.pow(b, p, RM, &mut self.consts)
    }

    fn ln(&mut self, x: &BigFloat) -> BigFloat {
        if x.is_zero() {
            astro_float::INF_NEG
        } else if x.is_negative() {
            nan()
        } else {
            x.ln(self.bits, RM, &mut self.consts)
        }
    }

    /// `ln(1 + x)`: `x - x²/2` below 2^-p (exact to about 2p bits), else `1 + x` formed at
    /// twice the precision, so the sum keeps at least p bits of `x`.
    fn ln_1p(&mut self, x: &BigFloat) -> BigFloat {
        let p = self.bits;
        if tiny(x, p) {
            return x.sub(&half_square(x, p), p, RM);
        }
        let s = one(p).add(x, 2 * p, RM);
        if s.is_zero() {
            return astro_float::INF_NEG;
        }
        if s.is_negative() {
            return nan();
        }
        s.ln(p, RM, &mut self.consts)
    }

    /// `e^x - 1`: `x + x²/2` below 2^-p, else the difference at twice the precision.
    fn exp_m1(&mut self, x: &BigFloat) -> BigFloat {
        let p = self.bits;
        if tiny(x, p) {
            return x.add(&half_square(x, p), p, RM);
        }
        let e = x.exp(2 * p, RM, &mut self.consts);
        e.sub(&one(p), p, RM)
    }

    /// `ln(e^a + e^b + …)`: the largest `m` plus `ln_1p` of the others' `e^(x - m)`, so
    /// that no exponential leaves the exponent range and a sum next to 1 keeps its digits.
    fn logsumexp(&mut self, x: &[&BigFloat]) -> BigFloat {
        if let Some(nan) = x.iter().find(|v| v.is_nan()) {
            return (*nan).clone();
        }
        let Some(top) = (0..x.len()).reduce(|top, i| if greater(x[i], x[top]) { i } else { top })
        else {
            return astro_float::INF_NEG;
        };
        let m = x[top];
        if m.is_inf() {
            return m.clone();
        }
        let p = self.bits;
        let mut rest = BigFloat::new(p);
        for (_, v) in x.iter().enumerate().filter(|&(i, _)| i != top) {
            let e = v.sub(m, p, RM).exp(p, RM, &mut self.consts);
            rest = rest.add(&e, p, RM);
        }
        m.add(&self.ln_1p(&rest), p, RM)
    }

    /// `asin`/`acos`: NaN outside [-1, 1], as in f64.
    fn in_unit(
        &mut self,
        x: &BigFloat,
        f: impl Fn(&BigFloat, usize, &mut Consts) -> BigFloat,
    ) -> BigFloat {
        if matches!(x.abs().cmp(&one(self.bits)), Some(c) if c > 0) || x.is_nan() {
            return nan();
        }
        f(x, self.bits, &mut self.consts)
    }

    /// σ(x) = 1/(1 + e^-x), with e^-|x| as the gate's source writes it, so that no
    /// exponential leaves the exponent range.
    fn sigmoid(&mut self, x: &BigFloat) -> BigFloat {
        let (e, d) = self.exp_minus_abs_and_one_plus(x);
        let numerator = if positive_or_zero(x) {
            one(self.bits)
        } else {
            e
        };
        numerator.div(&d, self.bits, RM)
    }

    fn exp_minus_abs(&mut self, x: &BigFloat) -> BigFloat {
        x.abs().neg().exp(self.bits, RM, &mut self.consts)
    }

    fn exp_minus_abs_and_one_plus(&mut self, x: &BigFloat) -> (BigFloat, BigFloat) {
        let e = self.exp_minus_abs(x);
        let d = one(self.bits).add(&e, self.bits, RM);
        (e, d)
    }
}

/// `v` exactly. `BigFloat::from_f64` halves subnormal doubles (astro-float 0.9: 2^-1074
/// comes out as 2^-1075), so those are scaled into the normal range first and back by
/// an exact product.
pub fn from_f64(v: f64, p: usize) -> BigFloat {
    if v != 0.0 && v.abs() < f64::MIN_POSITIVE {
        let up = BigFloat::from_f64(v * 2f64.powi(600), p.max(64));
        up.mul(&BigFloat::from_f64(2f64.powi(-600), 64), p.max(64), RM)
    } else {
        BigFloat::from_f64(v, p)
    }
}

/// The nearest f64 to `x` (ties to even), subnormals and overflow included.
pub fn to_f64(x: &BigFloat) -> f64 {
    if x.is_nan() {
        return f64::NAN;
    }
    let negative = x.sign() == Some(Sign::Neg);
    let signed = |v: f64| if negative { -v } else { v };
    if x.is_inf() {
        return signed(f64::INFINITY);
    }
    if x.is_zero() {
        return signed(0.0);
    }
    // Scaled far from the doubles' subnormal range first: astro-float keeps numbers
    // built from subnormal doubles with unnormalized mantissas, and a product renormalizes.
    let p = x.precision().unwrap_or(64) + 64;
    let shift = BigFloat::from_f64(2f64.powi(SHIFT / 2), 64);
    let z = x.abs().mul(&shift, p, RM).mul(&shift, p, RM);
    let Some(ez) = z.exponent() else {
        return f64::NAN;
    };
    // |x| lies in [2^(e-1), 2^e).
    let e = i64::from(ez) - i64::from(SHIFT);
    if e > 1024 {
        return signed(f64::INFINITY);
    }
    if e < -1074 {
        return signed(0.0);
    }
    if e == -1074 {
        // [2^-1075, 2^-1074): the tie 2^-1075 goes to even, 0.
        let half = BigFloat::from_f64(2f64.powi(SHIFT - 1075), 64);
        let above = matches!(z.cmp(&half), Some(c) if c > 0);
        return signed(if above { f64::from_bits(1) } else { 0.0 });
    }
    let bits = if e >= -1021 { 53 } else { (e + 1074) as usize };
    let mut y = z;
    if y.set_precision(bits, RM).is_err() {
        return f64::NAN;
    }
    let (Some(ey), Some((words, _, _, _, _))) = (y.exponent(), y.as_raw_parts()) else {
        return f64::NAN;
    };
    let e = i64::from(ey) - i64::from(SHIFT);
    if e > 1024 {
        return signed(f64::INFINITY);
    }
    let Some(&top) = words.last() else {
        return f64::NAN;
    };
    // `top` holds every kept bit (at most 53), so the conversion and the scaling are exact.
    signed(scale(
        top as f64,
        e - i64::from(astro_float::WORD_BIT_SIZE as i32),
    ))
}

/// The power of two [`to_f64`] scales by (even, and its half a normal double).
const SHIFT: i32 = 1200;

/// `v·2^k`, in steps that stay exact for the values [`to_f64`] scales.
fn scale(mut v: f64, mut k: i64) -> f64 {
    while k > 1000 {
        v *= two_to(1000);
        k -= 1000;
    }
    while k < -1000 {
        v *= two_to(-1000);
        k += 1000;
    }
    v * two_to(k)
}

fn two_to(k: i64) -> f64 {
    f64::from_bits(((k + 1023) as u64) << 52)
}

fn one(p: usize) -> BigFloat {
    BigFloat::from_f64(1.0, p)
}

fn nan() -> BigFloat {
    astro_float::NAN
}

fn truth(b: bool, p: usize) -> BigFloat {
    if b { one(p) } else { BigFloat::new(p) }
}

fn pick(first: bool, a: &BigFloat, b: &BigFloat) -> BigFloat {
    if first { a.clone() } else { b.clone() }
}

/// `a > b`; false when either is NaN, as in f64.
fn greater(a: &BigFloat, b: &BigFloat) -> bool {
    matches!(a.cmp(b), Some(c) if c > 0)
}

fn positive_or_zero(x: &BigFloat) -> bool {
    x.is_zero() || x.is_positive()
}

/// `x²/2` at twice the precision: the second term of `ln_1p`'s and `exp_m1`'s series.
fn half_square(x: &BigFloat, p: usize) -> BigFloat {
    let two = BigFloat::from_f64(2.0, p);
    x.mul(x, 2 * p, RM).div(&two, 2 * p, RM)
}

/// `|x| < 2^-p`.
fn tiny(x: &BigFloat, p: usize) -> bool {
    x.is_zero() || x.exponent().is_some_and(|e| i64::from(e) < -(p as i64))
}

/// An integer exponent small enough for repeated squaring, as `i64`.
fn small_integer(b: &BigFloat) -> Option<i64> {
    let e = b.exponent()?;
    if e > 62 {
        return None;
    }
    Some(to_f64(b) as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn big(v: f64) -> BigFloat {
        from_f64(v, 64)
    }

    #[test]
    fn subnormals_keep_their_value() {
        // 2^-1074 · 2^1074 = 1 exactly.
        let one = big(f64::from_bits(1)).mul(&big(2f64.powi(1000)), 64, RM);
        let one = one.mul(&big(2f64.powi(74)), 64, RM);
        assert_eq!(to_f64(&one), 1.0);
    }

    #[test]
    fn to_f64_round_trips_every_kind_of_double() {
        let cases = [
            1.0,
            -2.5,
            0.1,
            f64::MAX,
            f64::MIN_POSITIVE,
            f64::from_bits(1),
            f64::from_bits(0x000f_ffff_ffff_ffff),
            -1e-310,
            1e300,
            std::f64::consts::PI,
        ];
        for v in cases {
            assert_eq!(to_f64(&big(v)).to_bits(), v.to_bits(), "{v:e}");
        }
        assert_eq!(to_f64(&big(f64::MAX).mul(&big(2.0), 64, RM)), f64::INFINITY);
        assert!(to_f64(&astro_float::NAN).is_nan());
    }

    #[test]
    fn to_f64_rounds_to_nearest_even() {
        // 1 + 2^-53 is halfway between 1 and the next double: ties go to 1.
        let half_ulp = big(1.0).add(&big(2f64.powi(-53)), 128, RM);
        assert_eq!(to_f64(&half_ulp), 1.0);
        let above = half_ulp.add(&big(2f64.powi(-80)), 128, RM);
        assert_eq!(to_f64(&above), 1.0 + f64::EPSILON);
        // Half the smallest subnormal is a tie to 0; a bit more rounds up to it.
        let tiny = big(f64::from_bits(1)).div(&big(2.0), 128, RM);
        assert_eq!(to_f64(&tiny), 0.0);
        let more = tiny.add(&big(f64::from_bits(1)).div(&big(1024.0), 128, RM), 128, RM);
        assert_eq!(to_f64(&more), f64::from_bits(1));
    }

    #[test]
    fn every_op_agrees_with_f64_at_a_well_conditioned_point() {
        // Walks the op table: each op's high-precision value, rounded, within 2 ulps of
        // its f64 evaluation at arguments where both are accurate.
        let mut precise = Precise::new(256);
        for &op in Op::ALL {
            let args: Vec<f64> = match op.arity() {
                1 => vec![if op == Op::Log1mexp { -0.3 } else { 0.37 }],
                2 => vec![0.37, 1.7],
                _ => vec![1.0, 0.37, 1.7],
            };
            let big_args: Vec<BigFloat> = args.iter().map(|&a| big(a)).collect();
            let refs: Vec<&BigFloat> = big_args.iter().collect();
            let hp = to_f64(&precise.apply(op, &refs));
            let f = op.eval(&args);
            let ulps = (hp.to_bits() as i64 - f.to_bits() as i64).abs();
            assert!(ulps <= 2, "{op:?}: high precision {hp:e}, f64 {f:e}");
        }
    }

    #[test]
    fn piecewise_built_ins_agree_with_f64_on_every_piece() {
        let mut precise = Precise::new(256);
        // (op, arguments, ulps allowed): 4, except where the f64 evaluation itself is
        // ill-conditioned: gelu(-5)'s σ(z) at z ≈ -17 turns z's few roundings into about
        // 35 ulps of e^z.
        let cases: &[(Op, &[f64], i64)] = &[
            (Op::LeakyRelu, &[-0.37, 0.01], 4),
            (Op::LeakyRelu, &[2.5, 0.01], 4),
            (Op::Elu, &[-0.37, 1.7], 4),
            (Op::Elu, &[-1e-9, 1.0], 4),
            (Op::Elu, &[-800.0, 1.0], 4),
            (Op::EluSlope, &[-0.37, 1.7], 4),
            (Op::EluSlope, &[-1e-9, 1.0], 4),
            (Op::EluSlope, &[-40.0, 1.0], 4),
            (Op::EluSlope, &[-800.0, 1.0], 4),
            (Op::EluSlope, &[2.0, 1.0], 0),
            (Op::HuberSlope, &[-3.0, 1.7], 0),
            (Op::HuberSlope, &[0.5, 1.0], 0),
            (Op::Huber, &[-3.0, 1.7], 4),
            (Op::Huber, &[1e200, 1.0], 4),
            (Op::Huber, &[0.5, 1.0], 4),
            (Op::Clamp, &[-1.0, 0.37, 1.7], 4),
            (Op::Clamp, &[2.0, 0.37, 1.7], 4),
            (Op::Gelu, &[-0.37], 4),
            (Op::Gelu, &[-5.0], 100),
            (Op::Gelu, &[3.0], 4),
            (Op::Silu, &[-3.0], 4),
            (Op::Silu, &[-700.0], 4),
            (Op::Silu, &[30.0], 4),
        ];
        for &(op, args, allowed) in cases {
            let big_args: Vec<BigFloat> = args.iter().map(|&a| big(a)).collect();
            let refs: Vec<&BigFloat> = big_args.iter().collect();
            let hp = to_f64(&precise.apply(op, &refs));
            let f = op.eval(args);
            let ulps = (hp.to_bits() as i64 - f.to_bits() as i64).abs();
            assert!(
                ulps <= allowed,
                "{op:?}{args:?}: high precision {hp:e}, f64 {f:e}"
            );
        }
    }

    #[test]
    fn tails_are_exact_where_naive_forms_fail() {
        let mut precise = Precise::new(256);
        let e40 = to_f64(&precise.apply(Op::ExpM1, &[&big(-40.0)]));
        assert_eq!(e40, (-40.0f64).exp_m1());
        let ln = to_f64(&precise.apply(Op::Ln1p, &[&big(1e-300)]));
        assert_eq!(ln, 1e-300);
        let sp = to_f64(&precise.apply(Op::Softplus, &[&big(-800.0)]));
        assert_eq!(sp, 0.0, "e^-800 is below the smallest double");
        let s = to_f64(&precise.apply(Op::SigmoidPrime, &[&big(40.0)]));
        assert!((s / 4.248354255291589e-18 - 1.0).abs() < 1e-15);
        let p = to_f64(&precise.apply(Op::Pow, &[&big(-2.0), &big(3.0)]));
        assert_eq!(p, -8.0);
    }
}
