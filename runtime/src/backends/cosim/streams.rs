//! The stream ports of a call, walked once per cycle: sources driven, sinks driven, and after
//! the settle both sampled, with each port's first and last transfer marked. The harness runs
//! them in every cycle, and alone (in a loop that keeps them in registers) once only the
//! streams move.

use codesign_sim::axis::{AxisSink, AxisSource};
use codesign_sim::Agent;

use crate::rtl::Marks;

/// A stream port's bus model with the marks of its transfers, side by side so that the cycle
/// loop walks one list per direction.
#[derive(Debug)]
pub(super) struct Marked<A> {
    pub(super) agent: A,
    pub(super) marks: Marks,
}

impl<A> Marked<A> {
    pub(super) fn new(agent: A) -> Self {
        Marked { agent, marks: Marks::default() }
    }
}

impl<A> std::ops::Deref for Marked<A> {
    type Target = A;
    fn deref(&self) -> &A {
        &self.agent
    }
}

impl<A> std::ops::DerefMut for Marked<A> {
    fn deref_mut(&mut self) -> &mut A {
        &mut self.agent
    }
}

/// `ports` as a slice whose length the compiler knows when `N` > 0 (it must then be `N`);
/// `N` = 0 leaves it as it is.
#[inline(always)]
pub(super) fn shaped<T, const N: usize>(ports: &mut [T]) -> &mut [T] {
    if N == 0 {
        return ports;
    }
    match <&mut [T; N]>::try_from(ports) {
        Ok(fixed) => fixed.as_mut_slice(),
        Err(_) => unreachable!("a shape of {N} ports was chosen for another count"),
    }
}

/// `$body` for each `$port` of `$ports`, written out once per port when the shape `$n` says
/// there are 1 or 2 (0: any number), so that the walk has no loop left: LLVM keeps a loop of
/// two large bodies. A macro, not a function taking a closure, which would not be inlined.
macro_rules! each {
    ($n:expr, $ports:expr, $port:pat => $body:block) => {
        match $ports {
            [only] if $n == 1 => {
                let $port = only;
                $body
            }
            [first, second] if $n == 2 => {
                let $port = first;
                $body
                let $port = second;
                $body
            }
            ports => {
                for $port in ports {
                    $body
                }
            }
        }
    };
}

/// What one cycle moved on the stream ports.
#[derive(Debug, Clone, Copy)]
pub(super) struct Moved {
    /// Output beats taken.
    pub(super) received: u64,
    /// Whether any port (input or output) transferred.
    pub(super) any: bool,
}

/// The stream ports of a call, borrowed for a run of cycles: `INS` sources and `OUTS` sinks
/// (0: any number), so that the compiler unrolls the walks over the ports of common shapes.
pub(super) struct Streams<'h, 'm, const INS: usize = 0, const OUTS: usize = 0> {
    pub(super) sources: &'h mut [Marked<AxisSource<'m>>],
    pub(super) sinks: &'h mut [Marked<AxisSink<'m>>],
    /// Last cycle an output was held back by the downstream (VALID && !READY).
    pub(super) output_held_at: &'h mut Option<u64>,
    /// Cycles back-pressure takes to travel from an output to the inputs.
    pub(super) pipeline_depth: u64,
}

impl<const INS: usize, const OUTS: usize> Streams<'_, '_, INS, OUTS> {
    /// Drives every sink's TREADY and, when `feeding`, every source's beat.
    #[inline(always)]
    pub(super) fn drive(&mut self, feeding: bool) {
        if feeding {
            each!(INS, &mut *self.sources, source => { source.drive() });
        }
        each!(OUTS, &mut *self.sinks, sink => { sink.drive() });
    }

    /// Samples every port after the settle of `cycle`.
    #[inline(always)]
    pub(super) fn sample(&mut self, cycle: u64) -> Moved {
        let mut received = 0;
        // Outputs first: a beat offered and not taken is an output held back.
        each!(OUTS, &mut *self.sinks, Marked { agent: sink, marks } => {
            if sink.sample() {
                marks.mark(cycle);
                received += 1;
            } else if sink.ports().tvalid.is_high() {
                *self.output_held_at = Some(cycle);
            }
        });
        let mut taken = false;
        let (held_at, depth) = (*self.output_held_at, self.pipeline_depth);
        each!(INS, &mut *self.sources, Marked { agent: source, marks } => {
            if source.sample() {
                marks.mark(cycle);
                taken = true;
            } else if source.ports().tvalid.is_high() && held_at.is_some_and(|held| cycle - held <= depth) {
                // An input stall within the pipeline's depth of an output being held back is
                // that back-pressure reaching the input through the kernel, not its own pace.
                marks.blocked_by_output += 1;
            }
        });
        Moved { received, any: taken || received > 0 }
    }

    /// The cycle of the last transfer on any port, if one moved a beat yet.
    pub(super) fn last_transfer(&self) -> Option<u64> {
        let sources = self.sources.iter().map(|s| s.marks.last_transfer());
        sources.chain(self.sinks.iter().map(|s| s.marks.last_transfer())).flatten().max()
    }
}

/// When a streams-only run of cycles ends, asked in steps so that the cycle loop keeps only
/// cheap tests in line: a count of output beats it holds itself, and a test of its own.
pub(super) trait Until {
    /// Output beats in all (since the bind, as [`super::Harness::output_beats`] counts)
    /// before which the end cannot have come; `None` when the end is not a count of beats
    /// (the loop then counts none).
    fn beats_due(&self) -> Option<u64>;
    /// Every cycle: whether the end may have come, beats aside.
    fn may_have_ended(&mut self) -> bool;
    /// Whether it has, with the streams' progress to look at.
    fn ended(&mut self, harness: &super::Harness<'_>) -> bool;
}
