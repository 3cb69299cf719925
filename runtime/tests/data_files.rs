//! `codesign run --input/--output/--expect/--arg`: data files in and out of one call on the
//! library kernel `ufunc_i32` (cosim), in every file format, and the errors a user meets.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use codesign::io::{read_stream, write_stream};
use codesign_hw::manifest::ElementType;

const A: [i32; 6] = [1, -1, i32::MAX, i32::MIN, 12345, -7];
const B: [i32; 6] = [2, -1, 1, -1, 54321, 7];

fn raw(values: &[i32]) -> Vec<u64> {
    values.iter().map(|&v| u64::from(v as u32)).collect()
}

fn sums() -> Vec<u64> {
    let sums: Vec<i32> = A.iter().zip(B).map(|(a, b)| a.wrapping_add(b)).collect();
    raw(&sums)
}

/// A fresh folder for one test.
fn temp_dir(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("codesign-data-files-{}-{test}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn arg(name: &str, path: &Path) -> String {
    format!("{name}={}", path.display())
}

fn codesign(extra: &[String]) -> (Output, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_codesign"))
        .args(["run", "--config", "../configs/cosim.yaml", "--kernel", "ufunc_i32"])
        .args(extra)
        .env_remove("CODESIGN_CONFIG")
        .output()
        .expect("the codesign binary runs");
    let text = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    (output, text)
}

/// Writes a and b as `.ext`, runs `op=0` with `--output out.ext`, checks out = a + b.
fn add_through(test: &str, ext: &str) {
    let dir = temp_dir(test);
    let (a, b, out) = (dir.join(format!("a.{ext}")), dir.join(format!("b.{ext}")), dir.join(format!("out.{ext}")));
    write_stream(&a, ElementType::I32, &raw(&A)).unwrap();
    write_stream(&b, ElementType::I32, &raw(&B)).unwrap();
    let (output, text) = codesign(&[
        "--input".into(),
        arg("a", &a),
        "--input".into(),
        arg("b", &b),
        "--arg".into(),
        "op=0".into(),
        "--output".into(),
        arg("out", &out),
    ]);
    assert_eq!(output.status.code(), Some(0), "{text}");
    let row = text.lines().find(|l| l.contains("| ufunc_i32")).expect("a table row");
    let cells: Vec<&str> = row.split('|').map(str::trim).collect();
    assert_eq!((cells[2], cells[3], cells[4], cells[9]), ("cosim", "files", "6", "yes"), "{row}");
    assert_eq!(read_stream(&out, ElementType::I32).unwrap(), sums(), "{text}");
}

#[test]
fn npy_in_and_out() {
    add_through("npy", "npy");
}

#[test]
fn csv_in_and_out() {
    add_through("csv", "csv");
}

#[test]
fn raw_in_and_out() {
    add_through("raw", "bin");
}

#[test]
fn dtype_mismatch_names_file_and_both_dtypes() {
    let dir = temp_dir("dtype");
    let (a, b) = (dir.join("a_float.npy"), dir.join("b.npy"));
    write_stream(&a, ElementType::F32, &[0x3f80_0000; 6]).unwrap();
    write_stream(&b, ElementType::I32, &raw(&B)).unwrap();
    let (output, text) =
        codesign(&["--input".into(), arg("a", &a), "--input".into(), arg("b", &b), "--arg".into(), "op=0".into()]);
    assert_eq!(output.status.code(), Some(2), "{text}");
    assert!(text.contains("a_float.npy") && text.contains("`<i4`") && text.contains("`<f4`"), "{text}");
}

#[test]
fn missing_input_is_named() {
    let dir = temp_dir("missing");
    let a = dir.join("a.csv");
    write_stream(&a, ElementType::I32, &raw(&A)).unwrap();
    let (output, text) = codesign(&["--input".into(), arg("a", &a), "--arg".into(), "op=0".into()]);
    assert_eq!(output.status.code(), Some(2), "{text}");
    assert!(text.contains("missing input stream `b`"), "{text}");
}

#[test]
fn unknown_input_and_missing_arg_are_named() {
    let dir = temp_dir("unknown");
    let a = dir.join("a.csv");
    write_stream(&a, ElementType::I32, &raw(&A)).unwrap();
    let (output, text) = codesign(&["--input".into(), arg("c", &a), "--input".into(), arg("a", &a)]);
    assert_eq!(output.status.code(), Some(2), "{text}");
    assert!(text.contains("no input stream `c`") && text.contains("a, b"), "{text}");
    let (output, text) = codesign(&["--input".into(), arg("a", &a), "--input".into(), arg("b", &a)]);
    assert_eq!(output.status.code(), Some(2), "{text}");
    assert!(text.contains("missing argument `op`"), "{text}");
}

#[test]
fn expect_files_are_compared() {
    let dir = temp_dir("expect");
    let (a, b, good, bad) = (dir.join("a.npy"), dir.join("b.npy"), dir.join("good.csv"), dir.join("bad.csv"));
    write_stream(&a, ElementType::I32, &raw(&A)).unwrap();
    write_stream(&b, ElementType::I32, &raw(&B)).unwrap();
    write_stream(&good, ElementType::I32, &sums()).unwrap();
    let mut wrong = sums();
    wrong[3] ^= 1;
    write_stream(&bad, ElementType::I32, &wrong).unwrap();
    let call = |expect: &Path| {
        codesign(&[
            "--input".into(),
            arg("a", &a),
            "--input".into(),
            arg("b", &b),
            "--arg".into(),
            "op=0x0".into(),
            "--expect".into(),
            arg("out", expect),
        ])
    };
    let (output, text) = call(&good);
    assert_eq!(output.status.code(), Some(0), "{text}");
    let (output, text) = call(&bad);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(text.contains("bad.csv") && text.contains("1 of 6 elements differ: [3] expected"), "{text}");
}
