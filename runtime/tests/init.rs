//! `codesign init`: every vitis_* fixture laid out as a self-contained export (every RTL file in
//! rtl/, the C++ in hls/, no kernel.yaml), then `init`, `check` and `run` with no edit to the
//! written manifest; and the folders init refuses, with exit 2.
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::process::Command;

use codesign::cli::exit_codes;
use codesign_hw::Manifest;

/// hw/fixtures/`fixture` as a user's export: its RTL (with the library files its manifest
/// lists) in rtl/, its C++ and the library C++ it calls in hls/, under a folder named after it.
fn export_folder(fixture: &str, library_hls: Option<&str>) -> PathBuf {
    export_folder_for("run", fixture, library_hls)
}

/// [`export_folder`] under a folder of its own for test `case` (tests may share a process).
fn export_folder_for(case: &str, fixture: &str, library_hls: Option<&str>) -> PathBuf {
    let root = codesign::workspace_root();
    let source = root.join("hw/fixtures").join(fixture);
    let dir = std::env::temp_dir().join(format!("codesign-init-{}-{case}", std::process::id())).join(format!("user_{fixture}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("rtl")).unwrap();
    std::fs::create_dir_all(dir.join("hls")).unwrap();
    let manifest = Manifest::load(&source.join("kernel.yaml")).unwrap();
    let listed = codesign_verilate::expand_rtl(&source, &manifest.rtl).unwrap();
    let own: Vec<PathBuf> = std::fs::read_dir(source.join("rtl")).unwrap().map(|e| e.unwrap().path()).collect();
    for file in listed.iter().chain(&own) {
        std::fs::copy(file, dir.join("rtl").join(file.file_name().unwrap())).unwrap();
    }
    let mut hls: Vec<PathBuf> = std::fs::read_dir(source.join("hls")).unwrap().map(|e| e.unwrap().path()).collect();
    if let Some(kernel) = library_hls {
        hls.extend(std::fs::read_dir(root.join("hw/kernels").join(kernel).join("hls")).unwrap().map(|e| e.unwrap().path()));
    }
    for file in hls {
        std::fs::copy(&file, dir.join("hls").join(file.file_name().unwrap())).unwrap();
    }
    dir
}

fn codesign(args: &[&str]) -> (Option<i32>, String) {
    let out = std::env::temp_dir().join(format!("codesign-init-out-{}", std::process::id()));
    let output = Command::new(env!("CARGO_BIN_EXE_codesign")).args(args).arg("--out").arg(out).output().unwrap();
    let text = String::from_utf8_lossy(&output.stdout).into_owned() + &String::from_utf8_lossy(&output.stderr);
    (output.status.code(), text)
}

/// The rows `run --json` printed.
fn json_rows(text: &str) -> Vec<serde_json::Value> {
    text.lines().filter(|l| l.starts_with('{')).map(|l| serde_json::from_str(l).unwrap()).collect()
}

/// `init`, `check` and `run` on the export of `fixture`, with no edit to the written manifest:
/// on csim the C++ runs (it is its own reference), and on cosim every case, at full rate and
/// under back-pressure, is compared element by element against that C++: a kernel folder names
/// no golden model, so the C++ is its only reference, as for a user's export.
fn init_check_run(fixture: &str, library_hls: Option<&str>) {
    let dir = export_folder(fixture, library_hls);
    let d = dir.to_str().unwrap();
    let (code, text) = codesign(&["init", "--kernel-dir", d]);
    assert_eq!(code, Some(0), "{text}");
    let written = std::fs::read_to_string(dir.join("kernel.yaml")).unwrap();
    let manifest = Manifest::parse(&dir.join("kernel.yaml"), &written).unwrap();
    assert_eq!(manifest.top, fixture);
    assert_eq!(manifest.name, format!("user_{fixture}"));
    assert!(written.contains("csim:\n  top:"), "the C++ top was found: {written}");
    let (code, text) = codesign(&["check", "--kernel-dir", d]);
    assert_eq!(code, Some(0), "{text}\n{written}");

    let csim = codesign::workspace_root().join("configs/csim.yaml");
    let (code, text) = codesign(&["run", "--kernel-dir", d, "--config", csim.to_str().unwrap(), "--json"]);
    assert_eq!(code, Some(0), "{text}\n{written}");
    let rows = json_rows(&text);
    assert!(!rows.is_empty(), "{text}");
    for row in &rows {
        assert_eq!((row["backend"].as_str(), row["status"].as_str()), (Some("csim"), Some("unverified")), "{row}\n{written}");
        assert!(row["detail"].as_str().unwrap().contains("csim is the kernel's own reference"), "{row}");
    }

    let cosim = codesign::workspace_root().join("configs/cosim.yaml");
    let (code, text) = codesign(&["run", "--kernel-dir", d, "--config", cosim.to_str().unwrap(), "--json"]);
    assert_eq!(code, Some(0), "{text}\n{written}");
    let rows = json_rows(&text);
    assert!(rows.len() >= 2 && rows.iter().any(|r| r["case"].as_str().unwrap().ends_with("+bp")), "full rate and back-pressure: {text}");
    for row in &rows {
        assert_eq!(
            (row["backend"].as_str(), row["reference"].as_str(), row["status"].as_str()),
            (Some("cosim"), Some("csim"), Some("verified")),
            "{row}\n{written}"
        );
    }
}

#[test]
fn the_free_running_tlast_export_runs_as_written() {
    init_check_run("vitis_none_tlast", None);
}

#[test]
fn the_free_running_stream_export_runs_as_written() {
    init_check_run("vitis_none_stream", None);
}

#[test]
fn the_bare_pipelined_export_runs_as_written() {
    init_check_run("vitis_hs_pipelined", None);
}

#[test]
fn the_fifo_export_runs_as_written() {
    init_check_run("vitis_fifo", None);
}

#[test]
fn the_memory_export_runs_as_written() {
    init_check_run("vitis_memory", None);
}

#[test]
fn the_keep0_export_runs_as_written() {
    init_check_run("vitis_keep0", None);
}

#[test]
fn the_rom_export_runs_as_written() {
    init_check_run("vitis_rom_lookup", None);
}

#[test]
fn the_deadlock_monitor_export_runs_as_written() {
    init_check_run("vitis_deadlock_monitor", Some("ufunc_i32"));
}

#[test]
fn the_floating_point_ip_export_runs_as_written() {
    init_check_run("vitis_fp_ip", Some("ufunc_f32"));
}

const SETUP: Option<i32> = Some(exit_codes::SETUP as i32);

fn folder(case: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("codesign-init-{}-{case}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    for (name, text) in files {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn d(dir: &Path) -> &str {
    dir.to_str().unwrap()
}

#[test]
fn two_candidate_tops_are_listed_and_top_picks_one() {
    let module = |n: &str| format!("module {n} (input ap_clk, input ap_rst, input [7:0] x, output [7:0] y);\nassign y = x;\nendmodule\n");
    let dir = folder("tops", &[("rtl/a.v", &module("a")), ("rtl/b.v", &module("b"))]);
    let (code, text) = codesign(&["init", "--kernel-dir", d(&dir)]);
    assert_eq!(code, SETUP, "{text}");
    assert!(text.contains("candidates (modules nobody instantiates) are a, b; give --top"), "{text}");
    let (code, text) = codesign(&["init", "--kernel-dir", d(&dir), "--top", "b"]);
    assert_eq!(code, Some(0), "{text}");
    let written = std::fs::read_to_string(dir.join("kernel.yaml")).unwrap();
    assert!(written.contains("top: b\n") && written.contains("control: { protocol: ap_ctrl_none }"), "{written}");
    assert!(written.contains("- { name: x, protocol: ap_none, width: 8, element: u8 }   # guess:"), "{written}");
    assert!(written.contains("# note: ports not described by any rule: y"), "{written}");
}

#[test]
fn an_existing_manifest_is_kept_unless_forced() {
    let dir = folder("force", &[("rtl/a.v", "module a (input ap_clk, input ap_rst_n);\nendmodule\n"), ("kernel.yaml", "mine\n")]);
    let (code, text) = codesign(&["init", "--kernel-dir", d(&dir)]);
    assert_eq!(code, SETUP, "{text}");
    assert!(text.contains("kernel.yaml exists already (give --force to overwrite it)"), "{text}");
    assert_eq!(std::fs::read_to_string(dir.join("kernel.yaml")).unwrap(), "mine\n");
    let (code, text) = codesign(&["init", "--kernel-dir", d(&dir), "--force"]);
    assert_eq!(code, Some(0), "{text}");
    assert!(std::fs::read_to_string(dir.join("kernel.yaml")).unwrap().contains("top: a\n"));
}

#[test]
fn a_folder_without_verilog_is_refused() {
    let dir = folder("empty", &[("notes.txt", "nothing here\n")]);
    let (code, text) = codesign(&["init", "--kernel-dir", d(&dir)]);
    assert_eq!(code, SETUP, "{text}");
    assert!(text.contains("no Verilog (.v, .sv) in any of: rtl, syn/verilog, impl/verilog"), "{text}");
    let (code, text) = codesign(&["init", "--kernel-dir", "/nonexistent/codesign-init"]);
    assert_eq!(code, SETUP, "{text}");
}

#[test]
fn the_reports_beside_an_export_give_top_clock_latency_and_ii() {
    let dir = export_folder_for("reports", "vitis_fifo", None);
    let d = dir.to_str().unwrap();
    std::fs::create_dir_all(dir.join("syn/report")).unwrap();
    std::fs::write(
        dir.join("syn/report/csynth.xml"),
        "<profile><UserAssignments><TopModelName>vitis_fifo</TopModelName></UserAssignments>\
         <PerformanceEstimates><SummaryOfOverallLatency><Best-caseLatency>70</Best-caseLatency></SummaryOfOverallLatency>\
         <SummaryOfLoopLatency><words><PipelineII>1</PipelineII></words></SummaryOfLoopLatency></PerformanceEstimates></profile>",
    )
    .unwrap();
    std::fs::create_dir_all(dir.join("impl/ip")).unwrap();
    std::fs::write(
        dir.join("impl/ip/component.xml"),
        "<spirit:component xmlns:spirit=\"http://www.spiritconsortium.org/XMLSchema/SPIRIT/1685-2009\">\
         <spirit:vendor>xilinx.com</spirit:vendor><spirit:library>hls</spirit:library><spirit:name>vitis_fifo</spirit:name>\
         <spirit:busInterfaces><spirit:busInterface><spirit:name>ap_clk</spirit:name><spirit:parameters>\
         <spirit:parameter><spirit:name>FREQ_HZ</spirit:name><spirit:value spirit:id=\"BUSIFPARAM_VALUE.AP_CLK.FREQ_HZ\">250000000.0</spirit:value></spirit:parameter>\
         </spirit:parameters></spirit:busInterface></spirit:busInterfaces></spirit:component>",
    )
    .unwrap();
    let (code, text) = codesign(&["init", "--kernel-dir", d]);
    assert_eq!(code, Some(0), "{text}");
    let written = std::fs::read_to_string(dir.join("kernel.yaml")).unwrap();
    assert!(written.contains("  ii: 1   # guess: csynth.xml's first PipelineII\n"), "{written}");
    assert!(written.contains("  latency: 6   # guess: csynth.xml's best-case latency 70 less II x 64 iterations\n"), "{written}");
    assert!(written.contains("  clock-mhz: 250\n"), "component.xml's FREQ_HZ: {written}");
    assert!(written.contains("elements: 64,"), "the C++ loop's trip count: {written}");
    let (code, text) = codesign(&["check", "--kernel-dir", d]);
    assert_eq!(code, Some(0), "{text}\n{written}");
}

#[test]
fn a_draft_that_does_not_load_is_kept_and_said() {
    // The report says ap_ctrl_none while the RTL has s_axi_control with an interrupt: the
    // export contradicts itself and the draft cannot be a valid manifest.
    let dir = export_folder_for("contradiction", "vitis_fifo", None);
    std::fs::create_dir_all(dir.join("syn/report")).unwrap();
    std::fs::write(
        dir.join("syn/report/csynth.xml"),
        "<profile><InterfaceSummary><RtlPorts><name>ap_clk</name><Type>return value</Type><Protocol>ap_ctrl_none</Protocol></RtlPorts></InterfaceSummary></profile>",
    )
    .unwrap();
    let (code, text) = codesign(&["init", "--kernel-dir", dir.to_str().unwrap()]);
    assert_eq!(code, SETUP, "{text}");
    assert!(text.contains("wrote kernel.yaml, but it does not load:"), "{text}");
    assert!(std::fs::read_to_string(dir.join("kernel.yaml")).unwrap().contains("protocol: ap_ctrl_none"), "kept for editing");
}
