//! Free-running (ap_ctrl_none) kernels with configuration registers: `ap_ctrl_none
//! port=return` plus `s_axilite port=gain`, as Vitis exports them (s_axi_control with
//! 0x00-0x0c reserved, no `interrupt`). Cosim writes the registers before any input beat is
//! offered; the call ends by the output's end rule (fixture hw/fixtures/vitis_none_regs).
//!
//! The fixture has no golden model: the expected values are the HLS C++'s arithmetic
//! (hw/fixtures/vitis_none_regs/hls), written out plainly here as the specification.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::Command;

use codesign::cli::exit_codes;
use codesign::{backends, Backend, Config, Kernel};
use codesign_hw::Manifest;
use codesign_models::Values;

const FIXTURE: &str = "vitis_none_regs";

/// vitis_none_regs.cpp: in * gain + bias, wrapping i32.
fn spec(input: &[i32], gain: i32, bias: i32) -> Vec<i32> {
    input.iter().map(|&x| x.wrapping_mul(gain).wrapping_add(bias)).collect()
}

/// A packet with the edges of i32 and a spread of values between.
fn packet() -> Vec<i32> {
    let spread = (0..600).map(|i: i32| i.wrapping_mul(2_654_435_761u32 as i32) ^ (i - 300));
    [0, 1, -1, i32::MAX, i32::MIN, i32::MIN + 1].into_iter().chain(spread).collect()
}

/// The outputs equal the spec, or the first element that differs (not two 600-element dumps).
fn assert_exact(got: &[i32], input: &[i32], gain: i32, bias: i32) {
    let want = spec(input, gain, bias);
    if let Some(i) = (0..want.len().max(got.len())).find(|&i| got.get(i) != want.get(i)) {
        panic!(
            "gain {gain}, bias {bias}: element {i} of {} is {:?}, the C++ gives {:?} (input {:?})",
            want.len(),
            got.get(i),
            want.get(i),
            input.get(i)
        );
    }
}

fn inputs(input: &[i32], gain: i32, bias: i32) -> Values {
    Values::new().with_i32s("in", input).with_scalar("gain", u64::from(gain as u32)).with_scalar("bias", u64::from(bias as u32))
}

/// Two (gain, bias) pairs, so that a register that is never written (0) or keeps its reset
/// value cannot pass.
const SETTINGS: [(i32, i32); 2] = [(3, -100), (-7_654_321, 123_456_789)];

#[test]
fn registers_are_written_before_data_flows_at_full_rate() {
    let kernel = Kernel::fixture(FIXTURE).unwrap();
    let mut cosim = backends::open(&Config::builtin("cosim").unwrap()).unwrap();
    let input = packet();
    for (gain, bias) in SETTINGS {
        let outcome = cosim.call(&kernel, &inputs(&input, gain, bias)).unwrap();
        // The first element too: a register landing after the first beat would show there.
        assert_exact(&outcome.outputs.i32s("out").unwrap(), &input, gain, bias);
        let cycles = outcome.report.cycles.unwrap();
        // One element per cycle plus the two register slices; the register writes before
        // the call are not counted.
        let n = input.len() as u64;
        assert!((n..=n + 8).contains(&cycles), "{cycles} cycles for {n} elements");
        assert!(outcome.report.transactions.is_none());
    }
}

#[test]
fn registers_and_values_hold_under_random_back_pressure() {
    let stressed = Config::builtin("cosim").unwrap().stressed().expect("the cosim config has a stress setting");
    let mut cosim = backends::open(&stressed).unwrap();
    let kernel = Kernel::fixture(FIXTURE).unwrap();
    let input = packet();
    for (gain, bias) in SETTINGS {
        let outcome = cosim.call(&kernel, &inputs(&input, gain, bias)).unwrap();
        assert_exact(&outcome.outputs.i32s("out").unwrap(), &input, gain, bias);
        let cycles = outcome.report.cycles.unwrap();
        assert!(cycles > input.len() as u64 + 8, "back-pressure costs cycles: {cycles}");
    }
}

fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../hw/fixtures").join(FIXTURE)
}

/// Exit code and stdout + stderr of `codesign args`.
fn codesign(args: &[&str]) -> (Option<i32>, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_codesign"))
        .args(args)
        .env_remove("CODESIGN_CONFIG")
        .env_remove("CODESIGN_TRACE")
        .output()
        .expect("the codesign binary runs");
    (output.status.code(), String::from_utf8_lossy(&output.stdout).into_owned() + &String::from_utf8_lossy(&output.stderr))
}

