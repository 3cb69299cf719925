//! The simulated board: the kernel's verilated RTL, one PG021 DMA model per stream, one
//! [`AxiSlave`] per `m_axi` bundle and heap DMA memory, stepped together on the kernel's
//! clock. Every bundle sees all of the DMA memory (as every PS port sees DDR): each slave
//! serves a copy that a flush updates and that the kernel's writes update in the others,
//! and every beat it serves is checked against the CPU's cache state. The driver reaches them through
//! handles implementing [`RegisterAccess`] and [`DmaMemory`]; every register access advances
//! the clock (an AXI4-Lite transaction on the RTL; a few cycles for a DMA register), so
//! polling makes simulated time pass and stream data move while the driver polls.
//! A free-running (ap_ctrl_none) kernel has no s_axi_control and no interrupt: none is
//! bound, and an access through [`SimControl`] is an error.

use std::cell::RefCell;
use std::time::Duration;

use codesign_hw::manifest::{BlockProtocol, EndRule, Level, StreamDirection};
use codesign_sim::axi::{AxiMemory, AxiPorts, AxiSlave};
use codesign_sim::axil::{AxilMaster, AxilPorts};
use codesign_sim::axis::AxisPorts;
use codesign_sim::verilated::{Bit, Direction, Model};
use codesign_sim::{Agent, Clock};

use super::dma_model::SimDma;
use super::memory::SimMemory;
use crate::config::BoardSimConfig;
use crate::backends::zynq::call::beat_bytes;
use crate::device::{DeviceError, DmaBuffer, DmaMemory, RegisterAccess};
use crate::driver::hls_block::reg;
use crate::Kernel;

/// Cycles a DMA register access takes (interconnect and register slice).
const DMA_ACCESS_CYCLES: u64 = 2;
/// An AXI4-Lite access that takes longer than this is a broken slave.
const AXIL_MAX_CYCLES: u64 = 256;

struct World<'m> {
    clock: Clock<'m>,
    reset: Bit<'m>,
    reset_level: Level,
    reset_cycles: u32,
    /// The kernel's interrupt and s_axi_control; None for an ap_ctrl_none kernel.
    interrupt: Option<Bit<'m>>,
    control: Option<AxilMaster<'m>>,
    dmas: Vec<SimDma<'m>>,
    /// One per `m_axi` bundle, in manifest order, with its name as a reader in messages.
    slaves: Vec<AxiSlave<'m>>,
    readers: Vec<String>,
    memory: SimMemory,
    /// Picoseconds per cycle at the manifest's clock.
    period_ps: f64,
    /// Cycle of the ap_start write and of the first done seen after it.
    start: Option<u64>,
    done: Option<u64>,
    /// ap_ctrl_none: a call runs from the MM2S start to the last S2MM completion.
    free_running: bool,
}

