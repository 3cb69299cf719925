//! m_axi kernels on board-sim: the zynq driver places every buffer in DMA memory, writes the
//! pointers, flushes and invalidates; the kernel's m_axi ports are served from that memory
//! with a timing preset, and every beat is checked against the CPU's cache state.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use codesign::backends::board_sim::{with_board, BoardSim, MemoryPreset};
use codesign::backends::cosim::Cosim;
use codesign::backends::zynq::call::{kernel_call, CallSettings};
use codesign::config::{BoardSimConfig, CosimConfig};
use codesign::device::{DeviceError, DmaBuffer, DmaMemory};
use codesign::driver::hls_block::DoneMode;
use codesign::{Backend, Kernel};
use codesign_models::bdt::example::random_json;
use codesign_models::bdt::{pack, BdtModel, Limits};
use codesign_models::Values;

fn vadd(n: usize) -> (Kernel, Values) {
    let a: Vec<i32> = (0..n as i32).map(|i| i * 3 - 7).collect();
    let b: Vec<i32> = (0..n as i32).map(|i| 5 - i * i).collect();
    (Kernel::named("vadd_wide").unwrap(), Values::new().with_i32s("a", &a).with_i32s("b", &b).with_scalar("size", n as u64))
}

/// A host driver that forgets one cache operation: the flush of the first buffer it
/// allocates, or every invalidate.
struct Forgetful<'a> {
    inner: &'a mut dyn DmaMemory,
    skip_flush_of: Option<usize>,
    skip_invalidate: bool,
}

impl DmaMemory for Forgetful<'_> {
    fn name(&self) -> &str {
        self.inner.name()
    }
    fn allocate(&mut self, len: usize) -> Result<DmaBuffer, DeviceError> {
        self.inner.allocate(len)
    }
    fn free_all(&mut self) {
        self.inner.free_all();
    }
    fn write(&mut self, buffer: &DmaBuffer, offset: usize, data: &[u8]) -> Result<(), DeviceError> {
        self.inner.write(buffer, offset, data)
    }
    fn read(&mut self, buffer: &DmaBuffer, offset: usize, out: &mut [u8]) -> Result<(), DeviceError> {
        self.inner.read(buffer, offset, out)
    }
    fn sync_for_device(&mut self, buffer: &DmaBuffer, offset: usize, len: usize) -> Result<(), DeviceError> {
        if self.skip_flush_of == Some(buffer.id) {
            return Ok(());
        }
        self.inner.sync_for_device(buffer, offset, len)
    }
    fn sync_for_cpu(&mut self, buffer: &DmaBuffer, offset: usize, len: usize) -> Result<(), DeviceError> {
        if self.skip_invalidate {
            return Ok(());
        }
        self.inner.sync_for_cpu(buffer, offset, len)
    }
    fn label(&mut self, buffer: &DmaBuffer, name: &str) {
        self.inner.label(buffer, name);
    }
}

fn forgetful_call(skip_flush_of: Option<usize>, skip_invalidate: bool) -> Result<Values, String> {
    let (kernel, inputs) = vadd(100);
    let config = BoardSimConfig::default();
    let settings = CallSettings { done: DoneMode::Interrupt, timeout: Duration::from_micros(100), length_bits: 26, dma_interrupts: false };
    with_board(&kernel, &config, |board| {
        let mut control = board.control();
        let mut memory = board.memory();
        let mut forgetful = Forgetful { inner: &mut memory, skip_flush_of, skip_invalidate };
        kernel_call(&kernel, &inputs, &mut control, &mut [], &mut forgetful, &settings).map_err(|e| e.to_string())
    })
    .unwrap()
}

#[test]
fn a_forgotten_flush_names_the_buffer_and_the_address() {
    // Buffer 0 is `a`, the first allocation: board-sim's memory starts at 0x1000_0000.
    let err = forgetful_call(Some(0), false).unwrap_err();
    println!("{err}");
    assert!(err.contains("m_axi_gmem0 read byte 0 of buffer `a` (phys 0x10000000)"), "{err}");
    assert!(err.contains("sync_for_device"), "{err}");
    // The same call with the flush made runs clean.
    let (kernel, inputs) = vadd(100);
    assert_eq!(forgetful_call(None, false).unwrap(), kernel.golden(&inputs).unwrap());
}

