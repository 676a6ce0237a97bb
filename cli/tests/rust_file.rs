//! `symgrad rust --file F.rs [--fn NAME]`: what `#[derive_grad]` generates for a function
//! of a Rust file, from the macro's own expansion (`symgrad_expand::derive_grad`).

mod support;

use std::path::PathBuf;
use std::process::Output;

use proc_macro2::{Delimiter, TokenStream, TokenTree};
use support::{assert_bad_input, stderr, stdout, symgrad};

/// A file of `tests/data/rust_file/`.
fn data(name: &str) -> String {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/rust_file");
    dir.join(name).display().to_string()
}

fn rust_file(name: &str, function: Option<&str>) -> Output {
    let path = data(name);
    let mut args = vec!["rust", "--file", &path];
    args.extend(function.iter().flat_map(|f| ["--fn", f]));
    symgrad(&args)
}

#[test]
fn a_formula_string_function_prints_what_the_formula_form_prints() {
    let printed = stdout(&rust_file("neuron_string.rs", None));
    assert!(printed.contains("\nfn neuron(w0: f64"), "{printed}");
    assert!(printed.contains("pub fn grad(w0: f64"), "{printed}");
    assert_eq!(
        printed,
        stdout(&symgrad(&[
            "rust",
            "1/(1+e^-(w0x0+w1x1+w2))",
            "--name",
            "neuron"
        ]))
    );
}

#[test]
fn a_rust_body_prints_the_same_code_as_its_formula_string() {
    let body = stdout(&rust_file("neuron_body.rs", None));
    assert_eq!(body, stdout(&rust_file("neuron_string.rs", None)));
}

#[test]
fn the_attributes_options_shape_the_code() {
    let printed = stdout(&rust_file("several.rs", Some("neuron")));
    assert!(printed.contains("pub fn neuron(w0: f64"), "{printed}");
    assert!(
        printed.contains("pub const WRT: [&str; 2] = [\"w0\", \"w1\"];"),
        "{printed}"
    );
    assert!(printed.contains("#[test]"), "test_at's check: {printed}");
    let logistic = stdout(&rust_file("several.rs", Some("logistic")));
    assert!(
        logistic.contains("pub fn hessian(z: f64, y: f64)"),
        "{logistic}"
    );
}

#[test]
fn an_array_function_keeps_its_loop() {
    let printed = stdout(&rust_file("dot.rs", None));
    assert!(printed.starts_with("/// A dot product.\n"), "{printed}");
    assert!(printed.contains("pub struct Grad"), "{printed}");
    assert!(printed.contains("for i in 0..3"), "{printed}");
    assert!(printed.contains("pub fn grad_into("), "{printed}");
}

#[test]
fn fn_chooses_by_name_or_by_module_path() {
    let layers = stdout(&rust_file("several.rs", Some("layers::square")));
    assert!(layers.contains("pub fn square(x: f32) -> f32"), "{layers}");
    let losses = stdout(&rust_file("several.rs", Some("losses::square")));
    assert!(losses.contains("pub fn square(x: f64) -> f64"), "{losses}");
    let logistic = stdout(&rust_file("several.rs", Some("logistic")));
    assert!(
        logistic.contains("pub fn logistic(z: f64, y: f64)"),
        "{logistic}"
    );
}

#[test]
fn several_functions_need_fn() {
    assert_bad_input(
        &rust_file("several.rs", None),
        &[
            "has 4 `#[derive_grad]` functions: `neuron`, `losses::logistic`, `losses::square`, `layers::square`",
            "--fn NAME",
        ],
    );
}

#[test]
fn a_name_in_two_modules_needs_its_path() {
    assert_bad_input(
        &rust_file("several.rs", Some("square")),
        &[
            "2 `#[derive_grad]` functions named `square`",
            "`--fn losses::square`",
        ],
    );
}

#[test]
fn an_unknown_fn_lists_the_functions() {
    assert_bad_input(
        &rust_file("several.rs", Some("helper")),
        &[
            "no `#[derive_grad]` function `helper`",
            "`neuron`, `losses::logistic`, `losses::square`, `layers::square`",
        ],
    );
}

