//! UIO (`/dev/uioN`): register regions mapped from the node, the interrupt by read/poll.
//!
//! Region M is described in `<sysfs>/class/uio/uioN/maps/mapM/{addr,size,offset}` and mapped
//! at mmap offset M * page size (the page size comes from the OS, never a constant 4096).
//! Interrupts: writing a 4-byte native-endian 1 re-enables the line (uio_pdrv_genirq masks it
//! after each one); a 4-byte read returns the interrupt count; poll() bounds the wait.

use std::fs::File;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::mmio::Mmio;
use super::{sysfs, timespec, DeviceError, RegisterAccess};

/// One UIO region with the node's interrupt.
#[derive(Debug)]
pub struct Uio {
    file: File,
    regs: Mmio,
    node: PathBuf,
    name: String,
    key: String,
    origin: Instant,
    /// Physical address of the region (sysfs `addr`), for messages.
    pub phys: u64,
}

/// What sysfs says about one region.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UioMap {
    /// Physical address.
    pub addr: u64,
    /// Size in bytes.
    pub size: u64,
    /// Offset of the registers within the first mapped page.
    pub offset: u64,
}

/// Reads region `map` of `node` (`/dev/uio4` -> `<sysfs>/class/uio/uio4/maps/map<M>/`).
pub fn read_map(sysfs_root: &Path, node: &Path, map: u32, key: &str) -> Result<UioMap, DeviceError> {
    let dev = node.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let dir = sysfs_root.join("class/uio").join(&dev).join("maps").join(format!("map{map}"));
    let offset_path = dir.join("offset");
    Ok(UioMap {
        addr: sysfs::read_hex(&dir.join("addr"), key)?,
        size: sysfs::read_hex(&dir.join("size"), key)?,
        // Old kernels have no `offset`: the region then starts on its page.
        offset: if offset_path.exists() { sysfs::read_hex(&offset_path, key)? } else { 0 },
    })
}

impl Uio {
    /// Opens `node` (checked first, so a missing board is NotFound naming it) and maps region
    /// `map` as sysfs under `sysfs_root` describes it. `key` is the config key of the node.
    pub fn open(sysfs_root: &Path, node: &Path, map: u32, key: &str) -> Result<Self, DeviceError> {
        let file = super::error::open_node(node, key, false)?;
        let region = read_map(sysfs_root, node, map, key)?;
        let page = rustix::param::page_size() as u64;
        let regs = Mmio::map(&file, u64::from(map) * page, region.offset as usize, region.size as usize, node, key)?;
        Ok(Uio {
            file,
            regs,
            node: node.to_owned(),
            name: node.display().to_string(),
            key: key.to_owned(),
            origin: Instant::now(),
            phys: region.addr,
        })
    }

    /// Size of the mapped region.
    pub fn size(&self) -> usize {
        self.regs.size()
    }

    fn io(&self, op: &'static str) -> impl FnOnce(std::io::Error) -> DeviceError + '_ {
        move |e| DeviceError::from_io(op, &self.node, &self.key, e)
    }
}

impl RegisterAccess for Uio {
    fn name(&self) -> &str {
        &self.name
    }

    fn read32(&mut self, offset: u64) -> Result<u32, DeviceError> {
        self.regs.read32(offset)
    }

    fn write32(&mut self, offset: u64, value: u32) -> Result<(), DeviceError> {
        self.regs.write32(offset, value)
    }

    fn wait_interrupt(&mut self, timeout: Duration) -> Result<bool, DeviceError> {
        (&self.file).write_all(&1u32.to_ne_bytes()).map_err(self.io("re-enable the interrupt of"))?;
        let mut fds = [rustix::event::PollFd::new(&self.file, rustix::event::PollFlags::IN)];
        let timespec = timespec(timeout);
        let ready = rustix::event::poll(&mut fds, Some(&timespec)).map_err(|e| self.io("poll")(e.into()))?;
        if ready == 0 {
            return Ok(false);
        }
        let mut count = [0u8; 4];
        (&self.file).read_exact(&mut count).map_err(self.io("read the interrupt count of"))?;
        Ok(true)
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

    /// A fake sysfs tree and a regular file standing in for /dev/uio0 (two regions).
    fn fake(name: &str) -> (PathBuf, PathBuf) {
        let root = std::env::temp_dir().join(format!("codesign-uio-{}-{name}", std::process::id()));
        let page = rustix::param::page_size();
        for (m, addr, size, offset) in [(0, "0x43c00000", "0x00010000", "0x0"), (1, "0x40400000", "0x1000", "0x40")] {
            let dir = root.join(format!("sys/class/uio/uio0/maps/map{m}"));
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(dir.join("addr"), format!("{addr}\n")).unwrap();
            std::fs::write(dir.join("size"), format!("{size}\n")).unwrap();
            std::fs::write(dir.join("offset"), format!("{offset}\n")).unwrap();
        }
        let node = root.join("uio0");
        std::fs::write(&node, vec![0u8; 2 * page + 0x10000]).unwrap();
        (root.join("sys"), node)
    }

    #[test]
    fn maps_region_m_at_m_pages_with_its_offset() {
        let (sys, node) = fake("maps");
        assert_eq!(read_map(&sys, &node, 0, "k").unwrap(), UioMap { addr: 0x43c0_0000, size: 0x10000, offset: 0 });
        let mut dma = Uio::open(&sys, &node, 1, "zynq.streams.a.uio").unwrap();
        assert_eq!((dma.phys, dma.size()), (0x4040_0000, 0x1000));
        dma.write32(0x30, 0x1234_5678).unwrap();
        drop(dma);
        let page = rustix::param::page_size();
        let bytes = std::fs::read(&node).unwrap();
        let at = page + 0x40 + 0x30;
        assert_eq!(&bytes[at..at + 4], &0x1234_5678u32.to_ne_bytes());
    }

    #[test]
    fn a_missing_node_names_itself_and_the_key() {
        let (sys, node) = fake("missing");
        let err = Uio::open(&sys, &node.with_file_name("uio7"), 0, "zynq.kernel.uio").unwrap_err().to_string();
        assert!(err.starts_with("device not found: ") && err.contains("uio7") && err.contains("zynq.kernel.uio"), "{err}");
        let err = Uio::open(&sys, Path::new("/dev/uio_codesign_none"), 0, "zynq.kernel.uio").unwrap_err();
        assert!(matches!(err, DeviceError::NotFound { .. }), "{err}");
    }
}
