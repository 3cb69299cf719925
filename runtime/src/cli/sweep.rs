//! `codesign sweep`: cycles and CPU time against N, and the crossover.

use clap::Args;

use super::CliError;

/// Arguments of `codesign sweep`.
#[derive(Debug, Args)]
pub struct SweepArgs {}

pub(super) fn run(_args: &SweepArgs) -> Result<(), CliError> {
    Ok(())
}
