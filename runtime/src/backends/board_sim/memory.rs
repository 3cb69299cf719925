//! Heap DMA memory with fake physical addresses that checks the cache discipline a cached
//! u-dma-buf needs: the DMA must not read bytes the CPU wrote after the last
//! `sync_for_device`, and the CPU must not read bytes the DMA wrote before `sync_for_cpu`.
//! On a board either mistake is silently stale data; here it is an error.

use crate::device::{check_range, DeviceError, DmaBuffer, DmaMemory};

/// First fake physical address.
const BASE: u64 = 0x1000_0000;
/// Buffers are 4096-aligned with an unmapped page after each (so address bugs decode-error).
const ALIGN: u64 = 4096;

/// Per-byte state bits.
const CPU_DIRTY: u8 = 1;
const DEVICE_FRESH: u8 = 2;

#[derive(Debug)]
struct Region {
    phys: u64,
    data: Vec<u8>,
    state: Vec<u8>,
    /// Answers every DMA access with SLVERR (a test hook for the slave-error path).
    slave_error: bool,
    /// The manifest buffer it holds, when the driver said (`DmaMemory::label`).
    label: Option<String>,
}

impl Region {
    /// `buffer `a`` or `buffer 3`, for messages.
    fn describe(&self, id: usize) -> String {
        match &self.label {
            Some(label) => format!("buffer `{label}`"),
            None => format!("buffer {id}"),
        }
    }
}

/// Why a DMA access failed, as the AXI response would say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BusFault {
    /// No memory at the address (DECERR).
    Decode,
    /// The memory answered SLVERR.
    Slave,
}

/// The simulated memory.
#[derive(Debug)]
pub struct SimMemory {
    regions: Vec<Region>,
    next: u64,
    violation: Option<String>,
}

impl Default for SimMemory {
    fn default() -> Self {
        SimMemory { regions: Vec::new(), next: BASE, violation: None }
    }
}

impl SimMemory {
    /// The first cache-discipline violation by the DMA since the last call, if any.
    pub fn take_violation(&mut self) -> Option<String> {
        self.violation.take()
    }

    /// Records `message` as the violation, unless one is already pending.
    pub fn note_violation(&mut self, message: String) {
        self.violation.get_or_insert(message);
    }

    /// Makes `buffer` answer SLVERR to the DMA.
    pub fn inject_slave_error(&mut self, buffer: &DmaBuffer) {
        if let Some(region) = self.regions.get_mut(buffer.id) {
            region.slave_error = true;
        }
    }

    fn find(&mut self, phys: u64, len: usize) -> Result<(usize, &mut Region), BusFault> {
        let found = self
            .regions
            .iter_mut()
            .enumerate()
            .find(|(_, r)| phys >= r.phys && phys + len as u64 <= r.phys + r.data.len() as u64);
        match found {
            None => Err(BusFault::Decode),
            Some((_, r)) if r.slave_error => Err(BusFault::Slave),
            Some(found) => Ok(found),
        }
    }

    /// The DMA reads `len` bytes at `phys` (MM2S).
    pub fn device_read(&mut self, phys: u64, out: &mut [u8]) -> Result<(), BusFault> {
        self.check_device_read("the DMA", phys, out.len())?;
        let (_, region) = self.find(phys, out.len())?;
        let at = (phys - region.phys) as usize;
        out.copy_from_slice(&region.data[at..at + out.len()]);
        Ok(())
    }

    /// `reader` (a DMA or a kernel's m_axi port) reads `len` bytes at `phys`: records a
    /// violation if the CPU wrote any of them after the last `sync_for_device`.
    pub fn check_device_read(&mut self, reader: &str, phys: u64, len: usize) -> Result<(), BusFault> {
        let (id, region) = self.find(phys, len)?;
        let at = (phys - region.phys) as usize;
        let message = region.state[at..at + len].iter().position(|s| s & CPU_DIRTY != 0).map(|i| {
            format!(
                "{reader} read byte {} of {} (phys {:#x}), which the CPU wrote after the last sync_for_device \
                 (flush before the device reads it)",
                at + i,
                region.describe(id),
                phys + i as u64
            )
        });
        if self.violation.is_none() {
            self.violation = message;
        }
        Ok(())
    }

    /// The CPU's view of `len` bytes of `buffer` from `offset` (what a flush pushes out).
    pub fn bytes(&self, buffer: &DmaBuffer, offset: usize, len: usize) -> Option<&[u8]> {
        self.regions.get(buffer.id)?.data.get(offset..offset.checked_add(len)?)
    }

    /// The DMA writes `data` at `phys` (S2MM).
    pub fn device_write(&mut self, phys: u64, data: &[u8]) -> Result<(), BusFault> {
        let (_, region) = self.find(phys, data.len())?;
        let at = (phys - region.phys) as usize;
        region.data[at..at + data.len()].copy_from_slice(data);
        region.state[at..at + data.len()].iter_mut().for_each(|s| *s = DEVICE_FRESH);
        Ok(())
    }
}

