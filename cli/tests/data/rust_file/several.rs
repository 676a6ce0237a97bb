//! Several `#[derive_grad]` functions, two of them named alike in different modules.

use symgrad::derive_grad;

/// Not one of them.
fn helper(x: f64) -> f64 {
    x
}

#[derive_grad(wrt(w0, w1), test_at(w0 = 2, x0 = -1, w1 = -3, x1 = -2, w2 = -3))]
pub fn neuron(w0: f64, x0: f64, w1: f64, x1: f64, w2: f64) -> f64 {
    let s = w0 * x0 + w1 * x1 + w2;
    1.0 / (1.0 + (-s).exp())
}

mod losses {
    use symgrad::derive_grad;

    #[derive_grad("softplus(z) - y z", hessian)]
    pub fn logistic(z: f64, y: f64) -> f64;

    #[derive_grad]
    pub fn square(x: f64) -> f64 {
        x * x
    }
}

pub mod layers {
    #[symgrad::derive_grad]
    pub fn square(x: f32) -> f32 {
        x * x
    }
}