#[test]
fn a_file_without_derive_grad_is_an_error() {
    assert_bad_input(
        &rust_file("none.rs", None),
        &["no `#[derive_grad]` function in", "none.rs"],
    );
}

#[test]
fn a_missing_file_is_an_error() {
    assert_bad_input(
        &rust_file("no_such_file.rs", None),
        &["cannot read", "no_such_file.rs"],
    );
}

#[test]
fn a_file_that_is_not_rust_is_an_error_at_its_place() {
    let path = data("not_rust.py");
    assert_bad_input(
        &rust_file("not_rust.py", None),
        &["is not Rust", &format!("--> {path}:1:5"), "def f(x):"],
    );
}

#[test]
fn unbalanced_braces_and_bytes_are_not_rust() {
    let dir = temp_dir("not-rust");
    let unbalanced = dir.join("unbalanced.rs");
    std::fs::write(&unbalanced, "fn f(x: f64) -> f64 {\n    x\n").expect("written");
    let shown = unbalanced.display().to_string();
    let out = symgrad(&["rust", "--file", &shown]);
    assert_bad_input(
        &out,
        &["is not Rust", "unclosed", &format!("--> {shown}:1:21")],
    );
    let binary = dir.join("binary.rs");
    std::fs::write(&binary, [0x7f, b'E', b'L', b'F', 0xff, 0xfe]).expect("written");
    let out = symgrad(&["rust", "--file", &binary.display().to_string()]);
    assert_bad_input(&out, &["is not UTF-8"]);
    std::fs::remove_dir_all(dir).expect("removed");
}

#[test]
fn the_macros_errors_point_at_the_files_tokens() {
    let path = data("misuse.rs");
    let err = assert_bad_input(
        &rust_file("misuse.rs", None),
        &[
            "error: parameter `n` must be `f64` or `f32`",
            &format!("--> {path}:6:17"),
            "fn f(x: f64, n: i32) -> f64 {",
            "error: unsupported operator `%`",
            &format!("--> {path}:7:7"),
        ],
    );
    // The stubs emitted beside the errors are not printed.
    assert!(!err.contains("unreachable"), "{err}");
}

#[test]
fn a_string_errors_caret_sits_in_its_message() {
    let dir = temp_dir("string-error");
    let path = dir.join("f.rs");
    std::fs::write(&path, "#[derive_grad(\"x + 2 3\")]\nfn f(x: f64) -> f64;\n").expect("written");
    let shown = path.display().to_string();
    assert_bad_input(
        &symgrad(&["rust", "--file", &shown]),
        &[
            "two numbers side by side: `2 3`",
            "help: write `2*3` for their product",
            &format!("--> {shown}:1:15"),
        ],
    );
    std::fs::remove_dir_all(dir).expect("removed");
}

#[test]
fn a_key_value_attribute_is_an_error() {
    let dir = temp_dir("key-value");
    let path = dir.join("f.rs");
    std::fs::write(&path, "#[derive_grad = \"x\"]\nfn f(x: f64) -> f64;\n").expect("written");
    let shown = path.display().to_string();
    assert_bad_input(
        &symgrad(&["rust", "--file", &shown]),
        &["key-value macro attributes are not supported", ":1:3"],
    );
    std::fs::remove_dir_all(dir).expect("removed");
}

#[test]
fn a_deep_or_huge_file_is_refused_not_a_stack_overflow() {
    let dir = temp_dir("deep");
    let deep = dir.join("deep.rs");
    let body = format!("{}x{}", "(".repeat(100_000), ")".repeat(100_000));
    std::fs::write(
        &deep,
        format!("#[derive_grad]\nfn f(x: f64) -> f64 {{ {body} }}\n"),
    )
    .expect("written");
    let out = symgrad(&["rust", "--file", &deep.display().to_string()]);
    assert_bad_input(&out, &["nested too deeply", "deep.rs:2:"]);
    // Types nest without groups; so do closures, `break break …`: the token count bounds them.
    let generic = dir.join("generic.rs");
    let ty = format!("{}f64{}", "A<".repeat(100_000), ">".repeat(100_000));
    std::fs::write(&generic, format!("type T = {ty};\n")).expect("written");
    let out = symgrad(&["rust", "--file", &generic.display().to_string()]);
    assert_bad_input(&out, &["tokens, more than `rust --file` reads"]);
    std::fs::remove_dir_all(dir).expect("removed");
}

