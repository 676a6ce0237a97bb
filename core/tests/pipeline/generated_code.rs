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
    // The forward part is one `sigmoid` call, whose value the backward part reuses in
    // `σ(u)·σ(-u)`.
    insta::assert_snapshot!(generated("1/(1+e^-(w0x0+w1x1+w2))", "neuron"));
}

#[test]
fn sigmoid_gate_value_is_reused_in_the_backward_part() {
    let code = generated("σ(w0x0+w1x1+w2)", "neuron");
    let grad = &code[code.find("pub fn grad").expect("grad is generated")..];
    let grad = &grad[..grad.find("pub fn forward").expect("forward follows grad")];
    // σ(u) and the σ(-u) of its local gradient, of one argument computed once.
    assert_eq!(grad.matches("gates::sigmoid(").count(), 2, "{grad}");
    assert!(grad.contains("gates::sigmoid(t1)") && grad.contains("gates::sigmoid(-t1)"));
    assert_eq!(grad.matches("w0 * x0").count(), 1, "{grad}");
    assert!(code.contains("pub fn sigmoid(x: F) -> F"), "{code}");
}

#[test]
fn division_subtraction_and_integer_powers_read_as_rust() {
    let code = generated("x/y - z^3", "f");
    let f = &code[..code.find("mod f").expect("mod f is generated")];
    assert!(f.contains("x / y - z.powi(3)"), "{f}");
}
