//! `bdt`: conifer-style boosted-decision-tree inference, bit-exact with conifer's C++
//! emulation (`conifer/backends/cpp/include/conifer.h`).
//!
//! - [`BdtModel::from_json`] reads the JSON conifer writes (`trees[tree][class]`, the
//!   splitting convention, init_predict, norm, and the `ap_fixed<W,I>` precisions of its
//!   `config`, `ap_fixed<18,8>` when absent) and quantizes every number with AP_TRN/AP_WRAP
//!   ([`FixedType::quantize`]);
//! - [`BdtModel::predict`] scores one sample: per column, init_predict plus each tree's leaf,
//!   wrapping at the score width, times norm; binary models (n_classes = 2) give one column;
//! - [`table`] packs a model into the words the kernel loads from device memory, and
//!   [`golden`] is the kernel's golden model on that table (the kernel's inputs and outputs).

mod fixed;
mod model;
pub mod example;
pub mod table;

pub use fixed::{FixedType, MAX_WIDTH};
pub use model::{times_norm, BdtModel, Node, Precisions, Tree};
pub use table::{pack, Limits, Table};

use crate::{GoldenError, Values};

/// Why a model, a table or a sample was refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum BdtError {
    /// The file is not JSON, or lacks a key, or a key has the wrong type.
    #[error("model JSON: {0}")]
    Json(String),
    /// A precision string that is not a supported `ap_fixed<W,I>`.
    #[error("precision `{text}`: {why}")]
    Precision {
        /// The text in the model.
        text: String,
        /// What is wrong.
        why: String,
    },
    /// A well-formed JSON file that is not a valid model.
    #[error("model: {0}")]
    Invalid(String),
    /// NaN or an infinity where a number is quantized.
    #[error("{0} has no fixed-point value")]
    NotFinite(f64),
    /// A sample with the wrong number of features.
    #[error("{found} feature(s), the model takes {expected}")]
    FeatureCount {
        /// Features the model takes.
        expected: usize,
        /// Features given.
        found: usize,
    },
    /// The model exceeds what the hardware was built for.
    #[error("model too big for the hardware: {what}: {found} > {max} (the manifest's limit)")]
    TooBig {
        /// Which limit.
        what: String,
        /// The model's value.
        found: usize,
        /// The limit.
        max: usize,
    },
    /// A packed table the kernel cannot use.
    #[error("tree table: {0}")]
    Table(String),
}

/// The hardware limits a call runs with: the manifest parameters `MAX_TREES`, `MAX_DEPTH`,
/// `MAX_CLASSES`, `MAX_FEATURES` when present among the scalars, else the defaults.
pub fn limits_of(inputs: &Values) -> Limits {
    let default = Limits::default();
    let get = |name: &str, fallback: usize| inputs.scalars.get(name).map_or(fallback, |&v| v as usize);
    Limits {
        max_trees: get("MAX_TREES", default.max_trees),
        max_depth: get("MAX_DEPTH", default.max_depth),
        max_classes: get("MAX_CLASSES", default.max_classes),
        max_features: get("MAX_FEATURES", default.max_features),
    }
}

