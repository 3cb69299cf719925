//! Issue 13, files: the vitis_* fixtures copied out of tree (their `../../kernels/` paths made
//! absolute) and run or checked as a user would: `$readmemh` data beside the RTL whatever the
//! working directory, include files, Vitis's simulation-only monitors, Floating-Point Operator
//! IP; and each broken one way, refused by `check` and `run` with exit 2 and a line naming the
//! file (and RTL line) before anything is verilated.
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::process::Command;

use codesign::cli::exit_codes;

/// A copy of hw/fixtures/`fixture` in a fresh temp folder, its manifest edited by `manifest`.
fn fixture_copy(fixture: &str, case: &str, manifest: impl Fn(String) -> String) -> PathBuf {
    let root = codesign::workspace_root();
    let source = root.join("hw/fixtures").join(fixture);
    let dir = std::env::temp_dir().join(format!("codesign-vitis-files-{}-{case}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    copy_dir(&source, &dir);
    let yaml = std::fs::read_to_string(dir.join("kernel.yaml")).unwrap();
    let yaml = yaml.replace("../../kernels/", &format!("{}/", root.join("hw/kernels").display()));
    std::fs::write(dir.join("kernel.yaml"), manifest(yaml)).unwrap();
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            std::fs::copy(&path, &target).unwrap();
        }
    }
}

/// `codesign <command> --kernel-dir DIR` run in `cwd`: exit code and all output.
fn on_folder(command: &str, dir: &Path, cwd: &Path) -> (Option<i32>, String) {
    let out = std::env::temp_dir().join(format!("codesign-vitis-files-out-{}", std::process::id()));
    let output = Command::new(env!("CARGO_BIN_EXE_codesign"))
        .args([command, "--kernel-dir", dir.to_str().unwrap()])
        .args(if command == "run" { vec!["--out", out.to_str().unwrap()] } else { vec![] })
        .current_dir(cwd)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&output.stdout).into_owned() + &String::from_utf8_lossy(&output.stderr);
    (output.status.code(), text)
}

const SETUP: Option<i32> = Some(exit_codes::SETUP as i32);

/// Both commands refuse `dir` with exit 2 and a message containing `want`, without a panic.
fn refused(dir: &Path, want: &str) {
    for command in ["check", "run"] {
        let (code, text) = on_folder(command, dir, dir);
        assert_eq!(code, SETUP, "{command}: {text}");
        assert!(text.contains(want), "{command} should say `{want}`: {text}");
        assert!(!text.contains("panicked") && !text.contains("%Error"), "refused before Verilator ran: {text}");
    }
}

#[test]
fn the_rom_kernel_reads_its_data_beside_the_rtl_whatever_the_working_directory() {
    let dir = fixture_copy("vitis_rom_lookup", "rom", |m| m);
    // A decoy of the same name in the working directory: a model that resolved
    // "./vitis_rom_lookup_table_ROM_AUTO_1R.dat" against its cwd would read these zeros.
    let elsewhere = dir.with_extension("cwd");
    std::fs::create_dir_all(&elsewhere).unwrap();
    std::fs::write(elsewhere.join("vitis_rom_lookup_table_ROM_AUTO_1R.dat"), "00000000\n".repeat(256)).unwrap();
    let (code, text) = on_folder("run", &dir, &elsewhere);
    assert_eq!(code, Some(0), "{text}");
    let verified = text.lines().filter(|l| l.starts_with("| vitis_rom_lookup") && l.contains("| yes      |")).count();
    assert_eq!(verified, 4, "every case bit-exact against the golden model: {text}");
}

#[test]
fn a_missing_data_file_is_named_with_the_rtl_line() {
    let dir = fixture_copy("vitis_rom_lookup", "no-dat", |m| m);
    std::fs::remove_file(dir.join("rtl/vitis_rom_lookup_table_ROM_AUTO_1R.dat")).unwrap();
    refused(&dir, "vitis_rom_lookup_table_ROM_AUTO_1R.v:24: data file `./vitis_rom_lookup_table_ROM_AUTO_1R.dat` of `$readmemh` not found next to the RTL");
}

