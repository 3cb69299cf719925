//! Cycle-level performance: baselines and regression checks ([`baseline`]), and CPU/accelerator
//! crossover sweeps ([`crossover`]).

pub mod baseline;
pub mod crossover;
mod measure;

pub use baseline::{Baseline, Baselines, Judgement, Verdict};
pub use measure::{measure, perf_cases, Measurement};
pub mod plot;
