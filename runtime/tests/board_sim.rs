//! The zynq drivers against board-sim: the PG021 error paths each as its own typed error,
//! the DMA model's register semantics, cache-discipline violations, whole calls equal to
//! golden with cycles, and board configs failing fast on a machine without a board.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use codesign::backends::board_sim::{with_board, BoardSim, SimBoard, SimDmaRegs};
use codesign::backends::zynq::call::{kernel_call, CallSettings};
use codesign::config::BoardSimConfig;
use codesign::device::{DeviceError, DmaBuffer, DmaMemory, RegisterAccess};
use codesign::driver::axi_dma::regs::*;
use codesign::driver::axi_dma::{AxiDma, Channel, DmaError};
use codesign::driver::hls_block::{DoneMode, HlsBlock};
use codesign::{backends, Backend, Config, Kernel};
use codesign_models::Values;

const T: Duration = Duration::from_micros(20); // 6000 cycles at 300 MHz
const CORE: AxiDma = AxiDma { length_bits: 26, data_bytes: 4, interrupts: false };

fn ufunc() -> Kernel {
    Kernel::named("ufunc_i32").unwrap()
}

fn inputs(n: usize, op: u64) -> Values {
    let a: Vec<i32> = (0..n as i32).map(|i| i * 7 - 3).collect();
    let b: Vec<i32> = (0..n as i32).map(|i| 1000 - i).collect();
    Values::new().with_i32s("a", &a).with_i32s("b", &b).with_scalar("op", op)
}

/// A flushed buffer of `words` little-endian u32 values.
fn filled(board: &SimBoard<'_>, words: &[u32]) -> DmaBuffer {
    let mut mem = board.memory();
    let bytes: Vec<u8> = words.iter().flat_map(|w| w.to_le_bytes()).collect();
    let buffer = mem.allocate(bytes.len()).unwrap();
    mem.write(&buffer, 0, &bytes).unwrap();
    mem.sync_for_device(&buffer, 0, bytes.len()).unwrap();
    buffer
}

fn started<'b, 'm>(board: &'b SimBoard<'m>, stream: &str, channel: Channel) -> SimDmaRegs<'b, 'm> {
    let mut dma = board.dma(stream).unwrap();
    CORE.reset(&mut dma, T).unwrap();
    CORE.run(&mut dma, channel, T).unwrap();
    dma
}

#[test]
fn whole_calls_match_golden_and_report_cycles_in_both_done_modes() {
    let kernel = ufunc();
    for done in [DoneMode::Poll, DoneMode::Interrupt] {
        let mut sim = BoardSim::new(BoardSimConfig { done, ..BoardSimConfig::default() });
        for (n, op) in [(1, 0), (37, 1), (1000, 2)] {
            let inputs = inputs(n, op);
            let outcome = sim.call(&kernel, &inputs).unwrap();
            assert_eq!(outcome.outputs, kernel.golden(&inputs).unwrap(), "{done:?} n={n}");
            let cycles = outcome.report.cycles.unwrap();
            assert!(cycles >= n as u64 && cycles < n as u64 + 200, "{done:?} n={n}: {cycles} cycles");
            println!("ufunc_i32 n={n} {done:?}: {cycles} cycles (start to done), {} simulated", outcome.report.simulated_cycles.unwrap());
        }
    }
}

#[test]
fn dma_model_halted_at_reset_running_after_rs_and_reset_self_clears() {
    with_board(&ufunc(), &BoardSimConfig::default(), |board| {
        let mut dma = board.dma("a").unwrap();
        assert_eq!(dma.read32(MM2S_DMASR).unwrap() & DMASR_HALTED, DMASR_HALTED);
        assert_eq!(dma.read32(S2MM_DMASR).unwrap() & DMASR_HALTED, DMASR_HALTED);
        assert_eq!(dma.read32(MM2S_DMACR).unwrap() & 0x2, 0x2, "reserved bit 1 reads 1");
        // A LENGTH written while halted does nothing.
        let buffer = filled(board, &[1, 2]);
        dma.write32(MM2S_SA, buffer.phys as u32).unwrap();
        dma.write32(MM2S_LENGTH, 8).unwrap();
        assert_eq!(dma.read32(MM2S_DMASR).unwrap(), DMASR_HALTED);
        CORE.run(&mut dma, Channel::Mm2s, T).unwrap();
        assert_eq!(dma.read32(MM2S_DMASR).unwrap() & DMASR_HALTED, 0);
        // Reset: bit 2 reads 1 for a while, then clears; both channels are halted again.
        dma.write32(MM2S_DMACR, DMACR_RESET).unwrap();
        assert_ne!(dma.read32(MM2S_DMACR).unwrap() & DMACR_RESET, 0);
        CORE.reset(&mut dma, T).unwrap();
        assert_eq!(dma.read32(MM2S_DMACR).unwrap() & DMACR_RESET, 0);
        assert_eq!(dma.read32(MM2S_DMASR).unwrap() & DMASR_HALTED, DMASR_HALTED);
    })
    .unwrap();
}

