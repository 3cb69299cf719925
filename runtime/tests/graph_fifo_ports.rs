//! HLS `ap_fifo` streams as graph connections in cosim (issue 13): the fixture vitis_fifo
//! (ap_fifo in and out, 64 words per call) between library kernels with AXI4-Stream ports,
//! bit-exact against a spec written here and about one cycle per element; and a copy of its
//! RTL that reads its input FIFO while empty, a protocol error naming the instance's port.
//! The graphs are written to a scratch folder and load the fixture with `Graph::load_with`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use codesign::backends::cosim::Cosim;
use codesign::config::CosimConfig;
use codesign::graph::Graph;
use codesign::{Backend, Error, Kernel};
use codesign_models::Values;

/// The fixture's words per call.
const N: usize = 64;

/// A scratch folder under target/ removed on drop.
struct Dir(PathBuf);

impl Dir {
    fn new(tag: &str) -> Dir {
        let path = codesign::report::output_dir().join("test-graphs").join(format!("fifo-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).unwrap();
        Dir(path)
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn load(dir: &Dir, yaml: &str, kernels: &[Kernel]) -> Kernel {
    let path = dir.0.join("g.yaml");
    std::fs::write(&path, yaml).unwrap();
    Graph::load_with(&path, kernels).unwrap()
}

/// (a + b) -> running sum times 3 (vitis_fifo, ap_fifo both sides) -> the 8 x 8 grid's
/// interior: the ap_fifo input fed by a kernel's AXI4-Stream output, the ap_fifo output
/// feeding one. (crop counts its words from its arguments: an ap_fifo carries no TLAST, so
/// every word it hands an AXI4-Stream port ends a packet.)
const BETWEEN: &str = "name: fifo_between
description: crop(running_sum((a + b) * 3))
kernels:
  add:  { kernel: ufunc_i32, args: { op: 0 } }
  acc:  { kernel: vitis_fifo, args: { k: 3 } }
  crop: { kernel: crop, args: { width: 8, height: 8 } }
inputs: [a, b]
outputs: [y]
connections:
  - { from: a, to: add.a, depth: 2 }
  - { from: b, to: add.b, depth: 2 }
  - { from: add.out, to: acc.in, depth: 2 }
  - { from: acc.out, to: crop.in, depth: 2 }
  - { from: crop.out, to: y }
";

/// vitis_fifo alone between the host's feeder and drain: ap_fifo ports on graph ports.
const ALONE: &str = "name: fifo_alone
description: running_sum(x * 7)
kernels:
  acc: { kernel: vitis_fifo, args: { k: 7 } }
inputs: [x]
outputs: [y]
connections:
  - { from: x, to: acc.in, depth: 2 }
  - { from: acc.out, to: y }
";

/// vitis_fifo's C++: acc += in[i] * k; out[i] = acc (wrapping i32).
fn fifo_spec(input: &[i32], k: i32) -> Vec<i32> {
    input
        .iter()
        .scan(0i32, |acc, &v| {
            *acc = acc.wrapping_add(v.wrapping_mul(k));
            Some(*acc)
        })
        .collect()
}

/// crop's C++: the words of a row-major `width`-wide grid off its border.
fn interior(grid: &[i32], width: usize) -> Vec<i32> {
    let height = grid.len() / width;
    (1..height - 1).flat_map(|r| grid[r * width + 1..(r + 1) * width - 1].to_vec()).collect()
}

/// Mixed signs and magnitudes large enough for the sums and products to wrap.
fn data(seed: i32) -> Vec<i32> {
    (0..N as i32).map(|i| (i ^ seed).wrapping_mul(2_654_435_761u32 as i32) >> (i % 7)).collect()
}

#[test]
fn ap_fifo_nodes_between_axis_kernels_are_exact_at_one_word_per_cycle() {
    let (a, b, x) = (data(1), data(2), data(4));
    let sums: Vec<i32> = a.iter().zip(&b).map(|(p, q)| p.wrapping_add(*q)).collect();
    let between = interior(&fifo_spec(&sums, 3), 8);
    assert_eq!(between.len(), 36);
    let cases = [
        ("between", BETWEEN, Values::new().with_i32s("a", &a).with_i32s("b", &b), between, 3usize),
        ("alone", ALONE, Values::new().with_i32s("x", &x), fifo_spec(&x, 7), 1),
    ];
    let fixture = [Kernel::fixture("vitis_fifo").unwrap()];
    for (tag, yaml, values, want, stages) in cases {
        let dir = Dir::new(tag);
        let graph = load(&dir, yaml, &fixture);
        let outcome = Cosim::new(CosimConfig::default()).call(&graph, &values).unwrap();
        assert_eq!(outcome.outputs.i32s("y").unwrap(), want, "{tag}: bit-exact against the spec");
        let report = &outcome.report;
        let cycles = report.cycles.unwrap();
        eprintln!("{tag}: {cycles} cycles for {N} words; stages {:?}; connections {:?}", report.stages, report.connections);
        // The stages overlap at one word per cycle: the count plus the pipelines' fill and
        // the done handshakes, not a multiple of the count.
        assert!(cycles >= N as u64 && cycles < N as u64 + 40, "{tag}: {cycles} cycles for {N} words");
        assert_eq!(report.stages.len(), stages);
        for connection in &report.connections {
            assert_eq!(connection.transfers, N as u64, "{tag}: {connection:?}");
            assert!(connection.high_water <= connection.depth, "{tag}: {connection:?}");
        }
    }
}

/// A copy of hw/fixtures/vitis_fifo in `dir` whose RTL is edited by `edit` (a new model: the
/// model cache is keyed by the sources).
fn mutant(dir: &Path, edit: impl Fn(String) -> String) -> Kernel {
    let source = codesign::workspace_root().join("hw/fixtures/vitis_fifo");
    for sub in ["rtl", "hls"] {
        std::fs::create_dir_all(dir.join(sub)).unwrap();
        for entry in std::fs::read_dir(source.join(sub)).unwrap() {
            let path = entry.unwrap().path();
            std::fs::copy(&path, dir.join(sub).join(path.file_name().unwrap())).unwrap();
        }
    }
    std::fs::copy(source.join("kernel.yaml"), dir.join("kernel.yaml")).unwrap();
    let rtl = dir.join("rtl/vitis_fifo.v");
    let text = std::fs::read_to_string(&rtl).unwrap();
    let edited = edit(text.clone());
    assert_ne!(edited, text, "the edit applies to the fixture's RTL");
    std::fs::write(&rtl, edited).unwrap();
    Kernel::from_dir(dir).unwrap()
}

/// Each way a kernel breaks the ap_fifo rules: (case, RTL line, its replacement, the depth
/// of `acc.out -> crop.in`, the port named, the message).
const BROKEN: [(&str, &str, &str, u32, &str, &str); 2] = [
    // `_read` whenever the loop runs, without waiting for `_empty_n`: `acc` is started
    // before its producer, on an empty input.
    (
        "read-empty",
        "assign in_r_read   = (ap_enable_pp0_iter0 == 1'b1) & (ap_block_pp0_stage0 == 1'b0);",
        "assign in_r_read   = (ap_enable_pp0_iter0 == 1'b1);",
        2,
        "acc.in",
        "ap_fifo: the kernel read an empty FIFO (_read high while _empty_n low, before word 0)",
    ),
    // `_write` whenever a result is due, without waiting for `_full_n`: a FIFO of depth 1
    // is full every other cycle.
    (
        "write-full",
        "assign out_r_write = (ap_enable_reg_pp0_iter1 == 1'b1) & (ap_block_pp0_stage0 == 1'b0);",
        "assign out_r_write = (ap_enable_reg_pp0_iter1 == 1'b1);",
        1,
        "acc.out",
        "ap_fifo: the kernel wrote a full FIFO (_write high while _full_n low",
    ),
];

#[test]
fn a_node_breaking_the_ap_fifo_rules_is_a_protocol_error_naming_the_port() {
    let values = Values::new().with_i32s("a", &data(1)).with_i32s("b", &data(2));
    for (case, line, broken, depth, want_port, want) in BROKEN {
        let dir = Dir::new(case);
        let kernel = mutant(&dir.0.join("kernel"), |v| v.replace(line, broken));
        let yaml = BETWEEN.replace("to: crop.in, depth: 2", &format!("to: crop.in, depth: {depth}"));
        let graph = load(&dir, &yaml, &[kernel]);
        let error = Cosim::new(CosimConfig::default()).call(&graph, &values).unwrap_err();
        let Error::Protocol { kernel, port, cycle, message } = &error else { panic!("{case}: expected a protocol error, got: {error}") };
        assert_eq!((kernel.as_str(), port.as_str()), ("fifo_between/acc", want_port), "{case}: {error}");
        assert!(message.contains(want), "{case}: {message}");
        // Not at reset: once `acc` runs.
        assert!(*cycle > 8, "{case}: {error}");
    }
}

#[test]
fn a_full_ap_fifo_whose_consumer_stopped_is_a_deadlock_naming_the_connection() {
    // crop takes 8 x 4 words and is done; acc still has 32 to write into a FIFO of 2.
    let yaml = BETWEEN.replace("width: 8, height: 8", "width: 8, height: 4");
    let dir = Dir::new("jam");
    let graph = load(&dir, &yaml, &[Kernel::fixture("vitis_fifo").unwrap()]);
    let values = Values::new().with_i32s("a", &data(1)).with_i32s("b", &data(2));
    let config = CosimConfig { watchdog_cycles: 500, ..CosimConfig::default() };
    let error = Cosim::new(config).call(&graph, &values).unwrap_err();
    let Error::Deadlock { connection, message, .. } = &error else { panic!("expected a deadlock, got: {error}") };
    assert_eq!(connection, "acc.out -> crop.in", "{error}");
    assert!(message.contains("its FIFO is full (2 of 2 beats) and its producer waits"), "{message}");
}

#[test]
fn ap_memory_arrays_stay_refused_in_graphs() {
    let yaml = "name: with_array
description: vitis_fifo beside a kernel with ap_memory arrays
kernels:
  acc: { kernel: vitis_fifo, args: { k: 1 } }
  mem: { kernel: vitis_memory, args: { k: 1 } }
inputs: [x]
outputs: [y]
connections:
  - { from: x, to: acc.in, depth: 2 }
  - { from: acc.out, to: y }
";
    let dir = Dir::new("array");
    let graph = load(&dir, yaml, &[Kernel::fixture("vitis_fifo").unwrap(), Kernel::fixture("vitis_memory").unwrap()]);
    let error = Cosim::new(CosimConfig::default()).call(&graph, &Values::new().with_i32s("x", &data(0))).unwrap_err();
    let Error::Unsupported { ability, .. } = &error else { panic!("expected unsupported, got: {error}") };
    assert!(ability.contains("ap_memory array `x` of kernel `vitis_memory`") && ability.contains("instance `mem`"), "{ability}");
}
