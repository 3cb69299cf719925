//! `codesign sweep`: cycles on a cycle-counting backend (cosim) and golden CPU wall time
//! against N, and the crossover N above which the accelerator (at the manifest's clock plus a
//! per-call overhead) beats the CPU. Writes CSV, an SVG plot, `crossover.yaml` and the report's
//! sweep section in the output folder (`target/codesign` by default). When the Python package
//! is installed, NumPy's time for the same call is a column too, with its own crossover
//! (`crate::perf::numpy`).

use std::fmt::Write as _;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use clap::Args;
use codesign_models::Values;
use comfy_table::{presets, Table};
use indicatif::{ProgressBar, ProgressStyle};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use super::{classify, load_config, CliError};
use crate::perf::crossover::{self, CrossoverEntry, CrossoverTable, NumpyCrossover, Point};
use crate::perf::plot::{self, SweepPlot};
use crate::workload::{compare, random_elements};
use crate::output::write_atomic;
use crate::{backends, report, Error, Kernel};

/// Arguments of `codesign sweep`.
#[derive(Debug, Args)]
pub struct SweepArgs {
    /// Kernel to sweep.
    #[arg(long)]
    kernel: String,
    /// Elements per input stream, comma-separated.
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "1,10,100,1000,10000,100000",
        value_parser = clap::value_parser!(u64).range(1..)
    )]
    sizes: Vec<u64>,
    /// Fixed cost of one accelerator call in microseconds (driver, PCIe, DMA setup), added to
    /// the cycles' time.
    #[arg(long, default_value_t = 80.0, value_parser = non_negative)]
    overhead_us: f64,
    /// Accelerator clock in MHz (default: the manifest's perf.clock-mhz).
    #[arg(long, value_parser = positive)]
    clock_mhz: Option<f64>,
    /// Config file (default: $CODESIGN_CONFIG, else the built-in configs/cosim.yaml); its
    /// backend must count cycles.
    #[arg(long)]
    config: Option<PathBuf>,
    /// Golden timing samples per size; the median is taken. Each sample repeats the call
    /// until at least 2 ms have passed and divides, so the timer's resolution does not count.
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..))]
    repeat: u32,
}

fn parse_float(text: &str) -> Result<f64, String> {
    let value: f64 = text.trim().parse().map_err(|e| format!("`{text}`: {e}"))?;
    if value.is_finite() {
        Ok(value)
    } else {
        Err(format!("`{text}` is not a finite number"))
    }
}

fn non_negative(text: &str) -> Result<f64, String> {
    parse_float(text).and_then(|v| if v >= 0.0 { Ok(v) } else { Err(format!("{v} is negative")) })
}

fn positive(text: &str) -> Result<f64, String> {
    parse_float(text).and_then(|v| if v > 0.0 { Ok(v) } else { Err(format!("{v} is not positive")) })
}

/// Minimum wall time of one golden timing sample.
const MIN_SAMPLE: Duration = Duration::from_millis(2);

/// One measured size.
#[derive(Debug, Clone, Copy)]
struct Row {
    n: u64,
    cycles: u64,
    point: Point,
    /// NumPy's time per call, when measured.
    numpy_s: Option<f64>,
}

