//! Scalar arguments on their own ports. Inputs: `<rtl>` (data), `<rtl>_ap_vld` (driven
//! high while a value is offered: ap_vld, ap_hs), `<rtl>_ap_ack` (the kernel took it: ap_ack,
//! ap_hs). Outputs: `<rtl>` (data), `<rtl>_ap_vld` (the kernel wrote it: ap_vld, ap_hs,
//! ap_ovld), `<rtl>_ap_ack` (driven high while we take it). Under back-pressure a [`Pause`]
//! withholds an input's `_ap_vld` and an output's `_ap_ack` on its cycles, as a slow producer
//! or consumer would: the kernel's wait states run.

use crate::pause::Pause;
use crate::verilated::{Bit, Direction, Model, ModelError, Signal};

/// Drives one input argument: value `i` for transaction `i`.
#[derive(Debug)]
pub struct ScalarSource<'m> {
    name: String,
    data: Signal<'m>,
    vld: Option<Bit<'m>>,
    ack: Option<Bit<'m>>,
    values: Vec<u64>,
    /// Handshaken inputs (ap_ack, ap_hs): values the kernel acknowledged.
    acked: usize,
    /// Cycles on which `_ap_vld` is withheld.
    pause: Pause,
    /// Whether a value is offered this cycle (set by `drive`).
    offered: bool,
    /// An acknowledge with no value offered (an ap_ack input acknowledged twice in one
    /// transaction, or beyond its last value): how many values had been acknowledged then.
    extra_ack: Option<usize>,
}

impl<'m> ScalarSource<'m> {
    /// Binds `port` (`width` bits) and, when asked, `<port>_ap_vld` / `<port>_ap_ack`.
    pub fn bind(
        model: &'m Model,
        name: &str,
        port: &str,
        width: u32,
        vld: bool,
        ack: bool,
        values: Vec<u64>,
    ) -> Result<Self, ModelError> {
        let data = model.port_checked(port, Direction::Input, width)?;
        let vld = if vld { Some(model.bit(&format!("{port}_ap_vld"), Direction::Input)?) } else { None };
        let ack = if ack { Some(model.bit(&format!("{port}_ap_ack"), Direction::Output)?) } else { None };
        data.set(0);
        if let Some(v) = vld {
            v.set(false);
        }
        Ok(ScalarSource {
            name: name.to_owned(),
            data,
            vld,
            ack,
            values,
            acked: 0,
            pause: Pause::never(),
            offered: false,
            extra_ack: None,
        })
    }

    /// Withholds `_ap_vld` on the cycles `pause` says (no effect without `_ap_vld`).
    pub fn set_pause(&mut self, pause: Pause) {
        self.pause = pause;
    }

    /// The argument's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Presents the value of `transaction` (a handshaken input: of the next value not yet
    /// acknowledged, if it is not ahead of `transaction`); `_ap_vld` is high while a value is
    /// offered.
    #[inline(always)]
    pub fn drive(&mut self, transaction: usize) {
        let index = if self.ack.is_some() { self.acked } else { transaction };
        let offered = index < self.values.len() && index <= transaction;
        if let Some(&value) = self.values.get(index.min(self.values.len().saturating_sub(1))) {
            self.data.set(value);
        }
        self.offered = offered;
        if let Some(v) = self.vld {
            self.offered = offered && !self.pause.next_cycle();
            v.set(self.offered);
        }
    }

    /// Counts an acknowledgement of a handshaken input; true if one happened.
    #[inline(always)]
    pub fn sample(&mut self) -> bool {
        match self.ack {
            Some(ack) if ack.is_high() && self.offered => {
                self.acked += 1;
                true
            }
            // Without `_ap_vld` the kernel cannot know; with it, an ack while it is low is
            // the kernel's business (nothing was taken).
            Some(ack) if ack.is_high() && self.vld.is_none() && self.extra_ack.is_none() => {
                self.extra_ack = Some(self.acked);
                false
            }
            _ => false,
        }
    }

    /// The first acknowledge with no value offered, as the number of values acknowledged
    /// before it (an ap_ack input taken twice in one transaction).
    pub fn extra_ack(&self) -> Option<usize> {
        self.extra_ack
    }

    /// Values the kernel has not acknowledged (handshaken inputs; 0 otherwise).
    pub fn unacknowledged(&self) -> usize {
        if self.ack.is_some() {
            self.values.len() - self.acked
        } else {
            0
        }
    }
}

/// Collects one output argument, one value per transaction.
#[derive(Debug)]
pub struct ScalarSink<'m> {
    name: String,
    data: Signal<'m>,
    vld: Option<Bit<'m>>,
    /// The last value the kernel marked valid, and whether it came since the last done.
    latest: u64,
    fresh: bool,
    values: Vec<u64>,
    /// Transactions in which a `_ap_vld` output was never valid (its value carried over).
    missing: Vec<usize>,
    /// `<port>_ap_ack`, high on every cycle but those `pause` withholds.
    ack: Option<Bit<'m>>,
    pause: Pause,
}

impl<'m> ScalarSink<'m> {
    /// Binds `port` (`width` bits) and, when asked, `<vld_port>` and `<port>_ap_ack`
    /// (driven high).
    pub fn bind(
        model: &'m Model,
        name: &str,
        port: &str,
        width: u32,
        vld_port: Option<&str>,
        ack: bool,
    ) -> Result<Self, ModelError> {
        let data = model.port_checked(port, Direction::Output, width)?;
        let vld = match vld_port {
            Some(p) => Some(model.bit(p, Direction::Output)?),
            None => None,
        };
        let ack = if ack { Some(model.bit(&format!("{port}_ap_ack"), Direction::Input)?) } else { None };
        if let Some(a) = ack {
            a.set(true);
        }
        Ok(ScalarSink {
            name: name.to_owned(),
            data,
            vld,
            latest: 0,
            fresh: false,
            values: Vec::new(),
            missing: Vec::new(),
            ack,
            pause: Pause::never(),
        })
    }

    /// Withholds `_ap_ack` on the cycles `pause` says (no effect without `_ap_ack`).
    pub fn set_pause(&mut self, pause: Pause) {
        self.pause = pause;
    }

    /// Drives `_ap_ack` for this cycle.
    #[inline(always)]
    pub fn drive(&mut self) {
        if let Some(ack) = self.ack {
            ack.set(!self.pause.next_cycle());
        }
    }

    /// The argument's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Observes the port before the edge; `done` is true when a transaction completes at
    /// this edge: the value is the data now (no `_ap_vld`) or the last valid one.
    #[inline(always)]
    pub fn sample(&mut self, done: bool) -> bool {
        let mut moved = false;
        if let Some(vld) = self.vld {
            if vld.is_high() {
                self.latest = self.data.get();
                self.fresh = true;
                moved = true;
            }
        }
        if done {
            if self.vld.is_none() {
                self.latest = self.data.get();
            } else if !self.fresh {
                self.missing.push(self.values.len());
            }
            self.values.push(self.latest);
            self.fresh = false;
        }
        moved
    }

    /// The value now (the register path: taken once after the call).
    pub fn take_now(&mut self) {
        self.sample(true);
    }

    /// Transactions whose `_ap_vld` never rose (the value is the previous transaction's, as
    /// the C++ variable would hold).
    pub fn missing(&self) -> &[usize] {
        &self.missing
    }

    /// The collected values, one per transaction.
    pub fn take_values(&mut self) -> Vec<u64> {
        std::mem::take(&mut self.values)
    }
}
