//! codesign runtime: the one [`Backend`] trait, run configs, the backends (one folder each
//! under `backends/`) and the `codesign` command line.
//!
//! It composes `codesign-models` (golden models), `codesign-sim` (Verilator and bus models)
//! and `codesign-hw` (the kernels).

mod backend;
pub mod backends;
pub mod check;
pub mod dropin;
pub mod cli;
pub mod config;
pub mod device;
pub mod driver;
mod error;
pub mod graph;
pub mod io;
mod kernel;
pub mod output;
pub mod perf;
pub mod report;
pub mod workload;

pub use backend::{Backend, ConnectionReport, MemoryReport, MemoryTraffic, Outcome, PortReport, Report, StageReport};
pub use config::Config;
pub use error::Error;
pub use kernel::{Body, Kernel};

/// The checkout this crate was built in: for tests and fixtures only (where output goes is
/// decided at run time, see [`output`]).
pub fn workspace_root() -> std::path::PathBuf {
    let runtime = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    runtime.parent().unwrap_or(runtime).to_path_buf()
}
