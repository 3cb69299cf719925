//! The `auto:` section: transparent dispatch between the CPU and an accelerator.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Deserialize;

use crate::perf::crossover::{CrossoverError, CrossoverTable};

/// Settings of the `auto` backend.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct AutoConfig {
    /// The backend that runs calls at or above the crossover (`cosim`, later a board).
    #[serde(default = "default_accelerator")]
    pub accelerator: String,
    /// The crossover table written by `codesign sweep` (default: crossover.yaml in the output
    /// folder, `target/codesign` by default; a missing file is an empty table).
    #[serde(default)]
    pub crossover_file: Option<PathBuf>,
    /// Per-kernel crossovers in elements, overriding the table.
    #[serde(default)]
    pub crossover: BTreeMap<String, u64>,
    /// Where a kernel with no known crossover runs.
    #[serde(default)]
    pub unmeasured: Target,
}

/// Which side runs a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Target {
    /// The accelerator backend.
    #[default]
    Accelerator,
    /// The golden CPU model.
    Cpu,
}

fn default_accelerator() -> String {
    "cosim".to_owned()
}

impl AutoConfig {
    /// The crossover table this section points at (`crossover-file`, else the one
    /// `codesign sweep` writes); a missing file is an empty table.
    pub fn table(&self) -> Result<CrossoverTable, CrossoverError> {
        let path = self.crossover_file.clone().unwrap_or_else(crate::perf::crossover::default_path);
        CrossoverTable::load(&path)
    }

    /// Which side runs `kernel` on `elements` elements per stream: the inline `crossover`
    /// first, then `table`, then `unmeasured`.
    pub fn target(&self, table: &CrossoverTable, kernel: &str, elements: u64) -> Target {
        let on_accelerator = match (self.crossover.get(kernel), table.get(kernel)) {
            (Some(&threshold), _) => elements >= threshold,
            (None, Some(entry)) => entry.prefers_accelerator(elements),
            (None, None) => self.unmeasured == Target::Accelerator,
        };
        if on_accelerator { Target::Accelerator } else { Target::Cpu }
    }
}

impl Default for AutoConfig {
    fn default() -> Self {
        AutoConfig {
            accelerator: default_accelerator(),
            crossover_file: None,
            crossover: BTreeMap::new(),
            unmeasured: Target::default(),
        }
    }
}
