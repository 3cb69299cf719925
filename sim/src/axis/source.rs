//! The AXI4-Stream source: feeds beats into a kernel's input port.

use super::layout::Layout;
use super::{AxisBeat, AxisMonitor, AxisPorts, AxisStats, Violation};
use crate::pause::Pause;
use crate::{Agent, CycleCounter};

/// What the source sends.
// An explicit tag: matched every beat (a niche in a Vec takes longer to decode).
#[repr(u8)]
#[derive(Debug)]
enum Feed<'a> {
    /// One element per beat in TDATA of up to 64 bits (the usual case, one test per beat):
    /// one packet, TLAST on the last beat.
    Words(&'a [u64]),
    /// Typed elements, borrowed: one packet, `lanes` per beat, TLAST on the last beat.
    Elements { data: &'a [u64], layout: Layout },
    /// Explicit beats with their sideband signals.
    Beats(Vec<AxisBeat>),
}

/// Drives TVALID, TDATA, TLAST, TKEEP/TSTRB and TUSER/TID/TDEST.
///
/// Once a beat is offered, TVALID and every data signal stay stable until the handshake (AXI
/// rule); the pause pattern only decides when the next beat is offered. The source keeps this
/// rule by construction (`hw/tests/axis_self_check.rs` proves it with an independent
/// [`AxisMonitor`](super::AxisMonitor)), so it counts transfers and stalls itself instead of
/// checking its own port every cycle.
#[derive(Debug)]
pub struct AxisSource<'a> {
    ports: AxisPorts<'a>,
    feed: Feed<'a>,
    total: usize,
    next: usize,
    offering: bool,
    pause: Pause,
    name: String,
    /// Stalls since the last reset; transfers are `next - sent_at_reset` (no second counter
    /// per beat).
    stalled: u64,
    sent_at_reset: usize,
    data: Vec<u32>,
    keep: Vec<u32>,
    /// TKEEP with every byte kept, for beats that leave `keep` empty.
    all_kept: Vec<u32>,
    /// A monitor for the rules the kernel's side must keep (see [`AxisSource::checked`]).
    /// Boxed: `None` is then a null test every cycle, not a niche to decode.
    checker: Option<Box<AxisMonitor<'a>>>,
}

impl<'a> AxisSource<'a> {
    fn new(name: &str, ports: AxisPorts<'a>, feed: Feed<'a>, total: usize, pause: Pause) -> Self {
        let words = ports.tdata.width().div_ceil(32) as usize;
        let keep_words = ports.bytes().div_ceil(32) as usize;
        let all_kept = vec![u32::MAX; keep_words];
        for s in [ports.tkeep, ports.tstrb].into_iter().flatten() {
            s.set_words(&all_kept);
        }
        ports.tvalid.set(false);
        AxisSource {
            name: name.to_owned(),
            stalled: 0,
            sent_at_reset: 0,
            ports,
            feed,
            total,
            next: 0,
            offering: false,
            pause,
            data: vec![0; words],
            keep: vec![0; keep_words],
            all_kept,
            checker: None,
        }
    }

    /// Also checks the kernel's side of the port every cycle (an `ap_fifo` input: `_read`
    /// while `_empty_n` is low is a violation); AXI4-Stream needs no such check.
    pub fn checked(mut self, now: CycleCounter) -> Self {
        self.checker = Some(Box::new(AxisMonitor::new(&self.name, self.ports, now)));
        self
    }

    /// The first violation the checker saw, if any.
    pub fn violation(&self) -> Option<&Violation> {
        self.checker.as_deref().and_then(AxisMonitor::violation)
    }

    /// One packet of typed elements, `layout.lanes` per beat (a partial last beat has its
    /// unused lanes' TKEEP low), TLAST on the last beat. The elements are borrowed, not copied.
    pub fn elements(
        name: &str,
        ports: AxisPorts<'a>,
        data: &'a [u64],
        layout: Layout,
        pause: Pause,
    ) -> Result<Self, String> {
        layout.check(ports.tdata.width())?;
        let total = layout.beats(data.len());
        let feed = if layout.lanes == 1 && ports.tdata.width() <= 64 { Feed::Words(data) } else { Feed::Elements { data, layout } };
        Ok(Self::new(name, ports, feed, total, pause))
    }

