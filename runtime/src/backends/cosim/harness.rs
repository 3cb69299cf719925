//! Binds a manifest to a verilated model and runs the cycle loop: bus models with protocol
//! checkers on every port the kernel drives, and a watchdog on every wait.

use codesign_hw::manifest::{KeepMode, Level, StreamDirection, StreamProtocol};
use codesign_models::Values;
use codesign_sim::axil::{AxilMaster, AxilPorts};
use codesign_sim::axis::{AxisPorts, AxisSink, AxisSource, Layout};
use codesign_sim::block::{BlockEvent, BlockMaster, ScalarSink, ScalarSource};
use codesign_sim::pause::Pause;
use codesign_sim::verilated::{Bit, Direction, Model, Trace};
use codesign_sim::{Agent, Clock};

use super::arrays::Arrays;
use super::streams::{shaped, Marked, Streams, Until};
use crate::config::{CosimConfig, Limit};
use crate::rtl::end_rules::OutputProgress;
use crate::rtl::memory::Memories;
use crate::rtl::{CosimError, Marks, CHECK_EVERY};
use crate::{Error, Kernel, MemoryReport, PortReport};


/// One call's worth of bus models around one model.
pub struct Harness<'m> {
    kernel: String,
    clock: Clock<'m>,
    reset: Bit<'m>,
    reset_level: Level,
    reset_cycles: u32,
    /// The s_axilite bundle's `interrupt` and master: absent for bare or no block control
    /// without register arguments.
    interrupt: Option<Bit<'m>>,
    control: Option<AxilMaster<'m>>,
    /// Bare block control (`ap_start`/`ap_done`/...), running the call's transactions.
    pub(super) block: Option<BlockMaster<'m>>,
    /// Bare scalar arguments (see [`super::control`]).
    pub(super) scalar_sources: Vec<ScalarSource<'m>>,
    pub(super) scalar_sinks: Vec<ScalarSink<'m>>,
    /// First cycle `ap_done` rose with no transaction open.
    pub(super) spurious_done: Option<u64>,
    sources: Vec<Marked<AxisSource<'m>>>,
    sinks: Vec<Marked<AxisSink<'m>>>,
    /// The `m_axi` bundles and their simulated memory.
    memories: Memories<'m>,
    /// The `ap_memory` arrays and their block RAMs.
    pub(super) arrays: Arrays<'m>,
    /// Cycle of the `ap_start` write: statistics count from here.
    start_cycle: u64,
    /// Sources offer data only from the `ap_start` write on, so that register slices do not
    /// pre-load beats and latency is measured from the first beat the kernel can take.
    streaming: bool,
    watchdog: u64,
    last_progress: u64,
    /// Cycles a call may take from `ap_start` (see [`crate::config::Budget`]).
    cycle_budget: Limit,
    /// Last cycle an output was held back by the downstream (VALID && !READY).
    output_held_at: Option<u64>,
    /// Cycles back-pressure takes to travel from an output to the inputs: the manifest's
    /// latency plus the register slices.
    pipeline_depth: u64,
    /// Beats any one output may produce in a call.
    output_budget: Limit,
    /// Where the waveform of this call goes, if traced (named in every failure).
    pub(super) waveform: Option<String>,
    trace: Option<Trace<'m>>,
}

fn pause(config: &CosimConfig, index: usize, input: bool) -> Pause {
    let seed = config.backpressure.seed.wrapping_add(index as u64);
    if input { config.backpressure.inputs.pause(seed) } else { config.backpressure.outputs.pause(seed) }
}

