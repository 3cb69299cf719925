//! `codesign run`: standard workloads on the configured backend, verified against golden.

use std::path::PathBuf;

use clap::Args;
use comfy_table::{presets, Table};
use serde::Serialize;

use super::{classify, load_config, CliError};
use crate::workload::{compare, standard_cases};
use crate::{backends, Kernel};

/// Arguments of `codesign run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// Config file (default: $CODESIGN_CONFIG, else the built-in configs/cosim.yaml).
    #[arg(long)]
    config: Option<PathBuf>,
    /// Only this kernel (a test fixture under hw/fixtures may be named too).
    #[arg(long)]
    kernel: Option<String>,
    /// Print one JSON object per case instead of a table.
    #[arg(long)]
    json: bool,
}

/// One line of the report.
#[derive(Debug, Serialize)]
struct Row {
    kernel: String,
    backend: String,
    case: String,
    elements: usize,
    cycles: Option<u64>,
    interface_bound_cycles: u64,
    efficiency: Option<f64>,
    simulated_cycles_per_s: Option<f64>,
    verified: bool,
    detail: String,
}

pub(super) fn run(args: &RunArgs) -> Result<(), CliError> {
    let config = load_config(args.config.as_deref())?;
    let kernels = match &args.kernel {
        Some(name) => vec![Kernel::named(name).or_else(|e| Kernel::fixture(name).map_err(|_| e)).map_err(classify)?],
        None => Kernel::all().map_err(classify)?,
    };
    let mut backend = backends::open(&config).map_err(classify)?;
    let mut rows = Vec::new();
    for kernel in &kernels {
        for case in standard_cases(kernel) {
            let expected = kernel.golden(&case.inputs).map_err(classify)?;
            let outcome = backend.call(kernel, &case.inputs).map_err(classify)?;
            let verdict = compare(kernel, &expected, &outcome.outputs);
            let bound = kernel.manifest.interface_bound(case.elements);
            let report = &outcome.report;
            let row = Row {
                kernel: kernel.name().to_owned(),
                backend: match &report.executed_by {
                    Some(side) => format!("{} -> {side}", backend.name()),
                    None => backend.name().to_owned(),
                },
                case: case.name.clone(),
                elements: case.elements,
                cycles: report.cycles,
                interface_bound_cycles: bound,
                efficiency: report.cycles.map(|c| bound as f64 / c as f64),
                simulated_cycles_per_s: report.simulated_cycles.map(|c| c as f64 / report.wall.as_secs_f64()),
                verified: verdict.is_ok(),
                detail: verdict.err().unwrap_or_default(),
            };
            if args.json {
                println!("{}", serde_json::to_string(&row).unwrap_or_default());
            }
            rows.push(row);
        }
    }
    let table = render(&rows);
    if !args.json {
        println!("config: {}", config.source_name);
        println!("{table}");
    }
    let markdown = format!("Config `{}`.\n\n{table}\n", config.source_name);
    if let Ok(report) = crate::report::write_section("run", &markdown) {
        if !args.json {
            println!("report: {}", report.display());
        }
    }
    let failed = rows.iter().filter(|r| !r.verified).count();
    if failed > 0 {
        return Err(CliError::Verification { failed, total: rows.len() });
    }
    Ok(())
}

fn render(rows: &[Row]) -> Table {
    let mut table = Table::new();
    table.load_preset(presets::ASCII_MARKDOWN).set_header([
        "kernel", "backend", "case", "elements", "cycles", "bound", "efficiency", "sim cycles/s", "verified",
    ]);
    let dash = || "-".to_owned();
    for r in rows {
        table.add_row([
            r.kernel.clone(),
            r.backend.clone(),
            r.case.clone(),
            r.elements.to_string(),
            r.cycles.map_or_else(dash, |c| c.to_string()),
            r.interface_bound_cycles.to_string(),
            r.efficiency.map_or_else(dash, |e| format!("{:.1}%", e * 100.0)),
            r.simulated_cycles_per_s.map_or_else(dash, |c| format!("{:.2} M", c / 1e6)),
            if r.verified { "yes".to_owned() } else { format!("NO: {}", r.detail) },
        ]);
    }
    table
}
