//! The cosim backend: the kernel's RTL, verilated at `cargo build`, driven cycle by cycle.

mod error;
mod harness;

pub use error::CosimError;

use std::time::Instant;

use codesign_hw::manifest::BlockProtocol;
use codesign_models::Values;
use codesign_sim::verilated::Model;

use crate::config::CosimConfig;
use crate::{Backend, Error, Kernel, Outcome, Report};
use harness::Harness;

/// s_axi_control registers (ap_ctrl_hs on s_axilite; see shared/docs/hls-rtl-contract.md).
mod reg {
    pub const AP_CTRL: u64 = 0x00;
    pub const GIE: u64 = 0x04;
    pub const IER: u64 = 0x08;
    pub const ISR: u64 = 0x0c;
    pub const AP_START: u32 = 1 << 0;
    pub const AP_DONE: u32 = 1 << 1;
    pub const IRQ_DONE: u32 = 1 << 0;
}

/// Verilator cosimulation with exact cycle counts.
#[derive(Debug, Clone)]
pub struct Cosim {
    config: CosimConfig,
}

impl Cosim {
    /// A cosim backend with these settings.
    pub fn new(config: CosimConfig) -> Self {
        Cosim { config }
    }
}

impl Backend for Cosim {
    fn name(&self) -> &str {
        "cosim"
    }

    fn counts_cycles(&self) -> bool {
        true
    }

    fn call(&mut self, kernel: &Kernel, inputs: &Values) -> Result<Outcome, Error> {
        kernel.check_inputs(inputs)?;
        if kernel.manifest.control.protocol != BlockProtocol::ApCtrlHs {
            return Err(Error::Unsupported {
                backend: self.name().to_owned(),
                ability: format!("block protocol {} (kernel `{}`)", kernel.manifest.control.protocol.as_str(), kernel.name()),
            });
        }
        let start = Instant::now();
        let model = Model::new(kernel.source.model, self.config.x_init()).map_err(CosimError::wrap(kernel.name()))?;
        let mut harness = Harness::bind(&model, kernel, inputs, &self.config)?;
        harness.reset();
        for arg in &kernel.manifest.args {
            let value = inputs.scalars.get(&arg.name).copied().unwrap_or(0);
            harness.write(u64::from(arg.offset), value as u32)?;
            if arg.width == 64 {
                harness.write(u64::from(arg.offset) + 4, (value >> 32) as u32)?;
            }
        }
        harness.write(reg::GIE, 1)?;
        harness.write(reg::IER, reg::IRQ_DONE)?;
        harness.mark_start();
        let started = harness.cycle();
        harness.write(reg::AP_CTRL, reg::AP_START)?;
        harness.run_until_interrupt()?;
        let cycles = harness.cycle() - started;
        let ports = harness.port_reports();
        // Acknowledge as a driver does: ISR is toggle-on-write, so write back what was read.
        let isr = harness.read(reg::ISR)?;
        harness.write(reg::ISR, isr)?;
        let ctrl = harness.read(reg::AP_CTRL)?;
        if isr & reg::IRQ_DONE == 0 || ctrl & reg::AP_DONE == 0 {
            return Err(harness.protocol_error(
                "s_axi_control",
                format!("interrupt without done: ISR={isr:#x} AP_CTRL={ctrl:#x}"),
            ));
        }
        let outputs = harness.finish()?;
        let simulated_cycles = harness.cycle();
        Ok(Outcome {
            outputs,
            report: Report {
                cycles: Some(cycles),
                simulated_cycles: Some(simulated_cycles),
                wall: start.elapsed(),
                ports,
                executed_by: None,
            },
        })
    }
}