#[test]
fn length_zero_is_refused_by_the_driver_and_ignored_by_the_core() {
    with_board(&ufunc(), &BoardSimConfig::default(), |board| {
        let buffer = filled(board, &[5]);
        let mut dma = started(board, "a", Channel::Mm2s);
        let err = CORE.transfer(&mut dma, Channel::Mm2s, buffer.phys, 0).unwrap_err();
        assert!(matches!(err, DmaError::ZeroLength { channel: Channel::Mm2s, .. }), "{err}");
        // Written raw, LENGTH 0 starts nothing: the channel never becomes Idle.
        dma.write32(MM2S_SA, buffer.phys as u32).unwrap();
        dma.write32(MM2S_LENGTH, 0).unwrap();
        let err = CORE.wait(&mut dma, Channel::Mm2s, 0, T).unwrap_err();
        assert!(matches!(err, DmaError::Timeout { channel: Channel::Mm2s, .. }), "{err}");
    })
    .unwrap();
}

#[test]
fn misaligned_address_is_refused_by_the_driver_and_an_internal_error_on_the_core() {
    with_board(&ufunc(), &BoardSimConfig::default(), |board| {
        let buffer = filled(board, &[1, 2, 3]);
        let mut dma = started(board, "a", Channel::Mm2s);
        let err = CORE.transfer(&mut dma, Channel::Mm2s, buffer.phys + 2, 4).unwrap_err();
        assert!(matches!(err, DmaError::Misaligned { align: 4, .. }), "{err}");
        // A driver that does not check (1-byte "stream width"): the core flags DMAIntErr and halts.
        let careless = AxiDma { data_bytes: 1, ..CORE };
        careless.transfer(&mut dma, Channel::Mm2s, buffer.phys + 2, 4).unwrap();
        let err = CORE.wait(&mut dma, Channel::Mm2s, 4, T).unwrap_err();
        assert!(matches!(err, DmaError::Internal { channel: Channel::Mm2s, dmasr, .. } if dmasr & DMASR_HALTED != 0), "{err}");
    })
    .unwrap();
}

#[test]
fn unmapped_address_is_a_decode_error_and_a_soft_reset_recovers() {
    let kernel = ufunc();
    with_board(&kernel, &BoardSimConfig::default(), |board| {
        let mut dma = started(board, "a", Channel::Mm2s);
        CORE.transfer(&mut dma, Channel::Mm2s, 0x0800_0000, 64).unwrap();
        let err = CORE.wait(&mut dma, Channel::Mm2s, 64, T).unwrap_err();
        assert!(matches!(err, DmaError::Decode { channel: Channel::Mm2s, .. }), "{err}");
        assert!(err.to_string().contains("decode error"), "{err}");
        // RS was cleared by the error: RS=1 again does not leave Halted until a reset.
        let dmacr = dma.read32(MM2S_DMACR).unwrap();
        assert_eq!(dmacr & DMACR_RS, 0);
        // The next call resets every core first and runs correctly on the same board.
        let inputs = inputs(64, 0);
        let mut control = board.control();
        let mut dmas = board.dmas();
        let mut regs: Vec<&mut dyn RegisterAccess> = dmas.iter_mut().map(|d| d as &mut dyn RegisterAccess).collect();
        let settings = CallSettings { done: DoneMode::Poll, timeout: T, length_bits: 26, dma_interrupts: false };
        let outputs = kernel_call(&kernel, &inputs, &mut control, &mut regs, &mut board.memory(), &settings).unwrap();
        assert_eq!(outputs, kernel.golden(&inputs).unwrap());
    })
    .unwrap();
}

#[test]
fn slave_error_from_memory_is_its_own_error() {
    with_board(&ufunc(), &BoardSimConfig::default(), |board| {
        let buffer = filled(board, &[1, 2, 3, 4]);
        board.inject_slave_error(&buffer);
        let mut dma = started(board, "b", Channel::Mm2s);
        CORE.transfer(&mut dma, Channel::Mm2s, buffer.phys, 16).unwrap();
        let err = CORE.wait(&mut dma, Channel::Mm2s, 16, T).unwrap_err();
        assert!(matches!(err, DmaError::Slave { channel: Channel::Mm2s, dmasr, .. } if dmasr & DMASR_ERR_IRQ != 0), "{err}");
    })
    .unwrap();
}