fn scratch(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("codesign-none-regs-{test}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The rows `run --json` printed.
fn json_rows(text: &str) -> Vec<serde_json::Value> {
    text.lines().filter(|l| l.starts_with('{')).map(|l| serde_json::from_str(l).unwrap()).collect()
}

/// `run --json` on cosim: every row (full rate and back-pressure) verified against the C++.
fn assert_cosim_run_verified_by_csim(dir: &Path, out: &Path) {
    let cosim = codesign::workspace_root().join("configs/cosim.yaml");
    let args = ["run", "--kernel-dir", dir.to_str().unwrap(), "--config", cosim.to_str().unwrap(), "--json", "--out", out.to_str().unwrap()];
    let (code, text) = codesign(&args);
    assert_eq!(code, Some(0), "{text}");
    let rows = json_rows(&text);
    assert!(rows.len() >= 2 && rows.iter().any(|r| r["case"].as_str().unwrap().ends_with("+bp")), "full rate and back-pressure: {text}");
    for row in &rows {
        assert_eq!(
            (row["backend"].as_str(), row["reference"].as_str(), row["status"].as_str()),
            (Some("cosim"), Some("csim"), Some("verified")),
            "{row}"
        );
        assert!(row["cycles"].as_u64().unwrap() >= row["elements"].as_u64().unwrap(), "{row}");
    }
}

#[test]
fn check_accepts_the_fixture_and_run_verifies_it_against_csim() {
    let out = scratch("run");
    let (code, text) = codesign(&["check", "--kernel-dir", fixture_dir().to_str().unwrap()]);
    assert_eq!(code, Some(0), "{text}");
    assert_cosim_run_verified_by_csim(&fixture_dir(), &out);
}

#[test]
fn init_drafts_a_manifest_that_check_and_run_accept_unchanged() {
    let scratch = scratch("init");
    let dir = scratch.join(format!("user_{FIXTURE}"));
    for sub in ["rtl", "hls"] {
        std::fs::create_dir_all(dir.join(sub)).unwrap();
        for entry in std::fs::read_dir(fixture_dir().join(sub)).unwrap() {
            let entry = entry.unwrap();
            std::fs::copy(entry.path(), dir.join(sub).join(entry.file_name())).unwrap();
        }
    }
    let d = dir.to_str().unwrap();
    let out = scratch.join("out");
    let (code, text) = codesign(&["init", "--kernel-dir", d, "--out", out.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{text}");
    let written = std::fs::read_to_string(dir.join("kernel.yaml")).unwrap();
    let manifest = Manifest::parse(&dir.join("kernel.yaml"), &written).unwrap_or_else(|e| panic!("{e}\n{written}"));
    assert_eq!(manifest.control.protocol.as_str(), "ap_ctrl_none", "{written}");
    let registers: Vec<(&str, Option<u32>, Option<&str>)> =
        manifest.args.iter().map(|a| (a.name.as_str(), a.register(), a.bundle.as_deref())).collect();
    assert_eq!(registers, [("gain", Some(0x10), Some("s_axi_control")), ("bias", Some(0x18), Some("s_axi_control"))], "{written}");
    assert!(written.contains("csim:\n  top: vitis_none_regs\n  args: [in, out, gain, bias]"), "{written}");
    let (code, text) = codesign(&["check", "--kernel-dir", d, "--out", out.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{text}\n{written}");
    assert_cosim_run_verified_by_csim(&dir, &out);
}

#[test]
fn an_output_register_on_a_free_running_kernel_is_refused() {
    let dir = scratch("output-register").join(FIXTURE);
    for sub in ["rtl", "hls"] {
        std::fs::create_dir_all(dir.join(sub)).unwrap();
        for entry in std::fs::read_dir(fixture_dir().join(sub)).unwrap() {
            let entry = entry.unwrap();
            std::fs::copy(entry.path(), dir.join(sub).join(entry.file_name())).unwrap();
        }
    }
    let manifest = std::fs::read_to_string(fixture_dir().join("kernel.yaml")).unwrap();
    let peak = "  - { name: peak, offset: 0x20, width: 32, bundle: s_axi_control, direction: out }\nperf:";
    let edited = manifest.replacen("perf:", peak, 1).replace("args: [in, out, gain, bias]", "args: [in, out, gain, bias, peak]");
    assert_ne!(edited, manifest);
    std::fs::write(dir.join("kernel.yaml"), edited).unwrap();
    let (code, text) = codesign(&["check", "--kernel-dir", dir.to_str().unwrap()]);
    assert_eq!(code, Some(i32::from(exit_codes::SETUP)), "{text}");
    assert!(text.contains("arg `peak`: an output register on an ap_ctrl_none kernel: no ap_done says when its value is final"), "{text}");
}

#[test]
fn board_sim_writes_the_configuration_registers_before_the_dmas_start() {
    let kernel = Kernel::fixture("vitis_none_regs").unwrap();
    let mut board = backends::open(&Config::builtin("board-sim").unwrap()).unwrap();
    let x: Vec<i32> = (0..500).map(|i| i * 37 - 9000).collect();
    for (gain, bias) in [(3i32, -100i32), (-7, 12345)] {
        let inputs = Values::new().with_i32s("in", &x).with_scalar("gain", gain as u32 as u64).with_scalar("bias", bias as u32 as u64);
        let out = board.call(&kernel, &inputs).unwrap();
        let want: Vec<i32> = x.iter().map(|v| v.wrapping_mul(gain).wrapping_add(bias)).collect();
        assert_eq!(out.outputs.i32s("out").unwrap(), want, "gain {gain}, bias {bias}");
    }
}
