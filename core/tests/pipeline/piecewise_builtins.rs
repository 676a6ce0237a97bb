//! The piecewise built-ins of SPEC §7 (`leaky_relu`, `elu`, `huber`, `clamp`, `gelu`,
//! `silu`, `sign`): every partial, in every argument, against central differences away
//! from the kinks, including ±800 and ±1e3; and the documented convention at each kink
//! (README, "Piecewise functions"), by hand. The one-variable tails against 50-digit
//! truths are in `gate_tails.rs`.

use symgrad_core::{Gradient, Hessian, Op, central_difference, kinked_ops};

fn gradient(source: &str) -> Gradient {
    Gradient::all(&symgrad_grammar::parse(source).expect(source))
}

/// Formulas and points, each at least 1e-3 away from a kink.
const CASES: &[(&str, &[&[f64]])] = &[
    (
        "leaky_relu(x, a)",
        &[
            &[-1e3, 0.1],
            &[-800.0, 0.3],
            &[-0.4, 0.2],
            &[0.7, 0.2],
            &[800.0, 0.1],
            &[1e3, -0.5],
        ],
    ),
    (
        "elu(x, a)",
        &[
            &[-1e3, 1.5],
            &[-800.0, 0.5],
            &[-3.7, 1.0],
            &[-0.6, 2.0],
            &[0.45, 1.0],
            &[800.0, 0.7],
            &[1e3, 1.0],
        ],
    ),
    ("elu(x)", &[&[-800.0], &[-1.3], &[-0.01], &[0.2], &[1e3]]),
    (
        "huber(x, d)",
        &[
            &[-1e3, 1.0],
            &[-800.0, 2.0],
            &[-1.7, 1.5],
            &[-0.4, 1.5],
            &[0.9, 1.0],
            &[3.0, 0.5],
            &[800.0, 10.0],
            &[1e3, 1.0],
        ],
    ),
    (
        "clamp(x, lo, hi)",
        &[
            &[-1e3, -1.0, 1.0],
            &[-800.0, -900.0, 0.0],
            &[-0.3, -1.0, 2.0],
            &[1.5, -1.0, 1.0],
            &[800.0, 0.0, 1e3],
            &[1e3, 0.0, 1.0],
        ],
    ),
    (
        "gelu(x)",
        &[
            &[-1e3],
            &[-800.0],
            &[-6.0],
            &[-1.1],
            &[0.3],
            &[2.7],
            &[800.0],
            &[1e3],
        ],
    ),
    (
        "silu(x)",
        &[
            &[-1e3],
            &[-800.0],
            &[-30.0],
            &[-2.1],
            &[0.6],
            &[12.0],
            &[800.0],
            &[1e3],
        ],
    ),
    ("sign(x) x", &[&[-1e3], &[-0.5], &[0.25], &[1e3]]),
    (
        "huber(x - y, 1) + leaky_relu(x y, 0.01)",
        &[&[0.3, 1.9], &[2.0, -0.5]],
    ),
];

#[test]
fn every_partial_agrees_with_central_differences_away_from_the_kinks() {
    for &(source, points) in CASES {
        let grad = gradient(source);
        for point in points {
            let (value, partials) = grad.evaluate(point);
            assert!(value.is_finite(), "{source} at {point:?}: {value}");
            let f = |p: &[f64]| grad.evaluate(p).0;
            for (i, &partial) in partials.iter().enumerate() {
                assert!(
                    partial.is_finite(),
                    "{source} at {point:?}: ∂{i} = {partial}"
                );
                let h = 1e-6 * point[i].abs().max(1.0);
                let numeric = central_difference(f, point, i, h);
                // The pieces are at most cubic in x near these points: the difference's
                // error is rounding, ~1e-10 of the value's scale over h.
                let scale = value.abs().max(1.0) / point[i].abs().max(1.0);
                assert!(
                    (partial - numeric).abs() <= 1e-7 * partial.abs().max(scale),
                    "{source} at {point:?}: ∂{i} = {partial}, differences {numeric}"
                );
            }
        }
    }
}

