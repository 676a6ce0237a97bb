#!/usr/bin/env python3
"""Writes softmax_tails.txt: logsumexp, softmax and log-softmax, spelled as functions and
as the disguises the rules recognise, at points of both tails, computed once with mpmath
at 60 significant digits (run: `python3 make_softmax_tails.py > softmax_tails.txt`).

Each line is `formula<TAB>a,b,c<TAB>value<TAB>∂a,∂b,∂c` (two-argument formulas take the
first two coordinates), every number the f64 nearest the truth in shortest round-trip form
(Python's repr); `-` marks a truth that is not a finite f64, `0` one that underflows. The
points: every argument ±800 (e^800 overflows), one argument far below the others (its
partial e^-700 or so, tiny but a normal f64), one far above (its log-probability's
-2e^-40 is what a - logsumexp rounds to 0), arguments of ±1e300, and a few ordinary ones.
The forms are closed forms without cancellation (m + log1p of the rest, and 1 - p as the
sum of the other probabilities), so 60 digits are 60 digits."""

from mpmath import mp, mpf

mp.dps = 60

POINTS = [
    (800.0, 800.0, 800.0),
    (-800.0, -800.0, -800.0),
    (800.0, -800.0, 0.0),
    (-800.0, 800.0, 0.0),
    (800.0, 799.0, 790.0),
    (0.0, -40.0, -700.0),
    (-700.0, 0.0, -40.0),
    (10.0, -30.0, -720.0),
    (40.0, 0.0, 0.0),
    (-40.0, 0.0, 0.0),
    (37.5, -1.0, 2.0),
    (1e300, -1e300, 0.0),
    (-1e300, 1e300, 1e299),
    (0.5, -1.25, 2.0),
    (1e-8, -1e-8, 0.0),
    (3.0, 3.0, 3.0),
]


def lse(xs):
    m = max(xs)
    top = xs.index(m)
    return m + mp.log1p(sum(mp.exp(x - m) for i, x in enumerate(xs) if i != top))


def probabilities(xs):
    total = lse(xs)
    return [mp.exp(x - total) for x in xs]


def logsumexp(xs):
    return lse(xs), probabilities(xs)


def softmax(xs):
    p = probabilities(xs)
    rest = sum(p[1:])  # 1 - p[0], without the cancellation
    return p[0], [p[0] * rest] + [-p[0] * q for q in p[1:]]


def log_softmax(xs):
    value = -mp.log1p(sum(mp.exp(x - xs[0]) for x in xs[1:]))
    p = probabilities(xs)
    return value, [sum(p[1:])] + [-q for q in p[1:]]


# (formula as symgrad reads it, number of arguments, function of the arguments)
FORMULAS = [
    ("logsumexp(a, b)", 2, logsumexp),
    ("ln(e^a + e^b)", 2, logsumexp),
    ("logsumexp(a, b, c)", 3, logsumexp),
    ("ln(e^a + e^b + e^c)", 3, logsumexp),
    ("softmax(a, b)", 2, softmax),
    ("e^a/(e^a + e^b)", 2, softmax),
    ("softmax(a, b, c)", 3, softmax),
    ("e^a/(e^a + e^b + e^c)", 3, softmax),
    ("log_softmax(a, b, c)", 3, log_softmax),
    ("ln(e^a/(e^a + e^b + e^c))", 3, log_softmax),
    ("a - logsumexp(a, b, c)", 3, log_softmax),
]


def f64(x):
    v = float(x)
    if v != v or v in (float("inf"), float("-inf")):
        return "-"
    return repr(v)


print("# formula\ta,b,c\tvalue\tpartials (written by make_softmax_tails.py; do not edit)")
for formula, n, f in FORMULAS:
    for point in POINTS:
        xs = [mpf(x) for x in point[:n]]
        value, partials = f(xs)
        print("\t".join([formula, ",".join(repr(x) for x in point[:n]), f64(value),
                         ",".join(f64(d) for d in partials)]))
