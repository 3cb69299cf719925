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

fn check(dir: &Path) -> (Option<i32>, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_codesign"))
        .args(["check", "--kernel-dir", dir.to_str().unwrap()])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&output.stdout).into_owned() + &String::from_utf8_lossy(&output.stderr);
    (output.status.code(), text)
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
