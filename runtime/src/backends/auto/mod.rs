//! The `auto` backend: runs each call on the CPU golden model or on the accelerator backend,
//! whichever the crossover table says is faster for the call's size (NumPy-style transparent
//! dispatch). The report's `executed_by` names the side that ran.

use codesign_models::Values;

use crate::config::auto::Target;
use crate::config::AutoConfig;
use crate::perf::crossover::CrossoverTable;
use crate::{Backend, Config, Error, Kernel, Outcome};

use super::golden::Golden;

/// Dispatches between [`Golden`] and an accelerator backend.
pub struct Auto {
    config: AutoConfig,
    table: CrossoverTable,
    cpu: Golden,
    accelerator: Box<dyn Backend>,
}

impl Auto {
    /// Opens the accelerator named in `config.auto` and reads the crossover table.
    pub fn open(config: &Config) -> Result<Self, Error> {
        let auto = config.auto.clone();
        let mut accelerator_config = config.clone();
        accelerator_config.backend = auto.accelerator.clone();
        let accelerator = super::open(&accelerator_config)?;
        let table = auto
            .table()
            .map_err(|e| Error::Config { source_name: config.source_name.clone(), message: format!("auto: {e}") })?;
        Ok(Auto { config: auto, table, cpu: Golden, accelerator })
    }

    /// Which side runs `kernel` on `elements` elements per stream.
    pub fn target(&self, kernel: &str, elements: u64) -> Target {
        self.config.target(&self.table, kernel, elements)
    }
}

impl Backend for Auto {
    fn name(&self) -> &str {
        "auto"
    }

    fn call(&mut self, kernel: &Kernel, inputs: &Values) -> Result<Outcome, Error> {
        let elements = inputs.streams.values().map(Vec::len).max().unwrap_or(0) as u64;
        let side: &mut dyn Backend = match self.target(kernel.name(), elements) {
            Target::Accelerator => &mut *self.accelerator,
            Target::Cpu => &mut self.cpu,
        };
        let mut outcome = side.call(kernel, inputs)?;
        outcome.report.executed_by = Some(side.name().to_owned());
        Ok(outcome)
    }
}
