//! `codesign check --kernel-dir`: out-of-tree kernel folders (copies of ufunc_i32 written to a
//! temp dir, then broken one way each) give one distinct, readable error per problem.
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::process::Command;

use codesign::cli::exit_codes;

/// Copies hw/kernels/ufunc_i32 (manifest + RTL) to a fresh temp folder, editing the manifest
/// and the top RTL file with `manifest` and `rtl`.
fn kernel_copy(name: &str, manifest: impl Fn(String) -> String, rtl: impl Fn(String) -> String) -> PathBuf {
    let source = codesign::workspace_root().join("hw/kernels/ufunc_i32");
    let dir = std::env::temp_dir().join(format!("codesign-check-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("rtl")).unwrap();
    let yaml = std::fs::read_to_string(source.join("kernel.yaml")).unwrap();
    // Out of tree: no HLS, bench or csim files come along.
    let yaml = yaml.split("\nbench:").next().unwrap().to_owned();
    let yaml = yaml.replace("hls:\n  - hls/ufunc_i32.cpp\n", "");
    std::fs::write(dir.join("kernel.yaml"), manifest(yaml)).unwrap();
    for entry in std::fs::read_dir(source.join("rtl")).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let text = if path.file_name().unwrap() == "ufunc_i32.v" { rtl(text) } else { text };
        std::fs::write(dir.join("rtl").join(path.file_name().unwrap()), text).unwrap();
    }
    dir
}

/// `codesign <command> --kernel-dir DIR <extra>` with `env` set: exit code and all output.
fn on_folder(command: &str, dir: &Path, extra: &[&str], env: &[(&str, &str)]) -> (Option<i32>, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_codesign"))
        .args([command, "--kernel-dir", dir.to_str().unwrap()])
        .args(extra)
        .envs(env.iter().copied())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&output.stdout).into_owned() + &String::from_utf8_lossy(&output.stderr);
    (output.status.code(), text)
}

fn check(dir: &Path) -> (Option<i32>, String) {
    on_folder("check", dir, &[], &[])
}

/// Every command that takes `--kernel-dir`, with arguments that keep it short.
fn commands(dir: &Path) -> Vec<(&'static str, Vec<String>)> {
    let baselines = dir.join("cycles.yaml").display().to_string();
    vec![
        ("run", vec![]),
        ("perf", vec!["--baselines".into(), baselines]),
        ("bench-sim", vec!["--elements".into(), "100".into(), "--repeat".into(), "1".into()]),
    ]
}

/// Bytes unique to this process and moment, so a copy's cache key is new (it must verilate).
fn salted(rtl: String) -> String {
    format!("// {} {:?}\n{rtl}", std::process::id(), std::time::SystemTime::now())
}

#[test]
fn an_intact_copy_passes() {
    let dir = kernel_copy("intact", |m| m, |r| r);
    let (code, text) = check(&dir);
    assert_eq!(code, Some(0), "{text}");
    assert!(text.contains("manifest and RTL agree"), "{text}");
}

#[test]
fn a_missing_tready_is_named_with_the_ports_like_it() {
    let dir = kernel_copy("tready", |m| m, |r| r.replace("out_r_TREADY", "out_r_TRDY"));
    let (code, text) = check(&dir);
    assert_eq!(code, Some(i32::from(exit_codes::SETUP)), "{text}");
    assert!(text.contains("1 problem(s)"), "only the missing port: {text}");
    assert!(text.contains("missing port `out_r_TREADY` (stream `out`"), "{text}");
    assert!(text.contains("did you mean out_r_TRDY?"), "the misnamed port is suggested: {text}");
    assert!(!text.contains("panicked"), "{text}");
}

#[test]
fn a_tdata_width_that_disagrees_with_the_manifest() {
    let dir = kernel_copy("width", |m| m.replace("direction: out, element: i32", "direction: out, element: i16"), |r| r);
    let (code, text) = check(&dir);
    assert_eq!(code, Some(i32::from(exit_codes::SETUP)), "{text}");
    assert!(text.contains("port `out_r_TDATA` is 32 bit(s) wide, the manifest needs 16 (stream `out`: 1 x i16)"), "{text}");
    assert!(text.contains("port `out_r_TKEEP` is 4 bit(s) wide, the manifest needs 2"), "{text}");
}

