//! From a graph file to a validated [`Graph`] and the manifest that lets it pass for a kernel.
//! Every rule broken is an error naming the key and, where the file shows it, the line.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Arc;

use codesign_hw::manifest::{
    ArgDirection, BlockProtocol, BufferDirection, Control, Manifest, Perf, ScalarArg, StreamDirection, StreamPort,
};

use super::spec::{ArgValueSpec, GraphSpec};
use super::{ArgValue, Connection, Endpoint, Graph, Instance};
use crate::{Error, Kernel};

/// Parses and validates graph text; `path` names it in errors. An instance's kernel is looked
/// up in `extra` first, then in the library.
pub fn parse(path: &Path, text: &str, extra: &[Kernel]) -> Result<Kernel, Error> {
    let fail = |message: String| Error::Graph { path: path.to_owned(), message };
    let spec: GraphSpec = serde_path_to_error::deserialize(serde_yaml::Deserializer::from_str(text))
        .map_err(|e| fail(codesign_hw::manifest::yaml_error_message(&e)))?;
    // For a connection's end, point at `from: X` / `to: X` rather than the first X in the file.
    let located = |key: &str, needle: &str, message: String| {
        let side = key.rsplit('.').next().filter(|s| *s == "from" || *s == "to");
        let at = side.map(|s| locate(text, &format!("{s}: {needle}"))).filter(|a| !a.is_empty());
        fail(format!("{key}: {message}{}", at.unwrap_or_else(|| locate(text, needle))))
    };
    Checker { spec: &spec, located: &located, extra }.build(path)
}

/// ` at line L column C` of the first occurrence of `needle` as a YAML value or key, if found.
fn locate(text: &str, needle: &str) -> String {
    for (number, line) in text.lines().enumerate() {
        let code = line.split(" #").next().unwrap_or(line);
        let mut from = 0;
        while let Some(at) = code[from..].find(needle) {
            let start = from + at;
            let end = start + needle.len();
            let boundary = |c: Option<char>| c.is_none_or(|c| !(c.is_alphanumeric() || c == '_' || c == '.' || c == '$'));
            if boundary(code[..start].chars().next_back()) && boundary(code[end..].chars().next()) {
                return format!(" at line {} column {}", number + 1, start + 1);
            }
            from = end;
        }
    }
    String::new()
}

struct Checker<'a, F: Fn(&str, &str, String) -> Error> {
    spec: &'a GraphSpec,
    located: &'a F,
    extra: &'a [Kernel],
}

/// A stream (or m_axi buffer, seen as the stream of its elements) of an instance, as a
/// parsed endpoint.
struct PortRef {
    index: usize,
    port: StreamPort,
    /// An m_axi buffer: data placed in the kernel's memory, not streamed.
    memory: bool,
}

