//! `codesign run`: standard workloads on the configured backend, verified against golden;
//! or, with `--input`, one call on data files (see [`run_files`]).

use std::collections::BTreeMap;
use std::path::PathBuf;

use clap::Args;
use codesign_hw::manifest::ArgDirection;
use codesign_models::Values;
use comfy_table::{presets, Table};
use serde::Serialize;

use super::{classify, exit_codes, load_config, CliError};
use crate::workload::{compare, compare_stream, standard_cases};
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

/// How one case ended.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
enum Status {
    /// Outputs equal the golden model (or the `--expect` files).
    Verified,
    /// Neither a golden model nor `--expect` files: not checked (and not a failure).
    Unverified,
    /// Outputs differ.
    Mismatch,
    /// The backend failed (hung kernel, protocol error, budget) or the case could not be set up.
    Failed,
    /// The backend cannot run this kernel.
    Skipped,
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
    /// What the outputs were compared against: `golden`, `csim`, `--expect` files, or `-`.
    reference: String,
    status: Status,
    /// Bare block control: latency and interval over the call's transactions.
    #[serde(skip)]
    transactions: Option<crate::TransactionReport>,
    /// The exit code this row asks for (0 when it passed or was skipped).
    #[serde(skip)]
    exit_code: u8,
    detail: String,
}

impl Row {
    /// A row for `case` of `kernel` on `backend` before anything ran.
    fn new(kernel: &Kernel, backend: &dyn Backend, case: &str, elements: usize) -> Row {
        Row {
            kernel: kernel.name().to_owned(),
            backend: backend.name().to_owned(),
            case: case.to_owned(),
            elements,
            cycles: None,
            interface_bound_cycles: kernel.manifest.interface_bound(elements),
            efficiency: None,
            simulated_cycles_per_s: None,
            verified: false,
            reference: "-".to_owned(),
            status: Status::Failed,
            transactions: None,
            exit_code: exit_codes::SUCCESS,
            detail: String::new(),
        }
    }

    /// Fills in what the backend reported.
    fn measured(&mut self, backend: &dyn Backend, report: &crate::Report) {
        if let Some(side) = &report.executed_by {
            self.backend = format!("{} -> {side}", backend.name());
        }
        self.cycles = report.cycles;
        self.transactions = report.transactions.clone();
        self.efficiency = report.cycles.map(|c| self.interface_bound_cycles as f64 / c as f64);
        self.simulated_cycles_per_s = report.simulated_cycles.map(|c| c as f64 / report.wall.as_secs_f64());
    }

    /// The row of a call that returned an error: skipped when the backend lacks the ability,
    /// else failed with the error's exit code and its first line.
    fn errored(mut self, error: Error) -> Row {
        if let Error::Unsupported { .. } = error {
            self.status = Status::Skipped;
            self.detail = error.to_string();
            return self;
        }
        let error = classify(error);
        self.exit_code = error.exit_code();
        self.status = Status::Failed;
        self.detail = error.to_string();
        self
    }

    /// The row after comparing outputs: verified, or a mismatch (exit 1).
    fn compared(mut self, verdict: Result<(), String>) -> Row {
        match verdict {
            Ok(()) => {
                self.verified = true;
                self.status = Status::Verified;
            }
            Err(message) => {
                self.status = Status::Mismatch;
                self.exit_code = exit_codes::VERIFICATION_FAILED;
                self.detail = message;
            }
        }
        self
    }
}