impl<'m> Harness<'m> {
    /// Binds every port the manifest names; a missing or misshapen port is an error naming it.
    pub fn bind(model: &'m Model, kernel: &Kernel, inputs: &'m Values, config: &CosimConfig) -> Result<Self, Error> {
        let m = &kernel.manifest;
        let wrap = || CosimError::wrap(kernel.name());
        let clock = Clock::new(model, &m.clock).map_err(wrap())?;
        let mut sources = Vec::new();
        let mut sinks = Vec::new();
        let capacity = inputs.streams.values().map(Vec::len).max().unwrap_or(0);
        for (index, stream) in m.streams.iter().enumerate() {
            let input = stream.direction == StreamDirection::In;
            let mut ports = match stream.protocol {
                StreamProtocol::Axis => AxisPorts::bind(model, &stream.rtl, input),
                StreamProtocol::ApFifo => AxisPorts::bind_fifo(model, &stream.rtl, input),
            }
            .map_err(wrap())?;
            if stream.keep == KeepMode::Ignore {
                // The C++ never sets `keep`: TKEEP/TSTRB carry nothing, every beat is whole.
                (ports.tkeep, ports.tstrb) = (None, None);
            }
            let layout = Layout { element_bits: stream.element.bits(), lanes: stream.lanes };
            let shape = |detail: String| {
                wrap()(codesign_sim::verilated::ModelError::PortShape {
                    top: model.top(),
                    port: ports.tdata.name().to_owned(),
                    detail: format!("manifest stream `{}`: {detail}", stream.name),
                })
            };
            let pause = pause(config, index, input);
            if input {
                let elements = inputs.streams.get(&stream.name).map(Vec::as_slice).unwrap_or(&[]);
                let source = AxisSource::elements(&stream.name, ports, elements, layout, pause).map_err(shape)?;
                // An ap_fifo input has a rule for the kernel's side too: no read while empty.
                sources.push(Marked::new(if ports.fifo.is_some() { source.checked(clock.counter()) } else { source }));
            } else {
                let sink = AxisSink::elements(&stream.name, ports, layout, capacity, pause, clock.counter());
                sinks.push(Marked::new(sink.map_err(shape)?));
            }
        }
        let reset = model.bit(&m.reset.port, Direction::Input).map_err(wrap())?;
        // `interrupt` belongs to block control in the register map; a bare-control kernel
        // with register arguments still has the bus but no interrupt.
        let interrupt = match m.control.bundle {
            Some(_) => Some(model.bit("interrupt", Direction::Output).map_err(wrap())?),
            None => None,
        };
        let control = match m.axilite_bundle() {
            Some(bundle) => Some(AxilMaster::new(AxilPorts::bind(model, bundle).map_err(wrap())?)),
            None => None,
        };
        let mut bare = super::control::BarePorts::bind(model, kernel, inputs, clock.counter())?;
        // Handshaken scalars stall like streams under back-pressure (seeds apart from theirs).
        const SCALAR_SEEDS: usize = 1000;
        for (i, source) in bare.sources.iter_mut().enumerate() {
            source.set_pause(pause(config, SCALAR_SEEDS + i, true));
        }
        for (i, sink) in bare.sinks.iter_mut().enumerate() {
            sink.set_pause(pause(config, SCALAR_SEEDS + i, false));
        }
        let memories = Memories::bind(model, kernel, inputs, &config.memory, clock.counter())?;
        let arrays = Arrays::bind(model, kernel, inputs, clock.counter())?;
        let elements = inputs.streams.values().map(Vec::len).max().unwrap_or(0);
        Ok(Harness {
            cycle_budget: config.cycle_budget(m.interface_bound(elements)),
            output_held_at: None,
            pipeline_depth: m.perf.latency + 4,
            output_budget: config.output_budget(elements),
            memories,
            arrays,
            kernel: kernel.name().to_owned(),
            clock,
            reset,
            reset_level: m.reset.active,
            reset_cycles: m.reset.cycles,
            interrupt,
            control,
            block: bare.block,
            scalar_sources: bare.sources,
            scalar_sinks: bare.sinks,
            spurious_done: None,
            sources,
            sinks,
            start_cycle: 0,
            streaming: false,
            watchdog: config.watchdog_cycles,
            last_progress: 0,
            waveform: None,
            trace: None,
        })
    }

    /// Records a waveform of everything from now on into `trace` (named in every failure).
    pub fn trace_into(&mut self, trace: Trace<'m>) {
        self.waveform = Some(trace.path().display().to_string());
        self.trace = Some(trace);
    }

