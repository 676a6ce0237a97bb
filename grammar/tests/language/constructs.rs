//! Every construct of SPEC §1, one fact per test, as s-expressions:
//! `(+ a -b)` is `a - b`, `(* a /b)` is `a / b`, `(- x)` is `-x`.

use symgrad_grammar::{ExprKind, Func, Span, parse, parse_with_vars};

use super::{sexpr, sexpr_with};

// numbers

#[test]
fn integer() {
    assert_eq!(sexpr("2"), "2");
}

#[test]
fn decimal() {
    assert_eq!(sexpr("0.5"), "0.5");
}

#[test]
fn decimal_without_leading_digit() {
    assert_eq!(sexpr(".5"), "0.5");
}

#[test]
fn decimal_without_fraction_digits() {
    assert_eq!(sexpr("2."), "2");
}

#[test]
fn negative_exponent() {
    assert_eq!(sexpr("1e-3"), "0.001");
}

#[test]
fn capital_exponent_with_plus() {
    assert_eq!(sexpr("2.5E+4"), "25000");
}

#[test]
fn exponent_when_digits_follow_e() {
    assert_eq!(sexpr("2e3"), "2000");
}

#[test]
fn unicode_minus_in_exponent() {
    assert_eq!(sexpr("1e−3"), "0.001");
}

#[test]
fn e_without_digits_is_eulers_number() {
    assert_eq!(sexpr("2e"), "(* 2 e)");
}

#[test]
fn e_and_sign_without_digits_is_a_sum() {
    assert_eq!(sexpr("2e-x"), "(+ (* 2 e) -x)");
}

#[test]
fn e_followed_by_letters_is_a_name() {
    // `ex` is one name, like `xy`.
    assert_eq!(sexpr("2ex"), "(* 2 ex)");
}

// names

#[test]
fn single_letter_name() {
    assert_eq!(sexpr("x"), "x");
}

#[test]
fn name_with_digits() {
    assert_eq!(sexpr("x12"), "x12");
}

#[test]
fn word_name() {
    assert_eq!(sexpr("alpha"), "alpha");
}

#[test]
fn name_with_word_suffix() {
    assert_eq!(sexpr("y_hat"), "y_hat");
}

#[test]
fn name_with_digit_suffix() {
    assert_eq!(sexpr("x_1"), "x_1");
}

#[test]
fn greek_name() {
    assert_eq!(sexpr("θ"), "θ");
}

#[test]
fn a_new_name_starts_after_digits() {
    assert_eq!(sexpr("w0x0"), "(* w0 x0)");
}

#[test]
fn letters_run_together_are_one_name() {
    assert_eq!(sexpr("xy"), "xy");
}

#[test]
fn free_variables_in_order_of_first_appearance() {
    assert_eq!(
        parse("y + x*y + z").map(|f| f.vars),
        Ok(vec!["y".into(), "x".into(), "z".into()])
    );
}

#[test]
fn declared_variables_keep_their_order() {
    let vars = parse_with_vars("y + x", &["x", "y", "z"]).map(|f| f.vars);
    assert_eq!(vars, Ok(vec!["x".into(), "y".into(), "z".into()]));
}

// constants

#[test]
fn euler() {
    assert_eq!(sexpr("e"), "e");
}

#[test]
fn pi_spelled_out() {
    assert_eq!(sexpr("pi"), "π");
}

#[test]
fn pi_symbol() {
    assert_eq!(sexpr("π"), "π");
}

#[test]
fn pi_symbol_ends_a_name() {
    assert_eq!(sexpr("2πr"), "(* 2 π r)");
}

#[test]
fn e_to_a_power() {
    assert_eq!(sexpr("e^u"), "(^ e u)");
}

#[test]
fn constants_are_not_variables() {
    assert_eq!(parse("e*pi*π").map(|f| f.vars.len()), Ok(0));
}

// sums

#[test]
fn sum_is_flat_and_left_to_right() {
    assert_eq!(sexpr("a + b - c"), "(+ a b -c)");
}

#[test]
fn unicode_minus_subtracts() {
    assert_eq!(sexpr("a − b"), "(+ a -b)");
}

// products

#[test]
fn star() {
    assert_eq!(sexpr("a*b"), "(* a b)");
}

#[test]
fn slash() {
    assert_eq!(sexpr("a/b"), "(* a /b)");
}

#[test]
fn middle_dot() {
    assert_eq!(sexpr("a·b"), "(* a b)");
}

#[test]
fn times_sign() {
    assert_eq!(sexpr("a×b"), "(* a b)");
}

#[test]
fn division_sign() {
    assert_eq!(sexpr("a÷b"), "(* a /b)");
}

