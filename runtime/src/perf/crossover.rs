//! Crossover between the CPU golden model and the accelerator: the problem size above which a
//! call on the accelerator (cycles at the kernel's clock plus a fixed per-call overhead) takes
//! less time than the same call on the CPU.
//!
//! `codesign sweep` measures the points, finds the crossover with [`crossover`] and records it
//! per kernel in `crossover.yaml` of the output folder (`target/codesign` by default;
//! [`CrossoverTable`]), which a dispatching backend can read to choose CPU or accelerator by
//! call size:
//!
//! ```
//! use codesign::perf::crossover::{crossover, Point};
//!
//! let points = [
//!     Point { n: 10, accelerator_s: 90e-6, cpu_s: 1e-6 },
//!     Point { n: 100_000, accelerator_s: 400e-6, cpu_s: 500e-6 },
//! ];
//! let n = crossover(&points).unwrap();
//! assert!(n > 10.0 && n < 100_000.0);
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// The file, under [`crate::report::output_dir`], that `codesign sweep` keeps up to date.
pub const FILE_NAME: &str = "crossover.yaml";

/// `crossover.yaml` in the output folder ([`crate::output::output_dir`]).
pub fn default_path() -> PathBuf {
    crate::report::output_dir().join(FILE_NAME)
}

/// One measured size: time per call on each side.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    /// Elements per input stream.
    pub n: u64,
    /// Accelerator time per call in seconds: cycles at the clock plus the per-call overhead.
    pub accelerator_s: f64,
    /// CPU (golden model) time per call in seconds.
    pub cpu_s: f64,
}

impl Point {
    /// Whether the accelerator is strictly faster at this size.
    pub fn accelerator_wins(&self) -> bool {
        self.accelerator_s < self.cpu_s
    }
}

/// The N from which the accelerator beats the CPU at every larger measured size: linearly
/// interpolated in N between the last size where the CPU is at least as fast and the next
/// one (where the two linear pieces are equal). Points are taken in order of N (they need not
/// be sorted).
///
/// - If the accelerator wins at every size, the smallest size is returned.
/// - If it does not win at the largest size, `None`: no crossover within the measured range.
///
/// This is the threshold a dispatcher needs: wins below the last CPU win (a CPU cache effect
/// at one size, say) do not count; [`accelerator_wins_below`] lists them.
pub fn crossover(points: &[Point]) -> Option<f64> {
    let mut sorted = points.to_vec();
    sorted.sort_by_key(|p| p.n);
    let Some(last_loss) = sorted.iter().rposition(|p| !p.accelerator_wins()) else {
        return sorted.first().map(|p| p.n as f64);
    };
    let (before, win) = (sorted[last_loss], *sorted.get(last_loss + 1)?);
    // d = accelerator - cpu: >= 0 at `before`, < 0 at `win`; find where the line through them is 0.
    let (d0, d1) = (before.accelerator_s - before.cpu_s, win.accelerator_s - win.cpu_s);
    let fraction = d0 / (d0 - d1);
    let (n0, n1) = (before.n as f64, win.n as f64);
    Some(n0 + (n1 - n0) * fraction)
}

/// The measured sizes below `crossover` at which the accelerator is faster anyway (empty when
/// the comparison is monotonic). Non-empty means a single threshold sends those sizes to the
/// CPU although the accelerator would win there.
pub fn accelerator_wins_below(points: &[Point], crossover: f64) -> Vec<u64> {
    let mut sizes: Vec<u64> =
        points.iter().filter(|p| (p.n as f64) < crossover && p.accelerator_wins()).map(|p| p.n).collect();
    sizes.sort_unstable();
    sizes
}

/// One kernel's crossover at a clock and overhead.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CrossoverEntry {
    /// Elements per input stream from which the accelerator is faster ([`crossover`] rounded
    /// up); `None` (YAML `null`) if it was faster at no measured size.
    pub crossover_elements: Option<u64>,
    /// The accelerator clock assumed, in MHz.
    pub clock_mhz: f64,
    /// The per-call overhead assumed, in microseconds.
    pub overhead_us: f64,
    /// The crossover against NumPy on this machine instead of the golden model (`codesign
    /// sweep`'s NumPy column, when the Python package is installed): what `codesign.numpy`'s
    /// `dispatch="auto"` uses. Absent when not measured.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub numpy: Option<NumpyCrossover>,
}

