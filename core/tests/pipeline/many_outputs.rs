//! Many outputs (SPEC §6) in the core: the Jacobian's rows are each output's gradient,
//! `vjp == doutᵀ·J`, `jvp == J·v` (forward mode against reverse mode), and the code stays
//! O(size): what the outputs share is computed once, and the JVP is one tangent pass.

use symgrad_core::{Gradient, ManyOutputs, Outputs, count_forward_and_grad, count_many};

const LISTS: &[(&str, &[f64])] = &[
    ("r cos(t), r sin(t)", &[2.0, 0.3]),
    (
        "σ(w x + b), softplus(x - w) b, tanh(w) x^2",
        &[0.7, -1.2, 0.4],
    ),
    (
        "x y z, sin(x y) + z, if(x > y, x z, ln(y))",
        &[1.2, 0.4, -0.7],
    ),
    ("max(x, y) x, relu(x - y) y^2, abs(x y)^3", &[0.9, -0.3]),
    (
        "e^(x y) / (1 + x^2), log(x, y), sqrt(x^2 + y^2)",
        &[1.5, 2.5],
    ),
];

fn assert_close(a: f64, b: f64, tolerance: f64, what: &str) {
    let scale = a.abs().max(b.abs()).max(f64::MIN_POSITIVE);
    assert!((a - b).abs() <= tolerance * scale, "{what}: {a} vs {b}");
}

#[test]
fn the_jacobians_rows_are_each_outputs_gradient() {
    for &(source, point) in LISTS {
        let outputs = symgrad_grammar::parse_outputs(source).expect("the list parses");
        let k = outputs[0].vars.len();
        let wrt: Vec<u32> = (0..k as u32).collect();
        let (values, jacobian) = Outputs::jacobian(&outputs, &wrt).evaluate(point);
        for (i, formula) in outputs.iter().enumerate() {
            let (value, gradient) = Gradient::new(formula, &wrt).evaluate(point);
            assert_close(values[i], value, 1e-15, &format!("{source}: output {i}"));
            for j in 0..k {
                let what = format!("{source}: J[{i}][{j}]");
                assert_close(jacobian[i * k + j], gradient[j], 1e-14, &what);
            }
        }
    }
}

#[test]
fn products_agree_with_the_jacobian() {
    for &(source, point) in LISTS {
        let outputs = symgrad_grammar::parse_outputs(source).expect("the list parses");
        let (m, k) = (outputs.len(), outputs[0].vars.len());
        let wrt: Vec<u32> = (0..k as u32).collect();
        let many = ManyOutputs::new(&outputs, &wrt);
        let (_, jacobian) = many.jacobian.evaluate(point);
        let dout: Vec<f64> = (0..m).map(|i| 0.5 - i as f64 * 0.7).collect();
        let (_, vjp) = many.vjp.evaluate(&[point, &dout].concat());
        for j in 0..k {
            let expected: f64 = (0..m).map(|i| dout[i] * jacobian[i * k + j]).sum();
            assert_close(vjp[j], expected, 1e-13, &format!("{source}: vjp[{j}]"));
        }
        let v: Vec<f64> = (0..k).map(|j| 1.0 - j as f64 * 0.4).collect();
        let (_, jvp) = many.jvp.evaluate(&[point, &v].concat());
        for i in 0..m {
            let expected: f64 = (0..k).map(|j| jacobian[i * k + j] * v[j]).sum();
            assert_close(jvp[i], expected, 1e-13, &format!("{source}: jvp[{i}]"));
        }
    }
}

/// `m` outputs `c_i · σ(w·x + b)` of `2n + 1` inputs: they share the whole neuron.
fn shared_neuron(n: usize, m: usize) -> String {
    let terms: Vec<String> = (0..n).map(|i| format!("w{i}x{i}")).collect();
    let neuron = format!("σ({} + b)", terms.join(" + "));
    let outputs: Vec<String> = (0..m).map(|i| format!("{}.5 {neuron}", i + 1)).collect();
    outputs.join(", ")
}

#[test]
fn shared_work_is_computed_once() {
    let n = 20;
    let one = symgrad_grammar::parse(&shared_neuron(n, 1)).expect("parses");
    let (forward_one, grad_one) = count_forward_and_grad(&Gradient::all(&one));
    for m in [2, 8] {
        let outputs = symgrad_grammar::parse_outputs(&shared_neuron(n, m)).expect("parses");
        let wrt: Vec<u32> = (0..outputs[0].vars.len() as u32).collect();
        let (forward, jacobian, vjp, jvp) = count_many(&ManyOutputs::new(&outputs, &wrt));
        // The neuron once, then one product per output.
        assert!(
            forward <= forward_one + m,
            "m = {m}: {forward} vs {forward_one}"
        );
        // The VJP is one gradient of Σ dout_i c_i σ(u): about one output's gradient.
        assert!(
            vjp <= grad_one + 3 * m,
            "m = {m}: vjp {vjp}, grad {grad_one}"
        );
        // The JVP is one tangent pass: about two operations per input, not m times that.
        assert!(
            jvp <= 2 * grad_one + 3 * m,
            "m = {m}: jvp {jvp}, grad {grad_one}"
        );
        // Each row is c_i σ'(u) times the inputs: σ' once, m·k products.
        let k = wrt.len();
        assert!(
            jacobian <= forward + 2 * m * k,
            "m = {m}: jacobian {jacobian}"
        );
    }
}
