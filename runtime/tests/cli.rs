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
    // Six workloads (three random, three edge-value), each at full rate and again under
    // back-pressure (`+bp`).
    assert_eq!(rows.len(), 12, "{stdout}");
    assert_eq!(rows.iter().filter(|r| r.contains(" +bp ")).count(), 6, "{stdout}");
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
    // Golden has no stress run: the six workloads once each.
    assert_eq!(rows.iter().filter(|r| r["kernel"] == "ufunc_i32").count(), 6, "{stdout}");
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
    assert!(stdout.contains("NO: stream `out`: 64 of 64 elements differ: [0] expected"), "op 1 is wrong: {stdout}");
    // subtract, at full rate and under back-pressure; add passes both ways.
    assert!(stderr.contains("2 of 4 case(s) failed"), "{stderr}");
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
    assert!(stdout.contains("-O3 --x-assign fast --x-initial fast"), "the fast flags are printed: {stdout}");
    assert!(!stdout.contains("--trace"), "nothing traced: {stdout}");
}

/// A kernel folder with its own `bench:` testbench (compiled into the folder's shared
/// library) is compared with it, at full rate and under back-pressure, on identical outputs.
#[test]
fn bench_sim_compares_a_kernel_folder_with_its_own_testbench() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../hw/examples/tiny_stream");
    let output = codesign(&["bench-sim", "--kernel-dir", dir, "--elements", "5000", "--repeat", "1"]);
    let (stdout, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(0), "{stdout}{stderr}");
    assert_eq!(stdout.matches("C++ testbench").count(), 2, "full rate and back-pressure: {stdout}");
    assert_eq!(stdout.matches("ratio Rust / C++").count(), 2, "{stdout}");
    assert!(stdout.contains("back-pressure: one cycle in 4"), "{stdout}");
    assert!(stdout.contains("--x-assign fast --x-initial fast"), "{stdout}");
}

/// Issue 14, finding 4: `run --output` into a folder that does not exist is exit 2 before the
/// inputs are even read (the call used to run first).
#[test]
fn run_output_in_a_missing_folder_exits_2_before_any_work() {
    let out = std::env::temp_dir().join(format!("codesign-cli-{}-absent", std::process::id())).join("out.npy");
    let output = codesign(&[
        "run", "--config", "../configs/golden.yaml", "--kernel", "ufunc_i32", "--input", "a=/nonexistent/a.npy",
        "--input", "b=/nonexistent/b.npy", "--arg", "op=0", "--output", &format!("out={}", out.display()),
    ]);
    let (stdout, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(i32::from(exit_codes::SETUP)), "{stdout}{stderr}");
    assert!(stderr.contains("out.npy") && stderr.contains("absent does not exist"), "{stderr}");
}

/// Finding 4: `perf --bless` into a folder that does not exist is exit 2 before measuring.
#[test]
fn perf_bless_into_a_missing_folder_exits_2_before_measuring() {
    let baselines = std::env::temp_dir().join(format!("codesign-cli-{}-absent", std::process::id())).join("cycles.yaml");
    let output = codesign(&["perf", "--kernel", "ufunc_i32", "--bless", "--baselines", baselines.to_str().unwrap()]);
    let (stdout, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(i32::from(exit_codes::SETUP)), "{stdout}{stderr}");
    assert!(stderr.contains("cycles.yaml") && stderr.contains("absent does not exist"), "{stderr}");
    assert!(!stdout.contains("| ufunc_i32"), "nothing was measured: {stdout}");
}

/// Finding 4 and 10: an output folder (`--out`) that cannot be made is exit 2 before any
/// work, on every command that writes the report.
#[test]
fn an_output_folder_that_cannot_be_made_exits_2() {
    let file = temp_config("not-a-folder", "a file\n");
    let out = format!("{file}/out");
    for args in [
        vec!["run", "--config", "../configs/golden.yaml", "--kernel", "ufunc_i32"],
        vec!["perf", "--kernel", "ufunc_i32"],
        vec!["sweep", "--kernel", "ufunc_i32", "--sizes", "1"],
    ] {
        let output = codesign(&[&args[..], &["--out", &out]].concat());
        let (stdout, stderr) = text(&output);
        assert_eq!(output.status.code(), Some(i32::from(exit_codes::SETUP)), "{args:?}: {stdout}{stderr}");
        assert!(stderr.contains(&format!("output {out}")), "{args:?}: {stderr}");
        assert!(!stdout.contains("| ufunc_i32"), "{args:?} ran: {stdout}");
    }
}

/// Finding 10: `--out DIR` and `$CODESIGN_OUT` put the report where asked.
#[test]
fn out_and_codesign_out_choose_the_output_folder() {
    let base = std::env::temp_dir().join(format!("codesign-cli-{}-out", std::process::id()));
    let _ = std::fs::remove_dir_all(&base);
    let by_flag = base.join("flag");
    let output = codesign(&["run", "--config", "../configs/golden.yaml", "--kernel", "ufunc_i32", "--out", by_flag.to_str().unwrap()]);
    let (stdout, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(0), "{stdout}{stderr}");
    assert!(stdout.contains(&format!("report: {}", by_flag.join("report.md").display())), "{stdout}");
    assert!(std::fs::read_to_string(by_flag.join("report.md")).unwrap().contains("| ufunc_i32"));

    let by_env = base.join("env");
    let output = Command::new(env!("CARGO_BIN_EXE_codesign"))
        .args(["run", "--config", "../configs/golden.yaml", "--kernel", "ufunc_i32"])
        .env("CODESIGN_OUT", &by_env)
        .output()
        .unwrap();
    let (stdout, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(0), "{stdout}{stderr}");
    assert!(by_env.join("report.md").is_file() && by_env.join("run.md").is_file(), "{stdout}");
    std::fs::remove_dir_all(&base).unwrap();
}

/// Finding 10: from the workspace root, the report is `target/codesign/report.md` of the
/// workspace, printed relative as the README shows.
#[test]
fn from_the_workspace_root_the_report_is_target_codesign() {
    let root = codesign::workspace_root();
    let output = Command::new(env!("CARGO_BIN_EXE_codesign"))
        .current_dir(&root)
        .args(["run", "--config", "configs/golden.yaml", "--kernel", "ufunc_i32"])
        .env_remove("CODESIGN_OUT")
        .env_remove("CARGO_TARGET_DIR")
        .output()
        .unwrap();
    let (stdout, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(0), "{stdout}{stderr}");
    assert!(stdout.contains("report: target/codesign/report.md\n"), "{stdout}");
    assert!(root.join("target/codesign/report.md").is_file());
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

#[test]
fn a_closed_output_pipe_ends_the_command_quietly() {
    use std::os::unix::process::ExitStatusExt;
    // The reading end is closed before the command writes a byte (`codesign kernels | true`).
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let output = Command::new(env!("CARGO_BIN_EXE_codesign"))
        .arg("kernels")
        .stdout(writer)
        .stderr(std::process::Stdio::piped())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(output.status.signal(), Some(13), "ended by SIGPIPE, as `ls | true` is: {:?}", output.status);
}
