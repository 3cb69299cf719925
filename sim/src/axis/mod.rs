//! AXI4-Stream: ports bound by their Vitis prefix (`<p>_TDATA`, ...) and one type per role:
//! [`AxisSource`] drives TVALID, TDATA and the sideband signals; [`AxisSink`] drives only
//! TREADY; [`AxisMonitor`] drives nothing. Source and Sink each contain a Monitor, which
//! checks the protocol on every cycle (see [`Violation`]).
//!
//! Optional signals and their value when a port lacks them: TLAST 1 on every beat, TKEEP and
//! TSTRB all ones, TUSER/TID/TDEST 0. TDATA may be 1..=4096 bits wide.

mod beat;
mod fifo;
mod layout;
mod monitor;
mod sink;
mod source;
mod violation;

pub use beat::AxisBeat;
pub use fifo::{AxisFifo, AxisFifoReader, AxisFifoWriter, FifoFeeder, FifoStats, Handshake};
pub use layout::Layout;
pub use monitor::AxisMonitor;
pub use sink::AxisSink;
pub use source::AxisSource;
pub use violation::{Violation, ViolationKind};

use crate::verilated::{Bit, Direction, Model, ModelError, Signal};

/// Handshake counts of one stream port since the last reset of the counters.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AxisStats {
    /// Beats transferred (VALID && READY at an edge).
    pub transfers: u64,
    /// Cycles with VALID && !READY: the receiver held the sender back.
    pub stalled: u64,
}

/// The signals of one AXI4-Stream port.
#[derive(Debug, Clone, Copy)]
pub struct AxisPorts<'m> {
    /// `<p>_TDATA`, 1..=4096 bits.
    pub tdata: Signal<'m>,
    /// `<p>_TVALID`.
    pub tvalid: Bit<'m>,
    /// `<p>_TREADY`.
    pub tready: Bit<'m>,
    /// `<p>_TLAST`, if the port has one.
    pub tlast: Option<Bit<'m>>,
    /// `<p>_TKEEP`, if the port has one.
    pub tkeep: Option<Signal<'m>>,
    /// `<p>_TSTRB`, if the port has one.
    pub tstrb: Option<Signal<'m>>,
    /// `<p>_TUSER`, if the port has one (up to 64 bits).
    pub tuser: Option<Signal<'m>>,
    /// `<p>_TID`, if the port has one (up to 64 bits).
    pub tid: Option<Signal<'m>>,
    /// `<p>_TDEST`, if the port has one (up to 64 bits).
    pub tdest: Option<Signal<'m>>,
}

impl<'m> AxisPorts<'m> {
    /// Binds `<prefix>_TDATA`, `_TVALID`, `_TREADY` (required) and `_TLAST`, `_TKEEP`,
    /// `_TSTRB`, `_TUSER`, `_TID`, `_TDEST` (when present). `into_kernel` says whether the
    /// kernel receives on this port; directions and widths are checked.
    pub fn bind(model: &'m Model, prefix: &str, into_kernel: bool) -> Result<Self, ModelError> {
        let (drive, observe) = if into_kernel {
            (Direction::Input, Direction::Output)
        } else {
            (Direction::Output, Direction::Input)
        };
        let name = |s: &str| format!("{prefix}_{s}");
        let tdata = model.port(&name("TDATA"))?;
        let tdata = model.port_checked(tdata.name(), drive, tdata.width())?;
        let bytes = tdata.width().div_ceil(8);
        let optional = |s: &str, max_width: Option<u32>| -> Result<Option<Signal<'m>>, ModelError> {
            let Some(sig) = model.optional_port(&name(s)) else { return Ok(None) };
            let width = max_width.unwrap_or(sig.width()).min(sig.width());
            if max_width.is_some_and(|w| sig.width() != w) || sig.width() > 64 && max_width.is_none() {
                return Err(ModelError::PortShape {
                    top: model.top(),
                    port: name(s),
                    detail: format!(
                        "expected {} bits (one per TDATA byte), found {}",
                        max_width.unwrap_or(64),
                        sig.width()
                    ),
                });
            }
            model.port_checked(&name(s), drive, width).map(Some)
        };
        let tlast = match model.optional_port(&name("TLAST")) {
            None => None,
            Some(_) => Some(model.bit(&name("TLAST"), drive)?),
        };
        Ok(AxisPorts {
            tdata,
            tvalid: model.bit(&name("TVALID"), drive)?,
            tready: model.bit(&name("TREADY"), observe)?,
            tlast,
            tkeep: optional("TKEEP", Some(bytes))?,
            tstrb: optional("TSTRB", Some(bytes))?,
            tuser: optional("TUSER", None)?,
            tid: optional("TID", None)?,
            tdest: optional("TDEST", None)?,
        })
    }

    /// Bytes of TDATA.
    pub fn bytes(&self) -> u32 {
        self.tdata.width().div_ceil(8)
    }

    /// VALID and READY as seen now, e.g. `a: TVALID=1 TREADY=0`.
    pub fn state(&self, name: &str) -> String {
        format!("{name}: TVALID={} TREADY={}", self.tvalid.get(), self.tready.get())
    }
}
