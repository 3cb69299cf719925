//! Xilinx AXI DMA (PG021) in simple (direct register) mode, one channel at a time.
//!
//! Start: RS=1, wait Halted=0, write the address (low, high), LENGTH last (a non-zero
//! LENGTH starts the transfer). Done: DMASR Idle. Errors: DMASR bits 4/5/6 (the core clears
//! RS and halts), recovered by a soft reset (DMACR bit 2, self-clearing, resets both
//! channels). S2MM: LENGTH is armed with the buffer capacity; at TLAST the core writes back
//! the bytes received. Every wait is bounded.

use std::time::Duration;

use super::poll;
use crate::device::{DeviceError, RegisterAccess};

/// Register offsets and bits from PG021.
pub mod regs {
    /// MM2S control.
    pub const MM2S_DMACR: u64 = 0x00;
    /// MM2S status.
    pub const MM2S_DMASR: u64 = 0x04;
    /// MM2S source address, low word.
    pub const MM2S_SA: u64 = 0x18;
    /// MM2S source address, high word.
    pub const MM2S_SA_MSB: u64 = 0x1c;
    /// MM2S transfer length in bytes (written last: starts the transfer).
    pub const MM2S_LENGTH: u64 = 0x28;
    /// S2MM control.
    pub const S2MM_DMACR: u64 = 0x30;
    /// S2MM status.
    pub const S2MM_DMASR: u64 = 0x34;
    /// S2MM destination address, low word.
    pub const S2MM_DA: u64 = 0x48;
    /// S2MM destination address, high word.
    pub const S2MM_DA_MSB: u64 = 0x4c;
    /// S2MM buffer length (armed); bytes received (after TLAST).
    pub const S2MM_LENGTH: u64 = 0x58;

    /// DMACR: run/stop.
    pub const DMACR_RS: u32 = 1 << 0;
    /// DMACR: soft reset of both channels (self-clearing).
    pub const DMACR_RESET: u32 = 1 << 2;
    /// DMACR: interrupt on complete enable.
    pub const DMACR_IOC_IRQ_EN: u32 = 1 << 12;
    /// DMACR: error interrupt enable.
    pub const DMACR_ERR_IRQ_EN: u32 = 1 << 14;
    /// DMASR: halted.
    pub const DMASR_HALTED: u32 = 1 << 0;
    /// DMASR: idle (the last transfer completed).
    pub const DMASR_IDLE: u32 = 1 << 1;
    /// DMASR: internal error (S2MM: packet longer than the buffer; unaligned address).
    pub const DMASR_INT_ERR: u32 = 1 << 4;
    /// DMASR: slave error (the memory answered SLVERR).
    pub const DMASR_SLV_ERR: u32 = 1 << 5;
    /// DMASR: decode error (no slave at the address).
    pub const DMASR_DEC_ERR: u32 = 1 << 6;
    /// Every simple-mode error bit.
    pub const DMASR_ERR_MASK: u32 = 0x70;
    /// DMASR: interrupt on complete (write 1 to clear).
    pub const DMASR_IOC_IRQ: u32 = 1 << 12;
    /// DMASR: delay interrupt (write 1 to clear).
    pub const DMASR_DLY_IRQ: u32 = 1 << 13;
    /// DMASR: error interrupt (write 1 to clear).
    pub const DMASR_ERR_IRQ: u32 = 1 << 14;
    /// Every interrupt bit.
    pub const DMASR_IRQ_MASK: u32 = 0x7000;
}

use regs::*;

/// One of the two channels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    /// Memory to stream (feeds a kernel input).
    Mm2s,
    /// Stream to memory (drains a kernel output).
    S2mm,
}

impl Channel {
    fn base(self) -> u64 {
        match self {
            Channel::Mm2s => MM2S_DMACR,
            Channel::S2mm => S2MM_DMACR,
        }
    }
    /// DMACR offset.
    pub fn dmacr(self) -> u64 {
        self.base()
    }
    /// DMASR offset.
    pub fn dmasr(self) -> u64 {
        self.base() + 0x04
    }
    /// Address (low) offset.
    pub fn addr(self) -> u64 {
        self.base() + 0x18
    }
    /// LENGTH offset.
    pub fn length(self) -> u64 {
        self.base() + 0x28
    }
}

