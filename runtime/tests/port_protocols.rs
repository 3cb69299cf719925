//! HLS port protocols beyond AXI4-Stream (issue 13): ap_fifo streams, ap_memory arrays, axis
//! outputs whose TKEEP is 0 on every beat, on the fixtures vitis_fifo, vitis_memory and
//! vitis_keep0, at full rate and under back-pressure (cosim.stress).
//!
//! The fixtures have no golden model: each expected output is the fixture's C++ arithmetic
//! (hw/fixtures/<name>/hls/*.cpp) written plainly in Rust below, as a specification.
#![allow(clippy::unwrap_used)]

use codesign::backends::cosim::Cosim;
use codesign::config::CosimConfig;
use codesign::workload::standard_cases;
use codesign::{backends, Backend, Config, Error, Kernel, Outcome};
use codesign_hw::manifest::KeepMode;
use codesign_models::Values;

/// Deterministic i32 test data with every bit pattern in play.
fn data(n: usize, salt: u32) -> Vec<i32> {
    (0..n as u32).map(|i| (i.wrapping_mul(0x9E37_79B1) ^ salt) as i32).collect()
}

fn full_rate(kernel: &Kernel, inputs: &Values) -> Result<Outcome, Error> {
    Cosim::new(CosimConfig::default()).call(kernel, inputs)
}

fn stressed(kernel: &Kernel, inputs: &Values) -> Result<Outcome, Error> {
    let config = Config::builtin("cosim").unwrap().stressed().unwrap();
    backends::open(&config).unwrap().call(kernel, inputs)
}

fn u32_inputs(a: &[u32], k: u32) -> Values {
    let mut inputs = Values::new().with_scalar("k", u64::from(k));
    inputs.streams.insert("a".to_owned(), a.iter().map(|&x| u64::from(x)).collect());
    inputs
}

fn i32s(outcome: &Outcome, name: &str) -> Vec<i32> {
    outcome.outputs.i32s(name).unwrap()
}

// vitis_fifo: acc += in[i] * k; out[i] = acc (64 words, wrapping).

fn fifo_spec(input: &[i32], k: i32) -> Vec<i32> {
    let mut acc = 0i32;
    input.iter().map(|&x| {
        acc = acc.wrapping_add(x.wrapping_mul(k));
        acc
    }).collect()
}

#[test]
fn ap_fifo_streams_run_bit_exact_at_full_rate_and_under_back_pressure() {
    let kernel = Kernel::fixture("vitis_fifo").unwrap();
    for (k, salt) in [(3, 0), (-7, 0x5BD1_E995), (0x1234_5678, 1)] {
        let input = data(64, salt);
        let inputs = Values::new().with_i32s("in", &input).with_scalar("k", k as u32 as u64);
        let want = fifo_spec(&input, k);
        let fast = full_rate(&kernel, &inputs).unwrap();
        assert_eq!(i32s(&fast, "out"), want, "k = {k}");
        let slow = stressed(&kernel, &inputs).unwrap();
        assert_eq!(i32s(&slow, "out"), want, "k = {k}, under back-pressure");
        let (fast_cycles, slow_cycles) = (fast.report.cycles.unwrap(), slow.report.cycles.unwrap());
        println!("vitis_fifo k={k}: {fast_cycles} cycles at full rate, {slow_cycles} under back-pressure");
        assert!(fast_cycles <= 64 + 16, "II = 1: {fast_cycles} cycles for 64 words");
        assert!(slow_cycles > fast_cycles, "back-pressure slows the FIFOs: {slow_cycles} vs {fast_cycles}");
    }
}

#[test]
fn an_ap_fifo_call_short_of_words_names_the_fifo_in_the_timeout() {
    let kernel = Kernel::fixture("vitis_fifo").unwrap();
    let config = CosimConfig { watchdog_cycles: 200, ..CosimConfig::default() };
    let inputs = Values::new().with_i32s("in", &data(10, 0)).with_scalar("k", 1);
    let error = Cosim::new(config).call(&kernel, &inputs).unwrap_err().to_string();
    assert!(error.contains("in: empty_n=0 read=0 (10 sent, 0 left)"), "{error}");
}

