//! One kernel call as the zynq driver does it, over any [`RegisterAccess`] and
//! [`DmaMemory`]: the board's UIO + u-dma-buf, or board-sim's RTL register file, DMA model
//! and heap memory. This is the code board-sim exists to test.
//!
//! Order: stream buffers and `m_axi` buffers ([`super::buffers`]) filled and flushed; every
//! DMA instance soft-reset; S2MM armed with the buffer capacity; MM2S started; arguments and
//! buffer pointers; ap_start; done (poll or interrupt); each channel's Idle; S2MM byte counts;
//! invalidate; outputs unpacked (streams and `m_axi` buffers); output scalars. A free-running
//! (ap_ctrl_none) kernel skips every control step ([`super::free_running`]).

use std::time::Duration;

use codesign_hw::manifest::{BlockProtocol, StreamDirection, StreamPort};
use codesign_models::Values;

use crate::device::{DeviceError, DmaBuffer, DmaMemory, RegisterAccess};
use crate::driver::axi_dma::{AxiDma, Channel, DmaError};
use crate::driver::hls_block::{DoneMode, HlsBlock, HlsError};
use crate::{Error, Kernel};

/// Checks that a board driver that always drives s_axi_control (xdma, xrt) can run
/// `kernel`: it needs a start/done. Streams and `m_axi` buffers may mix; which of them a
/// backend can serve it checks itself. zynq and board-sim check with [`check_dma_kernel`].
pub(crate) fn check_kernel(backend: &str, kernel: &Kernel) -> Result<(), Error> {
    if kernel.manifest.control.protocol == BlockProtocol::ApCtrlNone {
        return Err(Error::Unsupported {
            backend: backend.to_owned(),
            ability: format!(
                "block protocol ap_ctrl_none (kernel `{}`): a free-running stream kernel needs only the DMA \
                 cores, but this backend always drives s_axi_control; run it on cosim",
                kernel.name()
            ),
        });
    }
    refuse_bare_ports(backend, kernel)?;
    kernel.require_axis_ports(backend)
}

/// What the zynq driver runs: [`check_kernel`]'s kernels, and free-running (ap_ctrl_none)
/// ones between AXI DMAs ([`free_running::check`](super::free_running::check)).
pub(crate) fn check_dma_kernel(backend: &str, kernel: &Kernel) -> Result<(), Error> {
    if kernel.manifest.control.protocol == BlockProtocol::ApCtrlNone {
        return super::free_running::check(backend, kernel);
    }
    check_kernel(backend, kernel)
}

/// Bare block ports (ap_ctrl_hs/chain without s_axilite) and scalars on their own ports: a
/// processor reaches neither.
pub(crate) fn refuse_bare_ports(backend: &str, kernel: &Kernel) -> Result<(), Error> {
    let m = &kernel.manifest;
    if m.bare_control() || m.args.iter().any(|a| a.register().is_none()) {
        return Err(Error::Unsupported {
            backend: backend.to_owned(),
            ability: format!(
                "bare block or scalar ports (kernel `{}`, {}): a processor reaches a kernel only through \
                 s_axilite; a board needs a wrapper that puts them in a register map",
                kernel.name(),
                m.control.protocol.as_str()
            ),
        });
    }
    Ok(())
}

/// What the call needs to know besides the kernel and its devices.
#[derive(Debug, Clone, Copy)]
pub struct CallSettings {
    /// How ap_done is awaited.
    pub done: DoneMode,
    /// Bound of every wait, on the device's clock.
    pub timeout: Duration,
    /// Width of the DMA cores' LENGTH registers.
    pub length_bits: u32,
    /// Whether the DMA interrupts are enabled (UIO waits on them).
    pub dma_interrupts: bool,
}

