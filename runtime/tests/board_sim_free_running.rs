//! Free-running (ap_ctrl_none) stream kernels on the zynq driver (issue 13): MM2S -> kernel ->
//! S2MM with no s_axi_control at all, on board-sim against the fixture's RTL and on the real
//! zynq backend's fake device nodes. Outputs that do not end on TLAST are refused: a PG021
//! S2MM in simple mode completes only on TLAST.
//!
//! vitis_none_tlast has no golden model: the expected values are its HLS C++'s arithmetic
//! (hw/fixtures/vitis_none_tlast/hls), the running sum of the packet, written out here.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use codesign::backends::board_sim::{with_board, BoardSim};
use codesign::backends::zynq::call::{kernel_call, CallSettings};
use codesign::config::BoardSimConfig;
use codesign::device::RegisterAccess;
use codesign::driver::hls_block::DoneMode;
use codesign::{backends, Backend, Config, Error, Kernel};
use codesign_hw::manifest::{EndRule, Level};
use codesign_models::Values;

fn tlast_fixture() -> Kernel {
    Kernel::fixture("vitis_none_tlast").unwrap()
}

/// vitis_none_tlast.cpp: the running sum of the packet, wrapping.
fn running_sum(input: &[i32]) -> Vec<i32> {
    input
        .iter()
        .scan(0i32, |acc, &v| {
            *acc = acc.wrapping_add(v);
            Some(*acc)
        })
        .collect()
}

/// A packet of `n` pseudo-random values that wraps, ending on the extremes.
fn packet(n: usize, salt: i32) -> Vec<i32> {
    (0..n as i32).map(|i| i.wrapping_mul(2_654_435_761u32 as i32) ^ salt).chain([i32::MAX, i32::MAX, i32::MIN]).collect()
}

#[test]
fn the_tlast_fixture_is_bit_exact_with_cycles_of_one_element_each() {
    let kernel = tlast_fixture();
    let mut sim = BoardSim::new(BoardSimConfig::default());
    let mut cosim = backends::open(&Config::builtin("cosim").unwrap()).unwrap();
    for input in [packet(1000, 7), vec![i32::MIN], vec![5, 6]] {
        let outcome = sim.call(&kernel, &Values::new().with_i32s("in", &input)).unwrap();
        assert_eq!(outcome.outputs.i32s("out").unwrap(), running_sum(&input), "{} elements", input.len());
        let n = input.len() as u64;
        let cycles = outcome.report.cycles.expect("MM2S start to S2MM completion");
        // One element per cycle plus the two register slices (cosim: 1003 elements in 1003..=1011).
        assert!((n..=n + 8).contains(&cycles), "{n} elements: {cycles} cycles");
        assert!(outcome.outputs.scalars.is_empty());
        // The DMA model streams a beat per cycle, as cosim's driver does: the same count.
        let reference = cosim.call(&kernel, &Values::new().with_i32s("in", &input)).unwrap().report.cycles.unwrap();
        assert_eq!(cycles, reference, "{n} elements: board-sim vs cosim");
        println!("vitis_none_tlast: {n} elements in {cycles} cycles on board-sim, {reference} on cosim");
    }
}

/// On a board the kernel is never reset between calls: one board, several packets, each its
/// own call, each summed from zero (the kernel restarts its loop after every TLAST).
#[test]
fn several_packets_on_one_board_without_touching_control() {
    let kernel = tlast_fixture();
    with_board(&kernel, &BoardSimConfig::default(), |board| {
        let settings = CallSettings { done: DoneMode::Poll, timeout: Duration::from_micros(50), length_bits: 26, dma_interrupts: false };
        let mut previous_end = board.cycle();
        for (i, n) in [300usize, 1, 64, 257].into_iter().enumerate() {
            let input = packet(n, i as i32 * 1000 - 3);
            let mut control = board.control(); // a handle the call must not use
            let mut dmas = board.dmas();
            let mut regs: Vec<&mut dyn RegisterAccess> = dmas.iter_mut().map(|d| d as &mut dyn RegisterAccess).collect();
            let outputs =
                kernel_call(&kernel, &Values::new().with_i32s("in", &input), &mut control, &mut regs, &mut board.memory(), &settings)
                    .unwrap();
            assert_eq!(outputs.i32s("out").unwrap(), running_sum(&input), "packet {i}");
            let cycles = board.call_cycles().unwrap();
            assert!((input.len() as u64..=input.len() as u64 + 8).contains(&cycles), "packet {i}: {cycles}");
            assert!(board.cycle() > previous_end + cycles, "simulated time moves on");
            previous_end = board.cycle();
        }
        assert_eq!(board.violation(), None);
        // There is no s_axi_control to touch: any access is an error naming why.
        let err = board.control().read32(0).unwrap_err().to_string();
        assert!(err.contains("ap_ctrl_none") && err.contains("no s_axi_control"), "{err}");
        let err = board.control().wait_interrupt(Duration::from_micros(1)).unwrap_err().to_string();
        assert!(err.contains("ap_ctrl_none"), "{err}");
        assert!(!board.state().contains("interrupt="), "{}", board.state());
    })
    .unwrap();
}

