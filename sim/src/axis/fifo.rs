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
//! The FIFOs live in one slice owned by the caller; a write side refers to its FIFOs by index
//! (a broadcast writes several) and a read side is handed its one FIFO, so a whole system of
//! models and connections steps without shared ownership.

use std::collections::VecDeque;

use super::ring::Ring;
use super::{AxisMonitor, AxisPorts, Layout};
use crate::verilated::Byte;
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

/// One beat as a FIFO holds it, a plain value (no heap): TDATA, TKEEP and TSTRB in place when
/// TDATA has at most 64 bits, as every kernel's element streams do. A wider beat keeps its
/// low 64 bits here and all its words in the FIFO's `wide` queue ([`WideShape`]); TUSER, TID
/// and TDEST, which HLS streams seldom have, go to its `sideband` queue.
///
/// 16 bytes: TKEEP and TSTRB of TDATA up to 64 bits have at most 8 bits, so a deep FIFO
/// (a grid row on a reconvergent branch) holds half the cache lines it did at 32. They share
/// one word with TLAST, so a beat is stored and loaded as two words, and a reader tells
/// whether TKEEP and TSTRB changed with one compare.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Slot {
    data: u64,
    /// TKEEP (bits 0-7; all ones when the producer has none: every byte kept), TSTRB (bits
    /// 8-15; TKEEP when the producer has none) and TLAST (bit 16).
    qualifiers: u32,
}

impl Slot {
    #[inline(always)]
    fn new(data: u64, keep: u8, strb: u8, last: bool) -> Self {
        Slot { data, qualifiers: u32::from(keep) | u32::from(strb) << 8 | u32::from(last) << 16 }
    }

    fn keep(self) -> u8 {
        self.qualifiers as u8
    }

    fn strb(self) -> u8 {
        (self.qualifiers >> 8) as u8
    }

    /// TKEEP and TSTRB as one value (TSTRB in the high byte).
    #[inline(always)]
    fn keep_strb(self) -> u16 {
        self.qualifiers as u16
    }

    #[inline(always)]
    fn last(self) -> bool {
        self.qualifiers >> 16 & 1 == 1
    }
}

/// TUSER, TID and TDEST of a beat from a producer that has any of them.
type Sideband = [u64; 3];

/// The words of a beat wider than 64 bits, as both sides of a FIFO lay them out in its
/// `wide` queue: TDATA, then TKEEP, then TSTRB, 32-bit words least significant first. Both
/// sides derive it from their TDATA width, which the system checks is the same.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct WideShape {
    data: usize,
    keep: usize,
}

impl WideShape {
    /// `None` for TDATA of up to 64 bits (the beat fits a [`Slot`]).
    fn of(tdata_bits: u32) -> Option<Self> {
        (tdata_bits > 64).then(|| WideShape { data: tdata_bits.div_ceil(32) as usize, keep: tdata_bits.div_ceil(8).div_ceil(32) as usize })
    }

    fn words(self) -> usize {
        self.data + 2 * self.keep
    }
}

/// The storage of one connection.
#[derive(Debug, Clone)]
pub struct AxisFifo {
    depth: usize,
    beats: Ring<Slot>,
    /// The words of beats wider than 64 bits, [`WideShape::words`] per beat in beat order.
    wide: VecDeque<u32>,
    /// Each beat's sideband when its producer has TUSER, TID or TDEST (as long as `beats`),
    /// else empty.
    sideband: Ring<Sideband>,
    stats: FifoStats,
}

impl AxisFifo {
    /// An empty FIFO holding at most `depth` beats (at least 1).
    pub fn new(depth: usize) -> Self {
        let depth = depth.max(1);
        AxisFifo {
            depth,
            beats: Ring::with_capacity(depth.min(4096)),
            wide: VecDeque::new(),
            sideband: Ring::with_capacity(1),
            stats: FifoStats::default(),
        }
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
        self.beats.len() == 0
    }