#[test]
fn a_packet_longer_than_the_buffer_is_its_own_error() {
    let kernel = ufunc();
    with_board(&kernel, &BoardSimConfig::default(), |board| {
        let words: Vec<u32> = (0..16).collect();
        let (a, b) = (filled(board, &words), filled(board, &words));
        let out = board.memory().allocate(32).unwrap(); // room for 8 of the 16 results
        let mut dma_out = started(board, "out", Channel::S2mm);
        let mut dma_a = started(board, "a", Channel::Mm2s);
        let mut dma_b = started(board, "b", Channel::Mm2s);
        CORE.transfer(&mut dma_out, Channel::S2mm, out.phys, 32).unwrap();
        CORE.transfer(&mut dma_a, Channel::Mm2s, a.phys, 64).unwrap();
        CORE.transfer(&mut dma_b, Channel::Mm2s, b.phys, 64).unwrap();
        let block = HlsBlock::new(&kernel.manifest, DoneMode::Poll).unwrap();
        let mut control = board.control();
        block.write_args(&mut control, &Values::new().with_scalar("op", 0)).unwrap();
        block.start(&mut control).unwrap();
        let err = CORE.wait(&mut dma_out, Channel::S2mm, 32, T).unwrap_err();
        assert!(matches!(err, DmaError::PacketTooLong { capacity: 32, .. }), "{err}");
        assert!(err.to_string().contains("longer than the 32-byte buffer"), "{err}");
    })
    .unwrap();
}

#[test]
fn a_dma_that_never_goes_idle_times_out_naming_channel_and_status() {
    with_board(&ufunc(), &BoardSimConfig::default(), |board| {
        // The kernel is never started: it takes at most a register slice of `a`, never 256 beats.
        let buffer = filled(board, &vec![7; 256]);
        let mut dma = started(board, "a", Channel::Mm2s);
        CORE.transfer(&mut dma, Channel::Mm2s, buffer.phys, 1024).unwrap();
        let before = board.cycle();
        let err = CORE.wait(&mut dma, Channel::Mm2s, 1024, T).unwrap_err();
        let waited = board.cycle() - before;
        assert!(matches!(err, DmaError::Timeout { channel: Channel::Mm2s, dmasr, .. } if dmasr & DMASR_IDLE == 0), "{err}");
        // 20 us at 300 MHz = 6000 cycles: the wait is bounded in simulated time.
        assert!((6000..6100).contains(&waited), "waited {waited} cycles");
        let message = err.to_string();
        assert!(message.contains("MM2S") && message.contains("DMASR=") && message.contains("Idle"), "{message}");
        // The kernel's done wait is bounded the same way.
        let kernel = ufunc();
        let block = HlsBlock::new(&kernel.manifest, DoneMode::Interrupt).unwrap();
        let mut control = board.control();
        block.start(&mut control).unwrap();
        let err = block.wait_done(&mut control, T).unwrap_err().to_string();
        assert!(err.contains("no ap_done within"), "{err}");
    })
    .unwrap();
}

#[test]
fn irq_bits_are_write_one_to_clear() {
    with_board(&ufunc(), &BoardSimConfig::default(), |board| {
        let buffer = filled(board, &[9; 4]);
        let mut dma = started(board, "a", Channel::Mm2s);
        // Two beats fit the kernel's input register slice without a start.
        CORE.transfer(&mut dma, Channel::Mm2s, buffer.phys, 4).unwrap();
        let (status, done) = poll_idle(&mut dma);
        assert!(done && status & DMASR_IOC_IRQ != 0, "{status:#x}");
        dma.write32(MM2S_DMASR, DMASR_DLY_IRQ).unwrap();
        assert_ne!(dma.read32(MM2S_DMASR).unwrap() & DMASR_IOC_IRQ, 0, "writing another bit leaves IOC");
        dma.write32(MM2S_DMASR, DMASR_IOC_IRQ).unwrap();
        assert_eq!(dma.read32(MM2S_DMASR).unwrap() & DMASR_IRQ_MASK, 0);
    })
    .unwrap();
}

fn poll_idle(dma: &mut dyn RegisterAccess) -> (u32, bool) {
    for _ in 0..1000 {
        let status = dma.read32(MM2S_DMASR).unwrap();
        if status & DMASR_IDLE != 0 {
            return (status, true);
        }
    }
    (0, false)
}

