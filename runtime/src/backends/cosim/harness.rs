//! Binds a manifest to a verilated model and runs the cycle loop with a watchdog.

use codesign_hw::manifest::Level;
use codesign_models::Values;
use codesign_sim::axil::{AxilMaster, AxilPorts};
use codesign_sim::axis::{AxisPorts, AxisSink, AxisSource};
use codesign_sim::pause::Pause;
use codesign_sim::verilated::{Bit, Direction, Model};
use codesign_sim::{Agent, Clock};

use super::CosimError;
use crate::config::CosimConfig;
use crate::{Error, Kernel, PortReport};

/// First and last transfer cycle of one port.
#[derive(Debug, Clone, Copy, Default)]
struct Marks {
    first: Option<u64>,
    last: u64,
}

impl Marks {
    #[inline(always)]
    fn mark(&mut self, cycle: u64) {
        if self.first.is_none() {
            self.first = Some(cycle);
        }
        self.last = cycle;
    }
}

/// One call's worth of bus models around one model.
pub(super) struct Harness<'m> {
    kernel: String,
    clock: Clock<'m>,
    reset: Bit<'m>,
    reset_level: Level,
    reset_cycles: u32,
    interrupt: Bit<'m>,
    control: AxilMaster<'m>,
    sources: Vec<AxisSource<'m>>,
    sinks: Vec<AxisSink<'m>>,
    /// Stream names of `sources`, index for index.
    source_names: Vec<String>,
    /// Stream names and element widths of `sinks`, index for index.
    sink_names: Vec<(String, u32)>,
    source_marks: Vec<Marks>,
    sink_marks: Vec<Marks>,
    /// Cycle of the `ap_start` write: statistics count from here.
    start_cycle: u64,
    /// Sources offer data only from the `ap_start` write on, so that the register slices do
    /// not pre-load beats and latency is measured from the first beat the kernel can take.
    streaming: bool,
    watchdog: u64,
    last_progress: u64,
}

impl<'m> Harness<'m> {
    pub(super) fn bind(model: &'m Model, kernel: &Kernel, inputs: &'m Values, config: &CosimConfig) -> Result<Self, Error> {
        let m = &kernel.manifest;
        let wrap = CosimError::wrap(kernel.name());
        let pause = |index: usize, percent: u8| match percent {
            0 => Pause::never(),
            percent => Pause::random(config.backpressure.seed.wrapping_add(index as u64), percent),
        };
        let (mut sources, mut sinks, mut source_names, mut sink_names) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for (index, stream) in m.streams.iter().enumerate() {
            let into_kernel = stream.direction == codesign_hw::manifest::StreamDirection::In;
            let ports = AxisPorts::bind(model, &stream.rtl, into_kernel).map_err(CosimError::wrap(kernel.name()))?;
            if ports.tdata.width() < stream.element.bits() * stream.lanes {
                return Err(wrap(codesign_sim::verilated::ModelError::PortShape {
                    top: model.top(),
                    port: ports.tdata.name().to_owned(),
                    detail: format!(
                        "manifest stream `{}` needs {} bits ({} x {}), the port has {}",
                        stream.name,
                        stream.element.bits() * stream.lanes,
                        stream.lanes,
                        stream.element.as_str(),
                        ports.tdata.width()
                    ),
                }));
            }
            if stream.lanes != 1 {
                return Err(Error::Unsupported {
                    backend: "cosim".to_owned(),
                    ability: format!("{} lanes per beat on stream `{}` (one lane for now)", stream.lanes, stream.name),
                });
            }
            if into_kernel {
                let elements = inputs.streams.get(&stream.name).map(Vec::as_slice).unwrap_or(&[]);
                sources.push(AxisSource::packet(ports, elements, pause(index, config.backpressure.inputs)));
                source_names.push(stream.name.clone());
            } else {
                let capacity = inputs.streams.values().map(Vec::len).max().unwrap_or(0);
                sinks.push(AxisSink::new(ports, capacity, pause(index, config.backpressure.outputs)));
                sink_names.push((stream.name.clone(), stream.element.bits()));
            }
        }
        let clock = Clock::new(model, &m.clock).map_err(CosimError::wrap(kernel.name()))?;
        let reset = model.bit(&m.reset.port, Direction::Input).map_err(CosimError::wrap(kernel.name()))?;
        let interrupt = model.bit("interrupt", Direction::Output).map_err(CosimError::wrap(kernel.name()))?;
        let control = AxilMaster::new(AxilPorts::bind(model, &m.control.bundle).map_err(CosimError::wrap(kernel.name()))?);
        Ok(Harness {
            kernel: kernel.name().to_owned(),
            clock,
            reset,
            reset_level: m.reset.active,
            reset_cycles: m.reset.cycles,
            interrupt,
            control,
            sources,
            sinks,
            source_marks: vec![Marks::default(); source_names.len()],
            sink_marks: vec![Marks::default(); sink_names.len()],
            source_names,
            sink_names,
            start_cycle: 0,
            streaming: false,
            watchdog: config.watchdog_cycles,
            last_progress: 0,
        })
    }