    /// Closes the waveform, if any, so it is complete on disk.
    pub fn close_trace(&mut self) {
        if let Some(trace) = self.trace.take() {
            let _ = trace.close();
        }
    }

    /// Rising edges so far.
    pub fn cycle(&self) -> u64 {
        self.clock.cycle()
    }

    /// The `interrupt` output now (false for a kernel without one).
    pub fn interrupt(&self) -> bool {
        self.interrupt.is_some_and(|i| i.is_high())
    }

    /// Holds reset for the manifest's cycles with every bus idle, then releases it.
    pub fn reset(&mut self) {
        let active = self.reset_level == Level::High;
        self.reset.set(active);
        for _ in 0..self.reset_cycles {
            self.clock.settle_traced(self.trace.as_mut());
            self.clock.rise_traced(self.trace.as_mut());
        }
        self.reset.set(!active);
        self.last_progress = self.clock.cycle();
    }

    /// Starts the statistics window and the input streams (call just before writing
    /// `ap_start`).
    pub fn mark_start(&mut self) {
        self.streaming = true;
        self.start_cycle = self.clock.cycle();
        for source in &mut self.sources {
            source.agent.reset_stats();
            source.marks = Marks::default();
        }
        for sink in &mut self.sinks {
            sink.agent.reset_stats();
            sink.marks = Marks::default();
        }
        self.memories.reset_stats();
        self.output_held_at = None;
    }

    /// True when a cycle has only streams to move, and they do: the call started, no register
    /// traffic pending, no block control, bare scalars, m_axi memories or arrays, no waveform.
    /// [`Harness::stream_until`] then moves them alone.
    pub(super) fn streams_only(&self) -> bool {
        self.control.as_ref().is_none_or(AxilMaster::is_quiet)
            && self.block.is_none()
            && self.scalar_sources.is_empty()
            && self.scalar_sinks.is_empty()
            && self.memories.is_empty()
            && self.arrays.is_empty()
            && self.trace.is_none()
            && self.streaming
    }

    /// The stream ports, borrowed for a cycle or a run of them.
    #[inline(always)]
    fn streams(&mut self) -> Streams<'_, 'm> {
        Streams {
            sources: &mut self.sources,
            sinks: &mut self.sinks,
            output_held_at: &mut self.output_held_at,
            pipeline_depth: self.pipeline_depth,
        }
    }

    /// One cycle of every agent. Written out rather than through `Clock::step` so the hot loop
    /// has no dynamic dispatch.
    #[inline(always)]
    fn step(&mut self) {
        self.drive_controls();
        let feeding = self.streaming;
        self.streams().drive(feeding);
        self.memories.drive();
        self.arrays.drive();
        self.clock.settle_traced(self.trace.as_mut());
        let cycle = self.clock.cycle();
        let progress = self.sample_controls(cycle);
        let moved = self.streams().sample(cycle);
        self.clock.rise_traced(self.trace.as_mut());
        if progress || moved.any {
            self.last_progress = self.clock.cycle();
        }
    }

    /// Drives the register master, block control, bare scalars and memories.
    #[inline(always)]
    fn drive_controls(&mut self) {
        if let Some(control) = &mut self.control {
            control.drive();
        }
        let presenting = match &mut self.block {
            Some(block) => {
                block.drive();
                block.presenting()
            }
            None => 0,
        };
        for source in &mut self.scalar_sources {
            source.drive(presenting);
        }
        for sink in &mut self.scalar_sinks {
            sink.drive();
        }
    }

