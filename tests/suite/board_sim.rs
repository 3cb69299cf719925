//! board-sim only: every AXI-stream kernel's standard workloads through the zynq driver
//! (HLS block control + PG021 DMA model + cache-checked memory), equal to golden, with the
//! cycles from the ap_start write to done reported.

use codesign::workload::{compare, standard_cases};
use codesign::{backends, Config, Kernel};

use crate::case::{Ability, Case};

pub fn cases() -> Vec<Case> {
    let mut cases = Vec::new();
    for kernel in Kernel::all().unwrap_or_default() {
        // A graph has one model per instance; board-sim runs it call by call (generic cases).
        if kernel.manifest.streams.is_empty() || kernel.graph().is_some() {
            continue;
        }
        let name = kernel.name().to_owned();
        cases.push(Case {
            kernel: name.clone(),
            name: "dma_driver_matches_golden_with_cycles".to_owned(),
            needs: Some(Ability::Backend("board-sim")),
            body: Box::new(move |config| through_the_driver(config, &name)),
        });
    }
    cases
}

fn through_the_driver(config: &Config, kernel: &str) -> Result<(), String> {
    let kernel = Kernel::named(kernel).map_err(|e| e.to_string())?;
    let mut backend = backends::open(config).map_err(|e| e.to_string())?;
    for case in standard_cases(&kernel).map_err(|e| e.to_string())? {
        let expected = kernel.golden(&case.inputs).map_err(|e| e.to_string())?;
        let outcome = backend.call(&kernel, &case.inputs).map_err(|e| format!("{}: {e}", case.name))?;
        compare(&kernel, &expected, &outcome.outputs).map_err(|e| format!("{}: {e}", case.name))?;
        let cycles = outcome.report.cycles.ok_or_else(|| format!("{}: no cycle count", case.name))?;
        // A kernel moves at most one beat per cycle per port: fewer cycles than beats is a
        // broken count, not a fast kernel.
        let beats = kernel.manifest.inputs().map(|s| case.elements.div_ceil(s.lanes as usize)).max().unwrap_or(0) as u64;
        if cycles < beats {
            return Err(format!("{}: {cycles} cycles for {beats} input beats", case.name));
        }
        println!("{} {}: {cycles} cycles from ap_start to done ({} elements)", kernel.name(), case.name, case.elements);
    }
    Ok(())
}
