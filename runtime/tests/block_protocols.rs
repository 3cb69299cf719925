//! Block-level protocols beyond s_axilite AP_CTRL (issue 13): free-running ap_ctrl_none
//! kernels ended by their outputs' `end:` rules, bare ap_ctrl_hs with scalars on their own
//! ports, run as N transactions with latency and interval reported as Vitis cosim does.
//!
//! The fixtures have no golden model: the expected values are the HLS C++'s arithmetic
//! (hw/fixtures/vitis_*/hls), written out plainly here as the specification.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use codesign::workload::workload_case;
use codesign::{backends, Backend, Config, Error, Kernel};
use codesign_hw::manifest::{EndRule, Level};
use codesign_models::Values;

fn cosim() -> Box<dyn Backend> {
    backends::open(&Config::builtin("cosim").unwrap()).unwrap()
}

fn raw(values: &[i64], bits: u32) -> Vec<u64> {
    values.iter().map(|&v| (v as u64) & ((1u64 << bits) - 1)).collect()
}

/// vitis_hs_pipelined.cpp: p = a * x (ap_int<16> x ap_int<16>, exact), y = p + b (wrapping
/// ap_int<32>), ap_return = p.
fn madd_spec(a: &[i64], x: &[i64], b: &[i64]) -> (Vec<u64>, Vec<u64>) {
    let p: Vec<i32> = a.iter().zip(x).map(|(&a, &x)| (a as i16 as i32) * (x as i16 as i32)).collect();
    let y: Vec<i64> = p.iter().zip(b).map(|(&p, &b)| i64::from(p.wrapping_add(b as i32))).collect();
    let p: Vec<i64> = p.into_iter().map(i64::from).collect();
    (raw(&y, 32), raw(&p, 32))
}

fn madd_inputs(a: &[i64], x: &[i64], b: &[i64]) -> Values {
    let mut inputs = Values::new();
    inputs.streams.insert("a".into(), raw(a, 16));
    inputs.streams.insert("x".into(), raw(x, 16));
    inputs.streams.insert("b".into(), raw(b, 32));
    inputs
}

/// Edge values and a sweep: 64 transactions.
fn madd_operands() -> (Vec<i64>, Vec<i64>, Vec<i64>) {
    let edges = [0, 1, -1, 32767, -32768, 12345, -2];
    let a: Vec<i64> = (0..64).map(|i| edges[i % edges.len()]).collect();
    let x: Vec<i64> = (0..64).map(|i| edges[(i / edges.len()) % edges.len()] - (i as i64 % 3)).collect();
    let x: Vec<i64> = x.into_iter().map(|v| v.clamp(-32768, 32767)).collect();
    let b: Vec<i64> = (0..64).map(|i| [i32::MAX as i64, i32::MIN as i64, 7, -100_000][i % 4] + i as i64 % 2).collect();
    let b = b.into_iter().map(|v| i64::from(v as i32)).collect();
    (a, x, b)
}

#[test]
fn the_pipelined_bare_hs_fixture_is_bit_exact_with_interval_one() {
    let kernel = Kernel::fixture("vitis_hs_pipelined").unwrap();
    let (a, x, b) = madd_operands();
    let outcome = cosim().call(&kernel, &madd_inputs(&a, &x, &b)).unwrap();
    let (y, p) = madd_spec(&a, &x, &b);
    assert_eq!(outcome.outputs.streams["y"], y);
    assert_eq!(outcome.outputs.streams["ap_return"], p);
    let t = outcome.report.transactions.clone().expect("a transaction report");
    assert_eq!(t.count, 64);
    let interval = t.interval.expect("64 transactions have intervals");
    assert_eq!((interval.min, interval.max), (1, 1), "ap_start held high: one transaction per cycle: {t:?}");
    assert_eq!((t.latency.min, t.latency.max), (2, 2), "three pipeline stages: {t:?}");
    // 64 starts one cycle apart, the last done two cycles after its start.
    assert_eq!(outcome.report.cycles, Some(63 + 2 + 1));
    assert!(t.describe().contains("interval min 1 avg 1.0 max 1"), "{}", t.describe());
}

#[test]
fn a_single_transaction_has_no_interval() {
    let kernel = Kernel::fixture("vitis_hs_pipelined").unwrap();
    let outcome = cosim().call(&kernel, &madd_inputs(&[-3], &[5], &[100])).unwrap();
    assert_eq!(outcome.outputs.streams["y"], raw(&[85], 32));
    let t = outcome.report.transactions.unwrap();
    assert_eq!((t.count, t.interval), (1, None));
}

