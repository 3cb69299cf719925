//! Cosim of a whole graph in one time base: every instance's verilated model is clocked in
//! lockstep, and each connection is a cycle-accurate FIFO modelled in Rust between the models
//! ([`codesign_sim::axis::AxisFifo`]).
//!
//! Why FIFOs in Rust rather than a generated RTL top: the kernels stay the separately verilated
//! models the build already has (no re-verilation per graph, so a depth edit in the YAML costs
//! nothing), and every connection keeps a protocol checker on the producer's port and its own
//! statistics (high-water mark, stalls on either side) without instrumenting RTL. The cost is
//! one Verilator `eval` per model per cycle instead of one for a merged model.
//!
//! The host side is modelled as a driver does it: arguments over each kernel's s_axi_control,
//! consumers started before producers, the graph inputs fed (broadcast where one input feeds
//! several kernels) and the graph outputs drained, then every kernel's done interrupt.
//!
//! A free-running (`ap_ctrl_none`) node, as HLS dataflow designs put between started kernels,
//! has no control bus: it runs from reset and is done for the graph when every output met its
//! manifest `end:` rule ([`EndRules`], shared with single-kernel cosim), an input's length
//! (for `same-as`) being what it took once that input's producer was done and its FIFO empty.

use std::collections::BTreeMap;
use std::time::Instant;

use codesign_hw::manifest::{ArgDirection, BlockProtocol, KeepMode, Level, StreamProtocol};
use codesign_models::Values;
use codesign_sim::axil::hls as reg;
use codesign_sim::axil::{AxilMaster, AxilPorts};
use codesign_sim::axis::{AxisFifo, AxisFifoReader, AxisFifoWriter, AxisMonitor, AxisPorts, AxisSink, FifoFeeder, Handshake, Layout};
use codesign_sim::verilated::{Bit, Direction, Model, Trace, TraceFormat};
use codesign_sim::{rise_each, settle_each, Agent, Clock, Edges};

use super::{Endpoint, Graph};
use waits::{Wait, Waits};
use crate::rtl::end_rules::{EndRules, OutputProgress};
use crate::rtl::memory::Memories;
use crate::rtl::{rerun_traced_on_failure, trace_format, waveform_path, CosimError, Marks, CHECK_EVERY};
use crate::config::{CosimConfig, Limit};
use crate::{ConnectionReport, Error, Outcome, PortReport, Report, StageReport};

mod waits;

/// Runs one call of `graph` in cosim; a failure is re-run with waveforms (one file per
/// instance) so that the error names them.
pub fn run(graph: &Graph, inputs: &Values, config: &CosimConfig) -> Result<Outcome, Error> {
    let trace = trace_format(config)?;
    let result = run_once(graph, inputs, config, trace);
    rerun_traced_on_failure(result, trace, || run_once(graph, inputs, config, Some(TraceFormat::Fst)))
}

fn run_once(graph: &Graph, inputs: &Values, config: &CosimConfig, trace: Option<TraceFormat>) -> Result<Outcome, Error> {
    // Every node is started and ended through s_axi_control (ap_start, the interrupt), or runs
    // free from reset (ap_ctrl_none) with nothing to write.
    for instance in &graph.instances {
        let m = &instance.kernel.manifest;
        let free = m.control.protocol == BlockProtocol::ApCtrlNone;
        let what = if m.bare_control() {
            Some(format!("{} on bare ports", m.control.protocol.as_str()))
        } else if m.args.iter().any(|a| a.register().is_none()) {
            Some("scalars on their own ports".to_owned())
        } else if free && (m.axilite_bundle().is_some() || !m.buffers.is_empty()) {
            Some("ap_ctrl_none with registers or m_axi buffers".to_owned())
        } else {
            None
        };
        if let Some(what) = what {
            return Err(Error::Unsupported {
                backend: "cosim".to_owned(),
                ability: format!(
                    "graph `{}`: instance `{}` (kernel `{}`) has {what}: a graph's nodes are started and ended \
                     through s_axi_control, or run free (ap_ctrl_none) on streams alone; run the kernel on its own",
                    graph.name,
                    instance.name,
                    instance.kernel.name(),
                ),
            });
        }
    }
    let start = Instant::now();
    let mut models = Vec::new();
    for instance in &graph.instances {
        let verilated = instance.kernel.model(config.variant(trace))?;
        let model = Model::new(verilated, config.x_init()).map_err(CosimError::wrap(instance.kernel.name()))?;
        models.push(model);
    }
    let mut system = System::bind(graph, &models, inputs, config)?;
    if let Some(format) = trace {
        system.trace_into(&models, format)?;
    }
    let result = system.call(graph, inputs);
    system.close_traces();
    let (cycles, mut report) = result?;
    report.wall = start.elapsed();
    report.cycles = Some(cycles);
    report.simulated_cycles = Some(system.cycle());
    let outputs = system.finish()?;
    Ok(Outcome { outputs, report })
}

/// The longest input stream of a call.
fn input_elements(inputs: &Values) -> usize {
    inputs.streams.values().map(Vec::len).max().unwrap_or(0)
}

/// One kernel instance: its model's clock, reset, interrupt and control master.
struct Node<'m> {
    name: String,
    clock: Clock<'m>,
    reset: Bit<'m>,
    reset_active: bool,
    reset_cycles: u32,
    /// The done interrupt and the s_axi_control master; none for a free-running node.
    interrupt: Option<Bit<'m>>,
    control: Option<AxilMaster<'m>>,
    /// A free-running (ap_ctrl_none) node's end rules and progress.
    free: Option<FreeRunning>,
    /// Its m_axi bundles (none for a stream kernel), served from simulated memory.
    memories: Memories<'m>,
    chain: bool,
    trace: Option<Trace<'m>>,
    /// Cycle its interrupt was first seen high (free-running: its last end rule was met).
    done: Option<u64>,
    /// Its input connections (FIFO indices): their marks are its first and last input.
    inputs: Vec<usize>,
    /// Cycles it was starved or blocked, from its first input until done.
    waits: Waits,
}

/// A free-running node: never started, done when every output met its `end:` rule.
struct FreeRunning {
    rules: EndRules,
    /// What each output produced so far, in manifest order.
    outputs: Vec<OutputProgress>,
    /// Each input stream and the FIFO feeding it.
    inputs: Vec<(String, usize)>,
    /// Once every input ended (its producer done, its FIFO empty): the cycle of the last
    /// input beat.
    inputs_done: Option<u64>,
    /// Cycles to watch its outputs after the call for beats past their end.
    linger: u64,
}