impl World<'_> {
    fn step(&mut self) {
        if let Some(control) = &mut self.control {
            control.drive();
        }
        for dma in &mut self.dmas {
            dma.drive(&mut self.memory);
        }
        for slave in &mut self.slaves {
            slave.drive();
        }
        self.clock.settle();
        if let Some(control) = &mut self.control {
            control.sample();
        }
        for dma in &mut self.dmas {
            dma.sample(&mut self.memory);
        }
        for slave in &mut self.slaves {
            slave.sample();
        }
        self.check_slave_beats();
        self.clock.rise();
    }

    /// Checks every beat the slaves served against the CPU's cache state; a written beat
    /// becomes device data (the CPU must invalidate it) and reaches the other bundles' copies.
    fn check_slave_beats(&mut self) {
        for index in 0..self.slaves.len() {
            for access in self.slaves[index].take_accesses() {
                if !access.write {
                    // The slave decoded the beat in the same mapping: it is inside a buffer.
                    let _decoded = self.memory.check_device_read(&self.readers[index], access.addr, access.len);
                    continue;
                }
                let mut bytes = vec![0u8; access.len];
                let copied = self.slaves[index].memory().read(access.addr, &mut bytes).is_ok()
                    && self.memory.device_write(access.addr, &bytes).is_ok();
                if !copied {
                    self.memory.note_violation(format!("internal: a write beat at {:#x} has no DMA buffer", access.addr));
                }
                for (other, slave) in self.slaves.iter_mut().enumerate() {
                    if other != index {
                        let _same_mapping_everywhere = slave.memory_mut().write(access.addr, &bytes);
                    }
                }
            }
        }
    }

    fn cycles_in(&self, timeout: Duration) -> u64 {
        (timeout.as_secs_f64() * 1e12 / self.period_ps).ceil() as u64
    }

    fn now(&self) -> Duration {
        Duration::from_secs_f64(self.clock.cycle() as f64 * self.period_ps * 1e-12)
    }

    /// A coherence violation the DMA caused since the last access, as an error.
    fn check_memory(&mut self) -> Result<(), DeviceError> {
        match self.memory.take_violation() {
            None => Ok(()),
            Some(message) => Err(DeviceError::Coherence { device: super::memory::NAME.to_owned(), message }),
        }
    }

    fn axil(&mut self, write: Option<u32>, addr: u64) -> Result<u32, DeviceError> {
        let control = self.control.as_mut().ok_or_else(|| no_control(addr))?;
        match write {
            Some(data) => control.write(addr, data),
            None => control.read(addr),
        }
        let begin = self.clock.cycle();
        while let Some(control) = self.control.as_ref().filter(|c| !c.is_idle()) {
            if self.clock.cycle() - begin > AXIL_MAX_CYCLES {
                let state = control.state();
                return Err(self.fault(format!("no AXI4-Lite response to {addr:#x} in {AXIL_MAX_CYCLES} cycles; {state}")));
            }
            self.step();
        }
        let response =
            self.control.as_mut().and_then(AxilMaster::pop_response).ok_or_else(|| self.fault(format!("no response for {addr:#x}")))?;
        if response.resp != 0 {
            return Err(self.fault(format!("response {:#b} (not OKAY) to the access at {addr:#x}", response.resp)));
        }
        self.check_memory()?;
        Ok(response.data)
    }

    fn fault(&self, message: String) -> DeviceError {
        DeviceError::Simulation { device: "board-sim s_axi_control".to_owned(), message }
    }

    /// ap_ctrl_none: from the first MM2S start to the last S2MM completion, once every
    /// output has completed.
    fn free_running_cycles(&self) -> Option<u64> {
        let start = self.dmas.iter().filter(|d| d.feeds_kernel()).filter_map(SimDma::started).min()?;
        let ends: Option<Vec<u64>> = self.dmas.iter().filter(|d| !d.feeds_kernel()).map(SimDma::completed).collect();
        Some(ends?.into_iter().max()?.saturating_sub(start))
    }
}

/// An access to the s_axi_control of a kernel that has none (ap_ctrl_none).
fn no_control(offset: u64) -> DeviceError {
    DeviceError::Simulation {
        device: "board-sim s_axi_control".to_owned(),
        message: format!("access at {offset:#x}, but the kernel is ap_ctrl_none: it has no s_axi_control (nor interrupt)"),
    }
}

/// The simulated board of one kernel.
pub struct SimBoard<'m> {
    world: RefCell<World<'m>>,
    streams: Vec<String>,
}