#[test]
fn an_argument_offset_clash() {
    let dir = kernel_copy("offsets", |m| m.replace("args:\n", "args:\n  - { name: scale, offset: 0x14, width: 32 }\n"), |r| r);
    let (code, text) = check(&dir);
    assert_eq!(code, Some(i32::from(exit_codes::SETUP)), "{text}");
    assert!(text.contains("arg `op` at 0x10 overlaps arg `scale`") || text.contains("overlaps arg"), "{text}");
    assert!(text.contains("kernel.yaml"), "{text}");
}

#[test]
fn problems_are_listed_together() {
    let dir = kernel_copy(
        "several",
        |m| m.replace("direction: out, element: i32", "direction: out, element: i64"),
        |r| r.replace("a_TVALID", "a_TVLD"),
    );
    let (code, text) = check(&dir);
    assert_eq!(code, Some(i32::from(exit_codes::SETUP)), "{text}");
    assert!(text.contains("missing port `a_TVALID`") && text.contains("`out_r_TDATA` is 32 bit(s)"), "{text}");
}

/// Finding 2 of issue 14: `run`, `perf` and `bench-sim` check the manifest against the RTL's
/// ports before compiling anything, as `check` does, instead of running (and verifying!) a
/// kernel whose 16-bit output sits on a 32-bit TDATA.
#[test]
fn every_kernel_dir_command_refuses_a_folder_check_rejects() {
    let dir = kernel_copy("width-run", |m| m.replace("direction: out, element: i32", "direction: out, element: i16"), salted);
    for (command, extra) in commands(&dir) {
        let extra: Vec<&str> = extra.iter().map(String::as_str).collect();
        let (code, text) = on_folder(command, &dir, &extra, &[]);
        assert_eq!(code, Some(i32::from(exit_codes::SETUP)), "{command}: {text}");
        assert!(text.contains("3 problem(s) between"), "{command}: {text}");
        assert!(text.contains("port `out_r_TDATA` is 32 bit(s) wide, the manifest needs 16"), "{command}: {text}");
        assert!(!text.contains("| yes") && !text.contains("cycles/s"), "{command} ran: {text}");
    }
}

/// Finding 4 of issue 14: a folder whose port is misnamed is a setup error (exit 2) naming
/// the port on every command, not a run failure.
#[test]
fn a_misnamed_port_exits_2_on_every_command() {
    let dir = kernel_copy("misnamed-run", |m| m, |r| salted(r.replace("out_r_TREADY", "out_r_TRDY")));
    for (command, extra) in commands(&dir) {
        let extra: Vec<&str> = extra.iter().map(String::as_str).collect();
        let (code, text) = on_folder(command, &dir, &extra, &[]);
        assert_eq!(code, Some(i32::from(exit_codes::SETUP)), "{command}: {text}");
        assert!(text.contains("missing port `out_r_TREADY`") && text.contains("did you mean out_r_TRDY?"), "{command}: {text}");
    }
}

/// Finding 4: RTL listed in the manifest but missing is exit 2 on `run` and `check`.
#[test]
fn missing_rtl_exits_2() {
    let dir = kernel_copy("missing-rtl", |m| m, salted);
    std::fs::remove_file(dir.join("rtl/ufunc_i32.v")).unwrap();
    for command in ["run", "check"] {
        let (code, text) = on_folder(command, &dir, &[], &[]);
        assert_eq!(code, Some(i32::from(exit_codes::SETUP)), "{command}: {text}");
        assert!(text.contains("ufunc_i32.v") && text.contains("kernel folder"), "{command}: {text}");
        assert!(!text.contains("panicked"), "{text}");
    }
}

