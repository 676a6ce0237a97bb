//! `#[derive_grad(argmin)]`'s `Problem` in argmin's solvers (SPEC §10): L-BFGS on
//! Rosenbrock against a hand-written gradient, Newton with the generated Hessian,
//! Gauss–Newton on residuals, a loss over data with arrays, and the cache.

use argmin::core::{CostFunction, Executor, Gradient, Hessian, Jacobian, Operator, State};
use argmin::solver::gaussnewton::GaussNewton;
use argmin::solver::linesearch::MoreThuenteLineSearch;
use argmin::solver::newton::Newton;
use argmin::solver::quasinewton::LBFGS;
use nalgebra::DVector;
use symgrad::derive_grad;

#[derive_grad(argmin, hessian)]
fn rosenbrock(x: f64, y: f64) -> f64 {
    (1.0 - x).powi(2) + 100.0 * (y - x * x).powi(2)
}

#[derive_grad(argmin(nalgebra), hessian)]
fn rosenbrock_nalgebra(x: f64, y: f64) -> f64 {
    (1.0 - x).powi(2) + 100.0 * (y - x * x).powi(2)
}

/// Rosenbrock with its gradient written by hand: the reference run.
struct HandWritten;

impl CostFunction for HandWritten {
    type Param = Vec<f64>;
    type Output = f64;
    fn cost(&self, p: &Vec<f64>) -> Result<f64, argmin::core::Error> {
        Ok((1.0 - p[0]).powi(2) + 100.0 * (p[1] - p[0] * p[0]).powi(2))
    }
}

impl Gradient for HandWritten {
    type Param = Vec<f64>;
    type Gradient = Vec<f64>;
    fn gradient(&self, p: &Vec<f64>) -> Result<Vec<f64>, argmin::core::Error> {
        let (x, y) = (p[0], p[1]);
        Ok(vec![
            -2.0 * (1.0 - x) - 400.0 * x * (y - x * x),
            200.0 * (y - x * x),
        ])
    }
}

/// L-BFGS with a Moré–Thuente line search from (-1.2, 1): the final point and the
/// number of iterations.
fn lbfgs<O>(problem: O) -> (Vec<f64>, u64)
where
    O: CostFunction<Param = Vec<f64>, Output = f64>
        + Gradient<Param = Vec<f64>, Gradient = Vec<f64>>,
{
    let linesearch = MoreThuenteLineSearch::new()
        .with_c(1e-4, 0.9)
        .expect("valid line-search constants");
    let solver = LBFGS::new(linesearch, 7)
        .with_tolerance_grad(1e-12)
        .expect("a valid tolerance");
    let result = Executor::new(problem, solver)
        .configure(|state| state.param(vec![-1.2, 1.0]).max_iters(200))
        .run()
        .expect("L-BFGS runs");
    let state = result.state();
    let best = state.get_best_param().expect("a best point").clone();
    (best, state.get_iter())
}

#[test]
fn lbfgs_converges_as_with_the_hand_written_gradient() {
    let (generated, generated_iters) = lbfgs(rosenbrock::Problem::new());
    let (hand, hand_iters) = lbfgs(HandWritten);
    for v in &generated {
        assert!((v - 1.0).abs() < 1e-8, "{generated:?}");
    }
    assert_eq!(generated_iters, hand_iters, "{generated:?} vs {hand:?}");
    assert_eq!(generated, hand);
}

#[test]
fn newton_with_the_generated_hessian_converges() {
    let result = Executor::new(
        rosenbrock_nalgebra::Problem::default(),
        Newton::<f64>::new(),
    )
    .configure(|state| {
        state
            .param(DVector::from_vec(vec![-1.2, 1.0]))
            .max_iters(20)
    })
    .run()
    .expect("Newton runs");
    let best = result.state().get_best_param().expect("a best point");
    assert!(
        (best[0] - 1.0).abs() < 1e-12 && (best[1] - 1.0).abs() < 1e-12,
        "{best}"
    );
}

#[test]
fn the_hessian_is_the_hand_derived_one() {
    let (x, y) = (-1.2, 1.0);
    let h = rosenbrock::Problem::new()
        .hessian(&vec![x, y])
        .expect("a Hessian");
    let expected = [
        [2.0 - 400.0 * (y - 3.0 * x * x), -400.0 * x],
        [-400.0 * x, 200.0],
    ];
    for (row, want) in h.iter().zip(expected) {
        for (got, want) in row.iter().zip(want) {
            assert!((got - want).abs() <= 1e-12 * want.abs(), "{h:?}");
        }
    }
    let h = rosenbrock_nalgebra::Problem::new()
        .hessian(&DVector::from_vec(vec![x, y]))
        .expect("a Hessian");
    assert_eq!(h[(0, 1)], h[(1, 0)]);
    assert!((h[(0, 0)] - expected[0][0]).abs() <= 1e-12 * expected[0][0].abs());
}

