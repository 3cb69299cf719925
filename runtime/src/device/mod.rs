//! Device access for the board backends: two small traits that the drivers are written
//! against, and their real implementations, one file each.
//!
//! - [`RegisterAccess`]: 32-bit reads and writes at a byte offset of one register window, and
//!   a bounded wait for its interrupt. Real: [`uio::Uio`], [`devmem::DevMem`],
//!   [`xdma::XdmaUser`]; simulated: `backends::board_sim`.
//! - [`DmaMemory`]: buffers the DMA engine can reach, with their physical address, a CPU view
//!   (copies in and out) and the cache syncs. Real: [`udmabuf::UDmaBuf`]; simulated:
//!   `backends::board_sim`.
//!
//! Every wait takes a timeout; a missing device node is [`DeviceError::NotFound`] naming the
//! node and the config key that named it.

pub mod carve;
pub mod devmem;
mod error;
pub mod mmio;
pub mod sysfs;
pub mod reserved;
pub mod udmabuf;
pub mod uio;
pub mod xdma;
pub mod xdma_memory;

pub use error::DeviceError;

use std::time::Duration;

/// One register window of a device (a kernel's s_axi_control, a DMA engine's registers).
pub trait RegisterAccess {
    /// What this is, for messages (`/dev/uio4`, `board-sim dma \`a\``).
    fn name(&self) -> &str;

    /// Reads the 32-bit register at byte `offset` (4-aligned, inside the window).
    fn read32(&mut self, offset: u64) -> Result<u32, DeviceError>;

    /// Writes the 32-bit register at byte `offset` (4-aligned, inside the window).
    fn write32(&mut self, offset: u64, value: u32) -> Result<(), DeviceError>;

    /// Waits at most `timeout` for this window's interrupt: `Ok(true)` when it came,
    /// `Ok(false)` when the time ran out.
    fn wait_interrupt(&mut self, timeout: Duration) -> Result<bool, DeviceError>;

    /// Time on the device's clock, from an arbitrary origin: wall time for real devices,
    /// simulated time for simulated ones, so a driver's deadlines mean the same on both.
    fn now(&self) -> Duration;

    /// Called between two polls of a status register: real devices yield the CPU briefly;
    /// simulated ones need nothing (every access already advances their clock).
    fn between_polls(&mut self) {}
}

/// A buffer in DMA-able memory: a handle, not the memory itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DmaBuffer {
    /// Index of the buffer in its [`DmaMemory`].
    pub id: usize,
    /// Bus (physical) address the DMA engine uses.
    pub phys: u64,
    /// Length in bytes.
    pub len: usize,
}

/// Memory a DMA engine reads and writes, seen from the CPU.
pub trait DmaMemory {
    /// What this is, for messages (`/dev/udmabuf0`).
    fn name(&self) -> &str;

    /// A new buffer of `len` bytes, aligned to at least 4096 bytes.
    fn allocate(&mut self, len: usize) -> Result<DmaBuffer, DeviceError>;

    /// Frees every buffer (calls are independent: each allocates afresh).
    fn free_all(&mut self);

    /// CPU writes `data` at `offset` of `buffer`.
    fn write(&mut self, buffer: &DmaBuffer, offset: usize, data: &[u8]) -> Result<(), DeviceError>;

    /// CPU reads `out.len()` bytes at `offset` of `buffer`.
    fn read(&mut self, buffer: &DmaBuffer, offset: usize, out: &mut [u8]) -> Result<(), DeviceError>;

    /// Makes CPU writes to the range visible to the device (cache flush): before MM2S.
    fn sync_for_device(&mut self, buffer: &DmaBuffer, offset: usize, len: usize) -> Result<(), DeviceError>;

    /// Makes device writes to the range visible to the CPU (cache invalidate): after S2MM.
    fn sync_for_cpu(&mut self, buffer: &DmaBuffer, offset: usize, len: usize) -> Result<(), DeviceError>;

    /// Names `buffer` for messages (the manifest's buffer it holds). Real memory ignores it;
    /// board-sim's coherence errors name the buffer with it.
    fn label(&mut self, buffer: &DmaBuffer, name: &str) {
        let _ = (buffer, name);
    }
}

/// Checks that `offset..offset + len` lies inside a buffer of `size` bytes.
pub(crate) fn check_range(name: &str, buffer: &DmaBuffer, offset: usize, len: usize) -> Result<(), DeviceError> {
    match offset.checked_add(len) {
        Some(end) if end <= buffer.len => Ok(()),
        _ => Err(DeviceError::OutOfRange {
            device: name.to_owned(),
            offset: offset as u64,
            len: len as u64,
            size: buffer.len as u64,
        }),
    }
}

/// A poll() timeout from a Duration (saturating).
pub(crate) fn timespec(timeout: Duration) -> rustix::event::Timespec {
    rustix::event::Timespec {
        tv_sec: timeout.as_secs().min(i64::MAX as u64) as _,
        tv_nsec: timeout.subsec_nanos() as _,
    }
}