    /// Samples what [`Harness::drive_controls`] and the memories drive; true on progress.
    #[inline(always)]
    fn sample_controls(&mut self, cycle: u64) -> bool {
        let mut progress = self.control.as_mut().is_some_and(AxilMaster::sample);
        progress |= self.memories.sample();
        let event = match &mut self.block {
            Some(block) => block.sample(),
            None => BlockEvent::default(),
        };
        progress |= event.accepted.is_some() || event.done.is_some();
        if event.spurious_done && self.spurious_done.is_none() {
            self.spurious_done = Some(cycle);
        }
        for source in &mut self.scalar_sources {
            progress |= source.sample();
        }
        for sink in &mut self.scalar_sinks {
            progress |= sink.sample(event.done.is_some());
        }
        // Transaction boundaries: `event.accepted` (transaction i's inputs were taken; the
        // next one's are presented from the coming cycle) and `event.done` (transaction i
        // finished). Per-transaction models of arrays load and collect here.
        progress |= self.arrays.sample();
        progress
    }

    /// Runs `cycles` cycles whatever happens (for register-level tests).
    pub fn idle(&mut self, cycles: u64) -> Result<(), Error> {
        for _ in 0..cycles {
            self.step();
        }
        self.check_protocol()
    }

    /// The first protocol violation on any stream port, or AXI error on any bundle, as an
    /// error.
    fn check_protocol(&mut self) -> Result<(), Error> {
        let sinks = self.sinks.iter_mut().filter_map(|s| s.monitor().violation().cloned());
        let sources = self.sources.iter().filter_map(|s| s.violation().cloned());
        if let Some(v) = sinks.chain(sources).min_by_key(|v| v.cycle) {
            return Err(self.violation_error(&v));
        }
        match self.memories.check().or_else(|| self.arrays.check()) {
            None => Ok(()),
            Some((port, message)) => Err(self.protocol_error(&port, message)),
        }
    }

    /// `(offset, address)` of every buffer pointer, to write to the control registers.
    pub fn pointers(&self) -> Vec<(u32, u64)> {
        self.memories.pointers().collect()
    }

    /// Per-bundle memory statistics since [`Harness::mark_start`].
    pub fn memory_reports(&self) -> Vec<MemoryReport> {
        self.memories.reports()
    }

    /// A checker's violation as an error at the cycle it was seen, naming the waveform.
    fn violation_error(&self, v: &codesign_sim::axis::Violation) -> Error {
        Error::Protocol {
            kernel: self.kernel.clone(),
            port: v.port.clone(),
            cycle: v.cycle,
            message: format!("{}{}", v.describe(), self.waveform_note()),
        }
    }

    fn waveform_note(&self) -> String {
        match &self.waveform {
            Some(path) => format!("\n  waveform: {path}"),
            None => "\n  waveform: none (set CODESIGN_TRACE=vcd or fst, or cosim.trace, to record one)".to_owned(),
        }
    }

    fn check_watchdog(&mut self, awaited: &str) -> Result<(), Error> {
        let idle = self.clock.cycle() - self.last_progress;
        if idle < self.watchdog {
            return Ok(());
        }
        self.check_protocol()?;
        let state = self.port_states();
        Err(Error::Timeout {
            kernel: self.kernel.clone(),
            awaited: format!("{awaited} ({})", self.diagnosis()),
            waited: idle,
            cycle: self.clock.cycle(),
            state: format!("{}{}", state.join("; "), self.waveform_note()),
        })
    }

    /// Every port's VALID/READY now, with what moved so far.
    fn port_states(&mut self) -> Vec<String> {
        let mut state: Vec<String> = Vec::new();
        for source in &self.sources {
            let state_now = source.ports().state(source.name());
            state.push(format!("{state_now} ({} sent, {} left)", source.sent(), source.remaining()));
        }
        for Marked { agent: sink, marks } in &mut self.sinks {
            let name = sink.monitor().name().to_owned();
            let last = marks.last_transfer().map_or(String::new(), |c| format!(", last at cycle {c}"));
            state.push(format!("{} ({} received{last})", sink.ports().state(&name), sink.len()));
        }
        state.extend(self.memories.state());
        if let Some(control) = &self.control {
            state.push(control.state());
        }
        if let Some(interrupt) = &self.interrupt {
            state.push(format!("interrupt={}", u8::from(interrupt.is_high())));
        }
        if let Some(block) = &self.block {
            let (n, accepted, done) = (block.transactions(), block.accepted(), block.completed());
            state.push(format!("{} ({accepted} of {n} transactions accepted, {done} done)", block.ports().state()));
        }
        for source in self.scalar_sources.iter().filter(|s| s.unacknowledged() > 0) {
            state.push(format!("`{}`: {} values not acknowledged", source.name(), source.unacknowledged()));
        }
        state
    }

