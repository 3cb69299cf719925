//! The `zynq:`, `xdma:` and `board-sim:` sections: which device nodes a board backend opens.
//! Paths are only checked when the backend opens them, so every config parses anywhere.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Deserialize;

pub use crate::backends::board_sim::MemoryPreset;
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
    /// Empty for a kernel with `m_axi` buffers only.
    #[serde(default)]
    pub streams: BTreeMap<String, ZynqDma>,
    /// The u-dma-buf node holding every buffer, streams' and `m_axi` ones (`/dev/udmabuf0`).
    #[serde(default)]
    pub buffer: Option<PathBuf>,
    /// Without u-dma-buf: a reserved physical region mapped through /dev/mem (root).
    #[serde(default)]
    pub reserved_memory: Option<ReservedRegion>,
    /// Every wait's bound, in milliseconds.
    #[serde(default = "one_second")]
    pub timeout_ms: u64,
    /// The sysfs root (tests point it at a fake tree).
    #[serde(default = "sysfs_root")]
    pub sysfs: PathBuf,
}

/// A reserved physical region (device tree `reserved-memory`, `no-map`) for the buffers.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ReservedRegion {
    /// Physical address (page-aligned).
    pub phys: u64,
    /// Bytes.
    pub size: u64,
}

/// Where the kernel's control registers are.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ZynqKernel {
    /// The kernel the bitstream holds (calls of any other kernel are unsupported).
    pub name: String,
    /// Its UIO node (`/dev/uio4`); absent: `devmem`; both absent: an ap_ctrl_none kernel
    /// (no s_axi_control).
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
    #[serde(default)]
    pub streams: BTreeMap<String, u32>,
    /// Card memory for `m_axi` kernels' buffers (XDMA in memory-mapped mode).
    #[serde(default)]
    pub memory: Option<XdmaMemory>,
    /// The kernel-control wait's bound, in milliseconds (the XDMA driver bounds the stream
    /// reads and writes itself, 10 s by default).
    #[serde(default = "one_second")]
    pub timeout_ms: u64,
}

/// Card memory reached by XDMA's memory-mapped engines: buffers are placed in
/// `base..base + size` (card AXI addresses, e.g. a DDR bank) and moved by pwrite/pread.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct XdmaMemory {
    /// First card address for buffers.
    pub base: u64,
    /// Bytes available.
    pub size: u64,
    /// The h2c engine that writes card memory.
    #[serde(default)]
    pub h2c: u32,
    /// The c2h engine that reads it.
    #[serde(default)]
    pub c2h: u32,
}

fn xrt_library() -> String {
    "libxrt_coreutil.so".to_owned()
}

/// A Vitis platform through XRT's C API, loaded at run time.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct XrtConfig {
    /// The XRT library: a path, a name the dynamic loader finds (`libxrt_coreutil.so`, on
    /// `LD_LIBRARY_PATH` after XRT's setup.sh), or `stand-in` for the in-tree stand-in backed
    /// by cosim (CI without a card).
    #[serde(default = "xrt_library")]
    pub library: String,
    /// The .xclbin to load.
    pub xclbin: PathBuf,
    /// The device index.
    #[serde(default)]
    pub device: u32,
    /// The bound of the wait for a run, in milliseconds.
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
    /// Timing of the memory behind the kernel's `m_axi` ports (a named preset).
    #[serde(default)]
    pub memory: MemoryPreset,
}

impl Default for BoardSimConfig {
    fn default() -> Self {
        BoardSimConfig { done: DoneMode::default(), timeout_ms: ten_ms(), length_bits: length_bits(), memory: MemoryPreset::default() }
    }
}

/// Checks what serde cannot: LENGTH widths, interrupt sources.
pub(crate) fn validate(zynq: Option<&ZynqConfig>, xdma: Option<&XdmaConfig>, sim: &BoardSimConfig) -> Result<(), String> {
    let bits = |key: String, b: u32| if (8..=26).contains(&b) { Ok(()) } else { Err(format!("{key}: {b} is not a LENGTH width (8..=26)")) };
    if let Some(z) = zynq {
        for (name, dma) in &z.streams {
            bits(format!("zynq.streams.{name}.length-bits"), dma.length_bits)?;
        }
        if z.buffer.is_some() == z.reserved_memory.is_some() {
            return Err("zynq: give one of `buffer` (a /dev/udmabufN node) or `reserved-memory` ({ phys, size } through /dev/mem)".into());
        }
        // Neither `uio` nor `devmem`: a free-running (ap_ctrl_none) kernel without
        // s_axi_control; a call of any other kernel is a config error (backends::zynq).
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