pub(super) fn run(args: &SweepArgs) -> Result<(), CliError> {
    let config = load_config(args.config.as_deref())?;
    let kernel = Kernel::named(&args.kernel).map_err(classify)?;
    let mut backend = backends::open(&config).map_err(classify)?;
    if !backend.counts_cycles() {
        // The user picked a config that cannot do this: a setup error, like a bad config.
        return Err(CliError::Setup(Error::Unsupported {
            backend: backend.name().to_owned(),
            ability: format!(
                "cycle counts, which `codesign sweep` needs (config {}; use a cosim config such as configs/cosim.yaml)",
                config.source_name
            ),
        }));
    }
    let clock_mhz = args.clock_mhz.unwrap_or(kernel.manifest.perf.clock_mhz);
    if !(clock_mhz.is_finite() && clock_mhz > 0.0) {
        return Err(classify(Error::Input {
            kernel: kernel.name().to_owned(),
            message: format!("perf.clock-mhz is {clock_mhz}: give a positive --clock-mhz"),
        }));
    }
    // The crossover table is read before any work, so a broken one fails fast.
    let dir = report::output_dir();
    let table_path = dir.join(crossover::FILE_NAME);
    let mut crossovers = CrossoverTable::load(&table_path).map_err(|e| output_error(&table_path, e))?;
    let mut sizes = args.sizes.clone();
    sizes.sort_unstable();
    sizes.dedup();
    let workload = kernel.manifest.workloads.first();
    let scalars = workload.map(|w| w.args.clone()).unwrap_or_default();

    let progress = ProgressBar::new(sizes.len() as u64);
    if let Ok(style) = ProgressStyle::with_template("{msg:>24} [{bar:30}] {pos}/{len} sizes, {elapsed}") {
        progress.set_style(style.progress_chars("=> "));
    }
    let mut rows = Vec::with_capacity(sizes.len());
    let mut mismatches = Vec::new();
    for &n in &sizes {
        progress.set_message(format!("{} N={n}", kernel.name()));
        let inputs = sweep_inputs(&kernel, n, &scalars);
        let expected = kernel.golden(&inputs).map_err(classify)?;
        let outcome = backend.call(&kernel, &inputs).map_err(classify)?;
        if let Err(message) = compare(&kernel, &expected, &outcome.outputs) {
            mismatches.push(format!("N = {n}: {message}"));
        }
        let cycles = outcome.report.cycles.ok_or_else(|| {
            classify(Error::Unsupported {
                backend: backend.name().to_owned(),
                ability: format!("cycle counts (the call on N = {n} reported none)"),
            })
        })?;
        let cpu_s = golden_seconds(&kernel, &inputs, args.repeat).map_err(classify)?;
        let accelerator_s = cycles as f64 / (clock_mhz * 1e6) + args.overhead_us * 1e-6;
        rows.push(Row { n, cycles, point: Point { n, accelerator_s, cpu_s }, numpy_s: None });
        progress.inc(1);
    }
    progress.finish_and_clear();
    if !mismatches.is_empty() {
        for m in &mismatches {
            eprintln!("sweep {} on {}: outputs differ from the golden model at {m}", kernel.name(), backend.name());
        }
        return Err(CliError::Verification { failed: mismatches.len(), total: sizes.len() });
    }

    let op = scalars.get("op").copied().unwrap_or(0);
    match crate::perf::numpy::seconds_per_call(kernel.name(), op, args.repeat, &sizes) {
        Ok(Some(times)) => {
            for (row, (_, seconds)) in rows.iter_mut().zip(times.into_iter().filter(|(n, _)| sizes.contains(n))) {
                row.numpy_s = Some(seconds);
            }
        }
        Ok(None) => {}
        Err(message) => eprintln!("sweep: no NumPy column: {message}"),
    }
    let points: Vec<Point> = rows.iter().map(|r| r.point).collect();
    let found = crossover::crossover(&points);
    let numpy_points: Option<Vec<Point>> =
        rows.iter().map(|r| r.numpy_s.map(|cpu_s| Point { cpu_s, ..r.point })).collect();
    let numpy_found = numpy_points.as_ref().map(|p| crossover::crossover(p));
    let table = table(&rows);
    let settings = format!(
        "{} on {} ({}), scalar args {} (workload `{}`): accelerator = cycles at {clock_mhz} MHz + {} µs per call; \
         CPU = golden model, median of {} samples",
        kernel.name(),
        backend.name(),
        config.source_name,
        show_args(&scalars),
        workload.map_or("-", |w| w.name.as_str()),
        args.overhead_us,
        args.repeat,
    );
    let mut verdict = verdict(&points, found, args.overhead_us);
    if let (Some(p), Some(n)) = (&numpy_points, numpy_found) {
        verdict.push_str(&format!("\nagainst NumPy ({}): {}", crate::perf::numpy::python().display(), self::verdict(p, n, args.overhead_us)));
    }
    println!("sweep {settings}");
    println!("{table}");
    println!("{verdict}");

    // Files (the folder was made before any work).
    let stem = format!("sweep-{}", kernel.name());
    let csv_path = dir.join(format!("{stem}.csv"));
    write_atomic(&csv_path, csv(&rows)).map_err(|e| output_error(&csv_path, e))?;
    let svg_path = dir.join(format!("{stem}.svg"));
    let sweep_plot = SweepPlot {
        kernel: kernel.name(),
        points: &points,
        crossover: found,
        clock_mhz,
        overhead_us: args.overhead_us,
    };
    plot::write_svg(&svg_path, &sweep_plot).map_err(|e| output_error(&svg_path, e))?;
    crossovers.insert(
        kernel.name(),
        CrossoverEntry {
            crossover_elements: found.map(|n| n.ceil() as u64),
            clock_mhz,
            overhead_us: args.overhead_us,
            numpy: numpy_found.map(|n| NumpyCrossover { crossover_elements: n.map(|n| n.ceil() as u64) }),
        },
    );
    crossovers.save(&table_path).map_err(|e| output_error(&table_path, e))?;
    let markdown = format!(
        "### {}\n\n{settings}.\n\n{table}\n\n{verdict}.\n\n![{} sweep]({stem}.svg)\n\nNumbers: [{stem}.csv]({stem}.csv).\n",
        kernel.name(),
        kernel.name()
    );
    let kernel_md = dir.join(format!("{stem}.md"));
    write_atomic(&kernel_md, markdown).map_err(|e| output_error(&kernel_md, e))?;
    let report_path = report::write_section("sweep", &sweep_section(&dir)).map_err(|e| output_error(&dir, e))?;
    for path in [&csv_path, &svg_path, &table_path, &report_path] {
        println!("wrote {}", crate::output::shown(path).display());
    }
    Ok(())
}

