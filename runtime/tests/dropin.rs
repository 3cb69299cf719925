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
    // A folder names the golden model it is checked against (none is taken by its name).
    let yaml = yaml.split("\nbench:").next().unwrap().replace("hls:\n  - hls/ufunc_i32.cpp\n", "") + "\ngolden-model: ufunc_i32\n";
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

    // Issue 14, finding 9: build folders of processes that died mid-build go at the next
    // build; those of live processes (pid 1) stay.
    let cache = codesign::dropin::cache_dir();
    let mut child = std::process::Command::new("true").spawn().unwrap();
    let dead = child.id();
    child.wait().unwrap();
    let stale = cache.join(format!("ufunc_i32-0123456789abcdef.tmp-{dead}"));
    let live = cache.join(format!("test-{}-live.tmp-1", std::process::id()));
    std::fs::create_dir_all(stale.join("models")).unwrap();
    std::fs::create_dir_all(&live).unwrap();

    let top = dir.join("rtl/ufunc_i32.v");
    let edited = std::fs::read_to_string(&top).unwrap() + "\n// edited\n";
    std::fs::write(&top, edited).unwrap();
    let (_, built) = load_reporting(&dir).unwrap();
    assert!(built, "editing the RTL rebuilds");
    assert!(!stale.exists(), "the dead process's build folder is removed");
    assert!(live.exists(), "a live process's build folder is left alone");
    std::fs::remove_dir_all(&live).unwrap();
}

#[test]
fn a_broken_folder_is_a_clear_error_and_leaves_no_cache_entry() {
    let dir = kernel_folder("broken");
    std::fs::write(dir.join("rtl/ufunc_i32.v"), "module ufunc_i32(; endmodule\n").unwrap();
    let err = load_reporting(&dir).err().unwrap().to_string();
    assert!(err.contains("verilator failed on top module `ufunc_i32`"), "{err}");
    let cache = codesign::dropin::cache_dir();
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

/// Every file under `root`, relative to it.
fn files_under(root: &std::path::Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut pending = vec![root.to_owned()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else {
                found.push(path.strip_prefix(root).unwrap().to_owned());
            }
        }
    }
    found.sort();
    found
}

