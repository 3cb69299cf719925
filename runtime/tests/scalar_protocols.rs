//! Scalar port protocols on real RTL (issue 13): the fixture vitis_scalar_protocols has an
//! ap_vld input (a), an ap_ack input (b), an ap_hs input (c), an ap_ack output (y), an ap_hs
//! output (z) and an ap_ovld inout (acc), behind bare ap_ctrl_hs and a three-state FSM:
//! state1 reads a (waiting for a_ap_vld), b (b_ap_ack) and acc_i; state2 reads c (waiting for
//! c_ap_vld, c_ap_ack); state3 writes y, z (z_ap_vld until z_ap_ack) and acc_o
//! (acc_o_ap_vld), and raises ap_done with ap_ready. So a transaction takes three cycles.
//!
//! The expected values are the fixture's C++ (hw/fixtures/vitis_scalar_protocols/hls) written
//! out plainly here as the specification.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use codesign::backends::cosim::Cosim;
use codesign::config::{CosimConfig, TraceConfig};
use codesign::{backends, Backend, Config, Kernel, Outcome};
use codesign_models::Values;

const FIXTURE: &str = "vitis_scalar_protocols";
const TRANSACTIONS: usize = 16;
/// One FSM state per handshake group: read a/b/acc, read c, write y/z/acc.
const CYCLES_PER_TRANSACTION: u64 = 3;

fn operands() -> (Vec<i32>, Vec<i32>, Vec<i32>, Vec<i32>) {
    let edges = [0, 1, -1, i32::MAX, i32::MIN, 0x1234_5678, -7];
    let pick = |i: usize, salt: u32| -> i32 {
        if i.is_multiple_of(3) {
            edges[(i / 3 + salt as usize) % edges.len()]
        } else {
            (i as u32).wrapping_mul(0x9E37_79B1).rotate_left(salt) as i32
        }
    };
    let a = (0..TRANSACTIONS).map(|i| pick(i, 0)).collect();
    let b = (0..TRANSACTIONS).map(|i| pick(i, 5)).collect();
    let c = (0..TRANSACTIONS).map(|i| pick(i, 11)).collect();
    let acc = (0..TRANSACTIONS).map(|i| pick(i, 17)).collect();
    (a, b, c, acc)
}

fn raw(values: &[i32]) -> Vec<u64> {
    values.iter().map(|&v| u64::from(v as u32)).collect()
}