// vitis_memory: y[i] = x[63 - i] * k + x[i] (64 elements, wrapping).

fn memory_spec(x: &[i32], k: i32) -> Vec<i32> {
    (0..x.len()).map(|i| x[x.len() - 1 - i].wrapping_mul(k).wrapping_add(x[i])).collect()
}

#[test]
fn ap_memory_arrays_run_bit_exact_with_two_ports_and_read_latency_2() {
    let kernel = Kernel::fixture("vitis_memory").unwrap();
    for (k, salt) in [(3, 0), (-1, 0xDEAD_BEEF), (0x7FFF_FFFF, 7)] {
        let x = data(64, salt);
        let inputs = Values::new().with_i32s("x", &x).with_scalar("k", k as u32 as u64);
        let want = memory_spec(&x, k);
        let fast = full_rate(&kernel, &inputs).unwrap();
        assert_eq!(i32s(&fast, "y"), want, "k = {k}");
        let slow = stressed(&kernel, &inputs).unwrap();
        assert_eq!(i32s(&slow, "y"), want, "k = {k}, under back-pressure");
        let (fast_cycles, slow_cycles) = (fast.report.cycles.unwrap(), slow.report.cycles.unwrap());
        println!("vitis_memory k={k}: {fast_cycles} cycles at full rate, {slow_cycles} under back-pressure");
        assert!(fast_cycles <= 64 + 16, "II = 1: {fast_cycles} cycles for 64 elements");
    }
}

#[test]
fn ap_memory_standard_workloads_generate_one_array_per_transaction() {
    let kernel = Kernel::fixture("vitis_memory").unwrap();
    let cases = standard_cases(&kernel).unwrap();
    assert_eq!(cases[0].inputs.streams["x"].len(), 64);
    let outcome = full_rate(&kernel, &cases[0].inputs).unwrap();
    let x = cases[0].inputs.i32s("x").unwrap();
    assert_eq!(i32s(&outcome, "y"), memory_spec(&x, 3));
}

#[test]
fn several_depths_of_an_input_array_are_that_many_transactions_on_cosim_and_csim() {
    let kernel = Kernel::fixture("vitis_memory").unwrap();
    let x = data(3 * 64, 11);
    let inputs = Values::new().with_i32s("x", &x).with_scalar("k", 5);
    let want: Vec<i32> = x.chunks(64).flat_map(|t| memory_spec(t, 5)).collect();
    for outcome in [full_rate(&kernel, &inputs).unwrap(), stressed(&kernel, &inputs).unwrap()] {
        assert_eq!(i32s(&outcome, "y"), want, "each transaction's array loaded before it and read after it");
        let transactions = outcome.report.transactions.expect("a transaction report");
        assert_eq!(transactions.count, 3);
        let interval = transactions.interval.expect("three starts");
        assert!(interval.min >= transactions.latency.min, "one call after the other: {transactions:?}");
        assert!(outcome.report.cycles.unwrap() >= 3 * 64, "{:?}", outcome.report.cycles);
    }
    let mut csim = backends::open(&Config::builtin("csim").unwrap()).unwrap();
    assert_eq!(i32s(&csim.call(&kernel, &inputs).unwrap(), "y"), want, "csim runs the same three transactions");
}

#[test]
fn an_out_of_range_array_address_is_a_protocol_error_naming_array_address_and_cycle() {
    // The RTL addresses 64 elements; a manifest that says 40 makes addresses 40..63 illegal.
    let mut kernel = Kernel::fixture("vitis_memory").unwrap();
    kernel.manifest.arrays.iter_mut().for_each(|a| a.depth = 40);
    let inputs = Values::new().with_i32s("x", &data(40, 0)).with_scalar("k", 1);
    let error = full_rate(&kernel, &inputs).unwrap_err();
    let text = error.to_string();
    assert!(matches!(error, Error::Protocol { .. }), "{text}");
    assert!(text.contains("ap_memory `x`: address 63 on port 0 is out of range: the array has 40 elements"), "{text}");
    assert!(text.contains("(cycle "), "{text}");
}

