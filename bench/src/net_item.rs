// The lecture's two-layer net, one item for two readers: `arrays.rs` includes it
// (`include!`), and `bin/compile_time.rs` compiles it as a crate of its own
// (`include_str!`), so the code timed and the code compiled are the same.

/// Inputs of the net: a 32×32 colour image, as in the lecture (CIFAR-10).
pub const D: usize = 3072;
/// Hidden units (ReLU).
pub const H: usize = 100;
/// Scores (classes).
pub const C: usize = 10;

/// The lecture's two-layer net with a max-shifted softmax loss over the label `y`, written
/// the way `tests/tests/arrays.rs` writes it. Every float parameter is differentiated, the
/// input `x` too.
#[derive_grad]
pub fn net(
    w1: &[[f64; D]; H],
    b1: &[f64; H],
    w2: &[[f64; H]; C],
    b2: &[f64; C],
    x: &[f64; D],
    y: usize,
) -> f64 {
    let mut h = [0.0; H];
    for j in 0..H {
        let mut z = b1[j];
        for i in 0..D {
            z += w1[j][i] * x[i];
        }
        h[j] = z.max(0.0);
    }
    let mut s = [0.0; C];
    for k in 0..C {
        let mut t = b2[k];
        for j in 0..H {
            t += w2[k][j] * h[j];
        }
        s[k] = t;
    }
    let mut m = s[0];
    for k in 1..C {
        m = m.max(s[k]);
    }
    let mut total = 0.0;
    for k in 0..C {
        total += (s[k] - m).exp();
    }
    m + total.ln() - s[y]
}