#[test]
fn each_kink_takes_its_documented_convention() {
    // (formula, point, value, gradient): at a kink the branch of the condition's strict
    // side is not taken, so the derivative is the other piece's.
    let cases: &[(&str, &[f64], f64, &[f64])] = &[
        ("relu(x)", &[0.0], 0.0, &[0.0]),
        ("abs(x)", &[0.0], 0.0, &[0.0]),
        ("max(x, y)", &[2.0, 2.0], 2.0, &[1.0, 0.0]),
        ("min(x, y)", &[2.0, 2.0], 2.0, &[1.0, 0.0]),
        ("leaky_relu(x, a)", &[0.0, 0.1], 0.0, &[0.1, 0.0]),
        ("elu(x, a)", &[0.0, 0.5], 0.0, &[0.5, 0.0]),
        ("elu(x)", &[0.0], 0.0, &[1.0]),
        // huber's partials are continuous at |x| = d: x and 0 from either side.
        ("huber(x, d)", &[1.5, 1.5], 1.125, &[1.5, 0.0]),
        ("huber(x, d)", &[-1.5, 1.5], 1.125, &[-1.5, 0.0]),
        ("huber(x, d)", &[0.0, 1.5], 0.0, &[0.0, 0.0]),
        // At a bound x passes through: all to x, none to the bound.
        (
            "clamp(x, lo, hi)",
            &[-1.0, -1.0, 1.0],
            -1.0,
            &[1.0, 0.0, 0.0],
        ),
        ("clamp(x, lo, hi)", &[1.0, -1.0, 1.0], 1.0, &[1.0, 0.0, 0.0]),
        // Crossed bounds never panic (unlike f64::clamp): below lo is lo first.
        ("clamp(x, lo, hi)", &[0.5, 1.0, -1.0], 1.0, &[0.0, 1.0, 0.0]),
        (
            "clamp(x, lo, hi)",
            &[2.0, 1.0, -1.0],
            -1.0,
            &[0.0, 0.0, 1.0],
        ),
        ("sign(x)", &[0.0], 0.0, &[0.0]),
        ("sign(x)", &[-3.0], -1.0, &[0.0]),
        ("gelu(x)", &[0.0], 0.0, &[0.5]),
        ("silu(x)", &[0.0], 0.0, &[0.5]),
    ];
    for &(source, point, value, partials) in cases {
        let (v, g) = gradient(source).evaluate(point);
        assert_eq!(
            (v, g.as_slice()),
            (value, partials),
            "{source} at {point:?}"
        );
    }
}

#[test]
fn the_branch_not_taken_overflows_nowhere() {
    // elu's e^x and exp_m1(x) are in its else branch: e^1000 is never computed.
    assert_eq!(
        gradient("elu(x, a)").evaluate(&[1e3, 2.0]),
        (1e3, vec![1.0, 0.0])
    );
    // huber squares only inside: 1e200² would overflow.
    let (value, partials) = gradient("huber(x, d)").evaluate(&[1e200, 1.0]);
    assert_eq!((value, partials), (1e200, vec![1.0, 1e200 - 1.0]));
    // gelu's z is infinite from |x| ≈ 1e103 on; σ of it is exact.
    assert_eq!(gradient("gelu(x)").evaluate(&[1e200]).0, 1e200);
    assert_eq!(gradient("gelu(x)").evaluate(&[-1e200]).0, 0.0);
}

