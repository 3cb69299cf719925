//! `codesign perf`: exact cycles per perf case against the baselines in ci/cycles.yaml, with
//! latency, achieved II, throughput, interface bound and stalls per port.

use std::path::PathBuf;

use clap::Args;
use comfy_table::{presets, Table};

use super::{classify, load_config, CliError};
use crate::perf::{measure, perf_cases, Baselines, Judgement, Measurement, Verdict};
use crate::{backends, Error, Kernel};

/// Arguments of `codesign perf`.
#[derive(Debug, Args)]
pub struct PerfArgs {
    /// Config file (default: $CODESIGN_CONFIG, else the built-in configs/cosim.yaml).
    #[arg(long)]
    config: Option<PathBuf>,
    /// Only this kernel.
    #[arg(long, conflicts_with = "kernel_dir")]
    kernel: Option<String>,
    /// An out-of-tree kernel folder (verilated at run time); pair it with `--baselines`.
    #[arg(long)]
    kernel_dir: Option<PathBuf>,
    /// A graph file (configs/graphs/README.md) instead of `--kernel`.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["kernel", "kernel_dir"])]
    graph: Option<PathBuf>,
    /// Record the measured counts as the new baselines (on purpose; CI never does).
    #[arg(long)]
    bless: bool,
    /// Baseline file (default: ci/cycles.yaml of the cargo workspace holding the current
    /// directory, else under the current directory).
    #[arg(long)]
    baselines: Option<PathBuf>,
}

pub(super) fn run(args: &PerfArgs) -> Result<(), CliError> {
    let config = load_config(args.config.as_deref())?;
    let path = args.baselines.clone().unwrap_or_else(Baselines::default_path);
    if args.bless {
        crate::output::check_output_file(&path).map_err(classify)?;
    }
    let kernels = match (&args.kernel, &args.kernel_dir) {
        _ if args.graph.is_some() => vec![crate::graph::Graph::load(args.graph.as_deref().unwrap_or(std::path::Path::new(""))).map_err(classify)?],
        (_, Some(dir)) => Kernel::all_from_dir_for(dir, &config).map_err(classify)?,
        (Some(name), None) => vec![Kernel::named(name).map_err(classify)?],
        (None, None) => Kernel::all().map_err(classify)?,
    };
    let mut backend = backends::open(&config).map_err(classify)?;
    let mut baselines = Baselines::load(&path).map_err(classify)?;
    let mut rows = Vec::new();
    for kernel in &kernels {
        for case in perf_cases(kernel).map_err(classify)? {
            let measured = measure(&mut *backend, &config, kernel, &case).map_err(classify)?;
            let judgement = baselines.judge(measured.baseline());
            rows.push((measured, judgement));
        }
    }
    let table = render(&rows);
    println!("config: {}   baselines: {}", config.source_name, path.display());
    println!("{table}");
    let graphs = super::perf_graph::render(rows.iter().map(|(m, _)| m));
    print!("{graphs}");
    let transactions = super::transactions::render(rows.iter().filter_map(|(m, _)| {
        m.report.transactions.as_ref().map(|t| (format!("{} `{}`", m.kernel, m.case), t, Some(m.cycles)))
    }));
    print!("{transactions}");
    for (_, judgement) in rows.iter().filter(|(_, j)| j.verdict != Verdict::Unchanged) {
        println!("{judgement}");
    }
    let markdown =
        format!("Config `{}`, baselines `{}`.\n\n{table}\n{graphs}{transactions}", config.source_name, path.display());
    if let Ok(report) = crate::report::write_section("perf", &markdown) {
        println!("report: {}", crate::output::shown(&report).display());
    }
    if args.bless {
        for (measured, _) in &rows {
            baselines.bless(measured.baseline());
        }
        baselines.save().map_err(classify)?;
        println!("blessed {} baseline(s) in {}", rows.len(), path.display());
        return Ok(());
    }
    let failed: Vec<&Judgement> = rows.iter().map(|(_, j)| j).filter(|j| j.verdict.fails()).collect();
    if failed.is_empty() {
        Ok(())
    } else {
        Err(CliError::Perf(Error::Mismatch {
            kernel: failed
                .iter()
                .map(|j| j.measured.kernel.as_str())
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .collect::<Vec<_>>()
                .join(", "),
            backend: backend.name().to_owned(),
            message: format!(
                "{} perf case(s) regressed or have no baseline:\n  {}",
                failed.len(),
                failed.iter().map(|j| j.to_string()).collect::<Vec<_>>().join("\n  ")
            ),
        }))
    }
}

