//! The address space an [`AxiSlave`](super::AxiSlave) serves: named buffers of bytes mapped at
//! fixed addresses. Everything between them is unmapped.

use super::AxiResp;

/// Where [`AxiMemory::alloc`] places its first buffer; address 0 stays unmapped, so a null
/// pointer decodes to DECERR.
pub const ALLOC_BASE: u64 = 0x1000_0000;
/// Alignment of allocated buffers, and the unmapped gap left after each one.
pub const ALLOC_ALIGN: u64 = 4096;

/// One mapped buffer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Buffer {
    name: String,
    base: u64,
    data: Vec<u8>,
}

impl Buffer {
    /// Its name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// First address.
    pub fn base(&self) -> u64 {
        self.base
    }

    /// Size in bytes (never 0).
    pub fn len(&self) -> usize {
        self.data.len()
    }

    /// Always false: empty buffers cannot be mapped.
    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    /// Last address (inclusive).
    pub fn last(&self) -> u64 {
        self.base + self.data.len() as u64 - 1
    }

    /// True if `addr` lies in the buffer.
    pub fn contains(&self, addr: u64) -> bool {
        addr >= self.base && addr <= self.last()
    }

    /// The contents.
    pub fn bytes(&self) -> &[u8] {
        &self.data
    }

    /// The contents, writable.
    pub fn bytes_mut(&mut self) -> &mut [u8] {
        &mut self.data
    }

    /// The contents as little-endian 32-bit words (a trailing partial word is dropped).
    pub fn words(&self) -> Vec<u32> {
        self.data.chunks_exact(4).map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect()
    }
}

/// Errors of mapping buffers and of host-side accesses.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MemoryError {
    /// A buffer of 0 bytes.
    #[error("buffer `{name}`: cannot map 0 bytes")]
    Empty {
        /// Buffer name.
        name: String,
    },
    /// The name is taken.
    #[error("buffer `{name}` is already mapped")]
    Duplicate {
        /// Buffer name.
        name: String,
    },
    /// The buffer would run past the top of the 64-bit address space.
    #[error("buffer `{name}`: {bytes} bytes at {base:#x} run past the end of the address space")]
    Overflow {
        /// Buffer name.
        name: String,
        /// Requested base.
        base: u64,
        /// Requested size.
        bytes: u64,
    },
    /// The buffer would overlap another.
    #[error("buffer `{name}` at {base:#x}..={last:#x} overlaps buffer `{other}`")]
    Overlap {
        /// Buffer name.
        name: String,
        /// Requested base.
        base: u64,
        /// Requested last byte.
        last: u64,
        /// The buffer it overlaps.
        other: String,
    },
    /// A host access that does not lie within one buffer.
    #[error("host access of {len} byte(s) at {addr:#x} is not inside one mapped buffer")]
    Outside {
        /// Address.
        addr: u64,
        /// Length.
        len: usize,
    },
}

/// Named buffers at fixed addresses, with byte storage.
#[derive(Debug, Clone, Default)]
pub struct AxiMemory {
    /// In mapping order: an index stays valid for the memory's life.
    buffers: Vec<Buffer>,
}

impl AxiMemory {
    /// An empty address space: every access decodes to DECERR.
    pub fn new() -> Self {
        Self::default()
    }

    /// Maps `bytes` zeroed bytes named `name` at `base`.
    pub fn map(&mut self, name: &str, base: u64, bytes: usize) -> Result<&mut Buffer, MemoryError> {
        let name_owned = || name.to_owned();
        if bytes == 0 {
            return Err(MemoryError::Empty { name: name_owned() });
        }
        if self.buffers.iter().any(|b| b.name == name) {
            return Err(MemoryError::Duplicate { name: name_owned() });
        }
        let last = base
            .checked_add(bytes as u64 - 1)
            .ok_or(MemoryError::Overflow { name: name_owned(), base, bytes: bytes as u64 })?;
        if let Some(other) = self.buffers.iter().find(|b| base <= b.last() && b.base <= last) {
            return Err(MemoryError::Overlap { name: name_owned(), base, last, other: other.name.clone() });
        }
        self.buffers.push(Buffer { name: name_owned(), base, data: vec![0; bytes] });
        let index = self.buffers.len() - 1;
        Ok(&mut self.buffers[index])
    }

