//! `/dev/mem`: the fallback when no UIO node exists (needs root). Opened O_SYNC so the
//! mapping is uncached; no interrupt, so drivers must poll.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::mmio::Mmio;
use super::{DeviceError, RegisterAccess};

/// A register window at a physical address through `/dev/mem`.
#[derive(Debug)]
pub struct DevMem {
    regs: Mmio,
    name: String,
    origin: Instant,
    node: PathBuf,
}

impl DevMem {
    /// Maps `size` bytes at physical `addr` from `node` (normally `/dev/mem`).
    pub fn open(node: &Path, addr: u64, size: usize, key: &str) -> Result<Self, DeviceError> {
        let file = super::error::open_node(node, key, true)?;
        let page = rustix::param::page_size() as u64;
        let page_offset = addr - addr % page;
        let regs = Mmio::map(&file, page_offset, (addr - page_offset) as usize, size, node, key)?;
        Ok(DevMem { regs, name: format!("{} @ {addr:#x}", node.display()), origin: Instant::now(), node: node.to_owned() })
    }

    /// The node mapped.
    pub fn node(&self) -> &Path {
        &self.node
    }
}

impl RegisterAccess for DevMem {
    fn name(&self) -> &str {
        &self.name
    }

    fn read32(&mut self, offset: u64) -> Result<u32, DeviceError> {
        self.regs.read32(offset)
    }

    fn write32(&mut self, offset: u64, value: u32) -> Result<(), DeviceError> {
        self.regs.write32(offset, value)
    }

    fn wait_interrupt(&mut self, _timeout: Duration) -> Result<bool, DeviceError> {
        Err(DeviceError::NoInterrupt { device: self.name.clone() })
    }

    fn now(&self) -> Duration {
        self.origin.elapsed()
    }

    fn between_polls(&mut self) {
        std::thread::sleep(Duration::from_micros(5));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_an_unaligned_physical_address_inside_its_page() {
        let dir = std::env::temp_dir().join(format!("codesign-devmem-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let node = dir.join("mem");
        let page = rustix::param::page_size();
        std::fs::write(&node, vec![0u8; 3 * page]).unwrap();
        let addr = (page + 0x100) as u64;
        let mut regs = DevMem::open(&node, addr, 0x40, "zynq.kernel.devmem").unwrap();
        regs.write32(0x4, 7).unwrap();
        assert_eq!(regs.read32(0x4).unwrap(), 7);
        assert!(matches!(regs.wait_interrupt(Duration::from_millis(1)), Err(DeviceError::NoInterrupt { .. })));
        drop(regs);
        let bytes = std::fs::read(&node).unwrap();
        assert_eq!(bytes[page + 0x104], 7);
    }
}
