//! NumPy's time per call, for `codesign sweep`'s NumPy column: the `codesign` Python package
//! (runtime/python) times NumPy's equivalent of a kernel (`python -m codesign._sweep`), in the
//! venv `ci/setup` makes or the interpreter `$CODESIGN_PYTHON` names.

use std::path::PathBuf;
use std::process::Command;

/// The environment variable naming a Python with the `codesign` package installed.
pub const PYTHON_ENV: &str = "CODESIGN_PYTHON";

/// `$CODESIGN_PYTHON`, else the venv `ci/setup` makes (`ci/.cache/venv/bin/python`).
pub fn python() -> PathBuf {
    std::env::var_os(PYTHON_ENV)
        .map(PathBuf::from)
        .unwrap_or_else(|| crate::workspace_root().join("ci/.cache/venv/bin/python"))
}

/// Seconds per call of NumPy's equivalent of `kernel` with `op` at each size (the median of
/// `repeat` samples, as the golden column). `Ok(None)` when there is no such Python, it lacks
/// the `codesign` package, or the kernel has no NumPy equivalent at any N; `Err` when the
/// measurement itself failed.
pub fn seconds_per_call(kernel: &str, op: u64, repeat: u32, sizes: &[u64]) -> Result<Option<Vec<(u64, f64)>>, String> {
    let python = python();
    let present = Command::new(&python).args(["-c", "import codesign._sweep"]).output();
    if !present.is_ok_and(|o| o.status.success()) {
        return Ok(None);
    }
    let mut command = Command::new(&python);
    command.args(["-m", "codesign._sweep", kernel, &op.to_string(), &repeat.to_string()]);
    command.args(sizes.iter().map(u64::to_string));
    let output = command.output().map_err(|e| format!("{}: {e}", python.display()))?;
    if !output.status.success() {
        return Err(format!("{} -m codesign._sweep: {}", python.display(), String::from_utf8_lossy(&output.stderr).trim()));
    }
    let text = String::from_utf8_lossy(&output.stdout);
    let mut rows = Vec::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let parsed = line.split_once(',').and_then(|(n, s)| Some((n.trim().parse().ok()?, s.trim().parse().ok()?)));
        rows.push(parsed.ok_or_else(|| format!("codesign._sweep printed `{line}`, not `N,seconds`"))?);
    }
    Ok(if rows.is_empty() { None } else { Some(rows) })
}
