//! The benchmark formulas of SPEC §5, in math notation with their variables in the order
//! every contender uses (the generated function's parameter order).

/// One benchmark formula: what the macro and the interpreter read, and where it is timed.
#[derive(Clone, Debug, PartialEq)]
pub struct Bench {
    /// Short name, used as the criterion group.
    pub name: &'static str,
    /// The formula in math notation.
    pub source: String,
    /// Its variables, in parameter order.
    pub vars: Vec<String>,
    /// The point every contender is checked and timed at, indexed like `vars`.
    pub point: Vec<f64>,
}

impl Bench {
    /// The formula parsed with its declared variables.
    ///
    /// ```
    /// let f = symgrad_bench::neuron().formula();
    /// assert_eq!(f.vars, ["w0", "x0", "w1", "x1", "w2"]);
    /// ```
    pub fn formula(&self) -> symgrad_grammar::Formula {
        let vars: Vec<&str> = self.vars.iter().map(String::as_str).collect();
        symgrad_grammar::parse_with_vars(&self.source, &vars).expect("benchmark formulas are valid")
    }

    /// The point as an array, for contenders with a fixed number of inputs.
    pub fn point_array<const N: usize>(&self) -> [f64; N] {
        self.point
            .as_slice()
            .try_into()
            .expect("the caller names the formula's variable count")
    }
}

/// All five formulas, in the order BENCHMARKS.md lists them.
pub fn all() -> Vec<Bench> {
    vec![neuron(), net(), logistic(), neuron50(), deep()]
}

/// The piecewise formulas (SPEC §7), timed only against their hand-written gradients: the
/// peers' generic bodies have no comparisons.
pub fn piecewise() -> Vec<Bench> {
    vec![huber(), elu_layer()]
}

fn names(list: &str) -> Vec<String> {
    list.split_whitespace().map(str::to_string).collect()
}

/// Deterministic values in [-1.5, 1.5): far from where any formula saturates.
fn spread(n: usize) -> Vec<f64> {
    (0..n)
        .map(|i| ((i * 37 + 11) % 61) as f64 / 20.0 - 1.5)
        .collect()
}

/// The CS231n lecture-4 neuron at the lecture's point.
pub fn neuron() -> Bench {
    Bench {
        name: "neuron",
        source: "1/(1+e^-(w0x0+w1x1+w2))".into(),
        vars: names("w0 x0 w1 x1 w2"),
        point: vec![2.0, -1.0, -3.0, -2.0, -3.0],
    }
}

/// A 2-2-1 network of sigmoid units, written out in scalars.
pub fn net() -> Bench {
    Bench {
        name: "net",
        source: "σ(v0 σ(w00 x0 + w01 x1 + b0) + v1 σ(w10 x0 + w11 x1 + b1) + c)".into(),
        vars: names("x0 x1 w00 w01 b0 w10 w11 b1 v0 v1 c"),
        point: spread(11),
    }
}

/// The logistic (binary cross-entropy) loss of a two-input linear model, label `y`.
pub fn logistic() -> Bench {
    let mut point = spread(6);
    point[5] = 1.0;
    Bench {
        name: "logistic",
        source: "-(y ln(σ(w0x0 + w1x1 + w2)) + (1 - y) ln(1 - σ(w0x0 + w1x1 + w2)))".into(),
        vars: names("w0 x0 w1 x1 w2 y"),
        point,
    }
}

/// Inputs of [`neuron50`].
pub const NEURON50_INPUTS: usize = 50;

/// A neuron of 50 inputs in the lecture's notation: 101 variables `w0 x0 … w49 x49 b`.
pub fn neuron50() -> Bench {
    neuron_of("neuron50", NEURON50_INPUTS)
}

/// The neuron of `n` inputs `σ(Σ wi·xi + b)`: `2n + 1` variables `w0 x0 … b`, named `name`.
pub fn neuron_of(name: &'static str, n: usize) -> Bench {
    let terms: Vec<String> = (0..n).map(|i| format!("w{i}x{i}")).collect();
    let mut vars: Vec<String> = (0..n)
        .flat_map(|i| [format!("w{i}"), format!("x{i}")])
        .collect();
    vars.push("b".into());
    // Small values keep the sum of many products inside the sigmoid's live range.
    let point = spread(vars.len()).iter().map(|v| v / 4.0).collect();
    Bench {
        name,
        source: format!("1/(1+e^-({} + b))", terms.join(" + ")),
        vars,
        point,
    }
}

/// Rosenbrock's function away from its minimum, where its Hessian is indefinite.
pub fn rosenbrock() -> Bench {
    Bench {
        name: "rosenbrock",
        source: "(1-x)^2 + 100(y-x^2)^2".into(),
        vars: names("x y"),
        point: vec![-1.2, 1.0],
    }
}

/// The second-order formulas (Hessian and HVP), in the order BENCHMARKS.md lists them:
/// the neuron of 5, 50 and 200 inputs, then Rosenbrock.
pub fn second_order() -> Vec<Bench> {
    vec![
        neuron_of("neuron5", 5),
        neuron50(),
        neuron_of("neuron200", 200),
        rosenbrock(),
    ]
}

/// Layers of [`deep`].
pub const DEEP_LAYERS: usize = 16;

/// 16 nested sigmoid units `h ← σ(wk·h + bk)` from `h = x`: variables `x w0 b0 … w15 b15`.
pub fn deep() -> Bench {
    let mut source = "x".to_string();
    let mut vars = vec!["x".to_string()];
    for k in 0..DEEP_LAYERS {
        source = format!("σ(w{k} {source} + b{k})");
        vars.push(format!("w{k}"));
        vars.push(format!("b{k}"));
    }
    Bench {
        name: "deep",
        source,
        point: spread(vars.len()),
        vars,
    }
}

/// The mean Huber loss (threshold 1) of the linear model `w·x + b` over four samples; at
/// the point two residuals are inside the threshold and two outside.
pub fn huber() -> Bench {
    let residuals: Vec<String> = (0..4)
        .map(|i| format!("huber(w x{i} + b - y{i}, 1)"))
        .collect();
    Bench {
        name: "huber",
        source: format!("({})/4", residuals.join(" + ")),
        vars: names("w b x0 y0 x1 y1 x2 y2 x3 y3"),
        // Residuals -0.1, -2.0, -1.5 and 0.7.
        point: vec![0.8, -0.3, 0.5, 0.2, 1.5, 2.9, -1.0, 0.4, 2.5, 1.0],
    }
}

/// A layer of three ELU neurons on two inputs, summed; at the point one neuron is in its
/// linear piece and two in the exponential one.
pub fn elu_layer() -> Bench {
    Bench {
        name: "elu_layer",
        source: "elu(w00 x0 + w01 x1 + b0) + elu(w10 x0 + w11 x1 + b1) + elu(w20 x0 + w21 x1 + b2)"
            .into(),
        vars: names("x0 x1 w00 w01 b0 w10 w11 b1 w20 w21 b2"),
        // Pre-activations 0.24, -1.23 and -0.1.
        point: vec![0.5, -1.2, 1.0, 0.3, 0.1, -0.7, 0.9, 0.2, 0.4, -0.5, -0.9],
    }
}
