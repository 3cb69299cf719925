//! A transaction-level AXI DMA (PG021, simple mode) with one stream port: MM2S feeding a
//! kernel input or S2MM draining a kernel output, beat by beat on the kernel's clock.
//!
//! Semantics modelled: Halted after reset; RS=1 leaves Halted; a non-zero LENGTH written
//! while running starts a transfer (0, or a write while halted, does nothing); an address not
//! aligned to the stream width -> DMAIntErr; no memory at an address -> DMADecErr; SLVERR ->
//! DMASlvErr; on any error RS clears and the channel halts; IOC/Dly/Err IRQ bits are
//! write-1-to-clear; DMACR.Reset (self-clearing after a few cycles) resets both channels;
//! S2MM writes the bytes received back into LENGTH at TLAST, and a packet longer than the
//! armed LENGTH is DMAIntErr. Each channel records when its transfer started and completed
//! (the call cycles of a free-running kernel).

use codesign_sim::axis::{AxisMonitor, AxisPorts};
use codesign_sim::CycleCounter;

use super::memory::{BusFault, SimMemory};
use crate::driver::axi_dma::regs::*;

/// Cycles DMACR.Reset stays set after it is written.
const RESET_CYCLES: u64 = 8;
/// DMACR after reset: IRQThreshold = 1, the reserved bit 1 reads 1.
const DMACR_RESET_VALUE: u32 = 0x0001_0002;
/// DMACR bits software can set.
const DMACR_WRITABLE: u32 = DMACR_RS | 0x7000 | 0xffff_0000;

#[derive(Debug, Clone, Copy)]
struct ChannelRegs {
    dmacr: u32,
    dmasr: u32,
    addr: u64,
    length: u32,
    /// A transfer is in flight.
    active: bool,
    /// Bytes moved so far.
    moved: u64,
    /// Cycle at which the current transfer started (LENGTH written; its first beat can move
    /// at that cycle's edge) and the cycle count once its last beat has moved (that edge
    /// included): their difference counts every edge of the transfer, as cosim does.
    started: Option<u64>,
    completed: Option<u64>,
}

impl ChannelRegs {
    fn reset() -> Self {
        ChannelRegs {
            dmacr: DMACR_RESET_VALUE,
            dmasr: DMASR_HALTED,
            addr: 0,
            length: 0,
            active: false,
            moved: 0,
            started: None,
            completed: None,
        }
    }

    fn fail(&mut self, bits: u32) {
        self.dmasr = (self.dmasr | bits | DMASR_HALTED | DMASR_ERR_IRQ) & !DMASR_IDLE;
        self.dmacr &= !DMACR_RS;
        self.active = false;
    }

    fn complete(&mut self, cycle: u64) {
        self.dmasr |= DMASR_IDLE | DMASR_IOC_IRQ;
        self.active = false;
        self.completed = Some(cycle);
    }

    fn irq(&self) -> bool {
        self.dmasr & DMASR_IRQ_MASK & self.dmacr != 0
    }
}

/// The stream side of the model.
#[derive(Debug)]
enum Port<'m> {
    /// MM2S drives a kernel input: TVALID, TDATA, TKEEP/TSTRB, TLAST.
    Mm2s { ports: AxisPorts<'m>, offering: Option<usize> },
    /// S2MM drains a kernel output: TREADY; the monitor checks the kernel's side.
    S2mm { ports: AxisPorts<'m>, monitor: Box<AxisMonitor<'m>> },
}

/// One DMA core.
#[derive(Debug)]
pub struct SimDma<'m> {
    /// Name for messages (`board-sim dma \`a\``).
    pub name: String,
    mm2s: ChannelRegs,
    s2mm: ChannelRegs,
    port: Port<'m>,
    data_bytes: usize,
    length_mask: u32,
    reset_until: u64,
    words: Vec<u32>,
    keep: Vec<u32>,
    bytes: Vec<u8>,
    now: CycleCounter,
}

