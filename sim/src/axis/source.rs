//! The AXI4-Stream source: feeds beats into a kernel's input port.

use super::{AxisPorts, AxisStats};
use crate::pause::Pause;
use crate::Agent;

/// Drives TVALID, TDATA, TLAST (and TKEEP/TSTRB all ones) from a borrowed list of elements,
/// one packet with TLAST on the final beat.
///
/// Once a beat is offered, TVALID and TDATA stay stable until the handshake (AXI rule); the
/// pause pattern only decides when the next beat is offered. The elements are borrowed, not
/// copied: a million-beat run allocates nothing per beat.
#[derive(Debug)]
pub struct AxisSource<'a> {
    ports: AxisPorts<'a>,
    elements: &'a [u64],
    next: usize,
    offering: bool,
    pause: Pause,
    stats: AxisStats,
}

impl<'a> AxisSource<'a> {
    /// One packet: `elements` in order with TLAST on the final one.
    pub fn packet(ports: AxisPorts<'a>, elements: &'a [u64], pause: Pause) -> Self {
        if let Some(keep) = ports.tkeep {
            keep.set(u64::MAX);
        }
        if let Some(strb) = ports.tstrb {
            strb.set(u64::MAX);
        }
        ports.tvalid.set(false);
        AxisSource { ports, elements, next: 0, offering: false, pause, stats: AxisStats::default() }
    }

    /// Beats accepted by the kernel so far.
    pub fn sent(&self) -> usize {
        self.next
    }

    /// Beats not yet accepted.
    pub fn remaining(&self) -> usize {
        self.elements.len() - self.next
    }

    /// The bound ports.
    pub fn ports(&self) -> &AxisPorts<'a> {
        &self.ports
    }

    /// Transfers and stalls since the last [`AxisSource::reset_stats`].
    pub fn stats(&self) -> AxisStats {
        self.stats
    }

    /// Starts counting anew (e.g. at `ap_start`).
    pub fn reset_stats(&mut self) {
        self.stats = AxisStats::default();
    }
}

impl Agent for AxisSource<'_> {
    #[inline(always)]
    fn drive(&mut self) {
        let paused = self.pause.next_cycle();
        if self.offering {
            return;
        }
        match self.elements.get(self.next) {
            Some(&data) if !paused => {
                self.ports.tdata.set(data);
                if let Some(last) = self.ports.tlast {
                    last.set(self.next + 1 == self.elements.len());
                }
                self.ports.tvalid.set(true);
                self.offering = true;
            }
            _ => self.ports.tvalid.set(false),
        }
    }

    #[inline(always)]
    fn sample(&mut self) -> bool {
        if !self.offering {
            return false;
        }
        if self.ports.tready.is_high() {
            // Inputs must not change before the edge: TVALID drops at the next `drive`.
            self.next += 1;
            self.offering = false;
            self.stats.transfers += 1;
            true
        } else {
            self.stats.stalled += 1;
            false
        }
    }
}
