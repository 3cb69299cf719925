//! The `auto:` section: transparent dispatch between the CPU and an accelerator.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Deserialize;

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
