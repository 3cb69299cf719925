//! `codesign._codesign`: the extension module under the `codesign` Python package.
//!
//! Thin by design: configs, kernels, calls, input checks and the error-to-exit-code mapping
//! are the runtime crate's; this crate converts NumPy arrays to [`codesign_models::Values`]
//! and back, and runtime errors to the Python exceptions of `codesign.errors`.

mod arrays;
mod dispatch;
mod errors;
mod handles;
mod report;

use pyo3::prelude::*;

/// The module: `_Backend`, `_Kernel`, `_Dispatch` and `open`/`dispatch`/`time_rust_call`.
#[pymodule]
fn _codesign(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<handles::PyBackend>()?;
    m.add_class::<handles::PyKernel>()?;
    m.add_class::<dispatch::PyDispatch>()?;
    m.add_function(wrap_pyfunction!(handles::open, m)?)?;
    m.add_function(wrap_pyfunction!(dispatch::dispatch, m)?)?;
    m.add_function(wrap_pyfunction!(handles::time_rust_call, m)?)?;
    m.add("BUILTIN_CONFIGS", codesign::config::BUILTIN.iter().map(|(name, _)| *name).collect::<Vec<_>>())?;
    Ok(())
}
