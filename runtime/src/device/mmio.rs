//! Memory-mapped registers: volatile, 32-bit, aligned accesses through a shared mapping of a
//! device file (never slice copies, which the compiler may split, merge or elide).

use std::fs::File;
use std::path::Path;

use memmap2::{MmapOptions, MmapRaw};

use super::DeviceError;

/// A register window mapped from a file at some offset.
#[derive(Debug)]
pub struct Mmio {
    map: MmapRaw,
    /// Where the window starts inside the mapping (a UIO region's address within its page).
    base: usize,
    size: usize,
    name: String,
}

impl Mmio {
    /// Maps `size` bytes of `file` starting `base` bytes into the page at `page_offset`
    /// (a multiple of the page size). `node` and `key` name it in errors.
    pub fn map(file: &File, page_offset: u64, base: usize, size: usize, node: &Path, key: &str) -> Result<Self, DeviceError> {
        let map = MmapOptions::new()
            .offset(page_offset)
            .len(base + size)
            .map_raw(file)
            .map_err(|e| DeviceError::from_io("mmap", node, key, e))?;
        Ok(Mmio { map, base, size, name: node.display().to_string() })
    }

    /// Size of the window in bytes.
    pub fn size(&self) -> usize {
        self.size
    }

    /// Name for messages.
    pub fn name(&self) -> &str {
        &self.name
    }

    fn pointer(&self, offset: u64) -> Result<*mut u32, DeviceError> {
        if !offset.is_multiple_of(4) {
            return Err(DeviceError::Misaligned { device: self.name.clone(), offset });
        }
        if offset.saturating_add(4) > self.size as u64 {
            return Err(DeviceError::OutOfRange { device: self.name.clone(), offset, len: 4, size: self.size as u64 });
        }
        // In range and 4-aligned (the mapping is page-aligned and `base` is a multiple of 4
        // for every real register window), checked above.
        Ok(self.map.as_mut_ptr().wrapping_add(self.base + offset as usize).cast::<u32>())
    }

    /// Volatile 32-bit read at byte `offset`.
    pub fn read32(&self, offset: u64) -> Result<u32, DeviceError> {
        let pointer = self.pointer(offset)?;
        if pointer.align_offset(4) != 0 {
            return Err(DeviceError::Misaligned { device: self.name.clone(), offset });
        }
        // SAFETY: `pointer` lies inside the live mapping and is 4-aligned (checked above).
        Ok(unsafe { pointer.read_volatile() })
    }

    /// Volatile 32-bit write at byte `offset`.
    pub fn write32(&self, offset: u64, value: u32) -> Result<(), DeviceError> {
        let pointer = self.pointer(offset)?;
        if pointer.align_offset(4) != 0 {
            return Err(DeviceError::Misaligned { device: self.name.clone(), offset });
        }
        // SAFETY: as in `read32`; the mapping is shared and writable.
        unsafe { pointer.write_volatile(value) };
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str, bytes: usize) -> (std::path::PathBuf, File) {
        let dir = std::env::temp_dir().join(format!("codesign-mmio-{}-{name}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("regs");
        std::fs::write(&path, vec![0u8; bytes]).unwrap();
        let file = std::fs::OpenOptions::new().read(true).write(true).open(&path).unwrap();
        (path, file)
    }

    #[test]
    fn writes_reach_the_file_and_reads_see_it() {
        let (path, file) = scratch("rw", 8192);
        let page = rustix::param::page_size() as u64;
        let mmio = Mmio::map(&file, page, 0x10, 0x100, &path, "test.key").unwrap();
        mmio.write32(0x8, 0xdead_beef).unwrap();
        assert_eq!(mmio.read32(0x8).unwrap(), 0xdead_beef);
        drop(mmio);
        // Shared mapping: the bytes are in the file at page + base + offset, little-endian.
        let bytes = std::fs::read(&path).unwrap();
        let at = page as usize + 0x18;
        assert_eq!(&bytes[at..at + 4], &0xdead_beefu32.to_le_bytes());
        // And the file's contents show through a fresh mapping.
        let again = Mmio::map(&file, page, 0x10, 0x100, &path, "test.key").unwrap();
        assert_eq!(again.read32(0x8).unwrap(), 0xdead_beef);
        assert_eq!(again.read32(0x0).unwrap(), 0);
    }

    #[test]
    fn misaligned_and_out_of_range_accesses_are_errors() {
        let (path, file) = scratch("bounds", 4096);
        let mmio = Mmio::map(&file, 0, 0, 0x40, &path, "k").unwrap();
        assert!(matches!(mmio.read32(0x2), Err(DeviceError::Misaligned { offset: 2, .. })));
        assert!(matches!(mmio.write32(0x40, 1), Err(DeviceError::OutOfRange { offset: 0x40, .. })));
        assert!(matches!(mmio.read32(u64::MAX - 1), Err(DeviceError::Misaligned { .. })));
        assert!(mmio.read32(0x3c).is_ok());
    }
}
