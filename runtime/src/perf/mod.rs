//! Cycle-level performance: baselines and regression checks ([`baseline`]), and CPU/accelerator
//! crossover sweeps ([`crossover`]).

pub mod crossover;
