//! AXI4-Stream: ports bound by their Vitis prefix (`<p>_TDATA`, ...), a [`AxisSource`] that
//! drives TVALID/TDATA/TLAST/TKEEP/TSTRB, and a [`AxisSink`] that drives only TREADY.
//!
//! Optional signals: a port without TLAST is treated as TLAST = 1 on every beat read and is
//! not driven; TKEEP/TSTRB, when present, are driven all ones.

mod sink;
mod source;

pub use sink::AxisSink;
pub use source::AxisSource;

use crate::verilated::{Bit, Direction, Model, ModelError, Signal};

/// Handshake counts of one stream port since the last [`AxisStats::default`] reset.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AxisStats {
    /// Beats transferred (VALID && READY at an edge).
    pub transfers: u64,
    /// Cycles with VALID && !READY: the receiver held the sender back.
    pub stalled: u64,
}

/// One transfer: TDATA (up to 64 bits here) and TLAST.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AxisBeat {
    /// TDATA.
    pub data: u64,
    /// TLAST.
    pub last: bool,
}

/// The signals of one AXI4-Stream port, from the point of view of the kernel.
#[derive(Debug, Clone, Copy)]
pub struct AxisPorts<'m> {
    /// `<p>_TDATA`.
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
}

impl<'m> AxisPorts<'m> {
    /// Binds `<prefix>_TDATA`, `_TVALID`, `_TREADY` (required) and `_TLAST`, `_TKEEP`,
    /// `_TSTRB` (optional). `into_kernel` says whether the kernel receives on this port.
    pub fn bind(model: &'m Model, prefix: &str, into_kernel: bool) -> Result<Self, ModelError> {
        let (drive, observe) = if into_kernel {
            (Direction::Input, Direction::Output)
        } else {
            (Direction::Output, Direction::Input)
        };
        let name = |s: &str| format!("{prefix}_{s}");
        let tdata = model.port(&name("TDATA"))?;
        if tdata.direction() != drive || tdata.width() > 64 {
            return Err(ModelError::PortShape {
                top: model.top(),
                port: tdata.name().to_owned(),
                detail: format!(
                    "expected {drive:?} of at most 64 bits (wider streams come with the full AXI models), \
                     found {:?} of {}",
                    tdata.direction(),
                    tdata.width()
                ),
            });
        }
        let optional = |s: &str| -> Result<Option<Signal<'m>>, ModelError> {
            match model.optional_port(&name(s)) {
                None => Ok(None),
                Some(sig) => model.port_checked(&name(s), drive, sig.width()).map(Some),
            }
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
            tkeep: optional("TKEEP")?,
            tstrb: optional("TSTRB")?,
        })
    }

    /// VALID and READY as seen now, e.g. `a: TVALID=1 TREADY=0`.
    pub fn state(&self, name: &str) -> String {
        format!("{name}: TVALID={} TREADY={}", self.tvalid.get(), self.tready.get())
    }
}
