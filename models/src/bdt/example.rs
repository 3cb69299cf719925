//! Seeded random conifer models (JSON as conifer writes it) for tests, suite cases and
//! benches: every split on one feature (one-hot weights), the leftmost path always as deep as
//! asked, values half on a 1/4 grid so that features hit thresholds exactly.

use std::collections::BTreeMap;

use super::{pack, BdtModel};
use crate::{GoldenError, Values};

/// xorshift64*: seeded, so failures replay.
pub struct Rng(pub u64);

impl Rng {
    /// The next 64 random bits.
    pub fn bits(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A value in (-range, range): half the time on a 1/4 grid (so features hit
    /// thresholds exactly), else with many digits.
    pub fn value(&mut self, range: f64) -> f64 {
        let unit = (self.bits() >> 11) as f64 / (1u64 << 53) as f64 * 2.0 - 1.0;
        if self.bits().is_multiple_of(2) {
            (unit * range * 4.0).floor() / 4.0
        } else {
            unit * range
        }
    }
}

/// Appends a random tree of depth `depth` (the leftmost path always reaches it) to the
/// JSON arrays, preorder like sklearn; returns the root's index.
fn random_tree(rng: &mut Rng, nodes: &mut Vec<[String; 5]>, features: u32, depth: usize, leftmost: bool) -> usize {
    let at = nodes.len();
    let leaf = depth == 0 || (!leftmost && rng.bits().is_multiple_of(6));
    if leaf {
        nodes.push(["-2".into(), "-2.0".into(), format!("{}", rng.value(40.0)), "-1".into(), "-1".into()]);
        return at;
    }
    let feature = rng.bits() % u64::from(features);
    nodes.push([feature.to_string(), format!("{}", rng.value(100.0)), "0.0".into(), String::new(), String::new()]);
    let left = random_tree(rng, nodes, features, depth - 1, leftmost);
    let right = random_tree(rng, nodes, features, depth - 1, false);
    nodes[at][3] = left.to_string();
    nodes[at][4] = right.to_string();
    at
}

/// A random conifer JSON model.
/// A random model of `rounds` rounds (one tree per score column each; binary when
/// `n_classes` is 2) of depth `depth` on `features` features; `strict` picks xgboost's `<`.
pub fn random_json(seed: u64, rounds: usize, n_classes: u32, features: u32, depth: usize, strict: bool) -> String {
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let columns = if n_classes == 2 { 1 } else { n_classes as usize };
    let mut trees = Vec::new();
    for _ in 0..rounds {
        let mut per_class = Vec::new();
        for _ in 0..columns {
            let mut nodes = Vec::new();
            random_tree(&mut rng, &mut nodes, features, depth, true);
            let column = |i: usize| nodes.iter().map(|n| n[i].clone()).collect::<Vec<_>>().join(",");
            let weight = nodes
                .iter()
                .map(|n| {
                    let f: i64 = n[0].parse().unwrap_or(-2);
                    let w: Vec<&str> = (0..features as i64).map(|j| if j == f { "1.0" } else { "0.0" }).collect();
                    format!("[{}]", w.join(","))
                })
                .collect::<Vec<_>>()
                .join(",");
            per_class.push(format!(
                r#"{{"feature":[{}],"threshold":[{}],"value":[{}],"children_left":[{}],"children_right":[{}],"weight":[{weight}]}}"#,
                column(0),
                column(1),
                column(2),
                column(3),
                column(4)
            ));
        }
        trees.push(format!("[{}]", per_class.join(",")));
    }
    let init: Vec<String> = (0..columns).map(|_| rng.value(3.0).to_string()).collect();
    format!(
        r#"{{"n_classes":{n_classes},"n_features":{features},"n_trees":{rounds},"max_depth":{depth},
           "init_predict":[{}],"norm":{},"library":"sklearn","splitting_convention":"{}",
           "feature_map":{{}},"trees":[{}],"metadata":{{}},
           "config":{{"input_precision":"ap_fixed<18,8>","threshold_precision":"ap_fixed<18,8>",
                      "weight_precision":"ap_fixed<18,8>","score_precision":"ap_fixed<18,8>"}}}}"#,
        init.join(","),
        if seed.is_multiple_of(2) { 1.0 } else { 0.8 },
        if strict { "<" } else { "<=" },
        trees.join(",")
    )
}


/// The inputs of a standard `bdt` workload (`codesign run`, `perf`): the issue-5 model shape
/// (20 binary trees of depth 3 on 10 features, `<=`) from `seed`, packed for the hardware
/// limits among `scalars` (the manifest's parameters), and `n` random samples (the `n`
/// argument) as feature rows; `elements` (feature words) must be `n` rows of `MAX_FEATURES`.
pub fn workload_inputs(elements: usize, seed: u64, scalars: &BTreeMap<String, u64>) -> Result<Values, GoldenError> {
    let mut values = Values::new();
    values.scalars = scalars.clone();
    let limits = super::limits_of(&values);
    let n = values.scalar("n")? as usize;
    if elements != n * limits.max_features {
        return Err(GoldenError::Shape(format!(
            "bdt workload: elements {elements} must be n = {n} rows of MAX_FEATURES = {} words ({})",
            limits.max_features,
            n * limits.max_features
        )));
    }
    let model = BdtModel::from_json(&random_json(seed, 20, 2, 10, 3, false)).map_err(|e| GoldenError::Shape(e.to_string()))?;
    let table = pack(&model, &limits).map_err(|e| GoldenError::Shape(e.to_string()))?;
    let mut rng = Rng(seed | 1);
    let mut features = Vec::with_capacity(elements);
    for _ in 0..n {
        let x: Vec<f64> = (0..model.n_features).map(|_| rng.value(100.0)).collect();
        let raw = model.quantize_features(&x).map_err(|e| GoldenError::Shape(e.to_string()))?;
        features.extend(raw.iter().map(|&r| u64::from(r as i32 as u32)));
        features.resize(features.len() + limits.max_features - raw.len(), 0);
    }
    let mut inputs = Values::new();
    inputs.streams.insert("table".into(), table.iter().map(|&w| u64::from(w)).collect());
    inputs.streams.insert("features".into(), features);
    Ok(inputs)
}