fn refusal(kernel: &Kernel) -> String {
    match BoardSim::new(BoardSimConfig::default()).call(kernel, &Values::new().with_i32s("in", &[1, 2, 3])) {
        Err(Error::Unsupported { backend, ability }) => {
            assert_eq!(backend, "board-sim");
            ability
        }
        other => panic!("expected Unsupported, got {other:?}"),
    }
}

#[test]
fn outputs_that_do_not_end_on_tlast_are_refused_naming_the_stream() {
    let kernel = Kernel::fixture("vitis_none_stream").unwrap();
    let started = Instant::now();
    let message = refusal(&kernel);
    assert!(started.elapsed() < Duration::from_secs(2), "refused before any model is built: {:?}", started.elapsed());
    for expected in ["output stream `out`", "`vitis_none_stream`", "`end: { same-as: in }`", "completes a transfer only on TLAST", "run it on cosim"]
    {
        assert!(message.contains(expected), "{expected}: {message}");
    }
    for (rule, shown) in [(EndRule::Count(3), "`end: { count: 3 }`"), (EndRule::Idle(20), "`end: { idle: 20 }`")] {
        let mut edited = kernel.clone();
        edited.manifest.streams[1].end = Some(rule);
        let message = refusal(&edited);
        assert!(message.contains(shown) && message.contains("TLAST"), "{message}");
    }
    // A manifest that claims TLAST on RTL without one: board-sim names the missing port.
    let mut claimed = kernel.clone();
    claimed.manifest.streams[1].end = Some(EndRule::Tlast);
    let err = BoardSim::new(BoardSimConfig::default()).call(&claimed, &Values::new().with_i32s("in", &[1])).unwrap_err().to_string();
    assert!(err.contains("stream `out`: end: tlast, but the RTL has no `out_r_TLAST` port"), "{err}");
}

#[test]
fn a_kernel_held_in_reset_is_a_bounded_timeout_naming_the_output() {
    let mut kernel = tlast_fixture();
    kernel.manifest.reset.active = Level::High;
    // Reset held for the whole call: the input register slice still takes the packet, but no
    // output beat ever comes.
    let mut sim = BoardSim::new(BoardSimConfig { timeout_ms: 0.05, ..BoardSimConfig::default() });
    let started = Instant::now();
    let err = sim.call(&kernel, &Values::new().with_i32s("in", &packet(100, 1))).unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(5), "bounded: {:?}", started.elapsed());
    let text = err.to_string();
    assert!(matches!(err, Error::Backend { .. }), "{text}");
    assert!(text.contains("stream `out`") && text.contains("S2MM: Idle") && text.contains("did not happen within 50µs"), "{text}");
}

fn workspace() -> PathBuf {
    codesign::workspace_root()
}

#[test]
fn codesign_run_verifies_the_fixture_on_board_sim() {
    let root = workspace();
    let output = Command::new(env!("CARGO_BIN_EXE_codesign"))
        .args(["run", "--json", "--config"])
        .arg(root.join("configs/board-sim.yaml"))
        .arg("--kernel-dir")
        .arg(root.join("hw/fixtures/vitis_none_tlast"))
        .env_remove("CODESIGN_CONFIG")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&output.stdout).into_owned() + &String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{text}");
    let rows: Vec<serde_json::Value> = text.lines().filter(|l| l.starts_with('{')).map(|l| serde_json::from_str(l).unwrap()).collect();
    let row = rows.iter().find(|r| r["case"] == "sums").unwrap_or_else(|| panic!("no `sums` row: {text}"));
    assert_eq!((row["backend"].as_str(), row["status"].as_str()), (Some("board-sim"), Some("verified")), "{row}");
    let cycles = row["cycles"].as_u64().unwrap_or_else(|| panic!("cycles: {row}"));
    assert!((1000..=1008).contains(&cycles), "{row}");
}

