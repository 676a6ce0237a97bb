//! Heap memory of `symgrad grad`'s pipeline, stage by stage, on the scale benchmark's
//! shapes (`random::SHAPES`, 10⁶ nodes unless `SYMGRAD_SCALE_MAX` says otherwise;
//! `SYMGRAD_SCALE_SHAPES` picks shapes by name, as for the scale benchmark).
//!
//! A counting global allocator (`peak_alloc`) gives the bytes live when each stage ends
//! and the most that were live during it. Unlike a run's time on a shared machine, which
//! drifts by 1.5–2× within minutes, these figures are the same from run to run, and on
//! this machine a run's time follows the memory it touches (bench/NOTES.md, stop 29).
//!
//! `cargo run --release -p symgrad-bench --bin stage_memory`

use peak_alloc::PeakAlloc;
use symgrad_bench::random::scale_from_env;
use symgrad_core::{Gradient, count_forward_and_grad, listing};

#[global_allocator]
static COUNTING: PeakAlloc = PeakAlloc;

/// Prints a row for the stage that ends, and starts counting the next one's peak.
fn end_stage(stage: &mut String, next: &str) {
    let mb = |bytes: usize| bytes as f64 / 1e6;
    println!(
        "{stage}\t{:.1}\t{:.1}",
        mb(COUNTING.current_usage()),
        mb(COUNTING.peak_usage())
    );
    COUNTING.reset_peak_usage();
    *stage = next.to_string();
}

fn main() {
    let (shapes, nodes) = scale_from_env();
    for (name, description, formula) in shapes {
        println!("{name}, {nodes} nodes: {description}");
        println!("stage\tlive MB at its end\tpeak MB during it");
        COUNTING.reset_peak_usage();
        let source = formula(nodes);
        let mut stage = String::from("the source");
        end_stage(&mut stage, "parsing");
        let parsed = symgrad_grammar::parse(&source).expect("the bench's formulas parse");
        let wrt: Vec<u32> = (0..parsed.vars.len() as u32).collect();
        let grad = Gradient::observed(&parsed, &wrt, &mut |next| {
            end_stage(&mut stage, next.label());
        });
        end_stage(&mut stage, "listing");
        let listed = listing(grad.graph(), grad.vars(), &grad.roots());
        end_stage(&mut stage, "counting");
        let ops = count_forward_and_grad(&grad);
        end_stage(&mut stage, "");
        println!(
            "{} shared sub-expressions; ops forward {}, grad {}\n",
            listed.shared.len(),
            ops.0,
            ops.1
        );
    }
}