/// The crossover line: where the accelerator starts to win, or that it never does, and any
/// larger size where it loses again.
fn verdict(points: &[Point], found: Option<f64>, overhead_us: f64) -> String {
    let Some(n) = found else {
        let max_n = points.iter().map(|p| p.n).max().unwrap_or(0);
        return format!(
            "crossover: none up to N = {max_n}: the CPU is faster at every measured size \
             (with {overhead_us} µs per call the accelerator does not pay off in this range)"
        );
    };
    let smallest = points.iter().map(|p| p.n).min().unwrap_or(0);
    let mut text = if smallest as f64 == n {
        format!("crossover: at or below N = {smallest}: the accelerator is already faster at the smallest size")
    } else {
        let below = points.iter().filter(|p| (p.n as f64) < n).map(|p| p.n).max().unwrap_or(smallest);
        let above = points.iter().filter(|p| (p.n as f64) >= n).map(|p| p.n).min().unwrap_or(smallest);
        format!(
            "crossover: N ≈ {n:.1} elements (linear between N = {below} and N = {above}): \
             the accelerator is faster from N = {} on",
            n.ceil()
        )
    };
    let early = crossover::accelerator_wins_below(points, n);
    if !early.is_empty() {
        let sizes = early.iter().map(u64::to_string).collect::<Vec<_>>().join(", ");
        text.push_str(&format!("; not monotonic: the accelerator also wins at N = {sizes}, but the CPU wins again above"));
    }
    text
}

/// Seeded random elements (ChaCha8 seeded with N) for every input stream, and `scalars`.
fn sweep_inputs(kernel: &Kernel, n: u64, scalars: &std::collections::BTreeMap<String, u64>) -> Values {
    let mut rng = ChaCha8Rng::seed_from_u64(n);
    let mut inputs = Values::new();
    for stream in kernel.manifest.inputs() {
        inputs.streams.insert(stream.name.clone(), random_elements(stream.element, n as usize, &mut rng));
    }
    inputs.scalars = scalars.clone();
    inputs
}

/// Median over `repeat` samples of the golden model's time per call; each sample loops the
/// call for at least [`MIN_SAMPLE`].
fn golden_seconds(kernel: &Kernel, inputs: &Values, repeat: u32) -> Result<f64, Error> {
    black_box(kernel.golden(black_box(inputs))?); // warm caches and the allocator
    let mut samples = Vec::with_capacity(repeat as usize);
    for _ in 0..repeat.max(1) {
        let start = Instant::now();
        let mut calls = 0u32;
        let elapsed = loop {
            black_box(kernel.golden(black_box(inputs))?);
            calls += 1;
            let elapsed = start.elapsed();
            if elapsed >= MIN_SAMPLE {
                break elapsed;
            }
        };
        samples.push(elapsed.as_secs_f64() / f64::from(calls));
    }
    samples.sort_by(f64::total_cmp);
    let mid = samples.len() / 2;
    Ok(if samples.len() % 2 == 1 { samples[mid] } else { (samples[mid - 1] + samples[mid]) / 2.0 })
}

fn show_args(scalars: &std::collections::BTreeMap<String, u64>) -> String {
    if scalars.is_empty() {
        return "none".to_owned();
    }
    scalars.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(", ")
}

