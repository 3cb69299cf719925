//! `codesign bench-sim`: the Rust harness against a hand-written C++ Verilator testbench,
//! same RTL, same words, one run. A benchmark, not a test: it prints ratios.

use std::path::PathBuf;
use std::time::Instant;

use clap::Args;
use codesign_models::Values;

use super::{classify, load_config, CliError};
use crate::backends::cosim::Cosim;
use crate::config::{Backpressure, CosimConfig, PauseProfile};
use crate::{Backend, Error, Kernel};

/// Arguments of `codesign bench-sim`.
#[derive(Debug, Args)]
pub struct BenchSimArgs {
    /// Only this kernel (default: every kernel with a C++ testbench).
    #[arg(long, conflicts_with_all = ["kernel_dir", "graph"])]
    kernel: Option<String>,
    /// A shipped graph: its system-cosim rate against the additive rate of its kernels, each
    /// run alone on the same data, 1 / sum(1 / rate_i).
    #[arg(long, conflicts_with = "kernel_dir")]
    graph: Option<String>,
    /// With `--graph`: the graph workload to run (default: the one with the most elements).
    #[arg(long, requires = "graph")]
    workload: Option<String>,
    /// An out-of-tree kernel folder: stream seeded random data through it with the config's
    /// back-pressure profile and report simulated cycles per second.
    #[arg(long)]
    kernel_dir: Option<PathBuf>,
    /// Config for `--kernel-dir` (its `cosim.backpressure` is the profile).
    #[arg(long)]
    config: Option<PathBuf>,
    /// Elements per input stream.
    #[arg(long, default_value_t = 1_000_000)]
    elements: u64,
    /// Pairs of runs (C++ then Rust, back to back, so both see the same machine load); the
    /// ratio reported is the median over pairs, the rates the fastest of each harness.
    #[arg(long, default_value_t = 9)]
    repeat: u32,
}

/// FNV-1a 64 over 32-bit words, little-endian bytes: the C++ testbench's checksum.
fn checksum(words: &[u64]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for word in words {
        for byte in (*word as u32).to_le_bytes() {
            hash = (hash ^ u64::from(byte)).wrapping_mul(0x100_0000_01b3);
        }
    }
    hash
}

struct Measure {
    cycles: u64,
    seconds: f64,
    checksum: u64,
}

impl Measure {
    fn rate(&self) -> f64 {
        self.cycles as f64 / self.seconds
    }
}

/// `--kernel-dir`: the first workload's inputs (its arguments, seeded random data) scaled to
/// `--elements`: elements per stream, or transactions of a kernel that has only bare ports or
/// arrays; the configured back-pressure, the fastest of `repeat` runs.
/// A folder with parameter sets benches each of its kernels.
fn bench_dir(args: &BenchSimArgs, dir: &std::path::Path) -> Result<(), CliError> {
    let config = load_config(args.config.as_deref())?.cosim;
    for kernel in Kernel::all_from_dir(dir).map_err(classify)? {
        bench_dir_kernel(args, dir, &kernel, &config)?;
    }
    Ok(())
}

