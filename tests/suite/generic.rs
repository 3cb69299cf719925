//! Cases every kernel gets from its manifest: each standard workload verified against the
//! golden model, and (where the backend counts cycles) within 1.05 x the interface bound.

use codesign::workload::{compare, standard_cases};
use codesign::{backends, Config, Kernel};

use crate::case::{Ability, Case};

pub fn cases() -> Vec<Case> {
    let mut cases = Vec::new();
    for kernel in Kernel::all().unwrap_or_default() {
        let name = kernel.name().to_owned();
        let k = name.clone();
        cases.push(Case {
            kernel: name.clone(),
            name: "workloads_match_golden".to_owned(),
            needs: None,
            body: Box::new(move |config| workloads(config, &k, false)),
        });
        let k = name.clone();
        cases.push(Case {
            kernel: name,
            name: "workloads_within_interface_bound".to_owned(),
            needs: Some(Ability::ExactCycles),
            body: Box::new(move |config| workloads(config, &k, true)),
        });
    }
    cases
}

fn workloads(config: &Config, kernel: &str, bound: bool) -> Result<(), String> {
    let kernel = Kernel::named(kernel).map_err(|e| e.to_string())?;
    let mut backend = backends::open(config).map_err(|e| e.to_string())?;
    for case in standard_cases(&kernel) {
        let expected = kernel.golden(&case.inputs).map_err(|e| e.to_string())?;
        let outcome = backend.call(&kernel, &case.inputs).map_err(|e| format!("{}: {e}", case.name))?;
        compare(&kernel, &expected, &outcome.outputs).map_err(|e| format!("{}: {e}", case.name))?;
        if bound {
            let cycles = outcome.report.cycles.ok_or("no cycle count")?;
            let limit = 1.05 * kernel.manifest.interface_bound(case.elements) as f64;
            if cycles as f64 > limit {
                return Err(format!(
                    "{}: {cycles} cycles > 1.05 x interface bound {}",
                    case.name,
                    kernel.manifest.interface_bound(case.elements)
                ));
            }
        }
    }
    Ok(())
}
