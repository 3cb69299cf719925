//! Crossover between the CPU golden model and the accelerator (filled in by `codesign sweep`).