    /// Maps `bytes` zeroed bytes at the next 4 KiB-aligned address that leaves a 4 KiB
    /// unmapped gap after every buffer (from [`ALLOC_BASE`]); returns the base.
    pub fn alloc(&mut self, name: &str, bytes: usize) -> Result<u64, MemoryError> {
        let after = self.buffers.iter().map(|b| b.last().saturating_add(1).saturating_add(ALLOC_ALIGN)).max();
        let start = after.unwrap_or(ALLOC_BASE).max(ALLOC_BASE);
        let base = start.checked_next_multiple_of(ALLOC_ALIGN).ok_or(MemoryError::Overflow {
            name: name.to_owned(),
            base: start,
            bytes: bytes as u64,
        })?;
        Ok(self.map(name, base, bytes)?.base)
    }

    /// Every buffer, in mapping order.
    pub fn buffers(&self) -> &[Buffer] {
        &self.buffers
    }

    /// The buffer named `name`.
    pub fn buffer(&self, name: &str) -> Option<&Buffer> {
        self.buffers.iter().find(|b| b.name == name)
    }

    /// The buffer named `name`, writable.
    pub fn buffer_mut(&mut self, name: &str) -> Option<&mut Buffer> {
        self.buffers.iter_mut().find(|b| b.name == name)
    }

    /// Index of the buffer holding `addr`.
    fn find(&self, addr: u64) -> Option<usize> {
        self.buffers.iter().position(|b| b.contains(addr))
    }

    /// The response to an access touching bytes `first..=last`, and the buffer that serves
    /// it. The access is decoded on its first byte, as an interconnect decodes a burst on
    /// its start address: no buffer there is DECERR; a buffer there that does not also hold
    /// `last` is SLVERR (the access runs past the buffer's end); otherwise OKAY.
    pub fn decode(&self, first: u64, last: u64) -> (AxiResp, Option<usize>) {
        match self.find(first) {
            None => (AxiResp::DecErr, None),
            Some(i) if last < first || !self.buffers[i].contains(last) => (AxiResp::SlvErr, None),
            Some(i) => (AxiResp::Okay, Some(i)),
        }
    }

    /// The bytes `addr..addr + len` of buffer `index`, if they lie inside it.
    pub(super) fn slice(&self, index: usize, addr: u64, len: usize) -> Option<&[u8]> {
        let buffer = self.buffers.get(index)?;
        let start = usize::try_from(addr.checked_sub(buffer.base)?).ok()?;
        buffer.data.get(start..start.checked_add(len)?)
    }

    /// As [`AxiMemory::slice`], writable.
    pub(super) fn slice_mut(&mut self, index: usize, addr: u64, len: usize) -> Option<&mut [u8]> {
        let buffer = self.buffers.get_mut(index)?;
        let start = usize::try_from(addr.checked_sub(buffer.base)?).ok()?;
        buffer.data.get_mut(start..start.checked_add(len)?)
    }

    fn host_range(&self, addr: u64, len: usize) -> Result<usize, MemoryError> {
        let last = addr.checked_add(len.max(1) as u64 - 1).ok_or(MemoryError::Outside { addr, len })?;
        match self.decode(addr, last) {
            (AxiResp::Okay, Some(index)) => Ok(index),
            _ => Err(MemoryError::Outside { addr, len }),
        }
    }

