//! The AXI4-Stream monitor: drives nothing, counts transfers and stalls, and checks the
//! protocol on every cycle.

use super::{AxisPorts, AxisStats, Violation, ViolationKind};
use crate::{Agent, CycleCounter};

/// What the sender held up while stalled, to compare on the next cycle.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Held {
    /// TDATA of up to 64 bits.
    word: u64,
    /// TDATA wider than 64 bits, as 32-bit words (empty for a narrow port).
    wide: Vec<u32>,
    keep: u64,
    last: bool,
    /// TSTRB, TUSER, TID and TDEST (all 0 on a port with none of them).
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
    /// Stalls since the last [`AxisMonitor::reset_stats`].
    stalled_cycles: u64,
    /// Beats since construction, and at the last [`AxisMonitor::reset_stats`] (one count
    /// per beat, two readings).
    beats: u64,
    beats_at_reset: u64,
    /// [`AxisMonitor::beats`] at the last beat with TLAST (or every beat, without TLAST): the
    /// open packet's beats are the difference, so a beat inside a packet writes nothing.
    closed_at: u64,
    stalled: bool,
    /// The port has TSTRB, TUSER, TID or TDEST (HLS streams seldom do): only then is the
    /// sideband held and compared.
    has_sideband: bool,
    held: Held,
    /// Wide TDATA now, to compare with the held one.
    scratch: Vec<u32>,
    violation: Option<Violation>,
}

impl<'m> AxisMonitor<'m> {
    /// A monitor on `ports`, reporting as stream `name`, with cycles from `now`.
    pub fn new(name: &str, ports: AxisPorts<'m>, now: CycleCounter) -> Self {
        let words = ports.tdata.width().div_ceil(32) as usize;
        let wide = if words > 2 { vec![0; words] } else { Vec::new() };
        AxisMonitor {
            name: name.to_owned(),
            ports,
            now,
            stalled_cycles: 0,
            beats: 0,
            beats_at_reset: 0,
            closed_at: 0,
            stalled: false,
            has_sideband: ports.tstrb.is_some() || ports.tuser.is_some() || ports.tid.is_some() || ports.tdest.is_some(),
            scratch: wide.clone(),
            held: Held { wide, ..Held::default() },
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
        AxisStats { transfers: self.beats - self.beats_at_reset, stalled: self.stalled_cycles }
    }

    /// Starts counting anew (e.g. at `ap_start`); protocol state is kept.
    pub fn reset_stats(&mut self) {
        self.beats_at_reset = self.beats;
        self.stalled_cycles = 0;
    }

    /// Beats transferred since construction.
    pub fn beats(&self) -> u64 {
        self.beats
    }

    /// Beats since the last TLAST (0 when no packet is open, or the port has no TLAST).
    pub fn open_beats(&self) -> u64 {
        if self.ports.tlast.is_some() {
            self.beats - self.closed_at
        } else {
            0
        }
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
        let open = self.open_beats();
        if open > 0 {
            self.report(ViolationKind::Unterminated { beats: open });
        }
        self.violation.clone().map_or(Ok(()), Err)
    }

    // In line, like `check_held`: under back-pressure they run on every stall.
    #[inline(always)]
    fn capture(&mut self) {
        let p = &self.ports;
        let held = &mut self.held;
        if held.wide.is_empty() {
            held.word = p.tdata.get();
        } else {
            p.tdata.read_words(&mut held.wide);
        }
        held.last = p.tlast.is_some_and(|l| l.is_high());
        held.keep = p.tkeep.map_or(0, |k| k.get());
        if self.has_sideband {
            held.sideband = Self::sideband(p);
        }
    }

    /// TSTRB, TUSER, TID and TDEST now (0 for an absent one).
    #[inline(always)]
    fn sideband(p: &AxisPorts<'_>) -> [u64; 4] {
        [p.tstrb.map_or(0, |s| s.get()), p.tuser.map_or(0, |s| s.get()), p.tid.map_or(0, |s| s.get()), p.tdest.map_or(0, |s| s.get())]
    }

    /// Observes the settled signals before an edge; true when a beat transfers.
    #[inline(always)]
    pub fn observe(&mut self) -> bool {
        self.observe_beat().is_some()
    }

    /// [`AxisMonitor::observe`], with the beat's TLAST on a transfer (false on a port without
    /// one), so that an owner storing the beat need not read it again.
    #[inline(always)]
    pub fn observe_beat(&mut self) -> Option<bool> {
        let valid = self.ports.tvalid.is_high();
        if self.stalled {
            self.check_held(valid);
        }
        if !valid {
            self.stalled = false;
            if self.ports.fifo.is_some_and(|f| f.into_kernel) && self.ports.tready.is_high() {
                self.report(ViolationKind::FifoReadWhileEmpty);
            }
            return None;
        }
        if self.ports.tready.is_high() {
            self.stalled = false;
            self.beats += 1;
            let last = self.ports.tlast.is_some_and(|l| l.is_high());
            if last {
                self.closed_at = self.beats;
            }
            Some(last)
        } else {
            self.stalled_cycles += 1;
            if self.ports.fifo.is_some_and(|f| !f.into_kernel) {
                self.report(ViolationKind::FifoWriteWhileFull);
            }
            if !self.stalled {
                self.capture();
                self.stalled = true;
            }
            None
        }
    }

    /// A cycle after a stall: the beat offered then must still be offered, unchanged.
    #[inline(always)]
    fn check_held(&mut self, valid: bool) {
        if !valid {
            self.report(ViolationKind::TvalidWithdrawn);
            return;
        }
        // Narrow TDATA (the usual case under back-pressure) is compared in place, wide
        // TDATA through a scratch read.
        let p = &self.ports;
        let held = &self.held;
        let data_changed = if held.wide.is_empty() {
            held.word != p.tdata.get()
        } else {
            p.tdata.read_words(&mut self.scratch);
            self.scratch != self.held.wide
        };
        let p = &self.ports;
        let held = &self.held;
        let kind = if data_changed {
            ViolationKind::TdataChanged
        } else if held.last != p.tlast.is_some_and(|l| l.is_high()) {
            ViolationKind::TlastChanged
        } else if held.keep != p.tkeep.map_or(0, |k| k.get()) {
            ViolationKind::TkeepChanged
        } else if self.has_sideband && held.sideband != Self::sideband(p) {
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