/// A failed call, by layer.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CallError {
    /// Kernel control.
    #[error(transparent)]
    Hls(#[from] HlsError),
    /// A DMA channel, named by the stream it serves.
    #[error("stream `{stream}`: {source}")]
    Dma {
        /// Manifest stream.
        stream: String,
        /// The driver's error.
        source: DmaError,
    },
    /// DMA memory.
    #[error(transparent)]
    Device(#[from] DeviceError),
    /// The kernel's streams do not fit a DMA (element layout, byte counts).
    #[error("kernel `{kernel}`: {message}")]
    Shape {
        /// Kernel.
        kernel: String,
        /// What does not fit.
        message: String,
    },
}

/// Bytes per element of a stream (elements are whole bytes: 8/16/32/64 bits).
fn element_bytes(stream: &StreamPort) -> usize {
    stream.element.bits().div_ceil(8) as usize
}

/// Bytes per beat: the DMA's stream width for this port.
pub fn beat_bytes(stream: &StreamPort) -> u32 {
    (element_bytes(stream) * stream.lanes as usize) as u32
}

/// Elements as little-endian bytes, packed (lanes of a beat are consecutive elements).
pub fn pack(elements: &[u64], bytes_each: usize) -> Vec<u8> {
    elements.iter().flat_map(|e| e.to_le_bytes().into_iter().take(bytes_each)).collect()
}

/// The inverse of [`pack`].
pub fn unpack(bytes: &[u8], bytes_each: usize) -> Vec<u64> {
    bytes
        .chunks_exact(bytes_each)
        .map(|chunk| chunk.iter().rev().fold(0u64, |acc, &b| (acc << 8) | u64::from(b)))
        .collect()
}

/// Output buffer size: room for at least [`MIN_OUTPUT_ELEMENTS`](crate::backends::MIN_OUTPUT_ELEMENTS) elements or as many as the
/// longest input stream (kernels such as gemm write more than they read), rounded up to whole
/// beats, but never more than one transfer can carry (2^length_bits - 1 bytes). A kernel that
/// writes more shows up as [`DmaError::PacketTooLong`], never as memory corruption.
pub fn output_capacity(kernel: &Kernel, inputs: &Values, stream: &StreamPort, length_bits: u32) -> usize {
    let longest = kernel.manifest.inputs().filter_map(|s| inputs.streams.get(&s.name)).map(Vec::len).max().unwrap_or(0);
    let lanes = stream.lanes.max(1) as usize;
    let beat = beat_bytes(stream) as usize;
    let wanted = longest.max(crate::backends::MIN_OUTPUT_ELEMENTS).div_ceil(lanes) * beat;
    let transfer_max = ((1usize << length_bits.min(40)) - 1) / beat * beat;
    wanted.min(transfer_max).max(beat)
}

fn dma_error(stream: &StreamPort) -> impl FnOnce(DmaError) -> CallError + '_ {
    move |source| CallError::Dma { stream: stream.name.clone(), source }
}

/// Runs one call of `kernel` on `inputs`. `dmas[i]` is the DMA instance serving the
/// manifest's stream `i` (MM2S for inputs, S2MM for outputs; two streams may share one);
/// `m_axi` buffers live in `memory` too. A free-running (ap_ctrl_none) kernel is run by
/// [`free_running::call`](super::free_running::call), after its configuration registers (if
/// any) are written through `control`.
pub fn kernel_call(
    kernel: &Kernel,
    inputs: &Values,
    control: &mut dyn RegisterAccess,
    dmas: &mut [&mut dyn RegisterAccess],
    memory: &mut dyn DmaMemory,
    settings: &CallSettings,
) -> Result<Values, CallError> {
    if kernel.manifest.control.protocol == BlockProtocol::ApCtrlNone {
        // Configuration registers first: the kernel runs from reset and reads them as data comes.
        crate::driver::hls_block::write_register_args(&kernel.manifest, control, inputs)?;
        return super::free_running::call(kernel, inputs, dmas, memory, settings);
    }
    let block = HlsBlock::new(&kernel.manifest, settings.done)?;
    let buffers = stage_streams(kernel, inputs, dmas, memory, settings)?;
    let placed = super::buffers::place(kernel, inputs, memory)?;
    start_streams(kernel, dmas, &buffers, settings)?;

    block.write_args(control, inputs)?;
    super::buffers::write_pointers(control, &placed)?;
    block.start(control)?;
    block.wait_done(control, settings.timeout)?;

    let mut outputs = receive_streams(kernel, dmas, &buffers, memory, settings)?;
    super::buffers::read_back(memory, &placed, &mut outputs)?;
    outputs.scalars = block.read_outputs(control)?.scalars;
    Ok(outputs)
}

/// One stream's DMA buffer and the bytes its transfer moves (inputs) or may take (outputs).
pub(crate) type StreamBuffer = (DmaBuffer, u64);

