//! Measuring one perf case: run it, verify it against its reference (golden model, else its
//! C++), keep its report.

use crate::perf::Baseline;
use crate::workload::{compare, standard_cases, Case};
use crate::{Backend, Config, Error, Kernel, Report};

/// A verified, cycle-counted call.
#[derive(Debug, Clone)]
pub struct Measurement {
    /// Kernel name (the name baselines are kept under).
    pub kernel: String,
    /// Case name.
    pub case: String,
    /// Config name.
    pub config: String,
    /// Elements per input stream.
    pub elements: usize,
    /// Exact cycles from `ap_start` to done.
    pub cycles: u64,
    /// The manifest's interface bound for `elements`.
    pub bound: u64,
    /// The backend's report (ports, latency, II).
    pub report: Report,
}

impl Measurement {
    /// As a baseline entry.
    pub fn baseline(&self) -> Baseline {
        Baseline { kernel: self.kernel.clone(), case: self.case.clone(), config: self.config.clone(), cycles: self.cycles }
    }

    /// Interface bound / cycles.
    pub fn efficiency(&self) -> f64 {
        self.bound as f64 / self.cycles.max(1) as f64
    }

    /// Elements per cycle.
    pub fn elements_per_cycle(&self) -> f64 {
        self.elements as f64 / self.cycles.max(1) as f64
    }
}

/// The perf cases of a kernel: its standard workloads (cycle baselines use no back-pressure).
pub fn perf_cases(kernel: &Kernel) -> Result<Vec<Case>, Error> {
    standard_cases(kernel)
}

/// Runs `case` on `backend`, checks the outputs against the golden model (else the kernel's
/// C++ as C simulation, as `run` does) and returns the
/// measurement. A backend without exact cycles is [`Error::Unsupported`].
pub fn measure(backend: &mut dyn Backend, config: &Config, kernel: &Kernel, case: &Case) -> Result<Measurement, Error> {
    if !backend.counts_cycles() {
        return Err(Error::Unsupported { backend: backend.name().to_owned(), ability: "exact cycle counts".into() });
    }
    let expected = match crate::reference::expected(kernel, backend.name(), &case.inputs)? {
        Ok(expected) => expected.values,
        Err(why) => {
            return Err(Error::Unsupported { backend: backend.name().to_owned(), ability: format!("verified cycle counts: {why}") })
        }
    };
    let outcome = backend.call(kernel, &case.inputs)?;
    compare(kernel, &expected, &outcome.outputs).map_err(|message| Error::Mismatch {
        kernel: kernel.name().to_owned(),
        backend: backend.name().to_owned(),
        message: format!("case `{}`: {message}", case.name),
    })?;
    let cycles = outcome.report.cycles.ok_or_else(|| Error::Unsupported {
        backend: backend.name().to_owned(),
        ability: "a cycle count for this call".into(),
    })?;
    Ok(Measurement {
        kernel: kernel.name().to_owned(),
        case: case.name.clone(),
        config: config.name(),
        elements: case.elements,
        cycles,
        bound: kernel.manifest.interface_bound(case.elements),
        report: outcome.report,
    })
}