#[test]
fn a_workload_with_transactions_gives_each_bare_scalar_that_many_values() {
    let kernel = Kernel::fixture("vitis_hs_pipelined").unwrap();
    let case = workload_case(&kernel, &kernel.manifest.workloads[0]).unwrap();
    for name in ["a", "x", "b"] {
        assert_eq!(case.inputs.streams[name].len(), 64, "{name}");
    }
    assert!(case.inputs.streams["a"].iter().all(|&v| v >> 16 == 0));
    assert!(case.inputs.streams["a"].iter().any(|&v| v != case.inputs.streams["a"][0]), "random, not constant");
    let outcome = cosim().call(&kernel, &case.inputs).unwrap();
    let signed = |name: &str, bits: u32| -> Vec<i64> {
        case.inputs.streams[name].iter().map(|&v| ((v << (64 - bits)) as i64) >> (64 - bits)).collect()
    };
    let (y, _) = madd_spec(&signed("a", 16), &signed("x", 16), &signed("b", 32));
    assert_eq!(outcome.outputs.streams["y"], y);
    assert_eq!(outcome.report.transactions.unwrap().count, 64);
}

#[test]
fn bare_scalar_input_mistakes_are_input_errors() {
    let kernel = Kernel::fixture("vitis_hs_pipelined").unwrap();
    let input_error = |inputs: Values| match cosim().call(&kernel, &inputs) {
        Err(Error::Input { message, .. }) => message,
        other => panic!("expected an input error, got {other:?}"),
    };
    let message = input_error(madd_inputs(&[1, 2, 3], &[1, 2], &[0, 0, 0]));
    assert!(message.contains("transactions") && message.contains("`x`"), "{message}");
    let mut wide = madd_inputs(&[1], &[1], &[1]);
    wide.streams.insert("a".into(), vec![1 << 16]);
    let message = input_error(wide);
    assert!(message.contains("`a` value 0") && message.contains("does not fit 16 bits"), "{message}");
    let mut missing = madd_inputs(&[1], &[1], &[1]);
    missing.streams.remove("b");
    let message = input_error(missing);
    assert!(message.contains("missing argument `b` (ap_none port)"), "{message}");
    let mut as_register = madd_inputs(&[1], &[1], &[1]);
    as_register.streams.remove("b");
    as_register.scalars.insert("b".into(), 1);
    let message = input_error(as_register);
    assert!(message.contains("one value per transaction"), "{message}");
}

/// The fixture with reset held (polarity flipped): ap_ready answers ap_start but ap_done
/// never comes; the watchdog names the transactions.
#[test]
fn a_transaction_that_never_finishes_is_a_bounded_timeout() {
    let mut kernel = Kernel::fixture("vitis_hs_pipelined").unwrap();
    kernel.manifest.reset.active = Level::Low;
    let mut config = Config::builtin("cosim").unwrap();
    config.cosim.watchdog_cycles = 200;
    let error = backends::open(&config).unwrap().call(&kernel, &madd_inputs(&[1, 2], &[3, 4], &[5, 6])).unwrap_err();
    let text = error.to_string();
    assert!(matches!(error, Error::Timeout { .. }), "{text}");
    assert!(text.contains("ap_done of all 2 transactions"), "{text}");
    assert!(text.contains("2 transactions accepted (ap_ready) but only 0 finished (ap_done)"), "{text}");
}

/// vitis_none_tlast.cpp: the running sum of the packet, wrapping.
fn running_sum(input: &[i32]) -> Vec<i32> {
    input
        .iter()
        .scan(0i32, |acc, &v| {
            *acc = acc.wrapping_add(v);
            Some(*acc)
        })
        .collect()
}

#[test]
fn the_free_running_tlast_fixture_ends_when_the_packet_closes() {
    let kernel = Kernel::fixture("vitis_none_tlast").unwrap();
    let input: Vec<i32> = (0..1000)
        .map(|i: i32| i.wrapping_mul(2_654_435_761u32 as i32) - 7)
        .chain([i32::MAX, i32::MAX, i32::MIN])
        .collect();
    let outcome = cosim().call(&kernel, &Values::new().with_i32s("in", &input)).unwrap();
    assert_eq!(outcome.outputs.i32s("out").unwrap(), running_sum(&input));
    let cycles = outcome.report.cycles.unwrap();
    // One element per cycle plus the two register slices.
    assert!((1003..=1003 + 8).contains(&cycles), "{cycles} cycles");
    assert!(outcome.report.transactions.is_none());
    // Two calls in a row: the kernel is reset per call, so nothing leaks.
    let again = cosim().call(&kernel, &Values::new().with_i32s("in", &[5, 6])).unwrap();
    assert_eq!(again.outputs.i32s("out").unwrap(), [5, 11]);
}

