//! A stream connection between two models: a cycle-accurate FIFO with a write side facing a
//! model's output port and a read side driving another model's input port — what an
//! `hls::stream` of depth N between two Vitis kernels (or an AXIS data FIFO IP) is.
//!
//! The FIFO is registered: full and empty are decided from the occupancy at the start of a
//! cycle, so a beat written at an edge can be read from the next cycle on, and a FIFO of
//! depth 1 moves a beat every other cycle (depth 2 sustains one beat per cycle). One write
//! side may feed several FIFOs (an AXIS broadcaster): it accepts a beat only when every one
//! of them has room.
//!
//! The FIFOs live in one slice owned by the caller; the sides refer to them by index, so a
//! whole system of models and connections steps without shared ownership.

use std::collections::VecDeque;

use super::{AxisBeat, AxisMonitor, AxisPorts, Layout};
use crate::CycleCounter;

/// What one FIFO saw since it was created.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FifoStats {
    /// Beats written.
    pub pushed: u64,
    /// Beats read.
    pub popped: u64,
    /// Highest occupancy reached.
    pub high_water: usize,
    /// Cycles the writer offered a beat while this FIFO was full (the producer was stalled).
    pub full_stalls: u64,
    /// Cycles the reader was ready while this FIFO was empty (the consumer was starved).
    pub empty_waits: u64,
    /// Cycles the FIFO offered a beat the reader did not take (the consumer held it back).
    pub reader_stalls: u64,
}

/// The storage of one connection.
#[derive(Debug, Clone)]
pub struct AxisFifo {
    depth: usize,
    beats: VecDeque<AxisBeat>,
    /// Beats already read, kept so that a write reuses their buffers: no allocation per beat.
    spare: Vec<AxisBeat>,
    stats: FifoStats,
}

impl AxisFifo {
    /// An empty FIFO holding at most `depth` beats (at least 1).
    pub fn new(depth: usize) -> Self {
        let depth = depth.max(1);
        AxisFifo { depth, beats: VecDeque::with_capacity(depth.min(4096)), spare: Vec::new(), stats: FifoStats::default() }
    }

    /// Capacity in beats.
    pub fn depth(&self) -> usize {
        self.depth
    }

    /// Beats held now.
    pub fn len(&self) -> usize {
        self.beats.len()
    }

    /// True when no beat is held.
    pub fn is_empty(&self) -> bool {
        self.beats.is_empty()
    }

    /// True when another beat fits.
    pub fn has_room(&self) -> bool {
        self.beats.len() < self.depth
    }

    /// Statistics so far.
    pub fn stats(&self) -> FifoStats {
        self.stats
    }

    /// Zeroes the statistics (the occupancy high-water mark restarts at the current level).
    pub fn reset_stats(&mut self) {
        self.stats = FifoStats { high_water: self.beats.len(), ..FifoStats::default() };
    }

    /// Appends a beat written by `fill` into a recycled slot (its old contents are stale);
    /// the caller checked [`AxisFifo::has_room`] at the start of the cycle.
    pub fn push_with(&mut self, fill: impl FnOnce(&mut AxisBeat)) {
        let mut slot = self.spare.pop().unwrap_or_default();
        fill(&mut slot);
        self.beats.push_back(slot);
        self.stats.pushed += 1;
        self.stats.high_water = self.stats.high_water.max(self.beats.len());
    }

    fn front(&self) -> Option<&AxisBeat> {
        self.beats.front()
    }

    fn pop(&mut self) {
        if let Some(beat) = self.beats.pop_front() {
            self.spare.push(beat);
            self.stats.popped += 1;
        }
    }
}

/// True when every FIFO in `into` has room: a broadcast moves only when all branches can take it.
fn all_have_room(fifos: &[AxisFifo], into: &[usize]) -> bool {
    into.iter().all(|&i| fifos[i].has_room())
}

/// The write side: drives TREADY of a model's output port and copies each accepted beat into
/// its FIFOs. Its monitor checks the producer's protocol (TVALID held, TDATA stable).
#[derive(Debug)]
pub struct AxisFifoWriter<'m> {
    monitor: AxisMonitor<'m>,
    into: Vec<usize>,
    ready: bool,
}

impl<'m> AxisFifoWriter<'m> {
    /// Accepts beats from `ports` (a model's output) into the FIFOs at `into`.
    pub fn new(name: &str, ports: AxisPorts<'m>, into: Vec<usize>, now: CycleCounter) -> Self {
        ports.tready.set(false);
        AxisFifoWriter { monitor: AxisMonitor::new(name, ports, now), into, ready: false }
    }