/// The kernel `bdt`: buffer `table` (u32 words, see [`table`]), buffer `features` (`n` rows of
/// MAX_FEATURES i32 words), scalar `n`; output buffer `scores` (`n` rows of MAX_FEATURES i32
/// words: the raw scores in columns 0..C, zeros after).
pub fn golden(inputs: &Values) -> Result<Values, GoldenError> {
    let limits = limits_of(inputs);
    let words: Vec<u32> = inputs.stream("table")?.iter().map(|&w| w as u32).collect();
    let table = Table::decode(&words, &limits).map_err(|e| GoldenError::Shape(e.to_string()))?;
    let n = inputs.scalar("n")? as usize;
    let features = inputs.stream("features")?;
    let row_words = limits.max_features;
    if features.len() != n * row_words {
        return Err(GoldenError::Shape(format!(
            "`features` holds {} words, n = {n} rows of {row_words} need {}",
            features.len(),
            n * row_words
        )));
    }
    let mut scores = vec![0u64; n * row_words];
    for (row, out) in features.chunks(row_words).zip(scores.chunks_mut(row_words)) {
        let row: Vec<u32> = row.iter().map(|&w| w as u32).collect();
        for (slot, score) in out.iter_mut().zip(table.scores(&row)) {
            *slot = u64::from(score as i32 as u32);
        }
    }
    let mut out = Values::new();
    out.streams.insert("scores".into(), scores);
    Ok(out)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    pub(crate) use super::example::{random_json, Rng};

    /// A one-tree binary model around `tree` (a JSON object), with a `config` fragment.
    pub(crate) fn model_json(tree: &str, convention: &str, config: &str) -> String {
        format!(
            r#"{{"n_classes":2,"n_features":2,"n_trees":1,"max_depth":3,"init_predict":[0.25],"norm":1.0,
               "library":"sklearn","splitting_convention":"{convention}","trees":[[{tree}]]{config}}}"#
        )
    }

    /// A random, parsed model.
    pub(crate) fn random_model(seed: u64, rounds: usize, n_classes: u32, features: u32, depth: usize, strict: bool) -> BdtModel {
        BdtModel::from_json(&random_json(seed, rounds, n_classes, features, depth, strict)).unwrap()
    }

    const STUMP: &str = r#"{"feature":[0,-2,-2],"threshold":[0.5,-2,-2],"value":[0,1.0,-1.0],
        "children_left":[1,-1,-1],"children_right":[2,-1,-1],"weight":[[1,0],[0,0],[0,0]]}"#;

    #[test]
    fn equality_goes_left_for_sklearn_and_right_for_xgboost() {
        let sklearn = BdtModel::from_json(&model_json(STUMP, "<=", "")).unwrap();
        let xgboost = BdtModel::from_json(&model_json(STUMP, "<", "")).unwrap();
        // 0.25 + 1.0 = 1.25 -> 1280 raw in <18,8>; 0.25 - 1.0 = -0.75 -> -768.
        assert_eq!(sklearn.predict(&[0.5, 0.0]).unwrap(), [1280]);
        assert_eq!(xgboost.predict(&[0.5, 0.0]).unwrap(), [-768]);
        assert_eq!(xgboost.predict(&[0.499, 0.0]).unwrap(), [1280]);
        assert_eq!(sklearn.predict(&[0.501, 0.0]).unwrap(), [-768]);
    }

    #[test]
    fn an_absent_config_means_ap_fixed_18_8_and_an_absent_convention_means_le() {
        let json = model_json(STUMP, "<=", "").replace(r#""splitting_convention":"<=","#, "");
        let model = BdtModel::from_json(&json).unwrap();
        let all = Precisions { input: FixedType::DEFAULT, threshold: FixedType::DEFAULT, weight: FixedType::DEFAULT, score: FixedType::DEFAULT };
        assert_eq!(model.precision, all);
        assert!(!model.strict);
        assert_eq!(model.init, [256], "0.25 * 2^10");
    }

    #[test]
    fn negative_inputs_truncate_toward_minus_infinity_before_the_compare() {
        // Threshold exactly -1 LSB of <18,8>; x = -0.0001 is -0.1 LSB: AP_TRN makes it -1 LSB,
        // so `x <= t` holds (rounding toward zero would give 0 and go right).
        let tree = STUMP.replace("0.5,-2,-2", "-0.0009765625,-2,-2");
        let model = BdtModel::from_json(&model_json(&tree, "<=", "")).unwrap();
        assert_eq!(model.quantize_features(&[-0.0001, 0.0]).unwrap(), [-1, 0]);
        assert_eq!(model.predict(&[-0.0001, 0.0]).unwrap(), [1280], "left");
        assert_eq!(model.predict(&[0.0, 0.0]).unwrap(), [-768], "right");
    }

    #[test]
    fn sums_wrap_at_the_score_width_and_norm_truncates() {
        // Score <8,4>: range [-8, 8), LSB 1/16. init 7.5 + leaf 1.0 = 8.5 wraps to -7.5.
        let config = r#","config":{"score_precision":"ap_fixed<8,4>"}"#;
        let json = model_json(STUMP, "<=", config).replace("[0.25]", "[7.5]");
        let model = BdtModel::from_json(&json).unwrap();
        assert_eq!(model.precision.score, FixedType { width: 8, integer: 4 });
        assert_eq!(model.precision.input, FixedType::DEFAULT, "absent keys keep the default");
        assert_eq!(model.predict(&[0.0, 0.0]).unwrap(), [-120], "-7.5 * 16");
        assert_eq!(model.predict(&[1.0, 0.0]).unwrap(), [104], "7.5 - 1.0 = 6.5, no wrap");
        // -1/16 * 0.5 = -1/32: floor to the LSB gives -1/16 (raw -1), not 0.
        let json = model_json(STUMP, "<=", config).replace("[0.25]", "[-1.0625]").replace("\"norm\":1.0", "\"norm\":0.5");
        let model = BdtModel::from_json(&json).unwrap();
        assert_eq!(model.norm, 8);
        assert_eq!(model.predict(&[0.0, 0.0]).unwrap(), [-1], "(-1.0625 + 1.0) * 0.5 floors to -1/16");
        assert_eq!(times_norm(model.precision.score, 3, 8), 1, "3/16 * 1/2 = 1.5/16 -> 1/16");
        // The product wraps too: 7 * 7 = 49 -> 49 - 64 = -15 in <8,4>... as raw 112*112 >> 4.
        assert_eq!(times_norm(model.precision.score, 112, 112), FixedType { width: 8, integer: 4 }.wrap(784));
    }

    #[test]
    fn multiclass_models_give_one_column_per_class_from_trees_t_c() {
        let json = random_json(11, 3, 3, 4, 2, false);
        let model = BdtModel::from_json(&json).unwrap();
        assert_eq!((model.columns, model.rounds, model.trees.len()), (3, 3, 9));
        let x = [0.5, -1.0, 2.0, 3.0];
        let q = model.quantize_features(&x).unwrap();
        let scores = model.predict(&x).unwrap();
        for (column, &got) in scores.iter().enumerate() {
            let score = model.precision.score;
            let mut sum = i128::from(model.init[column]);
            for round in 0..3 {
                sum += i128::from(model.leaf(&model.trees[round * 3 + column], &q));
            }
            assert_eq!(got, times_norm(score, score.wrap(sum), model.norm), "column {column}");
        }
    }

    #[test]
    fn decimal_text_is_parsed_with_correct_rounding() {
        let mut rng = Rng(42);
        for _ in 0..20_000 {
            let v = f64::from_bits(rng.bits() >> 2);
            for text in [format!("{v:.30e}"), format!("{v:e}")] {
                let parsed: f64 = serde_json::from_str(&text).unwrap();
                assert_eq!(parsed.to_bits(), text.parse::<f64>().unwrap().to_bits(), "{text}");
            }
        }
    }

    #[test]
    fn malformed_models_are_clear_errors() {
        let stump = model_json(STUMP, "<=", "");
        let cases: Vec<(String, &str)> = vec![
            ("{not json".into(), "model JSON: key must be a string"),
            (stump.replace(r#""norm":1.0,"#, ""), "missing field `norm`"),
            (stump.replace(r#""n_trees":1"#, r#""n_trees":2"#), "n_trees is 2 but `trees` holds 1"),
            (stump.replace("[0,-2,-2]", "[5,-2,-2]"), "trees[0][0]: node 0: feature 5 is not -2 (leaf) or in 0..2"),
            (stump.replace("[1,-1,-1]", "[7,-1,-1]"), "node 0: children 7 and 2"),
            (stump.replace("[1,-1,-1]", "[0,-1,-1]"), "node 0: children 0 and 2"),
            (stump.replace("[[1,0]", "[[0.5,0.5]"), "not one-hot on feature 0"),
            (stump.replace(r#""<=""#, r#""!=""#), "splitting_convention `!=`"),
            (stump.replace("[0.25]", "[]"), "init_predict has 0 values"),
            (stump.replace("0.5,-2,-2", "0.5,-2"), "`threshold` has 2 entries"),
            (model_json(STUMP, "<=", r#","config":{"score_precision":"ap_fixed<18;8>"}"#), "precision `ap_fixed<18;8>`"),
            (
                model_json(STUMP, "<=", r#","config":{"input_precision":"ap_fixed<16,6>"}"#),
                "input_precision ap_fixed<16,6> differs from threshold_precision ap_fixed<18,8>",
            ),
            (model_json(STUMP, "<=", r#","config":{"weight_precision":"ap_fixed<8,1>"}"#), "cannot hold the one-hot weight 1.0"),
        ];
        for (json, needle) in cases {
            let message = BdtModel::from_json(&json).unwrap_err().to_string();
            assert!(message.contains(needle), "want `{needle}` in: {message}");
        }
        let model = BdtModel::from_json(&stump).unwrap();
        assert_eq!(model.predict(&[1.0]).unwrap_err().to_string(), "1 feature(s), the model takes 2");
    }

    #[test]
    fn a_shared_node_is_not_a_tree() {
        let tree = r#"{"feature":[0,1,-2],"threshold":[0.5,0.5,-2],"value":[0,0,1.0],
            "children_left":[1,2,-1],"children_right":[2,2,-1]}"#;
        let message = BdtModel::from_json(&model_json(tree, "<=", "")).unwrap_err().to_string();
        assert!(message.contains("reached twice"), "{message}");
    }

    #[test]
    fn the_kernel_golden_matches_the_json_model_row_by_row() {
        let model = random_model(21, 20, 2, 10, 3, false);
        let limits = Limits::default();
        let table = pack(&model, &limits).unwrap();
        let mut rng = Rng(5);
        let n = 200;
        let mut features = Vec::new();
        let mut want = Vec::new();
        for _ in 0..n {
            let x: Vec<f64> = (0..10).map(|_| rng.value(120.0)).collect();
            let q = model.quantize_features(&x).unwrap();
            let mut row = vec![0u64; 16];
            for (w, v) in row.iter_mut().zip(&q) {
                *w = u64::from(*v as i32 as u32);
            }
            features.extend(row);
            let mut out = vec![0u64; 16];
            out[0] = u64::from(model.scores(&q)[0] as i32 as u32);
            want.extend(out);
        }
        let mut inputs = Values::new().with_scalar("n", n);
        inputs.streams.insert("table".into(), table.iter().map(|&w| u64::from(w)).collect());
        inputs.streams.insert("features".into(), features.clone());
        assert_eq!(golden(&inputs).unwrap().stream("scores").unwrap(), want.as_slice());
        inputs.scalars.insert("n".into(), n + 1);
        assert!(golden(&inputs).unwrap_err().to_string().contains("n = 201 rows"));
        inputs.scalars.insert("n".into(), n);
        inputs.scalars.insert("MAX_DEPTH".into(), 5);
        assert!(golden(&inputs).unwrap_err().to_string().contains("depth 6"), "parameters reach the golden model");
    }
}
