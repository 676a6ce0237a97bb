//! `symgrad rust`: the code `#[derive_grad]` generates, formatted.

mod support;

use support::{stdout, symgrad};

use symgrad_core::{CodegenOptions, Float, Gradient, generate};

const NEURON: &str = "1/(1+e^-(w0x0+w1x1+w2))";

/// What the macro emits for `fn name(vars…) -> F`, formatted the same way.
fn macro_code(source: &str, name: &str, wrt: &[u32], float: Float) -> String {
    let formula = symgrad_grammar::parse(source).expect("the formula parses");
    let grad = Gradient::new(&formula, wrt);
    let mut options = CodegenOptions::new(name, grad.vars()).expect("valid names");
    options.float = float;
    let file: syn::File = syn::parse2(generate(&grad, &options)).expect("the code parses");
    prettyplease::unparse(&file)
}

#[test]
fn prints_the_macros_code_for_the_neuron() {
    let printed = stdout(&symgrad(&["rust", NEURON, "--name", "neuron"]));
    assert_eq!(
        printed,
        macro_code(NEURON, "neuron", &[0, 1, 2, 3, 4], Float::F64)
    );
    assert!(printed.contains("\nfn neuron(w0: f64"), "{printed}");
}

#[test]
fn wrt_and_f32_shape_the_signature() {
    let printed = stdout(&symgrad(&["rust", "x*y + y", "--wrt", "y", "--f32"]));
    assert_eq!(printed, macro_code("x*y + y", "f", &[1], Float::F32));
    assert!(
        printed.contains("pub const WRT: [&str; 1] = [\"y\"];"),
        "{printed}"
    );
    assert!(
        printed.contains("pub fn grad(x: f32, y: f32) -> (f32, [f32; 1])"),
        "{printed}"
    );
    assert!(!printed.contains("f64"), "{printed}");
}

#[test]
fn keywords_become_raw_identifiers() {
    let printed = stdout(&symgrad(&["rust", "type * in"]));
    assert!(
        printed.contains("fn f(r#type: f64, r#in: f64) -> f64"),
        "{printed}"
    );
    assert!(printed.contains("[\"type\", \"in\"]"), "{printed}");
}

#[test]
fn a_name_rust_cannot_use_exits_2() {
    let out = symgrad(&["rust", "x + 1", "--name", "two words"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("`two words` is not a Rust identifier"),
        "{stderr}"
    );
}

#[test]
fn a_bad_formula_exits_2_with_a_caret() {
    let out = symgrad(&["rust", "x +"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains('^'));
}