#[test]
fn cost_and_gradient_read_the_point_they_are_given_in_any_order() {
    let problem = rosenbrock::Problem::new();
    let points = [
        vec![-1.2, 1.0],
        vec![0.5, -0.25],
        vec![-1.2, 1.0],
        vec![0.0, -0.0],
    ];
    for (i, p) in points.iter().enumerate() {
        let (value, gradient) = rosenbrock::grad(p[0], p[1]);
        let (g, c) = if i % 2 == 0 {
            let c = problem.cost(p).expect("a cost");
            (problem.gradient(p).expect("a gradient"), c)
        } else {
            let g = problem.gradient(p).expect("a gradient");
            (g, problem.cost(p).expect("a cost"))
        };
        assert_eq!(c, value);
        assert_eq!(g, gradient);
    }
    // A point of the wrong length is argmin's error, not a panic.
    let error = problem
        .cost(&vec![1.0])
        .expect_err("one number is not a point");
    assert!(
        error
            .to_string()
            .contains("takes points of 2 numbers; got 1"),
        "{error}"
    );
}

#[test]
fn problems_can_be_shared_between_threads() {
    fn sync<T: Sync + Send>(_: &T) {}
    sync(&rosenbrock::Problem::new());
    sync(&logistic::Problem::new(&[[0.0; 3]], &[1.0]));
}

/// Residuals of Rosenbrock, whose squared sum is the function above (halved).
#[derive_grad(argmin(nalgebra))]
fn rosenbrock_residuals(x: f64, y: f64) -> [f64; 2] {
    [10.0 * (y - x * x), 1.0 - x]
}

#[test]
fn gauss_newton_on_many_outputs_converges() {
    let start = DVector::from_vec(vec![-1.2, 1.0]);
    let problem = rosenbrock_residuals::Problem::new();
    let r = problem.apply(&start).expect("residuals");
    assert_eq!(r.as_slice(), rosenbrock_residuals(-1.2, 1.0));
    let j = problem.jacobian(&start).expect("a Jacobian");
    assert_eq!(j.nrows(), 2);
    assert_eq!(j[(0, 0)], -20.0 * -1.2);
    assert_eq!(j[(1, 0)], -1.0);
    let result = Executor::new(problem, GaussNewton::<f64>::new())
        .configure(|state| state.param(start).max_iters(20))
        .run()
        .expect("Gauss–Newton runs");
    let best = result.state().get_best_param().expect("a best point");
    assert!(
        (best[0] - 1.0).abs() < 1e-12 && (best[1] - 1.0).abs() < 1e-12,
        "{best}"
    );
}

/// Logistic regression over data rows: arrays, loops and slices of data (SPEC §8).
#[derive_grad(argmin, wrt(w, b))]
fn logistic(w: &[f64; 3], b: f64, xs: &[[f64; 3]], ys: &[f64]) -> f64 {
    let mut loss = 0.0;
    for n in 0..xs.len() {
        let mut z = b;
        for i in 0..3 {
            z += w[i] * xs[n][i];
        }
        loss -= ys[n] * z - (1.0 + z.exp()).ln();
    }
    loss / xs.len() as f64
}

#[test]
fn lbfgs_fits_a_logistic_regression_over_data() {
    let xs: Vec<[f64; 3]> = (0..200)
        .map(|n| {
            let t = f64::from(n);
            [(t * 0.37).sin(), (t * 0.11).cos(), (t * 0.05).sin() * 2.0]
        })
        .collect();
    let truth = ([1.5, -2.0, 0.5], 0.25);
    let ys: Vec<f64> = xs
        .iter()
        .map(|x| {
            let z = truth.1 + x.iter().zip(truth.0).map(|(a, b)| a * b).sum::<f64>();
            f64::from(u8::from(z > 0.0))
        })
        .collect();
    let problem = logistic::Problem::new(&xs, &ys);
    // The point is (w0, w1, w2, b); `value_grad` agrees with `grad`.
    let point = [0.1, 0.2, -0.3, 0.4];
    let mut g = [0.0; 4];
    let value = logistic::value_grad(&xs, &ys, &point, &mut g);
    let (want, grad) = logistic::grad(&[0.1, 0.2, -0.3], 0.4, &xs, &ys);
    assert_eq!(value, want);
    assert_eq!(g, [grad.w[0], grad.w[1], grad.w[2], grad.b]);
    assert_eq!(problem.gradient(&point.to_vec()).expect("a gradient"), g);

    let solver = LBFGS::new(MoreThuenteLineSearch::new(), 7);
    let result = Executor::new(problem, solver)
        .configure(|state| state.param(vec![0.0; 4]).max_iters(60))
        .run()
        .expect("L-BFGS runs");
    let state = result.state();
    let start = logistic(&[0.0; 3], 0.0, &xs, &ys);
    assert!(
        state.get_best_cost() < 0.1 * start,
        "{} vs {start}",
        state.get_best_cost()
    );
}