/// Finding 4: a Verilog syntax error is exit 2 with Verilator's diagnostics.
#[test]
fn a_verilog_syntax_error_exits_2() {
    let dir = kernel_copy("syntax", |m| m, |_| salted("module ufunc_i32(; endmodule\n".to_owned()));
    for command in ["run", "check"] {
        let (code, text) = on_folder(command, &dir, &[], &[]);
        assert_eq!(code, Some(i32::from(exit_codes::SETUP)), "{command}: {text}");
        assert!(text.contains("verilator failed on top module `ufunc_i32`"), "{command}: {text}");
    }
}

/// Finding 4: without Verilator a folder that is not cached yet is exit 2 saying how to get it.
#[test]
fn no_verilator_exits_2() {
    let dir = kernel_copy("no-verilator", |m| m, salted);
    let nowhere = std::env::temp_dir().join(format!("codesign-check-{}-nowhere/verilator", std::process::id()));
    for command in ["run", "check"] {
        let (code, text) = on_folder(command, &dir, &[], &[("VERILATOR", nowhere.to_str().unwrap())]);
        assert_eq!(code, Some(i32::from(exit_codes::SETUP)), "{command}: {text}");
        assert!(text.contains("Verilator was not found") && text.contains("ci/setup"), "{command}: {text}");
    }
}

#[test]
fn a_folder_of_parameter_sets_is_checked_and_run_set_by_set() {
    // Two sets of one copy: `wide` as the RTL is, `narrow` declaring i16 elements on 32-bit
    // TDATA (a problem of that set only).
    let sets = "\nparameter-sets:\n  wide: { description: \"the RTL as it is\" }\n  narrow:\n    description: \"i16 on 32-bit ports\"\n";
    let dir = kernel_copy("sets", |m| m + sets, salted);
    let (code, text) = check(&dir);
    assert_eq!(code, Some(0), "{text}");
    assert!(text.contains("ufunc_i32_wide: manifest and RTL agree") && text.contains("ufunc_i32_narrow: manifest and RTL agree"), "{text}");
    let (_, rows) = on_folder("run", &dir, &["--json"], &[]);
    for kernel in ["ufunc_i32_wide", "ufunc_i32_narrow"] {
        assert!(rows.contains(&format!("\"kernel\":\"{kernel}\"")), "every set runs: {rows}");
    }
    let narrow = "    streams:\n      - { name: a, rtl: a, direction: in, element: i16 }\n      - { name: b, rtl: b, direction: in, element: i32 }\n      - { name: out, rtl: out_r, direction: out, element: i32 }\n";
    let dir = kernel_copy("sets-broken", |m| m + sets + narrow, |r| r);
    let (code, text) = check(&dir);
    assert_eq!(code, Some(i32::from(exit_codes::SETUP)), "{text}");
    assert!(text.contains("ufunc_i32_wide: manifest and RTL agree"), "the intact set passes: {text}");
    assert!(text.contains("ufunc_i32_narrow") && text.contains("a_TDATA"), "the broken set is named with its port: {text}");
}

#[test]
fn bench_sim_says_when_its_scaling_left_the_arguments_behind() {
    // stencil5 reads width x height words whatever it is sent: scaled to other element counts
    // with its grid arguments kept, it stops early (or waits), and that is bench-sim's doing.
    let dir = codesign::workspace_root().join("hw/kernels/stencil5");
    for elements in ["5000", "1000"] {
        let (code, text) = on_folder("bench-sim", &dir, &["--elements", elements, "--repeat", "1"], &[]);
        assert_eq!(code, Some(i32::from(exit_codes::SETUP)), "{text}");
        assert!(text.contains(&format!("scaled workload `grid_64x48` from 3072 to {elements} elements")), "{text}");
        assert!(text.contains("(height: 48, width: 64)") && text.contains("run with --elements 3072"), "{text}");
    }
    let (code, text) = on_folder("bench-sim", &dir, &["--elements", "3072", "--repeat", "1"], &[]);
    assert_eq!(code, Some(0), "{text}");
    assert!(text.contains("bench-sim stencil5_q16_16") && text.contains("bench-sim stencil5_q8_8"), "both sets: {text}");
}