impl<'m> SimDma<'m> {
    /// A core whose MM2S (`into_kernel`) or S2MM drives `ports`, `data_bytes` wide.
    pub fn new(name: String, ports: AxisPorts<'m>, into_kernel: bool, data_bytes: usize, length_bits: u32, now: CycleCounter) -> Self {
        let words = ports.tdata.width().div_ceil(32) as usize;
        let keep_words = ports.bytes().div_ceil(32) as usize;
        let port = if into_kernel {
            ports.tvalid.set(false);
            Port::Mm2s { ports, offering: None }
        } else {
            ports.tready.set(false);
            Port::S2mm { monitor: Box::new(AxisMonitor::new(&name, ports, now.clone())), ports }
        };
        SimDma {
            name,
            mm2s: ChannelRegs::reset(),
            s2mm: ChannelRegs::reset(),
            port,
            data_bytes,
            length_mask: ((1u64 << length_bits) - 1) as u32,
            reset_until: 0,
            words: vec![0; words],
            keep: vec![0; keep_words],
            bytes: vec![0; data_bytes],
            now,
        }
    }

    fn channel(&mut self, offset: u64) -> (&mut ChannelRegs, u64) {
        if offset >= S2MM_DMACR {
            (&mut self.s2mm, offset - S2MM_DMACR)
        } else {
            (&mut self.mm2s, offset)
        }
    }

    /// A register read at `cycle`.
    pub fn read(&mut self, offset: u64, cycle: u64) -> u32 {
        let resetting = cycle < self.reset_until;
        let (ch, local) = self.channel(offset);
        match local {
            0x00 => ch.dmacr | if resetting { DMACR_RESET } else { 0 },
            0x04 => ch.dmasr,
            0x18 => ch.addr as u32,
            0x1c => (ch.addr >> 32) as u32,
            0x28 => ch.length,
            _ => 0,
        }
    }

    /// A register write at `cycle`.
    pub fn write(&mut self, offset: u64, value: u32, cycle: u64) {
        if cycle < self.reset_until {
            return;
        }
        let (data_bytes, length_mask) = (self.data_bytes as u64, self.length_mask);
        let (ch, local) = self.channel(offset);
        match local {
            0x00 if value & DMACR_RESET != 0 => {
                self.mm2s = ChannelRegs::reset();
                self.s2mm = ChannelRegs::reset();
                self.reset_until = cycle + RESET_CYCLES;
                self.drop_beat();
            }
            0x00 => {
                ch.dmacr = (value & DMACR_WRITABLE) | 0x2;
                if value & DMACR_RS != 0 && ch.dmasr & DMASR_ERR_MASK == 0 {
                    ch.dmasr &= !DMASR_HALTED;
                } else if value & DMACR_RS == 0 {
                    ch.dmasr |= DMASR_HALTED;
                    ch.active = false;
                }
            }
            0x04 => ch.dmasr &= !(value & DMASR_IRQ_MASK),
            0x18 => ch.addr = (ch.addr & !0xffff_ffff) | u64::from(value),
            0x1c => ch.addr = (ch.addr & 0xffff_ffff) | (u64::from(value) << 32),
            0x28 => {
                let length = value & length_mask;
                // Ignored: LENGTH 0, a halted channel, a transfer already in flight.
                if length == 0 || ch.dmasr & DMASR_HALTED != 0 || ch.active {
                    return;
                }
                ch.length = length;
                if ch.addr % data_bytes != 0 {
                    ch.fail(DMASR_INT_ERR);
                    return;
                }
                ch.dmasr &= !DMASR_IDLE;
                ch.active = true;
                ch.moved = 0;
                ch.started = Some(cycle);
                ch.completed = None;
            }
            _ => {}
        }
    }

    fn drop_beat(&mut self) {
        if let Port::Mm2s { ports, offering } = &mut self.port {
            ports.tvalid.set(false);
            *offering = None;
        }
    }

    /// True when this core's stream feeds the kernel (MM2S), false when it drains it (S2MM).
    pub fn feeds_kernel(&self) -> bool {
        matches!(self.port, Port::Mm2s { .. })
    }

    /// Cycle at which the channel on the stream port last started a transfer (since reset).
    pub fn started(&self) -> Option<u64> {
        self.port_channel().started
    }

    /// The cycle count just after the edge that completed that transfer (S2MM: the beat
    /// with TLAST).
    pub fn completed(&self) -> Option<u64> {
        self.port_channel().completed
    }

    fn port_channel(&self) -> &ChannelRegs {
        if self.feeds_kernel() {
            &self.mm2s
        } else {
            &self.s2mm
        }
    }

    /// The core's interrupt line: any enabled IRQ bit of either channel.
    pub fn interrupt(&self) -> bool {
        self.mm2s.irq() || self.s2mm.irq()
    }