    /// The protocol checker of the producer's port.
    pub fn monitor(&mut self) -> &mut AxisMonitor<'m> {
        &mut self.monitor
    }

    /// The FIFOs this side writes.
    pub fn targets(&self) -> &[usize] {
        &self.into
    }

    /// Before the settle: TREADY from the occupancy at the start of the cycle.
    #[inline]
    pub fn drive(&mut self, fifos: &[AxisFifo]) {
        self.ready = all_have_room(fifos, &self.into);
        self.monitor.ports().tready.set(self.ready);
    }

    /// After the settle: whether the producer offers a beat that the FIFOs cannot take.
    pub fn blocked(&self) -> bool {
        self.monitor.ports().tvalid.is_high() && !self.ready
    }

    /// After the settle: on a handshake, copy the beat into every FIFO. True on a transfer.
    #[inline]
    pub fn sample(&mut self, fifos: &mut [AxisFifo]) -> bool {
        let offered = self.monitor.ports().tvalid.is_high();
        if !self.monitor.observe() {
            if offered {
                for &i in &self.into {
                    if !fifos[i].has_room() {
                        fifos[i].stats.full_stalls += 1;
                    }
                }
            }
            return false;
        }
        let ports = self.monitor.ports();
        for &i in &self.into {
            fifos[i].push_with(|slot| capture_into(ports, slot));
        }
        true
    }
}

/// The beat on `ports` now, written into `beat`'s buffers (reused, not reallocated).
fn capture_into(ports: &AxisPorts<'_>, beat: &mut AxisBeat) {
    let read = |signal: Option<crate::verilated::Signal<'_>>, into: &mut Vec<u32>| match signal {
        Some(signal) => {
            into.resize(signal.width().div_ceil(32) as usize, 0);
            signal.read_words(into);
        }
        None => into.clear(),
    };
    read(Some(ports.tdata), &mut beat.data);
    read(ports.tkeep, &mut beat.keep);
    read(ports.tstrb, &mut beat.strb);
    beat.last = ports.tlast.is_none_or(|l| l.is_high());
    beat.user = ports.tuser.map_or(0, |s| s.get());
    beat.id = ports.tid.map_or(0, |s| s.get());
    beat.dest = ports.tdest.map_or(0, |s| s.get());
}

/// The read side: drives a model's input port (TVALID, TDATA, sideband) from a FIFO's head.
#[derive(Debug)]
pub struct AxisFifoReader<'m> {
    ports: AxisPorts<'m>,
    from: usize,
    all_kept: Vec<u32>,
    offering: bool,
}

impl<'m> AxisFifoReader<'m> {
    /// Feeds `ports` (a model's input) from the FIFO at `from`.
    pub fn new(ports: AxisPorts<'m>, from: usize) -> Self {
        ports.tvalid.set(false);
        let all_kept = vec![u32::MAX; ports.bytes().div_ceil(32) as usize];
        AxisFifoReader { ports, from, all_kept, offering: false }
    }

    /// The consumer's port.
    pub fn ports(&self) -> &AxisPorts<'m> {
        &self.ports
    }

    /// The FIFO this side reads.
    pub fn source(&self) -> usize {
        self.from
    }

    /// Before the settle: offer the head beat, if any. The head stays until it is taken, so
    /// TVALID and TDATA are stable while the consumer stalls.
    #[inline]
    pub fn drive(&mut self, fifos: &[AxisFifo]) {
        let Some(beat) = fifos[self.from].front() else {
            self.offering = false;
            self.ports.tvalid.set(false);
            return;
        };
        let p = &self.ports;
        p.tdata.set_words(&beat.data);
        let keep = if beat.keep.is_empty() { &self.all_kept } else { &beat.keep };
        let strb = if beat.strb.is_empty() { keep } else { &beat.strb };
        if let Some(s) = p.tkeep {
            s.set_words(keep);
        }
        if let Some(s) = p.tstrb {
            s.set_words(strb);
        }
        for (port, value) in [(p.tuser, beat.user), (p.tid, beat.id), (p.tdest, beat.dest)] {
            if let Some(port) = port {
                port.set(value);
            }
        }
        if let Some(l) = p.tlast {
            l.set(beat.last);
        }
        p.tvalid.set(true);
        self.offering = true;
    }

    /// After the settle: whether the consumer is ready while the FIFO is empty.
    pub fn starved(&self, fifos: &[AxisFifo]) -> bool {
        !self.offering && fifos[self.from].is_empty() && self.ports.tready.is_high()
    }

    /// After the settle: on a handshake, drop the head. True on a transfer.
    #[inline]
    pub fn sample(&mut self, fifos: &mut [AxisFifo]) -> bool {
        let ready = self.ports.tready.is_high();
        let fifo = &mut fifos[self.from];
        match (self.offering, ready) {
            (true, true) => {
                fifo.pop();
                true
            }
            (true, false) => {
                fifo.stats.reader_stalls += 1;
                false
            }
            (false, true) => {
                fifo.stats.empty_waits += 1;
                false
            }
            (false, false) => false,
        }
    }
}

