//! u-dma-buf (`/dev/udmabufN`): one physically contiguous, cached region carved into buffers.
//!
//! sysfs `<root>/class/u-dma-buf/udmabufN/` gives `phys_addr` (hex) and `size` (decimal);
//! cache maintenance is `sync_offset`, `sync_size`, `sync_direction` (1 to device, 2 from
//! device) then a write of 1 to `sync_for_device` (flush, before MM2S) or `sync_for_cpu`
//! (invalidate, after S2MM).

use std::path::{Path, PathBuf};

use memmap2::MmapOptions;

use super::carve::{CacheSync, Carved};
use super::{sysfs, DeviceError};

/// DMA direction codes of u-dma-buf's `sync_direction`.
const TO_DEVICE: &str = "1";
const FROM_DEVICE: &str = "2";

/// One u-dma-buf region with a bump allocator; the cache kept through sysfs.
pub type UDmaBuf = Carved<SysfsSync>;

/// u-dma-buf's cache maintenance: the `sync_*` attributes of its sysfs class directory.
#[derive(Debug)]
pub struct SysfsSync {
    class_dir: PathBuf,
    key: String,
}

impl CacheSync for SysfsSync {
    fn sync(&mut self, start: usize, len: usize, to_device: bool) -> Result<(), DeviceError> {
        let attr = |name: &str| self.class_dir.join(name);
        let (direction, action) = if to_device { (TO_DEVICE, "sync_for_device") } else { (FROM_DEVICE, "sync_for_cpu") };
        sysfs::write(&attr("sync_offset"), &self.key, &start.to_string())?;
        sysfs::write(&attr("sync_size"), &self.key, &len.to_string())?;
        sysfs::write(&attr("sync_direction"), &self.key, direction)?;
        sysfs::write(&attr(action), &self.key, "1")
    }
}

impl UDmaBuf {
    /// Opens `node` (`/dev/udmabuf0`) and its sysfs attributes under `sysfs_root`.
    pub fn open(sysfs_root: &Path, node: &Path, key: &str) -> Result<Self, DeviceError> {
        let file = super::error::open_node(node, key, false)?;
        let dev = node.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let class_dir = sysfs_root.join("class/u-dma-buf").join(&dev);
        let phys = sysfs::read_hex(&class_dir.join("phys_addr"), key)?;
        let size = sysfs::read_dec(&class_dir.join("size"), key)? as usize;
        // SAFETY: the region is this process's DMA buffer; the only other writer is the DMA
        // engine, whose writes we only read after `sync_for_cpu`.
        let map = unsafe { MmapOptions::new().len(size).map_mut(&file) }.map_err(|e| DeviceError::from_io("mmap", node, key, e))?;
        Ok(Carved::new(map, phys, node.display().to_string(), SysfsSync { class_dir, key: key.to_owned() }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::device::DmaMemory;

    #[test]
    fn carves_aligned_buffers_and_writes_the_sync_attributes() {
        let root = std::env::temp_dir().join(format!("codesign-udmabuf-{}", std::process::id()));
        let class = root.join("sys/class/u-dma-buf/udmabuf0");
        std::fs::create_dir_all(&class).unwrap();
        std::fs::write(class.join("phys_addr"), "0x70000000\n").unwrap();
        std::fs::write(class.join("size"), "16384\n").unwrap();
        let node = root.join("udmabuf0");
        std::fs::write(&node, vec![0u8; 16384]).unwrap();
        let mut mem = UDmaBuf::open(&root.join("sys"), &node, "zynq.buffer").unwrap();
        let a = mem.allocate(100).unwrap();
        let b = mem.allocate(4096).unwrap();
        assert_eq!((a.phys, b.phys), (0x7000_0000, 0x7000_1000));
        mem.write(&b, 4, &[1, 2, 3]).unwrap();
        mem.sync_for_device(&b, 0, 4096).unwrap();
        assert_eq!(std::fs::read_to_string(class.join("sync_offset")).unwrap(), "4096");
        assert_eq!(std::fs::read_to_string(class.join("sync_size")).unwrap(), "4096");
        assert_eq!(std::fs::read_to_string(class.join("sync_direction")).unwrap(), "1");
        assert_eq!(std::fs::read_to_string(class.join("sync_for_device")).unwrap(), "1");
        mem.sync_for_cpu(&a, 0, 100).unwrap();
        assert_eq!(std::fs::read_to_string(class.join("sync_direction")).unwrap(), "2");
        let mut out = [0u8; 3];
        mem.read(&b, 4, &mut out).unwrap();
        assert_eq!(out, [1, 2, 3]);
        assert!(matches!(mem.allocate(16384), Err(DeviceError::OutOfMemory { .. })));
        assert!(matches!(mem.write(&a, 99, &[0, 0]), Err(DeviceError::OutOfRange { .. })));
        mem.free_all();
        assert_eq!(mem.allocate(16384).unwrap().phys, 0x7000_0000);
    }
}
