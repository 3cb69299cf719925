//! Cycle-level performance: baselines and regression checks ([`baseline`]), and CPU/accelerator
//! crossover sweeps ([`crossover`]), with NumPy's side timed by the Python package ([`numpy`]).

pub mod baseline;
pub mod crossover;
mod measure;
pub mod numpy;

pub use baseline::{Baseline, Baselines, Judgement, Verdict};
pub use measure::{measure, perf_cases, Measurement};
pub mod plot;
