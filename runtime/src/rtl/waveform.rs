//! Waveforms of a run: which format (the environment or the config), where each goes, and the
//! traced re-run of a failed call so that its error names a file to open.

use std::sync::atomic::{AtomicU64, Ordering};

use codesign_sim::verilated::TraceFormat;

use crate::config::{CosimConfig, TraceConfig};
use crate::{Error, Outcome};

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
