//! The s_axi_control register semantics of HLS block protocols, driven register by register
//! against the RTL (shared/docs/hls-rtl-contract.md): ap_ctrl_hs on ufunc_i32.
#![allow(clippy::unwrap_used)]

use codesign::backends::cosim::{reg, session, Harness};
use codesign::config::CosimConfig;
use codesign::{Error, Kernel};
use codesign_models::Values;

fn ufunc_inputs(n: i32) -> Values {
    let a: Vec<i32> = (0..n).collect();
    Values::new().with_i32s("a", &a).with_i32s("b", &a).with_scalar("op", 0)
}

/// Starts the kernel with the done interrupt enabled and waits for it.
fn start_and_wait(h: &mut Harness<'_>) -> Result<(), Error> {
    h.write(reg::GIE, 1)?;
    h.write(reg::IER, reg::IRQ_DONE)?;
    h.mark_start();
    h.write(reg::AP_CTRL, reg::AP_START)?;
    h.run_until_interrupt()
}

#[test]
fn idle_after_reset_and_busy_while_running() {
    let kernel = Kernel::named("ufunc_i32").unwrap();
    let inputs = ufunc_inputs(64);
    session(&kernel, &inputs, &CosimConfig::default(), |h| {
        let ctrl = h.read(reg::AP_CTRL)?;
        assert_eq!(ctrl & (reg::AP_START | reg::AP_DONE | reg::AP_IDLE), reg::AP_IDLE, "after reset: {ctrl:#x}");
        h.mark_start();
        h.write(reg::AP_CTRL, reg::AP_START)?;
        h.idle(4)?;
        let ctrl = h.read(reg::AP_CTRL)?;
        assert_eq!(ctrl & reg::AP_IDLE, 0, "running, so not idle: {ctrl:#x}");
        Ok(())
    })
    .unwrap();
}

#[test]
fn done_and_ready_are_clear_on_read() {
    let kernel = Kernel::named("ufunc_i32").unwrap();
    let inputs = ufunc_inputs(16);
    session(&kernel, &inputs, &CosimConfig::default(), |h| {
        start_and_wait(h)?;
        let first = h.read(reg::AP_CTRL)?;
        assert_eq!(first & reg::AP_DONE, reg::AP_DONE, "done after the interrupt: {first:#x}");
        assert_eq!(first & reg::AP_START, 0, "start cleared on ready: {first:#x}");
        assert_eq!(first & reg::AP_IDLE, reg::AP_IDLE, "idle again: {first:#x}");
        let second = h.read(reg::AP_CTRL)?;
        assert_eq!(second & (reg::AP_DONE | reg::AP_READY), 0, "done and ready clear on read: {second:#x}");
        Ok(())
    })
    .unwrap();
}

#[test]
fn isr_is_toggle_on_write_and_gie_gates_the_interrupt() {
    let kernel = Kernel::named("ufunc_i32").unwrap();
    let inputs = ufunc_inputs(8);
    session(&kernel, &inputs, &CosimConfig::default(), |h| {
        start_and_wait(h)?;
        assert!(h.interrupt());
        assert_eq!(h.read(reg::ISR)? & reg::IRQ_DONE, reg::IRQ_DONE);
        h.write(reg::ISR, reg::IRQ_DONE)?; // toggle: 1 -> 0
        h.idle(2)?;
        assert_eq!(h.read(reg::ISR)? & reg::IRQ_DONE, 0);
        assert!(!h.interrupt(), "cleared ISR drops the interrupt");
        h.write(reg::ISR, reg::IRQ_DONE)?; // toggle: 0 -> 1
        h.idle(2)?;
        assert_eq!(h.read(reg::ISR)? & reg::IRQ_DONE, reg::IRQ_DONE, "writing 1 toggles, it does not only clear");
        assert!(h.interrupt());
        h.write(reg::GIE, 0)?;
        h.idle(2)?;
        assert!(!h.interrupt(), "GIE = 0 masks the interrupt while ISR stays set");
        assert_eq!(h.read(reg::ISR)? & reg::IRQ_DONE, reg::IRQ_DONE);
        Ok(())
    })
    .unwrap();
}

#[test]
fn ier_masks_done_from_isr() {
    let kernel = Kernel::named("ufunc_i32").unwrap();
    let inputs = ufunc_inputs(8);
    session(&kernel, &inputs, &CosimConfig::default(), |h| {
        h.write(reg::GIE, 1)?;
        h.write(reg::IER, 0)?;
        h.mark_start();
        h.write(reg::AP_CTRL, reg::AP_START)?;
        h.idle(100)?;
        assert!(!h.interrupt(), "IER = 0: no interrupt");
        assert_eq!(h.read(reg::ISR)?, 0);
        assert_eq!(h.read(reg::AP_CTRL)? & reg::AP_DONE, reg::AP_DONE, "but the kernel is done");
        Ok(())
    })
    .unwrap();
}

