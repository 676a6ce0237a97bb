//! Every contender agrees with every other, and the hand-written gradients agree with
//! independent truth: central differences of the plain-`f64` formula and the lecture's
//! numbers.

#[path = "../peers/mod.rs"]
mod peers;

use peers::agree::{Agreement, relative_difference};
use peers::bodies::{Body, Deep, Logistic, Net, Neuron, Neuron50};
use symgrad_bench::{Bench, formulas, hand};

#[test]
fn every_contender_agrees_with_the_hand_written_gradient() {
    let mut agreement = Agreement::default();
    peers::each_formula(&mut agreement);
    assert_eq!(agreement.disagreements, Vec::<String>::new());
    let contenders = agreement.checked.len();
    assert_eq!(
        contenders,
        formulas::all().len() * 7,
        "{:?}",
        agreement.checked
    );
}

#[test]
fn the_hand_written_neuron_gives_the_lecture_numbers() {
    let (value, grad) = hand::neuron(&formulas::neuron().point_array());
    assert!((value - 0.7310585786300049).abs() < 1e-15);
    let lecture = [-0.1966, 0.3932, -0.3932, -0.5898, 0.1966];
    for (g, expected) in grad.iter().zip(lecture) {
        assert!((g - expected).abs() < 1e-4, "{grad:?}");
    }
}

/// `hand` agrees with central differences of the formula `B` evaluated in plain `f64`.
fn check_central_differences<B: Body, const N: usize>(
    bench: &Bench,
    hand: fn(&[f64; N]) -> (f64, [f64; N]),
) {
    let point = bench.point_array::<N>();
    let (value, grad) = hand(&point);
    assert!(
        relative_difference(value, B::eval(&point)) < 1e-14,
        "{}",
        bench.name
    );
    let h = 1e-6;
    for i in 0..N {
        let (mut up, mut down) = (point, point);
        up[i] += h;
        down[i] -= h;
        let central = (B::eval(&up) - B::eval(&down)) / (2.0 * h);
        assert!(
            relative_difference(grad[i], central) < 1e-7,
            "{} ∂{}: {} vs {central}",
            bench.name,
            bench.vars[i],
            grad[i]
        );
    }
}

#[test]
fn hand_written_gradients_match_central_differences() {
    check_central_differences::<Neuron, 5>(&formulas::neuron(), hand::neuron);
    check_central_differences::<Net, 11>(&formulas::net(), hand::net);
    check_central_differences::<Logistic, 6>(&formulas::logistic(), hand::logistic);
    check_central_differences::<Neuron50, { hand::NEURON50_VARS }>(
        &formulas::neuron50(),
        hand::neuron50,
    );
    check_central_differences::<Deep, { hand::DEEP_VARS }>(&formulas::deep(), hand::deep);
}

#[test]
fn the_generic_bodies_compute_the_formulas_the_interpreter_reads() {
    for bench in formulas::all() {
        let (value, _) = symgrad_bench::Interpreter::new(&bench).grad(&bench.point);
        let body = match bench.name {
            "neuron" => Neuron::eval(&bench.point),
            "net" => Net::eval(&bench.point),
            "logistic" => Logistic::eval(&bench.point),
            "neuron50" => Neuron50::eval(&bench.point),
            "deep" => Deep::eval(&bench.point),
            other => panic!("no body for `{other}`"),
        };
        assert!(relative_difference(value, body) < 1e-14, "{}", bench.name);
    }
}
