//! The `board-sim` backend: the zynq driver code ([`crate::driver::hls_block`] +
//! [`crate::driver::axi_dma`], sequenced by [`crate::backends::zynq::call`]) over simulated
//! devices — the kernel's RTL register file cycle by cycle, a PG021 DMA model per stream,
//! an AXI4 slave per `m_axi` bundle with a memory timing preset ([`MemoryPreset`]), and heap
//! DMA memory that checks the flush/invalidate order of both. What runs on a ZCU104 runs
//! here, in CI, without a board.
//!
//! A free-running (ap_ctrl_none) kernel has no s_axi_control: the board binds none, and any
//! access to it is an error. Its call cycles run from the first MM2S start to the last S2MM
//! completion (the beat with TLAST), as the DMA models record them.

mod board;
mod dma_model;
mod memory;
mod timing;

pub use board::{SimBoard, SimControl, SimDmaRegs, SimMem};
pub use memory::SimMemory;
pub use timing::MemoryPreset;

use std::time::{Duration, Instant};

use codesign_models::Values;
use codesign_sim::verilated::{Model, XInit};

use super::zynq::call::{check_dma_kernel, kernel_call, CallError, CallSettings};
use crate::config::BoardSimConfig;
use crate::device::RegisterAccess;
use crate::{Backend, Error, Kernel, Outcome, Report};

/// The zynq driver against simulated devices.
#[derive(Debug, Clone)]
pub struct BoardSim {
    config: BoardSimConfig,
}

impl BoardSim {
    /// A board-sim backend with these settings.
    pub fn new(config: BoardSimConfig) -> Self {
        BoardSim { config }
    }

    /// The driver settings this config gives.
    pub fn settings(&self) -> CallSettings {
        CallSettings {
            done: self.config.done,
            timeout: Duration::from_secs_f64(self.config.timeout_ms / 1e3),
            length_bits: self.config.length_bits,
            dma_interrupts: false,
        }
    }
}

/// A failed call with where the simulated board stood (the typed error is the source).
#[derive(Debug, thiserror::Error)]
#[error("{error}\n  at cycle {cycle}: {state}")]
pub struct BoardSimError {
    /// What the driver reported.
    #[source]
    pub error: CallError,
    /// Simulated cycle.
    pub cycle: u64,
    /// Ports and DMA status registers.
    pub state: String,
}

/// Wraps a driver or device error as this backend's.
pub(crate) fn backend_error(source: impl std::error::Error + Send + Sync + 'static) -> Error {
    Error::Backend { backend: "board-sim".to_owned(), source: Box::new(source) }
}

/// Opens `kernel`'s model and a simulated board around it, and hands the board to `f`
/// (driver tests drive it register by register).
pub fn with_board<R>(kernel: &Kernel, config: &BoardSimConfig, f: impl FnOnce(&SimBoard<'_>) -> R) -> Result<R, Error> {
    let model = Model::new(kernel.source()?.model, XInit::Zeros).map_err(backend_error)?;
    let board = SimBoard::new(&model, kernel, config).map_err(backend_error)?;
    Ok(f(&board))
}

impl Backend for BoardSim {
    fn name(&self) -> &str {
        "board-sim"
    }

    fn call(&mut self, kernel: &Kernel, inputs: &Values) -> Result<Outcome, Error> {
        kernel.check_inputs(inputs)?;
        if let Some(graph) = kernel.graph() {
            // One kernel per simulated board, as on a PYNQ image: the host moves the data
            // between them.
            return crate::graph::compose::call_composed(self, graph, inputs);
        }
        check_dma_kernel(self.name(), kernel)?;
        let wall = Instant::now();
        let settings = self.settings();
        with_board(kernel, &self.config, |board| {
            let mut control = board.control();
            let mut dmas = board.dmas();
            let mut regs: Vec<&mut dyn RegisterAccess> = dmas.iter_mut().map(|d| d as &mut dyn RegisterAccess).collect();
            let mut memory = board.memory();
            let result = kernel_call(kernel, inputs, &mut control, &mut regs, &mut memory, &settings);
            let outputs = result
                .map_err(|error| backend_error(BoardSimError { error, cycle: board.cycle(), state: board.state() }))?;
            if let Some(violation) = board.violation() {
                return Err(Error::Protocol { kernel: kernel.name().to_owned(), port: "stream".to_owned(), cycle: board.cycle(), message: violation });
            }
            if let Some((port, message)) = board.memory_violation() {
                return Err(Error::Protocol { kernel: kernel.name().to_owned(), port, cycle: board.cycle(), message });
            }
            Ok(Outcome {
                outputs,
                report: Report {
                    cycles: board.call_cycles(),
                    simulated_cycles: Some(board.cycle()),
                    wall: wall.elapsed(),
                    memories: board.memory_reports(self.config.memory.name()),
                    ..Report::default()
                },
            })
        })?
    }
}
