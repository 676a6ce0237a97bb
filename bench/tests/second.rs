//! The second-order contenders agree with each other (the check `benches/gradients.rs`
//! runs before timing them), and the hand-written Rosenbrock Hessian agrees with central
//! differences of its own gradient and of the plain-`f64` formula.

#[path = "../peers/mod.rs"]
mod peers;

use peers::agree::relative_difference;
use peers::bodies::{Body, Rosenbrock};
use peers::second::SecondAgreement;
use symgrad_bench::{formulas, hand};

#[test]
fn every_second_order_contender_agrees_with_the_first_of_its_group() {
    // The n = 200 neuron's Hessian is a 1.3 MB array, returned by value through several
    // unoptimized frames: more than a test thread's 2 MB of stack.
    let agreement = std::thread::Builder::new()
        .stack_size(64 << 20)
        .spawn(|| {
            let mut agreement = SecondAgreement::default();
            peers::second::each_formula(&mut agreement);
            agreement
        })
        .expect("a thread")
        .join()
        .expect("the contenders run");
    assert_eq!(agreement.disagreements, Vec::<String>::new());
    // neuron5, neuron50: 3 Hessians and 5 in the HVP group; neuron200 the same but for
    // num-dual's Hessian, left out of debug builds; Rosenbrock one more Hessian.
    let num_dual_200 = usize::from(!cfg!(debug_assertions));
    assert_eq!(
        agreement.checked.len(),
        8 + 8 + 7 + num_dual_200 + 9,
        "{:?}",
        agreement.checked
    );
}

#[test]
fn the_hand_written_rosenbrock_hessian_matches_central_differences() {
    let point = formulas::rosenbrock().point_array::<2>();
    let (value, grad, hessian) = hand::rosenbrock_hessian(&point);
    assert!(relative_difference(value, Rosenbrock::eval(&point)) < 1e-15);
    let h = 1e-6;
    for j in 0..2 {
        let (mut up, mut down) = (point, point);
        up[j] += h;
        down[j] -= h;
        let central = (Rosenbrock::eval(&up) - Rosenbrock::eval(&down)) / (2.0 * h);
        assert!((grad[j] - central).abs() < 1e-6 * central.abs(), "∂{j}");
        let (_, g_up, _) = hand::rosenbrock_hessian(&up);
        let (_, g_down, _) = hand::rosenbrock_hessian(&down);
        for i in 0..2 {
            let central = (g_up[i] - g_down[i]) / (2.0 * h);
            assert!(
                (hessian[i][j] - central).abs() < 1e-6 * central.abs(),
                "H[{i}][{j}] = {}, central {central}",
                hessian[i][j]
            );
        }
    }
    // At (-1.2, 1): 2 - 400 + 1728 = 1330, -400·(-1.2) = 480, 200.
    assert_eq!(hessian, [[1330.0, 480.0], [480.0, 200.0]]);
}