    pub(super) fn cycle(&self) -> u64 {
        self.clock.cycle()
    }

    /// Starts the statistics window and the input streams (call just before writing
    /// `ap_start`).
    pub(super) fn mark_start(&mut self) {
        self.streaming = true;
        self.start_cycle = self.clock.cycle();
        self.sources.iter_mut().for_each(AxisSource::reset_stats);
        self.sinks.iter_mut().for_each(AxisSink::reset_stats);
        self.source_marks.iter_mut().chain(&mut self.sink_marks).for_each(|m| *m = Marks::default());
    }

    /// Per-port statistics since [`Harness::mark_start`].
    pub(super) fn port_reports(&self) -> Vec<PortReport> {
        let report = |name: &str, input: bool, stats: codesign_sim::axis::AxisStats, marks: &Marks| PortReport {
            name: name.to_owned(),
            input,
            transfers: stats.transfers,
            stalled: stats.stalled,
            first: marks.first.map(|c| c - self.start_cycle),
            last: marks.first.map(|_| marks.last - self.start_cycle),
        };
        let inputs = self.source_names.iter().zip(&self.sources).zip(&self.source_marks);
        let outputs = self.sink_names.iter().zip(&self.sinks).zip(&self.sink_marks);
        inputs
            .map(|((name, source), marks)| report(name, true, source.stats(), marks))
            .chain(outputs.map(|(((name, _), sink), marks)| report(name, false, sink.stats(), marks)))
            .collect()
    }

    /// Holds reset for the manifest's cycles with every bus idle, then releases it.
    pub(super) fn reset(&mut self) {
        let active = self.reset_level == Level::High;
        self.reset.set(active);
        for _ in 0..self.reset_cycles {
            self.clock.settle();
            self.clock.rise();
        }
        self.reset.set(!active);
        self.last_progress = self.clock.cycle();
    }

    /// One cycle of every agent. Written out rather than through `Clock::step` so the hot
    /// loop has no dynamic dispatch.
    #[inline(always)]
    fn step(&mut self) {
        self.control.drive();
        if self.streaming {
            for source in &mut self.sources {
                source.drive();
            }
        }
        for sink in &mut self.sinks {
            sink.drive();
        }
        self.clock.settle();
        let cycle = self.clock.cycle();
        let mut progress = self.control.sample();
        for (source, marks) in self.sources.iter_mut().zip(&mut self.source_marks) {
            if source.sample() {
                marks.mark(cycle);
                progress = true;
            }
        }
        for (sink, marks) in self.sinks.iter_mut().zip(&mut self.sink_marks) {
            if sink.sample() {
                marks.mark(cycle);
                progress = true;
            }
        }
        self.clock.rise();
        if progress {
            self.last_progress = self.clock.cycle();
        }
    }

