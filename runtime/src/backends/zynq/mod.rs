//! The `zynq` backend: a PYNQ-style board (ZCU104, KV260, PYNQ-Z2). The kernel's
//! s_axi_control over UIO (or /dev/mem), one AXI DMA in simple mode per stream over UIO,
//! stream and `m_axi` buffers in u-dma-buf (or a /dev/mem reserved region), each `m_axi`
//! buffer's physical address written to its pointer registers. The call sequence is [`call::kernel_call`], which board-sim runs
//! against simulated devices in CI.
//!
//! A free-running (ap_ctrl_none) kernel has no s_axi_control: its config may omit
//! `zynq.kernel.uio` and `devmem`, and the call moves only the DMAs ([`free_running`]). A
//! kernel with block control on such a config is a config error naming the missing key.

pub mod buffers;
pub mod call;
pub mod free_running;

use std::time::{Duration, Instant};

use codesign_hw::manifest::BlockProtocol;
use codesign_models::Values;

use crate::config::ZynqConfig;
use crate::device::devmem::DevMem;
use crate::device::reserved::ReservedMemory;
use crate::device::udmabuf::UDmaBuf;
use crate::device::uio::Uio;
use crate::device::{DeviceError, DmaMemory, RegisterAccess};
use crate::driver::hls_block::DoneMode;
use crate::{Backend, Error, Kernel, Outcome, Report};

/// s_axi_control window mapped through /dev/mem (every HLS register map fits).
const DEVMEM_WINDOW: usize = 0x1_0000;

/// An opened board.
pub struct Zynq {
    config: ZynqConfig,
    /// None when the config names no s_axi_control (an ap_ctrl_none kernel needs none).
    control: Option<Box<dyn RegisterAccess>>,
    /// One per manifest stream name (two may map the same node: one DMA, both channels).
    dmas: Vec<(String, Uio)>,
    memory: Box<dyn DmaMemory>,
}

impl std::fmt::Debug for Zynq {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Zynq").field("kernel", &self.config.kernel.name).finish_non_exhaustive()
    }
}

fn device(error: DeviceError) -> Error {
    Error::Backend { backend: "zynq".to_owned(), source: Box::new(error) }
}

impl Zynq {
    /// Opens every node the config names, in config order (kernel, streams, buffer), so a
    /// board that is not there fails at once naming the first missing node and its key.
    pub fn open(config: &ZynqConfig) -> Result<Self, Error> {
        let kernel = &config.kernel;
        let control: Option<Box<dyn RegisterAccess>> = match (&kernel.uio, kernel.devmem) {
            (Some(uio), _) => Some(Box::new(Uio::open(&config.sysfs, uio, kernel.map, "zynq.kernel.uio").map_err(device)?)),
            (None, Some(addr)) => Some(Box::new(
                DevMem::open(std::path::Path::new("/dev/mem"), addr, DEVMEM_WINDOW, "zynq.kernel.devmem").map_err(device)?,
            )),
            // A free-running kernel: checked against the kernel at the call.
            (None, None) => None,
        };
        let mut dmas = Vec::new();
        for (stream, dma) in &config.streams {
            let key = format!("zynq.streams.{stream}.uio");
            dmas.push((stream.clone(), Uio::open(&config.sysfs, &dma.uio, 0, &key).map_err(device)?));
        }
        let memory: Box<dyn DmaMemory> = match (&config.buffer, &config.reserved_memory) {
            (Some(node), _) => Box::new(UDmaBuf::open(&config.sysfs, node, "zynq.buffer").map_err(device)?),
            (None, Some(region)) => Box::new(
                ReservedMemory::open(std::path::Path::new("/dev/mem"), region.phys, region.size as usize, "zynq.reserved-memory")
                    .map_err(device)?,
            ),
            (None, None) => {
                return Err(Error::Config {
                    source_name: "zynq".to_owned(),
                    message: "zynq: give `buffer` (u-dma-buf) or `reserved-memory`".to_owned(),
                })
            }
        };
        Ok(Zynq { config: config.clone(), control, dmas, memory })
    }
}

impl Backend for Zynq {
    fn name(&self) -> &str {
        "zynq"
    }

    fn call(&mut self, kernel: &Kernel, inputs: &Values) -> Result<Outcome, Error> {
        kernel.check_inputs(inputs)?;
        call::check_dma_kernel(self.name(), kernel)?;
        if kernel.name() != self.config.kernel.name {
            return Err(Error::Unsupported {
                backend: self.name().to_owned(),
                ability: format!("kernel `{}` (the bitstream holds `{}`, zynq.kernel.name)", kernel.name(), self.config.kernel.name),
            });
        }
        let free_running = kernel.manifest.control.protocol == BlockProtocol::ApCtrlNone;
        if self.control.is_none() && (!free_running || kernel.manifest.axilite_bundle().is_some()) {
            let what = if free_running { "configuration registers".to_owned() } else { kernel.manifest.control.protocol.as_str().to_owned() };
            return Err(Error::Config {
                source_name: "zynq".to_owned(),
                message: format!(
                    "zynq.kernel: kernel `{}` has {what} on s_axi_control: give `uio` or `devmem` (only an ap_ctrl_none kernel without registers has none)",
                    kernel.name(),
                ),
            });
        }
        let wall = Instant::now();
        // Manifest stream order; every stream must be mapped.
        let mut order = Vec::new();
        for stream in &kernel.manifest.streams {
            let index = self.dmas.iter().position(|(name, _)| name == &stream.name).ok_or_else(|| Error::Config {
                source_name: "zynq".to_owned(),
                message: format!("zynq.streams: no DMA for stream `{}` of kernel `{}`", stream.name, kernel.name()),
            })?;
            order.push(index);
        }
        let length_bits = self.config.streams.values().map(|d| d.length_bits).min().unwrap_or(26);
        let settings = call::CallSettings {
            done: self.config.kernel.done,
            timeout: Duration::from_millis(self.config.timeout_ms),
            length_bits,
            dma_interrupts: self.config.kernel.done == DoneMode::Interrupt,
        };
        // Two streams on one node are two handles on one core: split the borrows by index.
        let mut slots: Vec<Option<&mut Uio>> = self.dmas.iter_mut().map(|(_, u)| Some(u)).collect();
        let mut regs: Vec<&mut dyn RegisterAccess> = Vec::new();
        for index in order {
            let uio = slots[index].take().ok_or_else(|| Error::Config {
                source_name: "zynq".to_owned(),
                message: "zynq.streams: a stream is listed twice".to_owned(),
            })?;
            regs.push(uio);
        }
        let outputs = match &mut self.control {
            Some(control) => call::kernel_call(kernel, inputs, &mut **control, &mut regs, &mut *self.memory, &settings),
            None => free_running::call(kernel, inputs, &mut regs, &mut *self.memory, &settings),
        }
        .map_err(|e| Error::Backend { backend: "zynq".to_owned(), source: Box::new(e) })?;
        Ok(Outcome { outputs, report: Report { wall: wall.elapsed(), ..Report::default() } })
    }
}