/// A layer with a weight matrix, by value and by reference, and a scalar between them:
/// the point is `w` row-major, then `b`, then `v`.
#[derive_grad(argmin, wrt(w, b, v))]
fn layer(w: &[[f64; 3]; 2], b: f64, v: [f64; 2], x: &[f64; 3]) -> f64 {
    let mut out = b;
    for j in 0..2 {
        let mut z = 0.0;
        for i in 0..3 {
            z += w[j][i] * x[i];
        }
        out += v[j] * z.tanh();
    }
    out * out
}

#[test]
fn the_point_unpacks_matrices_row_major() {
    let w = [[0.1, -0.2, 0.3], [0.4, 0.5, -0.6]];
    let (b, v, x) = (0.7, [0.8, -0.9], [1.0, -1.5, 2.0]);
    let point = [0.1, -0.2, 0.3, 0.4, 0.5, -0.6, 0.7, 0.8, -0.9];
    let mut g = [0.0; 9];
    let value = layer::value_grad(&x, &point, &mut g);
    let (want, grad) = layer::grad(&w, b, v, &x);
    assert_eq!(value, want);
    let flat: Vec<f64> = grad
        .w
        .as_flattened()
        .iter()
        .copied()
        .chain([grad.b])
        .chain(grad.v)
        .collect();
    assert_eq!(g.to_vec(), flat);
    let problem = layer::Problem::new(&x);
    assert_eq!(problem.cost(&point.to_vec()).expect("a cost"), want);
    assert_eq!(problem.gradient(&point.to_vec()).expect("a gradient"), flat);
}

/// A function generic over a length: the point's length follows `N`.
#[derive_grad(argmin, wrt(w))]
fn affine<const N: usize>(w: &[f64; N], x: &[f64; N], b: f64) -> f64 {
    let mut s = b;
    for i in 0..N {
        s += w[i] * x[i];
    }
    s * s
}

#[test]
fn generic_lengths_are_named_or_inferred() {
    let x = [1.0, 2.0, 3.0];
    let mut g = [0.0; 3];
    let value = affine::value_grad::<3>(&x, 0.5, &[0.1, 0.2, 0.3], &mut g);
    let (want, grad) = affine::grad(&[0.1, 0.2, 0.3], &x, 0.5);
    assert_eq!((value, g), (want, grad.w));
    let problem = affine::Problem::new(&x, 0.5);
    assert_eq!(
        problem.gradient(&vec![0.1, 0.2, 0.3]).expect("a gradient"),
        g
    );
}

/// An `f32` function: the point, the gradient and argmin's float are `f32`.
#[derive_grad(argmin)]
fn bowl(x: f32, y: f32) -> f32 {
    (x - 1.0).powi(2) + 4.0 * (y + 0.5).powi(2)
}

#[test]
fn f32_problems_run_in_f32() {
    let mut g = [0.0f32; 2];
    assert_eq!(bowl::value_grad(&[0.0, 0.0], &mut g), 2.0);
    assert_eq!(g, [-2.0, 4.0]);
    let solver = LBFGS::new(MoreThuenteLineSearch::<Vec<f32>, Vec<f32>, f32>::new(), 3);
    let result = Executor::new(bowl::Problem::new(), solver)
        .configure(|state| state.param(vec![3.0f32, 2.0]).max_iters(20))
        .run()
        .expect("L-BFGS runs in f32");
    let best = result.state().get_best_param().expect("a best point");
    assert!(
        (best[0] - 1.0).abs() < 1e-4 && (best[1] + 0.5).abs() < 1e-4,
        "{best:?}"
    );
}
