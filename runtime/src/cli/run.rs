//! `codesign run`: standard workloads on the configured backend, verified against golden;
//! or, with `--input`, one call on data files (see [`run_files`]).

use std::collections::BTreeMap;
use std::path::PathBuf;

use clap::Args;
use codesign_hw::manifest::ArgDirection;
use codesign_models::Values;
use comfy_table::{presets, Table};
use serde::Serialize;

use super::{classify, load_config, CliError};
use crate::workload::{compare, show, standard_cases};
use crate::{backends, io, Backend, Error, Kernel};

/// Arguments of `codesign run`.
#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("one_kernel").args(["kernel", "kernel_dir", "graph"])))]
pub struct RunArgs {
    /// Config file (default: $CODESIGN_CONFIG, else the built-in configs/cosim.yaml).
    #[arg(long)]
    config: Option<PathBuf>,
    /// Only this kernel (a test fixture under hw/fixtures may be named too).
    #[arg(long)]
    kernel: Option<String>,
    /// An out-of-tree kernel folder (kernel.yaml + RTL) instead of `--kernel`.
    #[arg(long, value_name = "DIR")]
    kernel_dir: Option<PathBuf>,
    /// A graph file (configs/graphs/README.md) instead of `--kernel`.
    #[arg(long, value_name = "FILE")]
    graph: Option<PathBuf>,
    /// Input stream from a file (.npy, .csv, else raw little-endian); repeatable. With any
    /// `--input`, one call is made on these files instead of the standard workloads, and
    /// every input stream of the manifest must be given.
    #[arg(long, value_name = "NAME=FILE", value_parser = name_file, requires = "one_kernel")]
    input: Vec<(String, PathBuf)>,
    /// Write output stream NAME to FILE (format by extension); repeatable; needs `--input`.
    #[arg(long, value_name = "NAME=FILE", value_parser = name_file, requires = "input")]
    output: Vec<(String, PathBuf)>,
    /// Expected output stream NAME from FILE, compared (besides the golden model, when the
    /// kernel has one); repeatable; needs `--input`.
    #[arg(long, value_name = "NAME=FILE", value_parser = name_file, requires = "input")]
    expect: Vec<(String, PathBuf)>,
    /// Scalar argument NAME = VALUE (decimal or 0x hex); repeatable; needs `--input`.
    #[arg(long, value_name = "NAME=VALUE", value_parser = name_value, requires = "input")]
    arg: Vec<(String, u64)>,
    /// Print one JSON object per case instead of a table.
    #[arg(long)]
    json: bool,
}

fn split_pair(text: &str) -> Result<(&str, &str), String> {
    match text.split_once('=') {
        Some((name, value)) if !name.is_empty() && !value.is_empty() => Ok((name, value)),
        _ => Err(format!("`{text}` is not NAME=VALUE")),
    }
}

fn name_file(text: &str) -> Result<(String, PathBuf), String> {
    split_pair(text).map(|(name, file)| (name.to_owned(), PathBuf::from(file)))
}

fn name_value(text: &str) -> Result<(String, u64), String> {
    let (name, value) = split_pair(text)?;
    let parsed = match value.strip_prefix("0x").or_else(|| value.strip_prefix("0X")) {
        Some(hex) => u64::from_str_radix(&hex.replace('_', ""), 16),
        None => value.replace('_', "").parse(),
    };
    parsed.map(|v| (name.to_owned(), v)).map_err(|e| format!("argument `{name}`: `{value}` is not a decimal or 0x-hex u64: {e}"))
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
    /// Neither a golden model nor `--expect` files: not checked (and not a failure).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    unverified: bool,
    detail: String,
}

pub(super) fn run(args: &RunArgs) -> Result<(), CliError> {
    let config = load_config(args.config.as_deref())?;
    let kernels = match (&args.kernel, &args.kernel_dir, &args.graph) {
        (Some(name), _, _) => vec![Kernel::named(name).or_else(|e| Kernel::fixture(name).map_err(|_| e)).map_err(classify)?],
        (None, Some(dir), _) => vec![Kernel::from_dir(dir).map_err(classify)?],
        (None, None, Some(file)) => vec![crate::graph::Graph::load(file).map_err(classify)?],
        (None, None, None) => Kernel::all().map_err(classify)?,
    };
    let mut backend = backends::open(&config).map_err(classify)?;
    let mut rows = Vec::new();
    if !args.input.is_empty() {
        for kernel in &kernels {
            let row = run_files(args, kernel, backend.as_mut())?;
            if args.json {
                println!("{}", serde_json::to_string(&row).unwrap_or_default());
            }
            rows.push(row);
        }
    }
    for kernel in kernels.iter().filter(|_| args.input.is_empty()) {
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
                unverified: false,
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
    let failed = rows.iter().filter(|r| !r.verified && !r.unverified).count();
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
            if r.verified {
                "yes".to_owned()
            } else if r.unverified {
                format!("unverified ({})", r.detail)
            } else {
                format!("NO: {}", r.detail)
            },
        ]);
    }
    table
}

/// A setup error about `kernel` (exit code 2).
fn setup(kernel: &Kernel, message: String) -> CliError {
    CliError::Setup(Error::Input { kernel: kernel.name().to_owned(), message })
}

/// `--input`/`--output`/`--expect` names must be streams of `kernel` in that direction.
fn stream_element(
    kernel: &Kernel,
    flag: &str,
    name: &str,
    input: bool,
) -> Result<codesign_hw::manifest::ElementType, CliError> {
    let mut ports = if input { kernel.manifest.inputs().collect::<Vec<_>>() } else { kernel.manifest.outputs().collect() };
    if let Some(port) = ports.iter().find(|p| p.name == name) {
        return Ok(port.element);
    }
    ports.sort_by(|a, b| a.name.cmp(&b.name));
    let known: Vec<_> = ports.iter().map(|p| p.name.as_str()).collect();
    let kind = if input { "input" } else { "output" };
    Err(setup(kernel, format!("{flag} {name}: no {kind} stream `{name}` ({kind}s: {})", known.join(", "))))
}

