//! Protocol errors an [`AxiSlave`](super::AxiSlave) reports: each names the bundle, the
//! channel, the address and the cycle (the clock's count of rising edges when it was seen).

use std::fmt;

/// One of the five AXI channels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Channel {
    /// Write address.
    Aw,
    /// Write data.
    W,
    /// Write response.
    B,
    /// Read address.
    Ar,
    /// Read data.
    R,
}

impl fmt::Display for Channel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Channel::Aw => "AW",
            Channel::W => "W",
            Channel::B => "B",
            Channel::Ar => "AR",
            Channel::R => "R",
        })
    }
}

/// A broken AXI rule, seen by the slave. The burst concerned is answered SLVERR.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AxiError {
    /// A burst crosses a 4 KiB boundary (AXI4 A3.4.1).
    #[error(
        "m_axi `{bundle}` {channel}: burst at {addr:#x} ({beats} beat(s) of {size} byte(s)) crosses the 4 KiB \
         boundary at {boundary:#x}, cycle {cycle}"
    )]
    Crosses4k {
        /// Bundle (`gmem`).
        bundle: String,
        /// AW or AR.
        channel: Channel,
        /// AxADDR.
        addr: u64,
        /// AxLEN + 1.
        beats: u32,
        /// Bytes per beat.
        size: u32,
        /// The boundary crossed.
        boundary: u64,
        /// Cycle of the address handshake.
        cycle: u64,
    },
    /// A burst the AXI4 rules do not allow: reserved AxBURST, AxSIZE wider than the bus,
    /// a WRAP burst of the wrong length or alignment, a FIXED burst over 16 beats.
    #[error("m_axi `{bundle}` {channel}: {detail}; burst at {addr:#x}, cycle {cycle}")]
    BadBurst {
        /// Bundle.
        bundle: String,
        /// AW or AR.
        channel: Channel,
        /// AxADDR.
        addr: u64,
        /// The rule broken.
        detail: String,
        /// Cycle of the address handshake.
        cycle: u64,
    },
    /// WLAST on a beat other than the burst's last, or missing on the last. Bursts are framed
    /// by AWLEN; the rest of this burst's data is dropped.
    #[error(
        "m_axi `{bundle}` W: WLAST={wlast} on beat {beat} (0-based) of a {beats}-beat burst at {addr:#x}, \
         cycle {cycle}"
    )]
    WlastMismatch {
        /// Bundle.
        bundle: String,
        /// AWADDR of the burst.
        addr: u64,
        /// Beat index, 0-based.
        beat: u32,
        /// Beats of the burst (AWLEN + 1).
        beats: u32,
        /// WLAST as seen.
        wlast: bool,
        /// Cycle of the W handshake.
        cycle: u64,
    },
    /// WSTRB enables byte lanes outside the ones the beat transfers (narrow or unaligned).
    #[error(
        "m_axi `{bundle}` W: WSTRB {strobe:#x} enables lanes outside {lanes:?} on beat {beat} at {addr:#x}, \
         cycle {cycle}"
    )]
    StrobeOutsideLanes {
        /// Bundle.
        bundle: String,
        /// Address of the beat.
        addr: u64,
        /// Beat index, 0-based.
        beat: u32,
        /// WSTRB as seen.
        strobe: u128,
        /// The lanes the beat may use.
        lanes: std::ops::Range<usize>,
        /// Cycle of the W handshake.
        cycle: u64,
    },
    /// WVALID was held with no accepted AW burst waiting for data (seen by
    /// [`AxiSlave::finish`](super::AxiSlave::finish)).
    #[error(
        "m_axi `{bundle}` W: WVALID high since cycle {since} with no outstanding AW to take the data \
         (still at cycle {cycle})"
    )]
    WriteWithoutAddress {
        /// Bundle.
        bundle: String,
        /// First cycle of the orphan WVALID.
        since: u64,
        /// Cycle of the check.
        cycle: u64,
    },
    /// AxVALID went low, or the address payload changed, before AxREADY.
    #[error(
        "m_axi `{bundle}` {channel}: VALID withdrawn or payload changed before READY (address {addr:#x} \
         offered), cycle {cycle}"
    )]
    Unstable {
        /// Bundle.
        bundle: String,
        /// AW or AR.
        channel: Channel,
        /// The address first offered.
        addr: u64,
        /// Cycle it was seen.
        cycle: u64,
    },
    /// A burst still in flight when the job ended (seen by
    /// [`AxiSlave::finish`](super::AxiSlave::finish)).
    #[error("m_axi `{bundle}` {channel}: burst at {addr:#x} accepted at cycle {cycle} is unfinished: {detail}")]
    Incomplete {
        /// Bundle.
        bundle: String,
        /// AR or AW.
        channel: Channel,
        /// AxADDR.
        addr: u64,
        /// Cycle of the address handshake.
        cycle: u64,
        /// What it waits for.
        detail: String,
    },
}

impl AxiError {
    /// The address concerned, when there is one.
    pub fn addr(&self) -> Option<u64> {
        match self {
            AxiError::Crosses4k { addr, .. }
            | AxiError::BadBurst { addr, .. }
            | AxiError::WlastMismatch { addr, .. }
            | AxiError::StrobeOutsideLanes { addr, .. }
            | AxiError::Unstable { addr, .. }
            | AxiError::Incomplete { addr, .. } => Some(*addr),
            AxiError::WriteWithoutAddress { .. } => None,
        }
    }

    /// The channel concerned.
    pub fn channel(&self) -> Channel {
        match self {
            AxiError::Crosses4k { channel, .. }
            | AxiError::BadBurst { channel, .. }
            | AxiError::Unstable { channel, .. }
            | AxiError::Incomplete { channel, .. } => *channel,
            AxiError::WlastMismatch { .. }
            | AxiError::StrobeOutsideLanes { .. }
            | AxiError::WriteWithoutAddress { .. } => Channel::W,
        }
    }
}
