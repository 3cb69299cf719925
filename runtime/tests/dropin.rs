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
