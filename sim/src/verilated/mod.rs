//! Verilated models at run time: the static description the build helper generates
//! ([`VerilatedKernel`]), an open instance ([`Model`]), its ports ([`Signal`]) and its
//! waveforms ([`Trace`]).

mod bit;
mod model;
mod signal;
mod trace;

pub use bit::{Bit, Byte};
pub use model::{Model, XInit};
pub use signal::Signal;
pub use trace::{Trace, TraceFormat};

use core::ffi::{c_char, c_void};
use std::path::PathBuf;

/// Direction of a top-level port.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Driven by the testbench.
    Input,
    /// Driven by the model.
    Output,
    /// Bidirectional.
    Inout,
}

/// One top-level port as Verilator declared it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PortDecl {
    /// RTL name.
    pub name: &'static str,
    /// Direction.
    pub direction: Direction,
    /// Width in bits, 1..=4096.
    pub width: u32,
}

/// The C entry points of one generated shim.
#[derive(Debug, Clone, Copy)]
pub struct ModelFfi {
    /// Creates context and model: `(rand_reset 0/1/2, rand_seed != 0) -> handle`.
    pub new: unsafe extern "C" fn(i32, i32) -> *mut c_void,
    /// `model->eval()`, given the model (see `model`), not the handle.
    pub eval: unsafe extern "C" fn(*mut c_void),
    /// The handle's model, for `eval`.
    pub model: unsafe extern "C" fn(*mut c_void) -> *mut c_void,
    /// `model->final()`.
    pub finish: unsafe extern "C" fn(*mut c_void),
    /// Frees model and context.
    pub delete: unsafe extern "C" fn(*mut c_void),
    /// Writes one pointer per port, in [`PortDecl`] order.
    pub port_ptrs: unsafe extern "C" fn(*mut c_void, *mut *mut c_void),
    /// Opens a trace file: `(handle, NUL-terminated path, 0 VCD / 1 FST) -> trace`, null if a
    /// trace is already open or the file cannot be created.
    pub trace_open: unsafe extern "C" fn(*mut c_void, *const c_char, i32) -> *mut c_void,
    /// Records every traced signal at a time (times must increase).
    pub trace_dump: unsafe extern "C" fn(*mut c_void, u64),
    /// Flushes the trace file (an FST; a VCD is written at close).
    pub trace_flush: unsafe extern "C" fn(*mut c_void),
    /// Closes and frees the trace, writing the VCD: 0 on success.
    pub trace_close: unsafe extern "C" fn(*mut c_void) -> i32,
}

/// Signature of a hand-written C++ benchmark testbench compiled beside a model:
/// `(elements, scalar argument, stall every Nth cycle (0: full rate), &cycles, &checksum) -> 0
/// on success`.
pub type CppTestbench = unsafe extern "C" fn(u64, u32, u32, *mut u64, *mut u64) -> i32;

/// Everything needed to open a verilated model; generated as `<top>::MODEL`.
#[derive(Debug)]
pub struct VerilatedKernel {
    /// Top module name.
    pub top: &'static str,
    /// Ports in declaration order.
    pub ports: &'static [PortDecl],
    /// Shim entry points.
    pub ffi: ModelFfi,
    /// The hand-written C++ testbench, when the model has one.
    pub cpp_testbench: Option<CppTestbench>,
    /// Verilated with `--trace-fst`: [`Model::open_trace`] works.
    pub traced: bool,
    /// Verilated with `--x-assign unique --x-initial unique`: [`XInit`] other than zeros works.
    pub x_random: bool,
}

/// Errors of opening a model or finding its ports.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ModelError {
    /// A port the caller asked for does not exist.
    #[error("model `{top}` has no port `{port}` (ports: {known})")]
    NoSuchPort {
        /// Top module.
        top: &'static str,
        /// Requested name.
        port: String,
        /// The ports it does have.
        known: String,
    },
    /// A port exists but has the wrong width or direction for its use.
    #[error("port `{port}` of model `{top}`: {detail}")]
    PortShape {
        /// Top module.
        top: &'static str,
        /// Port name.
        port: String,
        /// What is wrong.
        detail: String,
    },
    /// A trace file could not be opened or written.
    #[error("trace {path} of model `{top}`: {detail}")]
    Trace {
        /// Top module.
        top: &'static str,
        /// The trace file.
        path: PathBuf,
        /// What went wrong.
        detail: String,
    },
    /// `CODESIGN_TRACE` (or a config's trace setting) names no trace format.
    #[error("{setting}=`{value}` is not a trace format: use vcd, fst or none")]
    TraceSetting {
        /// Where the value came from (`CODESIGN_TRACE`, or a config key).
        setting: String,
        /// The value found.
        value: String,
    },
    /// X initialisation other than zeros asked of a model that cannot honour it.
    #[error("model `{top}` was verilated with --x-initial fast (its fast variant), which ignores x-init {x_init:?}; open its x-random variant")]
    XInit {
        /// Top module.
        top: &'static str,
        /// What was asked.
        x_init: XInit,
    },
    /// The shim returned no model.
    #[error("internal error: Verilator model `{top}` could not be created")]
    Create {
        /// Top module.
        top: &'static str,
    },
}