#[test]
fn the_formula_flags_do_not_apply_to_a_file() {
    let path = data("dot.rs");
    for (flag, value) in [
        ("--vars", Some("x")),
        ("--wrt", Some("w")),
        ("--at", Some("x=1")),
        ("--name", Some("g")),
        ("--f32", None),
        ("--hessian", None),
    ] {
        let mut args = vec!["rust", "--file", &path, flag];
        args.extend(value);
        assert_bad_input(
            &symgrad(&args),
            &[&format!(
                "`{flag}` is for a formula EXPR and does not apply with `--file`"
            )],
        );
    }
}

#[test]
fn expr_and_file_exclude_each_other_and_fn_needs_file() {
    let path = data("dot.rs");
    assert_bad_input(
        &symgrad(&["rust", "x^2", "--file", &path]),
        &["cannot be used with"],
    );
    assert_bad_input(
        &symgrad(&["rust", "x^2", "--fn", "f"]),
        &["cannot be used with"],
    );
    assert_bad_input(&symgrad(&["rust"]), &["<EXPR|--file <F.rs>>"]);
}

/// The macro's errors reach `rust --file` as they reach rustc: on every compile-fail case of
/// `tests/ui/` the macro rejects, each error `rust --file` prints (message, `--> file:line:column`,
/// source line and carets) is in the `.stderr` rustc gave trybuild, character for character.
#[test]
fn the_ui_cases_errors_print_as_rustc_prints_them() {
    let tests = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests");
    let mut cases = Vec::new();
    let mut dirs = vec![tests.join("ui")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("tests/ui is readable") {
            let path = entry.expect("an entry").path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                cases.push(path);
            }
        }
    }
    let mut compared = 0;
    for case in &cases {
        let relative = case.strip_prefix(&tests).expect("under tests/");
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_symgrad"))
            .args(["rust", "--file", &relative.display().to_string()])
            .current_dir(&tests)
            .output()
            .expect("symgrad runs");
        // Exit 0: the macro accepts the item and rustc rejects the generated code or a use.
        if out.status.success() {
            continue;
        }
        let expected = std::fs::read_to_string(case.with_extension("stderr")).expect(".stderr");
        let printed = stderr(&out);
        for error in printed.trim_end().split("\n\nerror") {
            let error = error.trim_start_matches(": ");
            assert!(
                expected.contains(error.trim_start_matches("error: ")),
                "{}: `rust --file` printed\n{printed}\nrustc:\n{expected}",
                relative.display()
            );
        }
        compared += 1;
    }
    assert!(
        compared >= 50,
        "only {compared} of {} cases compared",
        cases.len()
    );
}

