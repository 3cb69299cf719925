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

/// The two edges of a cycle on one model: its clock port and its `eval` entry, resolved once.
///
/// `Copy`, so that a cycle loop can hold it in registers: the model's first loads then follow
/// from a register, as in a hand-written testbench, not from a pointer read out of the clock
/// on every call.
#[derive(Debug, Clone, Copy)]
pub struct Edges<'m> {
    clk: Bit<'m>,
    eval: unsafe extern "C" fn(*mut core::ffi::c_void),
    /// What `eval` takes: the `V<top>` object itself.
    object: *mut core::ffi::c_void,
    _model: std::marker::PhantomData<&'m Model>,
}

impl Edges<'_> {
    /// Evaluates with the clock low, so outputs reflect the inputs just driven.
    #[inline(always)]
    pub fn settle(self) {
        // SAFETY: `object` belongs to the model borrowed for 'm.
        unsafe { (self.eval)(self.object) }
    }

    /// Clock high and `eval`, with `high` run while the clock is high; the clock returns low
    /// (evaluated at the next settle).
    #[inline(always)]
    pub fn rise(self, high: impl FnOnce()) {
        self.clk.set(true);
        self.settle();
        high();
        self.clk.set(false);
    }
}

/// `$each` for every edge of `$edges`, written out for systems of up to eight models and in a
/// loop beyond. Written out, each model's `eval` is an indirect call site of its own that
/// always reaches the same target, which the branch predictor gets from the call's address
/// alone; one call site reaching every model in turn must be predicted from the history (the
/// README's "Measuring": jacobi_l2 0.77-0.81x -> 0.84-0.90x of its kernels' added rates).
macro_rules! each_edge {
    ($edges:expr, $edge:ident => $each:expr) => {
        match *$edges {
            [] => {}
            [a] => each_edge!(@ $edge => $each; a),
            [a, b] => each_edge!(@ $edge => $each; a, b),
            [a, b, c] => each_edge!(@ $edge => $each; a, b, c),
            [a, b, c, d] => each_edge!(@ $edge => $each; a, b, c, d),
            [a, b, c, d, e] => each_edge!(@ $edge => $each; a, b, c, d, e),
            [a, b, c, d, e, f] => each_edge!(@ $edge => $each; a, b, c, d, e, f),
            [a, b, c, d, e, f, g] => each_edge!(@ $edge => $each; a, b, c, d, e, f, g),
            [a, b, c, d, e, f, g, h] => each_edge!(@ $edge => $each; a, b, c, d, e, f, g, h),
            ref more => {
                for &$edge in more {
                    $each;
                }
            }
        }
    };
    (@ $edge:ident => $each:expr; $($model:ident),+) => {{
        $(
            let $edge = $model;
            $each;
        )+
    }};
}

/// Settles every model of a system in turn (written out for small systems: `each_edge`).
#[inline(always)]
pub fn settle_each(edges: &[Edges<'_>]) {
    each_edge!(edges, edge => edge.settle());
}

/// One rising edge for every model of a system ([`Edges::rise`], the evals as in
/// [`settle_each`]); the owner counts it ([`Clock::count_rise`], once for clocks
/// [sharing](Clock::sharing) a count). Every clock is set high before the first eval: raising
/// and evaluating each model in one pass measured slower (the clock's store and the model's
/// read of it close together).
#[inline(always)]
pub fn rise_each(edges: &[Edges<'_>]) {
    each_edge!(edges, edge => edge.clk.set(true));
    settle_each(edges);
    each_edge!(edges, edge => edge.clk.set(false));
}

/// Steps a model one clock cycle at a time and counts cycles.
///
/// Per cycle: [`Agent::drive`] for all, `eval` (clock low), [`Agent::sample`] for all, clock
/// high and `eval`. Two evals per cycle, as in a hand-written Verilator testbench.
#[derive(Debug)]
pub struct Clock<'m> {
    edges: Edges<'m>,
    cycle: u64,
    shared: CycleCounter,
}

impl<'m> Clock<'m> {
    /// A clock on port `clock` (e.g. `ap_clk`), starting low at cycle 0.
    pub fn new(model: &'m Model, clock: &str) -> Result<Self, ModelError> {
        Self::sharing(model, clock, &CycleCounter::default())
    }

    /// A clock whose count is `counter`, which other clocks of a system in lockstep share: the
    /// bus models of every model then read one count, and one clock counts each edge for all
    /// ([`Clock::count_rise`]; a clock that does not count keeps its own [`Clock::cycle`]).
    pub fn sharing(model: &'m Model, clock: &str, counter: &CycleCounter) -> Result<Self, ModelError> {
        let clk = model.bit(clock, crate::verilated::Direction::Input)?;
        clk.set(false);
        model.eval();
        let (eval, object) = model.eval_entry();
        let edges = Edges { clk, eval, object, _model: std::marker::PhantomData };
        Ok(Clock { edges, cycle: counter.get(), shared: counter.clone() })
    }

    /// The clock port and `eval` entry, for a loop that keeps them in registers; it calls
    /// [`Clock::count_rise`] after each [`Edges::rise`].
    #[inline(always)]
    pub fn edges(&self) -> Edges<'m> {
        self.edges
    }

    /// Counts a rising edge made through [`Clock::edges`]; returns the cycle count now.
    #[inline(always)]
    pub fn count_rise(&mut self) -> u64 {
        // From a local: the shared cell could alias `self.cycle` for all the compiler knows.
        let cycle = self.cycle + 1;
        self.cycle = cycle;
        self.shared.0.set(cycle);
        cycle
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
        self.edges.settle();
    }

    /// One rising edge; the clock returns low (evaluated at the next [`Clock::settle`]).
    #[inline(always)]
    pub fn rise(&mut self) {
        self.edges.rise(|| ());
        self.count_rise();
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
        let cycle = self.cycle;
        self.edges.rise(|| trace.dump_high(cycle));
        self.count_rise();
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

#[cfg(test)]
mod tests {
    /// Written out or in a loop, every edge is visited once, in order, whatever the count.
    #[test]
    fn each_edge_visits_every_edge_once_in_order_written_out_or_not() {
        for count in 0..=11u32 {
            let edges: Vec<u32> = (0..count).collect();
            let mut seen = Vec::new();
            each_edge!(edges.as_slice(), edge => seen.push(edge));
            assert_eq!(seen, edges, "{count} edges");
        }
    }
}
