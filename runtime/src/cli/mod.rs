//! The `codesign` command line: one file per subcommand.

mod bdt;
mod bench_graph;
mod bench_sim;
mod check;
mod init;
pub mod exit_codes;
mod kernels;
mod perf;
mod perf_graph;
mod run;
mod sweep;
mod transactions;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::{Config, Error};

/// codesign: HLS kernels on golden models, Verilator cosim and boards, behind one trait.
#[derive(Debug, Parser)]
#[command(name = "codesign", version, about)]
pub struct Cli {
    /// Output folder: report, waveforms, sweeps (default: $CODESIGN_OUT, else target/codesign
    /// of the cargo workspace holding the current directory, else target/codesign under it).
    #[arg(long, global = true, value_name = "DIR")]
    out: Option<std::path::PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run each kernel's standard workloads on the configured backend and verify them
    /// against the golden model.
    Run(run::RunArgs),
    /// List the kernels and what their manifests say.
    Kernels(kernels::KernelsArgs),
    /// Check a kernel folder's manifest against the ports Verilator reads from its RTL.
    Check(check::CheckArgs),
    /// Write a kernel.yaml for a Vitis HLS export folder (guesses marked `# guess:`).
    Init(init::InitArgs),
    /// Stream the same words through the same RTL with the hand-written C++ testbench and
    /// with the Rust harness, and compare simulated cycles per second.
    BenchSim(bench_sim::BenchSimArgs),
    /// Exact cycles of every perf case against the baselines in ci/cycles.yaml, with
    /// latency, achieved II, interface bound and stalls; `--bless` records new baselines.
    Perf(perf::PerfArgs),
    /// Cycles on cosim and golden CPU time against N, and the size above which the
    /// accelerator wins; writes CSV and SVG in the output folder (`--out`).
    Sweep(sweep::SweepArgs),
    /// Conifer-style BDT inference: a conifer JSON model over a CSV of features, scores
    /// to a CSV (kernel `bdt`).
    Bdt(bdt::BdtArgs),
}

/// Why a command failed; each maps to an exit code in [`exit_codes`].
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// A config, manifest, kernel or backend name was wrong.
    #[error(transparent)]
    Setup(Error),
    /// A backend failed to run a call.
    #[error(transparent)]
    Run(Error),
    /// A cycle count grew past its baseline, or has none.
    #[error(transparent)]
    Perf(Error),
    /// Outputs differed from the golden model.
    #[error("{failed} of {total} case(s) failed verification")]
    Verification {
        /// Failed cases.
        failed: usize,
        /// All cases.
        total: usize,
    },
    /// Some rows of a table of cases failed; the exit code is the worst row's.
    #[error("{failed} of {total} case(s) failed (see the table)")]
    Cases {
        /// Failed cases.
        failed: usize,
        /// All cases.
        total: usize,
        /// The worst row's exit code.
        code: u8,
    },
}

impl CliError {
    /// The process exit code for this error.
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Setup(_) => exit_codes::SETUP,
            CliError::Run(_) => exit_codes::RUN_FAILED,
            CliError::Verification { .. } => exit_codes::VERIFICATION_FAILED,
            CliError::Perf(_) => exit_codes::PERF_REGRESSION,
            CliError::Cases { code, .. } => *code,
        }
    }
}

/// Classifies a runtime error: bad input from the user, or a failure while running.
pub fn classify(error: Error) -> CliError {
    match error {
        Error::Config { .. }
        | Error::ConfigRead { .. }
        | Error::UnknownKernel { .. }
        | Error::UnknownBackend { .. }
        | Error::Manifest(_)
        | Error::Graph { .. }
        | Error::KernelDir { .. }
        | Error::Output { .. }
        | Error::Input { .. } => CliError::Setup(error),
        _ => CliError::Run(error),
    }
}

/// The config given by `--config`, else `$CODESIGN_CONFIG`, else the built-in cosim one.
pub fn load_config(path: Option<&std::path::Path>) -> Result<Config, CliError> {
    let result = match (path, std::env::var_os(crate::config::CONFIG_ENV)) {
        (Some(path), _) => Config::load(path),
        // Relative to here or to the workspace root, as for the suite (tests run in crate dirs).
        (None, Some(env)) => Config::load(&crate::config::resolve(std::path::Path::new(&env))),
        (None, None) => Config::builtin("cosim"),
    };
    result.map_err(classify)
}

/// `error: ...` with each cause on its own line, except causes whose text the message already
/// holds (most errors here embed their source in their own text).
pub fn describe(error: &dyn std::error::Error) -> String {
    let mut text = format!("error: {error}");
    let mut source = error.source();
    while let Some(cause) = source {
        let line = cause.to_string();
        if !text.contains(&line) {
            text.push_str(&format!("\n  Caused by: {line}"));
        }
        source = cause.source();
    }
    text
}

fn execute(command: &Command) -> Result<(), CliError> {
    // The commands that write the report make the output folder first: one that cannot be
    // made fails before any work.
    if matches!(command, Command::Run(_) | Command::Perf(_) | Command::Sweep(_)) {
        crate::output::prepare_output_dir().map_err(classify)?;
    }
    match command {
        Command::Run(args) => run::run(args),
        Command::Kernels(args) => kernels::run(args),
        Command::Check(args) => check::run(args),
        Command::Init(args) => init::run(args),
        Command::BenchSim(args) => bench_sim::run(args),
        Command::Perf(args) => perf::run(args),
        Command::Sweep(args) => sweep::run(args),
        Command::Bdt(args) => bdt::run(args),
    }
}

/// Parses the command line, runs it, prints errors with their causes, returns the exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Some(dir) = cli.out {
        crate::output::set_output_dir(dir);
    }
    match execute(&cli.command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("{}", describe(&error));
            ExitCode::from(error.exit_code())
        }
    }
}
