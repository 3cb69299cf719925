//! `codesign bdt --model M.json --input X.csv [--config F] --output scores.csv`: conifer-style
//! BDT inference on the `bdt` kernel. The model is checked and packed into the kernel's tree
//! table (`codesign_models::bdt::table`), each CSV line of decimal features is quantized to
//! the model's input precision and becomes one feature row, and each score row comes back as
//! one CSV line of decimals (exact: the scores are fixed-point values).

use std::path::{Path, PathBuf};

use clap::Args;
use codesign_models::bdt::{pack, BdtModel, Limits};
use codesign_models::Values;

use super::{classify, load_config, CliError};
use crate::{backends, Backend, Error, Kernel};

/// The kernel's name.
const KERNEL: &str = "bdt";

/// Arguments of `codesign bdt`.
#[derive(Debug, Args)]
pub struct BdtArgs {
    /// The model as conifer writes it (JSON).
    #[arg(long, value_name = "M.json")]
    model: PathBuf,
    /// Features: one sample per line, comma-separated decimals.
    #[arg(long, value_name = "X.csv")]
    input: PathBuf,
    /// Config file (default: $CODESIGN_CONFIG, else the built-in configs/cosim.yaml).
    #[arg(long)]
    config: Option<PathBuf>,
    /// Scores: one sample per line, one column for binary models, else one per class.
    #[arg(long, value_name = "scores.csv")]
    output: PathBuf,
}

fn input_error(message: String) -> CliError {
    CliError::Setup(Error::Input { kernel: KERNEL.to_owned(), message })
}

fn read(path: &Path) -> Result<String, CliError> {
    std::fs::read_to_string(path).map_err(|e| input_error(format!("{}: cannot read: {e}", path.display())))
}

/// The samples of `text`, quantized: `line:column` names the first bad field.
fn quantized_rows(model: &BdtModel, path: &Path, text: &str, row_words: usize) -> Result<(Vec<u64>, usize), CliError> {
    let mut rows = Vec::new();
    let mut n = 0;
    for (index, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split(',').map(str::trim).collect();
        let at = |column: usize| format!("{}:{}:{column}", path.display(), index + 1);
        if fields.len() != model.n_features {
            return Err(input_error(format!(
                "{}: {} feature(s) on this line, the model takes {}",
                at(fields.len().min(model.n_features) + 1),
                fields.len(),
                model.n_features
            )));
        }
        let mut row = vec![0u64; row_words];
        for (column, (field, word)) in fields.iter().zip(row.iter_mut()).enumerate() {
            let value: f64 = field
                .parse()
                .map_err(|e| input_error(format!("{}: `{field}` is not a decimal number: {e}", at(column + 1))))?;
            let raw = model.precision.input.quantize(value).map_err(|e| input_error(format!("{}: {e}", at(column + 1))))?;
            *word = u64::from(raw as i32 as u32);
        }
        rows.extend(row);
        n += 1;
    }
    Ok((rows, n))
}

/// Runs `codesign bdt`.
pub fn run(args: &BdtArgs) -> Result<(), CliError> {
    crate::output::check_output_file(&args.output).map_err(classify)?;
    let config = load_config(args.config.as_deref())?;
    let model = BdtModel::from_json(&read(&args.model)?)
        .map_err(|e| input_error(format!("{}: {e}", args.model.display())))?;
    let limits = Limits::default();
    let table = pack(&model, &limits).map_err(|e| input_error(format!("{}: {e}", args.model.display())))?;
    let (rows, n) = quantized_rows(&model, &args.input, &read(&args.input)?, limits.max_features)?;
    let mut inputs = Values::new().with_scalar("n", n as u64);
    inputs.streams.insert("table".into(), table.iter().map(|&w| u64::from(w)).collect());
    inputs.streams.insert("features".into(), rows);
    let kernel = Kernel::named(KERNEL).map_err(classify)?;
    let mut backend = backends::open(&config).map_err(classify)?;
    let outputs = backend.call(&kernel, &inputs).map_err(classify)?.outputs;
    let scores = outputs
        .streams
        .get("scores")
        .ok_or_else(|| CliError::Run(Error::Input { kernel: KERNEL.to_owned(), message: "no `scores` output".into() }))?;
    let score = model.precision.score;
    let mut text = String::new();
    for row in scores.chunks(limits.max_features).take(n) {
        let line: Vec<String> = row[..model.columns].iter().map(|&w| score.to_f64(i64::from(w as u32 as i32)).to_string()).collect();
        text.push_str(&line.join(","));
        text.push('\n');
    }
    std::fs::write(&args.output, text)
        .map_err(|e| classify(Error::Output { path: args.output.clone(), message: e.to_string() }))?;
    eprintln!("{n} sample(s), {} score column(s) -> {}", model.columns, args.output.display());
    Ok(())
}
