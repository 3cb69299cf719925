//! Kernel graphs: the shipped Jacobi graph in cosim (cycles near the slowest stage, per
//! connection statistics), a too-shallow FIFO on its reconvergent branch reported as a
//! deadlock naming the connection, and the validation of graph files.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use codesign::backends::cosim::Cosim;
use codesign::config::CosimConfig;
use codesign::graph::{graphs_dir, Graph};
use codesign::workload::compare;
use codesign::{Backend, Error, Kernel};
use codesign_models::Values;

fn grid(width: usize, height: usize, seed: u32) -> Values {
    // Q16.16 words of mixed sign and size, including the extremes.
    let x: Vec<i32> = (0..width * height)
        .map(|i| match i % 97 {
            0 => i32::MIN,
            1 => i32::MAX,
            _ => ((i as u32).wrapping_mul(2_654_435_761) ^ seed) as i32 >> 3,
        })
        .collect();
    Values::new().with_i32s("x", &x).with_scalar("width", width as u64).with_scalar("height", height as u64)
}

fn jacobi_with_depth(depth: usize) -> (tempfile_dir::Dir, Kernel) {
    jacobi_with("{ from: interior.out, to: sad.b, depth: 1040 }", &format!("{{ from: interior.out, to: sad.b, depth: {depth} }}"))
}

/// The shipped jacobi.yaml with connection `shipped` written as `instead`.
fn jacobi_with(shipped: &str, instead: &str) -> (tempfile_dir::Dir, Kernel) {
    let text = std::fs::read_to_string(graphs_dir().join("jacobi.yaml")).unwrap();
    assert!(text.contains(shipped), "jacobi.yaml changed: update this test");
    let text = text.replace(shipped, instead);
    let tag: String = instead.chars().filter(char::is_ascii_alphanumeric).collect();
    let dir = tempfile_dir::Dir::new(&tag);
    let path = dir.path.join("jacobi.yaml");
    std::fs::write(&path, text).unwrap();
    let kernel = Graph::load(&path).unwrap();
    (dir, kernel)
}

/// A scratch folder under target/ removed on drop (no tempfile dependency for two files).
mod tempfile_dir {
    pub struct Dir {
        pub path: std::path::PathBuf,
    }
    impl Dir {
        pub fn new(tag: &str) -> Dir {
            let path = codesign::report::output_dir().join("test-graphs").join(format!("{tag}-{}", std::process::id()));
            std::fs::create_dir_all(&path).unwrap();
            Dir { path }
        }
    }
    impl Drop for Dir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.path);
        }
    }
}

#[test]
fn jacobi_cosim_is_exact_and_costs_the_slowest_stage_not_the_sum() {
    let kernel = Kernel::named("jacobi").unwrap();
    let (width, height) = (64, 48);
    let inputs = grid(width, height, 7);
    let expected = kernel.golden(&inputs).unwrap();
    let outcome = Cosim::new(CosimConfig::default()).call(&kernel, &inputs).unwrap();
    compare(&kernel, &expected, &outcome.outputs).unwrap();

    let report = &outcome.report;
    let cycles = report.cycles.unwrap();
    let stage_bound = |name: &str, elements: usize| Kernel::named(name).unwrap().manifest.interface_bound(elements);
    let interior = (width - 2) * (height - 2);
    let slowest = stage_bound("stencil5_q16_16", width * height);
    let sum = slowest + stage_bound("crop", width * height) + stage_bound("reduce_all", interior);
    assert!((cycles as f64) < 1.01 * slowest as f64, "{cycles} cycles vs slowest stage {slowest}");
    assert!(cycles < sum / 2, "{cycles} cycles: the stages did not overlap (sum {sum})");

    // The reconvergent FIFO holds about one row while the stencil fills its line buffers.
    let branch = report.connections.iter().find(|c| c.name == "interior.out -> sad.b").unwrap();
    assert!(branch.high_water >= width - 2 && branch.high_water <= width + 8, "high water {}", branch.high_water);
    assert_eq!(branch.transfers, interior as u64);
    assert_eq!(report.connections.len(), 4);
    assert_eq!(report.limiting_stage().unwrap().instance, "stencil", "{:?}", report.stages);
}

#[test]
fn shallow_reconvergent_fifo_deadlocks_naming_the_connection_and_deepening_it_passes() {
    let inputs = grid(64, 48, 3);
    let config = CosimConfig { watchdog_cycles: 2_000, ..CosimConfig::default() };
    let (_dir, shallow) = jacobi_with_depth(16);
    let error = Cosim::new(config.clone()).call(&shallow, &inputs).unwrap_err();
    match &error {
        Error::Deadlock { graph, connection, message, .. } => {
            assert_eq!(graph, "jacobi");
            assert_eq!(connection, "interior.out -> sad.b");
            assert!(message.contains("16 of 16 beats") && message.contains("connections[3].depth"), "{message}");
        }
        other => panic!("expected a deadlock, got: {other}"),
    }
    let text = error.to_string();
    assert!(text.contains("deadlocked") && text.contains("waveforms:"), "{text}");

    let (_dir, deep) = jacobi_with_depth(72);
    let outcome = Cosim::new(config).call(&deep, &inputs).unwrap();
    compare(&deep, &deep.golden(&inputs).unwrap(), &outcome.outputs).unwrap();
}

