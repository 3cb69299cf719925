//! The backends, one folder each. This file is the only place that maps names to them.

pub mod auto;
pub mod board_sim;
pub mod cosim;
pub mod csim;
pub mod golden;
pub mod xdma;
pub mod xrt;
pub mod zynq;

use crate::{Backend, Config, Error};

/// Output room every host-side call reserves per output, whatever its inputs (kernels such as
/// gemm write more than they read): csim's output arrays and the DMA backends' S2MM buffers.
pub const MIN_OUTPUT_ELEMENTS: usize = 16 * 1024;

/// How to open one backend.
#[derive(Debug)]
pub struct BackendFactory {
    /// The name configs use.
    pub name: &'static str,
    /// One line for `codesign kernels` and the README.
    pub description: &'static str,
    /// Opens the backend from a config.
    pub open: fn(&Config) -> Result<Box<dyn Backend>, Error>,
}

/// Every backend.
pub static BACKENDS: &[BackendFactory] = &[
    BackendFactory {
        name: "golden",
        description: "CPU golden models (codesign-models), bit-exact, no cycles",
        open: |_| Ok(Box::new(golden::Golden)),
    },
    BackendFactory {
        name: "csim",
        description: "HLS C simulation: the kernel's C++ against ap_types and codesign's hls::stream, no cycles",
        open: |_| Ok(Box::new(csim::Csim)),
    },
    BackendFactory {
        name: "cosim",
        description: "Verilator 5 cosimulation of the kernel's RTL, exact cycles",
        open: |config| Ok(Box::new(cosim::Cosim::new(config.cosim.clone()))),
    },
    BackendFactory {
        name: "auto",
        description: "per call, the golden model or the accelerator, by the crossover from `codesign sweep`",
        open: |config| Ok(Box::new(auto::Auto::open(config)?)),
    },
    BackendFactory {
        name: "board-sim",
        description: "the zynq driver over simulated devices: the RTL's s_axi_control, a PG021 AXI DMA model, cache-checked memory",
        open: |config| Ok(Box::new(board_sim::BoardSim::new(config.board_sim.clone()))),
    },
    BackendFactory {
        name: "zynq",
        description: "a PYNQ-style board (ZCU104, KV260, PYNQ-Z2): UIO control, AXI DMA simple mode, u-dma-buf",
        open: |config| match &config.zynq {
            Some(zynq) => Ok(Box::new(zynq::Zynq::open(zynq)?)),
            None => Err(missing_section("zynq")),
        },
    },
    BackendFactory {
        name: "xdma",
        description: "a PCIe card with XDMA AXI4-Stream engines; control over the user BAR",
        open: |config| match &config.xdma {
            Some(xdma) => Ok(Box::new(xdma::Xdma::open(xdma)?)),
            None => Err(missing_section("xdma")),
        },
    },
    BackendFactory {
        name: "xrt",
        description: "a Vitis platform through XRT's C API (libxrt_coreutil loaded at run time; `stand-in`: cosim behind it)",
        open: |config| match &config.xrt {
            Some(xrt) => Ok(Box::new(xrt::Xrt::open(xrt)?)),
            None => Err(missing_section("xrt")),
        },
    },
];

fn missing_section(backend: &str) -> Error {
    Error::Config { source_name: backend.to_owned(), message: format!("backend `{backend}` needs a `{backend}:` section") }
}

/// The factory called `name`; the error lists the known ones.
pub fn factory(name: &str) -> Result<&'static BackendFactory, Error> {
    BACKENDS.iter().find(|f| f.name == name).ok_or_else(|| Error::UnknownBackend {
        name: name.to_owned(),
        known: BACKENDS.iter().map(|f| f.name).collect::<Vec<_>>().join(", "),
    })
}

/// Opens the backend a config names.
pub fn open(config: &Config) -> Result<Box<dyn Backend>, Error> {
    (factory(&config.backend)?.open)(config)
}