impl<'m> SimBoard<'m> {
    /// Binds `model` (the kernel's verilated RTL) with a DMA model on every stream port.
    /// A stream whose TDATA is not exactly its elements (padding) is an error naming it.
    pub fn new(model: &'m Model, kernel: &Kernel, config: &BoardSimConfig) -> Result<Self, DeviceError> {
        let length_bits = config.length_bits;
        let m = &kernel.manifest;
        let fault = |e: codesign_sim::verilated::ModelError| DeviceError::Simulation {
            device: format!("board-sim `{}`", kernel.name()),
            message: e.to_string(),
        };
        let clock = Clock::new(model, &m.clock).map_err(fault)?;
        let free_running = m.control.protocol == BlockProtocol::ApCtrlNone;
        let mut dmas = Vec::new();
        for stream in &m.streams {
            let into_kernel = stream.direction == StreamDirection::In;
            let ports = AxisPorts::bind(model, &stream.rtl, into_kernel).map_err(fault)?;
            let bytes = beat_bytes(stream) as usize;
            if ports.bytes() as usize != bytes {
                return Err(DeviceError::Simulation {
                    device: format!("board-sim `{}`", kernel.name()),
                    message: format!(
                        "stream `{}`: TDATA is {} bytes but {} lanes of {} hold {bytes}: a DMA would move padding",
                        stream.name,
                        ports.bytes(),
                        stream.lanes,
                        stream.element.as_str()
                    ),
                });
            }
            if stream.end == Some(EndRule::Tlast) && ports.tlast.is_none() {
                return Err(DeviceError::Simulation {
                    device: format!("board-sim `{}`", kernel.name()),
                    message: format!("stream `{}`: end: tlast, but the RTL has no `{}_TLAST` port", stream.name, stream.rtl),
                });
            }
            let name = format!("board-sim dma `{}`", stream.name);
            dmas.push(SimDma::new(name, ports, into_kernel, bytes, length_bits, clock.counter()));
        }
        let mut slaves = Vec::new();
        for bundle in &m.memory {
            let ports = AxiPorts::bind(model, &bundle.rtl).map_err(fault)?;
            if ports.bus_bytes() * 8 != bundle.data_bits {
                return Err(DeviceError::Simulation {
                    device: format!("board-sim `{}`", kernel.name()),
                    message: format!("bundle `{}`: the manifest says {} data bits, the RTL has {}", bundle.bundle, bundle.data_bits, ports.bus_bytes() * 8),
                });
            }
            let mut slave = AxiSlave::new(ports, AxiMemory::new(), config.memory.slave_config(), clock.counter());
            slave.record_accesses();
            slaves.push(slave);
        }
        let world = World {
            readers: m.memory.iter().map(|b| format!("the kernel's m_axi_{}", b.bundle)).collect(),
            slaves,
            reset: model.bit(&m.reset.port, Direction::Input).map_err(fault)?,
            reset_level: m.reset.active,
            reset_cycles: m.reset.cycles,
            interrupt: if free_running { None } else { Some(model.bit("interrupt", Direction::Output).map_err(fault)?) },
            // A free-running kernel has an s_axi bus only for configuration registers.
            control: if free_running && m.axilite_bundle().is_none() {
                None
            } else {
                Some(AxilMaster::new(AxilPorts::bind(model, m.axilite_bundle().unwrap_or("s_axi_control")).map_err(fault)?))
            },
            clock,
            dmas,
            memory: SimMemory::default(),
            period_ps: 1e6 / m.perf.clock_mhz,
            start: None,
            done: None,
            free_running,
        };
        let board = SimBoard { world: RefCell::new(world), streams: m.streams.iter().map(|s| s.name.clone()).collect() };
        board.reset();
        Ok(board)
    }

    /// Holds the kernel's reset for the manifest's cycles, then releases it.
    fn reset(&self) {
        let mut w = self.world.borrow_mut();
        let active = w.reset_level == Level::High;
        w.reset.set(active);
        for _ in 0..w.reset_cycles {
            w.step();
        }
        w.reset.set(!active);
    }

    /// The kernel's s_axi_control.
    pub fn control(&self) -> SimControl<'_, 'm> {
        SimControl { board: self }
    }

    /// The DMA core serving `stream`.
    pub fn dma(&self, stream: &str) -> Option<SimDmaRegs<'_, 'm>> {
        let index = self.streams.iter().position(|s| s == stream)?;
        Some(SimDmaRegs { board: self, index, name: format!("board-sim dma `{stream}`") })
    }

    /// One DMA handle per manifest stream, in order.
    pub fn dmas(&self) -> Vec<SimDmaRegs<'_, 'm>> {
        self.streams.iter().filter_map(|s| self.dma(s)).collect()
    }

    /// The DMA memory.
    pub fn memory(&self) -> SimMem<'_, 'm> {
        SimMem { board: self }
    }

    /// Makes `buffer` answer SLVERR to the DMA (a fault to test the driver with).
    pub fn inject_slave_error(&self, buffer: &DmaBuffer) {
        self.world.borrow_mut().memory.inject_slave_error(buffer);
    }

    /// Cycles since the model was created (reset included).
    pub fn cycle(&self) -> u64 {
        self.world.borrow().clock.cycle()
    }

    /// Runs `cycles` cycles with nothing accessed (time passing between driver calls).
    pub fn idle(&self, cycles: u64) {
        let mut w = self.world.borrow_mut();
        for _ in 0..cycles {
            w.step();
        }
    }