#[test]
fn a_depth_one_connection_blocks_its_producer_and_only_waits_up_to_the_last_input_count() {
    // Depth 1 moves a beat every other cycle (full is decided at the start of a cycle): the
    // stencil is blocked on about every other beat, and the reduction starved.
    let (width, height) = (64, 48);
    let inputs = grid(width, height, 5);
    let (_dir, narrow) = jacobi_with("{ from: stencil.out, to: sad.a, depth: 2 }", "{ from: stencil.out, to: sad.a, depth: 1 }");
    let outcome = Cosim::new(CosimConfig::default()).call(&narrow, &inputs).unwrap();
    compare(&narrow, &narrow.golden(&inputs).unwrap(), &outcome.outputs).unwrap();
    let stage = |report: &codesign::Report, name: &str| report.stages.iter().find(|s| s.instance == name).cloned().unwrap();
    let interior = ((width - 2) * (height - 2)) as u64;
    let stencil = stage(&outcome.report, "stencil");
    assert!(stencil.blocked >= interior / 2 - 8 && stencil.blocked <= interior, "{stencil:?}");
    // Fed by the graph input every cycle, it starves only on its first beats; the cycles it
    // waits for input while it drains (after its last input) are not counted.
    assert!(stencil.starved <= 2, "{stencil:?}");
    assert!(stage(&outcome.report, "sad").starved >= interior / 2 - 8, "{:?}", outcome.report.stages);
    for s in &outcome.report.stages {
        // Waits count from the cycle after the first input to the last one, once per cycle.
        let (first, last) = (s.first_input.unwrap(), s.last_input.unwrap());
        assert!(s.starved + s.blocked <= last - first, "{s:?}");
    }
    // The shipped depth: the stencil never waits on the reduction.
    let shipped = Cosim::new(CosimConfig::default()).call(&Kernel::named("jacobi").unwrap(), &inputs).unwrap();
    assert_eq!(stage(&shipped.report, "stencil").blocked, 0, "{:?}", shipped.report.stages);
    assert!(outcome.report.cycles.unwrap() > shipped.report.cycles.unwrap() + interior / 2);
}

fn load_err(yaml: &str) -> String {
    let dir = tempfile_dir::Dir::new("invalid");
    let path = dir.path.join("g.yaml");
    std::fs::write(&path, yaml).unwrap();
    match Graph::load(&path) {
        Err(e @ Error::Graph { .. }) => e.to_string(),
        Err(other) => panic!("expected a graph error, got {other}"),
        Ok(_) => panic!("accepted:\n{yaml}"),
    }
}

const CHAIN: &str = "name: g
description: d
args: [{ name: n }]
kernels:
  s: { kernel: stencil5_q16_16, args: { width: $n, height: $n } }
  r: { kernel: reduce_all, args: { op: 2 } }
inputs: [x, c]
outputs: [y]
connections:
  - { from: x, to: s.in, depth: 2 }
  - { from: s.out, to: r.a, depth: 2 }
  - { from: c, to: r.b, depth: 2 }
  - { from: r.result, to: y }
";

#[test]
fn a_valid_chain_loads() {
    let dir = tempfile_dir::Dir::new("valid");
    let path = dir.path.join("g.yaml");
    std::fs::write(&path, CHAIN).unwrap();
    let kernel = Graph::load(&path).unwrap();
    let names: Vec<_> = kernel.manifest.streams.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["x", "c", "y"]);
    assert_eq!(kernel.graph().unwrap().instances[0].name, "s", "producers first");
}

#[test]
fn invalid_graphs_are_errors_naming_the_problem_and_the_line() {
    let cases: &[(&str, &str, &[&str])] = &[
        ("kernel: reduce_all", "kernel: reduce_al", &["unknown kernel `reduce_al`", "line 6"]),
        ("to: r.a,", "to: r.q,", &["kernel `reduce_all` has no stream or buffer `q`", "line 11"]),
        ("{ from: s.out, to: r.a, depth: 2 }", "{ from: s.in, to: r.a, depth: 2 }", &["`s.in` is an input stream", "line 11"]),
        ("{ from: c, to: r.b, depth: 2 }", "{ from: c, to: r.b, depth: 0 }", &["depth 0", "without buffering"]),
        ("{ from: c, to: r.b, depth: 2 }", "{ from: c, to: r.b }", &["needs a FIFO `depth`"]),
        ("  - { from: c, to: r.b, depth: 2 }\n", "", &["is left unconnected"]),
        ("width: $n", "width: $m", &["`$m` is neither a number nor `$name`", "line 5"]),
        ("args: { op: 2 }", "args: {}", &["argument `op` of kernel `reduce_all` is not bound"]),
        ("depth: 2 }\n  - { from: r.result", "depth: 2, fifo: 3 }\n  - { from: r.result", &["unknown field `fifo`", "line 12"]),
        ("kernel: stencil5_q16_16", "kernel: stencil5_q8_8", &["carries 1 x i16 but r.a takes 1 x i32"]),
    ];
    for (from, to, wanted) in cases {
        assert!(CHAIN.contains(from), "{from}");
        let message = load_err(&CHAIN.replacen(from, to, 1));
        assert!(wanted.iter().all(|w| message.contains(w)) && message.contains("g.yaml"), "for `{to}`: {message}");
    }
}

