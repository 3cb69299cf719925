//! What goes wrong at the device level, with the node and the config key that named it.

use std::path::{Path, PathBuf};

/// A device node, a sysfs attribute or a register access failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DeviceError {
    /// The node does not exist (no board, wrong number, driver not loaded).
    #[error("device not found: {} (config key {key})", node.display())]
    NotFound {
        /// The path tried.
        node: PathBuf,
        /// The config key that named it.
        key: String,
    },
    /// The node exists but cannot be opened by this user.
    #[error("permission denied: {} (config key {key}); run as root or grant access with a udev rule", node.display())]
    PermissionDenied {
        /// The path tried.
        node: PathBuf,
        /// The config key that named it.
        key: String,
    },
    /// Any other OS error on a node.
    #[error("{op} {}: {source} (config key {key})", node.display())]
    Io {
        /// What was being done (`open`, `mmap`, `read`).
        op: &'static str,
        /// The path.
        node: PathBuf,
        /// The config key that named it.
        key: String,
        /// The OS error.
        source: std::io::Error,
    },
    /// A sysfs attribute has content that does not parse.
    #[error("{}: {message}", path.display())]
    Sysfs {
        /// The attribute file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// An access outside a register window or buffer.
    #[error("{device}: access of {len} bytes at {offset:#x} is outside its {size} bytes")]
    OutOfRange {
        /// Window or buffer.
        device: String,
        /// Byte offset.
        offset: u64,
        /// Bytes accessed.
        len: u64,
        /// Size of the window.
        size: u64,
    },
    /// A register access not 4-byte aligned.
    #[error("{device}: register offset {offset:#x} is not 4-byte aligned")]
    Misaligned {
        /// Window.
        device: String,
        /// Byte offset.
        offset: u64,
    },
    /// The device has no interrupt (e.g. `/dev/mem`); poll instead.
    #[error("{device} has no interrupt: use `done: poll` in the config")]
    NoInterrupt {
        /// Window.
        device: String,
    },
    /// DMA memory is exhausted.
    #[error("{device}: cannot allocate {requested} bytes ({available} of {size} left)")]
    OutOfMemory {
        /// Memory name.
        device: String,
        /// Bytes asked for.
        requested: u64,
        /// Bytes left.
        available: u64,
        /// Total size.
        size: u64,
    },
    /// Cached DMA memory was used without the sync the data needed (caught by the
    /// simulated memory; on a board this is silently stale data).
    #[error("{device}: cache coherence: {message}")]
    Coherence {
        /// Memory name.
        device: String,
        /// Which buffer and bytes, and the sync that was missing.
        message: String,
    },
    /// A simulated device failed (model error, protocol violation, no response).
    #[error("{device}: {message}")]
    Simulation {
        /// Device name.
        device: String,
        /// What happened.
        message: String,
    },
}

impl DeviceError {
    /// Maps an OS error on `node` to NotFound / PermissionDenied / Io.
    pub fn from_io(op: &'static str, node: &Path, key: &str, source: std::io::Error) -> Self {
        let (node, key) = (node.to_owned(), key.to_owned());
        match source.kind() {
            std::io::ErrorKind::NotFound => DeviceError::NotFound { node, key },
            std::io::ErrorKind::PermissionDenied => DeviceError::PermissionDenied { node, key },
            _ => DeviceError::Io { op, node, key, source },
        }
    }
}

/// Opens a device node read-write (optionally O_SYNC, for uncached /dev/mem), mapping a
/// missing node or a denied open to an error naming the node and the config key.
pub(crate) fn open_node(node: &Path, key: &str, sync: bool) -> Result<std::fs::File, DeviceError> {
    use std::os::unix::fs::OpenOptionsExt;
    let mut options = std::fs::OpenOptions::new();
    options.read(true).write(true);
    if sync {
        options.custom_flags(rustix::fs::OFlags::SYNC.bits() as i32);
    }
    options.open(node).map_err(|e| DeviceError::from_io("open", node, key, e))
}
