//! The cycle: agents drive, the model settles, agents sample, the clock rises.

use std::cell::Cell;
use std::rc::Rc;

use crate::verilated::{Bit, Model, ModelError, Trace};

/// The clock's cycle count, shared with the bus models that report cycles in errors.
#[derive(Debug, Clone, Default)]
pub struct CycleCounter(Rc<Cell<u64>>);

impl CycleCounter {
    /// Rising edges so far.
    #[inline(always)]
    pub fn get(&self) -> u64 {
        self.0.get()
    }
}

/// A bus model that takes part in every cycle.
pub trait Agent {
    /// Sets the inputs this agent owns for the coming rising edge.
    fn drive(&mut self);
    /// Observes the settled signals just before the edge. Returns true if a transfer
    /// (a VALID && READY handshake) completes at this edge.
    fn sample(&mut self) -> bool;
}

/// Steps a model one clock cycle at a time and counts cycles.
///
/// Per cycle: [`Agent::drive`] for all, `eval` (clock low), [`Agent::sample`] for all, clock
/// high and `eval`. Two evals per cycle, as in a hand-written Verilator testbench.
#[derive(Debug)]
pub struct Clock<'m> {
    clk: Bit<'m>,
    cycle: u64,
    shared: CycleCounter,
    /// `model.eval` resolved once: the shim entry and the handle.
    eval: unsafe extern "C" fn(*mut core::ffi::c_void),
    handle: *mut core::ffi::c_void,
    _model: std::marker::PhantomData<&'m Model>,
}

impl<'m> Clock<'m> {
    /// A clock on port `clock` (e.g. `ap_clk`), starting low at cycle 0.
    pub fn new(model: &'m Model, clock: &str) -> Result<Self, ModelError> {
        let clk = model.bit(clock, crate::verilated::Direction::Input)?;
        clk.set(false);
        model.eval();
        let (eval, handle) = model.eval_entry();
        Ok(Clock { clk, cycle: 0, shared: CycleCounter::default(), eval, handle, _model: std::marker::PhantomData })
    }

    /// Rising edges so far.
    pub fn cycle(&self) -> u64 {
        self.cycle
    }

    /// A handle that reads this clock's cycle count, for bus models.
    pub fn counter(&self) -> CycleCounter {
        self.shared.clone()
    }

    /// Evaluates with the clock low, so outputs reflect the inputs just driven.
    #[inline(always)]
    pub fn settle(&self) {
        // SAFETY: `handle` belongs to the model borrowed for 'm.
        unsafe { (self.eval)(self.handle) }
    }

    /// One rising edge; the clock returns low (evaluated at the next [`Clock::settle`]).
    #[inline(always)]
    pub fn rise(&mut self) {
        self.clk.set(true);
        // SAFETY: as in `settle`.
        unsafe { (self.eval)(self.handle) };
        self.clk.set(false);
        self.cycle += 1;
        self.shared.0.set(self.cycle);
    }

    /// [`Clock::settle`], then a dump of the low phase into `trace` if there is one.
    #[inline(always)]
    pub fn settle_traced(&self, trace: Option<&mut Trace<'_>>) {
        self.settle();
        if let Some(trace) = trace {
            trace.dump_low(self.cycle);
        }
    }

    /// [`Clock::rise`] with a dump of the high phase into `trace`, if there is one, while the
    /// clock is high.
    #[inline(always)]
    pub fn rise_traced(&mut self, trace: Option<&mut Trace<'_>>) {
        let Some(trace) = trace else { return self.rise() };
        self.clk.set(true);
        // SAFETY: as in `settle`.
        unsafe { (self.eval)(self.handle) };
        trace.dump_high(self.cycle);
        self.clk.set(false);
        self.cycle += 1;
        self.shared.0.set(self.cycle);
    }

    /// One full cycle for the given agents; true if any of them transferred something.
    pub fn step(&mut self, agents: &mut [&mut dyn Agent]) -> bool {
        for agent in agents.iter_mut() {
            agent.drive();
        }
        self.settle();
        let mut progress = false;
        for agent in agents.iter_mut() {
            progress |= agent.sample();
        }
        self.rise();
        progress
    }
}
