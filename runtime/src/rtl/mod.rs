//! What every driver of verilated models shares: single-kernel cosim
//! ([`crate::backends::cosim`]) and the graph system ([`crate::graph`]) both build on it, and
//! it knows neither. The error wrapper for a model that does not fit its manifest, the end
//! rules of free-running kernels, m_axi memories, each port's transfer marks, waveforms (the
//! format, where each goes, the traced re-run of a failure), and how often the protocol
//! checkers are asked.

pub(crate) mod end_rules;
mod error;
pub(crate) mod memory;
mod waveform;

pub use error::CosimError;
pub use waveform::trace_format;
pub(crate) use waveform::{rerun_traced_on_failure, waveform_path};

/// How often (in cycles) a loop asks the checkers whether a rule was broken, so a broken
/// kernel stops early without a check on every cycle.
pub(crate) const CHECK_EVERY: u64 = 1024;

/// First and last transfer cycle of one port.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Marks {
    pub(crate) first: Option<u64>,
    pub(crate) last: u64,
    /// Input ports: stall cycles while an output was held back by the downstream (the
    /// kernel not ready because of its output, not by its own pace).
    pub(crate) blocked_by_output: u64,
}

impl Marks {
    #[inline(always)]
    pub(crate) fn mark(&mut self, cycle: u64) {
        if self.first.is_none() {
            self.first = Some(cycle);
        }
        self.last = cycle;
    }

    /// The cycle of the last transfer, if one moved a beat yet.
    #[inline]
    pub(crate) fn last_transfer(&self) -> Option<u64> {
        self.first.map(|_| self.last)
    }
}