#[test]
fn dma_reading_unflushed_bytes_is_caught() {
    with_board(&ufunc(), &BoardSimConfig::default(), |board| {
        let mut mem = board.memory();
        let buffer = mem.allocate(8).unwrap();
        mem.write(&buffer, 0, &[1; 8]).unwrap(); // no sync_for_device
        let mut dma = started(board, "a", Channel::Mm2s);
        let err = CORE
            .transfer(&mut dma, Channel::Mm2s, buffer.phys, 8)
            .and_then(|()| CORE.wait(&mut dma, Channel::Mm2s, 8, T).map(drop))
            .unwrap_err();
        assert!(matches!(err, DmaError::Device(DeviceError::Coherence { .. })), "{err}");
        assert!(err.to_string().contains("sync_for_device"), "{err}");
    })
    .unwrap();
}

#[test]
fn cpu_reading_without_invalidate_is_caught() {
    let kernel = ufunc();
    with_board(&kernel, &BoardSimConfig::default(), |board| {
        let words: Vec<u32> = (0..4).collect();
        let (a, b) = (filled(board, &words), filled(board, &words));
        let out = board.memory().allocate(16).unwrap();
        let mut dma_out = started(board, "out", Channel::S2mm);
        let mut dma_a = started(board, "a", Channel::Mm2s);
        let mut dma_b = started(board, "b", Channel::Mm2s);
        CORE.transfer(&mut dma_out, Channel::S2mm, out.phys, 16).unwrap();
        CORE.transfer(&mut dma_a, Channel::Mm2s, a.phys, 16).unwrap();
        CORE.transfer(&mut dma_b, Channel::Mm2s, b.phys, 16).unwrap();
        let block = HlsBlock::new(&kernel.manifest, DoneMode::Poll).unwrap();
        let mut control = board.control();
        block.write_args(&mut control, &Values::new().with_scalar("op", 0)).unwrap();
        block.start(&mut control).unwrap();
        block.wait_done(&mut control, T).unwrap();
        assert_eq!(CORE.wait(&mut dma_out, Channel::S2mm, 16, T).unwrap(), 16, "S2MM byte count written back");
        let mut mem = board.memory();
        let mut bytes = [0u8; 16];
        let err = mem.read(&out, 0, &mut bytes).unwrap_err();
        assert!(matches!(err, DeviceError::Coherence { .. }) && err.to_string().contains("sync_for_cpu"), "{err}");
        mem.sync_for_cpu(&out, 0, 16).unwrap();
        mem.read(&out, 0, &mut bytes).unwrap();
        assert_eq!(&bytes[4..8], &2u32.to_le_bytes(), "1 + 1");
    })
    .unwrap();
}

#[test]
fn a_transfer_longer_than_the_length_register_is_refused() {
    with_board(&ufunc(), &BoardSimConfig { length_bits: 14, ..BoardSimConfig::default() }, |board| {
        let small = AxiDma { length_bits: 14, ..CORE };
        let mut dma = started(board, "a", Channel::Mm2s);
        let err = small.transfer(&mut dma, Channel::Mm2s, 0x1000_0000, 1 << 14).unwrap_err();
        assert!(matches!(err, DmaError::TooLong { max: 16383, .. }), "{err}");
    })
    .unwrap();
}

#[test]
fn board_configs_fail_fast_naming_the_missing_node_and_key() {
    let root = codesign::workspace_root().join("configs");
    for (file, node, key) in [
        ("zynq-zcu104.yaml", "/dev/uio4", "zynq.kernel.uio"),
        ("zynq-kv260.yaml", "/dev/uio2", "zynq.kernel.uio"),
        ("pynq-z2.yaml", "/dev/uio0", "zynq.kernel.uio"),
        ("xdma.yaml", "/dev/xdma0_user", "xdma.device"),
        ("zynq-zcu104-vadd.yaml", "/dev/uio4", "zynq.kernel.uio"),
        ("xdma-mm.yaml", "/dev/xdma0_user", "xdma.device"),
    ] {
        if std::path::Path::new(node).exists() {
            panic!("{node} exists: this test expects a machine without a board");
        }
        let config = Config::load(&root.join(file)).unwrap();
        let started = Instant::now();
        let err = backends::open(&config).map(drop).unwrap_err().to_string();
        assert!(started.elapsed() < Duration::from_secs(1), "{file}: took {:?}", started.elapsed());
        let expected = format!("device not found: {node} (config key {key})");
        assert!(err.contains(&expected), "{file}: {err}");
    }
    // XRT: the library is what is missing (the dynamic loader finds no libxrt_coreutil.so).
    let config = Config::load(&root.join("xrt.yaml")).unwrap();
    let started = Instant::now();
    let err = backends::open(&config).map(drop).unwrap_err().to_string();
    assert!(started.elapsed() < Duration::from_secs(1), "xrt.yaml: took {:?}", started.elapsed());
    assert!(err.contains("cannot load XRT library `libxrt_coreutil.so`") && err.contains("xrt.library"), "xrt.yaml: {err}");
}
