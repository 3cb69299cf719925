//! The backend and kernel handles behind `codesign.Backend` and `codesign.Kernel`.

use std::path::Path;
use std::time::Instant;

use codesign::{Backend, Config, Kernel};
use codesign_hw::manifest::{ArgDirection, ElementType};
use codesign_models::Values;
use numpy::PyUntypedArray;
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyInt};

use crate::{arrays, errors, report};

/// An open backend (not `Send`: cosim's Verilator models stay on the thread that made them).
#[pyclass(unsendable, name = "_Backend", module = "codesign._codesign")]
pub struct PyBackend {
    pub(crate) backend: Box<dyn Backend>,
    /// Where the config came from, for `repr`.
    #[pyo3(get)]
    config: String,
}

/// The config `config` names: `None` is `$CODESIGN_CONFIG`, else the built-in cosim one (as
/// the CLI); a built-in name (`golden`, `cosim`, ...) or a YAML file's path.
pub fn load_config(py: Python<'_>, config: Option<&str>) -> PyResult<Config> {
    match config {
        Some(name) if codesign::config::BUILTIN.iter().any(|(n, _)| *n == name) => {
            Config::builtin(name).map_err(|e| errors::runtime(py, e))
        }
        other => codesign::cli::load_config(other.map(Path::new)).map_err(|e| errors::cli(py, e, "")),
    }
}

impl PyBackend {
    /// Opens the backend of `config`.
    pub fn open(py: Python<'_>, config: &Config) -> PyResult<PyBackend> {
        let backend = codesign::backends::open(config).map_err(|e| errors::runtime(py, e))?;
        Ok(PyBackend { backend, config: config.source_name.clone() })
    }
}

/// Opens the backend a config names (see [`load_config`]).
#[pyfunction]
#[pyo3(signature = (config=None))]
pub fn open(py: Python<'_>, config: Option<&str>) -> PyResult<PyBackend> {
    PyBackend::open(py, &load_config(py, config)?)
}

#[pymethods]
impl PyBackend {
    /// The backend's name (`cosim`).
    #[getter]
    fn name(&self) -> String {
        self.backend.name().to_owned()
    }

    /// Whether calls report exact cycles.
    #[getter]
    fn counts_cycles(&self) -> bool {
        self.backend.counts_cycles()
    }

    /// A kernel of the library (or a shipped graph) by name.
    fn kernel(slf: Bound<'_, Self>, name: &str) -> PyResult<PyKernel> {
        let kernel = Kernel::named(name).map_err(|e| errors::runtime(slf.py(), e))?;
        Ok(PyKernel { backend: slf.unbind(), kernel })
    }

    /// An out-of-tree kernel folder (kernel.yaml + RTL), verilated into a cache on first use;
    /// `name` picks one of its parameter sets (`gemm_pe8_w8`).
    #[pyo3(signature = (path, name=None))]
    fn kernel_dir(slf: Bound<'_, Self>, path: std::path::PathBuf, name: Option<&str>) -> PyResult<PyKernel> {
        let kernel = match name {
            Some(name) => Kernel::from_dir_named(&path, name),
            None => Kernel::from_dir(&path),
        };
        let kernel = kernel.map_err(|e| errors::runtime(slf.py(), e))?;
        Ok(PyKernel { backend: slf.unbind(), kernel })
    }
}

/// `(name, NumPy dtype)` pairs.
type NamedDtypes = Vec<(String, String)>;

/// A kernel bound to the backend that runs it.
#[pyclass(unsendable, name = "_Kernel", module = "codesign._codesign")]
pub struct PyKernel {
    backend: Py<PyBackend>,
    kernel: Kernel,
}

#[pymethods]
impl PyKernel {
    /// The kernel's name.
    #[getter]
    fn name(&self) -> String {
        self.kernel.name().to_owned()
    }

    /// Input streams and buffers with their NumPy dtypes, input arguments, and outputs with
    /// their dtypes: for help text.
    fn signature(&self) -> (NamedDtypes, Vec<String>, NamedDtypes) {
        let manifest = &self.kernel.manifest;
        let streams = manifest.inputs().map(|s| (s.name.clone(), s.element));
        let buffers = manifest.buffers.iter().filter(|b| b.direction.is_input()).map(|b| (b.name.clone(), b.element));
        let inputs = streams.chain(buffers).map(|(n, e)| (n, codesign::io::npy::dtype_of(e).to_owned())).collect();
        let args = manifest.args.iter().filter(|a| a.direction == ArgDirection::In).map(|a| a.name.clone()).collect();
        let outputs = output_elements(&self.kernel).into_iter().map(|(n, e)| (n, codesign::io::npy::dtype_of(e).to_owned()));
        (inputs, args, outputs.collect())
    }

