//! AXI4-Stream: ports bound by their Vitis prefix (`<p>_TDATA`, ...) and one type per role:
//! [`AxisSource`] drives TVALID, TDATA and the sideband signals; [`AxisSink`] drives only
//! TREADY; [`AxisMonitor`] drives nothing. Source and Sink each contain a Monitor, which
//! checks the protocol on every cycle (see [`Violation`]).
//!
//! Optional signals and their value when a port lacks them: TLAST 1 on every beat, TKEEP and
//! TSTRB all ones, TUSER/TID/TDEST 0. TDATA may be 1..=4096 bits wide.
//!
//! An HLS `ap_fifo` port has the same handshake under other names ([`AxisPorts::bind_fifo`]):
//! `_dout`/`_empty_n`/`_read` into the kernel, `_din`/`_write`/`_full_n` out of it, with
//! stricter rules (the kernel may not read an empty FIFO nor write a full one).

mod beat;
mod fifo;
mod layout;
mod monitor;
mod ring;
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
    /// Set when the port is an HLS FIFO (`ap_fifo`) rather than AXI4-Stream.
    pub fifo: Option<FifoSignals<'m>>,
}

/// What an `ap_fifo` port has beyond the handshake: the occupancy inputs newer Vitis versions
/// add (`_num_data_valid`, `_fifo_cap`), driven when present.
#[derive(Debug, Clone, Copy)]
pub struct FifoSignals<'m> {
    /// True for `_dout/_empty_n/_read` (the kernel reads), false for `_din/_full_n/_write`.
    pub into_kernel: bool,
    /// `<p>_num_data_valid`: words the FIFO holds.
    pub num_data_valid: Option<Signal<'m>>,
    /// `<p>_fifo_cap`: the FIFO's depth.
    pub fifo_cap: Option<Signal<'m>>,
}

impl FifoSignals<'_> {
    /// The depth we present: the largest value `_fifo_cap` can carry (at most 2^32 - 1).
    pub fn capacity(&self) -> u64 {
        let bits = self.fifo_cap.map_or(32, |s| s.width()).min(32);
        (1u64 << bits) - 1
    }

    /// Drives `_fifo_cap` and `_num_data_valid` (`held` words now in the FIFO, capped) for a
    /// FIFO as deep as the port can say.
    #[inline(always)]
    pub fn set_occupancy(&self, held: u64) {
        self.set_occupancy_of(held, u64::MAX);
    }

    /// [`set_occupancy`](Self::set_occupancy) for a FIFO of `depth` words (a graph's
    /// connection), both capped to what the port carries.
    #[inline(always)]
    pub fn set_occupancy_of(&self, held: u64, depth: u64) {
        let capacity = self.capacity();
        if let Some(s) = self.fifo_cap {
            s.set(depth.min(capacity));
        }
        if let Some(s) = self.num_data_valid {
            s.set(held.min(capacity));
        }
    }
}

/// Model directions of (data and valid, ready) for a port into or out of the kernel.
fn directions(into_kernel: bool) -> (Direction, Direction) {
    if into_kernel {
        (Direction::Input, Direction::Output)
    } else {
        (Direction::Output, Direction::Input)
    }
}

impl<'m> AxisPorts<'m> {
    /// Binds `<prefix>_TDATA`, `_TVALID`, `_TREADY` (required) and `_TLAST`, `_TKEEP`,
    /// `_TSTRB`, `_TUSER`, `_TID`, `_TDEST` (when present). `into_kernel` says whether the
    /// kernel receives on this port; directions and widths are checked.
    pub fn bind(model: &'m Model, prefix: &str, into_kernel: bool) -> Result<Self, ModelError> {
        let (drive, observe) = directions(into_kernel);
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
            fifo: None,
        })
    }

    /// Binds an HLS FIFO port: `<prefix>_dout`, `_empty_n`, `_read` when `into_kernel`, else
    /// `<prefix>_din`, `_write`, `_full_n`; `_num_data_valid` and `_fifo_cap` when present.
    /// Data stands for TDATA, empty_n/write for TVALID, read/full_n for TREADY.
    pub fn bind_fifo(model: &'m Model, prefix: &str, into_kernel: bool) -> Result<Self, ModelError> {
        let (drive, observe) = directions(into_kernel);
        let name = |s: &str| format!("{prefix}_{s}");
        let (data, valid, ready) = if into_kernel { ("dout", "empty_n", "read") } else { ("din", "write", "full_n") };
        let tdata = model.port(&name(data))?;
        let tdata = model.port_checked(tdata.name(), drive, tdata.width())?;
        let count = |s: &str| -> Result<Option<Signal<'m>>, ModelError> {
            match model.optional_port(&name(s)) {
                None => Ok(None),
                Some(sig) => model.port_checked(&name(s), Direction::Input, sig.width().min(64)).map(Some),
            }
        };
        let fifo = FifoSignals { into_kernel, num_data_valid: count("num_data_valid")?, fifo_cap: count("fifo_cap")? };
        fifo.set_occupancy(0);
        Ok(AxisPorts {
            tdata,
            tvalid: model.bit(&name(valid), drive)?,
            tready: model.bit(&name(ready), observe)?,
            tlast: None,
            tkeep: None,
            tstrb: None,
            tuser: None,
            tid: None,
            tdest: None,
            fifo: Some(fifo),
        })
    }

    /// Bytes of TDATA.
    pub fn bytes(&self) -> u32 {
        self.tdata.width().div_ceil(8)
    }

    /// VALID and READY as seen now, e.g. `a: TVALID=1 TREADY=0` (`in: empty_n=1 read=0`
    /// for a FIFO).
    pub fn state(&self, name: &str) -> String {
        let (valid, ready) = match self.fifo {
            None => ("TVALID", "TREADY"),
            Some(FifoSignals { into_kernel: true, .. }) => ("empty_n", "read"),
            Some(_) => ("write", "full_n"),
        };
        format!("{name}: {valid}={} {ready}={}", self.tvalid.get(), self.tready.get())
    }
}