/// A kernel's crossover against NumPy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NumpyCrossover {
    /// Elements per input stream from which the accelerator is faster than NumPy; `None`
    /// (YAML `null`) if NumPy was faster at every measured size.
    pub crossover_elements: Option<u64>,
}

impl CrossoverEntry {
    /// Whether a call on `elements` elements per stream should go to the accelerator: only
    /// at or above a known crossover.
    pub fn prefers_accelerator(&self, elements: u64) -> bool {
        self.crossover_elements.is_some_and(|c| elements >= c)
    }
}

/// Every kernel's last crossover: a YAML map `kernel -> CrossoverEntry`.
///
/// ```yaml
/// ufunc_i32:
///   crossover_elements: null
///   clock_mhz: 300.0
///   overhead_us: 80.0
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CrossoverTable {
    /// Kernel name -> its entry, in name order.
    pub kernels: BTreeMap<String, CrossoverEntry>,
}

/// Why the crossover table could not be read or written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CrossoverError {
    /// The file exists but could not be read, or could not be written.
    #[error("{path}: {source}")]
    Io {
        /// The table's path.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// The file is not a crossover table.
    #[error("{path}: {message}")]
    Parse {
        /// The table's path.
        path: PathBuf,
        /// Key path and serde_yaml's message (with line and column).
        message: String,
    },
}