    /// Runs one call: `inputs` maps stream/buffer names to NumPy arrays and argument names to
    /// ints. Returns the outputs (arrays of the manifest's dtypes, output arguments as ints)
    /// and the report as a dict.
    fn call<'py>(&self, py: Python<'py>, inputs: &Bound<'py, PyDict>) -> PyResult<(Bound<'py, PyDict>, Bound<'py, PyDict>)> {
        let values = self.values(inputs)?;
        let outcome = self.backend.bind(py).borrow_mut().backend.call(&self.kernel, &values).map_err(|e| errors::runtime(py, e))?;
        let outputs = PyDict::new(py);
        for (name, element) in output_elements(&self.kernel) {
            if let Some(raw) = outcome.outputs.streams.get(&name) {
                outputs.set_item(&name, arrays::write(py, element, raw))?;
            }
        }
        for (name, value) in &outcome.outputs.scalars {
            outputs.set_item(name, value)?;
        }
        let elements = values.streams.values().map(Vec::len).max().unwrap_or(0);
        Ok((outputs, report::to_dict(py, &outcome.report, self.kernel.manifest.interface_bound(elements))?))
    }
}

/// Output streams and output buffers with their element types.
fn output_elements(kernel: &Kernel) -> Vec<(String, ElementType)> {
    let manifest = &kernel.manifest;
    let streams = manifest.outputs().map(|s| (s.name.clone(), s.element));
    let buffers = manifest.buffers.iter().filter(|b| b.direction.is_output()).map(|b| (b.name.clone(), b.element));
    streams.chain(buffers).collect()
}

impl PyKernel {
    /// The call's [`Values`]: arrays by the manifest's element types, ints as arguments.
    /// Names the manifest does not have are passed on so that the runtime's own check names
    /// them with the CLI's wording.
    fn values(&self, inputs: &Bound<'_, PyDict>) -> PyResult<Values> {
        let manifest = &self.kernel.manifest;
        let mut values = Values::new();
        for (key, value) in inputs.iter() {
            let name: String = key.extract()?;
            let element = manifest.inputs().find(|s| s.name == name).map(|s| s.element).or_else(|| {
                manifest.buffer(&name).filter(|b| b.direction.is_input()).map(|b| b.element)
            });
            let what = |kind: &str| format!("kernel `{}` input {kind} `{name}`", self.kernel.name());
            if let Ok(array) = value.cast::<PyUntypedArray>() {
                let raw = match element {
                    Some(element) => arrays::read(array, element, &what("stream"))?,
                    None => vec![0], // not an input: the runtime's check says so
                };
                values.streams.insert(name, raw);
            } else if value.is_instance_of::<PyInt>() || value.hasattr("__index__")? {
                if element.is_some() {
                    return Err(PyTypeError::new_err(format!("{} must be a NumPy array, got an int", what("stream"))));
                }
                let signed: i128 = value.extract()?;
                let raw = u64::try_from(signed).map_err(|_| {
                    PyValueError::new_err(format!(
                        "kernel `{}`: argument `{name}` = {signed} does not fit an unsigned 64-bit register word",
                        self.kernel.name()
                    ))
                })?;
                values.scalars.insert(name, raw);
            } else {
                let type_name = value.get_type().name()?;
                let expected = if element.is_some() { "a NumPy array" } else { "a NumPy array or an int" };
                return Err(PyTypeError::new_err(format!("{} must be {expected}, got {type_name}", what("value"))));
            }
        }
        Ok(values)
    }
}

/// Seconds one call of `kernel` on 32-bit streams `a` and `b` of `elements` words takes when
/// the inputs are built and the outputs read in Rust (the harness without Python), for
/// comparing the Python path against. Words: `a[i] = i * 0x9E3779B1`, `b[i] = i ^ 0x5BD1E995`.
#[pyfunction]
pub fn time_rust_call(py: Python<'_>, backend: &Bound<'_, PyBackend>, kernel: &str, elements: u32, op: u64) -> PyResult<f64> {
    let kernel = Kernel::named(kernel).map_err(|e| errors::runtime(py, e))?;
    let a: Vec<i32> = (0..elements).map(|i| i.wrapping_mul(0x9E37_79B1) as i32).collect();
    let b: Vec<i32> = (0..elements).map(|i| (i ^ 0x5BD1_E995) as i32).collect();
    let start = Instant::now();
    let inputs = Values::new().with_i32s("a", &a).with_i32s("b", &b).with_scalar("op", op);
    let outcome = backend.borrow_mut().backend.call(&kernel, &inputs).map_err(|e| errors::runtime(py, e))?;
    let out = outcome.outputs.i32s("out").map_err(|e| PyValueError::new_err(e.to_string()))?;
    let seconds = start.elapsed().as_secs_f64();
    std::hint::black_box(out);
    Ok(seconds)
}
