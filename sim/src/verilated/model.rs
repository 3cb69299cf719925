//! An open verilated model: its own `VerilatedContext`, its ports, eval and clocking.

use core::ffi::c_void;
use std::cell::Cell;
use std::marker::PhantomData;
use std::path::Path;

use super::{Bit, Direction, ModelError, PortDecl, Signal, Trace, TraceFormat, VerilatedKernel};

/// Initial value of every state bit that the RTL leaves uninitialised (Verilator
/// `randReset`), so reset bugs can be made to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum XInit {
    /// All zeros (Verilator's default).
    #[default]
    Zeros,
    /// All ones.
    Ones,
    /// Random from this seed; the same seed gives the same initial state.
    Random(u32),
}

/// An open verilated model. Not `Send`: Verilator models must be evaluated on the thread
/// that built them, so the raw handle keeps this type on its thread.
#[derive(Debug)]
pub struct Model {
    kernel: &'static VerilatedKernel,
    handle: *mut c_void,
    /// The `V<top>` object itself, what `eval` takes.
    model: *mut c_void,
    port_ptrs: Vec<*mut c_void>,
    /// True while a [`Trace`] of this model is open (at most one: dumps clear its activity
    /// flags).
    tracing: Cell<bool>,
    _not_send: PhantomData<*mut ()>,
}

impl Model {
    /// Creates the model in a fresh `VerilatedContext` with the given X-initialisation.
    pub fn new(kernel: &'static VerilatedKernel, x_init: XInit) -> Result<Self, ModelError> {
        if x_init != XInit::Zeros && !kernel.x_random {
            return Err(ModelError::XInit { top: kernel.top, x_init });
        }
        let (rand_reset, seed) = match x_init {
            XInit::Zeros => (0, 1),
            XInit::Ones => (1, 1),
            // Verilator treats seed 0 as "pick one at random": keep runs reproducible.
            XInit::Random(seed) => (2, (seed & 0x7fff_ffff).max(1) as i32),
        };
        // SAFETY: the shim's constructor has no preconditions.
        let handle = unsafe { (kernel.ffi.new)(rand_reset, seed) };
        if handle.is_null() {
            return Err(ModelError::Create { top: kernel.top });
        }
        let mut port_ptrs = vec![std::ptr::null_mut(); kernel.ports.len()];
        // SAFETY: the shim writes exactly one pointer per declared port.
        unsafe { (kernel.ffi.port_ptrs)(handle, port_ptrs.as_mut_ptr()) };
        // SAFETY: a live handle.
        let model = unsafe { (kernel.ffi.model)(handle) };
        Ok(Model { kernel, handle, model, port_ptrs, tracing: Cell::new(false), _not_send: PhantomData })
    }

    /// Top module name.
    pub fn top(&self) -> &'static str {
        self.kernel.top
    }

    /// The ports, as Verilator declared them.
    pub fn ports(&self) -> &'static [PortDecl] {
        self.kernel.ports
    }

    /// Evaluates the model until its signals settle.
    #[inline]
    pub fn eval(&self) {
        // SAFETY: the model is live until drop.
        unsafe { (self.kernel.ffi.eval)(self.model) }
    }

    /// The shim's eval entry and what it takes, for a clock that calls it every cycle
    /// without chasing pointers. Valid while `self` lives.
    pub(crate) fn eval_entry(&self) -> (unsafe extern "C" fn(*mut c_void), *mut c_void) {
        (self.kernel.ffi.eval, self.model)
    }

    /// The model's description, handle and open-trace flag, for the trace module. Valid
    /// while `self` lives.
    pub(super) fn raw(&self) -> (&'static VerilatedKernel, *mut c_void, &Cell<bool>) {
        (self.kernel, self.handle, &self.tracing)
    }

    /// Opens a waveform file of this model at `path` (parent folders are created); dump to it
    /// as [`Trace`] describes. One trace per model at a time; it may open at any cycle.
    pub fn open_trace(&self, path: impl AsRef<Path>, format: TraceFormat) -> Result<Trace<'_>, ModelError> {
        Trace::open(self, path.as_ref(), format)
    }

    /// The port named `name`.
    pub fn port(&self, name: &str) -> Result<Signal<'_>, ModelError> {
        let index = self
            .kernel
            .ports
            .iter()
            .position(|p| p.name == name)
            .ok_or_else(|| ModelError::NoSuchPort {
                top: self.kernel.top,
                port: name.to_owned(),
                known: self.kernel.ports.iter().map(|p| p.name).collect::<Vec<_>>().join(", "),
            })?;
        let decl = self.kernel.ports[index];
        // SAFETY: the pointer came from the shim for this port and lives as long as `self`.
        Ok(unsafe { Signal::new(self.port_ptrs[index].cast(), decl.width, decl.direction, decl.name) })
    }

    /// The port named `name`, if the model has it.
    pub fn optional_port(&self, name: &str) -> Option<Signal<'_>> {
        self.port(name).ok()
    }

    /// The port named `name`, checked to be an input or output of exactly `width` bits.
    pub fn port_checked(&self, name: &str, direction: Direction, width: u32) -> Result<Signal<'_>, ModelError> {
        let signal = self.port(name)?;
        if signal.direction() != direction || signal.width() != width {
            return Err(ModelError::PortShape {
                top: self.kernel.top,
                port: name.to_owned(),
                detail: format!(
                    "expected {direction:?} of {width} bit(s), found {:?} of {} bit(s)",
                    signal.direction(),
                    signal.width()
                ),
            });
        }
        Ok(signal)
    }

    /// The 1-bit port `name`, checked to have this direction.
    pub fn bit(&self, name: &str, direction: Direction) -> Result<Bit<'_>, ModelError> {
        let signal = self.port_checked(name, direction, 1)?;
        // SAFETY: a 1-bit port is a CData member, and `signal` points at it for `self`'s life.
        Ok(unsafe { Bit::new(signal.as_ptr()) })
    }

    /// One line per 1-bit port with its current value, for hang and failure reports.
    pub fn control_state(&self) -> String {
        let mut lines = Vec::new();
        for decl in self.kernel.ports.iter().filter(|d| d.width == 1) {
            if let Ok(signal) = self.port(decl.name) {
                lines.push(format!("{}={}", decl.name, signal.get()));
            }
        }
        lines.join(" ")
    }
}

impl Drop for Model {
    fn drop(&mut self) {
        // SAFETY: the handle is live; final() runs `final` blocks before the model is freed.
        unsafe {
            (self.kernel.ffi.finish)(self.handle);
            (self.kernel.ffi.delete)(self.handle);
        }
    }
}
