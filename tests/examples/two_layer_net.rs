//! The CS231n lecture's two-layer net (3072 inputs → 100 hidden units with ReLU → 10
//! scores, a softmax loss over the label) trained by minibatch SGD on synthetic data, its
//! gradient generated at compile time by `#[derive_grad]`.
//!
//! ```sh
//! cargo run --release -p symgrad-tests --example two_layer_net
//! ```
//!
//! The data are deterministic pseudo-random images in [-1, 1]³⁰⁷² labelled by a hidden
//! random linear "teacher" (the label is the class of its largest score), so there is
//! something to learn. The weights (2.4 MB) and the gradients live on the heap and are
//! passed by reference; `net::grad_into` overwrites a gradient the program keeps, so
//! nothing is allocated per example.

// Index loops, as the lecture writes them.
#![allow(clippy::needless_range_loop)]

use std::time::Instant;

use symgrad::derive_grad;

const D: usize = 3072;
const H: usize = 100;
const C: usize = 10;

/// Training examples, examples per minibatch, SGD steps, learning rate.
const EXAMPLES: usize = 200;
const BATCH: usize = 20;
const STEPS: usize = 40;
const LEARNING_RATE: f64 = 0.2;

/// The net's softmax loss on one example `(x, y)`; the gradient is taken with respect to
/// the weights and biases only (the image is data).
#[derive_grad(wrt(w1, b1, w2, b2))]
fn net(
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

/// The weights and biases, on the heap.
struct Params {
    w1: Box<[[f64; D]; H]>,
    b1: Box<[f64; H]>,
    w2: Box<[[f64; H]; C]>,
    b2: Box<[f64; C]>,
}

/// Deterministic pseudo-random numbers (xorshift64), uniform in [-1, 1).
struct Random(u64);

impl Random {
    fn next(&mut self) -> f64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 11) as f64 / (1u64 << 53) as f64 * 2.0 - 1.0
    }

    /// `n` numbers times `scale`, on the heap as an array of `N` rows of `M`: built in a
    /// `Vec` and converted, never on the stack.
    fn matrix<const M: usize, const N: usize>(&mut self, scale: f64) -> Box<[[f64; M]; N]> {
        let rows: Vec<[f64; M]> = (0..N)
            .map(|_| std::array::from_fn(|_| scale * self.next()))
            .collect();
        rows.into_boxed_slice().try_into().expect("N rows")
    }
}

/// A zeroed gradient on the heap (the optimizer writes the zeros into the allocation).
fn zero_grad() -> Box<net::Grad> {
    Box::new(net::Grad {
        w1: [[0.0; D]; H],
        b1: [0.0; H],
        w2: [[0.0; H]; C],
        b2: [0.0; C],
    })
}

/// Every partial to 0, in place.
fn zero(g: &mut net::Grad) {
    g.w1.as_flattened_mut().fill(0.0);
    g.b1.fill(0.0);
    g.w2.as_flattened_mut().fill(0.0);
    g.b2.fill(0.0);
}

/// `a += b`, elementwise over every field.
fn add(a: &mut net::Grad, b: &net::Grad) {
    for (a, b) in a.w1.as_flattened_mut().iter_mut().zip(b.w1.as_flattened()) {
        *a += b;
    }
    for (a, b) in a.b1.iter_mut().zip(&b.b1) {
        *a += b;
    }
    for (a, b) in a.w2.as_flattened_mut().iter_mut().zip(b.w2.as_flattened()) {
        *a += b;
    }
    for (a, b) in a.b2.iter_mut().zip(&b.b2) {
        *a += b;
    }
}

/// One SGD step: `θ -= rate · g`.
fn step(p: &mut Params, g: &net::Grad, rate: f64) {
    for (w, g) in p.w1.as_flattened_mut().iter_mut().zip(g.w1.as_flattened()) {
        *w -= rate * g;
    }
    for (w, g) in p.b1.iter_mut().zip(&g.b1) {
        *w -= rate * g;
    }
    for (w, g) in p.w2.as_flattened_mut().iter_mut().zip(g.w2.as_flattened()) {
        *w -= rate * g;
    }
    for (w, g) in p.b2.iter_mut().zip(&g.b2) {
        *w -= rate * g;
    }
}

