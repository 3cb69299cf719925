//! Waveforms of an open model: an FST or VCD file written while the model runs.
//!
//! Every model is built with FST tracing compiled in (Verilator `--trace-fst`); with no
//! trace open, eval runs ~1% more instructions than an untraced build (activity flags),
//! within the noise of wall-clock measurements. Verilator 5.006 traces one format
//! per model, so a VCD trace streams to `<path>.fst.part` and becomes `<path>` (through
//! GTKWave's FST reader) when the trace closes; an FST trace streams to `<path>` directly.
//!
//! # Time
//! A dump records every signal's value at a time in the trace's timescale, which is the
//! model's time precision (1 ps for Vitis RTL). With [`Clock`](crate::Clock)'s cycle
//! (drive, settle with the clock low, sample, rise) the convention is two time units per
//! cycle, so the clock shows as a square wave and every input change lines up with a
//! falling edge:
//!
//! ```text
//! drive; settle (eval, clock low)     -> trace.dump_low(cycle)   // time 2 * cycle
//! rise: clock high; eval              -> trace.dump_high(cycle)  // time 2 * cycle + 1,
//!       clock low; cycle += 1                                    // before the clock drops
//! ```
//!
//! `cycle` is [`Clock::cycle`](crate::Clock::cycle) before the edge (edges so far). The high
//! dump must come between the high eval and setting the clock low, or the clock never shows
//! high. A trace may open at any cycle (the first dump is a full one).
//!
//! ```no_run
//! # fn demo(kernel: &'static codesign_sim::verilated::VerilatedKernel) -> Result<(), codesign_sim::verilated::ModelError> {
//! use codesign_sim::verilated::{Model, TraceFormat, XInit};
//! let model = Model::new(kernel, XInit::Zeros)?;
//! let mut trace = match TraceFormat::from_env()? {
//!     Some(format) => Some(model.open_trace(format!("target/traces/add.{}", format.extension()), format)?),
//!     None => None,
//! };
//! for cycle in 0..10 {
//!     // drive inputs, eval with the clock low
//!     if let Some(trace) = &mut trace { trace.dump_low(cycle) }
//!     // clock high, eval
//!     if let Some(trace) = &mut trace { trace.dump_high(cycle) }
//!     // clock low
//! }
//! if let Some(trace) = trace {
//!     let path = trace.close()?; // or drop it: Drop closes too
//!     println!("waveform: {}", path.display());
//! }
//! # Ok(()) }
//! ```

use core::ffi::c_void;
use std::cell::Cell;
use std::ffi::CString;
use std::fmt;
use std::path::{Path, PathBuf};

use super::{Model, ModelError, VerilatedKernel};

/// A waveform file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TraceFormat {
    /// Value Change Dump (IEEE 1364 text): every viewer reads it; large. Written when the
    /// trace closes.
    Vcd,
    /// GTKWave's Fast Signal Trace: compressed, streamed while the model runs.
    Fst,
}

impl TraceFormat {
    /// The environment variable that switches tracing on: `vcd`, `fst` or `none`.
    pub const ENV: &'static str = "CODESIGN_TRACE";

    /// The format `CODESIGN_TRACE` asks for: `None` when it is unset, empty or `none`, an
    /// error naming the accepted values for anything else.
    pub fn from_env() -> Result<Option<Self>, ModelError> {
        match std::env::var_os(Self::ENV) {
            None => Ok(None),
            Some(value) => Self::parse_setting(Self::ENV, &value.to_string_lossy()),
        }
    }

    /// Parses `vcd`, `fst`, `none` or an empty value (none), ignoring ASCII case and
    /// surrounding blanks. `setting` names where the value came from, for the error.
    pub fn parse_setting(setting: &str, value: &str) -> Result<Option<Self>, ModelError> {
        match value.trim().to_ascii_lowercase().as_str() {
            "vcd" => Ok(Some(TraceFormat::Vcd)),
            "fst" => Ok(Some(TraceFormat::Fst)),
            "" | "none" => Ok(None),
            _ => Err(ModelError::TraceSetting { setting: setting.to_owned(), value: value.to_owned() }),
        }
    }

    /// The file extension, without the dot: `vcd` or `fst`.
    pub fn extension(self) -> &'static str {
        match self {
            TraceFormat::Vcd => "vcd",
            TraceFormat::Fst => "fst",
        }
    }

    /// The shim's format code.
    fn code(self) -> i32 {
        match self {
            TraceFormat::Vcd => 0,
            TraceFormat::Fst => 1,
        }
    }
}