fn render(rows: &[(Measurement, Judgement)]) -> Table {
    let mut table = Table::new();
    table.load_preset(presets::ASCII_MARKDOWN).set_header([
        "kernel", "case", "elements", "cycles", "baseline", "delta", "latency", "II out", "elem/cycle", "bound",
        "efficiency", "stalls", "m_axi bursts",
    ]);
    let dash = || "-".to_owned();
    for (m, j) in rows {
        let baseline = match j.verdict {
            Verdict::Improved { old, .. } | Verdict::Regressed { old, .. } => old.to_string(),
            Verdict::Unchanged => m.cycles.to_string(),
            Verdict::Missing => "none".to_owned(),
        };
        let stalls: Vec<String> = m.report.ports.iter().map(stall_summary).collect();
        table.add_row([
            m.kernel.clone(),
            m.case.clone(),
            m.elements.to_string(),
            m.cycles.to_string(),
            baseline,
            j.verdict.delta_percent().map_or_else(dash, |d| format!("{d:+.1}%")),
            m.report.latency().map_or_else(dash, |l| l.to_string()),
            m.report.output_ii().map_or_else(dash, |ii| format!("{ii:.2}")),
            format!("{:.3}", m.elements_per_cycle()),
            m.bound.to_string(),
            format!("{:.1}%", m.efficiency() * 100.0),
            stalls.join(" "),
            m.report.memories.iter().map(memory_summary).collect::<Vec<_>>().join("; "),
        ]);
    }
    table
}

/// `a:12` (cycles the port was held back), with an input's stalls caused by a held-back
/// output apart: `a:0+40out`.
fn stall_summary(port: &crate::PortReport) -> String {
    match port.blocked_by_output {
        0 => format!("{}:{}", port.name, port.stalled),
        blocked => format!("{}:{}+{blocked}out", port.name, port.stalled),
    }
}

/// `gmem0 [preset] R 512 x 64.0 (max 64) x 64 B, W ...`: the memory timing (board-sim), bursts, mean and longest length in beats,
/// bytes per beat, per direction that moved data.
fn memory_summary(memory: &crate::MemoryReport) -> String {
    let side = |name: &str, t: &crate::MemoryTraffic| {
        (t.bursts > 0).then(|| {
            let errors = if t.errors > 0 { format!(", {} error(s)", t.errors) } else { String::new() };
            format!("{name} {} x {:.1} (max {}) x {} B{errors}", t.bursts, t.mean_burst, t.max_burst, t.beat_bytes)
        })
    };
    let sides: Vec<String> = [side("R", &memory.read), side("W", &memory.write)].into_iter().flatten().collect();
    let timing = memory.timing.as_ref().map(|t| format!(" [{t}]")).unwrap_or_default();
    format!("{}{timing} {}", memory.bundle, if sides.is_empty() { "idle".to_owned() } else { sides.join(", ") })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_memory_summary_names_the_timing_preset() {
        let traffic = crate::MemoryTraffic { bursts: 2, beats: 128, bytes: 8192, max_burst: 64, mean_burst: 64.0, beat_bytes: 64, errors: 0 };
        let report = crate::MemoryReport {
            bundle: "gmem0".into(),
            read: traffic,
            write: crate::MemoryTraffic::default(),
            timing: Some("zynqmp-hpc-axi-proxy".into()),
        };
        assert_eq!(memory_summary(&report), "gmem0 [zynqmp-hpc-axi-proxy] R 2 x 64.0 (max 64) x 64 B");
        assert_eq!(memory_summary(&crate::MemoryReport { timing: None, ..report }), "gmem0 R 2 x 64.0 (max 64) x 64 B");
    }
}
