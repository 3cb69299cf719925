//! A call's [`codesign::Report`] as a dict (the Python side makes it a `codesign.Report`).

use codesign::Report;
use pyo3::prelude::*;
use pyo3::types::PyDict;

/// The report, with `bound` (the manifest's interface bound for the call's size) and
/// `efficiency` = bound / cycles where the backend counts cycles.
pub fn to_dict<'py>(py: Python<'py>, report: &Report, bound: u64) -> PyResult<Bound<'py, PyDict>> {
    let dict = PyDict::new(py);
    dict.set_item("cycles", report.cycles)?;
    dict.set_item("simulated_cycles", report.simulated_cycles)?;
    dict.set_item("wall_s", report.wall.as_secs_f64())?;
    dict.set_item("bound", bound)?;
    dict.set_item("efficiency", report.cycles.map(|c| bound as f64 / c.max(1) as f64))?;
    dict.set_item("latency", report.latency())?;
    dict.set_item("output_ii", report.output_ii())?;
    dict.set_item("executed_by", report.executed_by.as_deref())?;
    dict.set_item("waveform", report.waveform.as_ref().map(|p| p.display().to_string()))?;
    let ports = report
        .ports
        .iter()
        .map(|p| {
            let port = PyDict::new(py);
            port.set_item("name", &p.name)?;
            port.set_item("input", p.input)?;
            port.set_item("transfers", p.transfers)?;
            port.set_item("stalled", p.stalled)?;
            port.set_item("first", p.first)?;
            port.set_item("last", p.last)?;
            port.set_item("achieved_ii", p.achieved_ii())?;
            Ok(port)
        })
        .collect::<PyResult<Vec<_>>>()?;
    dict.set_item("ports", ports)?;
    Ok(dict)
}