    /// A one-line guess at why nothing moves, from what the ports show.
    fn diagnosis(&mut self) -> String {
        if let Some(block) = &self.block {
            if block.accepted() < block.transactions() && block.ports().start.is_high() {
                return format!(
                    "ap_start is high for transaction {} of {} but ap_ready never came",
                    block.accepted(),
                    block.transactions()
                );
            }
            if block.completed() < block.accepted() && self.sinks.is_empty() {
                return format!(
                    "{} transactions accepted (ap_ready) but only {} finished (ap_done)",
                    block.accepted(),
                    block.completed()
                );
            }
        }
        let inputs_done = self.sources.iter().all(|s| s.remaining() == 0);
        let held: Vec<String> = self
            .sinks
            .iter_mut()
            .filter(|s| s.ports().tvalid.is_high() && !s.ports().tready.is_high())
            .map(|s| format!("`{}`", s.monitor().name()))
            .collect();
        let outputs_closed = self.sinks.iter_mut().all(|s| !s.is_empty() && s.monitor().open_beats() == 0);
        let outputs_silent = self.sinks.iter().all(|s| s.is_empty() && !s.ports().tvalid.is_high());
        if self.sources.is_empty() && self.sinks.is_empty() {
            return if self.memories.busy() {
                "a memory burst is outstanding but no beat moves".into()
            } else {
                "no memory burst outstanding and no register access pending".into()
            };
        }
        // Outputs that produced beats and then went quiet (TVALID low, downstream ready).
        let quiet: Vec<String> = self
            .sinks
            .iter_mut()
            .filter_map(|s| {
                let beats = s.len();
                let quiet = beats > 0 && !s.ports().tvalid.is_high() && s.monitor().open_beats() > 0;
                quiet.then(|| format!("`{}` after {beats} beats", s.monitor().name()))
            })
            .collect();
        let inputs_blocked = !inputs_done && self.sources.iter().all(|s| s.remaining() == 0 || !s.ports().tready.is_high());
        if !held.is_empty() {
            format!("output {} is valid but the downstream is not ready", held.join(", "))
        } else if inputs_done && outputs_closed && self.interrupt.is_none() && self.block.is_none() {
            "every input consumed and every output packet closed, but not every output's end rule is met".into()
        } else if inputs_done && outputs_closed {
            "every input consumed and every output packet closed, but ap_done never came".into()
        } else if inputs_done && outputs_silent {
            let no_tlast: Vec<String> =
                self.sources.iter().filter(|s| s.ports().tlast.is_none()).map(|s| format!("`{}`", s.name())).collect();
            let tlast = if no_tlast.is_empty() {
                "TLAST rode on the last beat of each".to_owned()
            } else {
                format!("input {} has no TLAST port", no_tlast.join(", "))
            };
            format!(
                "no output beat ever became valid, though every input beat was taken ({tlast}): is the kernel \
                 waiting for more input than the call gives, or for a TLAST it never saw?"
            )
        } else if outputs_silent {
            "no output beat ever became valid".into()
        } else if !quiet.is_empty() && inputs_blocked {
            format!(
                "output {} stopped (TVALID low, downstream ready) and the kernel no longer takes input: \
                 it is stuck between its input and its output",
                quiet.join(", ")
            )
        } else if !quiet.is_empty() && inputs_done {
            format!("every input consumed but output {} stopped inside its packet (no TLAST yet)", quiet.join(", "))
        } else if inputs_blocked {
            "the kernel stopped accepting input".into()
        } else {
            "no transfer on any port".into()
        }
    }