#[test]
fn auto_restart_keeps_start_set_after_done() {
    let kernel = Kernel::named("ufunc_i32").unwrap();
    let inputs = ufunc_inputs(8);
    session(&kernel, &inputs, &CosimConfig::default(), |h| {
        h.write(reg::GIE, 1)?;
        h.write(reg::IER, reg::IRQ_DONE)?;
        h.mark_start();
        h.write(reg::AP_CTRL, reg::AP_START | reg::AUTO_RESTART)?;
        h.run_until_interrupt()?;
        h.idle(4)?;
        let ctrl = h.read(reg::AP_CTRL)?;
        assert_eq!(ctrl & reg::AUTO_RESTART, reg::AUTO_RESTART, "{ctrl:#x}");
        assert_eq!(ctrl & reg::AP_START, reg::AP_START, "auto_restart keeps ap_start: {ctrl:#x}");
        assert_eq!(ctrl & reg::AP_IDLE, 0, "restarted and waiting for the next packet: {ctrl:#x}");
        Ok(())
    })
    .unwrap();
}

#[test]
fn arguments_read_back_and_honour_wstrb_offsets() {
    let kernel = Kernel::named("ufunc_i32").unwrap();
    let inputs = ufunc_inputs(4);
    session(&kernel, &inputs, &CosimConfig::default(), |h| {
        let op = u64::from(kernel.manifest.arg("op").unwrap().offset.unwrap());
        h.write(op, 0xdead_beef)?;
        assert_eq!(h.read(op)?, 0xdead_beef);
        assert_eq!(h.read(op + 4)?, 0, "the reserved word after a 32-bit argument reads 0");
        Ok(())
    })
    .unwrap();
}

// ap_ctrl_chain on the fixture hls_chain_sum: a 64-bit input, a 64-bit output with _ap_vld.

fn chain_inputs(a: &[i32], bias: u64) -> Values {
    Values::new().with_i32s("a", a).with_scalar("bias", bias)
}

const BIAS: u64 = 0x10;
const SUM: u64 = 0x1c;
const SUM_CTRL: u64 = 0x24;

#[test]
fn chain_holds_done_until_continue() {
    let kernel = Kernel::fixture("hls_chain_sum").unwrap();
    let inputs = chain_inputs(&[1, 2, 3], 0);
    session(&kernel, &inputs, &CosimConfig::default(), |h| {
        start_and_wait(h)?;
        for _ in 0..3 {
            assert_eq!(h.read(reg::AP_CTRL)? & reg::AP_DONE, reg::AP_DONE, "ap_ctrl_chain: done survives reads");
        }
        h.write(reg::AP_CTRL, reg::AP_CONTINUE)?;
        h.idle(2)?;
        let ctrl = h.read(reg::AP_CTRL)?;
        assert_eq!(ctrl & (reg::AP_DONE | reg::AP_CONTINUE), 0, "continue clears done and self-clears: {ctrl:#x}");
        Ok(())
    })
    .unwrap();
}

#[test]
fn chain_output_scalar_is_valid_once_and_64_bit_args_take_two_words() {
    let kernel = Kernel::fixture("hls_chain_sum").unwrap();
    let bias = 0x7fff_ffff_ffff_fff0_u64;
    let a = [5, -3, 100];
    let inputs = chain_inputs(&a, bias);
    session(&kernel, &inputs, &CosimConfig::default(), |h| {
        assert_eq!(h.read(SUM_CTRL)? & 1, 0, "no sum before the call");
        h.write(BIAS, bias as u32)?;
        h.write(BIAS + 4, (bias >> 32) as u32)?;
        assert_eq!(u64::from(h.read(BIAS)?) | (u64::from(h.read(BIAS + 4)?) << 32), bias);
        start_and_wait(h)?;
        assert_eq!(h.read(SUM_CTRL)? & 1, 1, "sum_ap_vld after done");
        assert_eq!(h.read(SUM_CTRL)? & 1, 0, "sum_ap_vld is clear on read");
        let sum = u64::from(h.read(SUM)?) | (u64::from(h.read(SUM + 4)?) << 32);
        assert_eq!(sum, codesign_models::hls_chain_sum::hls_chain_sum(bias, &a), "wraps past 2^63");
        Ok(())
    })
    .unwrap();
}

#[test]
fn chain_kernel_runs_through_the_backend_against_its_golden_model() {
    use codesign::Backend;
    let kernel = Kernel::fixture("hls_chain_sum").unwrap();
    let mut cosim = codesign::backends::cosim::Cosim::new(CosimConfig::default());
    for (n, bias) in [(1usize, 0u64), (100, u64::MAX), (1000, 5)] {
        let a: Vec<i32> = (0..n as i32).map(|i| i.wrapping_mul(-7919)).collect();
        let inputs = chain_inputs(&a, bias);
        let outcome = cosim.call(&kernel, &inputs).unwrap();
        let want = kernel.golden(&inputs).unwrap();
        assert_eq!(outcome.outputs.scalars, want.scalars, "n = {n}");
        let cycles = outcome.report.cycles.unwrap();
        assert!(cycles as f64 <= 1.05 * (n as f64 + kernel.manifest.perf.latency as f64), "n = {n}: {cycles} cycles");
    }
}
