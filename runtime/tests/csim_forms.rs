//! C simulation of out-of-tree kernel folders (issue 13, item 6): the C++-only folders under
//! tests/csim_kernels in each interface form, compiled at run time and checked against the
//! C++'s arithmetic redone here; `run --kernel-dir` on a drop-in copy of ufunc_i32 compared
//! against its own C++ ("reference: csim"); every error path exits 2 and says what to do.
#![allow(clippy::unwrap_used)]

use std::path::PathBuf;
use std::process::{Command, Output};

use codesign::backends::csim::Csim;
use codesign::{Backend, Kernel};
use codesign_models::Values;

/// Raw elements under `name` (bare scalars and arrays travel in `streams` too).
trait WithStream {
    fn with_stream(self, name: &str, elements: Vec<u64>) -> Self;
}

impl WithStream for Values {
    fn with_stream(mut self, name: &str, elements: Vec<u64>) -> Self {
        self.streams.insert(name.to_owned(), elements);
        self
    }
}

fn folder(name: &str) -> PathBuf {
    codesign::workspace_root().join("runtime/tests/csim_kernels").join(name)
}

fn csim(name: &str, inputs: &Values) -> Values {
    let kernel = Kernel::from_cxx_dir(&folder(name)).unwrap();
    Csim.call(&kernel, inputs).unwrap().outputs
}

fn codesign(args: &[&str], env: &[(&str, &str)]) -> (Option<i32>, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_codesign"));
    command.args(args).env_remove("CODESIGN_CONFIG");
    for (k, v) in env {
        command.env(k, v);
    }
    let Output { status, stdout, stderr } = command.output().unwrap();
    (status.code(), String::from_utf8_lossy(&stdout).into_owned() + &String::from_utf8_lossy(&stderr))
}

/// Sign-extended raw bits of an element `bits` wide.
fn signed(raw: u64, bits: u32) -> i64 {
    ((raw << (64 - bits)) as i64) >> (64 - bits)
}

#[test]
fn an_ap_fifo_free_running_kernel_is_called_once_per_sample() {
    let x: Vec<i32> = (0..300).map(|i| i * 7919 - 1_000_000).collect();
    let out = csim("csim_fifo", &Values::new().with_i32s("in", &x));
    let want: Vec<i32> = x.iter().map(|v| v.wrapping_mul(3).wrapping_add(1)).collect();
    assert_eq!(out.i32s("out").unwrap(), want);
}

#[test]
fn axis_structs_get_keep_and_last_and_a_packet_per_call() {
    let x: Vec<u64> = (0..50u64).map(|i| (i * 40_503) & 0xFFFF).collect();
    let out = csim("csim_axis", &Values::new().with_stream("in", x.clone()));
    let mut sum = 0u32;
    let want: Vec<u64> = x
        .iter()
        .map(|&v| {
            sum = sum.wrapping_add(signed(v, 16) as i32 as u32);
            u64::from(sum)
        })
        .collect();
    assert_eq!(out.streams["out"], want, "0xDEADBEEF would mean keep or last was wrong");
}

