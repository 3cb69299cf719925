//! bdt: conifer-style BDT inference. Every backend's score words must equal the kernel's golden
//! model, and every sample's scores the JSON-level conifer evaluation (`BdtModel::predict`):
//! the issue's model (20 trees of depth 3 on 10 features, 10,000 samples) and a multiclass
//! model at the hardware maxima (4 classes x 32 rounds = 128 trees, depth 6, 16 features,
//! xgboost's `<`). On cycle-accurate backends: cycles per sample, at most 1.1 on the 512-bit bus.

use codesign::Config;
use codesign_models::bdt::example::{random_json, Rng};
use codesign_models::bdt::{pack, BdtModel, Limits};
use codesign_models::Values;

use crate::case::{call, open, Ability, Case};

const KERNEL: &str = "bdt";

pub fn cases() -> Vec<Case> {
    let case = |name, needs, body| Case::needing(KERNEL, name, needs, body);
    vec![
        case("conifer_20_trees_depth_3_10_features_10000_samples_exact", None, issue_model_exact),
        case("multiclass_128_trees_depth_6_16_features_exact", None, maxima_exact),
        case("cycles_per_sample", Some(Ability::ExactCycles), cycles_per_sample),
    ]
}

/// A model, its kernel inputs for `n` random samples, and the JSON-level expected scores.
struct Workload {
    model: BdtModel,
    inputs: Values,
    expected: Vec<Vec<i64>>,
}

fn workload(json: &str, n: usize, seed: u64) -> Result<Workload, String> {
    let model = BdtModel::from_json(json).map_err(|e| e.to_string())?;
    let limits = Limits::default();
    let table = pack(&model, &limits).map_err(|e| e.to_string())?;
    let mut rng = Rng(seed | 1);
    let mut features = Vec::with_capacity(n * limits.max_features);
    let mut expected = Vec::with_capacity(n);
    for _ in 0..n {
        let x: Vec<f64> = (0..model.n_features).map(|_| rng.value(100.0)).collect();
        let raw = model.quantize_features(&x).map_err(|e| e.to_string())?;
        expected.push(model.predict(&x).map_err(|e| e.to_string())?);
        features.extend(raw.iter().map(|&r| u64::from(r as i32 as u32)));
        features.extend(std::iter::repeat_n(0, limits.max_features - raw.len()));
    }
    let mut inputs = Values::new().with_scalar("n", n as u64);
    inputs.streams.insert("table".into(), table.iter().map(|&w| u64::from(w)).collect());
    inputs.streams.insert("features".into(), features);
    Ok(Workload { model, inputs, expected })
}

fn run_exact(config: &Config, w: &Workload) -> Result<codesign::Outcome, String> {
    let (mut backend, kernel) = open(config, KERNEL)?;
    let outcome = call(&mut *backend, &kernel, &w.inputs)?;
    let golden = kernel.golden(&w.inputs).map_err(|e| e.to_string())?;
    let got = outcome.outputs.stream("scores").map_err(|e| e.to_string())?;
    let want = golden.stream("scores").map_err(|e| e.to_string())?;
    if got != want {
        let i = got.iter().zip(want).position(|(g, w)| g != w).unwrap_or(got.len().min(want.len()));
        return Err(format!("scores word {i} (sample {}): got {:?}, golden {:?}", i / 16, got.get(i), want.get(i)));
    }
    let row = Limits::default().max_features;
    for (sample, (words, expected)) in got.chunks(row).zip(&w.expected).enumerate() {
        let scores: Vec<i64> = words[..w.model.columns].iter().map(|&x| i64::from(x as u32 as i32)).collect();
        if &scores != expected {
            return Err(format!("sample {sample}: kernel {scores:?}, conifer evaluation {expected:?}"));
        }
    }
    Ok(outcome)
}

fn issue_model_exact(config: &Config) -> Result<(), String> {
    let w = workload(&random_json(20, 20, 2, 10, 3, false), 10_000, 5)?;
    run_exact(config, &w).map(drop)
}

fn maxima_exact(config: &Config) -> Result<(), String> {
    let w = workload(&random_json(7, 32, 4, 16, 6, true), 600, 9)?;
    run_exact(config, &w).map(drop)
}

fn cycles_per_sample(config: &Config) -> Result<(), String> {
    let n = 10_000;
    let w = workload(&random_json(20, 20, 2, 10, 3, false), n, 5)?;
    let outcome = run_exact(config, &w)?;
    let cycles = outcome.report.cycles.ok_or("no cycle count")?;
    let per_sample = cycles as f64 / n as f64;
    println!("bdt: 20 trees x depth 3, 10 features, {n} samples: {cycles} cycles = {per_sample:.3} cycles/sample (tree load included)");
    if per_sample > 1.1 {
        return Err(format!("{per_sample:.3} cycles per sample > 1.1"));
    }
    Ok(())
}