/// Issue 14, findings 10 and 9: a copied binary run from an empty folder, with HOME and
/// XDG_CACHE_HOME in a scratch tree, writes its report and waveforms under that folder and
/// its verilated kernel in $XDG_CACHE_HOME/codesign, nothing in the checkout it was built in
/// and nothing else in HOME; then the cached kernel runs with no Verilator to be found.
#[test]
fn a_copied_binary_writes_only_under_its_folder_and_cache() {
    use std::process::Command;

    let root = std::env::temp_dir().join(format!("codesign-copied-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    let (bin, home, xdg, work, empty) = (root.join("bin"), root.join("home"), root.join("xdg"), root.join("work"), root.join("empty-path"));
    for dir in [&bin, &home, &xdg, &work, &empty] {
        std::fs::create_dir_all(dir).unwrap();
    }
    let codesign = bin.join("codesign");
    std::fs::copy(env!("CARGO_BIN_EXE_codesign"), &codesign).unwrap();
    // A config unique to this test, so its name in a report says who wrote the report.
    let config = root.join(format!("copied-binary-{}.yaml", std::process::id()));
    std::fs::write(&config, "backend: cosim\ncosim:\n  trace: vcd\n").unwrap();
    let folder = kernel_folder("copied");
    let checkout_out = codesign::workspace_root().join("target/codesign");

    let run = |args: &[&str], path: &str, verilator: Option<&str>| {
        let mut command = Command::new(&codesign);
        command.current_dir(&work).args(args).args(["--config", config.to_str().unwrap()]);
        for name in ["CARGO_TARGET_DIR", "CODESIGN_OUT", "CODESIGN_CACHE", "CODESIGN_CONFIG", "CODESIGN_TRACE", "VERILATOR"] {
            command.env_remove(name);
        }
        command.env("HOME", &home).env("XDG_CACHE_HOME", &xdg).env("PATH", path);
        if let Some(verilator) = verilator {
            command.env("VERILATOR", verilator);
        }
        let child = command.stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::piped()).spawn().unwrap();
        let pid = child.id();
        let output = child.wait_with_output().unwrap();
        let text = String::from_utf8_lossy(&output.stdout).into_owned() + &String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(0), "{args:?}: {text}");
        (pid, text)
    };
    // Waveforms already in the checkout (earlier runs; their pids may come round again).
    let waves_before = files_under(&checkout_out.join("waves"));
    let path = std::env::var("PATH").unwrap();
    let (library_pid, text) = run(&["run", "--kernel", "ufunc_i32"], &path, None);
    assert!(text.contains("report: target/codesign/report.md"), "{text}");
    let (build_pid, text) = run(&["run", "--kernel-dir", folder.to_str().unwrap()], &path, None);
    assert!(text.contains("| yes"), "{text}");
    // Cached: no Verilator on PATH, and $VERILATOR pointing nowhere.
    let nowhere = root.join("nowhere/verilator");
    let (cached_pid, text) = run(&["run", "--kernel-dir", folder.to_str().unwrap()], empty.to_str().unwrap(), nowhere.to_str());
    assert!(text.contains("| yes"), "{text}");

    let written = files_under(&root);
    let entries: Vec<String> = std::fs::read_dir(xdg.join("codesign/kernels"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("ufunc_i32-") && !n.ends_with(".lock"))
        .collect();
    // The config records waveforms: the library kernel's traced variant, built from its
    // folder on demand, and the folder's, built traced at once (not fast and then traced).
    assert_eq!(entries.len(), 2, "two cache entries: {entries:?}");
    assert!(entries.iter().all(|e| e.starts_with("ufunc_i32-traced-")), "{entries:?}");
    let library = PathBuf::from(format!("xdg/codesign/kernels/{}/libcodesign_ufunc_i32.so", entries[0]));
    assert!(written.contains(&library), "{written:?}");
    for expected in ["work/target/codesign/report.md", "work/target/codesign/run.md"] {
        assert!(written.contains(&PathBuf::from(expected)), "{expected} missing: {written:?}");
    }
    for pid in [library_pid, build_pid, cached_pid] {
        assert!(
            written.iter().any(|f| f.starts_with("work/target/codesign/waves") && f.to_string_lossy().contains(&format!("-{pid}-"))),
            "waveforms of process {pid}: {written:?}"
        );
    }
    let config_name = config.file_name().unwrap();
    let elsewhere: Vec<&PathBuf> = written
        .iter()
        .filter(|f| !f.starts_with("work") && !f.starts_with("xdg/codesign") && *f != &PathBuf::from("bin/codesign"))
        .filter(|f| f.as_os_str() != config_name)
        .collect();
    assert!(elsewhere.is_empty(), "written outside the folder and the cache: {elsewhere:?}");

    // Nothing of these runs in the checkout's output folder or the real user cache.
    let report = std::fs::read_to_string(checkout_out.join("report.md")).unwrap_or_default();
    assert!(!report.contains(config.to_str().unwrap()), "the checkout's report was rewritten");
    for pid in [library_pid, build_pid, cached_pid] {
        let leaked: Vec<_> = files_under(&checkout_out.join("waves"))
            .into_iter()
            .filter(|f| f.to_string_lossy().contains(&format!("-{pid}-")) && !waves_before.contains(f))
            .collect();
        assert!(leaked.is_empty(), "waveforms of process {pid} in the checkout: {leaked:?}");
    }
    for entry in &entries {
        assert!(!checkout_out.join("kernels").join(entry).exists(), "kernel cached in the checkout: {entry}");
    }
    // The library kernel's traced variant has the same key wherever it is built, so other
    // tests may have put it in the real user cache; the folder's own entry is in none.
    let real = codesign::dropin::cache_dir();
    assert!(entries.iter().any(|e| !real.join(e).exists()), "the folder's kernel cached in the real user cache: {entries:?}");
    std::fs::remove_dir_all(&root).unwrap();
}

#[test]
fn a_folder_is_checked_only_against_the_golden_model_it_names() {
    // The same RTL and manifest as ufunc_i32, but no `golden-model:` and no C++: a folder is a
    // user's kernel, whatever its name, so nothing verifies it (instead of our ufunc_i32).
    let dir = kernel_folder("unnamed");
    let yaml = std::fs::read_to_string(dir.join("kernel.yaml")).unwrap().replace("\ngolden-model: ufunc_i32\n", "\n");
    std::fs::write(dir.join("kernel.yaml"), yaml).unwrap();
    let kernel = codesign::Kernel::from_dir(&dir).unwrap();
    let inputs = Values::new().with_i32s("a", &[1, 2]).with_i32s("b", &[3, 4]).with_scalar("op", 0);
    let error = kernel.golden(&inputs).unwrap_err().to_string();
    assert!(error.contains("it names no `golden-model:`"), "{error}");
    // The library kernel of that name still has its golden model.
    assert!(codesign::Kernel::named("ufunc_i32").unwrap().golden(&inputs).is_ok());
}
