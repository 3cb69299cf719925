//! The CPU/accelerator choice of `codesign.numpy`: the same rule as the `auto` backend
//! (`AutoConfig::target`: inline crossovers, then the table `codesign sweep` writes, then
//! `unmeasured`), with NumPy as the CPU side: the table's crossover against NumPy is used where
//! `codesign sweep` measured one.

use codesign::config::auto::Target;
use codesign::config::AutoConfig;
use codesign::perf::crossover::CrossoverTable;
use pyo3::prelude::*;

use crate::errors;
use crate::handles::{load_config, PyBackend};

/// An accelerator backend and the rule that decides when to use it.
#[pyclass(unsendable, name = "_Dispatch", module = "codesign._codesign")]
pub struct PyDispatch {
    auto: AutoConfig,
    table: CrossoverTable,
    accelerator: Py<PyBackend>,
}

/// The dispatcher of a config: for `backend: auto`, its `auto:` section and its accelerator;
/// for any other config, that backend as the accelerator with the default `auto:` rule (the
/// crossover table of `codesign sweep`; kernels without one go to the accelerator).
#[pyfunction]
#[pyo3(signature = (config=None))]
pub fn dispatch(py: Python<'_>, config: Option<&str>) -> PyResult<PyDispatch> {
    let mut config = load_config(py, config)?;
    let auto = if config.backend == "auto" {
        config.backend = config.auto.accelerator.clone();
        config.auto.clone()
    } else {
        AutoConfig::default()
    };
    let mut table = auto.table().map_err(|e| {
        errors::runtime(
            py,
            codesign::Error::Config { source_name: config.source_name.clone(), message: format!("auto: {e}") },
        )
    })?;
    // NumPy is the CPU side here: its crossover, where the sweep measured one, replaces the
    // golden model's.
    for entry in table.kernels.values_mut() {
        if let Some(numpy) = &entry.numpy {
            entry.crossover_elements = numpy.crossover_elements;
        }
    }
    let accelerator = Py::new(py, PyBackend::open(py, &config)?)?;
    Ok(PyDispatch { auto, table, accelerator })
}

#[pymethods]
impl PyDispatch {
    /// The backend calls at or above the crossover run on.
    #[getter]
    fn accelerator(&self, py: Python<'_>) -> Py<PyBackend> {
        self.accelerator.clone_ref(py)
    }

    /// Whether a call of `kernel` on `elements` elements per stream goes to the accelerator.
    fn prefers_accelerator(&self, kernel: &str, elements: u64) -> bool {
        self.auto.target(&self.table, kernel, elements) == Target::Accelerator
    }
}