#[test]
fn a_malformed_data_file_is_named_with_its_line() {
    let dir = fixture_copy("vitis_rom_lookup", "bad-dat", |m| m);
    let data = dir.join("rtl/vitis_rom_lookup_table_ROM_AUTO_1R.dat");
    let text = std::fs::read_to_string(&data).unwrap().replacen("9e3779b1", "9e37g9b1", 1);
    std::fs::write(&data, text).unwrap();
    refused(&dir, "line 2: `9e37g9b1` is not a hex value");
}

#[test]
fn a_glob_matching_nothing_is_named() {
    let dir = fixture_copy("vitis_rom_lookup", "glob", |m| m.replace("  - rtl/*.v ", "  - verilog/*.v "));
    refused(&dir, "rtl: `verilog/*.v` matches no file");
}

#[test]
fn includes_resolve_beside_the_rtl_or_in_include_dirs_and_a_missing_one_is_named() {
    let dir = fixture_copy("vitis_deadlock_monitor", "include", |m| m);
    let (code, text) = on_folder("check", &dir, &dir);
    assert_eq!(code, Some(0), "the include beside the RTL is found, the monitor left out: {text}");

    std::fs::create_dir_all(dir.join("inc")).unwrap();
    std::fs::rename(dir.join("rtl/vitis_deadlock_monitor_keep.vh"), dir.join("inc/vitis_deadlock_monitor_keep.vh")).unwrap();
    refused(&dir, "vitis_deadlock_monitor.v:105: `include \"vitis_deadlock_monitor_keep.vh\" not found");

    let yaml = std::fs::read_to_string(dir.join("kernel.yaml")).unwrap();
    std::fs::write(dir.join("kernel.yaml"), yaml.replace("clock: ap_clk", "include-dirs: [inc, rtl]\nclock: ap_clk")).unwrap();
    let (code, text) = on_folder("check", &dir, &dir);
    assert_eq!(code, Some(0), "found through include-dirs: {text}");
}

#[test]
fn an_unclosed_translate_off_is_named() {
    let dir = fixture_copy("vitis_deadlock_monitor", "translate", |m| m);
    let top = dir.join("rtl/vitis_deadlock_monitor.v");
    let text = std::fs::read_to_string(&top).unwrap().replace("// synthesis translate_on\n", "");
    std::fs::write(&top, text).unwrap();
    refused(&dir, "vitis_deadlock_monitor.v:158: `translate_off` is never closed by `translate_on`");
}

#[test]
fn floating_point_ip_without_a_behavioural_unit_is_named() {
    let dir = fixture_copy("vitis_fp_ip", "fp-divide", |m| m);
    let ip = dir.join("rtl/ufunc_f32_fmul_32ns_32ns_32_3_max_dsp_1_ip.v");
    let text = std::fs::read_to_string(&ip).unwrap().replace(".C_HAS_MULTIPLY(1)", ".C_HAS_MULTIPLY(0)").replace(".C_HAS_DIVIDE(0)", ".C_HAS_DIVIDE(1)");
    std::fs::write(&ip, text).unwrap();
    refused(&dir, "`ufunc_f32_fmul_32ns_32ns_32_3_max_dsp_1_ip`: this floating_point_v7_1 operation has no behavioural unit");
}

#[test]
fn verilator_args_are_appended_to_verilators_command_line() {
    let dir = fixture_copy("vitis_deadlock_monitor", "args", |m| m.replace("clock: ap_clk", "verilator-args: [--no-such-option]\nclock: ap_clk"));
    let (code, text) = on_folder("check", &dir, &dir);
    assert_eq!(code, SETUP, "{text}");
    assert!(text.contains("--no-such-option"), "Verilator saw the argument: {text}");
}

#[test]
fn each_files_problem_is_its_own_line() {
    let dir = fixture_copy("vitis_rom_lookup", "two-problems", |m| m);
    std::fs::remove_file(dir.join("rtl/vitis_rom_lookup_table_ROM_AUTO_1R.dat")).unwrap();
    let top = dir.join("rtl/vitis_rom_lookup.v");
    std::fs::write(&top, format!("`include \"nowhere.vh\"\n{}", std::fs::read_to_string(&top).unwrap())).unwrap();
    refused(&dir, "2 problems with the RTL files:\n  ");
    let (_, text) = on_folder("check", &dir, &dir);
    assert!(text.contains("vitis_rom_lookup.v:1: `include \"nowhere.vh\" not found") && text.contains("ROM_AUTO_1R.v:24: data file"), "{text}");
}