/// Frees the previous call's memory, then allocates a buffer per stream: inputs packed and
/// flushed, outputs sized by [`output_capacity`].
pub(crate) fn stage_streams(
    kernel: &Kernel,
    inputs: &Values,
    dmas: &[&mut dyn RegisterAccess],
    memory: &mut dyn DmaMemory,
    settings: &CallSettings,
) -> Result<Vec<StreamBuffer>, CallError> {
    let streams = &kernel.manifest.streams;
    if dmas.len() != streams.len() {
        return Err(CallError::Shape {
            kernel: kernel.name().to_owned(),
            message: format!("{} streams but {} DMA channels", streams.len(), dmas.len()),
        });
    }
    memory.free_all();
    let mut buffers = Vec::with_capacity(streams.len());
    for stream in streams {
        let buffer = match stream.direction {
            StreamDirection::In => {
                let bytes = pack(inputs.streams.get(&stream.name).map(Vec::as_slice).unwrap_or(&[]), element_bytes(stream));
                let buffer = memory.allocate(bytes.len())?;
                memory.write(&buffer, 0, &bytes)?;
                memory.sync_for_device(&buffer, 0, bytes.len())?;
                buffer
            }
            StreamDirection::Out => memory.allocate(output_capacity(kernel, inputs, stream, settings.length_bits))?,
        };
        buffers.push((buffer, buffer.len as u64));
    }
    Ok(buffers)
}

fn core(stream: &StreamPort, settings: &CallSettings) -> AxiDma {
    AxiDma { length_bits: settings.length_bits, data_bytes: beat_bytes(stream), interrupts: settings.dma_interrupts }
}

/// Soft-resets every DMA instance, arms each S2MM with its buffer's capacity, then starts
/// each MM2S.
pub(crate) fn start_streams(
    kernel: &Kernel,
    dmas: &mut [&mut dyn RegisterAccess],
    buffers: &[StreamBuffer],
    settings: &CallSettings,
) -> Result<(), CallError> {
    let streams = &kernel.manifest.streams;
    // Calls are independent: reset every instance (both channels) before any starts.
    for (stream, dma) in streams.iter().zip(dmas.iter_mut()) {
        core(stream, settings).reset(*dma, settings.timeout).map_err(dma_error(stream))?;
    }
    // Outputs armed first, so the kernel never waits on an unarmed S2MM.
    for pass in [StreamDirection::Out, StreamDirection::In] {
        for ((stream, dma), (buffer, bytes)) in streams.iter().zip(dmas.iter_mut()).zip(buffers) {
            if stream.direction != pass {
                continue;
            }
            let channel = channel_of(stream);
            let core = core(stream, settings);
            core.run(*dma, channel, settings.timeout).map_err(dma_error(stream))?;
            core.transfer(*dma, channel, buffer.phys, *bytes).map_err(dma_error(stream))?;
        }
    }
    Ok(())
}

/// Waits (bounded) for every channel's Idle in manifest order, then reads each S2MM byte
/// count, invalidates and unpacks the outputs.
pub(crate) fn receive_streams(
    kernel: &Kernel,
    dmas: &mut [&mut dyn RegisterAccess],
    buffers: &[StreamBuffer],
    memory: &mut dyn DmaMemory,
    settings: &CallSettings,
) -> Result<Values, CallError> {
    let mut outputs = Values::new();
    for ((stream, dma), (buffer, bytes)) in kernel.manifest.streams.iter().zip(dmas.iter_mut()).zip(buffers) {
        let moved = core(stream, settings).wait(*dma, channel_of(stream), *bytes, settings.timeout).map_err(dma_error(stream))?;
        if stream.direction == StreamDirection::Out {
            let moved = moved as usize;
            if moved > buffer.len || !moved.is_multiple_of(element_bytes(stream)) {
                return Err(CallError::Shape {
                    kernel: kernel.name().to_owned(),
                    message: format!(
                        "stream `{}`: S2MM reports {moved} bytes, not a whole number of {}-byte elements within the {}-byte buffer",
                        stream.name,
                        element_bytes(stream),
                        buffer.len
                    ),
                });
            }
            memory.sync_for_cpu(buffer, 0, moved)?;
            let mut bytes = vec![0u8; moved];
            memory.read(buffer, 0, &mut bytes)?;
            outputs.streams.insert(stream.name.clone(), unpack(&bytes, element_bytes(stream)));
        }
    }
    Ok(outputs)
}

/// MM2S feeds a kernel input, S2MM drains a kernel output.
pub fn channel_of(stream: &StreamPort) -> Channel {
    match stream.direction {
        StreamDirection::In => Channel::Mm2s,
        StreamDirection::Out => Channel::S2mm,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pack_and_unpack_are_inverse_little_endian() {
        let elements = [0x1234u64, 0xfffe, 0];
        let bytes = pack(&elements, 2);
        assert_eq!(bytes, [0x34, 0x12, 0xfe, 0xff, 0, 0]);
        assert_eq!(unpack(&bytes, 2), elements);
        assert_eq!(unpack(&pack(&[u64::MAX, 1], 8), 8), [u64::MAX, 1]);
    }
}
