//! The AXI4-Stream sink: drains a kernel's output port.

use super::{AxisBeat, AxisPorts, AxisStats};
use crate::pause::Pause;
use crate::Agent;

/// Drives only TREADY (low while paused) and records every beat transferred: the data words,
/// and the indices of the beats that carried TLAST.
#[derive(Debug)]
pub struct AxisSink<'m> {
    ports: AxisPorts<'m>,
    data: Vec<u64>,
    lasts: Vec<usize>,
    pause: Pause,
    stats: AxisStats,
}

impl<'m> AxisSink<'m> {
    /// A sink expecting about `capacity` beats.
    pub fn new(ports: AxisPorts<'m>, capacity: usize, pause: Pause) -> Self {
        ports.tready.set(false);
        AxisSink { ports, data: Vec::with_capacity(capacity), lasts: Vec::new(), pause, stats: AxisStats::default() }
    }

    /// Beats received so far.
    pub fn len(&self) -> usize {
        self.data.len()
    }

    /// True if nothing was received.
    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    /// TDATA of every beat received.
    pub fn data(&self) -> &[u64] {
        &self.data
    }

    /// Indices of the beats that had TLAST set.
    pub fn lasts(&self) -> &[usize] {
        &self.lasts
    }

    /// Beat `index` as a value.
    pub fn beat(&self, index: usize) -> Option<AxisBeat> {
        let data = *self.data.get(index)?;
        Some(AxisBeat { data, last: self.lasts.binary_search(&index).is_ok() })
    }

    /// Takes the received data words, leaving the sink empty.
    pub fn take_data(&mut self) -> Vec<u64> {
        self.lasts.clear();
        std::mem::take(&mut self.data)
    }

    /// The bound ports.
    pub fn ports(&self) -> &AxisPorts<'m> {
        &self.ports
    }

    /// Transfers and stalls (the sink withheld TREADY while TVALID was high) since the last
    /// [`AxisSink::reset_stats`].
    pub fn stats(&self) -> AxisStats {
        self.stats
    }

    /// Starts counting anew (e.g. at `ap_start`).
    pub fn reset_stats(&mut self) {
        self.stats = AxisStats::default();
    }
}

impl Agent for AxisSink<'_> {
    #[inline(always)]
    fn drive(&mut self) {
        self.ports.tready.set(!self.pause.next_cycle());
    }

    #[inline(always)]
    fn sample(&mut self) -> bool {
        if !self.ports.tvalid.is_high() {
            return false;
        }
        if self.ports.tready.is_high() {
            if self.ports.tlast.is_none_or(|l| l.is_high()) {
                self.lasts.push(self.data.len());
            }
            self.data.push(self.ports.tdata.get());
            self.stats.transfers += 1;
            true
        } else {
            self.stats.stalled += 1;
            false
        }
    }
}