impl std::fmt::Display for Channel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Channel::Mm2s => "MM2S",
            Channel::S2mm => "S2MM",
        })
    }
}

/// What can go wrong with a transfer: each PG021 failure its own variant.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DmaError {
    /// The register access failed.
    #[error(transparent)]
    Device(#[from] DeviceError),
    /// LENGTH 0 does nothing on the core: refused before touching the device.
    #[error("{device} {channel}: transfer of 0 bytes (LENGTH=0 starts nothing)")]
    ZeroLength {
        /// DMA.
        device: String,
        /// Channel.
        channel: Channel,
    },
    /// More bytes than the core's LENGTH register holds.
    #[error("{device} {channel}: {bytes} bytes do not fit the {bits}-bit LENGTH register (max {max})")]
    TooLong {
        /// DMA.
        device: String,
        /// Channel.
        channel: Channel,
        /// Bytes asked for.
        bytes: u64,
        /// LENGTH width.
        bits: u32,
        /// Largest transfer.
        max: u64,
    },
    /// The address is not aligned to the stream width (no realignment engine).
    #[error("{device} {channel}: address {addr:#x} is not aligned to the {align}-byte stream width")]
    Misaligned {
        /// DMA.
        device: String,
        /// Channel.
        channel: Channel,
        /// Address.
        addr: u64,
        /// Stream width in bytes.
        align: u32,
    },
    /// DMASR DMAIntErr on MM2S (or on S2MM other than an overflow).
    #[error("{device} {channel}: DMA internal error (DMASR={dmasr:#x})")]
    Internal {
        /// DMA.
        device: String,
        /// Channel.
        channel: Channel,
        /// Status read.
        dmasr: u32,
    },
    /// DMASR DMASlvErr: the memory answered SLVERR.
    #[error("{device} {channel}: slave error from memory (DMASR={dmasr:#x})")]
    Slave {
        /// DMA.
        device: String,
        /// Channel.
        channel: Channel,
        /// Status read.
        dmasr: u32,
    },
    /// DMASR DMADecErr: no slave at the address.
    #[error("{device} {channel}: decode error: no memory at the address (DMASR={dmasr:#x})")]
    Decode {
        /// DMA.
        device: String,
        /// Channel.
        channel: Channel,
        /// Status read.
        dmasr: u32,
    },
    /// S2MM DMAIntErr: the packet was longer than the armed buffer.
    #[error("{device} S2MM: the packet is longer than the {capacity}-byte buffer (DMASR={dmasr:#x})")]
    PacketTooLong {
        /// DMA.
        device: String,
        /// Buffer armed.
        capacity: u64,
        /// Status read.
        dmasr: u32,
    },
    /// The channel did not reach Idle (or leave Halted, or finish a reset) in time.
    #[error("{device} {channel}: {awaited} did not happen within {timeout:?} (DMASR={dmasr:#x})")]
    Timeout {
        /// DMA.
        device: String,
        /// Channel.
        channel: Channel,
        /// What was awaited.
        awaited: &'static str,
        /// The wait.
        timeout: Duration,
        /// Status at the end.
        dmasr: u32,
    },
}

/// The core's build parameters that the driver must respect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AxiDma {
    /// Width of the LENGTH register (8..=26 bits).
    pub length_bits: u32,
    /// Stream data width in bytes (addresses must be aligned to it).
    pub data_bytes: u32,
    /// Whether to enable the IOC and error interrupts (for UIO interrupt waits).
    pub interrupts: bool,
}

impl AxiDma {
    /// Largest transfer in bytes.
    pub fn max_bytes(&self) -> u64 {
        (1u64 << self.length_bits.min(26)) - 1
    }