impl CrossoverTable {
    /// Reads `path`; a file that does not exist is an empty table (no sweep has run).
    pub fn load(path: &Path) -> Result<CrossoverTable, CrossoverError> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(CrossoverTable::default()),
            Err(source) => return Err(CrossoverError::Io { path: path.to_owned(), source }),
        };
        Self::parse(path, &text)
    }

    /// Parses table text; `path` names it in errors. Empty text is an empty table.
    pub fn parse(path: &Path, text: &str) -> Result<CrossoverTable, CrossoverError> {
        if text.trim().is_empty() {
            return Ok(CrossoverTable::default());
        }
        serde_path_to_error::deserialize(serde_yaml::Deserializer::from_str(text)).map_err(|e| CrossoverError::Parse {
            path: path.to_owned(),
            message: codesign_hw::manifest::yaml_error_message(&e),
        })
    }

    /// Writes the table to `path` (creating its folder), through a temporary file renamed
    /// into place so that a reader never sees half a table.
    pub fn save(&self, path: &Path) -> Result<(), CrossoverError> {
        let io = |source| CrossoverError::Io { path: path.to_owned(), source };
        let text = serde_yaml::to_string(self)
            .map_err(|e| CrossoverError::Parse { path: path.to_owned(), message: e.to_string() })?;
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(io)?;
        }
        crate::output::write_atomic(path, text).map_err(io)
    }

    /// The entry of `kernel`.
    pub fn get(&self, kernel: &str) -> Option<&CrossoverEntry> {
        self.kernels.get(kernel)
    }

    /// Sets the entry of `kernel`, keeping the other kernels'.
    pub fn insert(&mut self, kernel: &str, entry: CrossoverEntry) {
        self.kernels.insert(kernel.to_owned(), entry);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn points(rows: &[(u64, f64, f64)]) -> Vec<Point> {
        rows.iter().map(|&(n, accelerator_s, cpu_s)| Point { n, accelerator_s, cpu_s }).collect()
    }

    #[test]
    fn crossover_interpolation_table() {
        // (name, points (n, accelerator, cpu), expected crossover)
        type Case<'a> = (&'a str, &'a [(u64, f64, f64)], Option<f64>);
        let cases: &[Case] = &[
            // d = +10 at 100, -30 at 1000: a quarter of the way, 100 + 900 / 4.
            ("crossing", &[(10, 80.0, 1.0), (100, 90.0, 80.0), (1000, 100.0, 130.0)], Some(325.0)),
            ("no crossing", &[(1, 80.0, 0.1), (10, 80.1, 1.0), (100, 81.0, 10.0)], None),
            ("crossing at the first size", &[(1, 0.5, 1.0), (10, 1.0, 10.0)], Some(1.0)),
            ("equal is not a win", &[(1, 1.0, 1.0), (10, 5.0, 10.0)], Some(1.0)),
            ("tie then win", &[(1, 1.0, 1.0), (9, 5.0, 10.0), (10, 5.0, 10.0)], Some(1.0)),
            ("unsorted input", &[(1000, 100.0, 130.0), (10, 80.0, 1.0), (100, 90.0, 80.0)], Some(325.0)),
            // Wins at 2 and 8, a loss at 4: the threshold is after the last loss (d +1 at 4, -8 at 8).
            ("last loss counts", &[(1, 2.0, 1.0), (2, 1.0, 3.0), (4, 5.0, 4.0), (8, 1.0, 9.0)], Some(4.0 + 4.0 / 9.0)),
            ("losing at the largest size", &[(1, 0.5, 1.0), (10, 11.0, 10.0)], None),
            ("no points", &[], None),
            ("one point, losing", &[(64, 2.0, 1.0)], None),
        ];
        for (name, rows, want) in cases {
            let got = crossover(&points(rows));
            match (got, want) {
                (Some(g), Some(w)) => assert!((g - w).abs() < 1e-9, "{name}: got {g}, want {w}"),
                _ => assert_eq!(got, *want, "{name}"),
            }
        }
    }

    #[test]
    fn a_non_monotonic_sweep_puts_the_threshold_after_the_last_cpu_win() {
        let p = points(&[
            (1, 0.02, 0.3),
            (100, 0.35, 0.5),
            (1000, 3.3, 2.0),
            (10_000, 33.0, 13.0),
            (100_000, 333.0, 700.0),
        ]);
        let n = crossover(&p).unwrap();
        assert!(n > 10_000.0 && n < 100_000.0, "{n}");
        assert_eq!(accelerator_wins_below(&p, n), [1, 100]);
        let monotonic = points(&[(1, 80.0, 0.3), (100_000, 413.0, 700.0)]);
        assert!(accelerator_wins_below(&monotonic, crossover(&monotonic).unwrap()).is_empty());
    }

    #[test]
    fn crossover_lies_between_the_bracketing_sizes() {
        let p = points(&[(1, 80e-6, 20e-9), (100_000, 80.3e-6, 100e-6)]);
        let n = crossover(&p).unwrap();
        assert!(n > 1.0 && n < 100_000.0, "{n}");
        // The two lines meet there.
        let at = |a: f64, b: f64| a + (b - a) * (n - 1.0) / 99_999.0;
        assert!((at(80e-6, 80.3e-6) - at(20e-9, 100e-6)).abs() < 1e-12);
    }

    #[test]
    fn crossover_table_round_trips_and_merges() {
        let dir = std::env::temp_dir().join(format!("codesign-crossover-{}", std::process::id()));
        let path = dir.join(FILE_NAME);
        assert_eq!(CrossoverTable::load(&path).unwrap(), CrossoverTable::default(), "missing file = empty");
        let mut table = CrossoverTable::default();
        table.insert("a", CrossoverEntry { crossover_elements: Some(1234), clock_mhz: 300.0, overhead_us: 80.0, numpy: None });
        table.insert("b", CrossoverEntry { crossover_elements: None, clock_mhz: 250.0, overhead_us: 0.0, numpy: Some(NumpyCrossover { crossover_elements: None }) });
        table.save(&path).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains("crossover_elements: null"), "{text}");
        let mut loaded = CrossoverTable::load(&path).unwrap();
        assert_eq!(loaded, table);
        loaded.insert("b", CrossoverEntry { crossover_elements: Some(7), clock_mhz: 250.0, overhead_us: 0.0, numpy: Some(NumpyCrossover { crossover_elements: None }) });
        loaded.save(&path).unwrap();
        let merged = CrossoverTable::load(&path).unwrap();
        assert_eq!(merged.get("a"), table.get("a"), "other kernels are kept");
        assert_eq!(merged.get("b").and_then(|e| e.crossover_elements), Some(7));
        assert!(merged.get("b").unwrap().prefers_accelerator(7));
        assert!(!merged.get("b").unwrap().prefers_accelerator(6));
        assert!(!table.get("b").unwrap().prefers_accelerator(u64::MAX), "no crossover: never");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn crossover_table_rejects_garbage_with_a_location() {
        let err = CrossoverTable::parse(Path::new("c.yaml"), "k:\n  crossover_elements: 1\n  clock: 3\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("c.yaml") && err.contains("clock"), "{err}");
    }
}
