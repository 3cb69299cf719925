//! `codesign kernels`: the kernels and what their manifests say.

use clap::Args;

use super::{classify, CliError};
use crate::backends::BACKENDS;
use crate::Kernel;

/// Arguments of `codesign kernels`.
#[derive(Debug, Args)]
pub struct KernelsArgs {}

pub(super) fn run(_args: &KernelsArgs) -> Result<(), CliError> {
    for kernel in Kernel::all().map_err(classify)? {
        let m = &kernel.manifest;
        println!("{} — {}", m.name, m.description);
        println!("  seed:      {}", m.seed);
        println!("  folder:    {}", kernel.source().map_or("(graph)", |s| s.dir));
        println!("  top:       {} ({} RTL file(s)), {} on {}", m.top, m.rtl.len(), m.control.protocol.as_str(), m.control.bundle.as_deref().unwrap_or("bare ports"));
        for s in &m.streams {
            let direction = match s.direction {
                codesign_hw::manifest::StreamDirection::In => "in ",
                codesign_hw::manifest::StreamDirection::Out => "out",
            };
            let same = s.same_length_as.as_ref().map(|o| format!(", as long as `{o}`")).unwrap_or_default();
            println!("  stream:    {:<4} {direction} {} x{} (RTL {}_*{same})", s.name, s.element.as_str(), s.lanes, s.rtl);
        }
        for a in &m.args {
            match a.register() {
                Some(offset) => println!("  arg:       {} @ {offset:#04x}, {} bits — {}", a.name, a.width, a.description),
                None => println!("  arg:       {} on {} ({}), {} bits — {}", a.name, a.rtl(), a.protocol().as_str(), a.width, a.description),
            }
        }
        println!(
            "  perf:      II {}, latency {} cycles, {} MHz; bound for N elements = {} * N + {}",
            m.perf.ii, m.perf.latency, m.perf.clock_mhz, m.perf.ii, m.perf.latency
        );
        let cases: Vec<String> = m.workloads.iter().map(|w| format!("{} (N={})", w.name, w.elements)).collect();
        println!("  workloads: {}", cases.join(", "));
        println!("  golden:    {}", if codesign_models::golden_model(&m.name).is_some() { "yes" } else { "no" });
        println!();
    }
    let backends: Vec<String> = BACKENDS.iter().map(|b| format!("{} ({})", b.name, b.description)).collect();
    println!("backends: {}", backends.join("; "));
    Ok(())
}
