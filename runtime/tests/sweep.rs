//! `codesign sweep` as a user runs it: CSV, SVG and crossover table under target/codesign, the
//! stdout table agreeing with the CSV, and clear errors for bad input.
//!
//! Only one test here sweeps (and so writes `sweep-ufunc_i32.*` and `crossover.yaml`): nextest
//! runs tests in parallel processes.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::{Command, Output};

use codesign::cli::exit_codes;
use codesign::perf::crossover::CrossoverTable;

fn codesign(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_codesign"))
        .args(args)
        .env_remove("CODESIGN_CONFIG")
        .output()
        .expect("the codesign binary runs")
}

fn text(output: &Output) -> (String, String) {
    (String::from_utf8_lossy(&output.stdout).into_owned(), String::from_utf8_lossy(&output.stderr).into_owned())
}

#[test]
fn sweep_writes_csv_svg_and_crossover_consistent_with_its_table() {
    let output =
        codesign(&["sweep", "--kernel", "ufunc_i32", "--sizes", "1,16,256", "--overhead-us", "0", "--repeat", "1"]);
    let (stdout, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(0), "{stdout}{stderr}");
    assert!(stdout.contains("crossover: "), "{stdout}");

    let dir = codesign::report::output_dir();
    let csv = std::fs::read_to_string(dir.join("sweep-ufunc_i32.csv")).unwrap();
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some("n,cycles,accelerator_s,cpu_s,numpy_s"));
    let rows: Vec<(u64, u64, f64, f64)> = lines
        .map(|line| {
            let c: Vec<&str> = line.split(',').collect();
            assert_eq!(c.len(), 5, "{line}");
            // NumPy's column: the venv ci/setup makes has the Python package (run ci/setup).
            let numpy_s: f64 = c[4].parse().unwrap_or_else(|_| panic!("no NumPy time (run ci/setup): {line}\n{stderr}"));
            assert!(numpy_s > 0.0 && numpy_s < 1.0, "{line}");
            (c[0].parse().unwrap(), c[1].parse().unwrap(), c[2].parse().unwrap(), c[3].parse().unwrap())
        })
        .collect();
    assert_eq!(rows.iter().map(|r| r.0).collect::<Vec<_>>(), [1, 16, 256], "{csv}");
    assert!(rows.windows(2).all(|w| w[0].1 < w[1].1), "cycles increase with N: {csv}");
    for &(n, cycles, accelerator_s, cpu_s) in &rows {
        assert!(cycles >= n, "at least one cycle per element: {csv}");
        // --overhead-us 0 at the manifest's 300 MHz: time is cycles alone.
        assert!((accelerator_s - cycles as f64 / 300e6).abs() < 1e-15, "{csv}");
        assert!(cpu_s > 0.0 && cpu_s < 1.0, "{csv}");
    }

    // The stdout table shows the same numbers, in µs to 3 decimals.
    let table: Vec<Vec<String>> = stdout
        .lines()
        .filter(|l| l.starts_with('|'))
        .map(|l| l.split('|').map(|c| c.trim().to_owned()).filter(|c| !c.is_empty()).collect::<Vec<_>>())
        .filter(|cells| cells.first().is_some_and(|c| c.parse::<u64>().is_ok()))
        .collect();
    assert_eq!(table.len(), rows.len(), "{stdout}");
    for (cells, &(n, cycles, accelerator_s, cpu_s)) in table.iter().zip(&rows) {
        assert_eq!(cells[0], n.to_string());
        assert_eq!(cells[1], cycles.to_string());
        assert_eq!(cells[2], format!("{:.3}", accelerator_s * 1e6), "{stdout}");
        assert_eq!(cells[3], format!("{:.3}", cpu_s * 1e6), "{stdout}");
        assert_eq!(cells[4], if accelerator_s < cpu_s { "accelerator" } else { "CPU" }, "{stdout}");
    }

    let svg = std::fs::read_to_string(dir.join("sweep-ufunc_i32.svg")).unwrap();
    assert!(svg.starts_with("<svg"), "{svg}");
    assert!(svg.contains("accelerator: cosim cycles at 300 MHz + 0 µs per call"), "{svg}");
    assert!(svg.contains("CPU: golden model, median wall time"), "{svg}");
    assert!(svg.matches("<polyline").count() >= 2, "both curves are drawn");

    let table = CrossoverTable::load(&dir.join("crossover.yaml")).unwrap();
    let entry = table.get("ufunc_i32").expect("ufunc_i32 is in crossover.yaml");
    assert_eq!((entry.clock_mhz, entry.overhead_us), (300.0, 0.0));
    // A crossover is where the accelerator wins from on: there is one iff it wins at the largest
    // size (wall-clock CPU times under load can make it win at a small size and lose later).
    assert_eq!(entry.crossover_elements.is_some(), rows.last().is_some_and(|r| r.2 < r.3), "{csv}");
    assert!(entry.numpy.is_some(), "the crossover against NumPy is recorded too");
    assert!(stdout.contains("against NumPy ("), "{stdout}");

    let report = std::fs::read_to_string(dir.join("report.md")).unwrap();
    assert!(report.contains("## Sweeps") && report.contains("](sweep-ufunc_i32.svg)"), "{report}");
}

#[test]
fn sweep_unknown_kernel_is_a_setup_error() {
    let output = codesign(&["sweep", "--kernel", "fft", "--sizes", "1"]);
    let (_, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(i32::from(exit_codes::SETUP)), "{stderr}");
    assert!(stderr.contains("unknown kernel `fft`") && stderr.contains("ufunc_i32"), "{stderr}");
}

#[test]
fn sweep_needs_a_backend_that_counts_cycles() {
    let golden = "../configs/golden.yaml";
    let output = codesign(&["sweep", "--kernel", "ufunc_i32", "--sizes", "1", "--config", golden]);
    let (_, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(i32::from(exit_codes::SETUP)), "{stderr}");
    assert!(stderr.contains("backend `golden` does not support cycle counts"), "{stderr}");
}

#[test]
fn sweep_rejects_bad_numbers_on_the_command_line() {
    for args in [
        &["--sizes", "0,10"][..],
        &["--sizes", "ten"],
        &["--overhead-us", "-1"],
        &["--clock-mhz", "0"],
        &["--repeat", "0"],
    ] {
        let output = codesign(&[&["sweep", "--kernel", "ufunc_i32"][..], args].concat());
        let (_, stderr) = text(&output);
        assert_eq!(output.status.code(), Some(i32::from(exit_codes::SETUP)), "{args:?}: {stderr}");
    }
}