#[test]
fn star_between_numbers() {
    assert_eq!(sexpr("2*3"), "(* 2 3)");
}

#[test]
fn middle_dot_between_numbers() {
    assert_eq!(sexpr("2·3×4"), "(* 2 3 4)");
}

#[test]
fn number_next_to_name() {
    assert_eq!(sexpr("2x"), "(* 2 x)");
}

#[test]
fn names_separated_by_space() {
    assert_eq!(sexpr("x y"), "(* x y)");
}

#[test]
fn number_next_to_parentheses() {
    assert_eq!(sexpr("2(x+1)"), "(* 2 (+ x 1))");
}

#[test]
fn parentheses_next_to_parentheses() {
    assert_eq!(sexpr("(a+b)(c-d)"), "(* (+ a b) (+ c -d))");
}

#[test]
fn call_next_to_call() {
    assert_eq!(sexpr("sin(x)cos(x)"), "(* (sin x) (cos x))");
}

#[test]
fn juxtaposition_is_one_level_with_division() {
    assert_eq!(sexpr("a/2b"), "(* a /2 b)");
}

#[test]
fn product_is_flat_and_left_to_right() {
    assert_eq!(sexpr("a*b/c*d"), "(* a b /c d)");
}

#[test]
fn product_binds_tighter_than_sum() {
    assert_eq!(sexpr("a + b*c"), "(+ a (* b c))");
}

// unary

#[test]
fn minus() {
    assert_eq!(sexpr("-x"), "(- x)");
}

#[test]
fn plus_leaves_no_node() {
    assert_eq!(sexpr("+x"), "x");
}

#[test]
fn unicode_minus() {
    assert_eq!(sexpr("−x"), "(- x)");
}

#[test]
fn minus_binds_looser_than_power() {
    assert_eq!(sexpr("-x^2"), "(- (^ x 2))");
}

#[test]
fn minus_binds_tighter_than_product() {
    assert_eq!(sexpr("-a*b"), "(* (- a) b)");
}

#[test]
fn double_minus() {
    assert_eq!(sexpr("--x"), "(- (- x))");
}

#[test]
fn minus_after_product_operator() {
    assert_eq!(sexpr("2*-3"), "(* 2 (- 3))");
}

#[test]
fn minus_after_minus() {
    assert_eq!(sexpr("a - -b"), "(+ a -(- b))");
}

#[test]
fn space_then_minus_is_subtraction() {
    assert_eq!(sexpr("x -y"), "(+ x -y)");
}

// powers

#[test]
fn caret() {
    assert_eq!(sexpr("x^2"), "(^ x 2)");
}

#[test]
fn double_star() {
    assert_eq!(sexpr("x**2"), "(^ x 2)");
}

#[test]
fn double_star_with_negative_exponent() {
    assert_eq!(sexpr("x**-2"), "(^ x (- 2))");
}

#[test]
fn power_is_right_associative() {
    assert_eq!(sexpr("x^y^z"), "(^ x (^ y z))");
}

#[test]
fn negative_exponent_of_e() {
    assert_eq!(sexpr("e^-x"), "(^ e (- x))");
}

#[test]
fn negative_exponent_of_number() {
    assert_eq!(sexpr("2^-3"), "(^ 2 (- 3))");
}

#[test]
fn exponent_is_a_unary_expression() {
    assert_eq!(sexpr("x^-y^2"), "(^ x (- (^ y 2)))");
}

#[test]
fn negative_parenthesized_exponent() {
    assert_eq!(
        sexpr("e^-(w0x0+w1x1+w2)"),
        "(^ e (- (+ (* w0 x0) (* w1 x1) w2)))"
    );
}

#[test]
fn power_binds_tighter_than_juxtaposition() {
    assert_eq!(sexpr("2x^2"), "(* 2 (^ x 2))");
}

#[test]
fn exponent_ends_at_its_operand() {
    assert_eq!(sexpr("x^2y"), "(* (^ x 2) y)");
}

// calls

#[test]
fn exp_call() {
    assert_eq!(sexpr("exp(x)"), "(exp x)");
}

#[test]
fn two_argument_call() {
    assert_eq!(sexpr("max(a, b)"), "(max a b)");
}

#[test]
fn sigma_is_sigmoid() {
    assert_eq!(sexpr("σ(x)"), "(sigmoid x)");
}

#[test]
fn sigmoid_spelled_out() {
    assert_eq!(sexpr("sigmoid(x)"), "(sigmoid x)");
}

#[test]
fn log_is_natural() {
    assert_eq!(sexpr("log(x)"), "(ln x)");
}

