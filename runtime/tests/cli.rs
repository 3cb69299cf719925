//! The `codesign` binary as a user meets it: the main job, and clear errors with the
//! documented exit codes (runtime/src/cli/exit_codes.rs) for bad input.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::{Command, Output};

use codesign::cli::exit_codes;

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

/// Writes `text` to a fresh file named `name` and returns its path.
fn temp_config(name: &str, text: &str) -> String {
    let dir = std::env::temp_dir().join(format!("codesign-cli-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_owned()
}

#[test]
fn run_default_is_cosim_verified_with_cycles() {
    let output = codesign(&["run"]);
    let (stdout, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(0), "{stdout}{stderr}");
    assert!(stdout.contains("configs/cosim.yaml"), "{stdout}");
    let rows: Vec<&str> = stdout.lines().filter(|l| l.contains("| ufunc_i32")).collect();
    assert_eq!(rows.len(), 3, "{stdout}");
    for row in rows {
        let cells: Vec<&str> = row.split('|').map(str::trim).collect();
        assert_eq!(cells[2], "cosim", "{row}");
        assert!(cells[5].parse::<u64>().is_ok_and(|c| c >= 4096), "cycles column: {row}");
        assert_eq!(cells[9], "yes", "{row}");
    }
}

#[test]
fn run_json_prints_one_object_per_case() {
    let output = codesign(&["run", "--config", "../configs/golden.yaml", "--json"]);
    let (stdout, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    let rows: Vec<serde_json::Value> = stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(rows.iter().filter(|r| r["kernel"] == "ufunc_i32").count(), 3, "{stdout}");
    for row in rows {
        assert_eq!(row["backend"], "golden");
        assert_eq!(row["verified"], true);
        assert!(row["cycles"].is_null(), "golden has no clock: {row}");
    }
}

#[test]
fn wrong_values_fail_verification_with_exit_1() {
    let output = codesign(&["run", "--kernel", "ufunc_i32_swapped"]);
    let (stdout, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(i32::from(exit_codes::VERIFICATION_FAILED)), "{stdout}{stderr}");
    assert!(stdout.contains("| add ") && stdout.contains("| yes "), "op 0 is right: {stdout}");
    assert!(stdout.contains("NO: stream `out` element 0: expected"), "op 1 is wrong: {stdout}");
    assert!(stderr.contains("1 of 2 case(s) failed verification"), "{stderr}");
}

#[test]
fn a_protocol_error_exits_3_naming_port_and_waveform() {
    let output = codesign(&["run", "--kernel", "ufunc_i32_no_tlast"]);
    let (_, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(i32::from(exit_codes::RUN_FAILED)), "{stderr}");
    assert!(stderr.contains("protocol error on `out`") && stderr.contains("waveform: "), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn unknown_kernel_lists_the_known_ones() {
    let output = codesign(&["run", "--kernel", "fft"]);
    let (_, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(i32::from(exit_codes::SETUP)));
    assert!(stderr.contains("unknown kernel `fft`") && stderr.contains("ufunc_i32"), "{stderr}");
}

#[test]
fn malformed_config_names_file_line_and_column() {
    let path = temp_config("broken.yaml", "backend: cosim\ncosim:\n  watchdog-cycles: [10\n");
    let output = codesign(&["run", "--config", &path]);
    let (_, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(i32::from(exit_codes::SETUP)));
    assert!(stderr.contains("broken.yaml") && stderr.contains("line") && stderr.contains("column"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn unknown_backend_lists_the_known_ones() {
    let output = codesign(&["run", "--config", &temp_config("board.yaml", "backend: zcu999\n")]);
    let (_, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(i32::from(exit_codes::SETUP)));
    assert!(stderr.contains("unknown backend `zcu999`") && stderr.contains("golden, csim, cosim"), "{stderr}");
}

#[test]
fn missing_config_file_is_a_clear_error() {
    let output = codesign(&["run", "--config", "/nonexistent/codesign.yaml"]);
    let (_, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(i32::from(exit_codes::SETUP)));
    assert!(stderr.contains("/nonexistent/codesign.yaml"), "{stderr}");
}

#[test]
fn kernels_shows_the_manifest() {
    let output = codesign(&["kernels"]);
    let (stdout, _) = text(&output);
    assert_eq!(output.status.code(), Some(0));
    for needle in ["ufunc_i32", "ufunc_call_i4", "out_r_*", "op @ 0x10", "ap_ctrl_hs on s_axi_control", "in  i32"] {
        assert!(stdout.contains(needle), "`{needle}` missing from:\n{stdout}");
    }
}

#[test]
fn bench_sim_runs_both_harnesses_on_the_same_words() {
    let output = codesign(&["bench-sim", "--elements", "20000", "--repeat", "1"]);
    let (stdout, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(0), "{stdout}{stderr}");
    assert!(stdout.contains("C++ testbench") && stdout.contains("Rust harness") && stdout.contains("ratio"), "{stdout}");
}

#[test]
fn board_configs_without_devices_exit_3_naming_the_node_or_library() {
    let root = codesign::workspace_root().join("configs");
    for (file, missing) in [
        ("zynq-zcu104-vadd.yaml", "/dev/uio4"),
        ("xdma-mm.yaml", "/dev/xdma0_user"),
        ("xrt.yaml", "libxrt_coreutil.so"),
    ] {
        let config = root.join(file);
        let started = std::time::Instant::now();
        let output = codesign(&["run", "--config", config.to_str().unwrap()]);
        let (_, stderr) = text(&output);
        // A bound on the whole process (start-up included, on a shared machine), not a hang.
        assert!(started.elapsed() < std::time::Duration::from_secs(5), "{file}: took {:?}", started.elapsed());
        assert_eq!(output.status.code(), Some(i32::from(exit_codes::RUN_FAILED)), "{file}: {stderr}");
        assert!(stderr.contains(missing), "{file}: {stderr}");
    }
}
