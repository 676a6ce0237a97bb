#!/usr/bin/env python3
"""Every output of the `symgrad` command line on a fixed corpus, written to a folder, so
that a refactoring can show its outputs are byte-identical to the previous build's:

    python3 tests/outputs/outputs.py OLD_BINARY /tmp/before
    python3 tests/outputs/outputs.py target/debug/symgrad /tmp/after
    diff -r /tmp/before /tmp/after

The corpus: the SPEC §5 benchmark formulas, the fuzz seeds and regressions, and 64 random
formulas drawn (with a fixed seed) over every function, operator and notation of SPEC §1.
Each input is run through `grad --json`, `grad`, `rust`, `explain --at`, `dot --at` and
`check --at`; standard output, standard error and the exit status are kept.
"""
import json
import os
import random
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

FUNCS1 = ["exp", "ln", "log", "log2", "log10", "sqrt", "abs", "sin", "cos", "tan", "asin",
          "acos", "atan", "sinh", "cosh", "tanh", "sigmoid", "σ", "softplus", "relu"]
FUNCS2 = ["max", "min", "pow", "log"]


def benchmark_formulas():
    yield "neuron", "1/(1+e^-(w0x0+w1x1+w2))"
    yield "net", "σ(v0 σ(w00 x0 + w01 x1 + b0) + v1 σ(w10 x0 + w11 x1 + b1) + c)"
    yield "logistic", "-(y ln(σ(w0x0 + w1x1 + w2)) + (1 - y) ln(1 - σ(w0x0 + w1x1 + w2)))"
    yield "neuron50", "1/(1+e^-(%s + b))" % " + ".join("w%dx%d" % (i, i) for i in range(50))
    source = "x"
    for k in range(16):
        source = "σ(w%d %s + b%d)" % (k, source, k)
    yield "deep", source


def random_formula(rng, depth):
    names = ["x", "y", "z", "w0", "x0", "a_1"]
    if depth == 0 or rng.random() < 0.25:
        r = rng.random()
        if r < 0.6:
            return rng.choice(names)
        if r < 0.9:
            return rng.choice(["2", "0.5", ".5", "1e-3", "3", "1", "0", "10"])
        return rng.choice(["e", "pi", "π"])
    kind = rng.randrange(9)
    a = random_formula(rng, depth - 1)
    b = random_formula(rng, depth - 1)
    if kind == 0:
        return "%s + %s" % (a, b)
    if kind == 1:
        return "(%s) - (%s)" % (a, b)
    if kind == 2:
        return "(%s)*(%s)" % (a, b)
    if kind == 3:
        return "(%s)/(%s)" % (a, b)
    if kind == 4:
        return "(%s)^%s" % (a, rng.choice(["2", "3", "-1", "0.5", "-2", "(%s)" % b]))
    if kind == 5:
        return "-(%s)" % a
    if kind == 6:
        return "%s(%s)" % (rng.choice(FUNCS1), a)
    if kind == 7:
        return "%s(%s, %s)" % (rng.choice(FUNCS2), a, b)
    return "e^-(%s)" % a if rng.random() < 0.5 else "2(%s)" % a


def corpus():
    for name, source in benchmark_formulas():
        yield "bench-" + name, source.encode()
    for folder in ["seeds", "regressions"]:
        base = os.path.join(ROOT, "fuzz", folder, "pipeline")
        for f in sorted(os.listdir(base)):
            with open(os.path.join(base, f), "rb") as fh:
                yield "%s-%s" % (folder, f), fh.read()
    rng = random.Random(20261202)
    for i in range(64):
        yield "random-%02d" % i, random_formula(rng, rng.randrange(1, 6)).encode()


def run(binary, args, stdin):
    try:
        p = subprocess.run([binary] + args, input=stdin, capture_output=True, timeout=60)
        return p.stdout, p.stderr, str(p.returncode)
    except subprocess.TimeoutExpired:
        return b"", b"", "timeout"


def main():
    binary, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    for name, source in corpus():
        results = {}
        stdout, stderr, code = run(binary, ["grad", "-", "--json"], source)
        results["grad-json"] = (stdout, stderr, code)
        results["grad"] = run(binary, ["grad", "-"], source)
        results["rust"] = run(binary, ["rust", "-"], source)
        if code == "0":
            variables = json.loads(stdout)["vars"]
            at = ",".join("%s=%s" % (v, [0.7, -1.3, 0.4, 2.1, -0.6][i % 5])
                          for i, v in enumerate(variables))
            if at:
                for cmd in ["explain", "dot", "check"]:
                    results[cmd] = run(binary, [cmd, "-", "--at", at], source)
        with open(os.path.join(out, name), "wb") as fh:
            fh.write(b"input: " + source + b"\n")
            for cmd, (stdout, stderr, code) in results.items():
                fh.write(("== %s: exit %s\n" % (cmd, code)).encode())
                fh.write(stdout)
                fh.write(b"-- stderr\n")
                fh.write(stderr)


if __name__ == "__main__":
    main()
