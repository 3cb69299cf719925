//! A graph run call by call: each kernel in dependency order, its inputs taken from the graph
//! inputs or from what its producers returned. This is the graph's meaning (the golden model
//! of a graph is the composition of its kernels' golden models), and how backends without a
//! shared time base (golden, csim, boards driven from the host) run a graph.

use std::collections::BTreeMap;
use std::time::Instant;

use codesign_models::Values;

use super::{in_instance, Endpoint, Graph};
use crate::{Backend, Error, Kernel, Outcome, Report};

/// Runs every instance through `call` in dependency order; returns the graph outputs and each
/// instance's report (instance name, report).
pub fn compose(
    graph: &Graph,
    inputs: &Values,
    mut call: impl FnMut(&Kernel, &Values) -> Result<Outcome, Error>,
) -> Result<(Values, Vec<(String, Report)>), Error> {
    // Every stream a kernel produced, by (instance, stream); a fan-out reads it more than once.
    let mut produced: BTreeMap<(usize, String), Vec<u64>> = BTreeMap::new();
    let stream_of = |produced: &BTreeMap<(usize, String), Vec<u64>>, from: &Endpoint| match from {
        Endpoint::Graph(name) => inputs.streams.get(name).cloned().unwrap_or_default(),
        Endpoint::Port { instance, stream } => produced.get(&(*instance, stream.clone())).cloned().unwrap_or_default(),
    };
    let mut reports = Vec::new();
    for (index, instance) in graph.instances.iter().enumerate() {
        let mut values = Values::new();
        values.scalars = graph.instance_args(index, &inputs.scalars);
        // Every input stream and input buffer of the instance is fed by exactly one connection.
        for connection in &graph.connections {
            if let Endpoint::Port { instance, stream } = &connection.to {
                if *instance == index {
                    values.streams.insert(stream.clone(), stream_of(&produced, &connection.from));
                }
            }
        }
        let outcome = call(&instance.kernel, &values).map_err(|e| in_instance(&graph.name, instance, e))?;
        for (stream, elements) in outcome.outputs.streams {
            produced.insert((index, stream), elements);
        }
        reports.push((instance.name.clone(), outcome.report));
    }
    let mut outputs = Values::new();
    for name in &graph.outputs {
        if let Some(connection) = graph.feeding(&Endpoint::Graph(name.clone())) {
            outputs.streams.insert(name.clone(), stream_of(&produced, &connection.from));
        }
    }
    Ok((outputs, reports))
}

/// A graph call on `backend` composed call by call: the summed wall time, no cycles (the
/// kernels do not overlap), and every instance's port statistics prefixed with its name.
pub fn call_composed(backend: &mut dyn Backend, graph: &Graph, inputs: &Values) -> Result<Outcome, Error> {
    let start = Instant::now();
    let (outputs, reports) = compose(graph, inputs, |kernel, values| backend.call(kernel, values))?;
    let mut report = Report { wall: start.elapsed(), ..Report::default() };
    for (instance, r) in reports {
        report.ports.extend(r.ports.into_iter().map(|mut p| {
            p.name = format!("{instance}.{}", p.name);
            p
        }));
    }
    Ok(Outcome { outputs, report })
}