#[test]
fn second_derivatives_are_each_piece_s() {
    let h = |source: &str, point: &[f64]| {
        let formula = symgrad_grammar::parse(source).expect(source);
        let wrt: Vec<u32> = (0..formula.vars.len() as u32).collect();
        Hessian::new(&formula, &wrt).evaluate(point).2
    };
    // huber'' = 1 inside, 0 outside; ∂²/∂x∂d = sign(x) outside; ∂²/∂d² = -1 outside.
    assert_eq!(
        h("huber(x, d)", &[0.5, 1.0]),
        vec![vec![1.0, 0.0], vec![0.0, 0.0]]
    );
    assert_eq!(
        h("huber(x, d)", &[-2.0, 1.0]),
        vec![vec![0.0, -1.0], vec![-1.0, -1.0]]
    );
    // Piecewise linear: 0 on each piece; leaky_relu's ∂²/∂x∂a is 1 below 0.
    assert_eq!(
        h("leaky_relu(x, a)", &[-2.0, 0.1]),
        vec![vec![0.0, 1.0], vec![1.0, 0.0]]
    );
    assert_eq!(
        h("leaky_relu(x, a)", &[2.0, 0.1]),
        vec![vec![0.0, 0.0], vec![0.0, 0.0]]
    );
    assert_eq!(
        h("clamp(x, lo, hi)", &[0.5, 0.0, 1.0]),
        vec![vec![0.0; 3]; 3]
    );
    // elu'' = a·e^x below 0, 0 above.
    let below = h("elu(x, a)", &[-1.0, 2.0]);
    assert!(
        (below[0][0] - 2.0 * (-1f64).exp()).abs() <= 1e-15,
        "{below:?}"
    );
    assert!((below[0][1] - (-1f64).exp()).abs() <= 1e-15, "{below:?}");
    assert_eq!(
        h("elu(x, a)", &[1.0, 2.0]),
        vec![vec![0.0, 0.0], vec![0.0, 0.0]]
    );
    // gelu''(0) = 2σ'(0)·z'(0) = c/2 = √(2/π) and silu''(0) = 2σ'(0) = 1/2, by hand
    // from x·σ(z) (the x·(…) terms vanish at 0).
    let gelu = h("gelu(x)", &[0.0])[0][0];
    let truth = (2.0 / std::f64::consts::PI).sqrt();
    assert!((gelu - truth).abs() <= 2e-16, "{gelu}");
    assert_eq!(h("silu(x)", &[0.0]), vec![vec![0.5]]);
    // Finite in the tails, where the truth underflows to 0 or is 0.
    for x in [-1e3, -800.0, 800.0, 1e3] {
        for source in ["gelu(x)", "silu(x)", "elu(x)"] {
            let second = h(source, &[x])[0][0];
            assert!(
                second.is_finite() && second.abs() < 1e-300,
                "{source} at {x}: {second}"
            );
        }
    }
}

#[test]
fn check_knows_where_the_new_built_ins_kink() {
    let kinked = kinked_ops();
    for op in [Op::LeakyRelu, Op::Elu, Op::Huber, Op::Clamp] {
        assert!(kinked.contains(&op), "{op:?}");
    }
    // The slope gates are in no formula: `check` names the functions a user wrote.
    for op in [Op::Gelu, Op::Silu, Op::EluSlope, Op::HuberSlope] {
        assert!(!kinked.contains(&op), "{op:?}");
    }
}

#[test]
fn the_if_forms_the_rules_fuse_agree_with_the_built_ins_at_the_tie_and_for_nan() {
    // Without rules, the `if` as written; with them, the built-in: the same value and
    // gradient at 0, on each side, and NaN for NaN.
    use symgrad_core::rewrite::RuleTable;
    for (written, fused) in [
        ("if(x > 0, x, a x)", "leaky_relu(x, a)"),
        ("if(x <= 0, a x, x)", "leaky_relu(x, a)"),
        ("if(x <= 0, 0, x) + 0 a", "relu(x) + 0 a"),
    ] {
        let parse = |s: &str| symgrad_grammar::parse(s).expect(s);
        let plain = Gradient::with_rules(
            &parse(written),
            &[0, 1],
            &RuleTable::new(&[]).expect("an empty table"),
        );
        let rewritten = gradient(written);
        let reference = gradient(fused);
        for point in [[0.0, 0.3], [-2.0, 0.3], [1.5, 0.3]] {
            assert_eq!(
                plain.evaluate(&point),
                reference.evaluate(&point),
                "{written} at {point:?}"
            );
            assert_eq!(
                rewritten.evaluate(&point),
                reference.evaluate(&point),
                "{written} at {point:?}"
            );
        }
        assert!(rewritten.evaluate(&[f64::NAN, 0.3]).0.is_nan(), "{written}");
        assert!(plain.evaluate(&[f64::NAN, 0.3]).0.is_nan(), "{written}");
    }
}
