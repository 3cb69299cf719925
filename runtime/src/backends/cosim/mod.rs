//! The cosim backend: the kernel's RTL, verilated at `cargo build`, driven cycle by cycle
//! through its AXI4-Stream ports, its s_axi_control (the HLS register semantics of
//! ap_ctrl_hs and ap_ctrl_chain) or bare block ports, or none (ap_ctrl_none); see
//! [`control`] for how a call starts and ends.

mod arrays;
mod control;
pub(crate) mod end_rules;
mod error;
mod harness;
pub(crate) mod memory;
mod streams;

pub use codesign_sim::axil::hls as reg;
pub use error::CosimError;
pub use harness::Harness;
pub(crate) use harness::CHECK_EVERY;
pub(crate) use streams::Marks;

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use codesign_models::Values;
use codesign_sim::verilated::{Model, TraceFormat};

use crate::config::{CosimConfig, TraceConfig};
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

/// The waveform format to record: `CODESIGN_TRACE` (vcd, fst, none) if set, else the config's.
pub fn trace_format(config: &CosimConfig) -> Result<Option<TraceFormat>, Error> {
    if std::env::var_os("CODESIGN_TRACE").is_some() {
        return TraceFormat::from_env().map_err(|e| Error::Config {
            source_name: "environment".to_owned(),
            message: e.to_string(),
        });
    }
    Ok(match config.trace {
        TraceConfig::None => None,
        TraceConfig::Vcd => Some(TraceFormat::Vcd),
        TraceConfig::Fst => Some(TraceFormat::Fst),
    })
}

/// `waves/<stem>-<process>-<call>.<ext>` in the output folder (`target/codesign` by default):
/// one file per call (and per model of a graph), never reused by concurrent test processes.
pub(crate) fn waveform_path(stem: &str, format: TraceFormat) -> std::path::PathBuf {
    static CALLS: AtomicU64 = AtomicU64::new(0);
    let call = CALLS.fetch_add(1, Ordering::Relaxed);
    let file = format!("{stem}-{}-{call}.{}", std::process::id(), format.extension());
    crate::report::output_dir().join("waves").join(file)
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

/// Cosim is deterministic: a call (or graph call) that failed in the run itself (hang,
/// protocol, budget, deadlock) and recorded no waveform is run again with one, so that the
/// error names a file to open as the same failure recurs. When the re-run cannot record (no
/// traced variant: no Verilator or kernel folder at run time) the failure stands as found.
pub(crate) fn rerun_traced_on_failure(
    result: Result<Outcome, Error>,
    trace: Option<TraceFormat>,
    rerun: impl FnOnce() -> Result<Outcome, Error>,
) -> Result<Outcome, Error> {
    let is_run_failure =
        |e: &Error| matches!(e, Error::Timeout { .. } | Error::Protocol { .. } | Error::Deadlock { .. } | Error::OverBudget { .. });
    match result {
        Err(error) if trace.is_none() && is_run_failure(&error) => match rerun() {
            Err(traced) if is_run_failure(&traced) => Err(traced),
            Err(_) | Ok(_) => Err(error),
        },
        result => result,
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
