//! What `run` and `perf` check a backend's outputs against: the golden model when the kernel has one,
//! else the kernel's own HLS C++ run as C simulation (Vitis cosim's check, without Vitis),
//! else nothing (the row says why it is unverified).

use codesign_models::Values;

use crate::backends::csim::Csim;
use crate::{Backend, Error, Kernel};

/// Expected outputs and where they came from.
pub(crate) struct Expected {
    /// `golden` or `csim`, as the table and the JSON show it.
    pub source: &'static str,
    /// The reference's outputs.
    pub values: Values,
}

/// The reference outputs for `inputs`, `Ok(Err(why))` when the kernel has none, or the error
/// of a reference that exists but failed (C++ that does not compile, a golden model that
/// refuses the inputs).
pub(crate) fn expected(kernel: &Kernel, backend: &str, inputs: &Values) -> Result<Result<Expected, String>, Error> {
    let no_golden = match kernel.golden(inputs) {
        Ok(values) => return Ok(Ok(Expected { source: "golden", values })),
        Err(Error::Unsupported { ability, .. }) => ability,
        Err(error) => return Err(error),
    };
    if kernel.manifest.csim.is_none() || kernel.graph().is_some() {
        return Ok(Err(format!("no golden model and no `csim:` section: {no_golden}")));
    }
    if backend == "csim" {
        return Ok(Err("no golden model; csim is the kernel's own reference".to_owned()));
    }
    match Csim.call(kernel, inputs) {
        Ok(outcome) => Ok(Ok(Expected { source: "csim", values: outcome.outputs })),
        Err(Error::Unsupported { ability, .. }) => Ok(Err(format!("no golden model, and csim cannot run it: {ability}"))),
        Err(error) => Err(error),
    }
}
