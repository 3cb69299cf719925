//! The `zynq:`, `xdma:` and `board-sim:` sections: which device nodes a board backend opens.
//! Paths are only checked when the backend opens them, so every config parses anywhere.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Deserialize;

use crate::driver::hls_block::DoneMode;

fn sysfs_root() -> PathBuf {
    PathBuf::from(crate::device::sysfs::SYSFS)
}
fn one_second() -> u64 {
    1000
}
fn length_bits() -> u32 {
    26
}
fn control_size() -> u64 {
    0x10000
}
fn yes() -> bool {
    true
}
fn ten_ms() -> f64 {
    10.0
}

/// A PYNQ-style board: kernel control over UIO (or /dev/mem), one AXI DMA per stream over
/// UIO, buffers in u-dma-buf.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ZynqConfig {
    /// The kernel in the bitstream and where its s_axi_control is.
    pub kernel: ZynqKernel,
    /// Manifest stream name -> the AXI DMA serving it (MM2S for inputs, S2MM for outputs).
    pub streams: BTreeMap<String, ZynqDma>,
    /// The u-dma-buf node holding every buffer (`/dev/udmabuf0`).
    pub buffer: PathBuf,
    /// Every wait's bound, in milliseconds.
    #[serde(default = "one_second")]
    pub timeout_ms: u64,
    /// The sysfs root (tests point it at a fake tree).
    #[serde(default = "sysfs_root")]
    pub sysfs: PathBuf,
}

/// Where the kernel's control registers are.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ZynqKernel {
    /// The kernel the bitstream holds (calls of any other kernel are unsupported).
    pub name: String,
    /// Its UIO node (`/dev/uio4`); absent: `devmem`.
    #[serde(default)]
    pub uio: Option<PathBuf>,
    /// The UIO region holding s_axi_control.
    #[serde(default)]
    pub map: u32,
    /// Fallback without UIO: physical address of s_axi_control through /dev/mem (root).
    #[serde(default)]
    pub devmem: Option<u64>,
    /// Poll AP_CTRL or wait for the interrupt (needs `uio`).
    #[serde(default)]
    pub done: DoneMode,
}

/// One AXI DMA instance.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ZynqDma {
    /// Its UIO node.
    pub uio: PathBuf,
    /// The core's LENGTH register width (c_sg_length_width, 8..=26).
    #[serde(default = "length_bits")]
    pub length_bits: u32,
}

/// A PCIe card with XDMA in AXI4-Stream mode; the kernel's control on the user BAR.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct XdmaConfig {
    /// The kernel on the card.
    pub kernel: String,
    /// Node prefix (`/dev/xdma0`: `_user`, `_h2c_N`, `_c2h_N`, `_events_N`).
    pub device: PathBuf,
    /// Offset of s_axi_control in the user BAR.
    #[serde(default)]
    pub control_base: u64,
    /// Size of the control window.
    #[serde(default = "control_size")]
    pub control_size: u64,
    /// Map the BAR (true) or use 4-byte pread/pwrite (false).
    #[serde(default = "yes")]
    pub mmap: bool,
    /// User interrupt number for `done: interrupt` (`_events_N`).
    #[serde(default)]
    pub event: Option<u32>,
    /// Poll AP_CTRL or wait for the event.
    #[serde(default)]
    pub done: DoneMode,
    /// Manifest stream name -> engine number (h2c_N for inputs, c2h_N for outputs).
    pub streams: BTreeMap<String, u32>,
    /// The kernel-control wait's bound, in milliseconds (the XDMA driver bounds the stream
    /// reads and writes itself, 10 s by default).
    #[serde(default = "one_second")]
    pub timeout_ms: u64,
}

/// The zynq driver over simulated devices.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct BoardSimConfig {
    /// Poll AP_CTRL or wait for the interrupt.
    #[serde(default)]
    pub done: DoneMode,
    /// Every wait's bound in simulated milliseconds (at the manifest's clock).
    #[serde(default = "ten_ms")]
    pub timeout_ms: f64,
    /// The simulated DMA cores' LENGTH width.
    #[serde(default = "length_bits")]
    pub length_bits: u32,
}

impl Default for BoardSimConfig {
    fn default() -> Self {
        BoardSimConfig { done: DoneMode::default(), timeout_ms: ten_ms(), length_bits: length_bits() }
    }
}

/// Checks what serde cannot: LENGTH widths, interrupt sources.
pub(crate) fn validate(zynq: Option<&ZynqConfig>, xdma: Option<&XdmaConfig>, sim: &BoardSimConfig) -> Result<(), String> {
    let bits = |key: String, b: u32| if (8..=26).contains(&b) { Ok(()) } else { Err(format!("{key}: {b} is not a LENGTH width (8..=26)")) };
    if let Some(z) = zynq {
        for (name, dma) in &z.streams {
            bits(format!("zynq.streams.{name}.length-bits"), dma.length_bits)?;
        }
        if z.kernel.uio.is_none() && z.kernel.devmem.is_none() {
            return Err("zynq.kernel: give `uio` (a /dev/uioN node) or `devmem` (a physical address)".into());
        }
        if z.kernel.uio.is_none() && z.kernel.done == DoneMode::Interrupt {
            return Err("zynq.kernel.done: `interrupt` needs `uio` (/dev/mem has no interrupt)".into());
        }
    }
    if let Some(x) = xdma {
        if x.done == DoneMode::Interrupt && x.event.is_none() {
            return Err("xdma.done: `interrupt` needs `event` (the user interrupt number)".into());
        }
    }
    bits("board-sim.length-bits".into(), sim.length_bits)?;
    if sim.timeout_ms.is_nan() || sim.timeout_ms <= 0.0 {
        return Err(format!("board-sim.timeout-ms: {} must be positive", sim.timeout_ms));
    }
    Ok(())
}