    /// Drives the stream port before the edge.
    #[inline]
    pub fn drive(&mut self, memory: &mut SimMemory) {
        match &mut self.port {
            Port::S2mm { ports, .. } => ports.tready.set(self.s2mm.active),
            Port::Mm2s { ports, offering } => {
                if offering.is_some() {
                    return;
                }
                let ch = &mut self.mm2s;
                if !ch.active {
                    ports.tvalid.set(false);
                    return;
                }
                let n = (u64::from(ch.length) - ch.moved).min(self.data_bytes as u64) as usize;
                let bytes = &mut self.bytes[..n];
                if let Err(fault) = memory.device_read(ch.addr + ch.moved, bytes) {
                    ch.fail(fault_bits(fault));
                    ports.tvalid.set(false);
                    return;
                }
                self.words.iter_mut().for_each(|w| *w = 0);
                self.keep.iter_mut().for_each(|w| *w = 0);
                for (i, &b) in bytes.iter().enumerate() {
                    self.words[i / 4] |= u32::from(b) << (8 * (i % 4));
                    self.keep[i / 32] |= 1 << (i % 32);
                }
                ports.tdata.set_words(&self.words);
                for s in [ports.tkeep, ports.tstrb].into_iter().flatten() {
                    s.set_words(&self.keep);
                }
                if let Some(last) = ports.tlast {
                    last.set(ch.moved + n as u64 == u64::from(ch.length));
                }
                ports.tvalid.set(true);
                *offering = Some(n);
            }
        }
    }

    /// Samples the settled port before the edge; true when a beat moved.
    #[inline]
    pub fn sample(&mut self, memory: &mut SimMemory) -> bool {
        match &mut self.port {
            Port::Mm2s { ports, offering } => {
                let Some(n) = *offering else { return false };
                if !ports.tready.is_high() {
                    return false;
                }
                *offering = None;
                let ch = &mut self.mm2s;
                ch.moved += n as u64;
                if ch.moved == u64::from(ch.length) {
                    ch.complete(self.now.get() + 1);
                }
                true
            }
            Port::S2mm { ports, monitor } => {
                if !monitor.observe() {
                    return false;
                }
                let ch = &mut self.s2mm;
                if !ch.active {
                    return true;
                }
                ports.tdata.read_words(&mut self.words);
                let kept = match ports.tkeep {
                    Some(k) => {
                        k.read_words(&mut self.keep);
                        (0..self.data_bytes).filter(|&i| self.keep[i / 32] >> (i % 32) & 1 == 1).count()
                    }
                    None => self.data_bytes,
                };
                for (i, b) in self.bytes.iter_mut().enumerate() {
                    *b = (self.words[i / 4] >> (8 * (i % 4))) as u8;
                }
                if ch.moved + kept as u64 > u64::from(ch.length) {
                    ch.fail(DMASR_INT_ERR);
                    return true;
                }
                if let Err(fault) = memory.device_write(ch.addr + ch.moved, &self.bytes[..kept]) {
                    ch.fail(fault_bits(fault));
                    return true;
                }
                ch.moved += kept as u64;
                if ports.tlast.is_none_or(|l| l.is_high()) {
                    ch.length = ch.moved as u32;
                    ch.complete(self.now.get() + 1);
                }
                true
            }
        }
    }

    /// The first AXI4-Stream rule the kernel broke on an S2MM port, if any.
    pub fn violation(&mut self) -> Option<String> {
        match &mut self.port {
            Port::S2mm { monitor, .. } => monitor.violation().map(|v| v.describe()),
            Port::Mm2s { .. } => None,
        }
    }

    /// `port=VALID/READY, MM2S/S2MM DMASR`, for hang reports.
    pub fn state(&self) -> String {
        let ports = match &self.port {
            Port::Mm2s { ports, .. } | Port::S2mm { ports, .. } => ports,
        };
        format!(
            "{}: {} MM2S_DMASR={:#x} S2MM_DMASR={:#x}",
            self.name,
            ports.state(&self.name),
            self.mm2s.dmasr,
            self.s2mm.dmasr
        )
    }
}

fn fault_bits(fault: BusFault) -> u32 {
    match fault {
        BusFault::Decode => DMASR_DEC_ERR,
        BusFault::Slave => DMASR_SLV_ERR,
    }
}
