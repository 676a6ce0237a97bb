"""Writes five_thousand_random_terms.rs: one #[derive_grad] string of 5000 random terms
c·f(xa·xb + k) over x0 … x19 (f one of sin, tanh, σ, exp, softplus), and the same terms
as a table the test differentiates by hand. Run: python3 five_thousand_random_terms.py"""

import random

N, VARS, SEED = 5000, 20, 7
FUNCS = ["sin", "tanh", "σ", "exp", "softplus"]
RUST = ["Sin", "Tanh", "Sigmoid", "Exp", "Softplus"]

rng = random.Random(SEED)
terms = []
for _ in range(N):
    c = f"0.{rng.randrange(1, 100):02d}"
    f = rng.randrange(len(FUNCS))
    a, b = rng.randrange(VARS), rng.randrange(VARS)
    k = f"0.{rng.randrange(1, 100):02d}" if rng.random() < 0.4 else None
    terms.append((c, f, a, b, k))

formula = " + ".join(
    f"{c}*{FUNCS[f]}(x{a}*x{b}{' + ' + k if k else ''})" for c, f, a, b, k in terms
)
params = ", ".join(f"x{i}: f64" for i in range(VARS))
rows = "\n".join(
    f"    ({c}, F::{RUST[f]}, {a}, {b}, {k or '0.0'}),"
    for c, f, a, b, k in terms
)
template = open(__file__.replace(".py", ".rs.in")).read()
out = (
    template.replace("@FORMULA@", formula)
    .replace("@PARAMS@", params)
    .replace("@N@", str(N))
    .replace("@ROWS@", rows)
)
open(__file__.replace(".py", ".rs"), "w").write(out)