impl<F: Fn(&str, &str, String) -> Error> Checker<'_, F> {
    fn build(&self, path: &Path) -> Result<Kernel, Error> {
        let spec = self.spec;
        let err = self.located;
        let graph_args: BTreeSet<&str> = spec.args.iter().map(|a| a.name.as_str()).collect();
        // Instances, in file (name) order for now; sorted topologically below.
        let mut instances = Vec::new();
        for (name, inst) in &spec.kernels {
            let key = format!("kernels.{name}");
            if name.contains('.') || name.is_empty() {
                return Err(err(&key, name, format!("instance name `{name}` must be non-empty and without `.`")));
            }
            let kernel = match self.extra.iter().find(|k| k.name() == inst.kernel) {
                Some(kernel) => kernel.clone(),
                None => Kernel::named(&inst.kernel).map_err(|e| err(&format!("{key}.kernel"), &inst.kernel, e.to_string()))?,
            };
            if kernel.graph().is_some() {
                return Err(err(&format!("{key}.kernel"), &inst.kernel, "a graph cannot instantiate another graph".into()));
            }
            let mut args = BTreeMap::new();
            for (arg, value) in &inst.args {
                let key = format!("{key}.args.{arg}");
                let Some(declared) = kernel.manifest.arg(arg).filter(|a| a.direction == ArgDirection::In) else {
                    let known: Vec<_> = in_args(&kernel.manifest).map(|a| a.name.as_str()).collect();
                    return Err(err(&key, arg, format!("kernel `{}` has no input argument `{arg}` (args: {})", inst.kernel, known.join(", "))));
                };
                let value = match value {
                    ArgValueSpec::Fixed(v) => {
                        if declared.width < 64 && v >> declared.width != 0 {
                            return Err(err(&key, arg, format!("{v} does not fit {} bits", declared.width)));
                        }
                        ArgValue::Fixed(*v)
                    }
                    ArgValueSpec::Graph(text) => {
                        let Some(g) = text.strip_prefix('$').filter(|g| graph_args.contains(g)) else {
                            return Err(err(&key, text, format!(
                                "`{text}` is neither a number nor `$name` of a graph argument (graph args: {})",
                                graph_args.iter().copied().collect::<Vec<_>>().join(", ")
                            )));
                        };
                        ArgValue::Graph(g.to_owned())
                    }
                };
                args.insert(arg.clone(), value);
            }
            if let Some(missing) = in_args(&kernel.manifest).find(|a| !args.contains_key(&a.name)) {
                return Err(err(&key, name, format!("argument `{}` of kernel `{}` is not bound", missing.name, inst.kernel)));
            }
            instances.push(Instance { name: name.clone(), kernel, args });
        }
        for arg in &spec.args {
            let used = instances.iter().any(|i| i.args.values().any(|v| v == &ArgValue::Graph(arg.name.clone())));
            if !used {
                return Err(err("args", &arg.name, format!("graph argument `{}` is bound to no kernel argument", arg.name)));
            }
        }
        let mut ports = BTreeSet::new();
        for name in spec.inputs.iter().chain(&spec.outputs) {
            if name.contains('.') || !ports.insert(name.as_str()) || spec.kernels.contains_key(name) {
                return Err(err("inputs/outputs", name, format!("graph port `{name}` must be unique, without `.`, and not an instance name")));
            }
        }
        let connections = self.connections(&instances)?;
        self.check_coverage(&instances, &connections)?;
        let order = self.topological_order(&instances, &connections)?;
        // Re-index instances in dependency order.
        let position: BTreeMap<usize, usize> = order.iter().enumerate().map(|(new, &old)| (old, new)).collect();
        let renumber = |end: &Endpoint| match end {
            Endpoint::Port { instance, stream } => Endpoint::Port { instance: position[instance], stream: stream.clone() },
            other => other.clone(),
        };
        let connections: Vec<Connection> = connections
            .iter()
            .map(|c| Connection { from: renumber(&c.from), to: renumber(&c.to), depth: c.depth, label: c.label.clone() })
            .collect();
        let mut slots: Vec<Option<Instance>> = instances.into_iter().map(Some).collect();
        let instances: Vec<Instance> = order.iter().filter_map(|&i| slots[i].take()).collect();
        let graph = Graph {
            name: spec.name.clone(),
            path: path.to_owned(),
            instances,
            connections,
            inputs: spec.inputs.clone(),
            outputs: spec.outputs.clone(),
        };
        let manifest = self.manifest(&graph)?;
        Ok(Kernel::from_graph(manifest, Arc::new(graph)))
    }

    /// Parses `instance.stream` or a graph port name, as the producer (`from`) or consumer side.
    fn endpoint(&self, instances: &[Instance], text: &str, from: bool, key: &str) -> Result<(Endpoint, Option<PortRef>), Error> {
        let err = self.located;
        let Some((inst, stream)) = text.split_once('.') else {
            let list = if from { &self.spec.inputs } else { &self.spec.outputs };
            if !list.iter().any(|p| p == text) {
                let what = if from { "graph input (inputs)" } else { "graph output (outputs)" };
                return Err(err(key, text, format!("`{text}` is neither `instance.stream` nor a {what}: {}", list.join(", "))));
            }
            return Ok((Endpoint::Graph(text.to_owned()), None));
        };
        let Some(index) = instances.iter().position(|i| i.name == inst) else {
            let known: Vec<_> = instances.iter().map(|i| i.name.as_str()).collect();
            return Err(err(key, text, format!("unknown instance `{inst}` (kernels: {})", known.join(", "))));
        };
        let kernel = &instances[index].kernel;
        let Some((port, memory)) = port_named(kernel, stream) else {
            let known: Vec<_> =
                kernel.manifest.streams.iter().map(|s| s.name.as_str()).chain(kernel.manifest.buffers.iter().map(|b| b.name.as_str())).collect();
            return Err(err(key, text, format!("kernel `{}` has no stream or buffer `{stream}` (ports: {})", kernel.name(), known.join(", "))));
        };
        let wanted = if from { StreamDirection::Out } else { StreamDirection::In };
        if port.direction != wanted {
            let side = if from { "from" } else { "to" };
            return Err(err(key, text, format!("`{text}` is an {} {} and cannot be a connection's `{side}`",
                if from { "input" } else { "output" }, if memory { "buffer" } else { "stream" })));
        }
        Ok((Endpoint::Port { instance: index, stream: stream.to_owned() }, Some(PortRef { index, port, memory })))
    }

    fn connections(&self, instances: &[Instance]) -> Result<Vec<Connection>, Error> {
        let err = self.located;
        let mut connections = Vec::new();
        for (i, c) in self.spec.connections.iter().enumerate() {
            let key = format!("connections[{i}]");
            let label = format!("{} -> {}", c.from, c.to);
            let (from, producer) = self.endpoint(instances, &c.from, true, &format!("{key}.from"))?;
            let (to, consumer) = self.endpoint(instances, &c.to, false, &format!("{key}.to"))?;
            if producer.is_none() && consumer.is_none() {
                return Err(err(&key, &c.from, format!("`{label}` connects a graph input straight to a graph output")));
            }
            match (&to, c.depth) {
                (Endpoint::Graph(_), Some(_)) => {
                    return Err(err(&format!("{key}.depth"), &c.to, format!(
                        "`{label}` goes to a graph output, which the host drains directly: remove `depth`"
                    )))
                }
                (Endpoint::Port { .. }, None) if !consumer.as_ref().is_some_and(|q| q.memory) => {
                    return Err(err(&format!("{key}.depth"), &c.to, format!("`{label}` needs a FIFO `depth` (beats, >= 1)")))
                }
                (Endpoint::Port { .. }, Some(0)) => {
                    return Err(err(&format!("{key}.depth"), &c.to, format!(
                        "`{label}`: depth 0 is a connection without buffering; a stream between kernels needs >= 1"
                    )))
                }
                _ => {}
            }
            if let Some(m) = producer.iter().chain(&consumer).find(|p| p.memory) {
                let graph_end = if m.port.direction == StreamDirection::In { &from } else { &to };
                if !matches!(graph_end, Endpoint::Graph(_)) {
                    return Err(err(&key, &c.from, format!(
                        "`{label}`: buffer `{}` is m_axi memory; it connects to a graph input or output (the host places it), not to another kernel",
                        m.port.name
                    )));
                }
                if c.depth.is_some() {
                    return Err(err(&format!("{key}.depth"), &c.to, format!("`{label}` is m_axi memory, not a FIFO: remove `depth`")));
                }
            }
            if let (Some(p), Some(q)) = (&producer, &consumer) {
                if p.port.element != q.port.element || p.port.lanes != q.port.lanes {
                    return Err(err(&key, &c.from, format!(
                        "`{label}`: {} carries {} x {} but {} takes {} x {}",
                        c.from, p.port.lanes, p.port.element.as_str(), c.to, q.port.lanes, q.port.element.as_str()
                    )));
                }
                if p.index == q.index {
                    return Err(err(&key, &c.from, format!("`{label}` is a cycle through one kernel")));
                }
            }
            connections.push(Connection { from, to, depth: c.depth, label });
        }
        Ok(connections)
    }

    /// Every kernel input fed exactly once, every kernel output and graph input used, every
    /// graph output fed exactly once, fan-outs of one type.
    fn check_coverage(&self, instances: &[Instance], connections: &[Connection]) -> Result<(), Error> {
        let err = self.located;
        let graph_ports = self.spec.outputs.iter().map(|o| Endpoint::Graph(o.clone()));
        let kernel_inputs = instances.iter().enumerate().flat_map(|(i, inst)| {
            ports_of(&inst.kernel, StreamDirection::In).into_iter().map(move |s| Endpoint::Port { instance: i, stream: s.name })
        });
        for to in kernel_inputs.chain(graph_ports) {
            let feeding: Vec<&Connection> = connections.iter().filter(|c| c.to == to).collect();
            let name = describe(instances, &to);
            match feeding.len() {
                0 => return Err(err("connections", &needle(instances, &to), format!("`{name}` is left unconnected: nothing feeds it"))),
                1 => {}
                _ => {
                    let labels: Vec<_> = feeding.iter().map(|c| c.label.as_str()).collect();
                    return Err(err("connections", &name, format!("`{name}` is fed twice: {}", labels.join("; "))));
                }
            }
        }
        let kernel_outputs = instances.iter().enumerate().flat_map(|(i, inst)| {
            ports_of(&inst.kernel, StreamDirection::Out).into_iter().map(move |s| Endpoint::Port { instance: i, stream: s.name })
        });
        let graph_inputs = self.spec.inputs.iter().map(|i| Endpoint::Graph(i.clone()));
        for from in kernel_outputs.chain(graph_inputs) {
            let out: Vec<&Connection> = connections.iter().filter(|c| c.from == from).collect();
            let name = describe(instances, &from);
            if out.is_empty() {
                return Err(err("connections", &needle(instances, &from), format!("`{name}` is left unconnected: it feeds nothing")));
            }
            let to_host = out.iter().filter(|c| matches!(c.to, Endpoint::Graph(_))).count();
            if to_host > 0 && out.len() > 1 {
                return Err(err("connections", &name, format!(
                    "`{name}` feeds a graph output and other streams; a graph output takes a stream of its own"
                )));
            }
            if let Endpoint::Graph(_) = from {
                let types: BTreeSet<(&str, u32)> = out
                    .iter()
                    .filter_map(|c| port_of(instances, &c.to))
                    .map(|p| (p.element.as_str(), p.lanes))
                    .collect();
                if types.len() > 1 {
                    return Err(err("connections", &name, format!("graph input `{name}` feeds streams of different element types or lanes")));
                }
            }
        }
        Ok(())
    }

    /// Producers before consumers; a cycle is an error naming it.
    fn topological_order(&self, instances: &[Instance], connections: &[Connection]) -> Result<Vec<usize>, Error> {
        let mut edges: BTreeSet<(usize, usize)> = BTreeSet::new();
        for c in connections {
            if let (Endpoint::Port { instance: a, .. }, Endpoint::Port { instance: b, .. }) = (&c.from, &c.to) {
                edges.insert((*a, *b));
            }
        }
        let mut indegree = vec![0usize; instances.len()];
        for &(_, b) in &edges {
            indegree[b] += 1;
        }
        let mut ready: Vec<usize> = (0..instances.len()).filter(|&i| indegree[i] == 0).rev().collect();
        let mut order = Vec::new();
        while let Some(i) = ready.pop() {
            order.push(i);
            for &(_, b) in edges.iter().filter(|(a, _)| *a == i) {
                indegree[b] -= 1;
                if indegree[b] == 0 {
                    ready.push(b);
                }
            }
        }
        if order.len() < instances.len() {
            let on_cycle: Vec<&str> =
                (0..instances.len()).filter(|&i| indegree[i] > 0).map(|i| instances[i].name.as_str()).collect();
            return Err((self.located)("connections", on_cycle.first().copied().unwrap_or(""), format!(
                "the kernels {} form a cycle; feedback between kernels is not supported (graphs are feed-forward)",
                on_cycle.join(", ")
            )));
        }
        Ok(order)
    }

    /// The graph's own manifest: its ports, arguments, workloads and interface bound.
    fn manifest(&self, graph: &Graph) -> Result<Manifest, Error> {
        let spec = self.spec;
        let mut streams = Vec::new();
        for (name, input) in graph.inputs.iter().map(|n| (n, true)).chain(graph.outputs.iter().map(|n| (n, false))) {
            let end = Endpoint::Graph(name.clone());
            let port = if input {
                graph.fed_by(&end).find_map(|c| port_of(&graph.instances, &c.to))
            } else {
                graph.feeding(&end).and_then(|c| port_of(&graph.instances, &c.from))
            };
            let Some(port) = port else { continue };
            streams.push(StreamPort {
                name: name.clone(),
                rtl: name.clone(),
                direction: if input { StreamDirection::In } else { StreamDirection::Out },
                element: port.element,
                lanes: port.lanes,
                same_length_as: None,
                protocol: Default::default(),
                keep: Default::default(),
                end: None,
            });
        }
        let args = spec
            .args
            .iter()
            .map(|a| {
                let width = graph
                    .instances
                    .iter()
                    .flat_map(|i| i.args.iter().filter(|(_, v)| **v == ArgValue::Graph(a.name.clone())).map(|(n, _)| (&i.kernel, n)))
                    .filter_map(|(k, n)| k.manifest.arg(n).map(|d| d.width))
                    .min()
                    .unwrap_or(32);
                ScalarArg {
                    name: a.name.clone(),
                    offset: Some(0),
                    protocol: None,
                    rtl: None,
                    bundle: None,
                    element: None,
                    width,
                    direction: ArgDirection::In,
                    description: a.description.clone(),
                }
            })
            .collect();
        for w in &spec.workloads {
            if let Some(unknown) = w.args.keys().find(|k| !spec.args.iter().any(|a| &&a.name == k)) {
                return Err((self.located)(&format!("workloads.{}", w.name), unknown, format!("unknown graph argument `{unknown}`")));
            }
        }
        let first = &graph.instances[0].kernel.manifest;
        Ok(Manifest {
            name: spec.name.clone(),
            description: spec.description.clone(),
            seed: spec.seed.clone(),
            top: String::new(),
            golden_model: None,
            rtl: Vec::new(),
            include_dirs: Vec::new(),
            verilator_args: Vec::new(),
            hls: Vec::new(),
            csim: None,
            clock: first.clock.clone(),
            reset: first.reset.clone(),
            control: Control { protocol: BlockProtocol::ApCtrlHs, bundle: Some(String::new()) },
            streams,
            args,
            parameters: Default::default(),
            memory: Vec::new(),
            buffers: Vec::new(),
            arrays: Vec::new(),
            perf: bound(graph),
            workloads: spec.workloads.clone(),
            bench: None,
            parameter_set: None,
        })
    }
}