    /// Cycles from the ap_start write to the first done seen (AP_CTRL read or interrupt);
    /// for an ap_ctrl_none kernel from the first MM2S start to the last S2MM completion.
    pub fn call_cycles(&self) -> Option<u64> {
        let w = self.world.borrow();
        if w.free_running {
            return w.free_running_cycles();
        }
        Some(w.done? - w.start?)
    }

    /// Per-bundle memory statistics since the last ap_start, named with the timing preset.
    pub fn memory_reports(&self, preset: &str) -> Vec<crate::MemoryReport> {
        let w = self.world.borrow();
        w.slaves.iter().map(|s| crate::rtl::memory::report(s.stats(), Some(preset))).collect()
    }

    /// After a call: the first AXI4 rule the kernel broke on an `m_axi` bundle, or a burst
    /// outside every buffer (SLVERR, DECERR), as `(port, message)`.
    pub fn memory_violation(&self) -> Option<(String, String)> {
        let w = self.world.borrow();
        for slave in &w.slaves {
            let port = format!("m_axi_{}", slave.bundle());
            if let Err(error) = slave.finish() {
                return Some((port, error.to_string()));
            }
            let stats = slave.stats();
            if stats.read.errors() + stats.write.errors() > 0 {
                return Some((port, format!("{} burst(s) answered SLVERR or DECERR: the kernel accessed memory outside its buffers", stats.read.errors() + stats.write.errors())));
            }
        }
        None
    }

    /// After a call: the first AXI4-Stream rule the kernel broke on an output, if any.
    pub fn violation(&self) -> Option<String> {
        self.world.borrow_mut().dmas.iter_mut().find_map(|d| d.violation().map(|v| format!("{}: {v}", d.name)))
    }

    /// Port and DMA status of every stream, for reports.
    pub fn state(&self) -> String {
        let w = self.world.borrow();
        let mut parts: Vec<String> = w.dmas.iter().map(SimDma::state).collect();
        parts.extend(w.slaves.iter().map(AxiSlave::state));
        if let Some(control) = &w.control {
            parts.push(control.state());
        }
        if let Some(interrupt) = &w.interrupt {
            parts.push(format!("interrupt={}", interrupt.get()));
        }
        parts.join("; ")
    }
}

/// The kernel's s_axi_control as a [`RegisterAccess`]: each access is an AXI4-Lite
/// transaction on the RTL.
pub struct SimControl<'b, 'm> {
    board: &'b SimBoard<'m>,
}

impl RegisterAccess for SimControl<'_, '_> {
    fn name(&self) -> &str {
        "board-sim s_axi_control"
    }

    fn read32(&mut self, offset: u64) -> Result<u32, DeviceError> {
        let mut w = self.board.world.borrow_mut();
        let value = w.axil(None, offset)?;
        if offset == reg::AP_CTRL && value & reg::AP_DONE != 0 && w.start.is_some() && w.done.is_none() {
            w.done = Some(w.clock.cycle());
        }
        Ok(value)
    }

    fn write32(&mut self, offset: u64, value: u32) -> Result<(), DeviceError> {
        let mut w = self.board.world.borrow_mut();
        if offset == reg::AP_CTRL && value & reg::AP_START != 0 {
            w.start = Some(w.clock.cycle());
            w.done = None;
            w.slaves.iter_mut().for_each(AxiSlave::reset_stats);
        }
        w.axil(Some(value), offset).map(drop)
    }

    fn wait_interrupt(&mut self, timeout: Duration) -> Result<bool, DeviceError> {
        let mut w = self.board.world.borrow_mut();
        let end = w.clock.cycle() + w.cycles_in(timeout);
        let interrupt = w.interrupt.ok_or_else(|| no_control(reg::ISR))?;
        while !interrupt.is_high() {
            if w.clock.cycle() >= end {
                return Ok(false);
            }
            w.step();
        }
        if w.start.is_some() && w.done.is_none() {
            w.done = Some(w.clock.cycle());
        }
        w.check_memory()?;
        Ok(true)
    }

    fn now(&self) -> Duration {
        self.board.world.borrow().now()
    }
}

/// One DMA core's registers as a [`RegisterAccess`].
pub struct SimDmaRegs<'b, 'm> {
    board: &'b SimBoard<'m>,
    index: usize,
    name: String,
}

impl RegisterAccess for SimDmaRegs<'_, '_> {
    fn name(&self) -> &str {
        &self.name
    }

