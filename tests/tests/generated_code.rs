//! The code generated for the lecture's neuron, as `#[derive_grad]` and `symgrad rust`
//! emit it: a snapshot, refreshed deliberately (`cargo insta review`).

use symgrad_core::{CodegenOptions, Gradient, generate};

fn generated(source: &str, name: &str) -> String {
    let formula = symgrad_grammar::parse(source).expect("the formula parses");
    let grad = Gradient::all(&formula);
    let options = CodegenOptions::new(name, grad.vars()).expect("valid names");
    let file: syn::File = syn::parse2(generate(&grad, &options)).expect("generated code parses");
    prettyplease::unparse(&file)
}

#[test]
fn neuron_code() {
    // Once the gates issue lands, the forward part is one `sigmoid` call whose value the
    // backward part reuses as `t·(1 - t)`; the lead re-blesses this snapshot at that merge.
    insta::assert_snapshot!(generated("1/(1+e^-(w0x0+w1x1+w2))", "neuron"));
}

#[test]
fn sigmoid_gate_value_is_reused_in_the_backward_part() {
    let code = generated("σ(w0x0+w1x1+w2)", "neuron");
    let grad = &code[code.find("pub fn grad").expect("grad is generated")..];
    let grad = &grad[..grad.find("pub fn forward").expect("forward follows grad")];
    assert_eq!(grad.matches("gates::sigmoid(").count(), 1, "{grad}");
    assert!(code.contains("pub fn sigmoid(x: F) -> F"), "{code}");
}

#[test]
fn division_subtraction_and_integer_powers_read_as_rust() {
    let code = generated("x/y - z^3", "f");
    let f = &code[..code.find("mod f").expect("mod f is generated")];
    assert!(f.contains("x / y - z.powi(3)"), "{f}");
}

/// Reverse mode's cheap-gradient bound on the generated code: the value and all partials
/// together cost at most about four times the value alone (SPEC §5's benchmark formulas).
#[test]
fn the_fused_gradient_costs_at_most_four_times_the_value() {
    let fifty = format!(
        "σ({} + b)",
        (0..50)
            .map(|i| format!("w{i} x{i}"))
            .collect::<Vec<_>>()
            .join(" + ")
    );
    let nested = (0..16).fold("x".to_string(), |s, _| format!("σ({s})"));
    for source in [
        "1/(1+e^-(w0x0+w1x1+w2))",
        "σ(v1 σ(w11 x1 + w12 x2 + b1) + v2 σ(w21 x1 + w22 x2 + b2) + c)",
        "ln(1+e^-(y*(w1 x1 + w2 x2 + b)))",
        &fifty,
        &nested,
    ] {
        let grad = Gradient::all(&symgrad_grammar::parse(source).expect("the formula parses"));
        let forward = symgrad_core::count_ops(grad.graph(), &[grad.value()]);
        let fused = symgrad_core::count_ops(grad.graph(), &grad.roots());
        assert!(fused <= 4 * forward, "{source}: {fused} > 4 × {forward}");
    }
}
