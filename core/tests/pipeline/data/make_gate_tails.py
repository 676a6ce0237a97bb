#!/usr/bin/env python3
"""Writes gate_tails.txt: each gate's value and derivative at both tails, computed once
with mpmath at 50 significant digits (run: `python3 make_gate_tails.py > gate_tails.txt`).

Each line is `formula<TAB>x<TAB>value<TAB>derivative`, every number the f64 nearest the
50-digit truth in shortest round-trip form (Python's repr). `-` marks a truth that is not
a finite f64 (an overflow, a pole, a point outside the domain); `0` (or `-0.0`) a truth
that underflows. The points are the tails the issue names: ±1e-300, ±1e-8, ±1, ±20, ±37,
±40, ±100, ±700, ±745, ±800, and for asin and acos three points next to ±1 (NEAR_ONE),
for log1mexp points next to 0 and to its split at -ln 2 (NEAR_SPLIT), for hypot ±1e200,
±1e300, ±1e-200 (HUGE_AND_TINY).
The derivatives are closed forms with no cancellation, so 50 digits are 50 digits even
where the value is 1 - e^-800."""

from mpmath import mp, mpf

mp.dps = 50

POINTS = [s * m for m in (1e-300, 1e-8, 1.0, 20.0, 37.0, 40.0, 100.0, 700.0, 745.0, 800.0)
          for s in (-1.0, 1.0)]


def sigmoid(x):
    return 1 / (1 + mp.exp(-x))


def sigmoid_prime(x):
    # e^-x/(1+e^-x)², written on the side where the exponential does not grow.
    e = mp.exp(-abs(x))
    return e / (1 + e) ** 2


def neg_sigmoid_squared_family(a, b):
    """-e^x/((a+e^x)(b+e^-x)) and its derivative -e^x(ab + 1 + 2a·e^-x)/D²."""

    def value(x):
        return -mp.exp(x) / ((a + mp.exp(x)) * (b + mp.exp(-x)))

    def derivative(x):
        d = (a + mp.exp(x)) * (b + mp.exp(-x))
        return -mp.exp(x) * (a * b + 1 + 2 * a * mp.exp(-x)) / d**2

    return value, derivative


# Where asin' and acos' have their tail: next to ±1, where `1 - x²` cancels away the
# rounding of x² (at 0.9999999925531615, found by a search near 1 - 1e-8, the form
# (1 - x²)^-1/2 was off by 1.9e-9; (1 - x)(1 + x) is right to 1e-16).
NEAR_ONE = [s * x for x in (1 - 1e-8, 0.9999999925531615, 1 - 2.0**-52) for s in (-1.0, 1.0)]


def in_domain(lo, hi):
    return lambda x: lo < x < hi


EVERYWHERE = in_domain(-mp.inf, mp.inf)

