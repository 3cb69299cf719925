//! Model variants (issue 16): the binary links every kernel's fast model; a run that records a
//! waveform or randomises X builds that variant from the kernel's folder on first use, into
//! the kernel cache, once.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// `codesign run --kernel crop` with its own cache and output folder.
fn run_crop(cache: &Path, out: &Path, config: Option<&Path>, trace: Option<&str>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_codesign"));
    command.args(["run", "--kernel", "crop", "--out"]).arg(out);
    if let Some(config) = config {
        command.arg("--config").arg(config);
    }
    command.env_remove("CODESIGN_CONFIG").env_remove("CODESIGN_TRACE").env("CODESIGN_CACHE", cache);
    if let Some(format) = trace {
        command.env("CODESIGN_TRACE", format);
    }
    command.output().unwrap()
}

/// The kernel cache's entries for crop, sorted.
fn crop_entries(cache: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(cache.join("kernels"))
        .map(|dir| dir.flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect())
        .unwrap_or_default();
    names.retain(|n| n.starts_with("crop-") && !n.contains(".tmp-") && !n.ends_with(".lock"));
    names.sort();
    names
}

fn scratch(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("codesign-variants-{test}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn check(output: &Output) -> String {
    let text = String::from_utf8_lossy(&output.stdout).into_owned() + &String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{text}");
    assert!(!text.contains("mismatch"), "{text}");
    text
}

#[test]
fn an_untraced_run_builds_nothing_and_a_traced_one_builds_the_traced_variant_once() {
    let root = scratch("traced");
    let (cache, out) = (root.join("cache"), root.join("out"));
    check(&run_crop(&cache, &out, None, None));
    assert_eq!(crop_entries(&cache), Vec::<String>::new(), "the linked-in fast model served the run");

    check(&run_crop(&cache, &out, None, Some("vcd")));
    let entries = crop_entries(&cache);
    assert_eq!(entries.len(), 1, "{entries:?}");
    assert!(entries[0].starts_with("crop-traced-"), "{entries:?}");
    let waves: Vec<PathBuf> = std::fs::read_dir(out.join("waves")).unwrap().flatten().map(|e| e.path()).collect();
    assert!(!waves.is_empty(), "a waveform per call");
    let vcd = std::fs::read_to_string(&waves[0]).unwrap();
    assert!(vcd.contains("$var") && vcd.contains("ap_clk"), "{}", waves[0].display());

    // A second traced run reuses it.
    check(&run_crop(&cache, &out, None, Some("fst")));
    assert_eq!(crop_entries(&cache), entries);
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn the_x_random_config_runs_the_x_randomised_variant_and_verifies() {
    let root = scratch("x-random");
    let (cache, out) = (root.join("cache"), root.join("out"));
    let config = Path::new(env!("CARGO_MANIFEST_DIR")).join("../configs/cosim-x-random.yaml");
    let text = check(&run_crop(&cache, &out, Some(&config), None));
    assert!(text.contains("verified"), "{text}");
    let entries = crop_entries(&cache);
    assert_eq!(entries.len(), 1, "{entries:?}");
    assert!(entries[0].starts_with("crop-x-random-"), "{entries:?}");
    let _ = std::fs::remove_dir_all(&root);
}
