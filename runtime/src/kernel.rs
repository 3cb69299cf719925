//! Kernels as the runtime sees them: a manifest, the verilated model and the golden model —
//! or a graph of kernels, which passes for one.

use std::sync::Arc;

use codesign_hw::{KernelSource, Manifest};
use codesign_models::Values;
use codesign_sim::verilated::VerilatedKernel;
use codesign_verilate::Variant;

use crate::graph::Graph;
use crate::Error;

/// One kernel of the library, or a graph of them.
#[derive(Debug, Clone)]
pub struct Kernel {
    /// Its manifest (for a graph: the graph's ports, arguments and interface bound).
    pub manifest: Manifest,
    /// What implements it.
    pub body: Body,
}

/// What implements a kernel.
#[derive(Debug, Clone)]
pub enum Body {
    /// RTL with a verilated model (and HLS C++ for csim).
    Rtl(&'static KernelSource),
    /// Kernels connected by streams (`crate::graph`).
    Graph(Arc<Graph>),
    /// A kernel folder loaded for C simulation only: its HLS C++, compiled at run time; its
    /// RTL is not read.
    Cxx(std::path::PathBuf),
}

impl Kernel {
    /// Every kernel in name order, then every shipped graph (configs/graphs/) in name order.
    pub fn all() -> Result<Vec<Kernel>, Error> {
        let mut kernels: Vec<Kernel> = codesign_hw::KERNELS.iter().map(Kernel::from_source).collect::<Result<_, _>>()?;
        kernels.extend(Graph::all_shipped()?);
        Ok(kernels)
    }

    /// The kernel or shipped graph called `name`; the error lists the known ones.
    pub fn named(name: &str) -> Result<Kernel, Error> {
        if let Some(source) = codesign_hw::kernel(name) {
            return Kernel::from_source(source);
        }
        if let Some(graph) = Graph::shipped(name) {
            return graph;
        }
        let mut known: Vec<String> = codesign_hw::KERNELS.iter().map(|k| k.name.to_owned()).collect();
        known.extend(Graph::all_shipped().unwrap_or_default().iter().map(|g| g.name().to_owned()));
        Err(Error::UnknownKernel { name: name.to_owned(), known: known.join(", ") })
    }

    /// A graph of kernels with its synthesized manifest (see `crate::graph`).
    pub fn from_graph(manifest: Manifest, graph: Arc<Graph>) -> Kernel {
        Kernel { manifest, body: Body::Graph(graph) }
    }

    /// The verilated model and folder; an error for a graph (which has one per instance).
    pub fn source(&self) -> Result<&'static KernelSource, Error> {
        match &self.body {
            Body::Rtl(source) => Ok(source),
            Body::Graph(_) => Err(Error::Unsupported {
                backend: "this command".to_owned(),
                ability: format!("graph `{}` as a single RTL model (it has one per kernel instance)", self.name()),
            }),
            Body::Cxx(_) => Err(Error::Unsupported {
                backend: "this command".to_owned(),
                ability: format!("kernel `{}` loaded for C simulation only (its RTL was not verilated)", self.name()),
            }),
        }
    }

