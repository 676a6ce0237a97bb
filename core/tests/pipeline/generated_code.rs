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
    // The forward part is one `sigmoid` call; the backward part one `sigmoid_prime` call
    // on the same argument, which shares the exponential once inlined.
    insta::assert_snapshot!(generated("1/(1+e^-(w0x0+w1x1+w2))", "neuron"));
}

#[test]
fn sigmoid_gate_and_its_gradient_gate_take_one_argument_computed_once() {
    let code = generated("σ(w0x0+w1x1+w2)", "neuron");
    let grad = &code[code.find("pub fn grad").expect("grad is generated")..];
    let grad = &grad[..grad.find("pub fn forward").expect("forward follows grad")];
    assert_eq!(grad.matches("gates::sigmoid(t1)").count(), 1, "{grad}");
    assert_eq!(
        grad.matches("gates::sigmoid_prime(t1)").count(),
        1,
        "{grad}"
    );
    assert_eq!(grad.matches("w0 * x0").count(), 1, "{grad}");
    assert!(code.contains("pub fn sigmoid(x: F) -> F"), "{code}");
    assert!(code.contains("pub fn sigmoid_prime(x: F) -> F"), "{code}");
}

#[test]
fn division_subtraction_and_integer_powers_read_as_rust() {
    let code = generated("x/y - z^3", "f");
    let f = &code[..code.find("mod f").expect("mod f is generated")];
    assert!(f.contains("x / y - z.powi(3)"), "{f}");
}