/// The mean loss of the net over every example (`fn net`, the forward pass alone).
fn training_loss(p: &Params, xs: &[[f64; D]], ys: &[usize]) -> f64 {
    let loss: f64 = xs
        .iter()
        .zip(ys)
        .map(|(x, &y)| net(&p.w1, &p.b1, &p.w2, &p.b2, x, y))
        .sum();
    loss / xs.len() as f64
}

/// The fraction of the examples whose label is the net's largest score.
fn accuracy(p: &Params, xs: &[[f64; D]], ys: &[usize]) -> f64 {
    let right = xs
        .iter()
        .zip(ys)
        .filter(|(x, y)| predict(p, x) == **y)
        .count();
    right as f64 / xs.len() as f64
}

/// The class of the largest score (the forward pass without the loss).
fn predict(p: &Params, x: &[f64; D]) -> usize {
    let mut h = [0.0; H];
    for j in 0..H {
        let z: f64 = p.b1[j] + p.w1[j].iter().zip(x).map(|(w, x)| w * x).sum::<f64>();
        h[j] = z.max(0.0);
    }
    (0..C)
        .map(|k| p.b2[k] + p.w2[k].iter().zip(&h).map(|(w, h)| w * h).sum::<f64>())
        .enumerate()
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map_or(0, |(k, _)| k)
}

fn main() {
    let start = Instant::now();
    let mut random = Random(0x5EED_CAFE_F00D);
    // The data: images, and a hidden linear teacher that labels them.
    let xs: Vec<[f64; D]> = (0..EXAMPLES)
        .map(|_| std::array::from_fn(|_| random.next()))
        .collect();
    let teacher = random.matrix::<D, C>(1.0);
    let ys: Vec<usize> = xs
        .iter()
        .map(|x| {
            (0..C)
                .map(|k| teacher[k].iter().zip(x).map(|(t, x)| t * x).sum::<f64>())
                .enumerate()
                .max_by(|a, b| a.1.total_cmp(&b.1))
                .map_or(0, |(k, _)| k)
        })
        .collect();
    // He-style initial weights for the ReLU layer, small ones for the scores.
    let mut params = Params {
        w1: random.matrix::<D, H>((6.0 / D as f64).sqrt()),
        b1: Box::new([0.0; H]),
        w2: random.matrix::<H, C>(0.01),
        b2: Box::new([0.0; C]),
    };
    let (mut g, mut batch) = (zero_grad(), zero_grad());

    let before = accuracy(&params, &xs, &ys);
    println!(
        "two-layer net {D} → {H} (ReLU) → {C}, softmax loss; {EXAMPLES} synthetic examples, \
         minibatches of {BATCH}, learning rate {LEARNING_RATE}"
    );
    // Each step: the minibatch's mean loss before the step (what `grad_into` returned) and
    // the mean loss over the whole training set after it.
    println!("step  minibatch loss  training loss");
    println!(
        "   0               -  {:13.4}",
        training_loss(&params, &xs, &ys)
    );
    for s in 1..=STEPS {
        // The minibatch: the next BATCH examples, round the training set.
        zero(&mut batch);
        let mut batch_loss = 0.0;
        for e in 0..BATCH {
            let i = ((s - 1) * BATCH + e) % EXAMPLES;
            let (p, x) = (&params, &xs[i]);
            batch_loss += net::grad_into(&p.w1, &p.b1, &p.w2, &p.b2, x, ys[i], &mut g);
            add(&mut batch, &g);
        }
        step(&mut params, &batch, LEARNING_RATE / BATCH as f64);
        println!(
            "{s:4}  {:14.4}  {:13.4}",
            batch_loss / BATCH as f64,
            training_loss(&params, &xs, &ys)
        );
    }
    println!(
        "training accuracy {:.1}% before, {:.1}% after; {} gradients of {} weights, {:.2?} in all",
        100.0 * before,
        100.0 * accuracy(&params, &xs, &ys),
        STEPS * BATCH,
        D * H + H + H * C + C,
        start.elapsed()
    );
}