/// vitis_none_stream.cpp: 3 * x (wrapping) clipped to [-1000, 1000].
fn clip(input: &[i32]) -> Vec<i32> {
    input.iter().map(|&x| x.wrapping_mul(3).clamp(-1000, 1000)).collect()
}

fn stream_input() -> Vec<i32> {
    (0..500).map(|i| (i - 250) * 3 + if i % 7 == 0 { 1 << 30 } else { 0 }).collect()
}

#[test]
fn the_free_running_stream_fixture_ends_after_as_many_elements_as_its_input() {
    let kernel = Kernel::fixture("vitis_none_stream").unwrap();
    let input = stream_input();
    let outcome = cosim().call(&kernel, &Values::new().with_i32s("in", &input)).unwrap();
    assert_eq!(outcome.outputs.i32s("out").unwrap(), clip(&input));
    let cycles = outcome.report.cycles.unwrap();
    assert!((500..=500 + 8).contains(&cycles), "{cycles} cycles");
}

#[test]
fn free_running_fixtures_stay_exact_under_random_back_pressure() {
    let stressed = Config::builtin("cosim").unwrap().stressed().expect("the cosim config has a stress setting");
    let mut backend = backends::open(&stressed).unwrap();
    let input = stream_input();
    let values = Values::new().with_i32s("in", &input);
    let outcome = backend.call(&Kernel::fixture("vitis_none_stream").unwrap(), &values).unwrap();
    assert_eq!(outcome.outputs.i32s("out").unwrap(), clip(&input));
    let outcome = backend.call(&Kernel::fixture("vitis_none_tlast").unwrap(), &values).unwrap();
    assert_eq!(outcome.outputs.i32s("out").unwrap(), running_sum(&input));
    assert!(outcome.report.cycles.unwrap() > 500, "back-pressure costs cycles");
}

fn with_end(rule: EndRule) -> Kernel {
    let mut kernel = Kernel::fixture("vitis_none_stream").unwrap();
    kernel.manifest.streams[1].end = Some(rule);
    kernel
}

#[test]
fn count_and_idle_rules_end_a_free_running_call() {
    let input = stream_input();
    let values = Values::new().with_i32s("in", &input);
    let outcome = cosim().call(&with_end(EndRule::Count(500)), &values).unwrap();
    assert_eq!(outcome.outputs.i32s("out").unwrap(), clip(&input));
    let outcome = cosim().call(&with_end(EndRule::Idle(16)), &values).unwrap();
    assert_eq!(outcome.outputs.i32s("out").unwrap(), clip(&input));
    let half = EndRule::SameAs { input: "in".into(), numerator: 2, denominator: 2 };
    assert_eq!(cosim().call(&with_end(half), &values).unwrap().outputs.i32s("out").unwrap(), clip(&input));
}

#[test]
fn an_output_longer_than_its_count_is_a_protocol_error() {
    let values = Values::new().with_i32s("in", &stream_input());
    let error = cosim().call(&with_end(EndRule::Count(400)), &values).unwrap_err();
    let text = error.to_string();
    assert!(matches!(error, Error::Protocol { .. }), "{text}");
    assert!(text.contains("output `out` kept producing past the 400 elements its end rule gives (end: count 400): 437 within 37 cycles"), "{text}");
}

#[test]
fn an_output_shorter_than_its_count_is_a_bounded_timeout() {
    let values = Values::new().with_i32s("in", &stream_input());
    let mut config = Config::builtin("cosim").unwrap();
    config.cosim.watchdog_cycles = 300;
    let error = backends::open(&config).unwrap().call(&with_end(EndRule::Count(600)), &values).unwrap_err();
    let text = error.to_string();
    assert!(matches!(error, Error::Timeout { .. }), "{text}");
    assert!(
        text.contains("output `out` to reach 600 elements (end: count 600)") && text.contains("500 received"),
        "{text}"
    );
}

#[test]
fn a_ratio_that_does_not_divide_is_an_input_error() {
    let rule = EndRule::SameAs { input: "in".into(), numerator: 1, denominator: 3 };
    let error = cosim().call(&with_end(rule), &Values::new().with_i32s("in", &[1, 2, 3, 4])).unwrap_err();
    assert!(matches!(&error, Error::Input { message, .. } if message.contains("is not a whole number")), "{error}");
}