    /// True when another beat fits.
    #[inline]
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

    /// Appends a beat (and, for a wide one, its words); the caller checked
    /// [`AxisFifo::has_room`] at the start of the cycle.
    #[inline]
    fn push(&mut self, slot: Slot, wide: &[u32]) {
        self.beats.push(slot);
        if !wide.is_empty() {
            self.wide.extend(wide);
        }
        self.stats.pushed += 1;
        self.stats.high_water = self.stats.high_water.max(self.beats.len());
    }

    /// Drops the head beat, its `wide_words` words and its sideband.
    #[inline]
    fn pop(&mut self, wide_words: usize) {
        if self.beats.pop() {
            if wide_words > 0 {
                self.wide.drain(..wide_words.min(self.wide.len()));
            }
            self.sideband.pop();
            self.stats.popped += 1;
        }
    }

    /// The head beat's TUSER, TID and TDEST (zero when its producer has none).
    fn head_sideband(&self) -> Sideband {
        self.sideband.front().copied().unwrap_or_default()
    }
}

/// True when every FIFO in `into` has room: a broadcast moves only when all branches can take it.
#[inline]
fn all_have_room(fifos: &[AxisFifo], into: &[usize]) -> bool {
    match into {
        // A plain connection, tested without a loop (every writer drives every cycle).
        [only] => fifos[*only].has_room(),
        into => into.iter().all(|&i| fifos[i].has_room()),
    }
}

/// Appends a beat to every FIFO of `into` (a plain connection without a loop).
#[inline(always)]
fn push_all(fifos: &mut [AxisFifo], into: &[usize], slot: Slot, wide: &[u32]) {
    match into {
        [only] => fifos[*only].push(slot, wide),
        into => {
            for &i in into {
                fifos[i].push(slot, wide);
            }
        }
    }
}

/// Counts a stalled cycle on every FIFO of `into` that is full (the broadcast waits on it).
fn count_full_stalls(fifos: &mut [AxisFifo], into: &[usize]) {
    for &i in into {
        if !fifos[i].has_room() {
            fifos[i].stats.full_stalls += 1;
        }
    }
}

/// What a side of a FIFO saw at one edge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Handshake {
    /// A beat moved.
    Transfer,
    /// The port waited on the FIFO: a producer offered a beat no FIFO could take, or a
    /// consumer was ready while its FIFO was empty.
    Waited,
    /// Nothing moved and the port did not wait on the FIFO.
    Idle,
}

/// The write side: drives TREADY of a model's output port and copies each accepted beat into
/// its FIFOs. Its monitor checks the producer's protocol (TVALID held, TDATA stable).
#[derive(Debug)]
pub struct AxisFifoWriter<'m> {
    monitor: AxisMonitor<'m>,
    into: Vec<usize>,
    ready: bool,
    /// TKEEP and TSTRB of a narrow port as bytes (none for a port without them, or a wide one,
    /// whose words are read into `scratch`).
    keep: Option<Byte<'m>>,
    strb: Option<Byte<'m>>,
    /// The port has TUSER, TID or TDEST (HLS streams usually have none: nothing to read).
    routed: bool,
    /// Shape and scratch words of a beat wider than 64 bits (read once per transfer, no allocation).
    wide: Option<WideShape>,
    scratch: Vec<u32>,
}