/// One lowering: what `rust --file` prints is, token for token and character for
/// character, the formatted expansion `symgrad_expand::derive_grad` gives the macro for
/// the same attribute and item.
#[test]
fn the_file_prints_the_macros_own_expansion() {
    let cases = [
        (
            "",
            "/// A dot product.\npub fn dot(w: &[f64; 3], x: &[f64; 3]) -> f64 {\n    let mut s = 0.0;\n    for i in 0..3 {\n        s += w[i] * x[i];\n    }\n    s\n}",
        ),
        (
            "\"1/(1+e^-(w0x0+w1x1+w2))\", wrt(w0, w1), test_at(w0 = 2, x0 = -1, w1 = -3, x1 = -2, w2 = -3)",
            "#[inline]\npub(crate) fn neuron(w0: f64, x0: f64, w1: f64, x1: f64, w2: f64) -> f64;",
        ),
        (
            "hessian",
            "fn huber(x: f64, d: f64) -> f64 {\n    if x.abs() <= d { 0.5 * x * x } else { d * (x.abs() - 0.5 * d) }\n}",
        ),
        (
            "",
            "fn softmax_loss(s: &[f64; 5], y: usize) -> f64 {\n    let m = s.iter().fold(s[0], |m, &v| m.max(v));\n    let total = s.iter().map(|&v| (v - m).exp()).sum::<f64>();\n    m + total.ln() - s[y]\n}",
        ),
        (
            "wrt(x, y), argmin(nalgebra), levenberg_marquardt",
            "fn residuals(x: f64, y: f64, a: f64) -> (f64, f64) {\n    (10.0 * (y - x * x), a - x)\n}",
        ),
        (
            "argmin, wrt(w)",
            "fn loss<const N: usize>(w: &[[f64; N]; 2], x: &[f64]) -> f64 {\n    let mut s = 0.0;\n    for j in 0..2 {\n        for i in 0..N {\n            s += w[j][i] * x[i];\n        }\n    }\n    s * s\n}",
        ),
    ];
    let dir = temp_dir("one-lowering");
    for (i, (attr, item)) in cases.into_iter().enumerate() {
        let path = dir.join(format!("case{i}.rs"));
        let source = format!("use symgrad::derive_grad;\n\n#[derive_grad({attr})]\n{item}\n");
        std::fs::write(&path, &source).expect("written");
        let printed = stdout(&symgrad(&["rust", "--file", &path.display().to_string()]));

        let attr: TokenStream = attr.parse().expect("the attribute tokenizes");
        let item: TokenStream = item.parse().expect("the item tokenizes");
        let expansion = symgrad_expand::derive_grad(attr, item);
        assert!(
            !expansion.to_string().contains("compile_error"),
            "{expansion}"
        );
        let printed_tokens: TokenStream = printed.parse().expect("the output tokenizes");
        assert_eq!(
            tokens(printed_tokens),
            tokens(expansion.clone()),
            "{source}"
        );
        let expanded: syn::File = syn::parse2(expansion).expect("the expansion parses");
        assert_eq!(printed, prettyplease::unparse(&expanded), "{source}");
    }
    std::fs::remove_dir_all(dir).expect("removed");
}

/// The tokens of `stream` in order, groups as their delimiters, up to what printing may
/// respell: a string literal by its value (`///` comments print back as raw strings), and no
/// comma before a closing delimiter or `>` (prettyplease ends a list of fields with one, and
/// drops the generator's in `<'a,>`).
fn tokens(stream: TokenStream) -> Vec<String> {
    let mut out = Vec::new();
    flatten(stream, &mut out);
    let mut kept: Vec<String> = Vec::new();
    for token in out {
        if matches!(token.as_str(), ")" | "]" | "}" | ">") && kept.last().is_some_and(|t| t == ",")
        {
            kept.pop();
        }
        kept.push(token);
    }
    kept
}

fn flatten(stream: TokenStream, out: &mut Vec<String>) {
    for tree in stream {
        match tree {
            TokenTree::Group(group) => {
                let (open, close) = match group.delimiter() {
                    Delimiter::Parenthesis => ("(", ")"),
                    Delimiter::Bracket => ("[", "]"),
                    Delimiter::Brace => ("{", "}"),
                    Delimiter::None => ("", ""),
                };
                out.push(open.to_string());
                flatten(group.stream(), out);
                out.push(close.to_string());
            }
            TokenTree::Literal(literal) => {
                let text = literal.to_string();
                out.push(match syn::parse_str::<syn::LitStr>(&text) {
                    Ok(string) => format!("{:?}", string.value()),
                    Err(_) => text,
                });
            }
            other => out.push(other.to_string()),
        }
    }
}

/// A fresh directory for one test's files.
fn temp_dir(what: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("symgrad-rust-file-{what}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary directory");
    dir
}
