//! Regression tests for the external audit's findings (issue 14): bounded calls, complete run
//! tables, honest comparisons, back-pressure by default, edge values and diagnoses. Each test
//! failed on the tool as it was before.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::{Command, Output};

use codesign::cli::exit_codes;
use codesign::workload::{compare, compare_stream, standard_cases};
use codesign::{backends, Config, Error, Kernel};
use codesign_hw::manifest::ElementType;
use codesign_models::Values;

fn codesign(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_codesign"))
        .args(args)
        .env_remove("CODESIGN_CONFIG")
        .env_remove("CODESIGN_TRACE")
        .output()
        .expect("the codesign binary runs")
}

fn text(output: &Output) -> (String, String) {
    (String::from_utf8_lossy(&output.stdout).into_owned(), String::from_utf8_lossy(&output.stderr).into_owned())
}

fn cosim() -> Config {
    Config::builtin("cosim").unwrap()
}

fn ufunc_inputs(n: i32, op: u64) -> Values {
    let a: Vec<i32> = (0..n).collect();
    Values::new().with_i32s("a", &a).with_i32s("b", &a).with_scalar("op", op)
}

/// Peak resident memory of this process (nextest runs each test in its own process).
fn peak_rss_bytes() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|l| l.starts_with("VmHWM:")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse::<u64>().unwrap() * 1024
}

// Finding 1: a kernel that streams output forever is stopped by a budget, in flat memory.

#[test]
fn endless_output_is_stopped_by_the_output_budget_in_flat_memory() {
    let mut config = cosim();
    // A cycle budget far away, so the output budget is what stops it.
    config.cosim.budget.cycles = 1_000_000;
    let kernel = Kernel::fixture("ufunc_i32_endless").unwrap();
    let mut backend = backends::open(&config).unwrap();
    let error = backend.call(&kernel, &ufunc_inputs(4096, 0)).unwrap_err();
    let text = error.to_string();
    assert!(matches!(error, Error::OverBudget { .. }), "{text}");
    assert!(text.contains("output budget: output `out` produced") && text.contains("does it stream forever?"), "{text}");
    assert!(text.contains("waveform: ") && !text.contains("waveform: none"), "the failed call is re-run traced: {text}");
    let peak = peak_rss_bytes();
    assert!(peak < 200 << 20, "peak memory {} MB", peak >> 20);
}

#[test]
fn endless_output_is_stopped_by_the_cycle_budget() {
    let mut config = cosim();
    config.cosim.budget.cycles = 4;
    let kernel = Kernel::fixture("ufunc_i32_endless").unwrap();
    let mut backend = backends::open(&config).unwrap();
    let error = backend.call(&kernel, &ufunc_inputs(4096, 0)).unwrap_err();
    let text = error.to_string();
    assert!(text.contains("cycle budget of") && text.contains("4 x interface bound 4102"), "{text}");
    // Stopped at the first check past 4 x 4102 + watchdog, not millions of cycles later.
    let Error::OverBudget { cycle, .. } = error else { panic!("{text}") };
    assert!(cycle < 4 * 4102 + 10_000 + 2 * 1024 + 100, "stopped at cycle {cycle}");
}

#[test]
fn endless_output_exits_3_from_the_cli() {
    let output = codesign(&["run", "--kernel", "ufunc_i32_endless"]);
    let (stdout, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(i32::from(exit_codes::RUN_FAILED)), "{stdout}{stderr}");
    assert!(stdout.contains("failed: kernel `ufunc_i32_endless` ran past its"), "{stdout}");
}

// Finding 3: one failing kernel no longer aborts the table; the exit code is the worst row's.

#[test]
fn run_completes_every_row_and_exits_with_the_worst() {
    let output = codesign(&["run", "--kernel", "ufunc_i32_tdata_unstable", "--json"]);
    let (stdout, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(i32::from(exit_codes::RUN_FAILED)), "{stdout}{stderr}");
    let rows: Vec<serde_json::Value> = stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    // Three workloads at full rate (the fault needs a stall: they pass) and three under
    // back-pressure (each caught): every row is there.
    assert_eq!(rows.len(), 6, "{stdout}");
    assert_eq!(rows.iter().filter(|r| r["status"] == "verified").count(), 3, "{stdout}");
    let failed: Vec<_> = rows.iter().filter(|r| r["status"] == "failed").collect();
    assert_eq!(failed.len(), 3, "{stdout}");
    for row in failed {
        let detail = row["detail"].as_str().unwrap();
        assert!(row["case"].as_str().unwrap().ends_with(" +bp"), "{row}");
        assert!(detail.contains("TDATA changed while TVALID && !TREADY"), "{detail}");
        assert!(detail.contains("seed 1"), "the seed, to reproduce: {detail}");
    }
}