/// Cycles of a kernel's `perf.latency` spent starting it (the AP_CTRL write over AXI-Lite and
/// `ap_start` reaching the core; 4 in every kernel of the library, measured). A kernel fed by
/// other kernels was started before its data arrived, so that part overlaps its producers'.
const START_CYCLES: u64 = 4;

/// What the interfaces allow a graph: the slowest stage's initiation interval over the
/// stream, plus the pipeline fill along the longest path (one cycle per FIFO, the first
/// kernel's latency, then each next kernel's latency less its start) — not the sum of the stages'
/// cycles, because the stages overlap.
fn bound(graph: &Graph) -> Perf {
    let ii = graph.instances.iter().map(|i| i.kernel.manifest.perf.ii).max().unwrap_or(1);
    let mut fill = vec![0u64; graph.instances.len()];
    for (index, instance) in graph.instances.iter().enumerate() {
        let upstream = graph
            .connections
            .iter()
            .filter_map(|c| match (&c.from, &c.to) {
                (Endpoint::Port { instance: a, .. }, Endpoint::Port { instance: b, .. }) if *b == index => Some(fill[*a] + 1),
                _ => None,
            })
            .max();
        let latency = instance.kernel.manifest.perf.latency;
        // A free-running (ap_ctrl_none) kernel is never started: none of its latency is a start.
        let start = if instance.kernel.manifest.control.protocol == BlockProtocol::ApCtrlNone { 0 } else { START_CYCLES };
        fill[index] = match upstream {
            Some(upstream) => upstream + latency.saturating_sub(start),
            // Fed by the host through one FIFO.
            None => 1 + latency,
        };
    }
    let clock_mhz = graph.instances.iter().map(|i| i.kernel.manifest.perf.clock_mhz).fold(f64::INFINITY, f64::min);
    Perf { ii, latency: fill.into_iter().max().unwrap_or(0), clock_mhz }
}

