//! One mapped, physically contiguous region carved into 4096-aligned buffers, as
//! [`DmaMemory`]: the CPU side shared by u-dma-buf and a `/dev/mem` reserved region, which
//! differ only in their cache maintenance ([`CacheSync`]).

use memmap2::MmapMut;

use super::{check_range, DeviceError, DmaBuffer, DmaMemory};

/// How a region's cache is maintained: `start..start + len` of the region, flushed
/// (`to_device`) or invalidated.
pub trait CacheSync: std::fmt::Debug {
    /// Flushes or invalidates the bytes.
    fn sync(&mut self, start: usize, len: usize, to_device: bool) -> Result<(), DeviceError>;
}

/// An uncached mapping: nothing to flush or invalidate.
#[derive(Debug)]
pub struct Uncached;

impl CacheSync for Uncached {
    fn sync(&mut self, _start: usize, _len: usize, _to_device: bool) -> Result<(), DeviceError> {
        Ok(())
    }
}

/// Buffers start on page boundaries (DMA alignment, and one buffer per cache line set).
const ALIGN: usize = 4096;

/// A mapped region and the buffers carved from it.
#[derive(Debug)]
pub struct Carved<S> {
    map: MmapMut,
    /// Physical address of byte 0.
    phys: u64,
    /// Node name for messages.
    pub(crate) name: String,
    next: usize,
    /// (start, len) per buffer id.
    buffers: Vec<(usize, usize)>,
    cache: S,
}

impl<S: CacheSync> Carved<S> {
    /// `map`, whose byte 0 is at `phys`, named `name` in messages, its cache kept by `cache`.
    pub(crate) fn new(map: MmapMut, phys: u64, name: String, cache: S) -> Self {
        Carved { map, phys, name, next: 0, buffers: Vec::new(), cache }
    }

    /// Offset in the region of `offset..offset + len` of `buffer`.
    fn span(&self, buffer: &DmaBuffer, offset: usize, len: usize) -> Result<usize, DeviceError> {
        check_range(&self.name, buffer, offset, len)?;
        let &(start, _) = self.buffers.get(buffer.id).ok_or_else(|| DeviceError::OutOfRange {
            device: self.name.clone(),
            offset: offset as u64,
            len: len as u64,
            size: 0,
        })?;
        Ok(start + offset)
    }
}

impl<S: CacheSync> DmaMemory for Carved<S> {
    fn name(&self) -> &str {
        &self.name
    }

    fn allocate(&mut self, len: usize) -> Result<DmaBuffer, DeviceError> {
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

    fn free_all(&mut self) {
        self.next = 0;
        self.buffers.clear();
    }

    fn write(&mut self, buffer: &DmaBuffer, offset: usize, data: &[u8]) -> Result<(), DeviceError> {
        let at = self.span(buffer, offset, data.len())?;
        self.map[at..at + data.len()].copy_from_slice(data);
        Ok(())
    }

    fn read(&mut self, buffer: &DmaBuffer, offset: usize, out: &mut [u8]) -> Result<(), DeviceError> {
        let at = self.span(buffer, offset, out.len())?;
        out.copy_from_slice(&self.map[at..at + out.len()]);
        Ok(())
    }

    fn sync_for_device(&mut self, buffer: &DmaBuffer, offset: usize, len: usize) -> Result<(), DeviceError> {
        let start = self.span(buffer, offset, len)?;
        self.cache.sync(start, len, true)
    }

    fn sync_for_cpu(&mut self, buffer: &DmaBuffer, offset: usize, len: usize) -> Result<(), DeviceError> {
        let start = self.span(buffer, offset, len)?;
        self.cache.sync(start, len, false)
    }
}
