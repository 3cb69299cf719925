//! Xilinx XDMA (PCIe) nodes: `<prefix>_user` (the AXI4-Lite BAR), `<prefix>_h2c_N` and
//! `<prefix>_c2h_N` (AXI4-Stream engines), `<prefix>_events_N` (user interrupts).
//!
//! Stream mode: each `write()` to h2c is one packet (TLAST on its last beat); a c2h opened
//! with O_TRUNC returns from `read()` at TLAST with the byte count. One syscall moves at most
//! [`MAX_PER_SYSCALL`] bytes; host buffers are 4096-aligned. The driver's own timeout (10 s
//! by default) bounds every blocking call.

use std::fs::File;
use std::io::{Read, Write};
use std::os::unix::fs::{FileExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::mmio::Mmio;
use super::{timespec, DeviceError, RegisterAccess};

/// Most bytes the XDMA driver moves in one read or write.
pub const MAX_PER_SYSCALL: usize = 0x7fff_f000;
/// Host buffer alignment the engines want.
pub const HOST_ALIGN: usize = 4096;

/// The node `<prefix>_<what>` (`/dev/xdma0` + `h2c_1` -> `/dev/xdma0_h2c_1`).
pub fn node(prefix: &Path, what: &str) -> PathBuf {
    PathBuf::from(format!("{}_{what}", prefix.display()))
}

/// How the user BAR is reached.
#[derive(Debug)]
enum Bar {
    Mapped(Mmio),
    /// 4-byte pread/pwrite at 4-aligned offsets (where mmap of the BAR is not allowed).
    File {
        /// The open user node.
        file: File,
        /// Where the window starts in the BAR.
        base: u64,
        /// Window size.
        size: u64,
    },
}

/// The user BAR (a kernel's s_axi_control behind the PCIe bridge) and one user interrupt.
#[derive(Debug)]
pub struct XdmaUser {
    bar: Bar,
    events: Option<(File, PathBuf)>,
    name: String,
    key: String,
    origin: Instant,
}

impl XdmaUser {
    /// Opens `<prefix>_user`, the window of `size` bytes at `base`, by mmap when `mmap` is
    /// true, else by pread/pwrite; and `<prefix>_events_<event>` when given.
    pub fn open(prefix: &Path, base: u64, size: u64, mmap: bool, event: Option<u32>, key: &str) -> Result<Self, DeviceError> {
        let user = node(prefix, "user");
        let file = super::error::open_node(&user, key, false)?;
        let name = user.display().to_string();
        let bar = if mmap {
            let page = rustix::param::page_size() as u64;
            let page_offset = base - base % page;
            Bar::Mapped(Mmio::map(&file, page_offset, (base - page_offset) as usize, size as usize, &user, key)?)
        } else {
            Bar::File { file, base, size }
        };
        let events = match event {
            None => None,
            Some(n) => {
                let path = node(prefix, &format!("events_{n}"));
                let file = std::fs::OpenOptions::new()
                    .read(true)
                    .open(&path)
                    .map_err(|e| DeviceError::from_io("open", &path, key, e))?;
                Some((file, path))
            }
        };
        Ok(XdmaUser { bar, events, name, key: key.to_owned(), origin: Instant::now() })
    }

    fn check(&self, offset: u64, size: u64) -> Result<(), DeviceError> {
        if !offset.is_multiple_of(4) {
            return Err(DeviceError::Misaligned { device: self.name.clone(), offset });
        }
        if offset.saturating_add(4) > size {
            return Err(DeviceError::OutOfRange { device: self.name.clone(), offset, len: 4, size });
        }
        Ok(())
    }

    fn io(&self, op: &'static str) -> impl FnOnce(std::io::Error) -> DeviceError + '_ {
        move |e| DeviceError::from_io(op, Path::new(&self.name), &self.key, e)
    }
}

impl RegisterAccess for XdmaUser {
    fn name(&self) -> &str {
        &self.name
    }

    fn read32(&mut self, offset: u64) -> Result<u32, DeviceError> {
        match &self.bar {
            Bar::Mapped(regs) => regs.read32(offset),
            Bar::File { file, base, size } => {
                self.check(offset, *size)?;
                let mut word = [0u8; 4];
                file.read_exact_at(&mut word, base + offset).map_err(self.io("pread"))?;
                Ok(u32::from_le_bytes(word))
            }
        }
    }

    fn write32(&mut self, offset: u64, value: u32) -> Result<(), DeviceError> {
        match &self.bar {
            Bar::Mapped(regs) => regs.write32(offset, value),
            Bar::File { file, base, size } => {
                self.check(offset, *size)?;
                file.write_all_at(&value.to_le_bytes(), base + offset).map_err(self.io("pwrite"))
            }
        }
    }

    fn wait_interrupt(&mut self, timeout: Duration) -> Result<bool, DeviceError> {
        let Some((file, path)) = &self.events else {
            return Err(DeviceError::NoInterrupt { device: self.name.clone() });
        };
        let mut fds = [rustix::event::PollFd::new(file, rustix::event::PollFlags::IN)];
        let timespec = timespec(timeout);
        let ready = rustix::event::poll(&mut fds, Some(&timespec)).map_err(|e| DeviceError::from_io("poll", path, &self.key, e.into()))?;
        if ready == 0 {
            return Ok(false);
        }
        let mut count = [0u8; 4];
        (&*file).read_exact(&mut count).map_err(|e| DeviceError::from_io("read", path, &self.key, e))?;
        Ok(true)
    }

    fn now(&self) -> Duration {
        self.origin.elapsed()
    }

    fn between_polls(&mut self) {
        std::thread::sleep(Duration::from_micros(5));
    }
}

/// A 4096-aligned host buffer (a Vec with slack, used from its first aligned byte).
#[derive(Debug)]
pub struct HostBuffer {
    storage: Vec<u8>,
    start: usize,
    len: usize,
}

impl HostBuffer {
    /// `len` zero bytes starting on a [`HOST_ALIGN`] boundary.
    pub fn zeroed(len: usize) -> Self {
        let storage = vec![0u8; len + HOST_ALIGN];
        let start = storage.as_ptr().align_offset(HOST_ALIGN);
        HostBuffer { storage, start, len }
    }

    /// The bytes.
    pub fn bytes(&self) -> &[u8] {
        &self.storage[self.start..self.start + self.len]
    }

    /// The bytes, writable.
    pub fn bytes_mut(&mut self) -> &mut [u8] {
        &mut self.storage[self.start..self.start + self.len]
    }
}

/// One AXI4-Stream engine: host to card (h2c) or card to host (c2h).
#[derive(Debug)]
pub struct XdmaStream {
    file: File,
    node: PathBuf,
    key: String,
}

impl XdmaStream {
    /// Opens `<prefix>_h2c_<n>` for writing.
    pub fn h2c(prefix: &Path, n: u32, key: &str) -> Result<Self, DeviceError> {
        let node = node(prefix, &format!("h2c_{n}"));
        let file = std::fs::OpenOptions::new().write(true).open(&node).map_err(|e| DeviceError::from_io("open", &node, key, e))?;
        Ok(XdmaStream { file, node, key: key.to_owned() })
    }

    /// Opens `<prefix>_c2h_<n>` with O_TRUNC, so that a read returns at TLAST.
    pub fn c2h(prefix: &Path, n: u32, key: &str) -> Result<Self, DeviceError> {
        let node = node(prefix, &format!("c2h_{n}"));
        let file = std::fs::OpenOptions::new()
            .read(true)
            .custom_flags(rustix::fs::OFlags::TRUNC.bits() as i32)
            .open(&node)
            .map_err(|e| DeviceError::from_io("open", &node, key, e))?;
        Ok(XdmaStream { file, node, key: key.to_owned() })
    }

    /// Sends `packet` as one AXI4-Stream packet (one write; more than [`MAX_PER_SYSCALL`]
    /// bytes cannot be one packet and is an error).
    pub fn send(&mut self, packet: &HostBuffer) -> Result<(), DeviceError> {
        let bytes = packet.bytes();
        if bytes.len() > MAX_PER_SYSCALL {
            return Err(DeviceError::OutOfRange {
                device: self.node.display().to_string(),
                offset: 0,
                len: bytes.len() as u64,
                size: MAX_PER_SYSCALL as u64,
            });
        }
        let written = (&self.file).write(bytes).map_err(|e| DeviceError::from_io("write", &self.node, &self.key, e))?;
        if written != bytes.len() {
            return Err(DeviceError::Simulation {
                device: self.node.display().to_string(),
                message: format!("short write: {written} of {} bytes (engine timeout?)", bytes.len()),
            });
        }
        Ok(())
    }

    /// Receives one packet into `buffer` (up to its length, at most [`MAX_PER_SYSCALL`]);
    /// returns the bytes up to TLAST.
    pub fn receive(&mut self, buffer: &mut HostBuffer) -> Result<usize, DeviceError> {
        let len = buffer.len.min(MAX_PER_SYSCALL);
        (&self.file)
            .read(&mut buffer.bytes_mut()[..len])
            .map_err(|e| DeviceError::from_io("read", &self.node, &self.key, e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fake(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("codesign-xdma-{}-{name}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let prefix = dir.join("xdma0");
        std::fs::write(node(&prefix, "user"), vec![0u8; 0x20000]).unwrap();
        std::fs::write(node(&prefix, "h2c_0"), b"").unwrap();
        prefix
    }

    #[test]
    fn user_bar_by_pread_pwrite_and_by_mmap_agree() {
        let prefix = fake("bar");
        let mut by_file = XdmaUser::open(&prefix, 0x10000, 0x100, false, None, "xdma.kernel").unwrap();
        by_file.write32(0x10, 0xcafe_f00d).unwrap();
        assert_eq!(by_file.read32(0x10).unwrap(), 0xcafe_f00d);
        assert!(matches!(by_file.read32(0x11), Err(DeviceError::Misaligned { .. })));
        let mut mapped = XdmaUser::open(&prefix, 0x10000, 0x100, true, None, "xdma.kernel").unwrap();
        assert_eq!(mapped.read32(0x10).unwrap(), 0xcafe_f00d);
        assert!(matches!(mapped.wait_interrupt(Duration::ZERO), Err(DeviceError::NoInterrupt { .. })));
    }

    #[test]
    fn h2c_sends_one_aligned_packet_and_missing_nodes_are_named() {
        let prefix = fake("h2c");
        let mut h2c = XdmaStream::h2c(&prefix, 0, "xdma.streams.a").unwrap();
        let mut packet = HostBuffer::zeroed(12);
        assert_eq!(packet.bytes().as_ptr() as usize % HOST_ALIGN, 0);
        packet.bytes_mut().copy_from_slice(b"hello, card!");
        h2c.send(&packet).unwrap();
        assert_eq!(std::fs::read(node(&prefix, "h2c_0")).unwrap(), b"hello, card!");
        let err = XdmaStream::c2h(&prefix, 3, "xdma.streams.out").unwrap_err().to_string();
        assert!(err.starts_with("device not found") && err.contains("xdma0_c2h_3") && err.contains("xdma.streams.out"), "{err}");
    }
}
