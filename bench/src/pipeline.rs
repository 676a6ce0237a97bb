//! The compiler pass the scale benchmark times, stage by stage: parse → differentiate →
//! emit. Emitting prints the math listing that `symgrad grad` prints; code generation
//! replaces it once the macro's generator is on main.

use std::time::{Duration, Instant};

use symgrad_core::{Gradient, listing};
use symgrad_grammar::ParseError;

/// Wall time of each stage of one run.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Stages {
    pub parse: Duration,
    pub differentiate: Duration,
    pub emit: Duration,
    /// Nodes of the DAG after differentiation.
    pub graph_nodes: usize,
    /// Bytes of output emitted.
    pub output_bytes: usize,
}

impl Stages {
    pub fn total(&self) -> Duration {
        self.parse + self.differentiate + self.emit
    }
}

/// Runs the whole pass on `source`, differentiating with respect to every variable.
///
/// ```
/// let stages = symgrad_bench::pipeline::run("x*y + σ(x)").unwrap();
/// assert!(stages.graph_nodes > 4);
/// ```
pub fn run(source: &str) -> Result<Stages, ParseError> {
    let start = Instant::now();
    let formula = symgrad_grammar::parse(source)?;
    let parsed = Instant::now();
    let grad = Gradient::all(&formula);
    let differentiated = Instant::now();
    let listed = listing(&grad.graph, &grad.vars, &grad.roots());
    let output_bytes = listed
        .shared
        .iter()
        .map(|(name, text)| name.len() + text.len())
        .chain(listed.roots.iter().map(String::len))
        .sum();
    let emitted = Instant::now();
    Ok(Stages {
        parse: parsed - start,
        differentiate: differentiated - parsed,
        emit: emitted - differentiated,
        graph_nodes: grad.graph.len(),
        output_bytes,
    })
}