/// A host-side source (a DMA engine, a testbench) writing elements into FIFOs: the graph
/// input of a system. Broadcasts like [`AxisFifoWriter`]; TLAST on the last beat.
#[derive(Debug)]
pub struct FifoFeeder<'a> {
    name: String,
    data: &'a [u64],
    layout: Layout,
    words: usize,
    keep_words: usize,
    /// TKEEP of a full one-element beat, for the fast path (one lane, TDATA <= 64 bits).
    single_keep: Option<Vec<u32>>,
    into: Vec<usize>,
    next: usize,
    total: usize,
}

impl<'a> FifoFeeder<'a> {
    /// Feeds `data` packed as `layout` into beats of `tdata_bits` into the FIFOs at `into`.
    pub fn new(name: &str, data: &'a [u64], layout: Layout, tdata_bits: u32, into: Vec<usize>) -> Result<Self, String> {
        layout.check(tdata_bits)?;
        let total = layout.beats(data.len());
        let (words, keep_words) = (tdata_bits.div_ceil(32) as usize, tdata_bits.div_ceil(8).div_ceil(32) as usize);
        let single_keep = (layout.lanes == 1 && words <= 2).then(|| {
            let (mut scratch, mut keep) = (vec![0; words], vec![0; keep_words]);
            layout.pack(&[0], &mut scratch, &mut keep);
            keep
        });
        Ok(FifoFeeder { name: name.to_owned(), data, layout, words, keep_words, single_keep, into, next: 0, total })
    }

    /// The graph input's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Beats not yet written.
    pub fn remaining(&self) -> usize {
        self.total - self.next
    }

    /// The FIFOs this feeder writes.
    pub fn targets(&self) -> &[usize] {
        &self.into
    }

    /// At the edge: write the next beat when every FIFO had room at the start of the cycle.
    /// True on a transfer.
    pub fn step(&mut self, fifos: &mut [AxisFifo], room: bool) -> bool {
        if self.next >= self.total {
            return false;
        }
        if !room {
            for &i in &self.into {
                if !fifos[i].has_room() {
                    fifos[i].stats.full_stalls += 1;
                }
            }
            return false;
        }
        let lanes = self.layout.lanes as usize;
        let chunk = &self.data[self.next * lanes..((self.next + 1) * lanes).min(self.data.len())];
        self.next += 1;
        let last = self.next == self.total;
        let (words, keep_words, layout) = (self.words, self.keep_words, self.layout);
        let single_keep = self.single_keep.as_deref();
        let mask = if layout.element_bits >= 64 { u64::MAX } else { (1u64 << layout.element_bits) - 1 };
        for &i in &self.into {
            fifos[i].push_with(|slot| {
                slot.data.resize(words, 0);
                slot.keep.resize(keep_words, 0);
                match single_keep {
                    // One element in at most two words: no bit-by-bit packing.
                    Some(keep) => {
                        let value = chunk[0] & mask;
                        slot.data[0] = value as u32;
                        if let Some(high) = slot.data.get_mut(1) {
                            *high = (value >> 32) as u32;
                        }
                        slot.keep.copy_from_slice(keep);
                    }
                    None => layout.pack(chunk, &mut slot.data, &mut slot.keep),
                }
                slot.strb.clear();
                slot.last = last;
                (slot.user, slot.id, slot.dest) = (0, 0, 0);
            });
        }
        true
    }

    /// Whether every target FIFO has room now (call before any FIFO changes this cycle).
    pub fn room(&self, fifos: &[AxisFifo]) -> bool {
        all_have_room(fifos, &self.into)
    }
}
