//! Protocol violations on a stream port, each naming the port, the cycle and the beat.

use std::fmt;

/// What rule was broken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ViolationKind {
    /// TDATA changed while TVALID && !TREADY.
    TdataChanged,
    /// TLAST changed while TVALID && !TREADY.
    TlastChanged,
    /// TKEEP changed while TVALID && !TREADY.
    TkeepChanged,
    /// TSTRB, TUSER, TID or TDEST changed while TVALID && !TREADY.
    SidebandChanged,
    /// TVALID went low before the handshake.
    TvalidWithdrawn,
    /// The job ended with a packet open: beats since the last TLAST.
    Unterminated {
        /// Beats of the open packet.
        beats: u64,
    },
    /// A beat's TKEEP does not fit the element layout.
    BadKeep(String),
    /// `ap_fifo` input: the kernel raised `_read` while `_empty_n` was low.
    FifoReadWhileEmpty,
    /// `ap_fifo` output: the kernel raised `_write` while `_full_n` was low.
    FifoWriteWhileFull,
}

/// A protocol violation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// Stream name.
    pub port: String,
    /// Cycle at which it was seen.
    pub cycle: u64,
    /// Index of the beat concerned (0-based, counting every beat on the port).
    pub beat: u64,
    /// The rule.
    pub kind: ViolationKind,
}

impl Violation {
    /// The rule broken and the beat, without port and cycle: `TDATA changed while TVALID &&
    /// !TREADY (beat 3)`.
    pub fn describe(&self) -> String {
        let beat = self.beat;
        match &self.kind {
            ViolationKind::TdataChanged => format!("TDATA changed while TVALID && !TREADY (beat {beat})"),
            ViolationKind::TlastChanged => format!("TLAST changed while TVALID && !TREADY (beat {beat})"),
            ViolationKind::TkeepChanged => format!("TKEEP changed while TVALID && !TREADY (beat {beat})"),
            ViolationKind::SidebandChanged => format!("TSTRB/TUSER/TID/TDEST changed while TVALID && !TREADY (beat {beat})"),
            ViolationKind::TvalidWithdrawn => format!("TVALID withdrawn before the handshake (beat {beat})"),
            ViolationKind::Unterminated { beats } => {
                format!("the job ended inside a packet: {beats} beat(s) after the last TLAST (beat {beat})")
            }
            ViolationKind::BadKeep(detail) => format!("TKEEP does not fit the element layout: {detail} (beat {beat})"),
            ViolationKind::FifoReadWhileEmpty => {
                format!("ap_fifo: the kernel read an empty FIFO (_read high while _empty_n low, before word {beat})")
            }
            ViolationKind::FifoWriteWhileFull => {
                format!("ap_fifo: the kernel wrote a full FIFO (_write high while _full_n low, word {beat})")
            }
        }
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}`: {} at cycle {}", self.port, self.describe(), self.cycle)
    }
}

impl std::error::Error for Violation {}