#[test]
fn an_array_input_of_the_wrong_length_is_an_input_error() {
    let kernel = Kernel::fixture("vitis_memory").unwrap();
    let short = Values::new().with_i32s("x", &data(63, 0)).with_scalar("k", 1);
    let error = full_rate(&kernel, &short).unwrap_err().to_string();
    assert!(error.contains("array `x` has 63 elements") && error.contains("depth 64"), "{error}");
    let missing = Values::new().with_scalar("k", 1);
    let error = full_rate(&kernel, &missing).unwrap_err().to_string();
    assert!(error.contains("missing input array `x`"), "{error}");
}

// vitis_keep0: o[i] = a[i] + k, TKEEP = TSTRB = 0 on every beat of o.

#[test]
fn keep_ignore_takes_every_beat_of_a_tkeep_0_output_whole() {
    let kernel = Kernel::fixture("vitis_keep0").unwrap();
    let a: Vec<u32> = data(300, 3).into_iter().map(|v| v as u32).collect();
    let k = 0xFFFF_FFF0u32;
    let inputs = u32_inputs(&a, k);
    let want: Vec<u64> = a.iter().map(|&x| u64::from(x.wrapping_add(k))).collect();
    let fast = full_rate(&kernel, &inputs).unwrap();
    assert_eq!(fast.outputs.streams["o"], want);
    let slow = stressed(&kernel, &inputs).unwrap();
    assert_eq!(slow.outputs.streams["o"], want, "under back-pressure");
    println!(
        "vitis_keep0: {} cycles at full rate, {} under back-pressure",
        fast.report.cycles.unwrap(),
        slow.report.cycles.unwrap()
    );
}

#[test]
fn keep_bytes_on_a_tkeep_0_output_says_the_cpp_never_set_keep() {
    let mut kernel = Kernel::fixture("vitis_keep0").unwrap();
    kernel.manifest.streams.iter_mut().for_each(|s| s.keep = KeepMode::Bytes);
    let inputs = u32_inputs(&[1, 2, 3], 1);
    let error = full_rate(&kernel, &inputs).unwrap_err().to_string();
    assert!(
        error.contains(
            "TKEEP=0 on every beat: does the C++ set `keep`? (say `keep: ignore` on stream `o` if it never does)"
        ),
        "{error}"
    );
}

// `codesign check`: ap_fifo and ap_memory ports against Verilator's port list.

