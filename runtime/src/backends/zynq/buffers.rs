//! The `m_axi` side of a call as a driver does it on a board: every manifest buffer in
//! DMA-able (physically contiguous) memory, its physical address written to the pointer's
//! registers, inputs flushed before the start, outputs invalidated and read back after done at
//! the length the manifest's rule gives. Shared by zynq and board-sim (and xdma's card
//! memory, whose syncs are no-ops).

use codesign_hw::manifest::BufferArg;
use codesign_models::Values;

use super::call::{pack, unpack, CallError};
use crate::device::{DmaBuffer, DmaMemory, RegisterAccess};
use crate::Kernel;

/// Buffers are allocated in whole pages, as a driver maps them, so a full-width beat that
/// covers the tail of the data stays inside the buffer.
const PAGE: usize = 4096;

/// A buffer as placed for one call.
#[derive(Debug, Clone)]
pub struct Placed<'k> {
    /// The manifest's buffer.
    pub arg: &'k BufferArg,
    /// Where it lives.
    pub memory: DmaBuffer,
    /// Elements the call uses (the manifest's length rule).
    pub elements: usize,
}

impl Placed<'_> {
    fn element_bytes(&self) -> usize {
        self.arg.element.bits().div_ceil(8) as usize
    }
}

/// Allocates every buffer of `kernel`, writes and flushes the input ones.
pub fn place<'k>(kernel: &'k Kernel, inputs: &Values, memory: &mut dyn DmaMemory) -> Result<Vec<Placed<'k>>, CallError> {
    let mut placed = Vec::with_capacity(kernel.manifest.buffers.len());
    for arg in &kernel.manifest.buffers {
        let elements = kernel.buffer_len(&arg.name, inputs).map_err(|e| CallError::Shape {
            kernel: kernel.name().to_owned(),
            message: e.to_string(),
        })?;
        let element_bytes = arg.element.bits().div_ceil(8) as usize;
        let buffer = memory.allocate((elements * element_bytes).max(1).next_multiple_of(PAGE))?;
        memory.label(&buffer, &arg.name);
        if arg.direction.is_input() {
            let data = inputs.streams.get(&arg.name).map(Vec::as_slice).unwrap_or(&[]);
            let bytes = pack(data, element_bytes);
            memory.write(&buffer, 0, &bytes)?;
            memory.sync_for_device(&buffer, 0, bytes.len())?;
        }
        placed.push(Placed { arg, memory: buffer, elements });
    }
    Ok(placed)
}

/// Writes each buffer's 64-bit physical address to its pointer registers (low word first).
pub fn write_pointers(control: &mut dyn RegisterAccess, placed: &[Placed<'_>]) -> Result<(), CallError> {
    for p in placed {
        let offset = u64::from(p.arg.offset);
        control.write32(offset, p.memory.phys as u32)?;
        control.write32(offset + 4, (p.memory.phys >> 32) as u32)?;
    }
    Ok(())
}

/// After done: invalidates and reads back every `out`/`inout` buffer into `outputs`.
pub fn read_back(memory: &mut dyn DmaMemory, placed: &[Placed<'_>], outputs: &mut Values) -> Result<(), CallError> {
    for p in placed.iter().filter(|p| p.arg.direction.is_output()) {
        let len = p.elements * p.element_bytes();
        memory.sync_for_cpu(&p.memory, 0, len)?;
        let mut bytes = vec![0u8; len];
        memory.read(&p.memory, 0, &mut bytes)?;
        outputs.streams.insert(p.arg.name.clone(), unpack(&bytes, p.element_bytes()));
    }
    Ok(())
}