fn in_args(manifest: &Manifest) -> impl Iterator<Item = &ScalarArg> {
    manifest.args.iter().filter(|a| a.direction == ArgDirection::In)
}

fn port_of(instances: &[Instance], end: &Endpoint) -> Option<StreamPort> {
    match end {
        Endpoint::Port { instance, stream } => port_named(&instances[*instance].kernel, stream).map(|(p, _)| p),
        Endpoint::Graph(_) => None,
    }
}

/// The stream `name` of `kernel`, or its m_axi buffer `name` seen as a stream of its elements
/// (`true`). `inout` buffers are not graph ports.
fn port_named(kernel: &Kernel, name: &str) -> Option<(StreamPort, bool)> {
    if let Some(s) = kernel.manifest.streams.iter().find(|s| s.name == name) {
        return Some((s.clone(), false));
    }
    let buffer = kernel.manifest.buffers.iter().find(|b| b.name == name)?;
    let direction = match buffer.direction {
        BufferDirection::In => StreamDirection::In,
        BufferDirection::Out => StreamDirection::Out,
        BufferDirection::Inout => return None,
    };
    let port = StreamPort { name: name.to_owned(), rtl: String::new(), direction, element: buffer.element, lanes: 1, same_length_as: None , protocol: Default::default(), keep: Default::default(), end: None };
    Some((port, true))
}

/// Every stream and (non-inout) buffer of `kernel` in `direction`.
fn ports_of(kernel: &Kernel, direction: StreamDirection) -> Vec<StreamPort> {
    let names = kernel.manifest.streams.iter().map(|s| s.name.as_str()).chain(kernel.manifest.buffers.iter().map(|b| b.name.as_str()));
    names.filter_map(|n| port_named(kernel, n)).filter(|(p, _)| p.direction == direction).map(|(p, _)| p).collect()
}

fn describe(instances: &[Instance], end: &Endpoint) -> String {
    match end {
        Endpoint::Graph(name) => name.clone(),
        Endpoint::Port { instance, stream } => format!("{}.{stream}", instances[*instance].name),
    }
}

/// What to look for in the file to point at `end` when no connection mentions it: the
/// instance's name (under `kernels:`) or the graph port's.
fn needle(instances: &[Instance], end: &Endpoint) -> String {
    match end {
        Endpoint::Graph(name) => name.clone(),
        Endpoint::Port { instance, .. } => instances[*instance].name.clone(),
    }
}