fn bench_dir_kernel(args: &BenchSimArgs, dir: &std::path::Path, kernel: &Kernel, config: &CosimConfig) -> Result<(), CliError> {
    // A folder with its own C++ testbench is compared with it, as a library kernel is.
    if has_testbench(kernel) {
        println!("kernel folder {} (loaded at run time: a shared library in the kernel cache)", dir.display());
        return bench_pairs(kernel, args, config);
    }
    let mut workload = kernel.manifest.workloads.first().cloned().ok_or_else(|| {
        classify(Error::Input { kernel: kernel.name().to_owned(), message: "bench-sim needs a workload in the manifest".to_owned() })
    })?;
    let n = args.elements as usize;
    let own = workload.elements;
    if kernel.manifest.streams.is_empty() && kernel.manifest.buffers.is_empty() {
        // Bare scalars and arrays: one transaction per element asked for.
        workload.transactions = n.div_ceil(workload.elements.max(1));
    } else {
        workload.elements = n;
    }
    // Arguments may set how much a call reads (a grid's width and height): a kernel that then
    // stops early is bench-sim's doing, said so with the way out.
    let scaled = |error: Error| match (&error, workload.args.is_empty() || own == n) {
        (Error::Protocol { .. } | Error::Timeout { .. } | Error::OverBudget { .. }, false) => {
            let text = error.to_string();
            let prefix = format!("kernel `{}`: ", kernel.name());
            let args: Vec<String> = workload.args.iter().map(|(name, value)| format!("{name}: {value}")).collect();
            Error::Input {
                kernel: kernel.name().to_owned(),
                message: format!(
                    "{}\n  bench-sim scaled workload `{}` from {own} to {n} elements per stream and kept its arguments \
                     ({}): if they set how much a call reads, run with --elements {own}",
                    text.strip_prefix(&prefix).unwrap_or(&text),
                    workload.name,
                    args.join(", ")
                ),
            }
        }
        _ => error,
    };
    let inputs = crate::workload::workload_case(kernel, &workload).map_err(classify)?.inputs;
    let mut backend = Cosim::new(config.clone());
    let mut best: Option<Measure> = None;
    let mut cycles = 0;
    for _ in 0..args.repeat.max(1) {
        let outcome = backend.call(kernel, &inputs).map_err(scaled).map_err(classify)?;
        cycles = outcome.report.cycles.unwrap_or(0);
        let m = Measure {
            cycles: outcome.report.simulated_cycles.unwrap_or(0),
            seconds: outcome.report.wall.as_secs_f64(),
            checksum: 0,
        };
        if best.as_ref().is_none_or(|b| m.rate() > b.rate()) {
            best = Some(m);
        }
    }
    let Some(best) = best else { return Ok(()) };
    println!(
        "bench-sim {} ({}): {} elements, back-pressure inputs {:?} outputs {:?}, best of {}",
        kernel.name(),
        dir.display(),
        args.elements,
        config.backpressure.inputs,
        config.backpressure.outputs,
        args.repeat.max(1)
    );
    println!(
        "  Rust harness {:>10} cycles ({cycles} from start to done)  {:>8.3} s  {:>7.2} M cycles/s",
        best.cycles,
        best.seconds,
        best.rate() / 1e6
    );
    Ok(())
}

pub(super) fn run(args: &BenchSimArgs) -> Result<(), CliError> {
    if let Some(dir) = &args.kernel_dir {
        return bench_dir(args, dir);
    }
    if let Some(graph) = &args.graph {
        return super::bench_graph::run(graph, args.workload.as_deref(), args.repeat);
    }
    let mut config = load_config(None)?.cosim;
    config.backpressure = Backpressure::default();
    let kernels = match &args.kernel {
        Some(name) => vec![Kernel::named(name).map_err(classify)?],
        None => Kernel::all().map_err(classify)?,
    };
    let benched: Vec<&Kernel> =
        kernels.iter().filter(|k| has_testbench(k)).collect();
    if benched.is_empty() {
        return Err(classify(Error::Unsupported {
            backend: "cosim".to_owned(),
            ability: "bench-sim for these kernels (none has a `bench:` C++ testbench in its manifest)".to_owned(),
        }));
    }
    for kernel in benched {
        bench_pairs(kernel, args, &config)?;
    }
    Ok(())
}

/// Whether the kernel has a `bench:` section and its C++ testbench was compiled in.
fn has_testbench(kernel: &Kernel) -> bool {
    kernel.manifest.bench.is_some() && kernel.source().is_ok_and(|s| s.model.cpp_testbench.is_some())
}

/// Back-pressure settings both sides run: full rate, then one stall cycle in `STALL_EVERY`
/// (sources offer no new beat, sinks hold TREADY low).
const STALL_EVERY: u32 = 4;

