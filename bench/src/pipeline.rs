//! The compiler pass the scale benchmark times, stage by stage: parse → differentiate →
//! generate, the pipeline `#[derive_grad]` runs (`symgrad grad`, timed as a whole process
//! by the benchmark, prints the math listing instead of generating code).

use std::time::{Duration, Instant};

use symgrad_core::{CodegenOptions, Gradient, generate};

/// Wall time of each stage of one run.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Stages {
    pub parse: Duration,
    pub differentiate: Duration,
    pub generate: Duration,
    /// Nodes of the DAG after differentiation.
    pub graph_nodes: usize,
    /// Bytes of the generated Rust code, as tokens printed (not timed).
    pub output_bytes: usize,
}

impl Stages {
    pub fn total(&self) -> Duration {
        self.parse + self.differentiate + self.generate
    }
}

/// Runs the whole pass on `source`, differentiating with respect to every variable; an
/// error is a parse error's message or a variable that cannot be a Rust identifier.
///
/// ```
/// let stages = symgrad_bench::pipeline::run("x*y + σ(x)").unwrap();
/// assert!(stages.graph_nodes > 4);
/// ```
pub fn run(source: &str) -> Result<Stages, String> {
    let start = Instant::now();
    let formula = symgrad_grammar::parse(source).map_err(|e| e.message)?;
    let parsed = Instant::now();
    let grad = Gradient::all(&formula);
    let differentiated = Instant::now();
    let code = generate(&grad, &CodegenOptions::new("f", grad.vars())?);
    let generated = Instant::now();
    Ok(Stages {
        parse: parsed - start,
        differentiate: differentiated - parsed,
        generate: generated - differentiated,
        graph_nodes: grad.graph().len(),
        output_bytes: code.to_string().len(),
    })
}
