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
pub mod init;
pub mod io;
mod kernel;
pub mod output;
pub mod perf;
mod reference;
pub mod report;
mod rtl;
pub mod workload;

pub use backend::{
    Backend, ConnectionReport, MemoryReport, MemoryTraffic, Outcome, PortReport, Report, Spread, StageReport, TransactionReport,
};
pub use config::Config;
pub use error::Error;
pub use kernel::{Body, Kernel};

/// The checkout of the tests: for tests and fixtures only (where output goes is decided at
/// run time, see [`output`]). The package folder cargo or nextest gives the running test
/// (`CARGO_MANIFEST_DIR`, remapped when an archive runs on another machine), else the one this
/// crate was built in.
pub fn workspace_root() -> std::path::PathBuf {
    let package = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(std::path::PathBuf::from)
        .filter(|dir| dir.join("Cargo.toml").is_file())
        .unwrap_or_else(|| std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    package.parent().map_or_else(|| package.clone(), std::path::Path::to_path_buf)
}
