//! Card memory behind an XDMA IP in memory-mapped mode (the Alveo DDR banks a kernel's
//! `m_axi` ports reach), as conifer's U200 flow uses it: buffers at card addresses from a
//! window the config names, moved with `pwrite` on `<prefix>_h2c_N` and `pread` on
//! `<prefix>_c2h_N` at the card address (the file position is the AXI address). The host
//! never caches card memory, so the syncs only check ranges.

use std::fs::File;
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};

use super::xdma::{node, MAX_PER_SYSCALL};
use super::{check_range, DeviceError, DmaBuffer, DmaMemory};

/// Card buffers start on 4 KiB boundaries (an AXI burst never crosses one).
const ALIGN: u64 = 4096;

/// A window of card memory carved into buffers, with the two engines that reach it.
#[derive(Debug)]
pub struct XdmaCardMemory {
    h2c: (File, PathBuf),
    c2h: (File, PathBuf),
    key: String,
    name: String,
    base: u64,
    size: u64,
    next: u64,
    /// Card address per buffer id.
    buffers: Vec<u64>,
}

impl XdmaCardMemory {
    /// Opens `<prefix>_h2c_<h2c>` and `<prefix>_c2h_<c2h>` (memory-mapped engines) for the
    /// card window `base..base + size`; `key` names the config entry in errors.
    pub fn open(prefix: &Path, h2c: u32, c2h: u32, base: u64, size: u64, key: &str) -> Result<Self, DeviceError> {
        let open = |what: String, write: bool| -> Result<(File, PathBuf), DeviceError> {
            let path = node(prefix, &what);
            let file = std::fs::OpenOptions::new()
                .read(!write)
                .write(write)
                .open(&path)
                .map_err(|e| DeviceError::from_io("open", &path, key, e))?;
            Ok((file, path))
        };
        Ok(XdmaCardMemory {
            h2c: open(format!("h2c_{h2c}"), true)?,
            c2h: open(format!("c2h_{c2h}"), false)?,
            key: key.to_owned(),
            name: format!("{} card memory {base:#x}+{size:#x}", prefix.display()),
            base,
            size,
            next: base,
            buffers: Vec::new(),
        })
    }

    fn address(&self, buffer: &DmaBuffer, offset: usize, len: usize) -> Result<u64, DeviceError> {
        check_range(&self.name, buffer, offset, len)?;
        let start = self.buffers.get(buffer.id).copied().ok_or_else(|| DeviceError::OutOfRange {
            device: self.name.clone(),
            offset: buffer.id as u64,
            len: 0,
            size: self.buffers.len() as u64,
        })?;
        Ok(start + offset as u64)
    }

    fn short(&self, node: &Path, op: &str, done: usize, wanted: usize) -> DeviceError {
        DeviceError::Simulation {
            device: node.display().to_string(),
            message: format!("short {op}: {done} of {wanted} bytes (engine timeout, or outside the card's memory?)"),
        }
    }
}

impl DmaMemory for XdmaCardMemory {
    fn name(&self) -> &str {
        &self.name
    }

    fn allocate(&mut self, len: usize) -> Result<DmaBuffer, DeviceError> {
        let start = self.next.next_multiple_of(ALIGN);
        let end = self.base + self.size;
        if start.checked_add(len as u64).is_none_or(|last| last > end) {
            return Err(DeviceError::OutOfMemory {
                device: self.name.clone(),
                requested: len as u64,
                available: end.saturating_sub(start),
                size: self.size,
            });
        }
        self.next = start + len as u64;
        self.buffers.push(start);
        Ok(DmaBuffer { id: self.buffers.len() - 1, phys: start, len })
    }

    fn free_all(&mut self) {
        self.next = self.base;
        self.buffers.clear();
    }

    fn write(&mut self, buffer: &DmaBuffer, offset: usize, data: &[u8]) -> Result<(), DeviceError> {
        let mut at = self.address(buffer, offset, data.len())?;
        let (file, path) = &self.h2c;
        for chunk in data.chunks(MAX_PER_SYSCALL) {
            let n = file.write_at(chunk, at).map_err(|e| DeviceError::from_io("write", path, &self.key, e))?;
            if n != chunk.len() {
                return Err(self.short(path, "write", n, chunk.len()));
            }
            at += n as u64;
        }
        Ok(())
    }

    fn read(&mut self, buffer: &DmaBuffer, offset: usize, out: &mut [u8]) -> Result<(), DeviceError> {
        let mut at = self.address(buffer, offset, out.len())?;
        let (file, path) = &self.c2h;
        for chunk in out.chunks_mut(MAX_PER_SYSCALL) {
            let wanted = chunk.len();
            let n = file.read_at(chunk, at).map_err(|e| DeviceError::from_io("read", path, &self.key, e))?;
            if n != wanted {
                return Err(self.short(path, "read", n, wanted));
            }
            at += n as u64;
        }
        Ok(())
    }

    /// The host does not cache card memory: nothing to flush.
    fn sync_for_device(&mut self, buffer: &DmaBuffer, offset: usize, len: usize) -> Result<(), DeviceError> {
        self.address(buffer, offset, len).map(drop)
    }

    /// Nor to invalidate.
    fn sync_for_cpu(&mut self, buffer: &DmaBuffer, offset: usize, len: usize) -> Result<(), DeviceError> {
        self.address(buffer, offset, len).map(drop)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buffers_live_at_card_addresses_reached_by_offset() {
        let dir = std::env::temp_dir().join(format!("codesign-xdma-mm-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let prefix = dir.join("xdma0");
        // One file stands for the card's memory: h2c writes it, c2h reads it back.
        std::fs::write(node(&prefix, "h2c_0"), b"").unwrap();
        std::fs::hard_link(node(&prefix, "h2c_0"), node(&prefix, "c2h_0")).unwrap();
        let mut mem = XdmaCardMemory::open(&prefix, 0, 0, 0x4000, 0x2800, "xdma.memory").unwrap();
        let a = mem.allocate(10).unwrap();
        let b = mem.allocate(4096).unwrap();
        assert_eq!((a.phys, b.phys), (0x4000, 0x5000));
        mem.write(&b, 2, &[1, 2, 3]).unwrap();
        let card = std::fs::read(node(&prefix, "h2c_0")).unwrap();
        assert_eq!(&card[0x5002..0x5005], &[1, 2, 3], "pwrite at the card address");
        let mut out = [0u8; 3];
        mem.read(&b, 2, &mut out).unwrap();
        assert_eq!(out, [1, 2, 3]);
        assert!(matches!(mem.allocate(4096), Err(DeviceError::OutOfMemory { .. })));
        let err = XdmaCardMemory::open(&prefix, 0, 5, 0, 0x1000, "xdma.memory.c2h").unwrap_err().to_string();
        assert!(err.contains("xdma0_c2h_5") && err.contains("xdma.memory.c2h"), "{err}");
    }
}