/// `codesign check --kernel-dir` on fixture `name`'s folder, its manifest edited by `edit`
/// (written to a temp folder; the RTL paths made absolute so they still resolve).
fn check_fixture(name: &str, edit: impl Fn(String) -> String) -> (Option<i32>, String) {
    let source = codesign::workspace_root().join("hw/fixtures").join(name);
    let dir = std::env::temp_dir().join(format!("codesign-ports-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let yaml = std::fs::read_to_string(source.join("kernel.yaml")).unwrap();
    let mut yaml = yaml;
    for relative in ["rtl/", "hls/", "../../"] {
        yaml = yaml.replace(&format!("  - {relative}"), &format!("  - {}/{relative}", source.display()));
    }
    std::fs::write(dir.join("kernel.yaml"), edit(yaml)).unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_codesign"))
        .args(["check", "--kernel-dir", dir.to_str().unwrap()])
        .output()
        .unwrap();
    (output.status.code(), String::from_utf8_lossy(&output.stdout).into_owned() + &String::from_utf8_lossy(&output.stderr))
}

#[test]
fn check_accepts_the_fifo_memory_and_keep0_fixtures() {
    for name in ["vitis_fifo", "vitis_memory", "vitis_keep0"] {
        let (code, text) = check_fixture(name, |y| y);
        assert_eq!(code, Some(0), "{name}: {text}");
    }
}

#[test]
fn check_names_each_wrong_fifo_and_memory_port_on_its_own_line() {
    let (code, text) = check_fixture("vitis_fifo", |y| y.replace("rtl: in_r,", "rtl: inr,").replace("element: i32 }\n  - { name: out", "element: i16 }\n  - { name: out"));
    assert_eq!(code, Some(2), "{text}");
    assert!(text.contains("missing port `inr_dout` (ap_fifo stream `in`: 1 x i16)"), "{text}");
    assert!(text.contains("missing port `inr_empty_n`"), "{text}");
    let (code, text) = check_fixture("vitis_memory", |y| y.replace("element: i32, depth: 64, latency: 2", "element: i16, depth: 100, latency: 2"));
    assert_eq!(code, Some(2), "{text}");
    for line in [
        "port `x_address0` is 6 bit(s) wide: too narrow for 100 elements",
        "port `x_address1` is 6 bit(s) wide: too narrow for 100 elements",
        "port `x_q0` is 32 bit(s) wide, the manifest needs 16 (ap_memory array `x`: 100 x i16)",
        "port `x_q1` is 32 bit(s) wide, the manifest needs 16",
    ] {
        assert!(text.contains(line), "{line}\n{text}");
    }
}

#[test]
fn check_refuses_array_transactions_cosim_cannot_replay() {
    let (code, text) = check_fixture("vitis_memory", |y| {
        y.replace("{ name: mirror, elements: 64,", "{ name: mirror, elements: 64, transactions: 2,").replace("args: [x, y, k]", "args: [x, y, k, r]").replace(
            "description: \"scale of the mirrored element\" }",
            "description: \"scale of the mirrored element\" }\n  - { name: r, offset: 0x18, width: 32, direction: out }",
        )
    });
    assert_eq!(code, Some(2), "{text}");
    assert!(
        text.contains("workload `mirror`: 2 transactions with ap_memory arrays, but output register `r` keeps only the last one's value"),
        "{text}"
    );
}

// `codesign run --input/--output` for arrays.

#[test]
fn run_reads_and_writes_arrays_as_files() {
    let dir = std::env::temp_dir().join(format!("codesign-ports-run-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let x = data(64, 9);
    let input = dir.join("x.csv");
    std::fs::write(&input, x.iter().map(|v| format!("{v}\n")).collect::<String>()).unwrap();
    let output_file = dir.join("y.csv");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_codesign"))
        .args(["run", "--kernel-dir"])
        .arg(codesign::workspace_root().join("hw/fixtures/vitis_memory"))
        .arg("--input")
        .arg(format!("x={}", input.display()))
        .args(["--arg", "k=5", "--output"])
        .arg(format!("y={}", output_file.display()))
        .env_remove("CODESIGN_CONFIG")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&output.stdout).into_owned() + &String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{text}");
    let written: Vec<i32> = std::fs::read_to_string(&output_file).unwrap().lines().map(|l| l.trim().parse().unwrap()).collect();
    assert_eq!(written, memory_spec(&x, 5));
}

#[test]
fn board_sim_refuses_fifo_and_memory_ports_instead_of_leaving_them_unserved() {
    let config = Config::builtin("board-sim").unwrap();
    let mut board = backends::open(&config).unwrap();
    let memory = Values::new().with_i32s("x", &data(64, 0)).with_scalar("k", 1);
    let error = board.call(&Kernel::fixture("vitis_memory").unwrap(), &memory).unwrap_err();
    assert!(matches!(error, Error::Unsupported { .. }), "{error}");
    assert!(error.to_string().contains("ap_memory array `x` of kernel `vitis_memory` (cosim serves it)"), "{error}");
    let fifo = Values::new().with_i32s("in", &data(64, 0)).with_scalar("k", 1);
    let error = board.call(&Kernel::fixture("vitis_fifo").unwrap(), &fifo).unwrap_err().to_string();
    assert!(error.contains("ap_fifo stream `in` of kernel `vitis_fifo`"), "{error}");
}
