//! `codesign bench-sim --graph NAME`: a graph in system cosim against its kernels run one by
//! one with the single-kernel harness on the same data (the graph's own intermediate streams),
//! in one run. The reference is the rate the graph would have if its kernels' single-kernel
//! costs simply added: 1 / sum(1 / rate_i). A benchmark, not a test: it prints ratios.

use crate::backends::cosim::Cosim;
use crate::config::Backpressure;
use crate::graph::compose::compose;
use crate::workload::workload_case;
use crate::{Backend, Error, Kernel, Report};

use super::{classify, load_config, CliError};

/// Simulated cycles per wall second of one call.
fn rate(report: &Report) -> f64 {
    report.simulated_cycles.unwrap_or(0) as f64 / report.wall.as_secs_f64().max(1e-9)
}

/// Median of `values` (sorted in place); 0 when empty.
fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(0.0)
}

/// Benchmarks graph `name` on `workload` (default: its workload with the most elements),
/// `repeat` times: each time the graph call, then its kernels composed call by call.
pub(super) fn run(name: &str, workload: Option<&str>, repeat: u32) -> Result<(), CliError> {
    let kernel = Kernel::named(name).map_err(classify)?;
    let Some(graph) = kernel.graph() else {
        return Err(classify(Error::Input {
            kernel: name.to_owned(),
            message: "is a kernel, not a graph: use `bench-sim --kernel` for it".to_owned(),
        }));
    };
    let chosen = match workload {
        Some(w) => kernel.manifest.workloads.iter().find(|x| x.name == w),
        None => kernel.manifest.workloads.iter().max_by_key(|x| x.elements),
    };
    let Some(chosen) = chosen else {
        let known: Vec<&str> = kernel.manifest.workloads.iter().map(|w| w.name.as_str()).collect();
        return Err(classify(Error::Input {
            kernel: name.to_owned(),
            message: format!("no workload `{}` (known: {})", workload.unwrap_or(""), known.join(", ")),
        }));
    };
    let case = workload_case(&kernel, chosen).map_err(classify)?;
    let mut config = load_config(None)?.cosim;
    config.backpressure = Backpressure::default();
    let mut backend = Cosim::new(config);
    let runs = repeat.max(1) as usize;
    // Per run: the graph's report, each instance's report.
    let mut graph_best: Option<Report> = None;
    let mut stage_best: Vec<Option<Report>> = vec![None; graph.instances.len()];
    let (mut ratios, mut additive_rates) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        let outcome = backend.call(&kernel, &case.inputs).map_err(classify)?;
        let (composed, stages) = compose(graph, &case.inputs, |k, v| backend.call(k, v)).map_err(classify)?;
        if composed.streams != outcome.outputs.streams {
            return Err(CliError::Run(Error::Mismatch {
                kernel: name.to_owned(),
                backend: "cosim".to_owned(),
                message: "the graph's outputs differ from its kernels' composed call by call".to_owned(),
            }));
        }
        let seconds_per_cycle: f64 = stages.iter().map(|(_, r)| 1.0 / rate(r)).sum();
        let additive = 1.0 / seconds_per_cycle;
        ratios.push(rate(&outcome.report) / additive);
        additive_rates.push(additive);
        if graph_best.as_ref().is_none_or(|b| rate(&outcome.report) > rate(b)) {
            graph_best = Some(outcome.report);
        }
        for (best, (_, report)) in stage_best.iter_mut().zip(stages) {
            if best.as_ref().is_none_or(|b| rate(&report) > rate(b)) {
                *best = Some(report);
            }
        }
    }
    let Some(graph_report) = graph_best else { return Ok(()) };
    println!(
        "bench-sim graph {name}: workload {} ({} elements), {runs} interleaved runs (graph, then its kernels one by one)",
        chosen.name, chosen.elements
    );
    let line = |what: String, report: &Report| {
        println!(
            "  {what:<36} {:>9} cycles  {:>8.4} s  {:>7.2} M cycles/s",
            report.simulated_cycles.unwrap_or(0),
            report.wall.as_secs_f64(),
            rate(report) / 1e6
        );
    };
    line("graph (system cosim)".to_owned(), &graph_report);
    for (instance, best) in graph.instances.iter().zip(&stage_best) {
        if let Some(report) = best {
            line(format!("{} ({}) alone", instance.name, instance.kernel.name()), report);
        }
    }
    let best_additive = 1.0 / stage_best.iter().flatten().map(|r| 1.0 / rate(r)).sum::<f64>();
    println!("  {:<36} {:>44.2} M cycles/s (best rates; median {:.2})", "additive 1/sum(1/rate_i)", best_additive / 1e6, median(&mut additive_rates) / 1e6);
    let median_ratio = median(&mut ratios);
    let (low, high) = (ratios.first().copied().unwrap_or(0.0), ratios.last().copied().unwrap_or(0.0));
    println!("  ratio graph / additive: {median_ratio:.2}x median over runs (range {low:.2}-{high:.2}; goal >= 0.80x)");
    Ok(())
}
