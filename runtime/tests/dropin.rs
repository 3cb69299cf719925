//! Out-of-tree kernels: a kernel folder written to a temp dir (a copy of ufunc_i32's manifest
//! and non-ANSI RTL with its register slices) is verilated at run time, runs on cosim through
//! the trait, is cached (the second load runs no Verilator), and rebuilds when its RTL changes.
#![allow(clippy::unwrap_used)]

use std::path::PathBuf;

use codesign::backends::cosim::Cosim;
use codesign::config::CosimConfig;
use codesign::dropin::load_reporting;
use codesign::Backend;
use codesign_models::Values;

/// A fresh out-of-tree copy; `salt` makes its bytes (and so its cache key) unique to this run.
fn kernel_folder(name: &str) -> PathBuf {
    let source = codesign::workspace_root().join("hw/kernels/ufunc_i32");
    let salt = format!("// out-of-tree copy {} {:?}\n", std::process::id(), std::time::SystemTime::now());
    let dir = std::env::temp_dir().join(format!("codesign-dropin-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("rtl")).unwrap();
    let yaml = std::fs::read_to_string(source.join("kernel.yaml")).unwrap();
    let yaml = yaml.split("\nbench:").next().unwrap().replace("hls:\n  - hls/ufunc_i32.cpp\n", "");
    std::fs::write(dir.join("kernel.yaml"), yaml).unwrap();
    for entry in std::fs::read_dir(source.join("rtl")).unwrap() {
        let path = entry.unwrap().path();
        let text = salt.clone() + &std::fs::read_to_string(&path).unwrap();
        std::fs::write(dir.join("rtl").join(path.file_name().unwrap()), text).unwrap();
    }
    dir
}

#[test]
fn runs_through_the_trait_and_is_cached_until_the_rtl_changes() {
    let dir = kernel_folder("cache");
    let (kernel, built) = load_reporting(&dir).unwrap();
    assert!(built, "the first load verilates");
    let a: Vec<i32> = (0..100).collect();
    let inputs = Values::new().with_i32s("a", &a).with_i32s("b", &a).with_scalar("op", 2);
    let outcome = Cosim::new(CosimConfig::default()).call(&kernel, &inputs).unwrap();
    let want: Vec<i32> = a.iter().map(|x| x * x).collect();
    assert_eq!(outcome.outputs.i32s("out").unwrap(), want);
    assert_eq!(outcome.report.cycles, Some(106), "N + 6, as the in-tree kernel");

    let (_, built) = load_reporting(&dir).unwrap();
    assert!(!built, "the second load reuses the cache: no Verilator call");

    let top = dir.join("rtl/ufunc_i32.v");
    let edited = std::fs::read_to_string(&top).unwrap() + "\n// edited\n";
    std::fs::write(&top, edited).unwrap();
    let (_, built) = load_reporting(&dir).unwrap();
    assert!(built, "editing the RTL rebuilds");
}

#[test]
fn a_broken_folder_is_a_clear_error_and_leaves_no_cache_entry() {
    let dir = kernel_folder("broken");
    std::fs::write(dir.join("rtl/ufunc_i32.v"), "module ufunc_i32(; endmodule\n").unwrap();
    let err = load_reporting(&dir).err().unwrap().to_string();
    assert!(err.contains("verilator failed on top module `ufunc_i32`"), "{err}");
    let cache = codesign::report::output_dir().join("kernels");
    let leftovers: Vec<_> = std::fs::read_dir(&cache)
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().contains(&format!(".tmp-{}", std::process::id())))
        .collect();
    assert!(leftovers.is_empty(), "no half-built folder remains");
}

/// The must-show through the binary: an out-of-tree folder runs with .npy in and out,
/// then through bench-sim with a back-pressure profile.
#[test]
fn the_cli_runs_a_folder_with_npy_files_and_benches_it() {
    use codesign::io::{read_stream, write_stream};
    use codesign_hw::manifest::ElementType;
    use std::process::Command;

    let dir = kernel_folder("cli");
    let data = std::env::temp_dir().join(format!("codesign-dropin-{}-cli-data", std::process::id()));
    std::fs::create_dir_all(&data).unwrap();
    let a: Vec<u64> = (0..50u64).map(|i| (i * 7) as u32 as u64).collect();
    let b: Vec<u64> = (0..50u64).map(|i| (i as i32 - 25) as u32 as u64).collect();
    write_stream(&data.join("a.npy"), ElementType::I32, &a).unwrap();
    write_stream(&data.join("b.npy"), ElementType::I32, &b).unwrap();
    let out = data.join("out.npy");
    let codesign = env!("CARGO_BIN_EXE_codesign");
    let run = Command::new(codesign)
        .args(["run", "--config", "../configs/cosim.yaml", "--kernel-dir", dir.to_str().unwrap()])
        .args(["--input", &format!("a={}", data.join("a.npy").display())])
        .args(["--input", &format!("b={}", data.join("b.npy").display()), "--arg", "op=1"])
        .args(["--output", &format!("out={}", out.display())])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&run.stdout).into_owned() + &String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(0), "{text}");
    let got = read_stream(&out, ElementType::I32).unwrap();
    let want: Vec<u64> = a.iter().zip(&b).map(|(&x, &y)| (x as u32).wrapping_sub(y as u32) as u64).collect();
    assert_eq!(got, want);

    let config = data.join("stalls.yaml");
    std::fs::write(&config, "backend: cosim\ncosim:\n  backpressure:\n    inputs: 20\n    outputs: { duty: { active: 3, paused: 1 } }\n").unwrap();
    let bench = Command::new(codesign)
        .args(["bench-sim", "--kernel-dir", dir.to_str().unwrap(), "--config", config.to_str().unwrap()])
        .args(["--elements", "20000", "--repeat", "1"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&bench.stdout).into_owned() + &String::from_utf8_lossy(&bench.stderr);
    assert_eq!(bench.status.code(), Some(0), "{text}");
    assert!(text.contains("M cycles/s") && text.contains("Duty"), "{text}");

    // perf on the folder: bless into a scratch baseline file, then the gate passes.
    let baselines = data.join("cycles.yaml");
    let perf = |extra: &[&str]| {
        let output = Command::new(codesign)
            .args(["perf", "--kernel-dir", dir.to_str().unwrap(), "--baselines", baselines.to_str().unwrap()])
            .args(extra)
            // perf counts cosim cycles, whatever config the suite runs under.
            .env_remove("CODESIGN_CONFIG")
            .output()
            .unwrap();
        (output.status.code(), String::from_utf8_lossy(&output.stdout).into_owned() + &String::from_utf8_lossy(&output.stderr))
    };
    let (code, text) = perf(&[]);
    assert_eq!(code, Some(i32::from(codesign::cli::exit_codes::PERF_REGRESSION)), "no baseline yet: {text}");
    let (code, text) = perf(&["--bless"]);
    assert_eq!(code, Some(0), "{text}");
    let (code, text) = perf(&[]);
    assert_eq!(code, Some(0), "{text}");
    assert!(std::fs::read_to_string(&baselines).unwrap().contains("kernel: ufunc_i32"));
}