#[test]
fn arrays_bare_scalars_and_the_return_value_travel_per_transaction() {
    let x: Vec<u64> = (0..24u64).map(|i| ((i * 2_654_435_761) >> 7) & 0xFFFF).collect();
    let gain: Vec<u64> = vec![3, 0xFE, 0x80]; // 3, -2, -128
    let inputs = Values::new().with_stream("x", x.clone()).with_stream("gain", gain.clone());
    let out = csim("csim_arrays", &inputs);
    let (mut y, mut total, mut top) = (Vec::new(), Vec::new(), Vec::new());
    for t in 0..3 {
        let xs: Vec<i64> = x[t * 8..t * 8 + 8].iter().map(|&v| signed(v, 16)).collect();
        let ys: Vec<i32> = xs.iter().enumerate().map(|(i, &v)| (signed(gain[t], 8) * v) as i32 + i as i32).collect();
        total.push(u64::from(ys.iter().fold(0i32, |a, &b| a.wrapping_add(b)) as u32));
        top.push(*xs.iter().max().unwrap() as u64 & 0xFFFF);
        y.extend(ys.iter().map(|&v| u64::from(v as u32)));
    }
    assert_eq!(out.streams["y"], y);
    assert_eq!(out.streams["total"], total);
    assert_eq!(out.streams["ap_return"], top);

    // Transactions must agree: 3 gains but 2 arrays' worth of x.
    let kernel = Kernel::from_cxx_dir(&folder("csim_arrays")).unwrap();
    let short = Values::new().with_stream("x", x[..16].to_vec()).with_stream("gain", gain);
    let err = Csim.call(&kernel, &short).err().unwrap().to_string();
    assert!(err.contains("must describe the same number of transactions"), "{err}");
}

#[test]
fn scalars_by_value_pointer_reference_and_return() {
    let a: Vec<u64> = vec![0, 5, 0x7FF, 0x800, 0xFFF];
    let b: Vec<u64> = vec![0, 0xFFFF, 300, 0x8000, 7];
    let acc: Vec<u64> = vec![1, 2, 0xFFFF_FFFF, 100, 0x7FFF_FFFF];
    let inputs = Values::new().with_stream("a", a.clone()).with_stream("b", b.clone()).with_stream("acc", acc.clone());
    let out = csim("csim_scalars", &inputs);
    for t in 0..a.len() {
        let (sa, sb) = (signed(a[t], 12), signed(b[t], 16));
        let acc_out = (acc[t] as u32 as i32).wrapping_add((sa * sb) as i32);
        assert_eq!(out.streams["acc"][t], u64::from(acc_out as u32), "acc, transaction {t}");
        assert_eq!(out.streams["y"][t], ((sa + sb) as u64) & 0x1FF, "y, transaction {t}");
        assert_eq!(out.streams["ap_return"][t], u64::from((sa - sb) as i32 as u32), "ap_return, transaction {t}");
    }
}

#[test]
fn csim_runs_a_kernel_dir_from_the_cli_and_says_it_is_its_own_reference() {
    let dir = folder("csim_fifo");
    let (code, text) = codesign(&["run", "--kernel-dir", dir.to_str().unwrap(), "--config", "../configs/csim.yaml"], &[]);
    assert_eq!(code, Some(0), "{text}");
    assert!(text.contains("unverified (no golden model; csim is the kernel's own reference)"), "{text}");
    assert!(!text.contains("verilat"), "csim reads only the C++: {text}");
}

#[test]
fn the_errors_say_what_is_missing_and_exit_2() {
    let dir = folder("csim_fifo");
    let run = ["run", "--kernel-dir", dir.to_str().unwrap(), "--config", "../configs/csim.yaml"];
    let (code, text) = codesign(&run, &[("CXX", "/nonexistent/c++")]);
    assert_eq!(code, Some(2), "{text}");
    assert!(text.contains("C simulation needs a C++ compiler: `/nonexistent/c++` was not found"), "{text}");
    assert!(text.contains("ci/setup"), "{text}");

    let empty = std::env::temp_dir().join(format!("codesign-no-ap-types-{}", std::process::id()));
    std::fs::create_dir_all(&empty).unwrap();
    let (code, text) = codesign(&run, &[("CODESIGN_AP_TYPES", empty.to_str().unwrap())]);
    assert_eq!(code, Some(2), "{text}");
    assert!(text.contains("C simulation needs the ap_types headers (ap_int.h)") && text.contains("run ci/setup"), "{text}");

    let broken = folder("csim_broken");
    let (code, text) = codesign(&["run", "--kernel-dir", broken.to_str().unwrap(), "--config", "../configs/csim.yaml"], &[]);
    assert_eq!(code, Some(2), "{text}");
    assert!(text.contains("the HLS C++ does not compile"), "{text}");
    assert!(text.contains("error:") && text.contains("undeclared_name"), "the compiler's first error: {text}");
    let cache = codesign::dropin::cache_dir();
    let leftovers: Vec<_> = std::fs::read_dir(&cache)
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with("csim-csim_broken-") && !e.file_name().to_string_lossy().ends_with(".lock"))
        .collect();
    assert!(leftovers.is_empty(), "a failed build leaves no cache entry: {leftovers:?}");
}