#[test]
fn a_forgotten_invalidate_names_the_output_buffer() {
    let err = forgetful_call(None, true).unwrap_err();
    println!("{err}");
    // a, b and c take one page each, a guard page after each: c is at 0x1000_4000.
    assert!(err.contains("buffer `c` (phys 0x10004000)") && err.contains("sync_for_cpu"), "{err}");
}

#[test]
fn every_preset_runs_vadd_exactly_and_names_itself_in_the_memory_report() {
    let (kernel, inputs) = vadd(3000);
    let golden = kernel.golden(&inputs).unwrap();
    let mut cycles = Vec::new();
    for preset in [MemoryPreset::Ideal, MemoryPreset::ZynqmpHp, MemoryPreset::ZynqmpHpcAxiProxy, MemoryPreset::AlveoDdr] {
        let mut sim = BoardSim::new(BoardSimConfig { memory: preset, ..BoardSimConfig::default() });
        let outcome = sim.call(&kernel, &inputs).unwrap();
        assert_eq!(outcome.outputs, golden, "{preset:?}");
        let memories = &outcome.report.memories;
        assert_eq!(memories.len(), 2, "two bundles");
        assert!(memories.iter().all(|m| m.timing.as_deref() == Some(preset.name())), "{memories:?}");
        // a and b read once each, in 64-byte beats (the last one full width: 32 bytes past the data).
        assert_eq!(memories[0].read.bytes + memories[1].read.bytes, 2 * 3000 * 4 + 2 * 32, "{memories:?}");
        let c = outcome.report.cycles.unwrap();
        println!("vadd_wide n=3000 on board-sim, memory {}: {c} cycles", preset.name());
        cycles.push(c);
    }
    assert!(cycles[0] < cycles[1] && cycles[1] < cycles[2], "latency costs cycles: {cycles:?}");
}

/// bdt's inputs: a packed 20-tree model and `n` rows of features.
fn bdt_inputs(n: usize) -> Values {
    let model = BdtModel::from_json(&random_json(20, 20, 2, 10, 3, false)).unwrap();
    let limits = Limits::default();
    let table = pack(&model, &limits).unwrap();
    let features: Vec<u64> = (0..n * limits.max_features).map(|i| ((i * 2_654_435_761) % 4096) as u64).collect();
    let mut inputs = Values::new().with_scalar("n", n as u64);
    inputs.streams.insert("table".into(), table.iter().map(|&w| u64::from(w)).collect());
    inputs.streams.insert("features".into(), features);
    inputs
}

#[test]
fn bdt_cycles_per_sample_on_the_axi_proxy_preset_next_to_cosim() {
    let kernel = Kernel::named("bdt").unwrap();
    let n = 4000;
    let inputs = bdt_inputs(n);
    let golden = kernel.golden(&inputs).unwrap();
    let cosim = Cosim::new(CosimConfig::default()).call(&kernel, &inputs).unwrap();
    let config = BoardSimConfig { memory: MemoryPreset::ZynqmpHpcAxiProxy, ..BoardSimConfig::default() };
    let board = BoardSim::new(config).call(&kernel, &inputs).unwrap();
    assert_eq!(cosim.outputs, golden);
    assert_eq!(board.outputs, golden);
    let per_sample = |c: Option<u64>| c.unwrap() as f64 / n as f64;
    let (on_cosim, on_board) = (per_sample(cosim.report.cycles), per_sample(board.report.cycles));
    println!(
        "bdt, 20 trees x depth 3, {n} samples: cosim {on_cosim:.3} cycles/sample, board-sim (zynqmp-hpc-axi-proxy: read 72, write 47) {on_board:.3} cycles/sample"
    );
    // The memory's latency only adds cycles; the kernel keeps bursts in flight, so it is
    // paid per burst window, not per 64-byte line (which would be 72 + 47 cycles a sample).
    assert!(on_board > on_cosim, "latency must cost something: {on_board:.3} vs {on_cosim:.3}");
    assert!(on_board < 10.0, "{on_board:.3} cycles/sample: the bursts are not overlapped");
}