#[test]
fn a_backend_that_cannot_run_a_kernel_skips_its_row() {
    // csim of a graph composes its kernels; a kernel with no csim section is skipped, not an
    // abort: the fixtures below have none.
    let output = codesign(&["run", "--kernel", "ufunc_i32_endless", "--config", "../configs/csim.yaml"]);
    let (stdout, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(0), "skipped rows do not fail: {stdout}{stderr}");
    assert!(stdout.contains("skipped: "), "{stdout}");
}

// Finding 5: every comparison checks length; no golden-vs-golden.

#[test]
fn a_short_output_is_a_mismatch_even_when_every_element_given_matches() {
    let kernel = Kernel::named("ufunc_i32").unwrap();
    let case = &standard_cases(&kernel).unwrap()[0];
    let golden = kernel.golden(&case.inputs).unwrap();
    let mut short = golden.clone();
    short.streams.get_mut("out").unwrap().pop();
    let error = compare(&kernel, &golden, &short).unwrap_err();
    assert!(error.contains("expected 4096 elements, got 4095"), "{error}");
}

#[test]
fn bdt_has_standard_workloads_run_shows() {
    let kernel = Kernel::named("bdt").unwrap();
    let cases = standard_cases(&kernel).unwrap();
    assert!(!cases.is_empty());
    for case in &cases {
        let golden = kernel.golden(&case.inputs).unwrap();
        let scores = golden.stream("scores").unwrap();
        assert_eq!(scores.len(), case.elements);
        // A real model scores differently per sample: not all zeros, not all equal.
        assert!(scores.chunks(16).map(|row| row[0]).collect::<std::collections::BTreeSet<_>>().len() > 10);
    }
    let output = codesign(&["run", "--kernel", "bdt", "--config", "../configs/golden.yaml"]);
    let (stdout, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(0), "{stdout}{stderr}");
    assert!(stdout.contains("| bdt ") && stdout.contains("conifer_20x3_n10000"), "{stdout}");
}

// Finding 6: back-pressure on every stream and m_axi bundle by default, for data.

#[test]
fn m_axi_kernels_see_back_pressure_in_the_stress_run() {
    let config = cosim();
    let stressed = config.stressed().expect("stress is on by default");
    let kernel = Kernel::named("vadd_wide").unwrap();
    let case = standard_cases(&kernel).unwrap().into_iter().next().unwrap();
    let golden = kernel.golden(&case.inputs).unwrap();
    let fast = backends::open(&config).unwrap().call(&kernel, &case.inputs).unwrap();
    let slow = backends::open(&stressed).unwrap().call(&kernel, &case.inputs).unwrap();
    compare(&kernel, &golden, &slow.outputs).unwrap();
    let (fast, slow) = (fast.report.cycles.unwrap(), slow.report.cycles.unwrap());
    assert!(slow > fast + fast / 10, "m_axi back-pressure and latency must cost cycles: {fast} -> {slow}");
}

// Finding 7: edge values in the standard workloads of integer kernels.

#[test]
fn an_add_wrong_only_at_int_min_plus_int_min_fails_a_standard_workload() {
    let kernel = Kernel::named("ufunc_i32").unwrap();
    let mut caught = false;
    for case in standard_cases(&kernel).unwrap().iter().filter(|c| c.inputs.scalars["op"] == 0) {
        let golden = kernel.golden(&case.inputs).unwrap();
        // The faulty adder: right everywhere except INT_MIN + INT_MIN.
        let (a, b) = (&case.inputs.streams["a"], &case.inputs.streams["b"]);
        let mut faulty = golden.clone();
        for (i, out) in faulty.streams.get_mut("out").unwrap().iter_mut().enumerate() {
            if a[i] == 0x8000_0000 && b[i] == 0x8000_0000 {
                *out = 1;
            }
        }
        caught |= compare(&kernel, &golden, &faulty).is_err();
    }
    assert!(caught, "no standard ufunc_i32 add workload has INT_MIN + INT_MIN");
}