/// A drop-in copy of ufunc_i32 with its C++ and `csim:` section, renamed so that no golden
/// model matches; `edit` changes its C++.
fn dropin_with_cxx(tag: &str, edit: impl Fn(String) -> String) -> PathBuf {
    let source = codesign::workspace_root().join("hw/kernels/ufunc_i32");
    let dir = std::env::temp_dir().join(format!("codesign-csim-ref-{}-{tag}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    for sub in ["rtl", "hls"] {
        std::fs::create_dir_all(dir.join(sub)).unwrap();
        for entry in std::fs::read_dir(source.join(sub)).unwrap() {
            let path = entry.unwrap().path();
            let mut text = std::fs::read_to_string(&path).unwrap();
            if path.extension().is_some_and(|e| e == "cpp") {
                text = edit(text);
            }
            std::fs::write(dir.join(sub).join(path.file_name().unwrap()), text).unwrap();
        }
    }
    let yaml = std::fs::read_to_string(source.join("kernel.yaml")).unwrap();
    let (head, tail) = yaml.split_once("\nbench:").unwrap();
    let csim = &tail[tail.find("\ncsim:").unwrap()..];
    let head = head.replace("name: ufunc_i32", "name: dropin_ufunc");
    // Two small workloads keep the test short.
    let head = head.split("\nworkloads:").next().unwrap().to_owned()
        + "\nworkloads:\n  - { name: add, elements: 300, args: { op: 0 }, seed: 1 }\n  - { name: multiply_edges, elements: 300, args: { op: 2 }, values: edges }";
    std::fs::write(dir.join("kernel.yaml"), head + csim).unwrap();
    dir
}

#[test]
fn run_compares_cosim_against_the_kernels_own_cxx() {
    let dir = dropin_with_cxx("same", |text| text);
    let run = ["run", "--kernel-dir", dir.to_str().unwrap(), "--config", "../configs/cosim.yaml"];
    let (code, text) = codesign(&[&run[..], &["--json"]].concat(), &[]);
    assert_eq!(code, Some(0), "{text}");
    let rows: Vec<serde_json::Value> =
        text.lines().filter(|l| l.starts_with('{')).map(|l| serde_json::from_str(l).unwrap()).collect();
    assert!(rows.len() >= 2, "{text}");
    for row in &rows {
        assert_eq!((row["reference"].as_str(), row["status"].as_str()), (Some("csim"), Some("verified")), "{row}");
    }
    let (code, text) = codesign(&run, &[]);
    assert_eq!(code, Some(0), "{text}");
    assert!(text.contains("| reference |") && text.contains("| csim "), "the table names the reference: {text}");

    // The same RTL against C++ that adds one more: every add row is a mismatch (exit 1).
    let dir = dropin_with_cxx("edited", |text| text.replace("r = x.data + y.data;", "r = x.data + y.data + 1;"));
    let (code, text) = codesign(&["run", "--kernel-dir", dir.to_str().unwrap(), "--config", "../configs/cosim.yaml", "--json"], &[]);
    assert_eq!(code, Some(1), "{text}");
    let add = text.lines().find(|l| l.contains("\"case\":\"add\"")).unwrap();
    assert!(add.contains("\"status\":\"mismatch\"") && add.contains("\"reference\":\"csim\""), "{add}");
    let multiply = text.lines().find(|l| l.contains("\"case\":\"multiply_edges\"")).unwrap();
    assert!(multiply.contains("\"status\":\"verified\""), "{multiply}");
}
