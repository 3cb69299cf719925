//! The AXI4-Stream sink: drains a kernel's output port.

use super::layout::Layout;
use super::{AxisBeat, AxisMonitor, AxisPorts, AxisStats, ViolationKind};
use crate::pause::Pause;
use crate::{Agent, CycleCounter};

/// What the sink keeps.
// An explicit tag: matched every beat (a niche in a Vec takes longer to decode).
#[repr(u8)]
#[derive(Debug)]
enum Collect {
    /// Typed elements unpacked by TKEEP.
    Elements { layout: Layout, out: Vec<u64> },
    /// One element per beat in TDATA of up to 64 bits: TDATA itself when every byte is kept
    /// (one test per beat), unpacked like `Elements` otherwise.
    Words { layout: Layout, out: Vec<u64> },
    /// Whole beats with their sideband signals.
    Beats(Vec<AxisBeat>),
}

/// Drives only TREADY (low while paused); an [`AxisMonitor`] on the same port decides when a
/// beat transfers and checks the protocol. Records elements or beats, and where TLAST fell.
#[derive(Debug)]
pub struct AxisSink<'m> {
    ports: AxisPorts<'m>,
    monitor: AxisMonitor<'m>,
    collect: Collect,
    lasts: Vec<usize>,
    pause: Pause,
    data: Vec<u32>,
    keep: Vec<u32>,
    /// TKEEP with every byte kept (the fast path's test), for TDATA up to 64 bits.
    all_kept: u64,
    /// Beats whose TKEEP was all zero: they carry no element.
    null_beats: u64,
}

impl<'m> AxisSink<'m> {
    fn new(name: &str, ports: AxisPorts<'m>, collect: Collect, pause: Pause, now: CycleCounter) -> Self {
        ports.tready.set(false);
        if let Some(fifo) = &ports.fifo {
            fifo.set_occupancy(0); // every word written is taken at once
        }
        let all_kept = if ports.bytes() >= 64 { u64::MAX } else { (1u64 << ports.bytes()) - 1 };
        let words = ports.tdata.width().div_ceil(32) as usize;
        let keep_words = ports.bytes().div_ceil(32) as usize;
        AxisSink {
            monitor: AxisMonitor::new(name, ports, now),
            ports,
            collect,
            lasts: Vec::new(),
            pause,
            data: vec![0; words],
            keep: vec![0; keep_words],
            all_kept,
            null_beats: 0,
        }
    }

    /// Beats received whose TKEEP was zero (no element in them).
    pub fn null_beats(&self) -> u64 {
        self.null_beats
    }

    /// A sink unpacking typed elements (`layout.lanes` per beat, by TKEEP); `capacity` is the
    /// number of elements expected.
    pub fn elements(
        name: &str,
        ports: AxisPorts<'m>,
        layout: Layout,
        capacity: usize,
        pause: Pause,
        now: CycleCounter,
    ) -> Result<Self, String> {
        layout.check(ports.tdata.width())?;
        let out = Vec::with_capacity(capacity);
        let collect = if layout.lanes == 1 && ports.tdata.width() <= 64 { Collect::Words { layout, out } } else { Collect::Elements { layout, out } };
        Ok(Self::new(name, ports, collect, pause, now))
    }

    /// A sink keeping whole beats.
    pub fn beats(name: &str, ports: AxisPorts<'m>, pause: Pause, now: CycleCounter) -> Self {
        Self::new(name, ports, Collect::Beats(Vec::new()), pause, now)
    }

    /// Beats received.
    pub fn len(&self) -> usize {
        self.monitor.beats() as usize
    }

    /// True if nothing was received.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Indices of the beats that had TLAST set (empty for a port without TLAST, where every
    /// beat ends a packet: see [`AxisSink::packets`]).
    pub fn lasts(&self) -> &[usize] {
        &self.lasts
    }

    /// Packets closed so far: beats with TLAST, or every beat on a port without TLAST.
    pub fn packets(&self) -> usize {
        if self.ports.tlast.is_some() {
            self.lasts.len()
        } else {
            self.len()
        }
    }

    /// Takes the received elements (empty for a beat sink).
    pub fn take_elements(&mut self) -> Vec<u64> {
        match &mut self.collect {
            Collect::Elements { out, .. } | Collect::Words { out, .. } => std::mem::take(out),
            Collect::Beats(_) => Vec::new(),
        }
    }

    /// Takes the received beats (empty for an element sink).
    pub fn take_beats(&mut self) -> Vec<AxisBeat> {
        match &mut self.collect {
            Collect::Beats(beats) => std::mem::take(beats),
            Collect::Elements { .. } | Collect::Words { .. } => Vec::new(),
        }
    }

    /// The bound ports.
    pub fn ports(&self) -> &AxisPorts<'m> {
        &self.ports
    }

    /// The monitor on this sink's port.
    pub fn monitor(&mut self) -> &mut AxisMonitor<'m> {
        &mut self.monitor
    }

    /// Transfers and stalls (the sink withheld TREADY while TVALID was high) since the last
    /// [`AxisSink::reset_stats`].
    pub fn stats(&self) -> AxisStats {
        self.monitor.stats()
    }

    /// Starts counting anew (e.g. at `ap_start`).
    pub fn reset_stats(&mut self) {
        self.monitor.reset_stats();
    }

    #[cold]
    fn record_slow(&mut self) {
        let p = self.ports;
        p.tdata.read_words(&mut self.data);
        match p.tkeep {
            Some(k) => k.read_words(&mut self.keep),
            None => self.keep.iter_mut().for_each(|w| *w = u32::MAX),
        }
        if self.keep.iter().all(|&w| w == 0) {
            self.null_beats += 1;
        }
        match &mut self.collect {
            Collect::Elements { layout, out } | Collect::Words { layout, out } => {
                if let Err(detail) = layout.unpack(&self.data, Some(&self.keep), out) {
                    self.monitor.report(ViolationKind::BadKeep(detail));
                }
            }
            Collect::Beats(beats) => beats.push(AxisBeat {
                data: self.data.clone(),
                keep: self.keep.clone(),
                strb: p.tstrb.map_or_else(|| self.keep.clone(), |s| s.get_words()),
                last: p.tlast.is_none_or(|l| l.is_high()),
                user: p.tuser.map_or(0, |s| s.get()),
                id: p.tid.map_or(0, |s| s.get()),
                dest: p.tdest.map_or(0, |s| s.get()),
            }),
        }
    }
}

impl Agent for AxisSink<'_> {
    #[inline(always)]
    fn drive(&mut self) {
        self.ports.tready.set(!self.pause.next_cycle());
    }

    #[inline(always)]
    fn sample(&mut self) -> bool {
        let Some(last) = self.monitor.observe_beat() else {
            return false;
        };
        if last {
            self.lasts.push(self.monitor.beats() as usize - 1);
        }
        match &mut self.collect {
            // TKEEP all ones (or absent) on a narrow port: the element is TDATA.
            Collect::Words { out, .. } if self.ports.tkeep.is_none_or(|k| k.get() == self.all_kept) => {
                out.push(self.ports.tdata.get())
            }
            _ => self.record_slow(),
        }
        true
    }
}
