//! A reserved physical region (a `reserved-memory` node of the device tree, kept from the
//! kernel's allocator) mapped through `/dev/mem` opened O_SYNC: the fallback without
//! u-dma-buf. The mapping is uncached, so the cache syncs have nothing to do.

use std::path::Path;

use memmap2::MmapOptions;

use super::carve::{Carved, Uncached};
use super::DeviceError;

/// A `/dev/mem` window carved into buffers (uncached: the syncs only check ranges).
pub type ReservedMemory = Carved<Uncached>;

impl ReservedMemory {
    /// Maps `size` bytes at physical `phys` (page-aligned) of `node` (`/dev/mem`); `key` names
    /// the config entry in errors.
    pub fn open(node: &Path, phys: u64, size: usize, key: &str) -> Result<Self, DeviceError> {
        let page = rustix::param::page_size() as u64;
        if !phys.is_multiple_of(page) {
            return Err(DeviceError::Misaligned { device: format!("{key} ({})", node.display()), offset: phys });
        }
        let file = super::error::open_node(node, key, true)?;
        // SAFETY: the region is reserved for this process's buffers; the only other writer is
        // the kernel's m_axi master, whose writes we read after done.
        let map = unsafe { MmapOptions::new().offset(phys).len(size).map_mut(&file) }
            .map_err(|e| DeviceError::from_io("mmap", node, key, e))?;
        Ok(Carved::new(map, phys, format!("{} @ {phys:#x}", node.display()), Uncached))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::device::DmaMemory;

    #[test]
    fn carves_a_dev_mem_window_at_its_physical_address() {
        let dir = std::env::temp_dir().join(format!("codesign-reserved-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let node = dir.join("mem");
        let page = rustix::param::page_size();
        std::fs::write(&node, vec![0u8; 4 * page]).unwrap();
        let mut mem = ReservedMemory::open(&node, page as u64, 2 * page, "zynq.reserved-memory").unwrap();
        let a = mem.allocate(10).unwrap();
        let b = mem.allocate(10).unwrap();
        assert_eq!((a.phys, b.phys), (page as u64, page as u64 + 4096));
        mem.write(&b, 0, &[7, 8]).unwrap();
        mem.sync_for_device(&b, 0, 2).unwrap();
        drop(mem);
        assert_eq!(&std::fs::read(&node).unwrap()[page + 4096..page + 4098], &[7, 8]);
        let err = ReservedMemory::open(&node, 1, page, "zynq.reserved-memory").unwrap_err().to_string();
        assert!(err.contains("zynq.reserved-memory"), "{err}");
        let missing = ReservedMemory::open(&dir.join("nope"), 0, page, "zynq.reserved-memory").unwrap_err().to_string();
        assert!(missing.contains("nope") && missing.contains("zynq.reserved-memory"), "{missing}");
    }
}
