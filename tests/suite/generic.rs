//! Cases every kernel gets from its manifest: each standard workload verified against the
//! golden model on every backend but golden itself (comparing it with itself proves
//! nothing: the golden models are checked against independent oracles in each kernel's own
//! cases and in `codesign-models`); where the backend counts cycles, within 1.05 x the
//! interface bound, and again under seeded random back-pressure on every stream and m_axi
//! channel (`cosim.stress`), for protocol and data.

use codesign::workload::{compare, standard_cases};
use codesign::{backends, Config, Kernel};

use crate::case::{Ability, Case};

pub fn cases() -> Vec<Case> {
    let mut cases = Vec::new();
    for kernel in Kernel::all().unwrap_or_default() {
        let name = kernel.name().to_owned();
        if kernel.manifest.workloads.is_empty() {
            // Every kernel has standard workloads (`codesign run` and perf show it): a kernel
            // without is a failing case here, never a silently empty one.
            cases.push(Case {
                kernel: name.clone(),
                name: "has_standard_workloads".to_owned(),
                needs: None,
                body: Box::new(move |_| Err(format!("kernel `{name}` has no `workloads:` in its manifest"))),
            });
            continue;
        }
        let k = name.clone();
        cases.push(Case {
            kernel: name.clone(),
            name: "workloads_match_golden".to_owned(),
            needs: Some(Ability::Independent),
            body: Box::new(move |config| workloads(config, &k, Check::Golden)),
        });
        let k = name.clone();
        cases.push(Case {
            kernel: name.clone(),
            name: "workloads_within_interface_bound".to_owned(),
            needs: Some(Ability::ExactCycles),
            body: Box::new(move |config| workloads(config, &k, Check::Bound)),
        });
        let k = name.clone();
        cases.push(Case {
            kernel: name,
            name: "workloads_under_backpressure".to_owned(),
            needs: Some(Ability::ExactCycles),
            body: Box::new(move |config| workloads(config, &k, Check::Backpressure)),
        });
    }
    cases
}

/// What a workloads case checks besides the outputs.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Check {
    /// Outputs only.
    Golden,
    /// Cycles within 1.05 x the interface bound.
    Bound,
    /// Outputs under the config's stress run (`cosim.stress`).
    Backpressure,
}

/// `suite::golden_is_never_compared_with_itself::golden`: on the golden backend no case
/// compares the golden model's outputs with the golden model (a trial that cannot fail).
pub fn self_check() -> Case {
    Case {
        kernel: "suite".to_owned(),
        name: "golden_is_never_compared_with_itself".to_owned(),
        needs: Some(Ability::Backend("golden")),
        body: Box::new(|config| {
            let backend = backends::open(config).map_err(|e| e.to_string())?;
            let generated: Vec<String> = cases()
                .into_iter()
                .filter(|c| crate::case::has_ability(c.needs, config, backend.as_ref()))
                .map(|c| format!("{}::{}", c.kernel, c.name))
                .collect();
            match generated.iter().find(|name| name.ends_with("::workloads_match_golden")) {
                Some(name) => Err(format!("`{name}` would compare golden with golden")),
                None => Ok(()),
            }
        }),
    }
}

fn workloads(config: &Config, kernel: &str, check: Check) -> Result<(), String> {
    let kernel = Kernel::named(kernel).map_err(|e| e.to_string())?;
    let (config, under) = match check {
        Check::Backpressure => {
            let stressed = config.stressed().ok_or("cosim.stress is off in this config")?;
            let described = format!(" under {}", stressed.cosim.stress.describe());
            (stressed, described)
        }
        _ => (config.clone(), String::new()),
    };
    let mut backend = backends::open(&config).map_err(|e| e.to_string())?;
    for case in standard_cases(&kernel).map_err(|e| e.to_string())? {
        let expected = kernel.golden(&case.inputs).map_err(|e| e.to_string())?;
        let outcome = backend.call(&kernel, &case.inputs).map_err(|e| format!("{}{under}: {e}", case.name))?;
        compare(&kernel, &expected, &outcome.outputs).map_err(|e| format!("{}{under}: {e}", case.name))?;
        if check == Check::Bound {
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
