//! Control of a Vitis HLS block through its s_axi_control register file, as the manifest
//! maps it: arguments (64-bit as two words), ap_start, done by polling AP_CTRL or by the
//! interrupt (GIE/IER, then ISR toggle-on-write to acknowledge), ap_continue for
//! ap_ctrl_chain, output scalars gated by their `_ap_vld` bit.

use std::time::Duration;

use codesign_hw::manifest::{ArgDirection, BlockProtocol, Manifest};
use codesign_models::Values;

pub use codesign_sim::axil::hls as reg;

use super::poll;
use crate::device::{DeviceError, RegisterAccess};

/// How the driver learns that the block is done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DoneMode {
    /// Read AP_CTRL until ap_done (works everywhere, /dev/mem included).
    #[default]
    Poll,
    /// Enable the done interrupt and wait for it (UIO, XDMA events).
    Interrupt,
}

/// What can go wrong controlling an HLS block.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum HlsError {
    /// The register access failed.
    #[error(transparent)]
    Device(#[from] DeviceError),
    /// The block has no s_axi_control start/done (ap_ctrl_none, or bare block ports).
    #[error("kernel `{kernel}`: block protocol {protocol} has no start/done to drive")]
    Protocol {
        /// Kernel.
        kernel: String,
        /// Its protocol.
        protocol: &'static str,
    },
    /// The block was not idle when asked to start.
    #[error("kernel `{kernel}` on {device} is busy: AP_CTRL={ap_ctrl:#x} (ap_idle low) before ap_start")]
    Busy {
        /// Kernel.
        kernel: String,
        /// Register window.
        device: String,
        /// AP_CTRL read.
        ap_ctrl: u32,
    },
    /// ap_done did not come in time.
    #[error("kernel `{kernel}` on {device}: no ap_done within {timeout:?} ({mode:?}); AP_CTRL={ap_ctrl:#x}")]
    Timeout {
        /// Kernel.
        kernel: String,
        /// Register window.
        device: String,
        /// The wait.
        timeout: Duration,
        /// Poll or interrupt.
        mode: DoneMode,
        /// AP_CTRL at the end.
        ap_ctrl: u32,
    },
    /// An interrupt came but ISR does not say done.
    #[error("kernel `{kernel}` on {device}: interrupt without done: ISR={isr:#x}")]
    InterruptWithoutDone {
        /// Kernel.
        kernel: String,
        /// Register window.
        device: String,
        /// ISR read.
        isr: u32,
    },
    /// An output scalar's `_ap_vld` was low after done.
    #[error("kernel `{kernel}`: output `{arg}`: {arg}_ap_vld (bit 0 at {offset:#x}) is 0 after done")]
    OutputNotValid {
        /// Kernel.
        kernel: String,
        /// Argument.
        arg: String,
        /// Offset of the control word.
        offset: u64,
    },
}

/// Writes `manifest`'s input register arguments (absent ones as 0; 64-bit ones low word
/// first): before ap_start, or, for a free-running kernel, before data flows.
pub fn write_register_args(manifest: &Manifest, regs: &mut dyn RegisterAccess, inputs: &Values) -> Result<(), HlsError> {
    for arg in manifest.args.iter().filter(|a| a.direction == ArgDirection::In) {
        let Some(offset) = arg.register() else { continue };
        let value = inputs.scalars.get(&arg.name).copied().unwrap_or(0);
        regs.write32(u64::from(offset), value as u32)?;
        if arg.width == 64 {
            regs.write32(u64::from(offset) + 4, (value >> 32) as u32)?;
        }
    }
    Ok(())
}

/// One HLS block as its manifest describes it.
#[derive(Debug, Clone, Copy)]
pub struct HlsBlock<'k> {
    manifest: &'k Manifest,
    mode: DoneMode,
}

