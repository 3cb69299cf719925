//! Kernel graphs: kernels composed stream to stream, with a FIFO on every connection, run as
//! one kernel. A graph file (configs/graphs/*.yaml) names kernel instances, their arguments,
//! the connections with their depths, and the graph's inputs and outputs; [`Graph::load`]
//! validates it into a [`Kernel`] whose manifest lists the graph's ports, so every backend,
//! the shared suite and `codesign run` treat it like any other kernel.
//!
//! - golden, csim and the boards compose the kernels call by call ([`compose`]);
//! - cosim clocks every kernel's verilated model in one time base with cycle-accurate FIFOs
//!   between them ([`system`]).

pub mod compose;
mod spec;
pub mod system;
mod validate;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub use spec::GraphSpec;

use crate::{Error, Kernel};

/// Where the shipped graphs' files are in the checkout (the binary embeds them: [`SHIPPED`]).
pub fn graphs_dir() -> PathBuf {
    crate::workspace_root().join("configs").join("graphs")
}

/// The shipped graphs, embedded at build time like the built-in configs, so an installed
/// binary has them wherever it runs: (name, file text), in name order.
const SHIPPED: &[(&str, &str)] = &[
    ("jacobi", include_str!("../../../configs/graphs/jacobi.yaml")),
    ("jacobi_l2", include_str!("../../../configs/graphs/jacobi_l2.yaml")),
];

/// A validated graph.
#[derive(Debug, Clone)]
pub struct Graph {
    /// Graph name.
    pub name: String,
    /// The file it came from.
    pub path: PathBuf,
    /// Kernel instances in dependency order (producers before consumers).
    pub instances: Vec<Instance>,
    /// Connections in file order.
    pub connections: Vec<Connection>,
    /// Graph input stream names, in file order.
    pub inputs: Vec<String>,
    /// Graph output stream names, in file order.
    pub outputs: Vec<String>,
}

/// One kernel instance.
#[derive(Debug, Clone)]
pub struct Instance {
    /// Instance name (unique in the graph).
    pub name: String,
    /// The kernel it instantiates.
    pub kernel: Kernel,
    /// Every input argument of the kernel.
    pub args: BTreeMap<String, ArgValue>,
}

/// A kernel argument's value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ArgValue {
    /// A constant.
    Fixed(u64),
    /// The graph argument of this name.
    Graph(String),
}

/// One end of a connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Endpoint {
    /// A graph input (as `from`) or output (as `to`).
    Graph(String),
    /// A stream of an instance (index into [`Graph::instances`]).
    Port {
        /// Instance index.
        instance: usize,
        /// Stream name (the manifest's).
        stream: String,
    },
}

/// One stream connection.
#[derive(Debug, Clone)]
pub struct Connection {
    /// Producer side.
    pub from: Endpoint,
    /// Consumer side.
    pub to: Endpoint,
    /// FIFO depth in beats; `None` for a connection to a graph output.
    pub depth: Option<usize>,
    /// `from -> to` as written, for messages and reports.
    pub label: String,
}

impl Graph {
    /// Reads and validates a graph file into a kernel.
    pub fn load(path: &Path) -> Result<Kernel, Error> {
        Self::load_with(path, &[])
    }

    /// As [`Graph::load`], with `kernels` instantiable by name besides the library's (and
    /// before them): kernels that are not in the library, such as a kernel folder
    /// ([`Kernel::from_dir`]) or a test fixture ([`Kernel::fixture`]).
    pub fn load_with(path: &Path, kernels: &[Kernel]) -> Result<Kernel, Error> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::Graph {
            path: path.to_owned(),
            message: format!("cannot read: {e}"),
        })?;
        validate::parse(path, &text, kernels)
    }

    /// The shipped graph called `name` (`configs/graphs/<name>.yaml`), if there is one.
    pub fn shipped(name: &str) -> Option<Result<Kernel, Error>> {
        SHIPPED.iter().find(|(n, _)| *n == name).map(|(n, text)| Self::parse_shipped(n, text))
    }

    /// Every shipped graph, in name order.
    pub fn all_shipped() -> Result<Vec<Kernel>, Error> {
        SHIPPED.iter().map(|(name, text)| Self::parse_shipped(name, text)).collect()
    }

    fn parse_shipped(name: &str, text: &str) -> Result<Kernel, Error> {
        validate::parse(Path::new(&format!("configs/graphs/{name}.yaml")), text, &[])
    }

    /// The value of each input argument of instance `index` for a call with `scalars`.
    pub fn instance_args(&self, index: usize, scalars: &BTreeMap<String, u64>) -> BTreeMap<String, u64> {
        self.instances[index]
            .args
            .iter()
            .map(|(name, value)| {
                let v = match value {
                    ArgValue::Fixed(v) => *v,
                    ArgValue::Graph(g) => scalars.get(g).copied().unwrap_or(0),
                };
                (name.clone(), v)
            })
            .collect()
    }

    /// The connection into `to`, if any.
    pub fn feeding(&self, to: &Endpoint) -> Option<&Connection> {
        self.connections.iter().find(|c| &c.to == to)
    }

    /// The connections out of `from`.
    pub fn fed_by<'a>(&'a self, from: &'a Endpoint) -> impl Iterator<Item = &'a Connection> + 'a {
        self.connections.iter().filter(move |c| &c.from == from)
    }
}

/// Rewrites an instance's error so that it names the graph and the instance.
pub fn in_instance(graph: &str, instance: &Instance, error: Error) -> Error {
    let who = format!("{graph}/{} ({})", instance.name, instance.kernel.name());
    match error {
        Error::Input { message, .. } => Error::Input { kernel: who, message },
        Error::Timeout { awaited, waited, cycle, state, .. } => Error::Timeout { kernel: who, awaited, waited, cycle, state },
        Error::Protocol { port, cycle, message, .. } => Error::Protocol { kernel: who, port, cycle, message },
        Error::Mismatch { backend, message, .. } => Error::Mismatch { kernel: who, backend, message },
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_graph_file_in_the_checkout_is_embedded_as_is() {
        let mut files: Vec<(String, String)> = std::fs::read_dir(graphs_dir())
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
            .map(|p| (p.file_stem().unwrap().to_string_lossy().into_owned(), std::fs::read_to_string(&p).unwrap()))
            .collect();
        files.sort();
        let embedded: Vec<(String, String)> = SHIPPED.iter().map(|(n, t)| ((*n).to_owned(), (*t).to_owned())).collect();
        assert_eq!(files, embedded, "add new files in configs/graphs/ to SHIPPED, in name order");
        assert_eq!(Graph::all_shipped().unwrap().len(), SHIPPED.len());
    }
}
