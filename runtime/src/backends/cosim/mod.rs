//! The cosim backend: the kernel's RTL, verilated at `cargo build`, driven cycle by cycle
//! through its AXI4-Stream ports, its s_axi_control (the HLS register semantics of
//! ap_ctrl_hs and ap_ctrl_chain) or bare block ports, or none (ap_ctrl_none); see
//! [`control`] for how a call starts and ends.

mod arrays;
mod control;
mod harness;
mod streams;

pub use codesign_sim::axil::hls as reg;
pub use harness::Harness;
// Public through this backend: the source of its model errors, and what a run records.
pub use crate::rtl::{trace_format, CosimError};

use std::time::Instant;

use codesign_models::Values;
use codesign_sim::verilated::{Model, TraceFormat};

use crate::config::CosimConfig;
use crate::rtl::{rerun_traced_on_failure, waveform_path};
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
/// to `f`: register-level tests drive s_axi_control themselves. Records a waveform when
/// `CODESIGN_TRACE` or `config.trace` asks for one.
pub fn session<R>(
    kernel: &Kernel,
    inputs: &Values,
    config: &CosimConfig,
    f: impl FnOnce(&mut Harness<'_>) -> Result<R, Error>,
) -> Result<R, Error> {
    session_traced(kernel, inputs, config, trace_format(config)?, f)
}

fn session_traced<R>(
    kernel: &Kernel,
    inputs: &Values,
    config: &CosimConfig,
    trace: Option<TraceFormat>,
    f: impl FnOnce(&mut Harness<'_>) -> Result<R, Error>,
) -> Result<R, Error> {
    let model = Model::new(kernel.model(config.variant(trace))?, config.x_init()).map_err(CosimError::wrap(kernel.name()))?;
    let mut harness = Harness::bind(&model, kernel, inputs, config)?;
    if let Some(format) = trace {
        let trace = model.open_trace(waveform_path(kernel.name(), format), format).map_err(CosimError::wrap(kernel.name()))?;
        harness.trace_into(trace);
    }
    harness.reset();
    let result = f(&mut harness);
    harness.close_trace();
    result
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
        if let Some(graph) = kernel.graph() {
            return crate::graph::system::run(graph, inputs, &self.config);
        }
        let trace = trace_format(&self.config)?;
        let result = self.call_once(kernel, inputs, trace);
        rerun_traced_on_failure(result, trace, || self.call_once(kernel, inputs, Some(TraceFormat::Fst)))
    }
}

impl Cosim {
    fn call_once(&self, kernel: &Kernel, inputs: &Values, trace: Option<TraceFormat>) -> Result<Outcome, Error> {
        let start = Instant::now();
        session_traced(kernel, inputs, &self.config, trace, |harness| {
            let call = control::drive(harness, kernel, inputs)?;
            let ports = harness.port_reports();
            let memories = harness.memory_reports();
            let mut outputs = harness.finish()?;
            outputs.scalars = call.outputs.scalars;
            outputs.streams.extend(call.outputs.streams);
            let cycles = call.cycles;
            Ok(Outcome {
                outputs,
                report: Report {
                    cycles: Some(cycles),
                    simulated_cycles: Some(harness.cycle()),
                    wall: start.elapsed(),
                    ports,
                    executed_by: None,
                    waveform: harness.waveform.clone().map(Into::into),
                    memories,
                    transactions: call.transactions,
                    ..Report::default()
                },
            })
        })
    }
}
