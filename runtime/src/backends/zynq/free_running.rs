//! A free-running (ap_ctrl_none) stream kernel between AXI DMAs, the most common Zynq
//! deployment of an HLS stream kernel: MM2S -> kernel -> S2MM (PG021, simple mode). There is
//! no ap_start and no ap_done: the kernel runs from reset on; its configuration registers, if
//! it has any, are written before the DMAs start ([`super::call::kernel_call`]).
//!
//! Order: input buffers filled and flushed; every DMA instance soft-reset; S2MM armed with
//! the buffer capacity; MM2S started; each channel's Idle (bounded by the timeout: an S2MM
//! goes Idle when the kernel's output packet closes); S2MM byte counts; invalidate; unpack.
//!
//! In simple mode S2MM completes a transfer only on TLAST, so every output must end on TLAST
//! (`end: tlast`); an output ended by a count, another stream's length or idle cycles has
//! nothing that would end the transfer, and [`check`] refuses it.

use codesign_hw::manifest::{EndRule, StreamDirection};
use codesign_models::Values;

use super::call::{receive_streams, refuse_bare_ports, stage_streams, start_streams, CallError, CallSettings};
use crate::device::{DmaMemory, RegisterAccess};
use crate::{Error, Kernel};

/// Checks that a free-running `kernel` can run between AXI DMAs: streams and input registers
/// (no bare scalars, no `m_axi` buffers), every output ending on TLAST.
pub(crate) fn check(backend: &str, kernel: &Kernel) -> Result<(), Error> {
    let unsupported = |ability: String| Error::Unsupported { backend: backend.to_owned(), ability };
    refuse_bare_ports(backend, kernel)?;
    if let Some(buffer) = kernel.manifest.buffers.first() {
        return Err(unsupported(format!(
            "m_axi buffer `{}` of ap_ctrl_none kernel `{}`: its address would live in s_axi_control, \
             which a free-running kernel does not have; run it on cosim",
            buffer.name,
            kernel.name()
        )));
    }
    for stream in kernel.manifest.streams.iter().filter(|s| s.direction == StreamDirection::Out) {
        let end = match &stream.end {
            Some(EndRule::Tlast) => continue,
            Some(EndRule::Count(n)) => format!("`end: {{ count: {n} }}`"),
            Some(EndRule::SameAs { input, .. }) => format!("`end: {{ same-as: {input} }}`"),
            Some(EndRule::Idle(k)) => format!("`end: {{ idle: {k} }}`"),
            None => "no `end` rule".to_owned(),
        };
        return Err(unsupported(format!(
            "output stream `{}` of ap_ctrl_none kernel `{}` with {end}: an AXI DMA's S2MM (PG021, simple mode) \
             completes a transfer only on TLAST, so nothing would end the call; run it on cosim",
            stream.name,
            kernel.name()
        )));
    }
    kernel.require_axis_ports(backend)
}

/// Runs one call of free-running `kernel` on `inputs`; `dmas` as for
/// [`kernel_call`](super::call::kernel_call).
pub fn call(
    kernel: &Kernel,
    inputs: &Values,
    dmas: &mut [&mut dyn RegisterAccess],
    memory: &mut dyn DmaMemory,
    settings: &CallSettings,
) -> Result<Values, CallError> {
    let buffers = stage_streams(kernel, inputs, dmas, memory, settings)?;
    start_streams(kernel, dmas, &buffers, settings)?;
    receive_streams(kernel, dmas, &buffers, memory, settings)
}
