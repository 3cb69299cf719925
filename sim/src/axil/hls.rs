//! The s_axi_control register map of a Vitis HLS kernel (shared/docs/hls-rtl-contract.md).
//! Offsets of arguments come from the kernel's manifest, not from here.

/// AP_CTRL: start, done, idle, ready, continue, auto_restart, interrupt.
pub const AP_CTRL: u64 = 0x00;
/// GIE: global interrupt enable (bit 0).
pub const GIE: u64 = 0x04;
/// IER: interrupt enable, bit 0 done, bit 1 ready.
pub const IER: u64 = 0x08;
/// ISR: interrupt status, bit 0 done, bit 1 ready; toggle-on-write.
pub const ISR: u64 = 0x0c;

/// AP_CTRL bit 0: start (cleared by the kernel on ap_ready unless auto_restart).
pub const AP_START: u32 = 1 << 0;
/// AP_CTRL bit 1: done (clear-on-read with ap_ctrl_hs; held until continue with ap_ctrl_chain).
pub const AP_DONE: u32 = 1 << 1;
/// AP_CTRL bit 2: idle.
pub const AP_IDLE: u32 = 1 << 2;
/// AP_CTRL bit 3: ready (clear-on-read).
pub const AP_READY: u32 = 1 << 3;
/// AP_CTRL bit 4: continue (ap_ctrl_chain; write 1, self-clearing).
pub const AP_CONTINUE: u32 = 1 << 4;
/// AP_CTRL bit 7: auto_restart.
pub const AUTO_RESTART: u32 = 1 << 7;
/// ISR/IER bit 0: done.
pub const IRQ_DONE: u32 = 1 << 0;
/// ISR/IER bit 1: ready.
pub const IRQ_READY: u32 = 1 << 1;
