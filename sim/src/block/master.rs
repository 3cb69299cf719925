//! The caller's side of `ap_ctrl_hs` / `ap_ctrl_chain` on bare ports, as Vitis cosim drives
//! it: `ap_start` is held high while transactions remain; the transaction whose inputs are
//! presented is accepted at the edge where `ap_ready` is high, and the next one's inputs are
//! presented from the following cycle (a pipelined design takes one per cycle); each
//! `ap_done` completes the oldest open transaction. `ap_continue` is held high, so a chain
//! kernel never waits for its consumer.

use crate::verilated::{Bit, Direction, Model, ModelError};
use crate::CycleCounter;

/// `ap_start`, `ap_done`, `ap_idle`, `ap_ready` and, for ap_ctrl_chain, `ap_continue`.
#[derive(Debug, Clone, Copy)]
pub struct BlockPorts<'m> {
    /// `ap_start` (driven).
    pub start: Bit<'m>,
    /// `ap_done`.
    pub done: Bit<'m>,
    /// `ap_idle`.
    pub idle: Bit<'m>,
    /// `ap_ready`.
    pub ready: Bit<'m>,
    /// `ap_continue` (driven), ap_ctrl_chain only.
    pub continue_: Option<Bit<'m>>,
}

impl<'m> BlockPorts<'m> {
    /// Binds the four ports, and `ap_continue` when `chain`; a missing one is an error
    /// naming it.
    pub fn bind(model: &'m Model, chain: bool) -> Result<Self, ModelError> {
        let ports = BlockPorts {
            start: model.bit("ap_start", Direction::Input)?,
            done: model.bit("ap_done", Direction::Output)?,
            idle: model.bit("ap_idle", Direction::Output)?,
            ready: model.bit("ap_ready", Direction::Output)?,
            continue_: if chain { Some(model.bit("ap_continue", Direction::Input)?) } else { None },
        };
        ports.start.set(false);
        if let Some(c) = ports.continue_ {
            c.set(true);
        }
        Ok(ports)
    }

    /// `ap_start=1 ap_done=0 ...`, for hang reports.
    pub fn state(&self) -> String {
        let mut state = format!(
            "ap_start={} ap_done={} ap_idle={} ap_ready={}",
            self.start.get(),
            self.done.get(),
            self.idle.get(),
            self.ready.get()
        );
        if let Some(c) = self.continue_ {
            state.push_str(&format!(" ap_continue={}", c.get()));
        }
        state
    }
}

/// What happened at one edge.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BlockEvent {
    /// Transaction accepted (`ap_start && ap_ready`): its inputs were taken.
    pub accepted: Option<usize>,
    /// Transaction completed (`ap_done`).
    pub done: Option<usize>,
    /// `ap_done` came with no transaction open.
    pub spurious_done: bool,
}

/// Runs `transactions` transactions through the block ports and records when each started
/// and finished.
#[derive(Debug)]
pub struct BlockMaster<'m> {
    ports: BlockPorts<'m>,
    transactions: usize,
    running: bool,
    /// Cycle at which each transaction's inputs were first presented with `ap_start` high.
    starts: Vec<u64>,
    /// Cycle of each transaction's `ap_done`.
    dones: Vec<u64>,
    accepted: usize,
    now: CycleCounter,
}

impl<'m> BlockMaster<'m> {
    /// An idle master (ap_start low) that will run `transactions` once [`Self::run`] is called.
    pub fn new(ports: BlockPorts<'m>, transactions: usize, now: CycleCounter) -> Self {
        BlockMaster { ports, transactions, running: false, starts: Vec::new(), dones: Vec::new(), accepted: 0, now }
    }

    /// Starts raising `ap_start`.
    pub fn run(&mut self) {
        self.running = true;
    }

    /// The ports.
    pub fn ports(&self) -> &BlockPorts<'m> {
        &self.ports
    }

    /// The transaction whose inputs are presented now (== `transactions` once all were
    /// accepted).
    pub fn presenting(&self) -> usize {
        self.accepted
    }

    /// Transactions accepted so far.
    pub fn accepted(&self) -> usize {
        self.accepted
    }

    /// Transactions completed so far.
    pub fn completed(&self) -> usize {
        self.dones.len()
    }

    /// Transactions in the call.
    pub fn transactions(&self) -> usize {
        self.transactions
    }

    /// True when every transaction completed.
    pub fn finished(&self) -> bool {
        self.dones.len() == self.transactions
    }

    /// Start cycle of each accepted transaction.
    pub fn starts(&self) -> &[u64] {
        &self.starts
    }

    /// `ap_done` cycle of each completed transaction.
    pub fn dones(&self) -> &[u64] {
        &self.dones
    }

    /// Sets `ap_start` for the coming edge.
    #[inline(always)]
    pub fn drive(&mut self) {
        let start = self.running && self.accepted < self.transactions;
        if start && self.starts.len() == self.accepted {
            self.starts.push(self.now.get());
        }
        self.ports.start.set(start);
    }

    /// Observes `ap_ready` and `ap_done` before the edge.
    #[inline(always)]
    pub fn sample(&mut self) -> BlockEvent {
        let mut event = BlockEvent::default();
        if self.ports.start.is_high() && self.ports.ready.is_high() {
            event.accepted = Some(self.accepted);
            self.accepted += 1;
        }
        if self.ports.done.is_high() {
            if self.dones.len() < self.accepted {
                event.done = Some(self.dones.len());
                self.dones.push(self.now.get());
            } else {
                event.spurious_done = true;
            }
        }
        event
    }
}
