//! One mapped, physically contiguous region carved into 4096-aligned buffers: the CPU side
//! shared by u-dma-buf and a `/dev/mem` reserved region.

use memmap2::MmapMut;

use super::{check_range, DeviceError, DmaBuffer};

/// Buffers start on page boundaries (DMA alignment, and one buffer per cache line set).
const ALIGN: usize = 4096;

/// A mapped region and the buffers carved from it.
#[derive(Debug)]
pub(crate) struct Carved {
    map: MmapMut,
    /// Physical address of byte 0.
    phys: u64,
    /// Node name for messages.
    pub(crate) name: String,
    next: usize,
    /// (start, len) per buffer id.
    buffers: Vec<(usize, usize)>,
}

impl Carved {
    /// `map`, whose byte 0 is at `phys`, named `name` in messages.
    pub(crate) fn new(map: MmapMut, phys: u64, name: String) -> Self {
        Carved { map, phys, name, next: 0, buffers: Vec::new() }
    }

    pub(crate) fn allocate(&mut self, len: usize) -> Result<DmaBuffer, DeviceError> {
        let start = self.next.div_ceil(ALIGN) * ALIGN;
        let size = self.map.len();
        if start.checked_add(len).is_none_or(|end| end > size) {
            return Err(DeviceError::OutOfMemory {
                device: self.name.clone(),
                requested: len as u64,
                available: size.saturating_sub(start) as u64,
                size: size as u64,
            });
        }
        self.next = start + len;
        self.buffers.push((start, len));
        Ok(DmaBuffer { id: self.buffers.len() - 1, phys: self.phys + start as u64, len })
    }

    pub(crate) fn free_all(&mut self) {
        self.next = 0;
        self.buffers.clear();
    }

    /// Offset in the region of `offset..offset + len` of `buffer`.
    pub(crate) fn span(&self, buffer: &DmaBuffer, offset: usize, len: usize) -> Result<usize, DeviceError> {
        check_range(&self.name, buffer, offset, len)?;
        let &(start, _) = self.buffers.get(buffer.id).ok_or_else(|| DeviceError::OutOfRange {
            device: self.name.clone(),
            offset: offset as u64,
            len: len as u64,
            size: 0,
        })?;
        Ok(start + offset)
    }

    pub(crate) fn write(&mut self, buffer: &DmaBuffer, offset: usize, data: &[u8]) -> Result<(), DeviceError> {
        let at = self.span(buffer, offset, data.len())?;
        self.map[at..at + data.len()].copy_from_slice(data);
        Ok(())
    }

    pub(crate) fn read(&self, buffer: &DmaBuffer, offset: usize, out: &mut [u8]) -> Result<(), DeviceError> {
        let at = self.span(buffer, offset, out.len())?;
        out.copy_from_slice(&self.map[at..at + out.len()]);
        Ok(())
    }
}