    fn run_control(&mut self, what: &str) -> Result<(), Error> {
        while !self.control.as_ref().is_none_or(AxilMaster::is_idle) {
            self.step();
            self.check_watchdog(what)?;
            if self.clock.cycle() % CHECK_EVERY == 0 {
                self.check_budgets()?;
            }
        }
        Ok(())
    }

    /// The call's cycle budget and every output's beat budget (checked every
    /// [`CHECK_EVERY`] cycles, so an output holds at most that many beats more).
    fn check_budgets(&mut self) -> Result<(), Error> {
        if self.streaming && self.clock.cycle() - self.start_cycle > self.cycle_budget.value {
            let budget = format!("cycle budget of {} cycles ({})", self.cycle_budget.value, self.cycle_budget.rule);
            return Err(self.over_budget(budget));
        }
        if let Some(sink) = self.sinks.iter_mut().find(|s| s.len() as u64 > self.output_budget.value) {
            let name = sink.monitor().name().to_owned();
            let budget = format!(
                "output budget: output `{name}` produced {} beats, more than {} ({}); does it stream forever?",
                sink.len(),
                self.output_budget.value,
                self.output_budget.rule
            );
            return Err(self.over_budget(budget));
        }
        Ok(())
    }

    fn over_budget(&mut self, budget: String) -> Error {
        Error::OverBudget {
            kernel: self.kernel.clone(),
            budget,
            cycle: self.clock.cycle(),
            state: format!("{}{}", self.port_states().join("; "), self.waveform_note()),
        }
    }

    /// A 32-bit register write on the control bundle; BRESP must be OKAY.
    pub fn write(&mut self, addr: u64, data: u32) -> Result<(), Error> {
        self.axilite(addr)?.write(addr, data);
        self.run_control(&format!("the write response to s_axi_control {addr:#04x}"))?;
        self.response(addr)?;
        Ok(())
    }

    /// A 32-bit register read on the control bundle; RRESP must be OKAY.
    pub fn read(&mut self, addr: u64) -> Result<u32, Error> {
        self.axilite(addr)?.read(addr);
        self.run_control(&format!("the read of s_axi_control {addr:#04x}"))?;
        self.response(addr)
    }

