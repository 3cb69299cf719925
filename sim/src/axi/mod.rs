//! AXI4 memory-mapped (`m_axi`): the slave side that serves an HLS kernel's `m_axi_<bundle>_*`
//! master ports. One type per role, as in cocotbext-axi:
//!
//! - [`AxiPorts`] binds every channel signal of a bundle by its Vitis prefix;
//! - [`AxiMemory`] is the address space: named, mapped buffers of bytes;
//! - [`AxiSlave`] is the [`Agent`](crate::Agent) that answers AR/R and AW/W/B from an
//!   [`AxiMemory`], with latencies, an outstanding-burst limit and pause patterns;
//! - [`AxiStats`] counts bursts per bundle (length and size histograms, bytes, error
//!   responses), as the Xilinx kernel trace does.
//!
//! Response rules (see [`AxiMemory::decode`]): a burst is decoded on its first byte, as an
//! interconnect decodes on the start address. No mapped buffer there: DECERR. The buffer
//! found there does not hold the burst's last byte (it runs past the end): SLVERR. A burst
//! that breaks the protocol at its address (4 KiB crossing, reserved AxBURST, AxSIZE wider
//! than the bus, a WRAP of the wrong length or alignment, a FIXED over 16 beats) also gets
//! SLVERR, and the slave records an [`AxiError`]. These bursts never touch memory: every R
//! beat carries zeros and the RRESP, every W beat is dropped. A W-channel error (WLAST on the
//! wrong beat, WSTRB outside the beat's lanes) is found mid-burst: the beats before it were
//! written, the rest of the burst is dropped, BRESP is SLVERR.
//!
//! FIXED, INCR and WRAP bursts are all served, narrow (AxSIZE below the bus width) and
//! unaligned starts included. Not modelled: exclusive access (AxLOCK is ignored, EXOKAY never
//! returned), out-of-order responses across IDs (responses follow address order, which any
//! ID allows), W data ahead of its AW (WREADY waits for the AW handshake).

mod bind;
mod burst;
mod error;
mod lanes;
mod memory;
mod serve;
mod slave;
mod stats;

pub use bind::{AxiAddressPorts, AxiBPorts, AxiPorts, AxiRPorts, AxiWPorts};
pub use burst::{Burst, BurstKind};
pub use error::{AxiError, Channel};
pub use memory::{AxiMemory, Buffer, MemoryError, ALLOC_ALIGN, ALLOC_BASE};
pub use slave::{Access, AxiSlave, AxiSlaveConfig};
pub use stats::{AxiDirectionStats, AxiStats};

/// A read or write response code (RRESP, BRESP).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u8)]
pub enum AxiResp {
    /// 0: normal access success.
    Okay = 0,
    /// 1: exclusive access success (never produced by [`AxiSlave`]).
    ExOkay = 1,
    /// 2: slave error: the slave was reached but could not serve the access.
    SlvErr = 2,
    /// 3: decode error: no slave at the address.
    DecErr = 3,
}

impl AxiResp {
    /// The 2-bit code on RRESP/BRESP.
    pub fn code(self) -> u8 {
        self as u8
    }

    /// The response for a 2-bit code (upper bits ignored).
    pub fn from_code(code: u64) -> Self {
        match code & 3 {
            0 => AxiResp::Okay,
            1 => AxiResp::ExOkay,
            2 => AxiResp::SlvErr,
            _ => AxiResp::DecErr,
        }
    }

    /// True for SLVERR and DECERR.
    pub fn is_error(self) -> bool {
        matches!(self, AxiResp::SlvErr | AxiResp::DecErr)
    }
}

impl std::fmt::Display for AxiResp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            AxiResp::Okay => "OKAY",
            AxiResp::ExOkay => "EXOKAY",
            AxiResp::SlvErr => "SLVERR",
            AxiResp::DecErr => "DECERR",
        })
    }
}