/// One call on data files: inputs from `--input`, scalars from `--arg`, outputs written to
/// `--output`, checked against the golden model (when the kernel has one) and `--expect`
/// files (when given); with neither the row says "unverified", which is not a failure.
fn run_files(args: &RunArgs, kernel: &Kernel, backend: &mut dyn Backend) -> Result<Row, CliError> {
    let mut inputs = Values::new();
    for (name, path) in &args.input {
        let element = stream_element(kernel, "--input", name, true)?;
        if inputs.streams.contains_key(name) {
            return Err(setup(kernel, format!("--input {name} given twice")));
        }
        let elements = io::read_stream(path, element).map_err(|e| setup(kernel, e.to_string()))?;
        inputs.streams.insert(name.clone(), elements);
    }
    let missing: Vec<_> = kernel.manifest.inputs().filter(|s| !inputs.streams.contains_key(&s.name)).map(|s| s.name.as_str()).collect();
    if !missing.is_empty() {
        let list = missing.iter().map(|m| format!("`{m}`")).collect::<Vec<_>>().join(", ");
        return Err(setup(kernel, format!("missing input stream {list}: give --input NAME=FILE for each")));
    }
    let input_args: Vec<_> = kernel.manifest.args.iter().filter(|a| a.direction == ArgDirection::In).collect();
    for (name, value) in &args.arg {
        if !input_args.iter().any(|a| &a.name == name) {
            let known: Vec<_> = input_args.iter().map(|a| a.name.as_str()).collect();
            return Err(setup(kernel, format!("--arg {name}: no argument `{name}` (args: {})", known.join(", "))));
        }
        inputs.scalars.insert(name.clone(), *value);
    }
    let missing: Vec<_> = input_args.iter().filter(|a| !inputs.scalars.contains_key(&a.name)).map(|a| a.name.as_str()).collect();
    if !missing.is_empty() {
        let list = missing.iter().map(|m| format!("`{m}`")).collect::<Vec<_>>().join(", ");
        return Err(setup(kernel, format!("missing argument {list}: give --arg NAME=VALUE for each")));
    }
    kernel.check_inputs(&inputs).map_err(classify)?;
    // Expected files are read before the call, so a bad one fails fast.
    let mut expected = BTreeMap::new();
    for (name, path) in &args.expect {
        let element = stream_element(kernel, "--expect", name, false)?;
        let elements = io::read_stream(path, element).map_err(|e| setup(kernel, e.to_string()))?;
        expected.insert(name.clone(), (path.clone(), element, elements));
    }
    for (name, _) in &args.output {
        stream_element(kernel, "--output", name, false)?;
    }
    let golden = match kernel.golden(&inputs) {
        Ok(values) => Some(values),
        Err(Error::Unsupported { .. }) => None,
        Err(e) => return Err(classify(e)),
    };
    let outcome = backend.call(kernel, &inputs).map_err(classify)?;
    for (name, path) in &args.output {
        let element = stream_element(kernel, "--output", name, false)?;
        let elements = outcome.outputs.streams.get(name).map(Vec::as_slice).unwrap_or(&[]);
        io::write_stream(path, element, elements).map_err(|e| setup(kernel, e.to_string()))?;
    }
    let mut problems = Vec::new();
    let mut checked = Vec::new();
    if let Some(golden) = &golden {
        checked.push("golden".to_owned());
        if let Err(message) = compare(kernel, golden, &outcome.outputs) {
            problems.push(format!("golden: {message}"));
        }
    }
    for (name, (path, element, want)) in &expected {
        checked.push(format!("{}", path.display()));
        let have = outcome.outputs.streams.get(name).map(Vec::as_slice).unwrap_or(&[]);
        if let Some(message) = differ(name, *element, want, have) {
            problems.push(format!("{}: {message}", path.display()));
        }
    }
    let elements = inputs.streams.values().map(Vec::len).max().unwrap_or(0);
    let bound = kernel.manifest.interface_bound(elements);
    let report = &outcome.report;
    let unverified = checked.is_empty();
    Ok(Row {
        kernel: kernel.name().to_owned(),
        backend: match &report.executed_by {
            Some(side) => format!("{} -> {side}", backend.name()),
            None => backend.name().to_owned(),
        },
        case: "files".to_owned(),
        elements,
        cycles: report.cycles,
        interface_bound_cycles: bound,
        efficiency: report.cycles.map(|c| bound as f64 / c as f64),
        simulated_cycles_per_s: report.simulated_cycles.map(|c| c as f64 / report.wall.as_secs_f64()),
        verified: !unverified && problems.is_empty(),
        unverified,
        detail: if unverified {
            "no golden model and no --expect".to_owned()
        } else {
            problems.join("; ")
        },
    })
}

/// The first difference between an expected and an actual output stream.
fn differ(name: &str, element: codesign_hw::manifest::ElementType, want: &[u64], have: &[u64]) -> Option<String> {
    if let Some(i) = want.iter().zip(have).position(|(w, h)| w != h) {
        return Some(format!(
            "stream `{name}` element {i}: expected {}, got {}",
            show(element, want[i]),
            show(element, have[i])
        ));
    }
    (want.len() != have.len()).then(|| format!("stream `{name}`: expected {} elements, got {}", want.len(), have.len()))
}