/// A fake sysfs UIO region of 64 KiB at `addr`, and the node's file.
fn fake_uio(root: &Path, node: &str, addr: u64) -> std::fs::File {
    let map = root.join(format!("sys/class/uio/{node}/maps/map0"));
    std::fs::create_dir_all(&map).unwrap();
    for (name, value) in [("addr", format!("{addr:#x}")), ("size", "0x10000".into()), ("offset", "0x0".into())] {
        std::fs::write(map.join(name), format!("{value}\n")).unwrap();
    }
    let file = std::fs::OpenOptions::new().read(true).write(true).create(true).truncate(true).open(root.join(node)).unwrap();
    file.set_len(0x10000).unwrap();
    file
}

/// The real zynq backend without a kernel UIO: the free-running kernel's input is flushed and
/// the driver goes straight to the DMA (whose register file, a plain file, never finishes
/// its soft reset: a bounded timeout); a kernel with block control is a config error.
#[test]
fn zynq_runs_a_free_running_kernel_without_a_control_uio() {
    let root = std::env::temp_dir().join(format!("codesign-zynq-none-{}", std::process::id()));
    let dma = fake_uio(&root, "uio5", 0xa001_0000);
    let class = root.join("sys/class/u-dma-buf/udmabuf0");
    std::fs::create_dir_all(&class).unwrap();
    std::fs::write(class.join("phys_addr"), "0x70000000\n").unwrap();
    std::fs::write(class.join("size"), "1048576\n").unwrap();
    std::fs::write(root.join("udmabuf0"), vec![0u8; 1 << 20]).unwrap();
    let yaml = |kernel: &str, streams: &[&str]| {
        let streams: String = streams.iter().map(|s| format!("    {s}: {{ uio: {} }}\n", root.join("uio5").display())).collect();
        format!(
            "backend: zynq\nzynq:\n  kernel: {{ name: {kernel} }}\n  streams:\n{streams}  buffer: {}\n  timeout-ms: 50\n  sysfs: {}\n",
            root.join("udmabuf0").display(),
            root.join("sys").display()
        )
    };
    let mut zynq = backends::open(&Config::parse("fake nodes", &yaml("vitis_none_tlast", &["in", "out"])).unwrap()).unwrap();
    let input: Vec<i32> = (0..100).map(|i| i * 3 - 50).collect();
    let started = Instant::now();
    let err = zynq.call(&tlast_fixture(), &Values::new().with_i32s("in", &input)).unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(2), "bounded: {:?}", started.elapsed());
    let text = format!("{err}: {}", std::error::Error::source(&err).map(|s| s.to_string()).unwrap_or_default());
    assert!(text.contains("stream `in`") && text.contains("soft reset"), "{text}");
    let mut word = [0u8; 4];
    dma.read_exact_at(&mut word, 0).unwrap();
    assert_eq!(u32::from_le_bytes(word), 4, "MM2S_DMACR: the soft reset was written");
    let buffer = std::fs::read(root.join("udmabuf0")).unwrap();
    let flushed: Vec<i32> = buffer[..400].chunks_exact(4).map(|c| i32::from_le_bytes(c.try_into().unwrap())).collect();
    assert_eq!(flushed, input, "the input packet in the u-dma-buf");
    let attr = |name: &str| std::fs::read_to_string(class.join(name)).unwrap();
    assert_eq!((attr("sync_offset"), attr("sync_size"), attr("sync_for_device")), ("0".into(), "400".into(), "1".into()));

    let mut zynq = backends::open(&Config::parse("fake nodes", &yaml("ufunc_i32", &["a", "b", "out"])).unwrap()).unwrap();
    let values = Values::new().with_i32s("a", &[1]).with_i32s("b", &[2]).with_scalar("op", 0);
    match zynq.call(&Kernel::named("ufunc_i32").unwrap(), &values) {
        Err(Error::Config { message, .. }) => {
            assert!(message.contains("zynq.kernel") && message.contains("`uio` or `devmem`") && message.contains("ap_ctrl_hs"), "{message}")
        }
        other => panic!("expected a config error, got {other:?}"),
    }
    std::fs::remove_dir_all(&root).unwrap();
}