impl<'k> HlsBlock<'k> {
    /// A driver for the block `manifest` describes; ap_ctrl_none is an error.
    pub fn new(manifest: &'k Manifest, mode: DoneMode) -> Result<Self, HlsError> {
        if manifest.control.protocol == BlockProtocol::ApCtrlNone || manifest.bare_control() {
            return Err(HlsError::Protocol { kernel: manifest.name.clone(), protocol: manifest.control.protocol.as_str() });
        }
        Ok(HlsBlock { manifest, mode })
    }

    /// Writes the input scalars (absent ones as 0; 64-bit ones low word first).
    pub fn write_args(&self, regs: &mut dyn RegisterAccess, inputs: &Values) -> Result<(), HlsError> {
        write_register_args(self.manifest, regs, inputs)
    }

    /// Checks ap_idle, enables the done interrupt (interrupt mode) and writes ap_start.
    pub fn start(&self, regs: &mut dyn RegisterAccess) -> Result<(), HlsError> {
        let ap_ctrl = regs.read32(reg::AP_CTRL)?;
        if ap_ctrl & reg::AP_IDLE == 0 {
            return Err(HlsError::Busy { kernel: self.manifest.name.clone(), device: regs.name().to_owned(), ap_ctrl });
        }
        if self.mode == DoneMode::Interrupt {
            regs.write32(reg::GIE, 1)?;
            regs.write32(reg::IER, reg::IRQ_DONE)?;
        }
        regs.write32(reg::AP_CTRL, reg::AP_START)?;
        Ok(())
    }

    /// Waits at most `timeout` for ap_done, acknowledges it (ISR, ap_continue).
    pub fn wait_done(&self, regs: &mut dyn RegisterAccess, timeout: Duration) -> Result<(), HlsError> {
        let timed_out = |regs: &mut dyn RegisterAccess| -> HlsError {
            let ap_ctrl = regs.read32(reg::AP_CTRL).unwrap_or(u32::MAX);
            HlsError::Timeout { kernel: self.manifest.name.clone(), device: regs.name().to_owned(), timeout, mode: self.mode, ap_ctrl }
        };
        match self.mode {
            DoneMode::Poll => {
                // ap_done is clear-on-read with ap_ctrl_hs: the read that sees it is the ack.
                let (_, done) = poll(regs, reg::AP_CTRL, timeout, |v| v & reg::AP_DONE != 0)?;
                if !done {
                    return Err(timed_out(regs));
                }
            }
            DoneMode::Interrupt => {
                if !regs.wait_interrupt(timeout)? {
                    return Err(timed_out(regs));
                }
                // ISR is toggle-on-write: write back what was read to clear exactly those bits.
                let isr = regs.read32(reg::ISR)?;
                regs.write32(reg::ISR, isr)?;
                if isr & reg::IRQ_DONE == 0 {
                    return Err(HlsError::InterruptWithoutDone {
                        kernel: self.manifest.name.clone(),
                        device: regs.name().to_owned(),
                        isr,
                    });
                }
            }
        }
        if self.manifest.control.protocol == BlockProtocol::ApCtrlChain {
            regs.write32(reg::AP_CTRL, reg::AP_CONTINUE)?;
        }
        Ok(())
    }

    /// Reads the output scalars; each must have its `_ap_vld` set.
    pub fn read_outputs(&self, regs: &mut dyn RegisterAccess) -> Result<Values, HlsError> {
        let mut outputs = Values::new();
        for arg in self.manifest.args.iter().filter(|a| a.direction == ArgDirection::Out) {
            let Some(offset) = arg.register() else { continue };
            let offset = u64::from(offset);
            let control = offset + u64::from(arg.width / 8);
            if regs.read32(control)? & 1 == 0 {
                return Err(HlsError::OutputNotValid { kernel: self.manifest.name.clone(), arg: arg.name.clone(), offset: control });
            }
            let mut value = u64::from(regs.read32(offset)?);
            if arg.width == 64 {
                value |= u64::from(regs.read32(offset + 4)?) << 32;
            }
            outputs.scalars.insert(arg.name.clone(), value);
        }
        Ok(outputs)
    }
}