/// vitis_scalar_protocols.cpp, wrapping ap_int<32>: y = a + b, z = c - a, acc = acc + a,
/// return b ^ c.
fn spec(a: &[i32], b: &[i32], c: &[i32], acc: &[i32]) -> [(&'static str, Vec<u64>); 4] {
    let n = a.len();
    let y: Vec<i32> = (0..n).map(|i| a[i].wrapping_add(b[i])).collect();
    let z: Vec<i32> = (0..n).map(|i| c[i].wrapping_sub(a[i])).collect();
    let acc: Vec<i32> = (0..n).map(|i| acc[i].wrapping_add(a[i])).collect();
    let ret: Vec<i32> = (0..n).map(|i| b[i] ^ c[i]).collect();
    [("y", raw(&y)), ("z", raw(&z)), ("acc", raw(&acc)), ("ap_return", raw(&ret))]
}

fn inputs() -> Values {
    let (a, b, c, acc) = operands();
    let mut values = Values::new();
    for (name, v) in [("a", &a), ("b", &b), ("c", &c), ("acc", &acc)] {
        values.streams.insert(name.into(), raw(v));
    }
    values
}

fn assert_values(outcome: &Outcome, what: &str) {
    let (a, b, c, acc) = operands();
    for (name, want) in spec(&a, &b, &c, &acc) {
        assert_eq!(outcome.outputs.streams[name], want, "{what}: output `{name}`");
    }
    assert_eq!(outcome.report.transactions.as_ref().map(|t| t.count), Some(TRANSACTIONS), "{what}");
}

fn assert_exact(outcome: &Outcome, what: &str) {
    assert_values(outcome, what);
    let t = outcome.report.transactions.clone().expect("a transaction report");
    assert_eq!((t.latency.min, t.latency.max), (2, 2), "{what}: state1 to state3: {t:?}");
    let interval = t.interval.expect("16 transactions have intervals");
    assert_eq!((interval.min, interval.max), (CYCLES_PER_TRANSACTION, CYCLES_PER_TRANSACTION), "{what}: {t:?}");
    assert_eq!(outcome.report.cycles, Some(TRANSACTIONS as u64 * CYCLES_PER_TRANSACTION), "{what}");
}

#[test]
fn every_protocol_is_bit_exact_per_transaction_at_full_rate_and_under_back_pressure() {
    let kernel = Kernel::fixture(FIXTURE).unwrap();
    let full = backends::open(&Config::builtin("cosim").unwrap()).unwrap().call(&kernel, &inputs()).unwrap();
    assert_exact(&full, "full rate");
    let stressed = Config::builtin("cosim").unwrap().stressed().expect("the cosim config has a stress setting");
    let slow = backends::open(&stressed).unwrap().call(&kernel, &inputs()).unwrap();
    // cosim.stress withholds a_ap_vld/c_ap_vld and y_ap_ack/z_ap_ack on random cycles: the
    // FSM's wait states run, the values stay exact and the transactions take longer.
    assert_values(&slow, "under cosim.stress");
    let t = slow.report.transactions.clone().unwrap();
    assert!(t.interval.as_ref().unwrap().max > CYCLES_PER_TRANSACTION, "some transaction waited: {t:?}");
    assert!(slow.report.cycles.unwrap() > TRANSACTIONS as u64 * CYCLES_PER_TRANSACTION, "{:?}", slow.report.cycles);
}

// The handshakes themselves, read from a VCD of the call: the values the harness saw before
// each rising edge of ap_clk.

/// Per cycle, the 1-bit ports named in `names`, as they were before the rising edge.
fn cycles_from_vcd(vcd: &str, names: &[&str]) -> Vec<HashMap<String, bool>> {
    let mut ids: HashMap<String, String> = HashMap::new();
    for line in vcd.lines().map(str::trim).filter(|l| l.starts_with("$var")) {
        // $var wire 1 <id> <name> $end
        let fields: Vec<&str> = line.split_whitespace().collect();
        if fields.len() >= 5 && fields[2] == "1" && (names.contains(&fields[4]) || fields[4] == "ap_clk") {
            ids.entry(fields[3].to_owned()).or_insert_with(|| fields[4].to_owned());
        }
    }
    let mut now: HashMap<String, bool> = HashMap::new();
    let mut cycles = Vec::new();
    let mut flush = |now: &HashMap<String, bool>| {
        if now.get("ap_clk") == Some(&false) {
            cycles.push(now.clone());
        }
    };
    let mut started = false;
    for line in vcd.lines().map(str::trim) {
        if line.starts_with('#') {
            if started {
                flush(&now);
            }
            started = true;
        } else if let Some(bit @ ('0' | '1')) = line.chars().next() {
            if let Some(name) = ids.get(&line[1..]) {
                now.insert(name.clone(), bit == '1');
            }
        }
    }
    flush(&now);
    cycles
}

#[test]
fn each_handshake_happens_once_per_transaction_in_the_fsm_order() {
    std::env::remove_var("CODESIGN_TRACE");
    let config = CosimConfig { trace: TraceConfig::Vcd, ..CosimConfig::default() };
    let outcome = Cosim::new(config).call(&Kernel::fixture(FIXTURE).unwrap(), &inputs()).unwrap();
    assert_exact(&outcome, "traced");
    let path = outcome.report.waveform.expect("a traced call names its waveform");
    let vcd = std::fs::read_to_string(&path).unwrap();
    let names = [
        "ap_start", "ap_done", "ap_ready", "a_ap_vld", "b_ap_ack", "c_ap_vld", "c_ap_ack", "y_ap_ack", "z_ap_vld",
        "z_ap_ack", "acc_o_ap_vld",
    ];
    let cycles = cycles_from_vcd(&vcd, &names);
    let high = |c: &HashMap<String, bool>, name: &str| *c.get(name).unwrap_or_else(|| panic!("{name} not in {}", path.display()));
    let at = |name: &str| -> Vec<usize> { (0..cycles.len()).filter(|&i| high(&cycles[i], name)).collect() };
    // b is read (acknowledged) in state1, only with ap_start and a_ap_vld high.
    let reads = at("b_ap_ack");
    assert_eq!(reads.len(), TRANSACTIONS, "one b_ap_ack per transaction: {reads:?}");
    for &i in &reads {
        assert!(high(&cycles[i], "ap_start") && high(&cycles[i], "a_ap_vld"), "cycle {i}: b read without a");
    }
    // c the next cycle, offered and acknowledged; then the outputs and ap_done the cycle after.
    assert_eq!(at("c_ap_ack"), reads.iter().map(|i| i + 1).collect::<Vec<_>>());
    assert!(at("c_ap_ack").iter().all(|&i| high(&cycles[i], "c_ap_vld")), "c_ap_ack only while c_ap_vld");
    let writes: Vec<usize> = reads.iter().map(|i| i + 2).collect();
    for name in ["ap_done", "ap_ready", "acc_o_ap_vld", "z_ap_vld"] {
        assert_eq!(at(name), writes, "{name}");
    }
    assert!(writes.iter().all(|&i| high(&cycles[i], "z_ap_ack") && high(&cycles[i], "y_ap_ack")), "outputs taken");
    // Back to back: each transaction starts the cycle after the previous ap_done.
    assert!(reads.windows(2).all(|w| w[1] - w[0] == CYCLES_PER_TRANSACTION as usize), "{reads:?}");
}

// The command line, and RTL variants that break a handshake (copies in a temp folder).

fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../hw/fixtures").join(FIXTURE)
}