    /// The verilated model with at least the features of `need`: the one built in (the fast
    /// variant of a library kernel) when it has them, else that variant verilated from the
    /// kernel's folder on first use (see `crate::dropin::variant`).
    pub fn model(&self, need: Variant) -> Result<&'static VerilatedKernel, Error> {
        let source = self.source()?;
        let built_in = source.model;
        if (built_in.traced || !need.traced) && (built_in.x_random || !need.x_random) {
            return Ok(built_in);
        }
        crate::dropin::variant(std::path::Path::new(source.dir), source.name, need).map_err(|e| match e {
            Error::KernelDir { dir, message } => Error::KernelDir {
                dir,
                message: format!("building its {} variant: {message}", need.label()),
            },
            other => other,
        })
    }

    /// The graph, when this kernel is one.
    pub fn graph(&self) -> Option<&Graph> {
        match &self.body {
            Body::Graph(graph) => Some(graph),
            Body::Rtl(_) | Body::Cxx(_) => None,
        }
    }

    /// A test-only fixture kernel from `hw/fixtures/` (never listed by [`Kernel::all`]).
    pub fn fixture(name: &str) -> Result<Kernel, Error> {
        let source = codesign_hw::fixture_kernel(name).ok_or_else(|| Error::UnknownKernel {
            name: name.to_owned(),
            known: codesign_hw::FIXTURE_KERNELS.iter().map(|k| k.name).collect::<Vec<_>>().join(", "),
        })?;
        Ok(Kernel { manifest: source.manifest()?, body: Body::Rtl(source) })
    }

    /// A kernel from a source the caller built (e.g. in its own build.rs with
    /// `codesign-verilate`).
    pub fn from_source(source: &'static KernelSource) -> Result<Kernel, Error> {
        Ok(Kernel { manifest: source.manifest()?, body: Body::Rtl(source) })
    }

    /// An out-of-tree kernel folder (kernel.yaml + RTL), verilated at run time into a cache
    /// (see `crate::dropin`).
    pub fn from_dir(dir: &std::path::Path) -> Result<Kernel, Error> {
        crate::dropin::load(dir)
    }

    /// Kernel `name` of an out-of-tree folder with parameter sets (`gemm_pe8_w8` of a `gemm`
    /// folder), as [`Kernel::from_dir`] loads a folder of one kernel.
    pub fn from_dir_named(dir: &std::path::Path, name: &str) -> Result<Kernel, Error> {
        crate::dropin::load_named(dir, name)
    }

    /// Every kernel of an out-of-tree folder (one, or one per parameter set), as
    /// [`Kernel::from_dir`] loads one.
    pub fn all_from_dir(dir: &std::path::Path) -> Result<Vec<Kernel>, Error> {
        crate::dropin::load_all_as(dir, Variant::FAST)
    }

    /// Every kernel of an out-of-tree folder (one, or one per parameter set), verilated as
    /// the variant `config` runs it with (traced when cosim records waveforms, X-randomised
    /// when its x-init asks), so a run builds one library per kernel.
    pub fn all_from_dir_for(dir: &std::path::Path, config: &crate::config::Config) -> Result<Vec<Kernel>, Error> {
        let variant = match config.backend.as_str() {
            "cosim" => config.cosim.variant(crate::backends::cosim::trace_format(&config.cosim)?),
            _ => Variant::FAST,
        };
        crate::dropin::load_all_as(dir, variant)
    }

    /// A kernel folder for C simulation only: its manifest and HLS C++, without verilating the
    /// RTL (the csim backend compiles the C++ at its first call).
    pub fn from_cxx_dir(dir: &std::path::Path) -> Result<Kernel, Error> {
        let dir = dir.canonicalize().map_err(|e| Error::KernelDir { dir: dir.to_owned(), message: e.to_string() })?;
        let manifest = Manifest::load(&dir.join("kernel.yaml"))?;
        Ok(Kernel { manifest, body: Body::Cxx(dir) })
    }

    /// [`Kernel::from_cxx_dir`] for every kernel of the folder (one per parameter set).
    pub fn all_from_cxx_dir(dir: &std::path::Path) -> Result<Vec<Kernel>, Error> {
        let dir = dir.canonicalize().map_err(|e| Error::KernelDir { dir: dir.to_owned(), message: e.to_string() })?;
        let manifests = Manifest::load_all(&dir.join("kernel.yaml"))?;
        Ok(manifests.into_iter().map(|manifest| Kernel { manifest, body: Body::Cxx(dir.clone()) }).collect())
    }

    /// Whether this is a library kernel or fixture built into this binary (not a folder
    /// loaded at run time).
    fn in_library(&self) -> bool {
        match &self.body {
            Body::Rtl(source) => {
                codesign_hw::KERNELS.iter().chain(codesign_hw::FIXTURE_KERNELS).any(|k| std::ptr::eq(k, *source))
            }
            Body::Graph(_) => true,
            Body::Cxx(_) => false,
        }
    }

    /// Kernel name.
    pub fn name(&self) -> &str {
        &self.manifest.name
    }

    /// Checks that `inputs` has exactly the manifest's input streams and input buffers
    /// (`in`/`inout`; each non-empty, each element within the element width) and scalar
    /// arguments, and that every `out` buffer's length can be resolved.
    pub fn check_inputs(&self, inputs: &Values) -> Result<(), Error> {
        let fail = |message: String| Error::Input { kernel: self.name().to_owned(), message };
        let streams = self.manifest.inputs().map(|s| ("stream", &s.name, s.element));
        let buffers = self.manifest.buffers.iter().filter(|b| b.direction.is_input()).map(|b| ("buffer", &b.name, b.element));
        let arrays = self.manifest.arrays.iter().filter(|a| a.direction.is_input()).map(|a| ("array", &a.name, a.element));
        for (kind, name, element) in streams.chain(buffers).chain(arrays) {
            let elements =
                inputs.streams.get(name).ok_or_else(|| fail(format!("missing input {kind} `{name}`")))?;
            if elements.is_empty() {
                let why = if kind == "stream" { ": an AXI4-Stream packet carries at least one element" } else { "" };
                return Err(fail(format!("input {kind} `{name}` is empty{why}")));
            }
            let bits = element.bits();
            // OR-fold first (vectorises); find the offender only when there is one.
            if bits < 64 && elements.iter().fold(0, |acc, &e| acc | e) >> bits != 0 {
                if let Some(i) = elements.iter().position(|&e| e >> bits != 0) {
                    return Err(fail(format!(
                        "input {kind} `{name}` element {i} = {:#x} does not fit {} ({bits} bits)",
                        elements[i],
                        element.as_str()
                    )));
                }
            }
        }
        for stream in self.manifest.inputs() {
            if let Some(other) = &stream.same_length_as {
                let (n, m) = (inputs.streams[&stream.name].len(), inputs.streams.get(other).map_or(0, Vec::len));
                if n != m {
                    return Err(fail(format!(
                        "input stream `{}` has {n} elements but must have as many as `{other}` ({m})",
                        stream.name
                    )));
                }
            }
        }
        let is_input = |name: &String| {
            self.manifest.inputs().any(|s| &s.name == name)
                || self.manifest.buffer(name).is_some_and(|b| b.direction.is_input())
                || self.bare_inputs().any(|a| &a.name == name)
                || self.manifest.array(name).is_some_and(|a| a.direction.is_input())
        };
        for name in inputs.streams.keys() {
            if !is_input(name) {
                let streams = self.manifest.inputs().map(|s| s.name.as_str());
                let buffers = self.manifest.buffers.iter().filter(|b| b.direction.is_input()).map(|b| b.name.as_str());
                let arrays = self.manifest.arrays.iter().filter(|a| a.direction.is_input()).map(|a| a.name.as_str());
                let known: Vec<_> = streams.chain(buffers).chain(arrays).chain(self.bare_inputs().map(|a| a.name.as_str())).collect();
                let kind = if self.manifest.buffers.is_empty() { "input stream" } else { "input stream or buffer" };
                let kind = if self.bare_inputs().next().is_some() { "input stream or bare scalar" } else { kind };
                return Err(fail(format!("no {kind} `{name}` (inputs: {})", known.join(", "))));
            }
        }
        self.check_bare_scalars(inputs)?;
        // Register (s_axilite) arguments: one value per call in `Values.scalars`.
        let input_args = self.manifest.args.iter().filter(|a| a.direction.is_input() && a.register().is_some());
        for arg in input_args.clone() {
            let value = *inputs.scalars.get(&arg.name).ok_or_else(|| fail(format!("missing argument `{}`", arg.name)))?;
            if arg.width < 64 && value >> arg.width != 0 {
                return Err(fail(format!("argument `{}` = {value:#x} does not fit {} bits", arg.name, arg.width)));
            }
        }
        for name in inputs.scalars.keys() {
            if !input_args.clone().any(|a| &a.name == name) {
                let known: Vec<_> = input_args.clone().map(|a| a.name.as_str()).collect();
                if self.bare_inputs().any(|a| &a.name == name) {
                    return Err(fail(format!(
                        "argument `{name}` is on its own ports ({}): give it as a sequence, one value per \
                         transaction (Values.streams, `--input {name}=FILE`), not as a register value",
                        self.manifest.arg(name).map_or("", |a| a.protocol().as_str())
                    )));
                }
                return Err(fail(format!("no argument `{name}` (args: {})", known.join(", "))));
            }
        }
        for buffer in &self.manifest.buffers {
            self.buffer_len(&buffer.name, inputs)?;
        }
        Ok(())
    }

    /// For backends that drive only AXI4-Stream and m_axi ports (board-sim and the devices'
    /// DMA engines): an ap_fifo stream or an ap_memory array is refused
    /// here rather than left unserved.
    pub fn require_axis_ports(&self, backend: &str) -> Result<(), Error> {
        use codesign_hw::manifest::StreamProtocol;
        let fifo = self.manifest.streams.iter().find(|s| s.protocol == StreamProtocol::ApFifo).map(|s| format!("ap_fifo stream `{}`", s.name));
        match fifo {
            None => self.refuse_arrays(backend, "cosim serves it"),
            Some(port) => Err(self.unsupported_port(backend, &port, "cosim serves it")),
        }
    }

    /// For backends that serve streams of either protocol but no ap_memory array (graphs of
    /// kernels in cosim: an array is a kernel's own memory, not a connection); `served`
    /// says where such a kernel runs instead.
    pub fn refuse_arrays(&self, backend: &str, served: &str) -> Result<(), Error> {
        match self.manifest.arrays.first() {
            None => Ok(()),
            Some(array) => Err(self.unsupported_port(backend, &format!("ap_memory array `{}`", array.name), served)),
        }
    }

    fn unsupported_port(&self, backend: &str, port: &str, served: &str) -> Error {
        Error::Unsupported { backend: backend.to_owned(), ability: format!("{port} of kernel `{}` ({served})", self.name()) }
    }

    /// Bare (non-s_axilite) input arguments: one value per transaction in `Values.streams`.
    pub fn bare_inputs(&self) -> impl Iterator<Item = &codesign_hw::manifest::ScalarArg> {
        self.manifest.args.iter().filter(|a| a.direction.is_input() && a.register().is_none())
    }

    /// Bare (non-s_axilite) output arguments: one value per transaction in `Values.streams`.
    pub fn bare_outputs(&self) -> impl Iterator<Item = &codesign_hw::manifest::ScalarArg> {
        self.manifest.args.iter().filter(|a| a.direction.is_output() && a.register().is_none())
    }

    /// Transactions in a call with `inputs`: the common length of the bare scalar inputs'
    /// sequences, else the input arrays' length / depth, else 1.
    pub fn transactions(&self, inputs: &Values) -> Result<usize, Error> {
        let fail = |message: String| Error::Input { kernel: self.name().to_owned(), message };
        let mut found: Option<(usize, String)> = None;
        let scalars = self.bare_inputs().map(|a| (a.name.as_str(), 1usize, "values"));
        let arrays =
            self.manifest.arrays.iter().filter(|a| a.direction.is_input()).map(|a| (a.name.as_str(), a.depth, "elements"));
        for (name, per_transaction, unit) in scalars.chain(arrays) {
            let Some(values) = inputs.streams.get(name) else { continue };
            if values.len() % per_transaction != 0 {
                return Err(fail(format!(
                    "array `{name}` has {} elements, not a multiple of its depth {per_transaction}",
                    values.len()
                )));
            }
            let n = values.len() / per_transaction;
            match &found {
                Some((m, other)) if *m != n => {
                    return Err(fail(format!(
                        "`{name}` gives {n} transactions ({} {unit}) but `{other}` gives {m}: every bare scalar \
                         input and input array must describe the same number of transactions",
                        values.len()
                    )));
                }
                Some(_) => {}
                None => found = Some((n, name.to_owned())),
            }
        }
        Ok(found.map_or(1, |(n, _)| n))
    }

    /// Every bare scalar input given, a sequence of at least one value that fits its width.
    fn check_bare_scalars(&self, inputs: &Values) -> Result<(), Error> {
        let fail = |message: String| Error::Input { kernel: self.name().to_owned(), message };
        for arg in self.bare_inputs() {
            let name = &arg.name;
            let values = inputs.streams.get(name).ok_or_else(|| {
                fail(format!(
                    "missing argument `{name}` ({} port): one value per transaction (`--input {name}=FILE`)",
                    arg.protocol().as_str()
                ))
            })?;
            if values.is_empty() {
                return Err(fail(format!("argument `{name}` has no value: a call is at least one transaction")));
            }
            if arg.width < 64 {
                if let Some(i) = values.iter().position(|&v| v >> arg.width != 0) {
                    return Err(fail(format!(
                        "argument `{name}` value {i} (transaction {i}) = {:#x} does not fit {} bits",
                        values[i], arg.width
                    )));
                }
            }
        }
        let n = self.transactions(inputs)?;
        if n > 1 && self.manifest.control.protocol == codesign_hw::manifest::BlockProtocol::ApCtrlNone {
            return Err(fail(format!(
                "{n} transactions for an ap_ctrl_none kernel: its ap_none scalars hold one value for the whole call"
            )));
        }
        Ok(())
    }

    /// Element count of buffer `name` for this call: the data given for an input buffer, or
    /// what the manifest's `length` says (an argument's value, another input's length, a
    /// fixed count). An input buffer whose data disagrees with its `length`, or a buffer of
    /// 0 elements, is an input error.
    pub fn buffer_len(&self, name: &str, inputs: &Values) -> Result<usize, Error> {
        use codesign_hw::manifest::BufferLength;
        let fail = |message: String| Error::Input { kernel: self.name().to_owned(), message };
        let buffer = self.manifest.buffer(name).ok_or_else(|| fail(format!("no buffer `{name}`")))?;
        let declared = match &buffer.length {
            Some(BufferLength::Arg(arg)) => {
                let value = *inputs
                    .scalars
                    .get(arg)
                    .ok_or_else(|| fail(format!("buffer `{name}`: missing argument `{arg}` (its length)")))?;
                Some(usize::try_from(value).map_err(|_| fail(format!("buffer `{name}`: length {value} is too large")))?)
            }
            Some(BufferLength::SameAs(other)) => Some(inputs.streams.get(other).map_or(0, Vec::len)),
            Some(BufferLength::Elements(n)) => Some(*n),
            None => None,
        };
        let given = inputs.streams.get(name).filter(|_| buffer.direction.is_input()).map(Vec::len);
        let n = match (given, declared) {
            (Some(given), Some(declared)) if given != declared => {
                let rule = match &buffer.length {
                    Some(BufferLength::Arg(arg)) => format!("argument `{arg}`"),
                    Some(BufferLength::SameAs(other)) => format!("`{other}`"),
                    _ => "its manifest length".to_owned(),
                };
                return Err(fail(format!("input buffer `{name}` has {given} elements but {rule} says {declared}")));
            }
            (Some(n), _) | (None, Some(n)) => n,
            (None, None) => 0,
        };
        if n == 0 {
            return Err(fail(format!("buffer `{name}` would have 0 elements")));
        }
        Ok(n)
    }

    /// `inputs` with the manifest's compile-time parameters added as scalars (what golden
    /// models read them as).
    pub fn with_parameters(&self, inputs: &Values) -> Values {
        let mut merged = inputs.clone();
        for (name, value) in &self.manifest.parameters {
            merged.scalars.insert(name.clone(), *value as u64);
        }
        merged
    }

    /// The golden model's outputs for `inputs`.
    pub fn golden(&self, inputs: &Values) -> Result<Values, Error> {
        if let Some(graph) = self.graph() {
            self.check_inputs(inputs)?;
            return crate::graph::compose::compose(graph, inputs, |kernel, values| {
                Ok(crate::Outcome { outputs: kernel.golden(values)?, report: crate::Report::default() })
            })
            .map(|(outputs, _)| outputs);
        }
        // A kernel folder (`--kernel-dir`) names its golden model or has none: a user's export
        // called `crop` is not our crop. Library kernels and fixtures go by their name.
        let name = match (&self.manifest.golden_model, self.in_library()) {
            (Some(named), _) => named.as_str(),
            (None, true) => self.name(),
            (None, false) => {
                return Err(Error::Unsupported {
                    backend: "golden".to_owned(),
                    ability: format!("kernel folder `{}` (it names no `golden-model:`)", self.name()),
                })
            }
        };
        let model = codesign_models::golden_model(name).ok_or_else(|| Error::Unsupported {
            backend: "golden".to_owned(),
            ability: format!("kernel `{}` (no golden model `{name}` in codesign-models)", self.name()),
        })?;
        let result = if self.manifest.parameters.is_empty() { model(inputs) } else { model(&self.with_parameters(inputs)) };
        result.map_err(|e| Error::Input { kernel: self.name().to_owned(), message: e.to_string() })
    }
}