    fn read32(&mut self, offset: u64) -> Result<u32, DeviceError> {
        check_dma_offset(&self.name, offset)?;
        let mut w = self.board.world.borrow_mut();
        let cycle = w.clock.cycle();
        let value = w.dmas[self.index].read(offset, cycle);
        for _ in 0..DMA_ACCESS_CYCLES {
            w.step();
        }
        w.check_memory()?;
        Ok(value)
    }

    fn write32(&mut self, offset: u64, value: u32) -> Result<(), DeviceError> {
        check_dma_offset(&self.name, offset)?;
        let mut w = self.board.world.borrow_mut();
        let cycle = w.clock.cycle();
        w.dmas[self.index].write(offset, value, cycle);
        for _ in 0..DMA_ACCESS_CYCLES {
            w.step();
        }
        w.check_memory()
    }

    fn wait_interrupt(&mut self, timeout: Duration) -> Result<bool, DeviceError> {
        let mut w = self.board.world.borrow_mut();
        let end = w.clock.cycle() + w.cycles_in(timeout);
        while !w.dmas[self.index].interrupt() {
            if w.clock.cycle() >= end {
                return Ok(false);
            }
            w.step();
        }
        w.check_memory()?;
        Ok(true)
    }

    fn now(&self) -> Duration {
        self.board.world.borrow().now()
    }
}

fn slave_fault(error: codesign_sim::axi::MemoryError) -> DeviceError {
    DeviceError::Simulation { device: super::memory::NAME.to_owned(), message: error.to_string() }
}

/// The register window of one AXI DMA (64 KiB in the address map; registers up to 0x58).
fn check_dma_offset(name: &str, offset: u64) -> Result<(), DeviceError> {
    if !offset.is_multiple_of(4) {
        return Err(DeviceError::Misaligned { device: name.to_owned(), offset });
    }
    if offset >= 0x1_0000 {
        return Err(DeviceError::OutOfRange { device: name.to_owned(), offset, len: 4, size: 0x1_0000 });
    }
    Ok(())
}

/// The board's DMA memory as a [`DmaMemory`].
pub struct SimMem<'b, 'm> {
    board: &'b SimBoard<'m>,
}

impl DmaMemory for SimMem<'_, '_> {
    fn name(&self) -> &str {
        super::memory::NAME
    }
    fn allocate(&mut self, len: usize) -> Result<DmaBuffer, DeviceError> {
        let mut w = self.board.world.borrow_mut();
        let buffer = w.memory.allocate(len)?;
        for slave in &mut w.slaves {
            if len > 0 {
                slave.memory_mut().map(&format!("dma buffer {}", buffer.id), buffer.phys, len).map_err(slave_fault)?;
            }
        }
        Ok(buffer)
    }
    fn free_all(&mut self) {
        let mut w = self.board.world.borrow_mut();
        w.memory.free_all();
        for slave in &mut w.slaves {
            *slave.memory_mut() = AxiMemory::new();
        }
    }
    fn label(&mut self, buffer: &DmaBuffer, name: &str) {
        self.board.world.borrow_mut().memory.label(buffer, name);
    }
    fn write(&mut self, buffer: &DmaBuffer, offset: usize, data: &[u8]) -> Result<(), DeviceError> {
        self.board.world.borrow_mut().memory.write(buffer, offset, data)
    }
    fn read(&mut self, buffer: &DmaBuffer, offset: usize, out: &mut [u8]) -> Result<(), DeviceError> {
        self.board.world.borrow_mut().memory.read(buffer, offset, out)
    }
    /// The flush: the CPU's bytes reach the memory every bundle serves.
    fn sync_for_device(&mut self, buffer: &DmaBuffer, offset: usize, len: usize) -> Result<(), DeviceError> {
        let w = &mut *self.board.world.borrow_mut();
        w.memory.sync_for_device(buffer, offset, len)?;
        if let Some(bytes) = w.memory.bytes(buffer, offset, len).filter(|b| !b.is_empty()) {
            for slave in &mut w.slaves {
                slave.memory_mut().write(buffer.phys + offset as u64, bytes).map_err(slave_fault)?;
            }
        }
        Ok(())
    }
    fn sync_for_cpu(&mut self, buffer: &DmaBuffer, offset: usize, len: usize) -> Result<(), DeviceError> {
        self.board.world.borrow_mut().memory.sync_for_cpu(buffer, offset, len)
    }
}