    /// Explicit beats, in order.
    pub fn beats(name: &str, ports: AxisPorts<'a>, beats: Vec<AxisBeat>, pause: Pause) -> Self {
        let total = beats.len();
        Self::new(name, ports, Feed::Beats(beats), total, pause)
    }

    /// Beats accepted by the kernel so far.
    pub fn sent(&self) -> usize {
        self.next
    }

    /// Beats not yet accepted.
    pub fn remaining(&self) -> usize {
        self.total - self.next
    }

    /// The bound ports.
    pub fn ports(&self) -> &AxisPorts<'a> {
        &self.ports
    }

    /// The stream name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Transfers and stalls since the last [`AxisSource::reset_stats`].
    pub fn stats(&self) -> AxisStats {
        AxisStats { transfers: (self.next - self.sent_at_reset) as u64, stalled: self.stalled }
    }

    /// Starts counting anew (e.g. at `ap_start`).
    pub fn reset_stats(&mut self) {
        self.stalled = 0;
        self.sent_at_reset = self.next;
    }

    #[inline(always)]
    fn offer(&mut self) {
        let last = self.next + 1 == self.total;
        // The usual feed tested on its own, first: one compare per beat.
        let Feed::Words(data) = &self.feed else {
            return self.offer_packed(last);
        };
        self.ports.tdata.set(data[self.next]);
        if let Some(l) = self.ports.tlast {
            l.set(last);
        }
        self.ports.tvalid.set(true);
    }

    /// [`AxisSource::offer`] of several lanes per beat, or of explicit beats.
    #[inline(never)]
    fn offer_packed(&mut self, last: bool) {
        match &self.feed {
            Feed::Words(_) => {} // offered in line by `offer`
            Feed::Elements { data, layout } => {
                let lanes = layout.lanes as usize;
                let chunk = &data[self.next * lanes..((self.next + 1) * lanes).min(data.len())];
                layout.pack(chunk, &mut self.data, &mut self.keep);
                self.ports.tdata.set_words(&self.data);
                for s in [self.ports.tkeep, self.ports.tstrb].into_iter().flatten() {
                    s.set_words(&self.keep);
                }
                if let Some(l) = self.ports.tlast {
                    l.set(last);
                }
            }
            Feed::Beats(beats) => {
                let beat = &beats[self.next];
                self.ports.tdata.set_words(&beat.data);
                let keep = if beat.keep.is_empty() { &self.all_kept } else { &beat.keep };
                let strb = if beat.strb.is_empty() { keep } else { &beat.strb };
                if let Some(s) = self.ports.tkeep {
                    s.set_words(keep);
                }
                if let Some(s) = self.ports.tstrb {
                    s.set_words(strb);
                }
                for (port, value) in [(self.ports.tuser, beat.user), (self.ports.tid, beat.id), (self.ports.tdest, beat.dest)] {
                    if let Some(port) = port {
                        port.set(value);
                    }
                }
                if let Some(l) = self.ports.tlast {
                    l.set(beat.last);
                }
            }
        }
        self.ports.tvalid.set(true);
    }
}

impl Agent for AxisSource<'_> {
    #[inline(always)]
    fn drive(&mut self) {
        let paused = self.pause.next_cycle();
        if self.offering {
            return;
        }
        if !paused && self.next < self.total {
            self.offer();
            self.offering = true;
        } else {
            self.ports.tvalid.set(false);
        }
        if let Some(fifo) = &self.ports.fifo {
            // Words we could hand over now: the rest of the call, while one is offered.
            fifo.set_occupancy(if self.offering { (self.total - self.next) as u64 } else { 0 });
        }
    }

    #[inline(always)]
    fn sample(&mut self) -> bool {
        if let Some(checker) = &mut self.checker {
            checker.observe();
        }
        // Inputs must not change before the edge: TVALID drops at the next `drive`.
        if !self.offering {
            return false;
        }
        if self.ports.tready.is_high() {
            self.next += 1;
            self.offering = false;
            true
        } else {
            self.stalled += 1;
            false
        }
    }
}