pub(super) fn run(args: &RunArgs) -> Result<(), CliError> {
    for (_, path) in &args.output {
        crate::output::check_output_file(path).map_err(classify)?;
    }
    let config = load_config(args.config.as_deref())?;
    let kernels = match (&args.kernel, &args.kernel_dir, &args.graph) {
        (Some(name), _, _) => vec![Kernel::named(name).or_else(|e| Kernel::fixture(name).map_err(|_| e)).map_err(classify)?],
        // C simulation reads the C++ only: the RTL is not verilated.
        (None, Some(dir), _) if config.backend == "csim" => Kernel::all_from_cxx_dir(dir).map_err(classify)?,
        (None, Some(dir), _) => Kernel::all_from_dir_for(dir, &config).map_err(classify)?,
        (None, None, Some(file)) => vec![crate::graph::Graph::load(file).map_err(classify)?],
        (None, None, None) => Kernel::all().map_err(classify)?,
    };
    let mut backend = backends::open(&config).map_err(classify)?;
    // The stress run: every workload again under seeded random back-pressure (cycle-accurate
    // backends only), so RTL that breaks the protocol only while stalled is caught by default.
    let mut stress = match config.stressed() {
        Some(stressed) => Some((backends::open(&stressed).map_err(classify)?, stressed.cosim.stress.describe())),
        None => None,
    };
    let emit = |row: Row, rows: &mut Vec<Row>| {
        if args.json {
            println!("{}", serde_json::to_string(&row).unwrap_or_default());
        }
        rows.push(row);
    };
    let mut rows = Vec::new();
    if !args.input.is_empty() {
        for kernel in &kernels {
            let row = run_files(args, kernel, backend.as_mut())?;
            emit(row, &mut rows);
        }
    }
    for kernel in kernels.iter().filter(|_| args.input.is_empty()) {
        let cases = match standard_cases(kernel) {
            Ok(cases) => cases,
            Err(error) => {
                emit(Row::new(kernel, backend.as_ref(), "workloads", 0).errored(error), &mut rows);
                continue;
            }
        };
        if cases.is_empty() {
            let mut row = Row::new(kernel, backend.as_ref(), "-", 0);
            row.status = Status::Skipped;
            row.detail = "no standard workloads in its manifest".to_owned();
            emit(row, &mut rows);
        }
        for case in &cases {
            emit(run_case(kernel, backend.as_mut(), case, &case.name), &mut rows);
            if let Some((stressed, described)) = &mut stress {
                let mut row = run_case(kernel, stressed.as_mut(), case, &format!("{} +bp", case.name));
                if !matches!(row.status, Status::Verified | Status::Skipped) {
                    row.detail = format!("under {described}: {}", row.detail);
                }
                emit(row, &mut rows);
            }
        }
    }
    let table = render(&rows);
    if !args.json {
        println!("config: {}", config.source_name);
        if let (Some((_, described)), true) = (&stress, args.input.is_empty()) {
            println!("rows `+bp`: the same workload again under {described} (cosim.stress)");
        }
        println!("{table}");
    }
    let transactions = super::transactions::render(rows.iter().filter_map(|r| {
        r.transactions.as_ref().map(|t| (format!("{} `{}` on {}", r.kernel, r.case, r.backend), t, r.cycles))
    }));
    if !args.json {
        print!("{transactions}");
    }
    let markdown = format!("Config `{}`.\n\n{table}\n{transactions}", config.source_name);
    if let Ok(report) = crate::report::write_section("run", &markdown) {
        if !args.json {
            println!("report: {}", crate::output::shown(&report).display());
        }
    }
    // The table shows each failure's first line; the whole message (port states, waveform)
    // once here.
    for row in rows.iter().filter(|r| r.exit_code != exit_codes::SUCCESS && r.detail.contains('\n')) {
        eprintln!("{} `{}` on {}: {}", row.kernel, row.case, row.backend, row.detail);
    }
    let failed = rows.iter().filter(|r| r.exit_code != exit_codes::SUCCESS).count();
    match rows.iter().map(|r| r.exit_code).max() {
        Some(code) if code != exit_codes::SUCCESS => Err(CliError::Cases { failed, total: rows.len(), code }),
        _ => Ok(()),
    }
}

/// One standard case on one backend, never an early return: its row says what happened.
fn run_case(kernel: &Kernel, backend: &mut dyn Backend, case: &crate::workload::Case, name: &str) -> Row {
    let row = Row::new(kernel, backend, name, case.elements);
    let expected = match crate::reference::expected(kernel, backend.name(), &case.inputs) {
        Ok(expected) => expected,
        Err(error) => {
            let mut row = row.errored(error);
            row.detail = format!("reference: {}", row.detail);
            return row;
        }
    };
    match backend.call(kernel, &case.inputs) {
        Ok(outcome) => {
            let mut row = row;
            row.measured(backend, &outcome.report);
            match expected {
                Ok(expected) => {
                    row.reference = expected.source.to_owned();
                    row.compared(compare(kernel, &expected.values, &outcome.outputs))
                }
                Err(why) => {
                    row.status = Status::Unverified;
                    row.detail = why;
                    row
                }
            }
        }
        Err(error) => row.errored(error),
    }
}

fn render(rows: &[Row]) -> Table {
    let mut table = Table::new();
    table.load_preset(presets::ASCII_MARKDOWN).set_header([
        "kernel", "backend", "case", "elements", "cycles", "bound", "efficiency", "sim cycles/s", "verified", "reference",
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
            match r.status {
                Status::Verified => "yes".to_owned(),
                Status::Unverified => format!("unverified ({})", r.detail),
                Status::Mismatch => format!("NO: {}", first_line(&r.detail)),
                Status::Failed => format!("failed: {}", first_line(&r.detail)),
                Status::Skipped => format!("skipped: {}", first_line(&r.detail)),
            },
            r.reference.clone(),
        ]);
    }
    table
}

/// The first line of a message (errors carry port states on later lines), for a table cell.
fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or("")
}

/// A setup error about `kernel` (exit code 2).
fn setup(kernel: &Kernel, message: String) -> CliError {
    CliError::Setup(Error::Input { kernel: kernel.name().to_owned(), message })
}

