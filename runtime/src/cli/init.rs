//! `codesign init`: write a kernel.yaml for a Vitis HLS export folder.

use std::path::PathBuf;

use clap::Args;

use super::{classify, CliError};

/// Arguments of `codesign init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// The export folder (its RTL in rtl/, syn/verilog/, impl/verilog/ ...; C++ in hls/).
    #[arg(long)]
    kernel_dir: PathBuf,
    /// The top module, when more than one module is instantiated by nobody.
    #[arg(long)]
    top: Option<String>,
    /// Overwrite an existing kernel.yaml.
    #[arg(long)]
    force: bool,
}

pub(super) fn run(args: &InitArgs) -> Result<(), CliError> {
    let scratch = crate::dropin::scratch_dir("init");
    let path = crate::init::init(&args.kernel_dir, args.top.as_deref(), args.force, &scratch).map_err(classify)?;
    let guesses = std::fs::read_to_string(&path).map(|t| t.matches("# guess:").count()).unwrap_or(0);
    println!("wrote {} ({guesses} guessed line(s), marked `# guess:`)", path.display());
    println!("next: codesign check --kernel-dir {0} && codesign run --kernel-dir {0}", args.kernel_dir.display());
    Ok(())
}
