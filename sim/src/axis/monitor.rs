//! The AXI4-Stream monitor: drives nothing, counts transfers and stalls, and checks the
//! protocol on every cycle.

use super::{AxisPorts, AxisStats, Violation, ViolationKind};
use crate::{Agent, CycleCounter};

/// What the sender held up while stalled, to compare on the next cycle.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Held {
    data: Vec<u32>,
    keep: u64,
    last: bool,
    sideband: [u64; 4],
}

/// Watches one stream port. Rules checked: while TVALID && !TREADY, TDATA, TLAST, TKEEP and
/// the sideband signals hold and TVALID stays high; at the end of a job no packet is open.
/// On an `ap_fifo` port: no `_read` while `_empty_n` is low, no `_write` while `_full_n` is low.
/// The first violation is kept (later ones are usually its consequences).
#[derive(Debug)]
pub struct AxisMonitor<'m> {
    name: String,
    ports: AxisPorts<'m>,
    now: CycleCounter,
    stats: AxisStats,
    beats: u64,
    open: u64,
    stalled: bool,
    held: Held,
    scratch: Held,
    violation: Option<Violation>,
}

impl<'m> AxisMonitor<'m> {
    /// A monitor on `ports`, reporting as stream `name`, with cycles from `now`.
    pub fn new(name: &str, ports: AxisPorts<'m>, now: CycleCounter) -> Self {
        let words = ports.tdata.width().div_ceil(32) as usize;
        let held = Held { data: vec![0; words], ..Held::default() };
        AxisMonitor {
            name: name.to_owned(),
            ports,
            now,
            stats: AxisStats::default(),
            beats: 0,
            open: 0,
            stalled: false,
            scratch: held.clone(),
            held,
            violation: None,
        }
    }

    /// Stream name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The watched ports.
    pub fn ports(&self) -> &AxisPorts<'m> {
        &self.ports
    }

    /// Transfers and stalls since the last [`AxisMonitor::reset_stats`].
    pub fn stats(&self) -> AxisStats {
        self.stats
    }

    /// Starts counting anew (e.g. at `ap_start`); protocol state is kept.
    pub fn reset_stats(&mut self) {
        self.stats = AxisStats::default();
    }

    /// Beats transferred since construction.
    pub fn beats(&self) -> u64 {
        self.beats
    }

    /// Beats since the last TLAST (0 when no packet is open).
    pub fn open_beats(&self) -> u64 {
        self.open
    }

    /// The first violation seen, if any.
    pub fn violation(&self) -> Option<&Violation> {
        self.violation.as_ref()
    }

    /// Records a violation found by the owner (e.g. a sink's layout check).
    #[cold]
    pub(crate) fn report(&mut self, kind: ViolationKind) {
        if self.violation.is_none() {
            self.violation = Some(Violation { port: self.name.clone(), cycle: self.now.get(), beat: self.beats, kind });
        }
    }

    /// End of a job: the first violation, or an open packet.
    pub fn finish(&mut self) -> Result<(), Violation> {
        if self.open > 0 && self.ports.tlast.is_some() {
            self.report(ViolationKind::Unterminated { beats: self.open });
        }
        self.violation.clone().map_or(Ok(()), Err)
    }

    // In line, like `check_held` and `sideband`: under back-pressure they run on every stall.
    #[inline(always)]
    fn capture(&self, into: &mut Held) {
        let p = &self.ports;
        if into.data.len() <= 2 {
            let v = p.tdata.get();
            into.data[0] = v as u32;
            if let Some(w) = into.data.get_mut(1) {
                *w = (v >> 32) as u32;
            }
        } else {
            p.tdata.read_words(&mut into.data);
        }
        into.last = p.tlast.is_some_and(|l| l.is_high());
        into.keep = p.tkeep.map_or(0, |k| k.get());
        into.sideband = self.sideband();
    }

    /// TSTRB, TUSER, TID and TDEST now (0 for an absent one).
    #[inline(always)]
    fn sideband(&self) -> [u64; 4] {
        let p = &self.ports;
        [p.tstrb.map_or(0, |s| s.get()), p.tuser.map_or(0, |s| s.get()), p.tid.map_or(0, |s| s.get()), p.tdest.map_or(0, |s| s.get())]
    }

    /// Observes the settled signals before an edge; true when a beat transfers.
    #[inline(always)]
    pub fn observe(&mut self) -> bool {
        let valid = self.ports.tvalid.is_high();
        if self.stalled {
            self.check_held(valid);
        }
        if !valid {
            self.stalled = false;
            if self.ports.fifo.is_some_and(|f| f.into_kernel) && self.ports.tready.is_high() {
                self.report(ViolationKind::FifoReadWhileEmpty);
            }
            return false;
        }
        if self.ports.tready.is_high() {
            self.stalled = false;
            self.stats.transfers += 1;
            self.beats += 1;
            if self.ports.tlast.is_none_or(|l| l.is_high()) {
                self.open = 0;
            } else {
                self.open += 1;
            }
            true
        } else {
            self.stats.stalled += 1;
            if self.ports.fifo.is_some_and(|f| !f.into_kernel) {
                self.report(ViolationKind::FifoWriteWhileFull);
            }
            if !self.stalled {
                let mut held = std::mem::take(&mut self.held);
                self.capture(&mut held);
                self.held = held;
                self.stalled = true;
            }
            false
        }
    }

    /// A cycle after a stall: the beat offered then must still be offered, unchanged.
    #[inline(always)]
    fn check_held(&mut self, valid: bool) {
        if !valid {
            self.report(ViolationKind::TvalidWithdrawn);
            return;
        }
        // Narrow TDATA (the usual case under back-pressure) is compared in place, field by
        // field; wide TDATA through a scratch capture.
        let p = &self.ports;
        let held = &self.held;
        let data_changed = if held.data.len() <= 2 {
            let v = p.tdata.get();
            held.data[0] != v as u32 || held.data.get(1).is_some_and(|&w| w != (v >> 32) as u32)
        } else {
            let mut now = std::mem::take(&mut self.scratch);
            p.tdata.read_words(&mut now.data);
            let changed = now.data != self.held.data;
            self.scratch = now;
            changed
        };
        let p = &self.ports;
        let held = &self.held;
        let kind = if data_changed {
            ViolationKind::TdataChanged
        } else if held.last != p.tlast.is_some_and(|l| l.is_high()) {
            ViolationKind::TlastChanged
        } else if held.keep != p.tkeep.map_or(0, |k| k.get()) {
            ViolationKind::TkeepChanged
        } else if held.sideband != self.sideband() {
            ViolationKind::SidebandChanged
        } else {
            return;
        };
        self.report(kind);
    }
}

impl Agent for AxisMonitor<'_> {
    fn drive(&mut self) {}

    fn sample(&mut self) -> bool {
        self.observe()
    }
}