# (formula as symgrad reads it, value, derivative, domain of the value[, more points])
GATES = [
    ("σ(x)", sigmoid, sigmoid_prime, EVERYWHERE),
    ("1/(1+e^-x)", sigmoid, sigmoid_prime, EVERYWHERE),
    ("softplus(x)", lambda x: mp.log1p(mp.exp(x)), sigmoid, EVERYWHERE),
    ("ln(1+e^x)", lambda x: mp.log1p(mp.exp(x)), sigmoid, EVERYWHERE),
    ("tanh(x)", mp.tanh, lambda x: 1 / mp.cosh(x) ** 2, EVERYWHERE),
    ("exp_m1(x)", mp.expm1, mp.exp, EVERYWHERE),
    ("e^x - 1", mp.expm1, mp.exp, EVERYWHERE),
    ("ln_1p(x)", mp.log1p, lambda x: 1 / (1 + x), in_domain(-1, mp.inf)),
    ("ln(1+x)", mp.log1p, lambda x: 1 / (1 + x), in_domain(-1, mp.inf)),
    ("exp(x)", mp.exp, mp.exp, EVERYWHERE),
    ("ln(x)", mp.log, lambda x: 1 / x, in_domain(0, mp.inf)),
    ("sin(x)", mp.sin, mp.cos, EVERYWHERE),
    ("cos(x)", mp.cos, lambda x: -mp.sin(x), EVERYWHERE),
    ("tan(x)", mp.tan, lambda x: 1 / mp.cos(x) ** 2, EVERYWHERE),
    ("asin(x)", mp.asin, lambda x: 1 / mp.sqrt((1 - x) * (1 + x)), in_domain(-1.5, 1.5), NEAR_ONE),
    ("acos(x)", mp.acos, lambda x: -1 / mp.sqrt((1 - x) * (1 + x)), in_domain(-1.5, 1.5), NEAR_ONE),
    ("atan(x)", mp.atan, lambda x: 1 / (1 + x * x), EVERYWHERE),
    ("sinh(x)", mp.sinh, mp.cosh, EVERYWHERE),
    ("cosh(x)", mp.cosh, mp.sinh, EVERYWHERE),
    # cosh and sinh written with exponentials fuse into the ops (the difference would
    # cancel near 0).
    ("(e^x + e^-x)/2", mp.cosh, mp.sinh, EVERYWHERE),
    ("(e^x - e^-x)/2", mp.sinh, mp.cosh, EVERYWHERE),
]


def log1mexp(x):
    # ln(1 - e^x) with digits to spare: 1 - e^-800 needs 348 of them before the log.
    with mp.workdps(800):
        return +mp.log(1 - mp.exp(x))


def log1mexp_prime(x):
    with mp.workdps(800):
        return +(-mp.exp(x) / (1 - mp.exp(x)))


# log1mexp next to 0 (1 - e^x cancels), at Mächler's split -ln 2 and a few floats either
# side, and at the smallest subnormal (whose derivative, -1/x, overflows).
NEAR_SPLIT = [-1e-20, -0.5, -0.6931471805599454, -0.6931471805599453, -0.6931471805599452,
              -0.6931472, -2.0, -5e-324]
GATES += [
    ("log1mexp(x)", log1mexp, log1mexp_prime, in_domain(-mp.inf, 0), NEAR_SPLIT),
    ("ln(1 - e^x)", log1mexp, log1mexp_prime, in_domain(-mp.inf, 0), NEAR_SPLIT),
    ("ln(1 - exp(-x))", lambda x: log1mexp(-x), lambda x: -log1mexp_prime(-x),
     in_domain(0, mp.inf), [-p for p in NEAR_SPLIT]),
]

# hypot where its squares would overflow or underflow: ±1e200, ±1e300, ±1e-200 (two
# variables as one: y = 2x, y = x + 1). Not at a subnormal x: the partials are
# x·(1/hypot) and y·(1/hypot), and 1/hypot overflows once hypot < 2⁻¹⁰²⁴ (a known
# limit, in the pipeline and in the generated code that shares 1/hypot).
HUGE_AND_TINY = [s * m for m in (1e200, 1e300, 1e-200) for s in (-1.0, 1.0)]
for formula in ["hypot(x, 2x)", "sqrt(x^2 + (2x)^2)"]:
    GATES.append((formula, lambda x: mp.sqrt(5) * abs(x), lambda x: mp.sqrt(5) * mp.sign(x),
                  EVERYWHERE, HUGE_AND_TINY))
GATES.append(("sqrt(x^2 + (x + 1)^2)", lambda x: mp.hypot(x, x + 1),
              lambda x: (2 * x + 1) / mp.hypot(x, x + 1), EVERYWHERE, HUGE_AND_TINY))

# σ' as a formula; its derivative σ'' = -σ'·tanh(x/2) is a second derivative of σ.
for formula in ["σ(x)·σ(-x)", "e^x/(1+e^x)^2"]:
    GATES.append((formula, sigmoid_prime, lambda x: -sigmoid_prime(x) * mp.tanh(x / 2), EVERYWHERE))
