//! The golden backend: the CPU models of `codesign-models`, which are the specification.

use std::time::Instant;

use codesign_models::Values;

use crate::{Backend, Error, Kernel, Outcome, Report};

/// Runs each call on the kernel's golden model.
#[derive(Debug, Default)]
pub struct Golden;

impl Backend for Golden {
    fn name(&self) -> &str {
        "golden"
    }

    fn call(&mut self, kernel: &Kernel, inputs: &Values) -> Result<Outcome, Error> {
        kernel.check_inputs(inputs)?;
        let start = Instant::now();
        let outputs = kernel.golden(inputs)?;
        Ok(Outcome { outputs, report: Report { wall: start.elapsed(), ..Report::default() } })
    }
}
