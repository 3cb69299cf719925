//! The `xdma` backend: a PCIe card with the XDMA IP in AXI4-Stream mode. The kernel's
//! s_axi_control on the user BAR (driven by [`HlsBlock`], the same driver as on Zynq), one
//! h2c engine per input stream and one c2h engine per output stream. Each stream moves on its
//! own thread (a write to h2c blocks until the kernel has taken the packet; a read of c2h
//! until TLAST), bounded by the XDMA driver's own timeout; kernel control is bounded by
//! `xdma.timeout-ms`.
//!
//! `m_axi` kernels: the engines in memory-mapped mode instead; every buffer in card memory
//! at an address from `xdma.memory` ([`XdmaCardMemory`]), the call sequenced by the zynq
//! driver's [`kernel_call`] (no stream DMA; syncs are no-ops on card memory).

use std::time::{Duration, Instant};

use codesign_hw::manifest::StreamDirection;
use codesign_models::Values;

use super::zynq::call::{beat_bytes, kernel_call, output_capacity, pack, unpack, CallSettings};
use crate::config::XdmaConfig;
use crate::device::xdma::{HostBuffer, XdmaStream, XdmaUser};
use crate::device::xdma_memory::XdmaCardMemory;
use crate::device::DeviceError;
use crate::driver::hls_block::HlsBlock;
use crate::{Backend, Error, Kernel, Outcome, Report};

/// An opened card.
#[derive(Debug)]
pub struct Xdma {
    config: XdmaConfig,
    user: XdmaUser,
}

fn backend_error(source: impl std::error::Error + Send + Sync + 'static) -> Error {
    Error::Backend { backend: "xdma".to_owned(), source: Box::new(source) }
}

impl Xdma {
    /// Opens the user BAR (and the event node); the stream engines are opened per call, in
    /// stream order, so a missing one is named with its config key.
    pub fn open(config: &XdmaConfig) -> Result<Self, Error> {
        let user = XdmaUser::open(&config.device, config.control_base, config.control_size, config.mmap, config.event, "xdma.device")
            .map_err(backend_error)?;
        Ok(Xdma { config: config.clone(), user })
    }
}

impl Xdma {
    /// An `m_axi` kernel: buffers in card memory, the zynq driver's call sequence.
    fn call_memory_mapped(&mut self, kernel: &Kernel, inputs: &Values) -> Result<Values, Error> {
        if !kernel.manifest.streams.is_empty() {
            return Err(Error::Unsupported {
                backend: "xdma".to_owned(),
                ability: format!(
                    "AXI4-Stream ports and m_axi buffers in one kernel (`{}`): an XDMA IP is in stream or memory-mapped mode",
                    kernel.name()
                ),
            });
        }
        let window = self.config.memory.as_ref().ok_or_else(|| Error::Config {
            source_name: "xdma".to_owned(),
            message: format!(
                "xdma.memory: kernel `{}` has m_axi buffers: give the card memory window ({{ base, size, h2c, c2h }})",
                kernel.name()
            ),
        })?;
        let mut memory = XdmaCardMemory::open(&self.config.device, window.h2c, window.c2h, window.base, window.size, "xdma.memory")
            .map_err(backend_error)?;
        let settings = CallSettings {
            done: self.config.done,
            timeout: Duration::from_millis(self.config.timeout_ms),
            length_bits: 26,
            dma_interrupts: false,
        };
        kernel_call(kernel, inputs, &mut self.user, &mut [], &mut memory, &settings).map_err(backend_error)
    }
}

impl Backend for Xdma {
    fn name(&self) -> &str {
        "xdma"
    }

    fn call(&mut self, kernel: &Kernel, inputs: &Values) -> Result<Outcome, Error> {
        kernel.check_inputs(inputs)?;
        super::zynq::call::check_kernel(self.name(), kernel)?;
        if kernel.name() != self.config.kernel {
            return Err(Error::Unsupported {
                backend: self.name().to_owned(),
                ability: format!("kernel `{}` (the card holds `{}`, xdma.kernel)", kernel.name(), self.config.kernel),
            });
        }
        let wall = Instant::now();
        if !kernel.manifest.buffers.is_empty() {
            let outputs = self.call_memory_mapped(kernel, inputs)?;
            return Ok(Outcome { outputs, report: Report { wall: wall.elapsed(), ..Report::default() } });
        }
        let mut sends = Vec::new();
        let mut receives = Vec::new();
        for stream in &kernel.manifest.streams {
            let key = format!("xdma.streams.{}", stream.name);
            let engine = *self.config.streams.get(&stream.name).ok_or_else(|| Error::Config {
                source_name: "xdma".to_owned(),
                message: format!("{key}: no engine for stream `{}` of kernel `{}`", stream.name, kernel.name()),
            })?;
            let bytes_each = (beat_bytes(stream) / stream.lanes.max(1)) as usize;
            match stream.direction {
                StreamDirection::In => {
                    let bytes = pack(inputs.streams.get(&stream.name).map(Vec::as_slice).unwrap_or(&[]), bytes_each);
                    let mut packet = HostBuffer::zeroed(bytes.len());
                    packet.bytes_mut().copy_from_slice(&bytes);
                    sends.push((XdmaStream::h2c(&self.config.device, engine, &key).map_err(backend_error)?, packet));
                }
                StreamDirection::Out => {
                    let buffer = HostBuffer::zeroed(output_capacity(kernel, inputs, stream, 31)) /* one read() moves < 2^31 bytes */;
                    let c2h = XdmaStream::c2h(&self.config.device, engine, &key).map_err(backend_error)?;
                    receives.push((stream.name.clone(), bytes_each, c2h, buffer));
                }
            }
        }
        let block = HlsBlock::new(&kernel.manifest, self.config.done).map_err(backend_error)?;
        let timeout = Duration::from_millis(self.config.timeout_ms);
        let user = &mut self.user;
        let outputs = std::thread::scope(|scope| -> Result<Values, Error> {
            block.write_args(user, inputs).map_err(backend_error)?;
            let readers: Vec<_> = receives
                .into_iter()
                .map(|(name, bytes_each, mut c2h, mut buffer)| {
                    scope.spawn(move || -> Result<(String, Vec<u64>), DeviceError> {
                        let n = c2h.receive(&mut buffer)?;
                        Ok((name, unpack(&buffer.bytes()[..n], bytes_each)))
                    })
                })
                .collect();
            let writers: Vec<_> =
                sends.into_iter().map(|(mut h2c, packet)| scope.spawn(move || h2c.send(&packet))).collect();
            block.start(user).map_err(backend_error)?;
            block.wait_done(user, timeout).map_err(backend_error)?;
            for writer in writers {
                writer.join().map_err(|_| panicked())?.map_err(backend_error)?;
            }
            let mut outputs = Values::new();
            for reader in readers {
                let (name, elements) = reader.join().map_err(|_| panicked())?.map_err(backend_error)?;
                outputs.streams.insert(name, elements);
            }
            outputs.scalars = block.read_outputs(user).map_err(backend_error)?.scalars;
            Ok(outputs)
        })?;
        Ok(Outcome { outputs, report: Report { wall: wall.elapsed(), ..Report::default() } })
    }
}

fn panicked() -> Error {
    backend_error(DeviceError::Simulation { device: "xdma".to_owned(), message: "a stream thread panicked".to_owned() })
}
