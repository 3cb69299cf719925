//! `codesign check`: validate a kernel folder's manifest against its RTL's real ports.

use std::path::PathBuf;

use clap::Args;

use super::{classify, CliError};
use crate::check::{check_kernel_dir, problems_error};
use crate::{Error, Kernel};

/// Arguments of `codesign check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// A kernel folder (kernel.yaml + RTL), in or out of this repository.
    #[arg(long, conflicts_with = "kernel")]
    kernel_dir: Option<PathBuf>,
    /// A library kernel by name.
    #[arg(long)]
    kernel: Option<String>,
}

pub(super) fn run(args: &CheckArgs) -> Result<(), CliError> {
    let dir = match (&args.kernel_dir, &args.kernel) {
        (Some(dir), _) => dir.clone(),
        (None, Some(name)) => PathBuf::from(Kernel::named(name).map_err(classify)?.source().map_err(classify)?.dir),
        (None, None) => {
            return Err(CliError::Setup(Error::Input {
                kernel: "-".into(),
                message: "give --kernel-dir DIR or --kernel NAME".into(),
            }))
        }
    };
    let scratch = crate::dropin::scratch_dir("check");
    // A library kernel is checked alone, a folder whole (every parameter set).
    let reports = check_kernel_dir(&dir, args.kernel.as_deref(), &scratch).map_err(classify);
    let _ = std::fs::remove_dir_all(&scratch);
    // Each kernel's problems are reported; the last is the command's error (exit 2).
    let mut failed: Option<Error> = None;
    for report in reports? {
        if report.problems.is_empty() {
            println!("{}: manifest and RTL agree ({} ports checked)", report.manifest.name, report.ports.len());
        } else if let Some(earlier) = failed.replace(problems_error(&dir, &report.manifest, &report.problems)) {
            eprintln!("error: {earlier}");
        }
    }
    failed.map_or(Ok(()), |e| Err(CliError::Setup(e)))
}
