//! The graph file as written (YAML, kebab-case keys, unknown keys are errors). The schema is
//! documented with an example in configs/graphs/README.md.

use std::collections::BTreeMap;

use codesign_hw::manifest::Workload;
use serde::Deserialize;

/// A graph file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct GraphSpec {
    /// Graph name (unique among kernels and graphs).
    pub name: String,
    /// One paragraph: what the graph computes.
    pub description: String,
    /// Where the example comes from.
    #[serde(default)]
    pub seed: String,
    /// Scalar arguments of the whole graph, bound to kernel arguments with `$name`.
    #[serde(default)]
    pub args: Vec<GraphArgSpec>,
    /// Kernel instances by instance name.
    pub kernels: BTreeMap<String, InstanceSpec>,
    /// Graph input streams (fed by the host, e.g. a DMA engine).
    pub inputs: Vec<String>,
    /// Graph output streams (drained by the host).
    pub outputs: Vec<String>,
    /// Stream connections `from -> to`, each with its FIFO.
    pub connections: Vec<ConnectionSpec>,
    /// Standard workloads, as in a kernel manifest (`elements` = length of every graph input).
    #[serde(default)]
    pub workloads: Vec<Workload>,
}

/// A graph argument.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct GraphArgSpec {
    /// Name, used as `$name` in kernel argument bindings.
    pub name: String,
    /// What it means.
    #[serde(default)]
    pub description: String,
}

/// One kernel instance.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct InstanceSpec {
    /// A kernel of the library (`codesign kernels`).
    pub kernel: String,
    /// Every input argument of the kernel: a number, or `$name` of a graph argument.
    #[serde(default)]
    pub args: BTreeMap<String, ArgValueSpec>,
}

/// A kernel argument's value in a graph.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum ArgValueSpec {
    /// A constant.
    Fixed(u64),
    /// `$name`: the graph argument `name`.
    Graph(String),
}

/// One stream connection.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ConnectionSpec {
    /// `instance.stream` (a kernel output) or a graph input name.
    pub from: String,
    /// `instance.stream` (a kernel input) or a graph output name.
    pub to: String,
    /// FIFO depth in beats (the HLS stream depth). Needed into kernels; not allowed on a
    /// connection to a graph output, which the host drains directly.
    pub depth: Option<usize>,
}