for a, b in [(1, 1), (1.1, 1), (1, 1.1), (2, 1), (1, 2)]:
    value, derivative = neg_sigmoid_squared_family(mpf(a), mpf(b))
    GATES.append((f"-e^x/(({a}+e^x)({b}+e^-x))", value, derivative, EVERYWHERE))

# The piecewise built-ins (SPEC §7), one variable each (the other arguments constants), at
# the points and ±1e3 and a few points on either side of their kinks (not at a kink, where
# the derivative is a convention, tested by hand). gelu is the tanh form
# ½x(1 + tanh(√(2/π)(x + 0.044715x³))), with 800 digits so that 1 + tanh keeps its digits
# at x = -800; its derivative is the closed form's.
THOUSANDS = [-1e3, 1e3, -3.7, -0.6, 0.45, 2.3]


def gelu(x):
    with mp.workdps(800):
        u = mp.sqrt(2 / mp.pi) * (x + mpf("0.044715") * x**3)
        return +(x / 2 * (1 + mp.tanh(u)))


def gelu_prime(x):
    with mp.workdps(800):
        c = mp.sqrt(2 / mp.pi)
        u = c * (x + mpf("0.044715") * x**3)
        du = c * (1 + 3 * mpf("0.044715") * x**2)
        return +((1 + mp.tanh(u)) / 2 + x / 2 * du / mp.cosh(u) ** 2)


def elu(a):
    return (lambda x: x if x > 0 else a * mp.expm1(x)), (lambda x: 1 if x > 0 else a * mp.exp(x))


def huber(d):
    return (lambda x: x * x / 2 if abs(x) <= d else d * (abs(x) - d / 2),
            lambda x: x if abs(x) <= d else d * mp.sign(x))


GATES += [
    ("leaky_relu(x, 0.1)", lambda x: x if x > 0 else x / 10,
     lambda x: 1 if x > 0 else mpf("0.1"), EVERYWHERE, THOUSANDS),
    ("elu(x)", *elu(mpf(1)), EVERYWHERE, THOUSANDS),
    ("elu(x, 0.5)", *elu(mpf("0.5")), EVERYWHERE, THOUSANDS),
    ("huber(x, 1.5)", *huber(mpf("1.5")), EVERYWHERE, THOUSANDS + [-1.4, 1.6]),
    ("clamp(x, -2, 3)", lambda x: min(max(x, mpf(-2)), mpf(3)),
     lambda x: 1 if -2 < x < 3 else 0, EVERYWHERE, THOUSANDS),
    ("gelu(x)", gelu, gelu_prime, EVERYWHERE, THOUSANDS + [-10.0, -5.0]),
    # Not at -745, where σ(x) ≈ e^x is a subnormal with one digit and x·σ(x) a subnormal
    # 700 steps off (a known limit: the truth 2.1e-321 has three digits itself).
    ("silu(x)", lambda x: x * sigmoid(x),
     lambda x: sigmoid(x) + x * sigmoid_prime(x), lambda x: x != -745, THOUSANDS),
    ("sign(x)", mp.sign, lambda x: 0, EVERYWHERE, THOUSANDS),
]

F64_MAX = mpf(2) ** 1024 * (1 - mpf(2) ** -53)


def f64_text(v):
    """The f64 nearest `v` in shortest round-trip form, or `-` if `v` is not a finite f64."""
    if v is None or not mp.isfinite(v) or mp.im(v) != 0 or abs(v) >= F64_MAX:
        return "-"
    return repr(float(v))


def truth(f, x):
    try:
        return f(x)
    except (ValueError, ZeroDivisionError):
        return None


def main():
    print("# formula\tx\tvalue\tderivative (written by make_gate_tails.py; do not edit)")
    for formula, value, derivative, domain, *more in GATES:
        for p in POINTS + (more[0] if more else []):
            x = mpf(p)
            if not domain(x):
                continue
            v, d = f64_text(truth(value, x)), f64_text(truth(derivative, x))
            if v == "-" and d == "-":
                continue
            print(f"{formula}\t{p!r}\t{v}\t{d}")


if __name__ == "__main__":
    main()