#[test]
fn boards_and_graphs_refuse_bare_control_with_the_reason() {
    let kernel = Kernel::fixture("vitis_hs_pipelined").unwrap();
    let mut board = backends::open(&Config::builtin("board-sim").unwrap()).unwrap();
    let error = board.call(&kernel, &madd_inputs(&[1], &[1], &[1])).unwrap_err();
    assert!(matches!(&error, Error::Unsupported { ability, .. } if ability.contains("needs a wrapper")), "{error}");
    let none = Kernel::fixture("vitis_none_stream").unwrap();
    let error = board.call(&none, &Values::new().with_i32s("in", &[1])).unwrap_err();
    assert!(matches!(&error, Error::Unsupported { ability, .. } if ability.contains("ap_ctrl_none")), "{error}");
}

// The command line: bare scalars as files, the transaction table, `check` on bare ports.

fn fixture_dir(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../hw/fixtures").join(name)
}

fn codesign(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_codesign"))
        .args(args)
        .env_remove("CODESIGN_CONFIG")
        .env_remove("CODESIGN_TRACE")
        .output()
        .expect("the codesign binary runs")
}

fn scratch(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("codesign-block-{test}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn run_takes_bare_scalars_as_files_and_prints_the_transaction_table() {
    let dir = scratch("run");
    let (a, x, b) = madd_operands();
    for (name, values) in [("a", &a), ("x", &x), ("b", &b)] {
        let text: String = values.iter().map(|v| format!("{v}\n")).collect();
        std::fs::write(dir.join(format!("{name}.csv")), text).unwrap();
    }
    let file = |name: &str| format!("{name}={}", dir.join(name).with_extension("csv").display());
    let out = dir.join("y.csv");
    let output = codesign(&[
        "run",
        "--kernel",
        "vitis_hs_pipelined",
        "--input",
        &file("a"),
        "--input",
        &file("x"),
        "--input",
        &file("b"),
        "--output",
        &format!("y={}", out.display()),
    ]);
    let (stdout, stderr) = (String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    assert!(output.status.success(), "{stdout}\n{stderr}");
    assert!(stdout.contains("latency min") && stdout.contains("interval min"), "{stdout}");
    let row = stdout.lines().find(|l| l.contains("vitis_hs_pipelined `files`") && l.contains("| 64")).expect(&stdout);
    let cells: Vec<&str> = row.split('|').map(str::trim).collect();
    // call, transactions, latency min/avg/max, interval min/avg/max, total cycles
    assert_eq!(&cells[2..9], ["64", "2", "2.0", "2", "1", "1.0", "1"], "{row}");
    let (y, _) = madd_spec(&a, &x, &b);
    let written: Vec<u64> = std::fs::read_to_string(&out)
        .unwrap()
        .lines()
        .map(|l| l.trim().parse::<i64>().unwrap() as u64 & 0xffff_ffff)
        .collect();
    assert_eq!(written, y);
    // A bare scalar given as a register value is a setup error (exit 2).
    let output = codesign(&[
        "run",
        "--kernel",
        "vitis_hs_pipelined",
        "--input",
        &file("x"),
        "--input",
        &file("b"),
        "--arg",
        "a=3",
    ]);
    assert_eq!(output.status.code(), Some(2), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("--input a=FILE"),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// A copy of `fixture` with `edit` applied to its manifest.
fn edited_copy(test: &str, fixture: &str, edit: impl Fn(&str) -> String) -> PathBuf {
    let dir = scratch(test).join(fixture);
    let from = fixture_dir(fixture);
    for sub in ["rtl", "hls"] {
        std::fs::create_dir_all(dir.join(sub)).unwrap();
        for entry in std::fs::read_dir(from.join(sub)).unwrap() {
            let entry = entry.unwrap();
            std::fs::copy(entry.path(), dir.join(sub).join(entry.file_name())).unwrap();
        }
    }
    let manifest = std::fs::read_to_string(from.join("kernel.yaml")).unwrap();
    std::fs::write(dir.join("kernel.yaml"), edit(&manifest)).unwrap();
    dir
}

#[test]
fn check_compares_bare_block_and_scalar_ports_with_the_rtl() {
    let good = codesign(&["check", "--kernel-dir", fixture_dir("vitis_hs_pipelined").to_str().unwrap()]);
    assert!(good.status.success(), "{}", String::from_utf8_lossy(&good.stderr));
    for name in ["vitis_none_tlast", "vitis_none_stream"] {
        let output = codesign(&["check", "--kernel-dir", fixture_dir(name).to_str().unwrap()]);
        assert!(output.status.success(), "{name}: {}", String::from_utf8_lossy(&output.stderr));
    }
    let bad = edited_copy("check", "vitis_hs_pipelined", |m| {
        m.replace("{ protocol: ap_ctrl_hs }", "{ protocol: ap_ctrl_chain }")
            .replace("{ name: a, protocol: ap_none, width: 16", "{ name: a, protocol: ap_none, width: 12")
            .replace("{ name: x, protocol: ap_none", "{ name: x, protocol: ap_hs")
            .replace("{ name: y, protocol: ap_vld", "{ name: y, rtl: yy, protocol: ap_vld")
    });
    let output = codesign(&["check", "--kernel-dir", bad.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    for expected in [
        "missing port `ap_continue` (ap_ctrl_chain on bare ports",
        "port `a` is 16 bit(s) wide, the manifest needs 12 (arg `a`: ap_none",
        "missing port `x_ap_vld` (arg `x`: ap_hs",
        "missing port `x_ap_ack` (arg `x`: ap_hs",
        "missing port `yy` (arg `y`: ap_vld",
        "missing port `yy_ap_vld`",
    ] {
        assert!(stderr.contains(expected), "{expected}\n{stderr}");
    }
    assert!(!stderr.contains("s_axi_control") && !stderr.contains("interrupt"), "no s_axilite expectations: {stderr}");
    let no_tlast = edited_copy("check-tlast", "vitis_none_stream", |m| m.replace("end: { same-as: in }", "end: tlast"));
    let output = codesign(&["check", "--kernel-dir", no_tlast.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("stream `out`: end: tlast, but the RTL has no `out_r_TLAST` port"), "{stderr}");
}

#[test]
fn perf_measures_a_free_running_kernel_verified_against_its_cxx() {
    let dir = scratch("perf");
    let baselines = dir.join("cycles.yaml");
    let fixture = fixture_dir("vitis_none_tlast");
    let perf = |bless: bool| {
        let mut args = vec!["perf", "--kernel-dir", fixture.to_str().unwrap(), "--baselines", baselines.to_str().unwrap(), "--out", dir.to_str().unwrap()];
        if bless {
            args.push("--bless");
        }
        let output = codesign(&args);
        (output.status.code(), String::from_utf8_lossy(&output.stdout).into_owned() + &String::from_utf8_lossy(&output.stderr))
    };
    // No golden model: the C++ (csim) verifies the outputs; then the count is blessed and holds.
    let (code, text) = perf(true);
    assert_eq!(code, Some(0), "{text}");
    let row = text.lines().find(|l| l.starts_with("| vitis_none_tlast | sums ")).unwrap_or_else(|| panic!("{text}"));
    let cycles: u64 = row.split('|').nth(4).unwrap().trim().parse().unwrap();
    assert!((1000..1010).contains(&cycles), "1000 elements at one per cycle: {row}");
    let (code, text) = perf(false);
    assert_eq!(code, Some(0), "{text}");
    assert!(std::fs::read_to_string(&baselines).unwrap().contains("vitis_none_tlast"));
}

#[test]
fn bench_sim_runs_bare_and_free_running_folders() {
    // Bare ap_ctrl_hs, pipelined: one transaction per element asked for, one per cycle.
    for (fixture, elements, most_cycles) in [("vitis_hs_pipelined", 3000u64, 3010u64), ("vitis_none_stream", 3000, 3010)] {
        let dir = scratch(&format!("bench-{fixture}"));
        let output = codesign(&[
            "bench-sim",
            "--kernel-dir",
            fixture_dir(fixture).to_str().unwrap(),
            "--elements",
            &elements.to_string(),
            "--repeat",
            "1",
            "--out",
            dir.to_str().unwrap(),
        ]);
        let text = String::from_utf8_lossy(&output.stdout).into_owned() + &String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "{text}");
        let cycles: u64 = text
            .split(" from start to done")
            .next()
            .and_then(|head| head.rsplit('(').next())
            .and_then(|n| n.trim().parse().ok())
            .unwrap_or_else(|| panic!("{text}"));
        assert!((elements..=most_cycles).contains(&cycles), "{fixture}: {cycles} cycles for {elements}: {text}");
    }
}
