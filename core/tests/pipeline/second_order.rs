//! Second derivatives through the pipeline's stages: reverse mode on a partial of the
//! first pass, simplified and shared like any gradient, checked against central
//! differences of the first derivative and against closed forms.

use symgrad_core::rewrite::{Pass, RuleTable};
use symgrad_core::{Graph, Pipeline, evaluate, lower};

/// A formula's first partials (`wrt` order) and the partials of one of them,
/// `∂f/∂wrt[outer]`, again with respect to each of `wrt`, in one shared graph.
struct Second {
    graph: Graph,
    first: Vec<symgrad_core::NodeId>,
    second: Vec<symgrad_core::NodeId>,
}

impl Second {
    fn new(source: &str, wrt: &[u32], outer: usize) -> Self {
        let formula = symgrad_grammar::parse(source).expect("the formula parses");
        let mut graph = Graph::new();
        let root = lower(&mut graph, &formula);
        let mut p = Pipeline::new(graph, RuleTable::standard());
        let value = p.simplify(&[root], Pass::Forward)[0];
        let first = p.reverse(value, wrt);
        let first = p.simplify(&first, Pass::Gradient);
        let second = p.reverse(first[outer], wrt);
        let all = p.simplify(&[first, second].concat(), Pass::Gradient);
        let all = p.share(&all);
        let (first, second) = all.split_at(wrt.len());
        Second {
            graph: p.graph().clone(),
            first: first.to_vec(),
            second: second.to_vec(),
        }
    }

    fn first_at(&self, point: &[f64]) -> Vec<f64> {
        evaluate(&self.graph, &self.first, point)
    }

    fn second_at(&self, point: &[f64]) -> Vec<f64> {
        evaluate(&self.graph, &self.second, point)
    }

    /// Central differences of `∂f/∂wrt[outer]` along each variable of `point`.
    fn central_differences(&self, outer: usize, point: &[f64]) -> Vec<f64> {
        let h = 1e-5;
        (0..point.len())
            .map(|i| {
                let (mut up, mut down) = (point.to_vec(), point.to_vec());
                up[i] += h;
                down[i] -= h;
                (self.first_at(&up)[outer] - self.first_at(&down)[outer]) / (2.0 * h)
            })
            .collect()
    }
}

fn assert_close(actual: f64, expected: f64, what: &str) {
    let tolerance = 1e-6 * expected.abs().max(1.0);
    assert!(
        (actual - expected).abs() <= tolerance,
        "{what}: {actual} ≠ {expected}"
    );
}

/// `f''` of a one-variable formula, against `closed` and central differences of `f'`.
fn check_one_variable(source: &str, points: &[f64], closed: impl Fn(f64) -> f64) -> Second {
    let d = Second::new(source, &[0], 0);
    for &x in points {
        let second = d.second_at(&[x])[0];
        assert_close(second, closed(x), &format!("{source}: f''({x})"));
        let numeric = d.central_differences(0, &[x])[0];
        assert_close(second, numeric, &format!("{source}: f''({x}) numerically"));
    }
    d
}

#[test]
fn the_second_derivative_of_a_cube_is_6x() {
    let points = [-2.0, -0.5, 0.3, 1.7];
    let d = check_one_variable("x^3", &points, |x| 6.0 * x);
    for x in points {
        assert_close(d.first_at(&[x])[0], 3.0 * x * x, "3x²");
    }
}

#[test]
fn the_second_derivative_of_a_sigmoid_is_its_closed_form() {
    check_one_variable("σ(x)", &[-3.0, -0.5, 0.0, 0.8, 4.0], |x| {
        let s = 1.0 / (1.0 + f64::exp(-x));
        s * (1.0 - s) * (1.0 - 2.0 * s)
    });
}

#[test]
fn mixed_partials_agree_with_the_closed_form_in_either_order() {
    // f = x²y + sin(xy): ∂²f/∂x∂y = 2x + cos(xy) - xy·sin(xy).
    let source = "x^2 y + sin(x y)";
    let along_x = Second::new(source, &[0, 1], 0);
    let along_y = Second::new(source, &[0, 1], 1);
    for (x, y) in [(0.5, -1.25), (-1.5, 2.0), (2.0, 0.75)] {
        let point = [x, y];
        let closed = 2.0 * x + f64::cos(x * y) - x * y * f64::sin(x * y);
        let (xy, yx) = (along_x.second_at(&point)[1], along_y.second_at(&point)[0]);
        assert_close(xy, closed, "∂/∂y ∂f/∂x");
        assert_close(yx, closed, "∂/∂x ∂f/∂y");
        assert_close(
            xy,
            along_x.central_differences(0, &point)[1],
            "∂/∂y ∂f/∂x numerically",
        );
        // ∂²f/∂x² = 2y - y²·sin(xy)
        let xx = 2.0 * y - y * y * f64::sin(x * y);
        assert_close(along_x.second_at(&point)[0], xx, "∂²f/∂x²");
        assert_close(
            along_x.second_at(&point)[0],
            along_x.central_differences(0, &point)[0],
            "∂²f/∂x² numerically",
        );
    }
}

#[test]
fn second_derivatives_of_an_if_take_the_branch_and_leak_no_nan() {
    // f = if(x > 0, ln(x), x³): f'' is -1/x² where x > 0, 6x elsewhere.
    let s = Second::new("if(x > 0, ln(x), x^3)", &[0], 0);
    assert_eq!(
        s.second_at(&[-1.0]),
        vec![-6.0],
        "ln's -1/x² is not evaluated"
    );
    assert_eq!(
        s.second_at(&[0.0]),
        vec![0.0],
        "the else branch at the boundary"
    );
    assert_eq!(s.second_at(&[2.0]), vec![-0.25]);
    assert_eq!(s.first_at(&[-1.0]), vec![3.0]);
    let central = s.central_differences(0, &[2.0])[0];
    assert!((central + 0.25).abs() <= 1e-6, "{central}");
}
