//! Free-running (ap_ctrl_none) kernels as graph nodes in cosim, between kernels started over
//! s_axi_control: outputs bit-exact against the composition of the nodes' references (golden
//! models, or the fixtures' HLS C simulation), cycles near the element count because the
//! nodes overlap, and a free-running node that never meets its end rule reported by the
//! watchdog naming it. The fixtures are not library kernels: the graphs are written to a
//! scratch folder and load them with `Graph::load_with`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;

use codesign::backends::csim::Csim;
use codesign::backends::cosim::Cosim;
use codesign::config::CosimConfig;
use codesign::graph::compose::compose;
use codesign::graph::Graph;
use codesign::workload::compare;
use codesign::{Backend, Error, Kernel, Outcome, Report};
use codesign_hw::manifest::EndRule;
use codesign_models::Values;

/// A scratch folder under target/ removed on drop.
struct Dir(PathBuf);

impl Dir {
    fn new(tag: &str) -> Dir {
        let path = codesign::report::output_dir().join("test-graphs").join(format!("free-{tag}-{}", std::process::id()));
        std::fs::create_dir_all(&path).unwrap();
        Dir(path)
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn fixtures() -> Vec<Kernel> {
    vec![Kernel::fixture("vitis_none_tlast").unwrap(), Kernel::fixture("vitis_none_stream").unwrap()]
}

fn load(tag: &str, yaml: &str, kernels: &[Kernel]) -> (Dir, Kernel) {
    let dir = Dir::new(tag);
    let path = dir.0.join("g.yaml");
    std::fs::write(&path, yaml).unwrap();
    let kernel = Graph::load_with(&path, kernels).unwrap();
    (dir, kernel)
}

/// A started kernel, then two free-running ones: (a + b) -> running sum of the packet
/// (TLAST from ufunc_i32, `end: tlast`) -> 3x clipped to [-1000, 1000] (no TLAST,
/// `end: same-as in`).
const STARTED_FIRST: &str = "name: started_first
description: clip3(running_sum(a + b))
kernels:
  add:  { kernel: ufunc_i32, args: { op: 0 } }
  sums: { kernel: vitis_none_tlast }
  clip: { kernel: vitis_none_stream }
inputs: [a, b]
outputs: [y]
connections:
  - { from: a, to: add.a, depth: 2 }
  - { from: b, to: add.b, depth: 2 }
  - { from: add.out, to: sums.in, depth: 2 }
  - { from: sums.out, to: clip.in, depth: 2 }
  - { from: clip.out, to: y }
";

/// A free-running kernel first, feeding a started one, feeding another free-running one.
const FREE_FIRST: &str = "name: free_first
description: clip3(running_sum(a) - b)
kernels:
  sums: { kernel: vitis_none_tlast }
  sub:  { kernel: ufunc_i32, args: { op: 1 } }
  clip: { kernel: vitis_none_stream }
inputs: [a, b]
outputs: [y]
connections:
  - { from: a, to: sums.in, depth: 2 }
  - { from: sums.out, to: sub.a, depth: 2 }
  - { from: b, to: sub.b, depth: 2 }
  - { from: sub.out, to: clip.in, depth: 2 }
  - { from: clip.out, to: y }
";

fn inputs(n: usize) -> (Vec<i32>, Vec<i32>) {
    // Mixed signs, large enough for the running sum to wrap and the clip to bite both ways.
    let a: Vec<i32> = (0..n as i32).map(|i| i.wrapping_mul(2_654_435_761u32 as i32) >> 4).collect();
    let b: Vec<i32> = (0..n as i32).map(|i| if i % 5 == 0 { i32::MIN + i } else { 7 - i * 3 }).collect();
    (a, b)
}

fn running_sum(x: impl IntoIterator<Item = i32>) -> Vec<i32> {
    x.into_iter()
        .scan(0i32, |acc, v| {
            *acc = acc.wrapping_add(v);
            Some(*acc)
        })
        .collect()
}

fn clip3(x: &[i32]) -> Vec<i32> {
    x.iter().map(|&v| v.wrapping_mul(3).clamp(-1000, 1000)).collect()
}

/// The graph's reference: its nodes composed call by call, each by its golden model, or by
/// its HLS C simulation where it has none (the fixtures).
fn reference(graph: &Kernel, values: &Values) -> Values {
    let (outputs, _) = compose(graph.graph().unwrap(), values, |kernel, v| match kernel.golden(v) {
        Ok(outputs) => Ok(Outcome { outputs, report: Report::default() }),
        Err(Error::Unsupported { .. }) => Csim.call(kernel, v),
        Err(other) => Err(other),
    })
    .unwrap();
    outputs
}

#[test]
fn free_running_nodes_between_started_ones_are_exact_and_overlap() {
    let n = 1000;
    let (a, b) = inputs(n);
    let values = Values::new().with_i32s("a", &a).with_i32s("b", &b);
    let cases: [(&str, &str, Vec<i32>); 2] = [
        ("started", STARTED_FIRST, clip3(&running_sum(a.iter().zip(&b).map(|(x, y)| x.wrapping_add(*y))))),
        ("free", FREE_FIRST, clip3(&running_sum(a.iter().copied()).iter().zip(&b).map(|(s, y)| s.wrapping_sub(*y)).collect::<Vec<_>>())),
    ];
    for (tag, yaml, by_hand) in cases {
        let (_dir, graph) = load(tag, yaml, &fixtures());
        let expected = reference(&graph, &values);
        assert_eq!(expected.i32s("y").unwrap(), by_hand, "{tag}: the composed references agree with the C++ by hand");
        let outcome = Cosim::new(CosimConfig::default()).call(&graph, &values).unwrap();
        compare(&graph, &expected, &outcome.outputs).unwrap();

        // One element per cycle through three overlapping stages: the element count plus the
        // pipeline fill, not three times the element count.
        let report = &outcome.report;
        let cycles = report.cycles.unwrap();
        eprintln!("{tag}: {cycles} cycles for {n} elements; stages {:?}", report.stages);
        assert!(cycles >= n as u64 && cycles < n as u64 + 40, "{tag}: {cycles} cycles for {n} elements");
        assert!(cycles <= graph.manifest.interface_bound(n) + 8, "{tag}: {cycles} vs bound {}", graph.manifest.interface_bound(n));
        assert_eq!(report.stages.len(), 3);
        for stage in &report.stages {
            let done = stage.done.unwrap_or_else(|| panic!("{tag}: stage {} has no done cycle", stage.instance));
            let first = stage.first_input.unwrap();
            assert!(first < 20 && done <= cycles, "{tag}: {stage:?}");
        }
        // The graph ends when its last node does: the free-running clip, at its end rule.
        let clip = report.stages.iter().find(|s| s.instance == "clip").unwrap();
        assert_eq!(clip.done, Some(cycles), "{tag}: {:?}", report.stages);
        assert!(report.connections.iter().all(|c| c.transfers == n as u64), "{tag}: {:?}", report.connections);
    }
}

#[test]
fn a_free_running_node_that_never_meets_its_end_rule_is_a_timeout_naming_it() {
    let mut stuck = Kernel::fixture("vitis_none_stream").unwrap();
    stuck.manifest.streams[1].end = Some(EndRule::Count(1005));
    let kernels = [Kernel::fixture("vitis_none_tlast").unwrap(), stuck];
    let (_dir, graph) = load("stuck", STARTED_FIRST, &kernels);
    let (a, b) = inputs(1000);
    let values = Values::new().with_i32s("a", &a).with_i32s("b", &b);
    let config = CosimConfig { watchdog_cycles: 300, ..CosimConfig::default() };
    let error = Cosim::new(config).call(&graph, &values).unwrap_err();
    let Error::Timeout { kernel, awaited, waited, .. } = &error else { panic!("expected a timeout, got: {error}") };
    assert_eq!(kernel, "started_first");
    assert_eq!(*waited, 300);
    assert_eq!(
        awaited, "free-running `clip` to end: output `out` to reach 1005 elements (end: count 1005), 1000 so far",
        "only clip is still running: {error}"
    );
    let text = error.to_string();
    assert!(text.contains("clip: free-running, running, outputs produced [1000]") && text.contains("waveforms:"), "{text}");
}

#[test]
fn a_same_as_ratio_is_resolved_when_the_input_ends_and_a_fraction_is_an_error_naming_the_node() {
    let mut half = Kernel::fixture("vitis_none_stream").unwrap();
    half.manifest.streams[1].end = Some(EndRule::SameAs { input: "in".into(), numerator: 1, denominator: 2 });
    let kernels = [Kernel::fixture("vitis_none_tlast").unwrap(), half];
    let (_dir, graph) = load("ratio", STARTED_FIRST, &kernels);
    // 999 elements reach clip.in from the sums node: known only once sums is done.
    let (a, b) = inputs(999);
    let values = Values::new().with_i32s("a", &a).with_i32s("b", &b);
    let error = Cosim::new(CosimConfig::default()).call(&graph, &values).unwrap_err();
    let Error::Input { kernel, message } = &error else { panic!("expected an input error, got: {error}") };
    assert_eq!(kernel, "started_first/clip (vitis_none_stream)");
    assert!(message.contains("999 elements of `in` times 1/2 is not a whole number"), "{message}");
}

#[test]
fn a_free_running_node_producing_past_its_end_is_a_protocol_error_naming_it() {
    // The sums fixture ends at its packet's TLAST; fed a stream without TLAST (every beat
    // ends a packet at its input), it closes after one element and then keeps producing.
    let yaml = "name: two_packets
description: running sums of a stream without TLAST
kernels:
  clip: { kernel: vitis_none_stream }
  sums: { kernel: vitis_none_tlast }
inputs: [x]
outputs: [y]
connections:
  - { from: x, to: clip.in, depth: 2 }
  - { from: clip.out, to: sums.in, depth: 2 }
  - { from: sums.out, to: y }
";
    let (_dir, graph) = load("overrun", yaml, &fixtures());
    let values = Values::new().with_i32s("x", &[1, 2, 3, 4]);
    let error = Cosim::new(CosimConfig::default()).call(&graph, &values).unwrap_err();
    let Error::Protocol { kernel, port, message, .. } = &error else { panic!("expected a protocol error, got: {error}") };
    assert_eq!((kernel.as_str(), port.as_str()), ("two_packets/sums", "out"), "{error}");
    assert!(message.contains("produced 3 more elements after its packet closed at element 1 (end: tlast)"), "{message}");
}

#[test]
fn nodes_with_bare_block_control_stay_refused() {
    let yaml = "name: bare
description: a free-running kernel beside one with bare ap_ctrl_hs
kernels:
  clip: { kernel: vitis_none_stream }
  madd: { kernel: vitis_hs_pipelined, args: { a: 1, x: 2, b: 3 } }
inputs: [x]
outputs: [y]
connections:
  - { from: x, to: clip.in, depth: 2 }
  - { from: clip.out, to: y }
";
    let mut kernels = fixtures();
    kernels.push(Kernel::fixture("vitis_hs_pipelined").unwrap());
    let (_dir, graph) = load("bare", yaml, &kernels);
    let error = Cosim::new(CosimConfig::default()).call(&graph, &Values::new().with_i32s("x", &[1])).unwrap_err();
    let Error::Unsupported { ability, .. } = &error else { panic!("expected unsupported, got: {error}") };
    assert!(ability.contains("instance `madd`") && ability.contains("ap_ctrl_hs on bare ports"), "{ability}");
}