/// `--input`/`--output`/`--expect` names must be streams or arrays (ap_memory) of `kernel`
/// in that direction, or bare scalar arguments (one value per transaction, one per line).
fn stream_element(
    kernel: &Kernel,
    flag: &str,
    name: &str,
    input: bool,
) -> Result<codesign_hw::manifest::ElementType, CliError> {
    let m = &kernel.manifest;
    let streams = if input { m.inputs().collect::<Vec<_>>() } else { m.outputs().collect() };
    let arrays = m.arrays.iter().filter(|a| if input { a.direction.is_input() } else { a.direction.is_output() });
    let scalars: Vec<_> = if input { kernel.bare_inputs().collect() } else { kernel.bare_outputs().collect() };
    let mut ports: Vec<_> = streams
        .iter()
        .map(|s| (s.name.as_str(), s.element))
        .chain(arrays.map(|a| (a.name.as_str(), a.element)))
        .chain(scalars.iter().map(|a| (a.name.as_str(), a.element())))
        .collect();
    if let Some((_, element)) = ports.iter().find(|(n, _)| *n == name) {
        return Ok(*element);
    }
    ports.sort_by(|a, b| a.0.cmp(b.0));
    let known: Vec<_> = ports.iter().map(|(n, _)| *n).collect();
    let kind = if input { "input" } else { "output" };
    let what = match (m.arrays.is_empty(), scalars.is_empty()) {
        (true, true) => "stream",
        (false, true) => "stream or array",
        (true, false) => "stream or bare scalar",
        (false, false) => "stream, array or bare scalar",
    };
    Err(setup(kernel, format!("{flag} {name}: no {kind} {what} `{name}` ({kind}s: {})", known.join(", "))))
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
    let arrays = kernel.manifest.arrays.iter().filter(|a| a.direction.is_input());
    let missing: Vec<_> = arrays.filter(|a| !inputs.streams.contains_key(&a.name)).map(|a| format!("`{}`", a.name)).collect();
    if !missing.is_empty() {
        return Err(setup(kernel, format!("missing input array {}: give --input NAME=FILE for each", missing.join(", "))));
    }
    for (name, _) in &args.arg {
        if kernel.bare_inputs().any(|a| &a.name == name) {
            return Err(setup(
                kernel,
                format!("--arg {name}: `{name}` is on its own ports, one value per transaction: give --input {name}=FILE"),
            ));
        }
    }
    let missing: Vec<_> =
        kernel.bare_inputs().filter(|a| !inputs.streams.contains_key(&a.name)).map(|a| a.name.as_str()).collect();
    if !missing.is_empty() {
        let list = missing.iter().map(|m| format!("`{m}`")).collect::<Vec<_>>().join(", ");
        return Err(setup(
            kernel,
            format!("missing bare scalar {list}: give --input NAME=FILE for each (one value per transaction, one per line)"),
        ));
    }
    let input_args: Vec<_> =
        kernel.manifest.args.iter().filter(|a| a.direction == ArgDirection::In && a.register().is_some()).collect();
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
    let reference = crate::reference::expected(kernel, backend.name(), &inputs).map_err(classify)?;
    let outcome = backend.call(kernel, &inputs).map_err(classify)?;
    for (name, path) in &args.output {
        let element = stream_element(kernel, "--output", name, false)?;
        let elements = outcome.outputs.streams.get(name).map(Vec::as_slice).unwrap_or(&[]);
        io::write_stream(path, element, elements).map_err(|e| setup(kernel, e.to_string()))?;
    }
    let mut problems = Vec::new();
    let mut checked = Vec::new();
    if let Ok(expected) = &reference {
        checked.push(expected.source.to_owned());
        if let Err(message) = compare(kernel, &expected.values, &outcome.outputs) {
            problems.push(format!("{}: {message}", expected.source));
        }
    }
    for (name, (path, element, want)) in &expected {
        checked.push(format!("{}", path.display()));
        let have = outcome.outputs.streams.get(name).map(Vec::as_slice).unwrap_or(&[]);
        if let Err(message) = compare_stream(&format!("stream `{name}`"), *element, want, have) {
            problems.push(format!("{}: {message}", path.display()));
        }
    }
    let elements = inputs.streams.values().map(Vec::len).max().unwrap_or(0);
    let mut row = Row::new(kernel, backend, "files", elements);
    row.measured(backend, &outcome.report);
    if checked.is_empty() {
        row.status = Status::Unverified;
        row.detail = match reference {
            Err(why) => format!("{why}; no --expect"),
            Ok(_) => "no --expect".to_owned(),
        };
        return Ok(row);
    }
    row.reference = checked.join(" + ");
    Ok(row.compared(if problems.is_empty() { Ok(()) } else { Err(problems.join("; ")) }))
}
