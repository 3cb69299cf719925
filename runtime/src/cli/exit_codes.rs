//! Exit codes of `codesign`, the one place they are defined.

/// Everything ran and verified.
pub const SUCCESS: u8 = 0;
/// At least one case's outputs differed from the golden model.
pub const VERIFICATION_FAILED: u8 = 1;
/// Bad command line (clap), config, manifest, kernel or backend name, or call inputs.
pub const SETUP: u8 = 2;
/// A backend failed while running: hung kernel, protocol error, model error.
pub const RUN_FAILED: u8 = 3;
/// `codesign perf`: a cycle count grew past its baseline, or has no baseline.
pub const PERF_REGRESSION: u8 = 4;