/// What writes a FIFO: a graph input's feeder or a node's output.
#[derive(Clone, Copy)]
enum Producer {
    Feeder(usize),
    Node(usize),
}

/// A node output seen by a FIFO writer: its place among the node's outputs and how to count
/// its elements.
struct OutputMeta {
    slot: usize,
    layout: Layout,
    /// TKEEP marks lanes (not `keep: ignore`).
    keep: bool,
    /// Its node is free-running: its end rules count what the output produced.
    free: bool,
}

/// A connection's read side, one per FIFO (same index): the consumer's port and what it took.
struct Input<'m> {
    node: usize,
    reader: AxisFifoReader<'m>,
    /// Its transfers' first and last cycle (the node's first and last input are over these).
    marks: Marks,
    /// The consumer port's layout, and elements it took (counted for a free-running
    /// consumer, whose `same-as` end rules need its inputs' lengths).
    layout: Layout,
    elements: usize,
    /// Its node is free-running (read here, not from the node, on every transfer).
    free: bool,
}

/// The first and last input transfer over connections `inputs` (a node's).
fn input_span(all: &[Input<'_>], inputs: &[usize]) -> (Option<u64>, Option<u64>) {
    let marks = || inputs.iter().map(|&i| &all[i].marks);
    (marks().filter_map(|m| m.first).min(), marks().filter_map(Marks::last_transfer).max())
}

/// Counts a wait of `node` in `cycle` ([`Waits::count`]) unless it is done.
#[cold]
fn count_wait(node: &mut Node<'_>, inputs: &[Input<'_>], cycle: u64, why: Wait) {
    if node.done.is_none() {
        let (first, last) = input_span(inputs, &node.inputs);
        node.waits.count(cycle, why, first, last);
    }
}

/// An ap_fifo port's occupancy inputs from the FIFOs `of` (a broadcast is as full as its
/// fullest branch and as deep as its shallowest).
#[cold]
fn fifo_occupancy(ports: &AxisPorts<'_>, of: &[usize], fifos: &[AxisFifo]) {
    let Some(signals) = ports.fifo else { return };
    let held = of.iter().map(|&f| fifos[f].len()).max().unwrap_or(0);
    let depth = of.iter().map(|&f| fifos[f].depth()).min().unwrap_or(0);
    signals.set_occupancy_of(held as u64, depth as u64);
}

/// A free-running node's output `meta` moved the beat on `ports` in `cycle`: its elements,
/// packets and last beat, for its end rules.
#[cold]
fn count_output(node: &mut Node<'_>, ports: &AxisPorts<'_>, meta: &OutputMeta, cycle: u64) {
    if let Some(free) = &mut node.free {
        let output = &mut free.outputs[meta.slot];
        output.0 += elements_in_beat(ports, meta.layout, meta.keep);
        output.1 += usize::from(ports.tlast.is_some_and(|l| l.is_high()));
        output.2 = Some(cycle);
    }
}

/// Elements one beat carries: every lane, or the lanes TKEEP keeps.
fn elements_in_beat(ports: &AxisPorts<'_>, layout: Layout, keep: bool) -> usize {
    let lanes = layout.lanes as usize;
    let Some(tkeep) = ports.tkeep.filter(|_| keep && lanes > 1) else { return lanes };
    // TKEEP of the widest TDATA (4096 bits).
    let mut words = [0u32; 16];
    tkeep.read_words(&mut words);
    layout.kept_lanes(&words)
}

impl Node<'_> {
    /// Evaluates with the clock low, dumping the low phase when traced.
    #[inline(always)]
    fn settle(&mut self) {
        self.clock.settle_traced(self.trace.as_mut());
    }

    /// One rising edge, dumping the high phase when traced.
    #[inline(always)]
    fn rise(&mut self) {
        self.clock.rise_traced(self.trace.as_mut());
    }
}

