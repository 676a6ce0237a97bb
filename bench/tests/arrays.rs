//! The contenders of `benches/arrays.rs` agree with the hand-written gradients (the check
//! the benchmark runs before timing), and the hand-written gradients agree with central
//! differences of the plain-`f64` net and loss (`peers/arrays.rs`'s generic body, not the
//! generated `fn net`).

#[path = "../peers/arrays.rs"]
mod arrays_peers;

use arrays_peers::{FLAT, net_flat};
use symgrad_bench::arrays::{
    LogisticData, NetParams, ROWS, boxed_net_grad, flat_grad, logistic_by_hand,
};

/// Runs `f` on a thread with a 64 MiB stack: an unoptimized build may put the 2.4 MB
/// gradient struct on the stack on its way into its box (no `Grad::boxed()` yet).
fn big_stack(f: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new()
        .stack_size(64 << 20)
        .spawn(f)
        .expect("a thread")
        .join()
        .expect("the check passes");
}

#[test]
fn every_net_contender_agrees_with_the_hand_written_gradient() {
    big_stack(|| {
        let params = NetParams::new(1);
        assert_eq!(params.flat().len(), FLAT);
        // The peer's tape holds the whole net: an entry per input, then about two
        // operations (a product and a sum) per weight.
        let ops = arrays_peers::EchidnaBytecode::record(&params.flat(), params.y).ops();
        assert!((600_000..700_000).contains(&(ops - FLAT)), "{ops} entries");
        assert_eq!(
            arrays_peers::net_disagreements(&params),
            Vec::<String>::new()
        );
    });
}

#[test]
fn the_hand_written_net_agrees_with_central_differences() {
    big_stack(|| {
        let params = NetParams::new(3);
        let mut g = boxed_net_grad();
        let value = params.by_hand(&mut g);
        let grad = flat_grad(&g);
        let mut flat = params.flat();
        assert_eq!(net_flat(&flat, params.y), value);
        // Entries of every parameter: w1, b1, w2, b2 and x.
        let (d, h, c) = (3072, 100, 10);
        let w1 = d * h;
        let picks = [
            0,
            1,
            77 * d + 5,
            w1 - 1,
            w1,
            w1 + 63,
            w1 + h,
            w1 + h + 999,
            w1 + h + c * h,
            w1 + h + c * h + 7,
            FLAT - 1,
            FLAT - d,
        ];
        let step = 1e-6;
        for i in picks {
            let at = flat[i];
            flat[i] = at + step;
            let up = net_flat(&flat, params.y);
            flat[i] = at - step;
            let down = net_flat(&flat, params.y);
            flat[i] = at;
            let numeric = (up - down) / (2.0 * step);
            assert!(
                (grad[i] - numeric).abs() < 1e-7,
                "∂{i}: by hand {}, central difference {numeric}",
                grad[i]
            );
        }
    });
}

#[test]
fn every_logistic_contender_agrees_with_the_hand_written_gradient() {
    let data = LogisticData::new(ROWS, 2);
    assert_eq!(
        arrays_peers::logistic_disagreements(&data),
        Vec::<String>::new()
    );
}

#[test]
fn the_hand_written_logistic_gradient_agrees_with_central_differences() {
    let data = LogisticData::new(1000, 5);
    let loss = |w: &[f64; 8], b: f64| -> f64 {
        let n = data.xs.len() as f64;
        data.xs
            .iter()
            .zip(&data.ys)
            .map(|(x, y)| {
                let z = b + w.iter().zip(x).map(|(w, x)| w * x).sum::<f64>();
                let p = 1.0 / (1.0 + (-z).exp());
                -(y * p.ln() + (1.0 - y) * (1.0 - p).ln())
            })
            .sum::<f64>()
            / n
    };
    let (value, dw, db) = logistic_by_hand(&data.w, data.b, &data.xs, &data.ys);
    assert!((value - loss(&data.w, data.b)).abs() < 1e-12);
    let step = 1e-6;
    let by_hand: Vec<f64> = dw.iter().copied().chain([db]).collect();
    for (k, by_hand) in by_hand.into_iter().enumerate() {
        let (mut up, mut down) = ((data.w, data.b), (data.w, data.b));
        if k < 8 {
            up.0[k] += step;
            down.0[k] -= step;
        } else {
            up.1 += step;
            down.1 -= step;
        }
        let numeric = (loss(&up.0, up.1) - loss(&down.0, down.1)) / (2.0 * step);
        assert!(
            (by_hand - numeric).abs() < 1e-8,
            "∂{k}: by hand {by_hand}, central difference {numeric}"
        );
    }
}
