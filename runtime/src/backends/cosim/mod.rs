//! The cosim backend: the kernel's RTL, verilated at `cargo build`, driven cycle by cycle
//! through its AXI4-Stream ports and s_axi_control, with the HLS register semantics of
//! ap_ctrl_hs and ap_ctrl_chain.

mod error;
mod harness;

pub use codesign_sim::axil::hls as reg;
pub use error::CosimError;
pub use harness::Harness;

use std::time::Instant;

use codesign_hw::manifest::{ArgDirection, BlockProtocol};
use codesign_models::Values;
use codesign_sim::verilated::Model;

use crate::config::CosimConfig;
use crate::{Backend, Error, Kernel, Outcome, Report};

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

/// Opens `kernel`'s model with `inputs` bound to its ports, resets it, and hands the harness
/// to `f`: register-level tests drive s_axi_control themselves.
pub fn session<R>(
    kernel: &Kernel,
    inputs: &Values,
    config: &CosimConfig,
    f: impl FnOnce(&mut Harness<'_>) -> Result<R, Error>,
) -> Result<R, Error> {
    let model = Model::new(kernel.source.model, config.x_init()).map_err(CosimError::wrap(kernel.name()))?;
    let mut harness = Harness::bind(&model, kernel, inputs, config)?;
    harness.reset();
    f(&mut harness)
}

/// One call as a driver does it: arguments, interrupts on, start, wait for the interrupt,
/// acknowledge, continue (ap_ctrl_chain), read output scalars.
fn drive_call(harness: &mut Harness<'_>, kernel: &Kernel, inputs: &Values) -> Result<(u64, Values), Error> {
    let chain = kernel.manifest.control.protocol == BlockProtocol::ApCtrlChain;
    for arg in kernel.manifest.args.iter().filter(|a| a.direction == ArgDirection::In) {
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
    // ISR is toggle-on-write: write back what was read to clear exactly those bits.
    let isr = harness.read(reg::ISR)?;
    harness.write(reg::ISR, isr)?;
    let ctrl = harness.read(reg::AP_CTRL)?;
    if isr & reg::IRQ_DONE == 0 || ctrl & reg::AP_DONE == 0 {
        return Err(harness.protocol_error(
            "s_axi_control",
            format!("interrupt without done: ISR={isr:#x} AP_CTRL={ctrl:#x}"),
        ));
    }
    if chain {
        harness.write(reg::AP_CTRL, reg::AP_CONTINUE)?;
    }
    let mut outputs = Values::new();
    for arg in kernel.manifest.args.iter().filter(|a| a.direction == ArgDirection::Out) {
        let offset = u64::from(arg.offset);
        let control = offset + u64::from(arg.width / 8);
        if harness.read(control)? & 1 == 0 {
            return Err(harness.protocol_error(
                "s_axi_control",
                format!("output `{}`: {}_ap_vld (bit 0 at {control:#x}) is 0 after done", arg.name, arg.name),
            ));
        }
        let mut value = u64::from(harness.read(offset)?);
        if arg.width == 64 {
            value |= u64::from(harness.read(offset + 4)?) << 32;
        }
        outputs.scalars.insert(arg.name.clone(), value);
    }
    Ok((cycles, outputs))
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
        if kernel.manifest.control.protocol == BlockProtocol::ApCtrlNone {
            return Err(Error::Unsupported {
                backend: self.name().to_owned(),
                ability: format!("block protocol ap_ctrl_none (kernel `{}`)", kernel.name()),
            });
        }
        let start = Instant::now();
        session(kernel, inputs, &self.config, |harness| {
            let (cycles, scalars) = drive_call(harness, kernel, inputs)?;
            let ports = harness.port_reports();
            let mut outputs = harness.finish()?;
            outputs.scalars = scalars.scalars;
            Ok(Outcome {
                outputs,
                report: Report {
                    cycles: Some(cycles),
                    simulated_cycles: Some(harness.cycle()),
                    wall: start.elapsed(),
                    ports,
                    executed_by: None,
                },
            })
        })
    }
}