impl fmt::Display for TraceFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.extension())
    }
}

/// An open waveform file of a [`Model`], valid while the model lives (`'m`); at most one per
/// model at a time. Closed, flushed and (for a VCD) written on drop or [`Trace::close`].
#[derive(Debug)]
pub struct Trace<'m> {
    kernel: &'static VerilatedKernel,
    /// The shim's trace; null once closed.
    handle: *mut c_void,
    /// The model's open-trace flag, cleared at close.
    tracing: &'m Cell<bool>,
    path: PathBuf,
    format: TraceFormat,
}

impl<'m> Trace<'m> {
    /// Opens `path` for `model`, creating its parent folders (see [`Model::open_trace`]).
    pub(super) fn open(model: &'m Model, path: &Path, format: TraceFormat) -> Result<Self, ModelError> {
        let (kernel, model_handle, tracing) = model.raw();
        let error = |detail: String| ModelError::Trace { top: kernel.top, path: path.to_owned(), detail };
        if !kernel.traced {
            return Err(error("the model was verilated without --trace-fst (its fast variant); open the traced variant".to_owned()));
        }
        if tracing.get() {
            return Err(error("another trace of this model is open; close it first".to_owned()));
        }
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|e| error(format!("cannot create {}: {e}", parent.display())))?;
        }
        // Creating it here gives the OS's reason for a bad path, and clears a stale waveform.
        std::fs::File::create(path).map_err(|e| error(e.to_string()))?;
        let c_path = CString::new(path.as_os_str().as_encoded_bytes())
            .map_err(|_| error("the path contains a NUL byte".to_owned()))?;
        // SAFETY: the model handle is live for 'm and the path is NUL-terminated.
        let handle = unsafe { (kernel.ffi.trace_open)(model_handle, c_path.as_ptr(), format.code()) };
        if handle.is_null() {
            let _ = std::fs::remove_file(path);
            return Err(error("Verilator could not open it".to_owned()));
        }
        tracing.set(true);
        Ok(Trace { kernel, handle, tracing, path: path.to_owned(), format })
    }

    /// The file this trace writes.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Its format.
    pub fn format(&self) -> TraceFormat {
        self.format
    }

    /// Records every traced signal's current value at `time`, in the trace's timescale.
    /// Times must increase: Verilator ignores (with a warning) a dump not after the last.
    #[inline]
    pub fn dump(&mut self, time: u64) {
        if !self.handle.is_null() {
            // SAFETY: the trace is open and its model lives for 'm.
            unsafe { (self.kernel.ffi.trace_dump)(self.handle, time) }
        }
    }

    /// `dump(2 * cycle)`: after the settle eval of `cycle`, clock low (see the module docs).
    #[inline]
    pub fn dump_low(&mut self, cycle: u64) {
        self.dump(2 * cycle);
    }

    /// `dump(2 * cycle + 1)`: after the rising edge's eval of `cycle`, clock still high.
    #[inline]
    pub fn dump_high(&mut self, cycle: u64) {
        self.dump(2 * cycle + 1);
    }

    /// Writes what is buffered to the FST (a VCD is written only at close).
    pub fn flush(&mut self) {
        if !self.handle.is_null() {
            // SAFETY: as in `dump`.
            unsafe { (self.kernel.ffi.trace_flush)(self.handle) }
        }
    }

    /// Closes the trace and returns its path; for a VCD, this is when the file is written.
    pub fn close(mut self) -> Result<PathBuf, ModelError> {
        self.finish()?;
        Ok(std::mem::take(&mut self.path))
    }

    fn finish(&mut self) -> Result<(), ModelError> {
        let handle = std::mem::replace(&mut self.handle, std::ptr::null_mut());
        if handle.is_null() {
            return Ok(());
        }
        // SAFETY: the trace is open (handle non-null), and close frees it exactly once.
        let status = unsafe { (self.kernel.ffi.trace_close)(handle) };
        self.tracing.set(false);
        if status == 0 {
            return Ok(());
        }
        let detail = match status {
            1 => format!("the FST written for it ({}.fst.part) could not be read back", self.path.display()),
            _ => "the VCD could not be written".to_owned(),
        };
        Err(ModelError::Trace { top: self.kernel.top, path: self.path.clone(), detail })
    }
}

impl Drop for Trace<'_> {
    fn drop(&mut self) {
        if let Err(e) = self.finish() {
            // Nobody to return it to: say it where a failing run shows it.
            eprintln!("warning: {e}");
        }
    }
}