    /// Host read of `out.len()` bytes at `addr`, which must lie in one buffer.
    pub fn read(&self, addr: u64, out: &mut [u8]) -> Result<(), MemoryError> {
        let index = self.host_range(addr, out.len())?;
        let bytes = self.slice(index, addr, out.len()).ok_or(MemoryError::Outside { addr, len: out.len() })?;
        out.copy_from_slice(bytes);
        Ok(())
    }

    /// Host write of `data` at `addr`, which must lie in one buffer.
    pub fn write(&mut self, addr: u64, data: &[u8]) -> Result<(), MemoryError> {
        let index = self.host_range(addr, data.len())?;
        let bytes = self.slice_mut(index, addr, data.len()).ok_or(MemoryError::Outside { addr, len: data.len() })?;
        bytes.copy_from_slice(data);
        Ok(())
    }

    /// Host write of little-endian 32-bit words at `addr`.
    pub fn write_words(&mut self, addr: u64, words: &[u32]) -> Result<(), MemoryError> {
        let bytes: Vec<u8> = words.iter().flat_map(|w| w.to_le_bytes()).collect();
        self.write(addr, &bytes)
    }

    /// Host read of `count` little-endian 32-bit words at `addr`.
    pub fn read_words(&self, addr: u64, count: usize) -> Result<Vec<u32>, MemoryError> {
        let mut bytes = vec![0; count * 4];
        self.read(addr, &mut bytes)?;
        Ok(bytes.chunks_exact(4).map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn map_rejects_overlap_duplicates_and_empty() {
        let mut m = AxiMemory::new();
        m.map("a", 0x1000, 0x100).unwrap();
        assert!(matches!(m.map("b", 0x10ff, 4), Err(MemoryError::Overlap { .. })));
        assert!(matches!(m.map("b", 0xf00, 0x101), Err(MemoryError::Overlap { .. })));
        assert!(matches!(m.map("a", 0x9000, 4), Err(MemoryError::Duplicate { .. })));
        assert!(matches!(m.map("c", 0x9000, 0), Err(MemoryError::Empty { .. })));
        assert!(matches!(m.map("d", u64::MAX, 2), Err(MemoryError::Overflow { .. })));
        m.map("b", 0x1100, 4).unwrap();
    }

    #[test]
    fn alloc_aligns_and_leaves_gaps() {
        let mut m = AxiMemory::new();
        let a = m.alloc("a", 10).unwrap();
        let b = m.alloc("b", 4096).unwrap();
        let c = m.alloc("c", 1).unwrap();
        assert_eq!(a, ALLOC_BASE);
        assert_eq!(b, ALLOC_BASE + 2 * 4096);
        assert_eq!(c, b + 2 * 4096);
        assert_eq!(m.decode(a + 10, a + 10).0, AxiResp::DecErr);
    }

    #[test]
    fn decode_on_first_byte() {
        let mut m = AxiMemory::new();
        m.map("a", 0x1000, 0x100).unwrap();
        assert_eq!(m.decode(0x1000, 0x10ff), (AxiResp::Okay, Some(0)));
        assert_eq!(m.decode(0x10f0, 0x1100), (AxiResp::SlvErr, None));
        assert_eq!(m.decode(0xff0, 0x1010), (AxiResp::DecErr, None));
        assert_eq!(m.decode(0x2000, 0x2003), (AxiResp::DecErr, None));
    }

    #[test]
    fn host_access_stays_in_one_buffer() {
        let mut m = AxiMemory::new();
        let base = m.alloc("a", 8).unwrap();
        m.write_words(base, &[0x0403_0201, 0x0807_0605]).unwrap();
        assert_eq!(m.buffer("a").unwrap().bytes(), &[1, 2, 3, 4, 5, 6, 7, 8]);
        assert_eq!(m.read_words(base + 4, 1).unwrap(), [0x0807_0605]);
        assert!(m.write(base + 6, &[0; 4]).is_err());
        assert!(m.read(base - 1, &mut [0; 2]).is_err());
    }
}