/// Name of the simulated memory in messages.
pub const NAME: &str = "board-sim memory";

impl DmaMemory for SimMemory {
    fn name(&self) -> &str {
        NAME
    }

    fn allocate(&mut self, len: usize) -> Result<DmaBuffer, DeviceError> {
        let phys = self.next;
        self.next = (phys + len as u64).div_ceil(ALIGN) * ALIGN + ALIGN;
        self.regions.push(Region { phys, data: vec![0; len], state: vec![0; len], slave_error: false, label: None });
        Ok(DmaBuffer { id: self.regions.len() - 1, phys, len })
    }

    fn free_all(&mut self) {
        self.regions.clear();
        self.next = BASE;
    }

    fn write(&mut self, buffer: &DmaBuffer, offset: usize, data: &[u8]) -> Result<(), DeviceError> {
        check_range(NAME, buffer, offset, data.len())?;
        let region = region(&mut self.regions, buffer)?;
        region.data[offset..offset + data.len()].copy_from_slice(data);
        region.state[offset..offset + data.len()].iter_mut().for_each(|s| *s = CPU_DIRTY);
        Ok(())
    }

    fn read(&mut self, buffer: &DmaBuffer, offset: usize, out: &mut [u8]) -> Result<(), DeviceError> {
        check_range(NAME, buffer, offset, out.len())?;
        let region = region(&mut self.regions, buffer)?;
        if let Some(i) = region.state[offset..offset + out.len()].iter().position(|s| s & DEVICE_FRESH != 0) {
            return Err(DeviceError::Coherence {
                device: NAME.to_owned(),
                message: format!(
                    "the CPU read byte {} of {} (phys {:#x}), which the device wrote, without sync_for_cpu \
                     (invalidate after the device writes it)",
                    offset + i,
                    region.describe(buffer.id),
                    buffer.phys + (offset + i) as u64
                ),
            });
        }
        out.copy_from_slice(&region.data[offset..offset + out.len()]);
        Ok(())
    }

    fn sync_for_device(&mut self, buffer: &DmaBuffer, offset: usize, len: usize) -> Result<(), DeviceError> {
        check_range(NAME, buffer, offset, len)?;
        let region = region(&mut self.regions, buffer)?;
        region.state[offset..offset + len].iter_mut().for_each(|s| *s &= !CPU_DIRTY);
        Ok(())
    }

    fn sync_for_cpu(&mut self, buffer: &DmaBuffer, offset: usize, len: usize) -> Result<(), DeviceError> {
        check_range(NAME, buffer, offset, len)?;
        let region = region(&mut self.regions, buffer)?;
        region.state[offset..offset + len].iter_mut().for_each(|s| *s &= !DEVICE_FRESH);
        Ok(())
    }

    fn label(&mut self, buffer: &DmaBuffer, name: &str) {
        if let Some(region) = self.regions.get_mut(buffer.id) {
            region.label = Some(name.to_owned());
        }
    }
}

fn region<'r>(regions: &'r mut [Region], buffer: &DmaBuffer) -> Result<&'r mut Region, DeviceError> {
    let size = regions.len() as u64;
    regions.get_mut(buffer.id).ok_or(DeviceError::OutOfRange { device: NAME.to_owned(), offset: buffer.id as u64, len: 0, size })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flush_and_invalidate_order_is_checked() {
        let mut mem = SimMemory::default();
        let a = mem.allocate(8).unwrap();
        let b = mem.allocate(8).unwrap();
        assert!(b.phys >= a.phys + 8 + ALIGN, "a guard page between buffers");
        mem.write(&a, 0, &[1; 8]).unwrap();
        let mut out = [0u8; 4];
        mem.device_read(a.phys, &mut out).unwrap();
        assert!(mem.take_violation().unwrap().contains("sync_for_device"));
        mem.sync_for_device(&a, 0, 8).unwrap();
        mem.device_read(a.phys + 4, &mut out).unwrap();
        assert_eq!((out, mem.take_violation()), ([1; 4], None));
        mem.device_write(b.phys, &[9; 8]).unwrap();
        let err = mem.read(&b, 0, &mut out).unwrap_err().to_string();
        assert!(err.contains("sync_for_cpu"), "{err}");
        mem.sync_for_cpu(&b, 0, 8).unwrap();
        mem.read(&b, 4, &mut out).unwrap();
        assert_eq!(out, [9; 4]);
        assert_eq!(mem.device_read(a.phys + 8, &mut out), Err(BusFault::Decode));
        mem.inject_slave_error(&b);
        assert_eq!(mem.device_write(b.phys, &[0]), Err(BusFault::Slave));
    }
}
