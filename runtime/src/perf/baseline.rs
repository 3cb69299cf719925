//! Cycle baselines (`ci/cycles.yaml`): one count per kernel, case and config. A count that
//! grows is a regression; one that shrinks is reported; `codesign perf --bless` rewrites them
//! on purpose. Nothing here writes the file unless asked to bless.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::Error;

/// The baseline file, relative to the workspace root.
pub const BASELINES: &str = "ci/cycles.yaml";

const HEADER: &str = "\
# Cycle-count baselines: exact cosim cycles per kernel, case and config.
# The suite fails when a count grows and reports when one shrinks.
# Rewrite on purpose with `codesign perf --bless` (CI never does).
";

/// One baseline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    /// Kernel name.
    pub kernel: String,
    /// Case (workload) name.
    pub case: String,
    /// Config name (`cosim` for configs/cosim.yaml).
    pub config: String,
    /// Cycles from `ap_start` to done.
    pub cycles: u64,
}

/// The baselines of one file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Baselines {
    /// Where they live.
    pub path: PathBuf,
    /// Entries, sorted by kernel, case, config.
    pub entries: Vec<Baseline>,
}

/// How a measurement compares with its baseline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Same count.
    Unchanged,
    /// Fewer cycles than the baseline.
    Improved {
        /// Baseline.
        old: u64,
        /// Measured.
        new: u64,
    },
    /// More cycles than the baseline.
    Regressed {
        /// Baseline.
        old: u64,
        /// Measured.
        new: u64,
    },
    /// No baseline for this kernel, case and config.
    Missing,
}

impl Verdict {
    /// Change in percent of the baseline.
    pub fn delta_percent(self) -> Option<f64> {
        match self {
            Verdict::Improved { old, new } | Verdict::Regressed { old, new } => {
                Some((new as f64 - old as f64) / old.max(1) as f64 * 100.0)
            }
            Verdict::Unchanged => Some(0.0),
            Verdict::Missing => None,
        }
    }

    /// True for the verdicts that fail CI.
    pub fn fails(self) -> bool {
        matches!(self, Verdict::Regressed { .. } | Verdict::Missing)
    }
}

/// A measurement and its verdict, worded for a CI log.
#[derive(Debug, Clone, PartialEq)]
pub struct Judgement {
    /// What was measured.
    pub measured: Baseline,
    /// Against the baseline.
    pub verdict: Verdict,
}

impl fmt::Display for Judgement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let m = &self.measured;
        let what = format!("kernel `{}`, case `{}` on {}", m.kernel, m.case, m.config);
        match self.verdict {
            Verdict::Unchanged => write!(f, "{what}: {} cycles, as the baseline", m.cycles),
            Verdict::Improved { old, new } => write!(
                f,
                "{what}: improved {old} -> {new} cycles ({:+.1}%); run `codesign perf --bless` to keep it",
                self.verdict.delta_percent().unwrap_or(0.0)
            ),
            Verdict::Regressed { old, new } => write!(
                f,
                "cycle regression: {what}: {old} -> {new} cycles ({:+.1}%, {:+} cycles); \
                 if intended, run `codesign perf --bless`",
                self.verdict.delta_percent().unwrap_or(0.0),
                new as i64 - old as i64
            ),
            Verdict::Missing => write!(
                f,
                "{what}: {} cycles and no baseline in the file; run `codesign perf --bless` to record it",
                m.cycles
            ),
        }
    }
}

impl Baselines {
    /// `ci/cycles.yaml` of the cargo workspace holding the current directory, else under the
    /// current directory (never the checkout the binary was built in).
    pub fn default_path() -> PathBuf {
        let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
        crate::output::workspace_of(&cwd).unwrap_or(cwd).join(BASELINES)
    }