impl<'m> AxisFifoWriter<'m> {
    /// Accepts beats from `ports` (a model's output) into the FIFOs at `into`.
    pub fn new(name: &str, ports: AxisPorts<'m>, into: Vec<usize>, now: CycleCounter) -> Self {
        ports.tready.set(false);
        let wide = WideShape::of(ports.tdata.width());
        let scratch = vec![0; wide.map_or(0, WideShape::words)];
        let routed = ports.tuser.is_some() || ports.tid.is_some() || ports.tdest.is_some();
        let (keep, strb) = (ports.tkeep.and_then(|s| s.byte()), ports.tstrb.and_then(|s| s.byte()));
        AxisFifoWriter { monitor: AxisMonitor::new(name, ports, now), into, ready: false, keep, strb, routed, wide, scratch }
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

    /// After the settle: on a handshake, copy the beat into every FIFO; a beat offered
    /// while a FIFO was full is [`Handshake::Waited`] (counted on the full FIFOs).
    #[inline]
    pub fn sample(&mut self, fifos: &mut [AxisFifo]) -> Handshake {
        let offered = self.monitor.ports().tvalid.is_high();
        let Some(last) = self.monitor.observe_beat() else {
            if offered {
                count_full_stalls(fifos, &self.into);
                return Handshake::Waited;
            }
            return Handshake::Idle;
        };
        let ports = self.monitor.ports();
        // A narrow port's TKEEP and TSTRB (a wide beat's words go to `wide`).
        let keep = self.keep.map_or(u8::MAX, |k| k.get());
        let strb = self.strb.map_or(keep, |s| s.get());
        let slot = Slot::new(ports.tdata.get(), keep, strb, last || ports.tlast.is_none());
        if self.routed {
            let sideband = [ports.tuser, ports.tid, ports.tdest].map(|s| s.map_or(0, |s| s.get()));
            for &i in &self.into {
                fifos[i].sideband.push(sideband);
            }
        }
        if let Some(shape) = self.wide {
            read_wide(ports, shape, &mut self.scratch);
        }
        push_all(fifos, &self.into, slot, &self.scratch);
        Handshake::Transfer
    }
}

/// The words of a wide beat on `ports` into `out` (TDATA, TKEEP, TSTRB; a missing TKEEP is
/// every byte kept, a missing TSTRB is TKEEP).
#[cold]
fn read_wide(ports: &AxisPorts<'_>, shape: WideShape, out: &mut [u32]) {
    let (data, rest) = out.split_at_mut(shape.data);
    let (keep, strb) = rest.split_at_mut(shape.keep);
    ports.tdata.read_words(data);
    match ports.tkeep {
        Some(s) => s.read_words(keep),
        None => keep.fill(u32::MAX),
    }
    match ports.tstrb {
        Some(s) => s.read_words(strb),
        None => strb.copy_from_slice(keep),
    }
}

/// The read side: drives a model's input port (TVALID, TDATA, sideband) from a FIFO's head.
/// Its owner hands it the same FIFO every cycle.
#[derive(Debug)]
pub struct AxisFifoReader<'m> {
    ports: AxisPorts<'m>,
    /// The head beat is on the port already (offered, not yet taken): nothing to drive.
    offering: bool,
    /// The port has TUSER, TID or TDEST (HLS streams usually have none: nothing to write).
    routed: bool,
    /// TKEEP and TSTRB as on the port ([`Slot::keep_strb`]; narrow ports, 0 for a missing
    /// one): they seldom change from beat to beat and the model's inputs hold them, so an equal
    /// pair is not written again.
    driven: u16,
    wide: Option<WideShape>,
    /// [`WideShape::words`] (0 for a narrow port), the words a transfer drops.
    wide_words: usize,
    scratch: Vec<u32>,
}

impl<'m> AxisFifoReader<'m> {
    /// Feeds `ports` (a model's input) from one FIFO.
    pub fn new(ports: AxisPorts<'m>) -> Self {
        ports.tvalid.set(false);
        let wide = WideShape::of(ports.tdata.width());
        let scratch = vec![0; wide.map_or(0, WideShape::words)];
        let routed = ports.tuser.is_some() || ports.tid.is_some() || ports.tdest.is_some();
        let wide_words = wide.map_or(0, WideShape::words);
        let driven = Slot::new(0, ports.tkeep.map_or(0, |s| s.get() as u8), ports.tstrb.map_or(0, |s| s.get() as u8), false).keep_strb();
        AxisFifoReader { ports, offering: false, routed, driven, wide, wide_words, scratch }
    }