struct System<'m> {
    graph: &'m Graph,
    graph_name: String,
    graph_path: std::path::PathBuf,
    nodes: Vec<Node<'m>>,
    /// Every node's clock edges, in node order, for the untraced cycle ([`settle_each`]).
    edges: Vec<Edges<'m>>,
    /// Some node records a waveform: the cycle goes node by node.
    traced: bool,
    /// One FIFO per connection into a kernel; `fifo_connection[i]` is its index in the graph.
    fifos: Vec<AxisFifo>,
    fifo_connection: Vec<usize>,
    /// Each with its node and which output of it the writer is.
    writers: Vec<(usize, AxisFifoWriter<'m>, OutputMeta)>,
    /// One per FIFO, same index.
    inputs: Vec<Input<'m>>,
    /// Each ap_fifo input with its node: a monitor of the kernel's side (no `_read` while
    /// `_empty_n` is low). An ap_fifo output's rule (no `_write` while `_full_n` is low) is
    /// checked by its writer's monitor.
    fifo_reads: Vec<(usize, AxisMonitor<'m>)>,
    /// Graph inputs: feeder, transfer marks, whether every target FIFO had room at the start
    /// of the cycle, back-pressure pattern.
    feeders: Vec<(FifoFeeder<'m>, Marks, bool, codesign_sim::pause::Pause)>,
    /// Each with its node, its marks and which output of its node it drains.
    sinks: Vec<(usize, AxisSink<'m>, Marks, usize)>,
    /// Per FIFO: its producer.
    fifo_producer: Vec<Producer>,
    /// The nodes with a done interrupt not seen high yet, and the interrupt.
    awaiting: Vec<(usize, Bit<'m>)>,
    /// Nodes starved in the cycle being sampled (counted once every input was sampled).
    starving: Vec<usize>,
    /// Some node is free-running (its end rules are watched every cycle).
    free_running: bool,
    /// A node's control master has work or still drives a signal, or a node has m_axi
    /// bundles: the buses are stepped. Once every master is quiet and no node has memories,
    /// a cycle skips them (a register access sets this again).
    buses_busy: bool,
    /// A failure found inside a cycle (an end rule that cannot resolve), reported after it.
    failure: Option<Error>,
    /// (instance, output buffer, graph output).
    memory_outputs: Vec<(usize, String, String)>,
    streaming: bool,
    start_cycle: u64,
    watchdog: u64,
    /// Cycles a call may take from `ap_start`, and how that was computed (`cosim.budget`).
    cycle_budget: Limit,
    /// Beats a graph output may produce in a call, and how that was computed.
    output_budget: Limit,
    last_progress: u64,
    waveforms: Vec<String>,
}

impl<'m> System<'m> {
    fn bind(graph: &'m Graph, models: &'m [Model], inputs: &'m Values, config: &CosimConfig) -> Result<Self, Error> {
        let mut nodes = Vec::new();
        // One count of cycles for every node's clock and bus models (they run in lockstep).
        let cycles = codesign_sim::CycleCounter::default();
        for (index, (instance, model)) in graph.instances.iter().zip(models).enumerate() {
            let m = &instance.kernel.manifest;
            // ap_fifo streams are connections like AXI4-Stream ones; an array is the kernel's own memory.
            instance.kernel.refuse_arrays("cosim (graph)", "single-kernel cosim serves it").map_err(|e| match e {
                Error::Unsupported { backend, ability } => {
                    Error::Unsupported { backend, ability: format!("graph `{}`: instance `{}`: {ability}", graph.name, instance.name) }
                }
                other => other,
            })?;
            let wrap = || CosimError::wrap(instance.kernel.name());
            let clock = Clock::sharing(model, &m.clock, &cycles).map_err(wrap())?;
            // The instance's arguments and the input buffers the host places for it.
            let mut own = Values::new();
            own.scalars = graph.instance_args(index, &inputs.scalars);
            for c in &graph.connections {
                if let (Endpoint::Graph(name), Endpoint::Port { instance: i, stream }) = (&c.from, &c.to) {
                    if *i == index && m.buffer(stream).is_some() {
                        own.streams.insert(stream.clone(), inputs.streams.get(name).cloned().unwrap_or_default());
                    }
                }
            }
            let memories = Memories::bind(model, &instance.kernel, &own, &config.memory, clock.counter())
                .map_err(|e| super::in_instance(&graph.name, instance, e))?;
            let (interrupt, control, free) = if m.control.protocol == BlockProtocol::ApCtrlNone {
                let input = |message: String| Error::Input { kernel: instance.kernel.name().to_owned(), message };
                let rules = EndRules::new(&instance.kernel).map_err(|e| super::in_instance(&graph.name, instance, input(e)))?;
                let outputs = vec![(0, 0, None); m.outputs().count()];
                let linger = EndRules::linger(&instance.kernel);
                (None, None, Some(FreeRunning { rules, outputs, inputs: Vec::new(), inputs_done: None, linger }))
            } else {
                let interrupt = model.bit("interrupt", Direction::Output).map_err(wrap())?;
                let bundle = m.axilite_bundle().unwrap_or("s_axi_control");
                let control = AxilMaster::new(AxilPorts::bind(model, bundle).map_err(wrap())?);
                (Some(interrupt), Some(control), None)
            };
            nodes.push(Node {
                name: instance.name.clone(),
                clock,
                memories,
                reset: model.bit(&m.reset.port, Direction::Input).map_err(wrap())?,
                reset_active: m.reset.active == Level::High,
                reset_cycles: m.reset.cycles,
                interrupt,
                control,
                free,
                chain: m.control.protocol == BlockProtocol::ApCtrlChain,
                trace: None,
                done: None,
                inputs: Vec::new(),
                waits: Waits::default(),
            });
        }
        let ports = |instance: usize, stream: &str, into_kernel: bool| -> Result<(AxisPorts<'m>, Layout), Error> {
            let kernel = &graph.instances[instance].kernel;
            let port = kernel.manifest.streams.iter().find(|s| s.name == stream).ok_or_else(|| Error::Input {
                kernel: graph.name.clone(),
                message: format!("internal: no stream `{stream}` in `{}`", kernel.name()),
            })?;
            let bound = match port.protocol {
                StreamProtocol::Axis => AxisPorts::bind(&models[instance], &port.rtl, into_kernel),
                StreamProtocol::ApFifo => AxisPorts::bind_fifo(&models[instance], &port.rtl, into_kernel),
            }
            .map_err(CosimError::wrap(kernel.name()))?;
            Ok((bound, Layout { element_bits: port.element.bits(), lanes: port.lanes }))
        };
        // Which output of its kernel `stream` is (manifest order), and whether TKEEP marks lanes.
        let output_of = |instance: usize, stream: &str| {
            let m = &graph.instances[instance].kernel.manifest;
            let slot = m.outputs().position(|s| s.name == stream).unwrap_or(0);
            (slot, m.outputs().nth(slot).is_none_or(|s| s.keep != KeepMode::Ignore))
        };
        let shape = |what: String| Error::Input { kernel: graph.name.clone(), message: what };
        let mut fifos = Vec::new();
        let mut fifo_connection = Vec::new();
        let mut consumers = Vec::new();
        let mut fifo_reads = Vec::new();
        let mut feeds: BTreeMap<String, (Vec<usize>, u32, Layout)> = BTreeMap::new();
        let mut taps: BTreeMap<(usize, String), Vec<usize>> = BTreeMap::new();
        let mut sinks = Vec::new();
        let mut producers = Vec::new();
        let capacity = inputs.streams.values().map(Vec::len).max().unwrap_or(0);
        let mut memory_outputs = Vec::new();
        let is_buffer = |instance: usize, name: &str| graph.instances[instance].kernel.manifest.buffer(name).is_some();
        for (index, connection) in graph.connections.iter().enumerate() {
            match (&connection.from, &connection.to) {
                // m_axi buffers: placed in the instance's memory above, read back at the end.
                (_, Endpoint::Port { instance, stream }) if is_buffer(*instance, stream) => {}
                (Endpoint::Port { instance, stream }, Endpoint::Graph(name)) if is_buffer(*instance, stream) => {
                    memory_outputs.push((*instance, stream.clone(), name.clone()));
                }
                (from, Endpoint::Port { instance, stream }) => {
                    let fifo = fifos.len();
                    fifos.push(AxisFifo::new(connection.depth.unwrap_or(2)));
                    fifo_connection.push(index);
                    let (bound, layout) = ports(*instance, stream, true)?;
                    let width = bound.tdata.width();
                    if bound.fifo.is_some() {
                        // The same monitor as single-kernel cosim's ap_fifo source (`AxisSource::checked`).
                        let name = format!("{}.{stream}", graph.instances[*instance].name);
                        fifo_reads.push((*instance, AxisMonitor::new(&name, bound, nodes[*instance].clock.counter())));
                    }
                    let node = &mut nodes[*instance];
                    consumers.push(Input {
                        node: *instance,
                        reader: AxisFifoReader::new(bound),
                        marks: Marks::default(),
                        layout,
                        elements: 0,
                        free: node.free.is_some(),
                    });
                    node.inputs.push(fifo);
                    if let Some(free) = &mut node.free {
                        free.inputs.push((stream.clone(), fifo));
                    }
                    match from {
                        Endpoint::Graph(name) => {
                            feeds.entry(name.clone()).or_insert((Vec::new(), width, layout)).0.push(fifo);
                            producers.push(Err(name.clone()));
                        }
                        Endpoint::Port { instance, stream } => {
                            taps.entry((*instance, stream.clone())).or_default().push(fifo);
                            producers.push(Ok(*instance));
                        }
                    }
                }
                (Endpoint::Port { instance, stream }, Endpoint::Graph(name)) => {
                    let (bound, layout) = ports(*instance, stream, false)?;
                    let counter = nodes[*instance].clock.counter();
                    // cosim.backpressure (the `+bp` rows) stalls the graph's outputs as it does a kernel's.
                    let pause = config.backpressure.outputs.pause(config.backpressure.seed.wrapping_add(sinks.len() as u64));
                    let sink = AxisSink::elements(name, bound, layout, capacity, pause, counter)
                        .map_err(|e| shape(format!("graph output `{name}`: {e}")))?;
                    sinks.push((*instance, sink, Marks::default(), output_of(*instance, stream).0));
                }
                (Endpoint::Graph(_), Endpoint::Graph(_)) => {}
            }
        }
        let mut writers = Vec::new();
        for ((instance, stream), into) in taps {
            let (bound, layout) = ports(instance, &stream, false)?;
            let (slot, keep) = output_of(instance, &stream);
            let name = format!("{}.{stream}", graph.instances[instance].name);
            let widths: Vec<u32> = into.iter().map(|&f| consumers[f].reader.ports().tdata.width()).collect();
            if widths.iter().any(|&w| w != bound.tdata.width()) {
                return Err(shape(format!("`{name}` has {}-bit TDATA but feeds {widths:?}-bit ports", bound.tdata.width())));
            }
            let writer = AxisFifoWriter::new(&name, bound, into, nodes[instance].clock.counter());
            writers.push((instance, writer, OutputMeta { slot, layout, keep, free: nodes[instance].free.is_some() }));
        }
        let mut feeders = Vec::new();
        for name in &graph.inputs {
            let Some((into, width, layout)) = feeds.remove(name) else { continue };
            let data = inputs.streams.get(name).map(Vec::as_slice).unwrap_or(&[]);
            let feeder = FifoFeeder::new(name, data, layout, width, into).map_err(|e| shape(format!("graph input `{name}`: {e}")))?;
            let pause = config.backpressure.inputs.pause(config.backpressure.seed.wrapping_add(feeders.len() as u64));
            feeders.push((feeder, Marks::default(), false, pause));
        }
        let fifo_producer = producers
            .into_iter()
            .map(|p| match p {
                Ok(instance) => Producer::Node(instance),
                // Every graph input that feeds a FIFO has a feeder (above).
                Err(name) => Producer::Feeder(feeders.iter().position(|(f, _, _, _)| f.name() == name).unwrap_or(0)),
            })
            .collect();
        let free_running = nodes.iter().any(|n| n.free.is_some());
        let awaiting = nodes.iter().enumerate().filter_map(|(i, n)| n.interrupt.map(|bit| (i, bit))).collect();
        Ok(System {
            graph,
            graph_name: graph.name.clone(),
            graph_path: graph.path.clone(),
            edges: nodes.iter().map(|n| n.clock.edges()).collect(),
            traced: false,
            nodes,
            fifos,
            fifo_connection,
            writers,
            starving: Vec::with_capacity(consumers.len()),
            inputs: consumers,
            fifo_reads,
            feeders,
            sinks,
            fifo_producer,
            awaiting,
            free_running,
            buses_busy: true,
            failure: None,
            memory_outputs,
            streaming: false,
            start_cycle: 0,
            watchdog: config.watchdog_cycles,
            // As if the kernels ran one after another: the sum of their interface bounds.
            cycle_budget: config.cycle_budget(
                graph.instances.iter().map(|i| i.kernel.manifest.interface_bound(input_elements(inputs))).sum(),
            ),
            output_budget: config.output_budget(input_elements(inputs)),
            last_progress: 0,
            waveforms: Vec::new(),
        })
    }

    fn trace_into(&mut self, models: &'m [Model], format: TraceFormat) -> Result<(), Error> {
        for (node, model) in self.nodes.iter_mut().zip(models) {
            let path = waveform_path(&format!("{}-{}", self.graph_name, node.name), format);
            let trace = model.open_trace(&path, format).map_err(CosimError::wrap(&node.name))?;
            self.waveforms.push(path.display().to_string());
            node.trace = Some(trace);
        }
        self.traced = true;
        Ok(())
    }

    fn close_traces(&mut self) {
        for node in &mut self.nodes {
            if let Some(trace) = node.trace.take() {
                let _ = trace.close();
            }
        }
        self.traced = false;
    }

    fn cycle(&self) -> u64 {
        self.nodes.first().map_or(0, |n| n.clock.cycle())
    }

    /// One cycle of every model and every connection. Drive from the state at the start of
    /// the cycle, settle every model, sample every handshake, then one rising edge for all.
    fn step(&mut self) {
        for (_, writer, _) in &mut self.writers {
            writer.drive(&self.fifos);
            if writer.monitor().ports().fifo.is_some() {
                let ports = *writer.monitor().ports();
                fifo_occupancy(&ports, writer.targets(), &self.fifos);
            }
        }
        // Zipped: input i reads FIFO i (no index to test).
        for (index, (Input { reader, .. }, fifo)) in self.inputs.iter_mut().zip(&self.fifos).enumerate() {
            reader.drive(fifo);
            if reader.ports().fifo.is_some() {
                fifo_occupancy(reader.ports(), &[index], &self.fifos);
            }
        }
        for (feeder, _, room, _) in &mut self.feeders {
            *room = feeder.room(&self.fifos);
        }
        for (_, sink, _, _) in &mut self.sinks {
            sink.drive();
        }
        if self.buses_busy {
            self.drive_buses();
        }
        self.settle();
        let cycle = self.cycle();
        let streaming = self.streaming;
        let mut progress = false;
        if !self.fifo_reads.is_empty() {
            self.observe_fifo_reads();
        }
        // Waits are counted where the handshakes are sampled, not in a pass of their own.
        for (instance, writer, meta) in &mut self.writers {
            match writer.sample(&mut self.fifos) {
                Handshake::Transfer => {
                    progress = true;
                    // Tested first: only a free-running node's own state is touched.
                    if meta.free {
                        count_output(&mut self.nodes[*instance], writer.monitor().ports(), meta, cycle);
                    }
                }
                Handshake::Waited if streaming => count_wait(&mut self.nodes[*instance], &self.inputs, cycle, Wait::Blocked),
                Handshake::Waited | Handshake::Idle => {}
            }
        }
        // A transfer marks its own port only: the node's first and last input are read from
        // its ports' marks where they are needed.
        for (input, fifo) in self.inputs.iter_mut().zip(&mut self.fifos) {
            match input.reader.sample(fifo) {
                Handshake::Transfer => {
                    input.marks.mark(cycle);
                    if input.free {
                        input.elements += elements_in_beat(input.reader.ports(), input.layout, true);
                    }
                    progress = true;
                }
                Handshake::Waited if streaming => self.starving.push(input.node),
                Handshake::Waited | Handshake::Idle => {}
            }
        }
        if self.streaming {
            for (feeder, marks, room, pause) in &mut self.feeders {
                // A paused graph input offers nothing this cycle (back-pressure's source side).
                if !pause.next_cycle() && feeder.step(&mut self.fifos, *room) {
                    marks.mark(cycle);
                    progress = true;
                }
            }
        }
        // After every input of the cycle: a wait sampled in an input's own cycle counts.
        for &node in &self.starving {
            count_wait(&mut self.nodes[node], &self.inputs, cycle, Wait::Starved);
        }
        self.starving.clear();
        for (instance, sink, marks, slot) in &mut self.sinks {
            if sink.sample() {
                marks.mark(cycle);
                progress = true;
                if let Some(free) = &mut self.nodes[*instance].free {
                    free.outputs[*slot] = (sink.len(), sink.packets(), Some(cycle));
                }
            }
        }
        // The control and memory buses sample their own model only (each model's edge
        // changes nothing of another's).
        if self.buses_busy {
            progress |= self.sample_buses();
        }
        self.rise();
        let mut k = 0;
        while let Some(&(node, interrupt)) = self.awaiting.get(k) {
            if interrupt.is_high() {
                self.nodes[node].done = Some(cycle + 1);
                self.awaiting.swap_remove(k);
                progress = true;
            } else {
                k += 1;
            }
        }
        if self.free_running && self.streaming {
            progress |= self.update_ends();
        }
        if progress {
            self.last_progress = self.cycle();
        }
    }

    // What a cycle does only in some graphs or phases is out of line: the cycle's own code
    // then fills fewer instruction cache lines, which it shares with every model's.

    /// The s_axi_control masters' and m_axi memories' inputs, while they have work.
    #[inline(never)]
    fn drive_buses(&mut self) {
        for node in &mut self.nodes {
            if let Some(control) = &mut node.control {
                control.drive();
            }
            node.memories.drive();
        }
    }

    /// The buses sampled (each samples its own model only: an edge changes nothing of
    /// another's); true on a transfer. Whether any still has work decides the next cycle's.
    #[inline(never)]
    fn sample_buses(&mut self) -> bool {
        let (mut progress, mut busy) = (false, false);
        for node in &mut self.nodes {
            progress |= node.control.as_mut().is_some_and(AxilMaster::sample);
            progress |= node.memories.sample();
            busy |= !node.memories.is_empty() || node.control.as_ref().is_some_and(|c| !c.is_quiet());
        }
        self.buses_busy = busy;
        progress
    }

    /// The ap_fifo inputs' monitors (no `_read` while `_empty_n` is low).
    #[inline(never)]
    fn observe_fifo_reads(&mut self) {
        for (_, check) in &mut self.fifo_reads {
            check.observe();
        }
    }

    /// Every model evaluated with its clock low (models are independent: the order is free).
    #[inline(always)]
    fn settle(&mut self) {
        if self.traced {
            self.settle_traced();
        } else {
            settle_each(&self.edges);
        }
    }

    #[cold]
    #[inline(never)]
    fn settle_traced(&mut self) {
        self.nodes.iter_mut().for_each(Node::settle);
    }

    /// One rising edge for every model, counted once on the clocks' shared count (traced,
    /// each clock counts it, to the same value).
    #[inline(always)]
    fn rise(&mut self) {
        if self.traced {
            self.rise_traced();
        } else {
            rise_each(&self.edges);
            if let Some(first) = self.nodes.first_mut() {
                first.clock.count_rise();
            }
        }
    }

    #[cold]
    #[inline(never)]
    fn rise_traced(&mut self) {
        self.nodes.iter_mut().for_each(Node::rise);
    }

    /// After a cycle's edge: each free-running node whose every output now meets its end rule
    /// is done at this cycle (true if one became done).
    fn update_ends(&mut self) -> bool {
        let cycle = self.cycle();
        let mut ended = false;
        for index in 0..self.nodes.len() {
            if self.nodes[index].done.is_some() {
                continue;
            }
            // Out of its node while the others are read (a move, no allocation).
            let Some(mut free) = self.nodes[index].free.take() else { continue };
            let result = self.advance(index, &mut free, cycle);
            let end = free.rules.end();
            self.nodes[index].free = Some(free);
            match result {
                Ok(true) => {
                    // A kernel without outputs has nothing to wait for: done now.
                    self.nodes[index].done = end.or(Some(cycle));
                    ended = true;
                }
                Ok(false) => {}
                Err(message) => {
                    let kernel = format!("{}/{} ({})", self.graph_name, self.nodes[index].name, self.graph.instances[index].kernel.name());
                    self.failure.get_or_insert(Error::Input { kernel, message });
                }
            }
        }
        ended
    }

    /// One cycle of free-running node `index`'s end rules: its inputs' lengths once they ended
    /// (the producer done, the FIFO drained), then its outputs; true once every rule is met.
    fn advance(&self, index: usize, free: &mut FreeRunning, cycle: u64) -> Result<bool, String> {
        if free.inputs_done.is_none() {
            let length = |fifo: usize| {
                let produced = match self.fifo_producer[fifo] {
                    Producer::Feeder(f) => self.feeders[f].0.remaining() == 0,
                    Producer::Node(n) => self.nodes[n].done.is_some(),
                };
                (produced && self.fifos[fifo].is_empty()).then_some(self.inputs[fifo].elements)
            };
            let FreeRunning { rules, inputs, .. } = &mut *free;
            rules.resolve(|name| inputs.iter().find(|(n, _)| n == name).and_then(|&(_, fifo)| length(fifo)))?;
            if inputs.iter().all(|&(_, fifo)| length(fifo).is_some()) {
                free.inputs_done = Some(input_span(&self.inputs, &self.nodes[index].inputs).1.unwrap_or(self.start_cycle));
            }
        }
        Ok(free.rules.update(cycle, &free.outputs, free.inputs_done))
    }

    /// Holds every node in reset with its streams idle, as single-kernel cosim does: no beat
    /// moves, so what a register holds before the first edge (random under `x-init: random`)
    /// never reaches a connection.
    fn reset(&mut self) {
        let cycles = self.nodes.iter().map(|n| n.reset_cycles).max().unwrap_or(1);
        for (_, writer, _) in &mut self.writers {
            writer.monitor().ports().tready.set(false);
        }
        for Input { reader, .. } in &self.inputs {
            reader.ports().tvalid.set(false);
        }
        for (_, sink, _, _) in &self.sinks {
            sink.ports().tready.set(false);
        }
        for node in &self.nodes {
            node.reset.set(node.reset_active);
        }
        for _ in 0..cycles {
            self.settle();
            self.rise();
        }
        for node in &self.nodes {
            node.reset.set(!node.reset_active);
        }
        self.last_progress = self.cycle();
    }

    /// The whole call: reset, arguments, start (consumers first), run until every node is
    /// done (its interrupt, or its end rules when free-running), acknowledge, watch the
    /// free-running nodes' outputs stay ended. Returns the cycles from the start of the
    /// streams (the last `ap_start` write) to the last done, and the report.
    fn call(&mut self, graph: &Graph, inputs: &Values) -> Result<(u64, Report), Error> {
        self.reset();
        for (index, instance) in graph.instances.iter().enumerate() {
            if self.nodes[index].control.is_none() {
                // Free-running: nothing to write, nothing to start.
                continue;
            }
            let args = graph.instance_args(index, &inputs.scalars);
            for arg in instance.kernel.manifest.args.iter().filter(|a| a.direction == ArgDirection::In) {
                let Some(offset) = arg.register() else { continue };
                let value = args.get(&arg.name).copied().unwrap_or(0);
                self.write(index, u64::from(offset), value as u32)?;
                if arg.width == 64 {
                    self.write(index, u64::from(offset) + 4, (value >> 32) as u32)?;
                }
            }
            let pointers: Vec<(u32, u64)> = self.nodes[index].memories.pointers().collect();
            for (offset, addr) in pointers {
                self.write(index, u64::from(offset), addr as u32)?;
                self.write(index, u64::from(offset) + 4, (addr >> 32) as u32)?;
            }
            self.write(index, reg::GIE, 1)?;
            self.write(index, reg::IER, reg::IRQ_DONE)?;
        }
        // Consumers first, so that no kernel waits on a stopped neighbour; the graph inputs
        // start with the last start write (the first producer's), which is where the call's
        // cycles count from: before it no data moves.
        let started: Vec<usize> = (0..self.nodes.len()).filter(|&i| self.nodes[i].control.is_some()).collect();
        for &index in started.iter().skip(1).rev() {
            self.write(index, reg::AP_CTRL, reg::AP_START)?;
        }
        self.start_cycle = self.cycle();
        self.streaming = true;
        self.fifos.iter_mut().for_each(AxisFifo::reset_stats);
        self.nodes.iter_mut().for_each(|n| n.memories.reset_stats());
        if let Some(&first) = started.first() {
            self.write(first, reg::AP_CTRL, reg::AP_START)?;
        }
        self.run_until_done()?;
        // Statistics of the call itself, before the acknowledging register accesses.
        let report = self.report();
        let last_done = self.nodes.iter().filter_map(|n| n.done).max().unwrap_or(self.start_cycle);
        for &index in &started {
            let isr = self.read(index, reg::ISR)?;
            self.write(index, reg::ISR, isr)?;
            let ctrl = self.read(index, reg::AP_CTRL)?;
            if isr & reg::IRQ_DONE == 0 || ctrl & reg::AP_DONE == 0 {
                return Err(self.protocol_error(index, "s_axi_control", format!("interrupt without done: ISR={isr:#x} AP_CTRL={ctrl:#x}")));
            }
            if self.nodes[index].chain {
                self.write(index, reg::AP_CTRL, reg::AP_CONTINUE)?;
            }
        }
        self.linger()?;
        Ok((last_done - self.start_cycle, report))
    }

    /// Every node is done: its interrupt was seen (none awaited), and a free-running node met
    /// its end rules.
    fn all_done(&self) -> bool {
        self.awaiting.is_empty() && (!self.free_running || self.nodes.iter().all(|n| n.done.is_some()))
    }

    fn run_until_done(&mut self) -> Result<(), Error> {
        while !self.all_done() {
            self.step();
            if let Some(failure) = self.failure.take() {
                return Err(failure);
            }
            let cycle = self.cycle();
            if cycle - self.last_progress >= self.watchdog {
                let awaited = self.awaited();
                return Err(self.stuck(&awaited));
            }
            if cycle.is_multiple_of(CHECK_EVERY) {
                self.check_protocol()?;
                self.check_budgets()?;
            }
        }
        Ok(())
    }

    /// What the nodes not done yet wait for, naming each.
    fn awaited(&self) -> String {
        let pending: Vec<String> = self
            .nodes
            .iter()
            .filter(|n| n.done.is_none())
            .map(|n| match &n.free {
                None => format!("the done interrupt of `{}`", n.name),
                Some(free) => format!("free-running `{}` to end: {}", n.name, free.rules.awaited(Some(&free.outputs))),
            })
            .collect();
        pending.join("; ")
    }

    /// After the call, the free-running nodes run on for as long as their pipelines could
    /// still deliver: an output that grows past its end is a protocol error naming it.
    fn linger(&mut self) -> Result<(), Error> {
        let linger = self.nodes.iter().filter_map(|n| n.free.as_ref().map(|f| f.linger)).max().unwrap_or(0);
        for _ in 0..linger {
            self.step();
        }
        self.check_protocol()?;
        for (index, node) in self.nodes.iter().enumerate() {
            let Some(free) = &node.free else { continue };
            if let Some((port, message)) = free.rules.overrun(&free.outputs, linger) {
                return Err(self.protocol_error(index, &port, message));
            }
        }
        Ok(())
    }

    /// The call's cycle budget and every graph output's beat budget.
    fn check_budgets(&mut self) -> Result<(), Error> {
        let Limit { value: cycles, rule } = &self.cycle_budget;
        let mut over = None;
        if self.streaming && self.cycle() - self.start_cycle > *cycles {
            over = Some(format!("cycle budget of {cycles} cycles ({rule})"));
        }
        let Limit { value: beats, rule } = &self.output_budget;
        if let Some((_, sink, _, _)) = self.sinks.iter_mut().find(|(_, s, _, _)| s.len() as u64 > *beats) {
            let produced = sink.len();
            over = Some(format!(
                "output budget: graph output `{}` produced {produced} beats, more than {beats} ({rule}); does a kernel stream forever?",
                sink.monitor().name()
            ));
        }
        match over {
            None => Ok(()),
            Some(budget) => Err(Error::OverBudget {
                kernel: self.graph_name.clone(),
                budget,
                cycle: self.cycle(),
                state: format!("waveforms: {}", if self.waveforms.is_empty() { "none".to_owned() } else { self.waveforms.join(", ") }),
            }),
        }
    }

    fn run_control(&mut self, node: usize, what: &str) -> Result<u32, Error> {
        while !self.nodes[node].control.as_ref().is_none_or(AxilMaster::is_idle) {
            self.step();
            if let Some(failure) = self.failure.take() {
                return Err(failure);
            }
            if self.cycle() - self.last_progress >= self.watchdog {
                return Err(self.stuck(what));
            }
        }
        let response = self.nodes[node].control.as_mut().and_then(AxilMaster::pop_response);
        match response {
            Some(r) if r.resp == 0 => Ok(r.data),
            Some(r) => Err(self.protocol_error(node, "s_axi_control", format!("response {:#b} (not OKAY) to {what}", r.resp))),
            None => Err(self.protocol_error(node, "s_axi_control", format!("internal error: no response to {what}"))),
        }
    }

    /// Every node but a free-running one has an s_axi_control master.
    fn no_control(&self, node: usize) -> Error {
        self.protocol_error(node, "s_axi_control", "internal error: a free-running node has no control bus".to_owned())
    }

    fn write(&mut self, node: usize, addr: u64, data: u32) -> Result<(), Error> {
        match self.nodes[node].control.as_mut() {
            Some(control) => control.write(addr, data),
            None => return Err(self.no_control(node)),
        }
        self.buses_busy = true;
        self.run_control(node, &format!("the write of s_axi_control {addr:#04x} of `{}`", self.nodes[node].name)).map(drop)
    }

    fn read(&mut self, node: usize, addr: u64) -> Result<u32, Error> {
        match self.nodes[node].control.as_mut() {
            Some(control) => control.read(addr),
            None => return Err(self.no_control(node)),
        }
        self.buses_busy = true;
        self.run_control(node, &format!("the read of s_axi_control {addr:#04x} of `{}`", self.nodes[node].name))
    }

    fn check_protocol(&mut self) -> Result<(), Error> {
        for (index, node) in self.nodes.iter().enumerate() {
            if let Some((port, message)) = node.memories.check() {
                return Err(self.protocol_error(index, &port, message));
            }
        }
        let violation = self
            .writers
            .iter_mut()
            .map(|(i, w, _)| (*i, w.monitor().violation().cloned()))
            .chain(self.sinks.iter_mut().map(|(i, s, _, _)| (*i, s.monitor().violation().cloned())))
            .chain(self.fifo_reads.iter().map(|(i, m)| (*i, m.violation().cloned())))
            .filter_map(|(i, v)| v.map(|v| (i, v)))
            .min_by_key(|(_, v)| v.cycle);
        match violation {
            None => Ok(()),
            Some((node, v)) => Err(Error::Protocol {
                kernel: self.who(node),
                port: v.port.clone(),
                cycle: v.cycle,
                message: format!("{}{}", v.describe(), self.waveform_note()),
            }),
        }
    }

    fn who(&self, node: usize) -> String {
        format!("{}/{}", self.graph_name, self.nodes[node].name)
    }

    fn protocol_error(&self, node: usize, port: &str, message: String) -> Error {
        Error::Protocol { kernel: self.who(node), port: port.to_owned(), cycle: self.cycle(), message: format!("{message}{}", self.waveform_note()) }
    }

    fn waveform_note(&self) -> String {
        if self.waveforms.is_empty() {
            "\n  waveforms: none (set CODESIGN_TRACE=vcd or fst, or cosim.trace, to record one per kernel)".to_owned()
        } else {
            format!("\n  waveforms: {}", self.waveforms.join(", "))
        }
    }
}

impl System<'_> {
    fn label(&self, fifo: usize) -> String {
        self.graph.connections[self.fifo_connection[fifo]].label.clone()
    }

    /// Whether the producer of `fifo` (a kernel output or a graph input) is offering a beat.
    /// An ap_fifo output never offers into a full FIFO (`_write` waits for `_full_n`): when
    /// its FIFO is full it counts as waiting, since that is all the port can show.
    fn producer_waits(&mut self, fifo: usize) -> bool {
        let full = self.fifos[fifo].len() == self.fifos[fifo].depth();
        let by_writer = self.writers.iter_mut().any(|(_, w, _)| {
            let ports = *w.monitor().ports();
            w.targets().contains(&fifo) && (ports.tvalid.is_high() || (full && ports.fifo.is_some()))
        });
        let by_feeder = self.feeders.iter().any(|(f, _, _, _)| f.targets().contains(&fifo) && f.remaining() > 0);
        by_writer || by_feeder
    }

    /// The watchdog fired: a deadlock (a full FIFO whose producer waits while its consumer
    /// takes nothing) names the connection; anything else is a hang with every port's state.
    fn stuck(&mut self, awaited: &str) -> Error {
        if let Err(violation) = self.check_protocol() {
            return violation;
        }
        let cycle = self.cycle();
        let waited = cycle - self.last_progress;
        let mut states = Vec::new();
        let mut full = Vec::new();
        let mut starving = Vec::new();
        for fifo in 0..self.fifos.len() {
            let (len, depth) = (self.fifos[fifo].len(), self.fifos[fifo].depth());
            let waits = self.producer_waits(fifo);
            let ready = self.inputs[fifo].reader.ports().tready.is_high();
            let label = self.label(fifo);
            states.push(format!("`{label}` {len}/{depth} beats (producer {}, consumer {})",
                if waits { "waiting" } else { "idle" }, if ready { "ready" } else { "not ready" }));
            if len == depth && waits && !ready {
                full.push(fifo);
            } else if len == 0 && ready {
                starving.push(label);
            }
        }
        for node in &self.nodes {
            match (&node.interrupt, &node.control) {
                (Some(interrupt), Some(control)) => {
                    states.push(format!("{}: interrupt={} {}", node.name, u8::from(interrupt.is_high()), control.state()))
                }
                _ => {
                    let produced = node.free.iter().flat_map(|f| &f.outputs).map(|(n, _, _)| n.to_string()).collect::<Vec<_>>();
                    let ended = if node.done.is_some() { "ended" } else { "running" };
                    states.push(format!("{}: free-running, {ended}, outputs produced [{}]", node.name, produced.join(", ")));
                }
            }
            states.extend(node.memories.state().into_iter().map(|m| format!("{}: {m}", node.name)));
        }
        let state = format!("{}{}", states.join("; "), self.waveform_note());
        // The full FIFO at the end of the jam: its consumer is not itself held up by a full
        // output, so it waits on something else (an empty input on another branch).
        let jammed: Vec<usize> = self
            .writers
            .iter()
            .filter(|(_, w, _)| w.targets().iter().any(|f| full.contains(f)))
            .map(|(i, _, _)| *i)
            .collect();
        let end_of_jam = full.iter().find(|&&f| !jammed.contains(&self.inputs[f].node)).or(full.first());
        let Some(&fifo) = end_of_jam else {
            return Error::Timeout { kernel: self.graph_name.clone(), awaited: awaited.to_owned(), waited, cycle, state };
        };
        let connection = self.label(fifo);
        let depth = self.fifos[fifo].depth();
        let consumer = &self.nodes[self.inputs[fifo].node].name;
        let index = self.fifo_connection[fifo];
        Error::Deadlock {
            graph: self.graph_name.clone(),
            cycle,
            connection,
            message: format!(
                "its FIFO is full ({depth} of {depth} beats) and its producer waits, while its consumer `{consumer}` \
                 takes nothing for {waited} cycles{}. Deepen it: connections[{index}].depth in {}\n  connections: {state}",
                if starving.is_empty() { String::new() } else { format!(" (waiting on empty {})", starving.join(", ")) },
                self.graph_path.display()
            ),
        }
    }

    /// Per-port, per-connection and per-stage statistics of the call.
    fn report(&mut self) -> Report {
        let graph = self.graph;
        let start = self.start_cycle;
        // A beat may move before the start (a node ready straight out of reset): cycle 0.
        let relative = |m: &Marks| (m.first.map(|c| c.saturating_sub(start)), m.last_transfer().map(|c| c.saturating_sub(start)));
        let mut ports = Vec::new();
        for (feeder, marks, _, _) in &self.feeders {
            let stalled = feeder.targets().iter().map(|&f| self.fifos[f].stats().full_stalls).max().unwrap_or(0);
            let (first, last) = relative(marks);
            let transfers = feeder.targets().first().map_or(0, |&f| self.fifos[f].stats().pushed);
            ports.push(PortReport { name: feeder.name().to_owned(), input: true, transfers, stalled, first, last, ..PortReport::default() });
        }
        for (_, sink, marks, _) in &mut self.sinks {
            let stats = sink.stats();
            let (first, last) = relative(marks);
            let name = sink.monitor().name().to_owned();
            ports.push(PortReport { name, input: false, transfers: stats.transfers, stalled: stats.stalled, first, last, ..PortReport::default() });
        }
        let connections = (0..self.fifos.len())
            .map(|f| {
                let stats = self.fifos[f].stats();
                ConnectionReport {
                    name: self.label(f),
                    depth: self.fifos[f].depth(),
                    high_water: stats.high_water,
                    transfers: stats.popped,
                    producer_stalls: stats.full_stalls,
                    consumer_stalls: stats.reader_stalls,
                    consumer_waits: stats.empty_waits,
                }
            })
            .collect();
        let stages = graph
            .instances
            .iter()
            .zip(&self.nodes)
            .map(|(instance, node)| {
                let (first, last) = input_span(&self.inputs, &node.inputs);
                let (starved, blocked) = node.waits.at_last_input(last);
                StageReport {
                    instance: instance.name.clone(),
                    kernel: instance.kernel.name().to_owned(),
                    first_input: first.map(|c| c.saturating_sub(start)),
                    last_input: last.map(|c| c.saturating_sub(start)),
                    done: node.done.map(|c| c.saturating_sub(start)),
                    starved,
                    blocked,
                }
            })
            .collect();
        let memories = self
            .nodes
            .iter()
            .flat_map(|n| {
                n.memories.reports().into_iter().map(|mut r| {
                    r.bundle = format!("{}.{}", n.name, r.bundle);
                    r
                })
            })
            .collect();
        Report { ports, connections, stages, memories, ..Report::default() }
    }

    /// After every done: inputs all consumed, FIFOs drained, packets closed; the outputs.
    fn finish(&mut self) -> Result<Values, Error> {
        for (feeder, _, _, _) in &self.feeders {
            if feeder.remaining() != 0 {
                return Err(Error::Protocol {
                    kernel: self.graph_name.clone(),
                    port: feeder.name().to_owned(),
                    cycle: self.cycle(),
                    message: format!("every kernel finished with {} beats of graph input `{}` not consumed", feeder.remaining(), feeder.name()),
                });
            }
        }
        for (fifo, input) in self.inputs.iter().enumerate() {
            if !self.fifos[fifo].is_empty() {
                return Err(Error::Protocol {
                    kernel: format!("{}/{}", self.graph_name, self.nodes[input.node].name),
                    port: format!("connection {}", self.fifo_connection[fifo]),
                    cycle: self.cycle(),
                    message: format!("every kernel finished with {} beats left in the FIFO: the consumer read fewer than the producer wrote", self.fifos[fifo].len()),
                });
            }
        }
        let finished = self
            .writers
            .iter_mut()
            .map(|(i, w, _)| (*i, w.monitor().finish().err()))
            .chain(self.sinks.iter_mut().map(|(i, s, _, _)| (*i, s.monitor().finish().err())))
            .chain(self.fifo_reads.iter_mut().map(|(i, m)| (*i, m.finish().err())))
            .filter_map(|(i, v)| v.map(|v| (i, v)))
            .min_by_key(|(_, v)| v.cycle);
        if let Some((node, v)) = finished {
            return Err(Error::Protocol { kernel: self.who(node), port: v.port.clone(), cycle: v.cycle, message: v.describe() });
        }
        for (index, node) in self.nodes.iter().enumerate() {
            if let Some((port, message)) = node.memories.finish() {
                return Err(self.protocol_error(index, &port, message));
            }
        }
        let mut outputs = Values::new();
        for (instance, buffer, name) in &self.memory_outputs {
            let mut own = Values::new();
            self.nodes[*instance].memories.outputs(&mut own)?;
            outputs.streams.insert(name.clone(), own.streams.remove(buffer).unwrap_or_default());
        }
        for (_, sink, _, _) in &mut self.sinks {
            let name = sink.monitor().name().to_owned();
            outputs.streams.insert(name, sink.take_elements());
        }
        Ok(outputs)
    }
}