    /// Reads a baseline file; a missing file is empty (every case then reports `Missing`).
    pub fn load(path: &Path) -> Result<Self, Error> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(source) => return Err(Error::ConfigRead { path: path.to_owned(), source }),
        };
        let entries: Vec<Baseline> = if text.trim().is_empty() {
            Vec::new()
        } else {
            serde_path_to_error::deserialize(serde_yaml::Deserializer::from_str(&text)).map_err(|e| Error::Config {
                source_name: path.display().to_string(),
                message: codesign_hw::manifest::yaml_error_message(&e),
            })?
        };
        Ok(Baselines { path: path.to_owned(), entries })
    }

    /// The baseline for one kernel, case and config.
    pub fn get(&self, kernel: &str, case: &str, config: &str) -> Option<u64> {
        self.entries
            .iter()
            .find(|b| b.kernel == kernel && b.case == case && b.config == config)
            .map(|b| b.cycles)
    }

    /// Compares a measurement with its baseline.
    pub fn judge(&self, measured: Baseline) -> Judgement {
        let verdict = match self.get(&measured.kernel, &measured.case, &measured.config) {
            None => Verdict::Missing,
            Some(old) if measured.cycles > old => Verdict::Regressed { old, new: measured.cycles },
            Some(old) if measured.cycles < old => Verdict::Improved { old, new: measured.cycles },
            Some(_) => Verdict::Unchanged,
        };
        Judgement { measured, verdict }
    }

    /// Records `measured` as the new baseline (replacing an old one).
    pub fn bless(&mut self, measured: Baseline) {
        self.entries.retain(|b| !(b.kernel == measured.kernel && b.case == measured.case && b.config == measured.config));
        self.entries.push(measured);
        self.entries.sort_by(|a, b| (&a.kernel, &a.case, &a.config).cmp(&(&b.kernel, &b.case, &b.config)));
    }

    /// Writes the file, one flow-style line per baseline so diffs stay readable.
    pub fn save(&self) -> Result<(), Error> {
        let mut text = String::from(HEADER);
        for b in &self.entries {
            text.push_str(&format!(
                "- {{ kernel: {}, case: {}, config: {}, cycles: {} }}\n",
                b.kernel, b.case, b.config, b.cycles
            ));
        }
        crate::output::write_atomic(&self.path, text).map_err(|e| Error::Output { path: self.path.clone(), message: e.to_string() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn measured(cycles: u64) -> Baseline {
        Baseline { kernel: "k".into(), case: "c".into(), config: "cosim".into(), cycles }
    }

    #[test]
    fn verdicts_name_kernel_case_old_new_and_delta() {
        let mut baselines = Baselines::default();
        let missing = baselines.judge(measured(100));
        assert_eq!(missing.verdict, Verdict::Missing);
        assert!(missing.verdict.fails());
        baselines.bless(measured(100));
        assert_eq!(baselines.judge(measured(100)).verdict, Verdict::Unchanged);
        let worse = baselines.judge(measured(150));
        assert!(worse.verdict.fails());
        let text = worse.to_string();
        assert!(text.contains("kernel `k`") && text.contains("case `c`") && text.contains("100 -> 150") && text.contains("+50.0%"), "{text}");
        let better = baselines.judge(measured(80));
        assert!(!better.verdict.fails());
        assert!(better.to_string().contains("-20.0%"));
    }

    #[test]
    fn save_then_load_round_trips_and_missing_file_is_empty() {
        let path = std::env::temp_dir().join(format!("codesign-baselines-{}.yaml", std::process::id()));
        let _ = std::fs::remove_file(&path);
        let mut baselines = Baselines::load(&path).unwrap();
        assert!(baselines.entries.is_empty());
        baselines.bless(measured(7));
        baselines.bless(Baseline { case: "a".into(), ..measured(9) });
        baselines.save().unwrap();
        let loaded = Baselines::load(&path).unwrap();
        assert_eq!(loaded.entries, baselines.entries);
        assert_eq!(loaded.entries[0].case, "a", "sorted");
    }
}
