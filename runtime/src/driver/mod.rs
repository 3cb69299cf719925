//! Drivers written once against [`crate::device::RegisterAccess`]: the same code runs on a
//! board (UIO, /dev/mem, XDMA) and in `board-sim` (the kernel's RTL register file and a
//! PG021 DMA model). Every wait is bounded by a timeout on the device's clock.

pub mod axi_dma;
pub mod hls_block;

use std::time::Duration;

use crate::device::{DeviceError, RegisterAccess};

/// Polls `read` until `done` says yes or `timeout` passes on the device's clock. Returns the
/// last value read and whether it was done.
pub(crate) fn poll(
    regs: &mut dyn RegisterAccess,
    offset: u64,
    timeout: Duration,
    mut done: impl FnMut(u32) -> bool,
) -> Result<(u32, bool), DeviceError> {
    let deadline = regs.now() + timeout;
    loop {
        let value = regs.read32(offset)?;
        if done(value) {
            return Ok((value, true));
        }
        if regs.now() >= deadline {
            return Ok((value, false));
        }
        regs.between_polls();
    }
}