#[test]
fn log_with_base() {
    assert_eq!(sexpr("log(x, 2)"), "(log x 2)");
}

#[test]
fn log2_and_log10_are_functions() {
    assert_eq!(sexpr("log2(x) + log10(x)"), "(+ (log2 x) (log10 x))");
}

#[test]
fn pow_call() {
    assert_eq!(sexpr("pow(a, b)"), "(pow a b)");
}

#[test]
fn stable_forms_are_functions() {
    assert_eq!(sexpr("ln_1p(x) + exp_m1(y)"), "(+ (ln_1p x) (exp_m1 y))");
}

#[test]
fn logsumexp_and_softmax_take_any_number_of_arguments() {
    assert_eq!(sexpr("logsumexp(x)"), "(logsumexp x)");
    assert_eq!(sexpr("logsumexp(a, b, c, d)"), "(logsumexp a b c d)");
    assert_eq!(sexpr("softmax(a, 2b)"), "(softmax a (* 2 b))");
    assert_eq!(sexpr("log_softmax(a, b, c)"), "(log_softmax a b c)");
}

#[test]
fn log1mexp_is_one_name_though_letters_follow_its_digit() {
    assert_eq!(
        sexpr("log1mexp(x) + log1mexp (-y)"),
        "(+ (log1mexp x) (log1mexp (- y)))"
    );
    // Any other letters after a digit still start a second name.
    assert_eq!(sexpr("w1x"), "(* w1 x)");
    assert_eq!(sexpr("log1mexpy"), "(* log1 mexpy)");
}

#[test]
fn elu_of_one_argument_is_elu_with_a_equal_to_one() {
    assert_eq!(sexpr("elu(x)"), sexpr("elu(x, 1)"));
}

#[test]
fn space_before_call_parenthesis() {
    assert_eq!(sexpr("exp (x)"), "(exp x)");
}

#[test]
fn every_function_parses() {
    for f in Func::ALL {
        let args = ["(x)", "(x, y)", "(x, y, z)"][f.arity() - 1];
        let source = format!("{}{args}", f.name());
        assert!(
            matches!(parse(&source).map(|p| p.expr.kind), Ok(ExprKind::Call(g, _)) if g == f),
            "{source}"
        );
    }
}

#[test]
fn function_names_are_never_variables() {
    assert_eq!(parse("sin(x)").map(|f| f.vars), Ok(vec!["x".to_owned()]));
}

#[test]
fn declared_variable_before_parentheses_is_a_product() {
    assert_eq!(sexpr_with("f(x+1)", &["f", "x"]), "(* f (+ x 1))");
}

#[test]
fn declared_variable_space_parentheses_is_a_product() {
    assert_eq!(sexpr_with("x (y)", &["x", "y"]), "(* x y)");
}

#[test]
fn constant_before_parentheses_is_a_product() {
    assert_eq!(sexpr("e(x+1)"), "(* e (+ x 1))");
}

// grouping

#[test]
fn parentheses_leave_no_node() {
    assert_eq!(sexpr("((x))"), "x");
}

#[test]
fn parentheses_override_precedence() {
    assert_eq!(sexpr("(a+b)*c"), "(* (+ a b) c)");
}

#[test]
fn cs231n_neuron() {
    assert_eq!(
        sexpr("1/(1+e^-(w0x0+w1x1+w2))"),
        "(* 1 /(+ 1 (^ e (- (+ (* w0 x0) (* w1 x1) w2)))))"
    );
}

#[test]
fn whitespace_anywhere() {
    assert_eq!(sexpr(" \t( x\n+ 1 )\r\n"), "(+ x 1)");
}

// spans

fn span(source: &str) -> Span {
    parse(source).map_or(Span::default(), |f| f.expr.span)
}

#[test]
fn negation_spans_sign_and_operand() {
    assert_eq!(span("-x^2"), Span::new(0, 4));
}

#[test]
fn group_span_includes_parentheses() {
    assert_eq!(span(" (x+1) "), Span::new(1, 6));
}

#[test]
fn call_span_covers_name_to_parenthesis() {
    assert_eq!(span("max(a, b)"), Span::new(0, 9));
}

#[test]
fn spans_count_bytes() {
    // `θ` and `·` take two bytes each.
    assert_eq!(span("θ·x"), Span::new(0, 5));
}

#[test]
fn power_spans_base_to_exponent() {
    let formula = parse("-x^2").map(|f| f.expr.kind);
    let Ok(ExprKind::Neg(power)) = formula else {
        panic!("{formula:?}")
    };
    assert_eq!(power.span, Span::new(1, 4));
}