    /// Soft reset of both channels: DMACR=0x4, then bit 2 must clear within `timeout`.
    pub fn reset(&self, regs: &mut dyn RegisterAccess, timeout: Duration) -> Result<(), DmaError> {
        regs.write32(MM2S_DMACR, DMACR_RESET)?;
        let (_, done) = poll(regs, MM2S_DMACR, timeout, |v| v & DMACR_RESET == 0)?;
        if !done {
            return Err(self.timeout(regs, Channel::Mm2s, "the soft reset", timeout));
        }
        Ok(())
    }

    /// RS=1 on `channel` and wait (bounded) for Halted=0.
    pub fn run(&self, regs: &mut dyn RegisterAccess, channel: Channel, timeout: Duration) -> Result<(), DmaError> {
        let irqs = if self.interrupts { DMACR_IOC_IRQ_EN | DMACR_ERR_IRQ_EN } else { 0 };
        regs.write32(channel.dmacr(), DMACR_RS | irqs)?;
        let (_, done) = poll(regs, channel.dmasr(), timeout, |v| v & DMASR_HALTED == 0)?;
        if !done {
            return Err(self.timeout(regs, channel, "leaving Halted after RS=1", timeout));
        }
        Ok(())
    }

    /// Checks and starts one transfer: address (low, high), then LENGTH last.
    pub fn transfer(&self, regs: &mut dyn RegisterAccess, channel: Channel, addr: u64, bytes: u64) -> Result<(), DmaError> {
        let device = regs.name().to_owned();
        if bytes == 0 {
            return Err(DmaError::ZeroLength { device, channel });
        }
        if bytes > self.max_bytes() {
            return Err(DmaError::TooLong { device, channel, bytes, bits: self.length_bits, max: self.max_bytes() });
        }
        if !addr.is_multiple_of(u64::from(self.data_bytes.max(1))) {
            return Err(DmaError::Misaligned { device, channel, addr, align: self.data_bytes });
        }
        // Clear stale interrupt bits (write 1 to clear) so IOC means this transfer.
        regs.write32(channel.dmasr(), DMASR_IRQ_MASK)?;
        regs.write32(channel.addr(), addr as u32)?;
        regs.write32(channel.addr() + 4, (addr >> 32) as u32)?;
        regs.write32(channel.length(), bytes as u32)?;
        Ok(())
    }

    /// Waits (bounded) for `channel` to finish: Idle, or an error bit mapped to its variant.
    /// Returns the bytes moved: for S2MM the count the core wrote back into LENGTH.
    /// `capacity` is the length the transfer was started with.
    pub fn wait(&self, regs: &mut dyn RegisterAccess, channel: Channel, capacity: u64, timeout: Duration) -> Result<u64, DmaError> {
        let (dmasr, done) = poll(regs, channel.dmasr(), timeout, |v| v & (DMASR_IDLE | DMASR_ERR_MASK) != 0)?;
        if !done {
            return Err(self.timeout(regs, channel, "Idle (the end of the transfer)", timeout));
        }
        let device = regs.name().to_owned();
        if dmasr & DMASR_DEC_ERR != 0 {
            return Err(DmaError::Decode { device, channel, dmasr });
        }
        if dmasr & DMASR_SLV_ERR != 0 {
            return Err(DmaError::Slave { device, channel, dmasr });
        }
        if dmasr & DMASR_INT_ERR != 0 {
            return Err(match channel {
                Channel::S2mm => DmaError::PacketTooLong { device, capacity, dmasr },
                Channel::Mm2s => DmaError::Internal { device, channel, dmasr },
            });
        }
        regs.write32(channel.dmasr(), dmasr & DMASR_IRQ_MASK)?;
        match channel {
            Channel::Mm2s => Ok(capacity),
            Channel::S2mm => Ok(u64::from(regs.read32(S2MM_LENGTH)?)),
        }
    }

    fn timeout(&self, regs: &mut dyn RegisterAccess, channel: Channel, awaited: &'static str, timeout: Duration) -> DmaError {
        let dmasr = regs.read32(channel.dmasr()).unwrap_or(u32::MAX);
        DmaError::Timeout { device: regs.name().to_owned(), channel, awaited, timeout, dmasr }
    }
}
