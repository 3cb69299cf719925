//! Cycle regressions: every kernel's perf cases against ci/cycles.yaml, and the proof that an
//! RTL edit costing one cycle per beat fails the gate until `codesign perf --bless`.

use codesign::perf::{measure, perf_cases, Baselines, Verdict};
use codesign::{backends, Config, Kernel};

use crate::case::{Ability, Case};

/// `<kernel>::cycles_<case>` for every manifest workload, and the fixture proof.
pub fn cases() -> Vec<Case> {
    let mut cases = Vec::new();
    for kernel in Kernel::all().unwrap_or_default() {
        let perf_cases = match perf_cases(&kernel) {
            Ok(cases) => cases,
            Err(error) => {
                let message = error.to_string();
                cases.push(Case {
                    kernel: kernel.name().to_owned(),
                    name: "perf_cases".to_owned(),
                    needs: Some(Ability::ExactCycles),
                    body: Box::new(move |_| Err(message.clone())),
                });
                continue;
            }
        };
        for case in perf_cases {
            let (kernel_name, case_name) = (kernel.name().to_owned(), case.name.clone());
            cases.push(Case {
                kernel: kernel_name.clone(),
                name: format!("cycles_{case_name}"),
                needs: Some(Ability::ExactCycles),
                body: Box::new(move |config| cycles_against_baseline(config, &kernel_name, &case_name)),
            });
        }
    }
    cases.push(Case {
        kernel: "ufunc_i32_ii2".to_owned(),
        name: "regression_gate_then_bless".to_owned(),
        needs: Some(Ability::ExactCycles),
        body: Box::new(regression_gate_then_bless),
    });
    cases
}

/// Fails on growth or a missing baseline (naming kernel, case, old, new and delta); an
/// improvement passes and is reported.
fn cycles_against_baseline(config: &Config, kernel: &str, case: &str) -> Result<(), String> {
    let kernel = Kernel::named(kernel).map_err(|e| e.to_string())?;
    let case = perf_cases(&kernel).map_err(|e| e.to_string())?.into_iter().find(|c| c.name == case).ok_or("perf case vanished")?;
    let mut backend = backends::open(config).map_err(|e| e.to_string())?;
    let measured = measure(&mut *backend, config, &kernel, &case).map_err(|e| e.to_string())?;
    let baselines = Baselines::load(&Baselines::default_path()).map_err(|e| e.to_string())?;
    let judgement = baselines.judge(measured.baseline());
    if judgement.verdict.fails() {
        return Err(judgement.to_string());
    }
    if let Verdict::Improved { .. } = judgement.verdict {
        println!("{judgement}");
    }
    Ok(())
}

/// The fixture `ufunc_i32_ii2` is ufunc_i32 with one bubble per beat: the edit a regression
/// gate must catch. Bless the real kernel into a scratch baseline file, measure the slowed
/// RTL under the same kernel name (as if ufunc_i32.v had been edited): the gate fails naming
/// the kernel and the delta. Bless the slow count: the gate passes.
fn regression_gate_then_bless(config: &Config) -> Result<(), String> {
    let fast = Kernel::named("ufunc_i32").map_err(|e| e.to_string())?;
    let slow = Kernel::fixture("ufunc_i32_ii2").map_err(|e| e.to_string())?;
    let case = perf_cases(&fast).map_err(|e| e.to_string())?.into_iter().next().ok_or("ufunc_i32 has no perf case")?;
    let mut backend = backends::open(config).map_err(|e| e.to_string())?;
    let path = std::env::temp_dir().join(format!("codesign-gate-{}.yaml", std::process::id()));
    let _ = std::fs::remove_file(&path);

    let mut baselines = Baselines::load(&path).map_err(|e| e.to_string())?;
    let before = measure(&mut *backend, config, &fast, &case).map_err(|e| e.to_string())?;
    baselines.bless(before.baseline());
    baselines.save().map_err(|e| e.to_string())?;

    let mut after = measure(&mut *backend, config, &slow, &case).map_err(|e| e.to_string())?;
    after.kernel = fast.name().to_owned();
    let judgement = Baselines::load(&path).map_err(|e| e.to_string())?.judge(after.baseline());
    let n = case.elements as u64;
    match judgement.verdict {
        Verdict::Regressed { old, new } if new >= old + n - 2 => {}
        other => return Err(format!("one extra cycle per beat should regress by ~{n} cycles, got {other:?}")),
    }
    let message = judgement.to_string();
    for needle in ["cycle regression", "kernel `ufunc_i32`", &format!("{} -> {}", before.cycles, after.cycles), "%", "--bless"] {
        if !message.contains(needle) {
            return Err(format!("regression message lacks `{needle}`: {message}"));
        }
    }

    let mut baselines = Baselines::load(&path).map_err(|e| e.to_string())?;
    baselines.bless(after.baseline());
    baselines.save().map_err(|e| e.to_string())?;
    let verdict = Baselines::load(&path).map_err(|e| e.to_string())?.judge(after.baseline()).verdict;
    let _ = std::fs::remove_file(&path);
    if verdict == Verdict::Unchanged {
        Ok(())
    } else {
        Err(format!("after blessing the slow count the gate still says {verdict:?}"))
    }
}
