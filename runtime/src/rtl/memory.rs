//! The kernel's `m_axi` side in cosim: one AXI4 slave memory per bundle, each buffer placed
//! at its own 4 KiB-aligned address, pointers for the control registers, and the buffers
//! read back after the call.

use codesign_hw::manifest::BufferArg;
use codesign_models::Values;
use codesign_sim::axi::{AxiMemory, AxiPorts, AxiSlave, AxiStats, ALLOC_ALIGN, ALLOC_BASE};
use codesign_sim::verilated::{Model, ModelError};
use codesign_sim::{Agent, CycleCounter};

use super::CosimError;
use crate::config::MemoryTiming;
use crate::{Error, Kernel, MemoryReport, MemoryTraffic};

/// A buffer as placed: where its pointer goes and where it lives.
#[derive(Debug, Clone)]
struct Placed {
    name: String,
    /// Index of its bundle's slave.
    slave: usize,
    /// Control register offset of the pointer's low word.
    offset: u32,
    /// Base address in simulated memory.
    addr: u64,
    /// Element width in bytes.
    element_bytes: usize,
    /// Elements.
    elements: usize,
    /// Read back after the call.
    output: bool,
}

/// Every `m_axi` bundle of a kernel, served from simulated memory.
pub struct Memories<'m> {
    kernel: String,
    slaves: Vec<AxiSlave<'m>>,
    placed: Vec<Placed>,
}

/// Bytes mapped for a buffer of `bytes`: whole 4 KiB pages, as a driver allocates them, so a
/// full-width beat that covers the tail of the data stays inside the buffer.
fn mapped_bytes(bytes: usize) -> usize {
    bytes.max(1).next_multiple_of(ALLOC_ALIGN as usize)
}

impl<'m> Memories<'m> {
    /// Binds every bundle of the manifest, places every buffer (input data written, output
    /// buffers zeroed). A missing port or a data width other than the manifest's is an error.
    pub fn bind(
        model: &'m Model,
        kernel: &Kernel,
        inputs: &Values,
        timing: &MemoryTiming,
        now: CycleCounter,
    ) -> Result<Self, Error> {
        let m = &kernel.manifest;
        let wrap = || CosimError::wrap(kernel.name());
        let mut memories: Vec<(AxiPorts<'m>, AxiMemory)> = Vec::new();
        for bundle in &m.memory {
            let ports = AxiPorts::bind(model, &bundle.rtl).map_err(wrap())?;
            if ports.bus_bytes() * 8 != bundle.data_bits {
                return Err(wrap()(ModelError::PortShape {
                    top: model.top(),
                    port: format!("{}_WDATA", bundle.rtl),
                    detail: format!(
                        "manifest bundle `{}` says data-bits {}, the RTL has {}",
                        bundle.bundle,
                        bundle.data_bits,
                        ports.bus_bytes() * 8
                    ),
                }));
            }
            memories.push((ports, AxiMemory::new()));
        }
        // One address space across bundles (as on a card), so a pointer given to the wrong
        // bundle decodes to DECERR instead of silently reading another buffer.
        let mut next = ALLOC_BASE;
        let mut placed = Vec::new();
        for buffer in &m.buffers {
            let slave = m.memory.iter().position(|b| b.bundle == buffer.bundle).ok_or_else(|| Error::Input {
                kernel: kernel.name().to_owned(),
                message: format!("buffer `{}`: no bundle `{}`", buffer.name, buffer.bundle),
            })?;
            let elements = kernel.buffer_len(&buffer.name, inputs)?;
            let element_bytes = (buffer.element.bits() / 8) as usize;
            let bytes = mapped_bytes(elements * element_bytes);
            let memory = &mut memories[slave].1;
            let mapped = memory.map(&buffer.name, next, bytes).map_err(|e| memory_error(kernel, buffer, e))?;
            if let Some(data) = inputs.streams.get(&buffer.name).filter(|_| buffer.direction.is_input()) {
                let target = mapped.bytes_mut();
                for (i, element) in data.iter().enumerate() {
                    target[i * element_bytes..(i + 1) * element_bytes]
                        .copy_from_slice(&element.to_le_bytes()[..element_bytes]);
                }
            }
            placed.push(Placed {
                name: buffer.name.clone(),
                slave,
                offset: buffer.offset,
                addr: next,
                element_bytes,
                elements,
                output: buffer.direction.is_output(),
            });
            next += (bytes as u64) + ALLOC_ALIGN;
        }
        let slaves = memories
            .into_iter()
            .enumerate()
            .map(|(index, (ports, memory))| AxiSlave::new(ports, memory, timing.slave_config(index), now.clone()))
            .collect();
        Ok(Memories { kernel: kernel.name().to_owned(), slaves, placed })
    }

    /// `(offset, address)` of every pointer, for the control registers.
    pub fn pointers(&self) -> impl Iterator<Item = (u32, u64)> + '_ {
        self.placed.iter().map(|p| (p.offset, p.addr))
    }