fn table(rows: &[Row]) -> Table {
    let mut table = Table::new();
    table.load_preset(presets::ASCII_MARKDOWN).set_header(["N", "cycles", "accelerator µs", "CPU µs", "faster", "NumPy µs"]);
    for r in rows {
        table.add_row([
            r.n.to_string(),
            r.cycles.to_string(),
            format!("{:.3}", r.point.accelerator_s * 1e6),
            format!("{:.3}", r.point.cpu_s * 1e6),
            if r.point.accelerator_wins() { "accelerator" } else { "CPU" }.to_owned(),
            r.numpy_s.map_or_else(|| "-".to_owned(), |s| format!("{:.3}", s * 1e6)),
        ]);
    }
    table
}

/// `n,cycles,accelerator_s,cpu_s,numpy_s`, one row per size, at full (round-trip) precision
/// (`numpy_s` empty when NumPy was not timed).
fn csv(rows: &[Row]) -> String {
    let mut text = String::from("n,cycles,accelerator_s,cpu_s,numpy_s\n");
    for r in rows {
        let numpy = r.numpy_s.map(|s| s.to_string()).unwrap_or_default();
        let _ = writeln!(text, "{},{},{},{},{numpy}", r.n, r.cycles, r.point.accelerator_s, r.point.cpu_s);
    }
    text
}

/// The report's sweep section: every kernel's last sweep (`sweep-<kernel>.md`), by name.
fn sweep_section(dir: &Path) -> String {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| {
                    p.extension().is_some_and(|e| e == "md")
                        && p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with("sweep-"))
                })
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files.iter().filter_map(|p| std::fs::read_to_string(p).ok()).collect::<Vec<_>>().join("\n")
}

/// A file in the output folder could not be read or written (exit code 2).
fn output_error(path: &Path, error: impl std::fmt::Display) -> CliError {
    let text = error.to_string();
    // The plot's and the crossover table's errors name the path themselves: once is enough.
    let message = text.strip_prefix(&format!("{}: ", path.display())).unwrap_or(&text).to_owned();
    classify(Error::Output { path: path.to_owned(), message })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_has_the_header_and_full_precision() {
        let rows =
            [Row { n: 16, cycles: 22, point: Point { n: 16, accelerator_s: 22.0 / 3e8, cpu_s: 1.234_567_89e-8 }, numpy_s: None }];
        let text = csv(&rows);
        let mut lines = text.lines();
        assert_eq!(lines.next(), Some("n,cycles,accelerator_s,cpu_s,numpy_s"));
        let cells: Vec<&str> = lines.next().unwrap().split(',').collect();
        assert_eq!(cells[..2], ["16", "22"]);
        assert_eq!(cells[2].parse::<f64>().unwrap(), 22.0 / 3e8, "round-trips exactly");
        assert_eq!(cells[3].parse::<f64>().unwrap(), 1.234_567_89e-8);
    }

    #[test]
    fn verdict_says_where_the_accelerator_wins() {
        let p = |n, accelerator_s, cpu_s| Point { n, accelerator_s, cpu_s };
        let none = [p(1, 80e-6, 1e-7), p(100, 80e-6, 1e-6)];
        assert!(verdict(&none, None, 80.0).starts_with("crossover: none up to N = 100"));
        let all = [p(1, 1e-8, 1e-7), p(100, 1e-7, 1e-6)];
        let text = verdict(&all, crossover::crossover(&all), 0.0);
        assert!(text.contains("at or below N = 1"), "{text}");
        let bumpy = [p(1, 1e-8, 1e-7), p(100, 3e-6, 1e-6), p(1000, 3e-6, 9e-6)];
        let text = verdict(&bumpy, crossover::crossover(&bumpy), 0.0);
        assert!(text.contains("between N = 100 and N = 1000") && text.contains("also wins at N = 1,"), "{text}");
        let text = verdict(&bumpy[1..], Some(550.0), 0.0);
        assert!(text.contains("N ≈ 550.0") && text.contains("between N = 100 and N = 1000"), "{text}");
    }

    #[test]
    fn float_arguments_are_checked() {
        assert_eq!(non_negative("0"), Ok(0.0));
        assert!(non_negative("-1").is_err());
        assert!(positive("0").is_err());
        assert!(positive("nan").is_err() && positive("inf").is_err());
        assert_eq!(positive(" 300 "), Ok(300.0));
    }
}
