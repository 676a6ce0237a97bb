//! What the lecture calls each gate: "add gate", "mul gate", "max gate", "sigmoid gate",
//! the `*-1`, `+1` and `1/x` gates of its neuron, and how each one treats the gradient.

use crate::notation::math::number;
use crate::ops::{Lecture, Op, Operator};

/// How the lecture names and draws one operation node.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GateLabel {
    /// The gate's name: `add gate`, `mul gate`, `1/x gate`, `sigmoid gate`, …
    pub name: String,
    /// The symbol drawn in the gate's circle: `+`, `*`, `*-1`, `+1`, `1/x`, `exp`, `σ`, …
    pub symbol: String,
    /// What the gate does with the upstream gradient, for the gates the lecture
    /// characterizes: `distributor`, `swaps inputs`, `router`, …
    pub role: Option<&'static str>,
}

impl GateLabel {
    /// The label of `op` applied to `inputs`, each `Some(value)` for a constant and `None`
    /// for a node that is not.
    ///
    /// ```
    /// use symgrad_core::{GateLabel, Op};
    /// let plus_one = GateLabel::new(Op::Add, &[None, Some(1.0)]);
    /// assert_eq!((plus_one.name.as_str(), plus_one.symbol.as_str()), ("add gate", "+1"));
    /// assert_eq!(plus_one.role, Some("distributor"));
    /// assert_eq!(GateLabel::new(Op::Pow, &[None, Some(-1.0)]).symbol, "1/x");
    /// ```
    pub fn new(op: Op, inputs: &[Option<f64>]) -> Self {
        let constant = inputs.iter().find_map(|c| *c);
        let variable_inputs = inputs.iter().filter(|c| c.is_none()).count();
        let label = |name: &str, symbol: String, role: Option<&'static str>| GateLabel {
            name: name.to_string(),
            symbol,
            role,
        };
        match op.lecture() {
            Lecture::Operator(Operator::Sum) => label(
                "add gate",
                match constant {
                    Some(c) if c < 0.0 => number(c),
                    Some(c) => format!("+{}", number(c)),
                    None => "+".to_string(),
                },
                Some("distributor"),
            ),
            Lecture::Operator(Operator::Product) => label(
                "mul gate",
                match constant {
                    Some(c) => format!("*{}", number(c)),
                    None => "*".to_string(),
                },
                Some(match (constant, variable_inputs) {
                    (None, 2) => "swaps inputs",
                    (Some(_), 1) => "scales",
                    _ => "product of the other inputs",
                }),
            ),
            Lecture::Operator(Operator::Power) => match (inputs[0], inputs[1]) {
                (None, Some(-1.0)) => {
                    label("1/x gate", "1/x".to_string(), Some("local gradient -1/x²"))
                }
                (None, Some(k)) => label("power gate", format!("x^{}", number(k)), None),
                (Some(b), None) => label("pow gate", format!("{}^x", number(b)), None),
                _ => label("pow gate", "^".to_string(), None),
            },
            Lecture::Gate(word, role) => {
                label(&format!("{word} gate"), op.name().to_string(), role)
            }
        }
    }
}