    /// The s_axilite master, or an error for a kernel without one.
    fn axilite(&mut self, addr: u64) -> Result<&mut AxilMaster<'m>, Error> {
        let kernel = self.kernel.clone();
        self.control.as_mut().ok_or_else(|| Error::Unsupported {
            backend: "cosim".to_owned(),
            ability: format!("register access at {addr:#04x}: kernel `{kernel}` has no s_axilite bundle"),
        })
    }

    fn response(&mut self, addr: u64) -> Result<u32, Error> {
        let response = self.control.as_mut().and_then(AxilMaster::pop_response).ok_or_else(|| {
            self.protocol_error("s_axi_control", format!("internal error: no response for {addr:#04x}"))
        })?;
        if response.resp != 0 {
            return Err(self.protocol_error(
                "s_axi_control",
                format!("response {:#b} (not OKAY) to access at {addr:#04x}", response.resp),
            ));
        }
        Ok(response.data)
    }

    /// Steps until `interrupt` is high, checking the protocol every [`CHECK_EVERY`] cycles.
    pub fn run_until_interrupt(&mut self) -> Result<(), Error> {
        let Some(interrupt) = self.interrupt else {
            return Err(Error::Unsupported {
                backend: "cosim".to_owned(),
                ability: format!("waiting for `interrupt`: kernel `{}` has bare block control", self.kernel),
            });
        };
        let awaited = "the done interrupt";
        while !interrupt.is_high() {
            // Once the start's register write has landed, only the streams move.
            if self.streams_only() {
                return self.stream_until(awaited, &mut InterruptHigh(interrupt));
            }
            self.step_watched(awaited)?;
        }
        Ok(())
    }

    /// One cycle, then the watchdog (naming `awaited`) and, every [`CHECK_EVERY`] cycles,
    /// the protocol checkers and the budgets.
    #[inline(always)]
    pub(super) fn step_watched(&mut self, awaited: &str) -> Result<(), Error> {
        self.step();
        self.watch(awaited)
    }

    /// The watchdog (naming `awaited`) and, every [`CHECK_EVERY`] cycles, the protocol
    /// checkers and the budgets.
    #[inline(always)]
    fn watch(&mut self, awaited: &str) -> Result<(), Error> {
        let cycle = self.clock.cycle();
        if cycle - self.last_progress >= self.watchdog {
            self.check_watchdog(awaited)?;
        }
        if cycle % CHECK_EVERY == 0 {
            self.check_protocol()?;
            self.check_budgets()?;
        }
        Ok(())
    }

    /// Streams-only cycles (the caller saw [`Harness::streams_only`]) with the watchdog and
    /// checks of [`Harness::step_watched`], until `until` says the call ended.
    pub(super) fn stream_until(&mut self, awaited: &str, until: &mut impl Until) -> Result<(), Error> {
        loop {
            // Compiled apart for one or two inputs and one output, the shapes of most kernels.
            let may_have_ended = match (self.sources.len(), self.sinks.len()) {
                (1, 1) => self.stream_run::<1, 1>(until),
                (2, 1) => self.stream_run::<2, 1>(until),
                _ => self.stream_run::<0, 0>(until),
            };
            self.watch(awaited)?;
            if may_have_ended && until.ended(self) {
                return Ok(());
            }
        }
    }

    /// Streams-only cycles until one has something to ask: the end may have come, the
    /// watchdog is due, or the checkers are (every [`CHECK_EVERY`] cycles). The ports are
    /// borrowed for the whole run, so the loop keeps them in registers.
    #[inline(always)]
    fn stream_run<const INS: usize, const OUTS: usize>(&mut self, until: &mut impl Until) -> bool {
        // The first cycle the checkers or the watchdog could want; progress only moves the
        // watchdog's later, so stopping here is never too late.
        let mut cycle = self.clock.cycle();
        let checkpoint = (cycle / CHECK_EVERY + 1) * CHECK_EVERY;
        let stop_at = checkpoint.min(self.last_progress.saturating_add(self.watchdog));
        // The run's output beats, counted here against what is left: one add and compare a
        // cycle (none when the end is not a count: the compiler drops the count).
        let due = until.beats_due().map(|due| due.saturating_sub(self.output_beats()));
        let clock = &mut self.clock;
        let edges = clock.edges();
        let mut streams = Streams::<INS, OUTS> {
            sources: shaped::<_, INS>(&mut self.sources),
            sinks: shaped::<_, OUTS>(&mut self.sinks),
            output_held_at: &mut self.output_held_at,
            pipeline_depth: self.pipeline_depth,
        };
        let mut received = 0;
        let may_have_ended = loop {
            streams.drive(true);
            edges.settle();
            received += streams.sample(cycle).received;
            edges.rise(|| ());
            cycle = clock.count_rise();
            let may_have_ended = due.is_some_and(|due| received >= due) || until.may_have_ended();
            if may_have_ended || cycle >= stop_at {
                break may_have_ended;
            }
        };
        // Progress is a transfer on any port, and each port marks its last: the loop need
        // not track it (the cycle after that transfer's edge).
        self.last_progress = self.last_progress.max(streams.last_transfer().map_or(0, |c| c + 1));
        may_have_ended
    }

    /// Per output stream: elements received, packets closed (TLAST) and the cycle of its
    /// last beat; and, once every input beat was taken, the cycle of the last one.
    pub(super) fn stream_progress(&mut self) -> (Vec<OutputProgress>, Option<u64>) {
        let mut outputs = Vec::with_capacity(self.sinks.len());
        let inputs_done = self.stream_progress_into(&mut outputs);
        (outputs, inputs_done)
    }

    /// Beats taken from every output since the harness was bound.
    #[inline]
    pub(super) fn output_beats(&self) -> u64 {
        self.sinks.iter().map(|sink| sink.len() as u64).sum()
    }

    /// [`Harness::stream_progress`] into a buffer the caller keeps (a loop asks every cycle).
    #[inline]
    pub(super) fn stream_progress_into(&self, outputs: &mut Vec<OutputProgress>) -> Option<u64> {
        outputs.clear();
        outputs.extend(
            self.sinks.iter().map(|sink| (sink.len(), sink.packets(), sink.marks.last_transfer())),
        );
        let consumed = self.sources.iter().all(|s| s.remaining() == 0);
        let last_input = self.sources.iter().filter_map(|s| s.marks.last_transfer()).max();
        if consumed {
            Some(last_input.unwrap_or(self.start_cycle))
        } else {
            None
        }
    }

    /// A protocol error on `port` at the current cycle, naming the waveform.
    pub fn protocol_error(&self, port: &str, message: String) -> Error {
        Error::Protocol {
            kernel: self.kernel.clone(),
            port: port.to_owned(),
            cycle: self.clock.cycle(),
            message: format!("{message}{}", self.waveform_note()),
        }
    }

    /// Per-port statistics since [`Harness::mark_start`].
    pub fn port_reports(&mut self) -> Vec<PortReport> {
        let start = self.start_cycle;
        let report = |name: String, input: bool, stats: codesign_sim::axis::AxisStats, marks: &Marks| PortReport {
            name,
            input,
            transfers: stats.transfers,
            stalled: stats.stalled - marks.blocked_by_output.min(stats.stalled),
            blocked_by_output: marks.blocked_by_output,
            first: marks.first.map(|c| c - start),
            last: marks.last_transfer().map(|c| c - start),
        };
        let mut reports = Vec::new();
        for source in &self.sources {
            reports.push(report(source.name().to_owned(), true, source.stats(), &source.marks));
        }
        for sink in &mut self.sinks {
            reports.push(report(sink.agent.monitor().name().to_owned(), false, sink.stats(), &sink.marks));
        }
        reports
    }

    /// After done: no protocol violation, every input consumed, every output packet closed.
    pub fn finish(&mut self) -> Result<Values, Error> {
        for source in &mut self.sources {
            if source.remaining() != 0 {
                let (left, total) = (source.remaining(), source.sent() + source.remaining());
                let name = source.name().to_owned();
                return Err(self.protocol_error(
                    &name,
                    format!("the kernel finished with {left} of {total} input beats not consumed"),
                ));
            }
        }
        let first = self.sinks.iter_mut().filter_map(|s| s.monitor().finish().err()).min_by_key(|v| v.cycle);
        if let Some(v) = first {
            return Err(self.violation_error(&v));
        }
        self.check_protocol()?;
        if let Some((port, message)) = self.memories.finish() {
            return Err(self.protocol_error(&port, message));
        }
        // `keep: bytes` and no beat kept a byte: the C++ never set `keep` (say so, rather
        // than "expected N elements, got 0").
        if let Some(sink) = self.sinks.iter_mut().find(|s| !s.is_empty() && s.null_beats() == s.len() as u64) {
            let name = sink.monitor().name().to_owned();
            return Err(self.protocol_error(
                &name,
                format!(
                    "TKEEP=0 on every beat: does the C++ set `keep`? (say `keep: ignore` on stream `{name}` if it never does)"
                ),
            ));
        }
        let mut outputs = Values::new();
        for sink in &mut self.sinks {
            let name = sink.monitor().name().to_owned();
            outputs.streams.insert(name, sink.take_elements());
        }
        self.memories.outputs(&mut outputs)?;
        self.arrays.outputs(&mut outputs);
        Ok(outputs)
    }
}

/// The end of a call that waits for `interrupt`.
struct InterruptHigh<'m>(Bit<'m>);

impl Until for InterruptHigh<'_> {
    #[inline(always)]
    fn beats_due(&self) -> Option<u64> {
        None
    }

    #[inline(always)]
    fn may_have_ended(&mut self) -> bool {
        self.0.is_high()
    }

    fn ended(&mut self, _: &Harness<'_>) -> bool {
        true
    }
}