    fn check_watchdog(&self, awaited: &str) -> Result<(), Error> {
        let idle = self.clock.cycle() - self.last_progress;
        if idle < self.watchdog {
            return Ok(());
        }
        let mut state: Vec<String> = Vec::new();
        for (name, source) in self.source_names.iter().zip(&self.sources) {
            state.push(format!("{} ({} sent, {} left)", source.ports().state(name), source.sent(), source.remaining()));
        }
        for ((name, _), sink) in self.sink_names.iter().zip(&self.sinks) {
            state.push(format!("{} ({} received)", sink.ports().state(name), sink.len()));
        }
        state.push(self.control.state());
        state.push(format!("interrupt={}", self.interrupt.get()));
        Err(Error::Timeout {
            kernel: self.kernel.clone(),
            awaited: awaited.to_owned(),
            waited: idle,
            cycle: self.clock.cycle(),
            state: state.join("; "),
        })
    }

    fn run_control(&mut self, what: &str) -> Result<(), Error> {
        while !self.control.is_idle() {
            self.step();
            self.check_watchdog(what)?;
        }
        Ok(())
    }

    /// A 32-bit register write on the control bundle; BRESP must be OKAY.
    pub(super) fn write(&mut self, addr: u64, data: u32) -> Result<(), Error> {
        self.control.write(addr, data);
        self.run_control(&format!("the write response to s_axi_control {addr:#04x}"))?;
        self.response(addr)?;
        Ok(())
    }

    /// A 32-bit register read on the control bundle; RRESP must be OKAY.
    pub(super) fn read(&mut self, addr: u64) -> Result<u32, Error> {
        self.control.read(addr);
        self.run_control(&format!("the read of s_axi_control {addr:#04x}"))?;
        self.response(addr)
    }

    fn response(&mut self, addr: u64) -> Result<u32, Error> {
        let response = self.control.pop_response().ok_or_else(|| {
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

    /// Steps until `interrupt` is high.
    pub(super) fn run_until_interrupt(&mut self) -> Result<(), Error> {
        while !self.interrupt.is_high() {
            self.step();
            if self.clock.cycle() - self.last_progress >= self.watchdog {
                self.check_watchdog("the done interrupt")?;
            }
            // The interrupt is an output: it is current after the rising-edge eval.
        }
        Ok(())
    }

    pub(super) fn protocol_error(&self, port: &str, message: String) -> Error {
        Error::Protocol { kernel: self.kernel.clone(), port: port.to_owned(), cycle: self.clock.cycle(), message }
    }

    /// After done: every input consumed, every output packet closed with TLAST.
    pub(super) fn finish(&mut self) -> Result<Values, Error> {
        for (name, source) in self.source_names.iter().zip(&self.sources) {
            if source.remaining() != 0 {
                return Err(self.protocol_error(
                    name,
                    format!(
                        "the kernel finished with {} of {} input elements not consumed",
                        source.remaining(),
                        source.sent() + source.remaining()
                    ),
                ));
            }
        }
        let mut outputs = Values::new();
        for ((name, bits), sink) in self.sink_names.iter().zip(&mut self.sinks) {
            if !sink.is_empty() && sink.lasts().last() != Some(&(sink.len() - 1)) {
                let cycle = self.clock.cycle();
                return Err(Error::Protocol {
                    kernel: self.kernel.clone(),
                    port: name.clone(),
                    cycle,
                    message: format!("the job ended inside a packet: beat {} has no TLAST", sink.len() - 1),
                });
            }
            let mask = if *bits >= 64 { u64::MAX } else { (1u64 << *bits) - 1 };
            let mut data = sink.take_data();
            data.iter_mut().for_each(|d| *d &= mask);
            outputs.streams.insert(name.clone(), data);
        }
        Ok(outputs)
    }
}