fn scratch(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("codesign-scalars-{test}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn run(kernel_dir: &Path, out: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_codesign"))
        .args(["run", "--kernel-dir", kernel_dir.to_str().unwrap(), "--json", "--out", out.to_str().unwrap()])
        .env_remove("CODESIGN_CONFIG")
        .env_remove("CODESIGN_TRACE")
        .output()
        .expect("the codesign binary runs")
}

#[test]
fn run_verifies_every_row_against_csim_at_full_rate_and_under_back_pressure() {
    let out = scratch("run");
    let output = run(&fixture_dir(), &out);
    let (stdout, stderr) = (String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    assert!(output.status.success(), "{stdout}\n{stderr}");
    let rows: Vec<serde_json::Value> = stdout.lines().map(|l| serde_json::from_str(l).expect(l)).collect();
    let cases: Vec<&str> = rows.iter().map(|r| r["case"].as_str().unwrap()).collect();
    assert_eq!(cases, ["handshakes", "handshakes +bp"], "{stdout}");
    for row in &rows {
        assert_eq!(row["verified"], true, "{row}");
        assert_eq!(row["reference"], "csim", "{row}");
        let full_rate = TRANSACTIONS as u64 * CYCLES_PER_TRANSACTION;
        let cycles = row["cycles"].as_u64().unwrap();
        if row["case"] == "handshakes" {
            assert_eq!(cycles, full_rate, "{row}");
        } else {
            assert!(cycles > full_rate, "the handshakes stalled under back-pressure: {row}");
        }
    }
}

/// A copy of the fixture whose RTL has `from` replaced by `to` (which must occur once).
fn variant(test: &str, from: &str, to: &str) -> PathBuf {
    let dir = scratch(test).join(FIXTURE);
    for sub in ["rtl", "hls"] {
        std::fs::create_dir_all(dir.join(sub)).unwrap();
        for entry in std::fs::read_dir(fixture_dir().join(sub)).unwrap() {
            let entry = entry.unwrap();
            std::fs::copy(entry.path(), dir.join(sub).join(entry.file_name())).unwrap();
        }
    }
    std::fs::copy(fixture_dir().join("kernel.yaml"), dir.join("kernel.yaml")).unwrap();
    let rtl = dir.join("rtl").join(format!("{FIXTURE}.v"));
    let text = std::fs::read_to_string(&rtl).unwrap();
    assert_eq!(text.matches(from).count(), 1, "{from}");
    std::fs::write(&rtl, text.replace(from, to)).unwrap();
    dir
}

/// A run that fails as a backend error (exit 3) on both rows; its stderr.
fn run_error(dir: &Path) -> String {
    let output = run(dir, &dir.join("../out"));
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(output.status.code(), Some(3), "{stderr}");
    stderr
}

#[test]
fn an_input_never_acknowledged_is_a_run_error_naming_its_ack_port() {
    for (port, arg, protocol) in [("b_ap_ack", "b", "ap_ack"), ("c_ap_ack", "c", "ap_hs")] {
        // The read still happens (state1/state2 advance), only the acknowledge is cut.
        let dir = variant(&format!("noack-{arg}"), &format!("        {port} = 1'b1;"), &format!("        {port} = 1'b0;"));
        let stderr = run_error(&dir);
        assert_eq!(stderr.matches(&format!("protocol error on `{port}` at cycle")).count(), 2, "{protocol}: both rows\n{stderr}");
        let expected = format!("input `{arg}`: 16 of its 16 values never acknowledged ({port}) though all 16 transactions");
        assert_eq!(stderr.matches(&expected).count(), 2, "{protocol}: both rows\n{stderr}");
    }
}

#[test]
fn a_spurious_ap_done_is_a_protocol_error_naming_ap_done() {
    // ap_done also pulses in state2, before the transaction's ap_ready; or whenever the
    // kernel is idle (state1, ap_start low), before the first transaction and after the last.
    for (test, extra) in [("spurious-state2", "ap_CS_fsm_state2"), ("spurious-idle", "ap_CS_fsm_state1 & ~ap_start")] {
        let dir = variant(
            test,
            "        ap_done = 1'b1;\n    end else begin\n        ap_done = 1'b0;",
            &format!("        ap_done = 1'b1;\n    end else begin\n        ap_done = {extra};"),
        );
        let stderr = run_error(&dir);
        assert_eq!(stderr.matches("protocol error on `ap_done`").count(), 2, "{test}: both rows\n{stderr}");
        assert!(stderr.contains("with no transaction open (more ap_done pulses than ap_ready)"), "{test}\n{stderr}");
    }
}

#[test]
fn init_drafts_each_handshaken_port_once_and_the_draft_runs_verified() {
    // The export alone (rtl/ and hls/), as Vitis leaves it: no kernel.yaml.
    let dir = scratch("init").join("export");
    for sub in ["rtl", "hls"] {
        std::fs::create_dir_all(dir.join(sub)).unwrap();
        for entry in std::fs::read_dir(fixture_dir().join(sub)).unwrap() {
            let entry = entry.unwrap();
            std::fs::copy(entry.path(), dir.join(sub).join(entry.file_name())).unwrap();
        }
    }
    let out = dir.join("../out");
    let output = Command::new(env!("CARGO_BIN_EXE_codesign"))
        .args(["init", "--kernel-dir", dir.to_str().unwrap(), "--out", out.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let draft = std::fs::read_to_string(dir.join("kernel.yaml")).unwrap();
    for (name, protocol, direction) in [
        ("a", "ap_vld", "in"),
        ("b", "ap_ack", "in"),
        ("c", "ap_hs", "in"),
        ("y", "ap_ack", "out"),
        ("z", "ap_hs", "out"),
        ("acc, rtl: acc", "ap_ovld", "inout"),
    ] {
        let entry = format!("{{ name: {name}, protocol: {protocol}, width: 32, direction: {direction}, element: i32 }}");
        assert_eq!(draft.matches(&entry).count(), 1, "{entry}\n{draft}");
        let first = name.split(',').next().unwrap();
        assert_eq!(draft.matches(&format!("name: {first},")).count(), 1, "`{first}` listed once\n{draft}");
    }
    assert!(draft.contains("args: [a, b, c, y, z, acc]"), "a csim section\n{draft}");
    let output = run(&dir, &out);
    let (stdout, stderr) = (String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    assert!(output.status.success(), "{stdout}\n{stderr}");
    assert!(stdout.lines().all(|l| l.contains("\"verified\":true") && l.contains("\"reference\":\"csim\"")), "{stdout}");
}

#[test]
fn an_input_acknowledged_twice_in_a_transaction_is_a_protocol_error() {
    // b_ap_ack also high in state2: the kernel "takes" b a second time in every transaction,
    // which would consume the next transaction's value early.
    let dir = variant(
        "double-ack",
        "    if (((1'b1 == ap_CS_fsm_state1) & (1'b0 == ap_block_state1))) begin\n        b_ap_ack = 1'b1;",
        "    if (((1'b1 == ap_CS_fsm_state1) & (1'b0 == ap_block_state1)) | (1'b1 == ap_CS_fsm_state2)) begin\n        b_ap_ack = 1'b1;",
    );
    let stderr = run_error(&dir);
    assert_eq!(stderr.matches("protocol error on `b_ap_ack` at cycle").count(), 2, "both rows\n{stderr}");
    assert!(stderr.contains("input `b`: b_ap_ack rose with no value offered, after 1 value(s) were taken"), "{stderr}");
}