#[test]
fn feedback_between_kernels_is_an_error_naming_the_cycle() {
    let message = load_err(
        "name: loop
description: d
kernels:
  u1: { kernel: ufunc_i32, args: { op: 0 } }
  u2: { kernel: ufunc_i32, args: { op: 0 } }
inputs: [x, c]
outputs: []
connections:
  - { from: x, to: u1.b, depth: 2 }
  - { from: c, to: u2.b, depth: 2 }
  - { from: u1.out, to: u2.a, depth: 2 }
  - { from: u2.out, to: u1.a, depth: 2 }
",
    );
    assert!(message.contains("u1, u2 form a cycle"), "{message}");
}

/// An m_axi kernel beside a stream chain in one graph: its buffers are graph ports the host
/// places in (and reads back from) the kernel's memory, while the chain streams on chip.
const SIDE_BY_SIDE: &str = "name: side_by_side
description: adders over m_axi beside sum(y - z) streamed through ufunc and reduce_all
args: [{ name: n }]
kernels:
  add: { kernel: adders, args: { incr: 3, size: $n } }
  sub: { kernel: ufunc_i32, args: { op: 1 } }
  sum: { kernel: reduce_all, args: { op: 0 } }
inputs: [x, y, z]
outputs: [added, total]
connections:
  - { from: x, to: add.in }
  - { from: add.out, to: added }
  - { from: y, to: sub.a, depth: 2 }
  - { from: z, to: sub.b, depth: 2 }
  - { from: z, to: sum.b, depth: 2 }
  - { from: sub.out, to: sum.a, depth: 2 }
  - { from: sum.result, to: total }
";

#[test]
fn m_axi_buffers_are_graph_ports_and_match_golden_in_cosim() {
    let dir = tempfile_dir::Dir::new("side");
    let path = dir.path.join("side_by_side.yaml");
    std::fs::write(&path, SIDE_BY_SIDE).unwrap();
    let kernel = Graph::load(&path).unwrap();
    let n = 1000;
    let x: Vec<i32> = (0..n).map(|i| i * 7 - 3000).collect();
    let y: Vec<i32> = (0..n).map(|i| i32::MAX - i).collect();
    let z: Vec<i32> = (0..n).map(|i| i * i).collect();
    let inputs = Values::new().with_i32s("x", &x).with_i32s("y", &y).with_i32s("z", &z).with_scalar("n", n as u64);
    let expected = kernel.golden(&inputs).unwrap();
    let want: Vec<i32> = x.iter().map(|v| v.wrapping_add(4 * 3)).collect();
    assert_eq!(expected.i32s("added").unwrap(), want, "golden: adders has STAGES = 4");
    let outcome = Cosim::new(CosimConfig::default()).call(&kernel, &inputs).unwrap();
    compare(&kernel, &expected, &outcome.outputs).unwrap();
    assert!(outcome.report.memories.iter().any(|m| m.bundle == "add.gmem0" && m.read.beats > 0));

    let message = load_err(&SIDE_BY_SIDE.replace("{ from: add.out, to: added }", "{ from: add.out, to: sub.a, depth: 2 }\n  - { from: y, to: added }"));
    assert!(message.contains("m_axi memory"), "{message}");
}

#[test]
fn back_pressure_stalls_a_graphs_inputs_and_outputs() {
    // The `+bp` rows of `run`: cosim.stress applies to the graph's boundary as to a kernel's.
    let jacobi = Kernel::named("jacobi").unwrap();
    let inputs = codesign::workload::standard_cases(&jacobi).unwrap().remove(0).inputs;
    let full = Cosim::new(CosimConfig::default()).call(&jacobi, &inputs).unwrap();
    let stressed_config = codesign::Config::builtin("cosim").unwrap().stressed().unwrap();
    let stressed = codesign::backends::open(&stressed_config).unwrap().call(&jacobi, &inputs).unwrap();
    let golden = jacobi.golden(&inputs).unwrap();
    compare(&jacobi, &golden, &stressed.outputs).unwrap();
    let (fast, slow) = (full.report.cycles.unwrap(), stressed.report.cycles.unwrap());
    assert!(slow > fast + fast / 10, "stalled inputs and outputs take longer: {fast} -> {slow} cycles");
}
