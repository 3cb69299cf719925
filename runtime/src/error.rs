//! The runtime's one error type. Messages name the kernel, port, register or config key.

use std::path::PathBuf;

/// Everything that can go wrong in a call, a config or a lookup.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A config file is malformed or inconsistent.
    #[error("config {source_name}: {message}")]
    Config {
        /// The file (or built-in name).
        source_name: String,
        /// What is wrong, with key path and line/column where known.
        message: String,
    },
    /// A config file could not be read.
    #[error("config {path}: {source}")]
    ConfigRead {
        /// The path given.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// No kernel has this name.
    #[error("unknown kernel `{name}` (kernels: {known})")]
    UnknownKernel {
        /// The name asked for.
        name: String,
        /// The kernels there are.
        known: String,
    },
    /// No backend has this name.
    #[error("unknown backend `{name}` (backends: {known})")]
    UnknownBackend {
        /// The name asked for.
        name: String,
        /// The backends there are.
        known: String,
    },
    /// A kernel's manifest is invalid.
    #[error(transparent)]
    Manifest(#[from] codesign_hw::ManifestError),
    /// The backend cannot do what was asked.
    #[error("backend `{backend}` does not support {ability}")]
    Unsupported {
        /// Backend name.
        backend: String,
        /// The missing ability.
        ability: String,
    },
    /// The inputs of a call do not fit the kernel.
    #[error("kernel `{kernel}`: {message}")]
    Input {
        /// Kernel name.
        kernel: String,
        /// What does not fit.
        message: String,
    },
    /// A wait ran out: the kernel made no progress.
    #[error(
        "kernel `{kernel}` hung: no transfer for {waited} cycles while waiting for {awaited} \
         (cycle {cycle})\n  port states: {state}"
    )]
    Timeout {
        /// Kernel name.
        kernel: String,
        /// What was awaited.
        awaited: String,
        /// Cycles without progress.
        waited: u64,
        /// Cycle when the watchdog fired.
        cycle: u64,
        /// VALID/READY and control signals at that cycle.
        state: String,
    },
    /// A call ran past one of its budgets (`cosim.budget`): too many cycles, or an output that
    /// produced more beats than the call can want, although data kept moving.
    #[error("kernel `{kernel}` ran past its {budget} (cycle {cycle})\n  port states: {state}")]
    OverBudget {
        /// Kernel name.
        kernel: String,
        /// Which budget, its size and how it was computed.
        budget: String,
        /// Cycle when it was seen.
        cycle: u64,
        /// VALID/READY and control signals at that cycle, and the waveform.
        state: String,
    },
    /// A bus protocol rule was broken or a job ended in an inconsistent state.
    #[error("kernel `{kernel}`: protocol error on `{port}` at cycle {cycle}: {message}")]
    Protocol {
        /// Kernel name.
        kernel: String,
        /// Port or register.
        port: String,
        /// Cycle.
        cycle: u64,
        /// The rule broken.
        message: String,
    },
    /// Outputs differ from the golden model.
    #[error("kernel `{kernel}` on `{backend}`: {message}")]
    Mismatch {
        /// Kernel name.
        kernel: String,
        /// Backend name.
        backend: String,
        /// First difference.
        message: String,
    },
    /// A graph file is malformed or inconsistent.
    #[error("graph {path}: {message}")]
    Graph {
        /// The graph file.
        path: PathBuf,
        /// What is wrong, with key path and line/column where known.
        message: String,
    },
    /// The kernels of a graph wait on each other: no transfer anywhere, and a full FIFO
    /// whose producer waits while its consumer takes nothing.
    #[error("graph `{graph}` deadlocked at cycle {cycle} on connection `{connection}`: {message}")]
    Deadlock {
        /// Graph name.
        graph: String,
        /// Cycle when the watchdog fired.
        cycle: u64,
        /// The full connection (`from -> to`).
        connection: String,
        /// Occupancies and what each side waits on.
        message: String,
    },
    /// An out-of-tree kernel folder cannot be made into a kernel: its RTL is missing or does
    /// not verilate, Verilator is missing, or its manifest disagrees with its ports.
    #[error("kernel folder {}: {message}", dir.display())]
    KernelDir {
        /// The folder given.
        dir: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// An output file or folder cannot be written.
    #[error("output {}: {message}", path.display())]
    Output {
        /// The file or folder.
        path: PathBuf,
        /// Why not.
        message: String,
    },
    /// A backend-specific failure; downcast `source` for details.
    #[error("backend `{backend}`: {source}")]
    Backend {
        /// Backend name.
        backend: String,
        /// The backend's own error.
        source: Box<dyn std::error::Error + Send + Sync>,
    },
}