#[test]
fn every_integer_kernel_has_an_edge_value_workload() {
    use codesign_hw::manifest::WorkloadValues;
    for kernel in Kernel::all().unwrap() {
        let m = &kernel.manifest;
        let inputs: Vec<ElementType> = m.inputs().map(|s| s.element).chain(m.buffers.iter().map(|b| b.element)).collect();
        let integer = !inputs.is_empty() && !inputs.contains(&ElementType::F32);
        // bdt's inputs are a packed model; graphs' kernels have their own.
        if !integer || kernel.graph().is_some() || kernel.name() == "bdt" {
            continue;
        }
        assert!(m.workloads.iter().any(|w| w.values == WorkloadValues::Edges), "{} has no edge-value workload", kernel.name());
    }
}

// Finding 8: diagnoses.

#[test]
fn mismatches_are_counted_and_the_first_few_named() {
    let want: Vec<u64> = (0..100).collect();
    let mut have = want.clone();
    for i in [3, 10, 11, 50, 99] {
        have[i] += 1;
    }
    let error = compare_stream("stream `out`", ElementType::I32, &want, &have).unwrap_err();
    assert!(error.starts_with("stream `out`: 5 of 100 elements differ: [3] expected 3 (0x3), got 4 (0x4), [10]"), "{error}");
    assert!(error.ends_with(", ..."), "{error}");
}

#[test]
fn an_output_stuck_after_16_beats_is_named_as_such() {
    let mut config = cosim();
    config.cosim.watchdog_cycles = 300;
    let kernel = Kernel::fixture("ufunc_i32_stuck_output").unwrap();
    let error = backends::open(&config).unwrap().call(&kernel, &ufunc_inputs(200, 0)).unwrap_err();
    let text = error.to_string();
    assert!(text.contains("output `out` after 16 beats stopped"), "{text}");
    assert!(!text.contains("the kernel stopped accepting input"), "{text}");
}

#[test]
fn output_side_stalls_are_not_counted_on_the_inputs() {
    let mut config = cosim();
    config.cosim.backpressure.outputs = 50.into();
    let kernel = Kernel::named("ufunc_i32").unwrap();
    let outcome = backends::open(&config).unwrap().call(&kernel, &ufunc_inputs(4096, 0)).unwrap();
    let port = |name: &str| outcome.report.ports.iter().find(|p| p.name == name).unwrap().clone();
    let (a, out) = (port("a"), port("out"));
    assert!(out.stalled > 1000, "the sink held the output back: {out:?}");
    assert!(a.blocked_by_output > 1000, "{a:?}");
    assert!(a.stalled < 50, "the kernel's own input stalls only: {a:?}");
}

#[test]
fn a_perf_regression_names_each_kernel_once() {
    let baselines = std::env::temp_dir().join(format!("codesign-empty-baselines-{}.yaml", std::process::id()));
    std::fs::write(&baselines, "# no baselines\n").unwrap();
    let output = codesign(&["perf", "--kernel", "ufunc_i32", "--config", "../configs/cosim.yaml", "--baselines", baselines.to_str().unwrap()]);
    let (stdout, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(i32::from(exit_codes::PERF_REGRESSION)), "{stdout}{stderr}");
    assert!(stderr.contains("kernel `ufunc_i32` on `cosim`"), "{stderr}");
    assert!(!stderr.contains("ufunc_i32, ufunc_i32"), "{stderr}");
}

#[test]
fn an_error_chain_prints_each_text_once() {
    let output = codesign(&["run", "--config", "/nonexistent/codesign.yaml"]);
    let (_, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(i32::from(exit_codes::SETUP)));
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "one line: {stderr}");
    assert_eq!(stderr.matches("No such file or directory").count(), 1, "{stderr}");
}

#[test]
fn a_graph_call_has_a_cycle_budget_too() {
    let mut config = cosim();
    // A budget of the watchdog alone: jacobi on 64x48 needs ~3,100 cycles.
    config.cosim.budget.cycles = 0;
    config.cosim.watchdog_cycles = 500;
    let kernel = Kernel::named("jacobi").unwrap();
    let case = standard_cases(&kernel).unwrap().into_iter().find(|c| c.name == "grid_64x48").unwrap();
    let error = backends::open(&config).unwrap().call(&kernel, &case.inputs).unwrap_err();
    let text = error.to_string();
    assert!(matches!(error, Error::OverBudget { .. }), "{text}");
    assert!(text.contains("kernel `jacobi` ran past its cycle budget of 500 cycles"), "{text}");
    assert!(text.contains("waveforms: ") && text.contains(".fst"), "re-run traced: {text}");
}