/// The kernel's C++ testbench and the Rust harness on the same words, back to back in pairs,
/// at full rate and with back-pressure: both rates, the flags, the median ratio.
fn bench_pairs(kernel: &Kernel, args: &BenchSimArgs, config: &CosimConfig) -> Result<(), CliError> {
    let (Some(bench), Some(testbench)) = (&kernel.manifest.bench, kernel.source().ok().and_then(|s| s.model.cpp_testbench)) else {
        return Ok(());
    };
    let mut inputs = Values::new();
    for (name, pattern) in &bench.inputs {
        inputs.streams.insert(name.clone(), (0..args.elements).map(|i| u64::from(pattern.word(i))).collect());
    }
    for arg in &kernel.manifest.args {
        let value = if bench.arg.as_deref() == Some(arg.name.as_str()) { u64::from(bench.value) } else { 0 };
        inputs.scalars.insert(arg.name.clone(), value);
    }
    let argument = bench.arg.as_ref().map_or(String::new(), |arg| format!(", {arg} = {}", bench.value));
    println!("bench-sim {}: {} elements{argument}, {} interleaved pairs", kernel.name(), args.elements, args.repeat.max(1));
    // The same verilated model on both sides: say how it was built, since the flags (tracing
    // compiled in, X randomization) would cost the C++ side as much as the Rust one.
    println!(
        "  both sides: one model, verilator {} (`verilator-args:` {}), C++ -O3 -fno-semantic-interposition",
        codesign_verilate::Variant::FAST.verilator_args().join(" "),
        if kernel.manifest.verilator_args.is_empty() { "none".to_owned() } else { kernel.manifest.verilator_args.join(" ") }
    );
    for stall_every in [0, STALL_EVERY] {
        let mut config = config.clone();
        config.backpressure = Backpressure::default();
        if stall_every > 0 {
            let duty = PauseProfile::Duty { active: stall_every - 1, paused: 1 };
            (config.backpressure.inputs, config.backpressure.outputs) = (duty.clone(), duty);
            println!("  back-pressure: one cycle in {stall_every}, every input idle and every output not ready");
        } else {
            println!("  full rate");
        }
        let mut backend = Cosim::new(config);
        let mut best_cpp: Option<Measure> = None;
        let mut best_rust: Option<Measure> = None;
        let mut ratios = Vec::new();
        for _ in 0..args.repeat.max(1) {
            let (mut cycles, mut sum) = (0u64, 0u64);
            let start = Instant::now();
            // SAFETY: the testbench only writes through the two pointers it is given.
            let status = unsafe { testbench(args.elements, bench.value, stall_every, &mut cycles, &mut sum) };
            let cpp = Measure { cycles, seconds: start.elapsed().as_secs_f64(), checksum: sum };
            if status != 0 {
                return Err(CliError::Run(Error::Backend {
                    backend: "cosim".to_owned(),
                    source: format!("C++ testbench of `{}` returned {status}", kernel.name()).into(),
                }));
            }
            let outcome = backend.call(kernel, &inputs).map_err(classify)?;
            let out = outcome.outputs.streams.values().next().map(Vec::as_slice).unwrap_or(&[]);
            let rust = Measure {
                cycles: outcome.report.simulated_cycles.unwrap_or(0),
                seconds: outcome.report.wall.as_secs_f64(),
                checksum: checksum(out),
            };
            ratios.push(rust.rate() / cpp.rate());
            if best_cpp.as_ref().is_none_or(|b| cpp.rate() > b.rate()) {
                best_cpp = Some(cpp);
            }
            if best_rust.as_ref().is_none_or(|b| rust.rate() > b.rate()) {
                best_rust = Some(rust);
            }
        }
        let (Some(cpp), Some(rust)) = (best_cpp, best_rust) else { continue };
        if cpp.checksum != rust.checksum {
            return Err(CliError::Run(Error::Mismatch {
                kernel: kernel.name().to_owned(),
                backend: "cosim".to_owned(),
                message: format!(
                    "bench outputs differ: C++ testbench checksum {:#018x}, Rust harness {:#018x}",
                    cpp.checksum, rust.checksum
                ),
            }));
        }
        for (name, m) in [("C++ testbench", &cpp), ("Rust harness", &rust)] {
            println!(
                "    {name:<14} {:>10} cycles  {:>8.3} s  {:>7.2} M cycles/s  checksum {:#018x}",
                m.cycles,
                m.seconds,
                m.rate() / 1e6,
                m.checksum
            );
        }
        ratios.sort_by(f64::total_cmp);
        let median = ratios[ratios.len() / 2];
        let (low, high) = (ratios[0], ratios[ratios.len() - 1]);
        println!("    ratio Rust / C++: {median:.2}x median over pairs (range {low:.2}-{high:.2}; goal >= 0.80x)");
    }
    Ok(())
}