    /// The consumer's port.
    pub fn ports(&self) -> &AxisPorts<'m> {
        &self.ports
    }

    /// Before the settle: offer the head beat, if any. The head stays until it is taken, so
    /// TVALID and TDATA are stable while the consumer stalls (and are not written again:
    /// the model's inputs hold them).
    #[inline]
    pub fn drive(&mut self, fifo: &AxisFifo) {
        if self.offering {
            return;
        }
        // The head read in place: a beat is written to the port, not copied out first.
        let Some(beat) = fifo.beats.front() else {
            self.ports.tvalid.set(false);
            return;
        };
        if let Some(shape) = self.wide {
            self.drive_wide(fifo, shape);
            return self.drive_sideband(fifo, beat);
        }
        let p = &self.ports;
        p.tdata.set(beat.data);
        if beat.keep_strb() != self.driven {
            if let Some(s) = p.tkeep {
                s.set(beat.keep().into());
            }
            if let Some(s) = p.tstrb {
                s.set(beat.strb().into());
            }
            self.driven = beat.keep_strb();
        }
        self.drive_sideband(fifo, beat);
    }

    #[inline]
    fn drive_sideband(&mut self, fifo: &AxisFifo, beat: &Slot) {
        let p = &self.ports;
        if self.routed {
            for (port, value) in [p.tuser, p.tid, p.tdest].into_iter().zip(fifo.head_sideband()) {
                if let Some(port) = port {
                    port.set(value);
                }
            }
        }
        if let Some(l) = p.tlast {
            l.set(beat.last());
        }
        p.tvalid.set(true);
        self.offering = true;
    }

    #[cold]
    fn drive_wide(&mut self, fifo: &AxisFifo, shape: WideShape) {
        for (slot, word) in self.scratch.iter_mut().zip(fifo.wide.iter()) {
            *slot = *word;
        }
        let (data, rest) = self.scratch.split_at(shape.data);
        let (keep, strb) = rest.split_at(shape.keep);
        self.ports.tdata.set_words(data);
        if let Some(s) = self.ports.tkeep {
            s.set_words(keep);
        }
        if let Some(s) = self.ports.tstrb {
            s.set_words(strb);
        }
    }

    /// After the settle: whether the consumer is ready while the FIFO is empty.
    pub fn starved(&self, fifo: &AxisFifo) -> bool {
        !self.offering && fifo.is_empty() && self.ports.tready.is_high()
    }

    /// After the settle: on a handshake, drop the head (the next drive offers the next one or
    /// lowers TVALID). A consumer ready on an empty FIFO is [`Handshake::Waited`].
    #[inline]
    pub fn sample(&mut self, fifo: &mut AxisFifo) -> Handshake {
        let ready = self.ports.tready.is_high();
        match (self.offering, ready) {
            (true, true) => {
                fifo.pop(self.wide_words);
                self.offering = false;
                Handshake::Transfer
            }
            (true, false) => {
                fifo.stats.reader_stalls += 1;
                Handshake::Idle
            }
            (false, true) => {
                fifo.stats.empty_waits += 1;
                Handshake::Waited
            }
            (false, false) => Handshake::Idle,
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
    /// TKEEP of a full one-element beat, for the fast path (one lane, TDATA <= 64 bits), and
    /// the bits of an element.
    single_keep: Option<u8>,
    element_mask: u64,
    /// TDATA and TKEEP words a beat is packed into otherwise (then TSTRB, for wide beats).
    scratch: Vec<u32>,
    words: usize,
    keep_words: usize,
    wide: Option<WideShape>,
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
        let wide = WideShape::of(tdata_bits);
        let mut scratch = vec![0; words + 2 * keep_words];
        let single_keep = (layout.lanes == 1 && wide.is_none()).then(|| {
            let (data, keep) = scratch.split_at_mut(words);
            layout.pack(&[0], data, &mut keep[..keep_words]);
            keep[0] as u8
        });
        let bits = layout.element_bits;
        let element_mask = if bits >= 64 { u64::MAX } else { (1u64 << bits) - 1 };
        Ok(FifoFeeder { name: name.to_owned(), data, layout, single_keep, element_mask, scratch, words, keep_words, wide, into, next: 0, total })
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
    #[inline]
    pub fn step(&mut self, fifos: &mut [AxisFifo], room: bool) -> bool {
        if self.next >= self.total {
            return false;
        }
        if !room {
            count_full_stalls(fifos, &self.into);
            return false;
        }
        let (data, keep) = match self.single_keep {
            // One element of at most 64 bits: no packing.
            Some(keep) => (self.data[self.next] & self.element_mask, keep),
            None => self.pack(),
        };
        // Built here, not through a pointer: a slot whose address escaped was built on the
        // stack and copied with loads wider than its stores, which the CPU cannot forward.
        let slot = Slot::new(data, keep, keep, self.next + 1 == self.total);
        let wide: &[u32] = if self.wide.is_some() { &self.scratch } else { &[] };
        push_all(fifos, &self.into, slot, wide);
        self.next += 1;
        true
    }

    /// Packs beat `next` (several lanes, or wide TDATA) into the scratch words (the words a
    /// FIFO keeps for a wide beat); returns the low 64 bits of TDATA and 8 of TKEEP.
    fn pack(&mut self) -> (u64, u8) {
        let lanes = self.layout.lanes as usize;
        let chunk = &self.data[self.next * lanes..((self.next + 1) * lanes).min(self.data.len())];
        let keep_words = self.keep_words;
        let (data, rest) = self.scratch.split_at_mut(self.words);
        let (keep, strb) = rest.split_at_mut(keep_words);
        self.layout.pack(chunk, data, keep);
        let low = |w: &[u32]| u64::from(w[0]) | w.get(1).map_or(0, |&h| u64::from(h) << 32);
        strb[..keep_words].copy_from_slice(keep);
        (low(data), keep[0] as u8)
    }

    /// Whether every target FIFO has room now (call before any FIFO changes this cycle).
    #[inline]
    pub fn room(&self, fifos: &[AxisFifo]) -> bool {
        all_have_room(fifos, &self.into)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The words the FIFO holds for its head beat (wide beats) and the head itself.
    fn head(fifo: &AxisFifo, words: usize) -> (Slot, Vec<u32>) {
        (*fifo.beats.front().unwrap(), fifo.wide.iter().take(words).copied().collect())
    }

    #[test]
    fn a_feeder_broadcasts_one_element_beats_as_plain_values() {
        let mut fifos = vec![AxisFifo::new(2), AxisFifo::new(4)];
        let data = [0x1_2345_6789, 7, 8];
        let mut feeder = FifoFeeder::new("x", &data, Layout::single(32), 32, vec![0, 1]).unwrap();
        assert!(feeder.step(&mut fifos, true));
        assert!(!feeder.step(&mut fifos, false), "no room at the start of the cycle: no beat");
        assert_eq!(fifos[0].stats().full_stalls, 0, "a FIFO with room is not the one stalling");
        assert!(feeder.step(&mut fifos, true));
        assert!(!feeder.room(&fifos), "the depth-2 branch is full");
        let (beat, wide) = head(&fifos[1], 0);
        assert_eq!((beat.data, beat.keep(), beat.strb(), beat.last()), (0x2345_6789, 0xf, 0xf, false));
        assert!(wide.is_empty() && fifos[1].wide.is_empty());
        fifos[0].pop(0);
        let room = feeder.room(&fifos);
        assert!(feeder.step(&mut fifos, room));
        assert_eq!(fifos[1].beats.back().map(|b| b.last()), Some(true));
        assert_eq!((fifos[1].stats().pushed, fifos[1].stats().high_water, fifos[0].stats().popped), (3, 3, 1));
    }

    #[test]
    fn pushed_counts_from_the_last_reset_whatever_was_held_then() {
        let mut fifo = AxisFifo::new(4);
        for data in 0..3 {
            fifo.push(Slot { data, ..Slot::default() }, &[]);
        }
        assert_eq!((fifo.stats().pushed, fifo.stats().high_water), (3, 3));
        fifo.reset_stats();
        assert_eq!((fifo.stats().pushed, fifo.stats().popped, fifo.stats().high_water), (0, 0, 3));
        for _ in 0..3 {
            fifo.pop(0);
        }
        fifo.pop(0); // empty: nothing popped
        fifo.push(Slot::default(), &[]);
        assert_eq!((fifo.stats().pushed, fifo.stats().popped, fifo.len()), (1, 3, 1));
    }

    #[test]
    fn wide_beats_keep_their_words_in_order_and_a_partial_last_beat_its_tkeep() {
        let shape = WideShape::of(128).unwrap();
        assert_eq!((shape.data, shape.keep, shape.words()), (4, 1, 6));
        let mut fifos = vec![AxisFifo::new(4)];
        let data = [1, 2, 3, 4, 5, 6];
        let mut feeder = FifoFeeder::new("x", &data, Layout { element_bits: 32, lanes: 4 }, 128, vec![0]).unwrap();
        assert!(feeder.step(&mut fifos, true) && feeder.step(&mut fifos, true));
        assert_eq!(feeder.remaining(), 0);
        let (beat, wide) = head(&fifos[0], shape.words());
        assert_eq!((beat.data, beat.last()), (1 | 2 << 32, false));
        assert_eq!(wide, [1, 2, 3, 4, 0xffff, 0xffff]);
        fifos[0].pop(shape.words());
        let (beat, wide) = head(&fifos[0], shape.words());
        assert_eq!((beat.data, beat.last()), (5 | 6 << 32, true));
        assert_eq!(wide, [5, 6, 0, 0, 0xff, 0xff], "two of four lanes kept");
        fifos[0].pop(shape.words());
        assert!(fifos[0].is_empty() && fifos[0].wide.is_empty());
    }

    #[test]
    fn a_beats_sideband_leaves_with_it_and_a_beat_without_reads_zero() {
        let mut fifo = AxisFifo::new(4);
        assert_eq!(fifo.head_sideband(), [0, 0, 0], "no beat, no sideband");
        for (n, sideband) in [(1, [7, 8, 9]), (2, [10, 11, 12])] {
            fifo.sideband.push(sideband);
            fifo.push(Slot { data: n, ..Slot::default() }, &[]);
        }
        assert_eq!((fifo.beats.front().map(|b| b.data), fifo.head_sideband()), (Some(1), [7, 8, 9]));
        fifo.pop(0);
        assert_eq!((fifo.beats.front().map(|b| b.data), fifo.head_sideband()), (Some(2), [10, 11, 12]));
        fifo.pop(0);
        assert!(fifo.is_empty() && fifo.sideband.len() == 0);
        let mut plain = AxisFifo::new(2);
        plain.push(Slot { data: 3, ..Slot::default() }, &[]);
        assert_eq!(plain.head_sideband(), [0, 0, 0], "a producer without sideband");
    }

    #[test]
    fn narrow_beats_with_lanes_pack_into_the_slot() {
        let mut fifos = vec![AxisFifo::new(2)];
        let data = [0xaa, 0xbb, 0xcc];
        let mut feeder = FifoFeeder::new("x", &data, Layout { element_bits: 16, lanes: 2 }, 32, vec![0]).unwrap();
        assert!(feeder.step(&mut fifos, true) && feeder.step(&mut fifos, true));
        let beats: Vec<(u64, u8, bool)> = fifos[0].beats.iter().map(|b| (b.data, b.keep(), b.last())).collect();
        assert_eq!(beats, [(0xbb_00aa, 0xf, false), (0xcc, 0x3, true)]);
        assert!(fifos[0].wide.is_empty());
    }
}