    /// True when there is nothing to drive or sample.
    pub fn is_empty(&self) -> bool {
        self.slaves.is_empty()
    }

    /// Drives every slave's outputs for the coming edge.
    #[inline(always)]
    pub fn drive(&mut self) {
        for slave in &mut self.slaves {
            slave.drive();
        }
    }

    /// Samples every slave; true if any handshake completed.
    #[inline(always)]
    pub fn sample(&mut self) -> bool {
        let mut progress = false;
        for slave in &mut self.slaves {
            progress |= slave.sample();
        }
        progress
    }

    /// Restarts the statistics (at `ap_start`).
    pub fn reset_stats(&mut self) {
        self.slaves.iter_mut().for_each(AxiSlave::reset_stats);
    }

    /// The first AXI error so far: a broken protocol rule, or a burst answered SLVERR or
    /// DECERR (outside every buffer). `(port, message)`.
    pub fn check(&self) -> Option<(String, String)> {
        for slave in &self.slaves {
            let port = format!("m_axi_{}", slave.bundle());
            if let Err(error) = slave.check() {
                return Some((port, error.to_string()));
            }
            let stats = slave.stats();
            for (what, traffic) in [("read", &stats.read), ("write", &stats.write)] {
                if traffic.errors() > 0 {
                    return Some((
                        port,
                        format!(
                            "m_axi `{}`: {} {what} burst(s) answered SLVERR and {} DECERR: the kernel accessed memory \
                             outside its buffers ({})",
                            slave.bundle(),
                            traffic.slverr,
                            traffic.decerr,
                            self.layout()
                        ),
                    ));
                }
            }
        }
        None
    }

    /// Where each buffer lives, for error messages.
    fn layout(&self) -> String {
        let placed = self.placed.iter().map(|p| {
            let bundle = self.slaves[p.slave].bundle();
            format!("`{}` on {bundle} at {:#x}, {} bytes", p.name, p.addr, p.elements * p.element_bytes)
        });
        placed.collect::<Vec<_>>().join("; ")
    }

    /// After done: every burst complete, no AXI error. `(port, message)` of the first problem.
    pub fn finish(&self) -> Option<(String, String)> {
        if let Some(problem) = self.check() {
            return Some(problem);
        }
        for slave in &self.slaves {
            if let Err(error) = slave.finish() {
                return Some((format!("m_axi_{}", slave.bundle()), format!("after ap_done: {error}")));
            }
        }
        None
    }

    /// Handshake state of every bundle, for hang reports.
    pub fn state(&self) -> Vec<String> {
        self.slaves.iter().map(AxiSlave::state).collect()
    }

    /// True while any burst is outstanding (the kernel waits on memory).
    pub fn busy(&self) -> bool {
        self.slaves.iter().any(|s| !s.is_idle())
    }

    /// The `out` and `inout` buffers' contents as elements.
    pub fn outputs(&self, outputs: &mut Values) -> Result<(), Error> {
        for p in self.placed.iter().filter(|p| p.output) {
            let buffer = self.slaves[p.slave].memory().buffer(&p.name).ok_or_else(|| Error::Backend {
                backend: "cosim".to_owned(),
                source: format!("kernel `{}`: internal error: buffer `{}` is not mapped", self.kernel, p.name).into(),
            })?;
            let bytes = &buffer.bytes()[..p.elements * p.element_bytes];
            let elements = bytes
                .chunks_exact(p.element_bytes)
                .map(|chunk| {
                    let mut raw = [0u8; 8];
                    raw[..chunk.len()].copy_from_slice(chunk);
                    u64::from_le_bytes(raw)
                })
                .collect();
            outputs.streams.insert(p.name.clone(), elements);
        }
        Ok(())
    }

    /// Per-bundle statistics since the last [`Memories::reset_stats`].
    pub fn reports(&self) -> Vec<MemoryReport> {
        self.slaves.iter().map(|s| report(s.stats(), None)).collect()
    }
}

fn memory_error(kernel: &Kernel, buffer: &BufferArg, error: codesign_sim::axi::MemoryError) -> Error {
    Error::Input { kernel: kernel.name().to_owned(), message: format!("buffer `{}`: {error}", buffer.name) }
}

/// A bundle's statistics as a report, with the memory timing preset served, if named.
pub(crate) fn report(stats: &AxiStats, timing: Option<&str>) -> MemoryReport {
    let traffic = |d: &codesign_sim::axi::AxiDirectionStats| MemoryTraffic {
        bursts: d.bursts,
        beats: d.beats,
        bytes: d.bytes,
        max_burst: d.lengths.keys().next_back().copied().unwrap_or(0),
        mean_burst: d.mean_length(),
        beat_bytes: d.sizes.iter().max_by_key(|(_, n)| **n).map_or(0, |(size, _)| *size),
        errors: d.errors(),
    };
    MemoryReport {
        bundle: stats.bundle.clone(),
        read: traffic(&stats.read),
        write: traffic(&stats.write),
        timing: timing.map(str::to_owned),
    }
}
