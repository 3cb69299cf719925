//! conifer's JSON model, parsed, checked and quantized; and its evaluation on one sample,
//! bit-exact with conifer's C++ emulation (`conifer::BDT<Config>::decision_function`).

use serde::Deserialize;

use super::{BdtError, FixedType};

/// The model file as conifer writes it (keys it does not need are ignored).
#[derive(Debug, Deserialize)]
struct ModelJson {
    n_classes: u32,
    n_features: u32,
    n_trees: u32,
    init_predict: Vec<f64>,
    norm: f64,
    #[serde(default)]
    splitting_convention: Option<String>,
    trees: Vec<Vec<TreeJson>>,
    #[serde(default)]
    config: Option<ConfigJson>,
}

#[derive(Debug, Deserialize)]
struct TreeJson {
    feature: Vec<i64>,
    threshold: Vec<f64>,
    value: Vec<f64>,
    children_left: Vec<i64>,
    children_right: Vec<i64>,
    /// One-hot per node (oblique trees would have several non-zero weights).
    #[serde(default)]
    weight: Option<Vec<Vec<f64>>>,
}

#[derive(Debug, Default, Deserialize)]
struct ConfigJson {
    input_precision: Option<String>,
    threshold_precision: Option<String>,
    weight_precision: Option<String>,
    score_precision: Option<String>,
}

/// The four precisions of a model's `config`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Precisions {
    /// Features (conifer requires it to equal `threshold`).
    pub input: FixedType,
    /// Split thresholds.
    pub threshold: FixedType,
    /// Node weights (one-hot, so only 1.0 and 0.0 occur).
    pub weight: FixedType,
    /// Leaf values, init_predict, norm and the sums.
    pub score: FixedType,
}

/// One node of a quantized tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Node {
    /// Go to `left` iff `x[feature]` is below (or at, for `<=`) `threshold`.
    Split {
        /// Feature index.
        feature: usize,
        /// Quantized threshold (raw, threshold precision).
        threshold: i64,
        /// Node index taken when the comparison holds.
        left: usize,
        /// Node index taken otherwise.
        right: usize,
    },
    /// A leaf with its quantized value (raw, score precision).
    Leaf(i64),
}

/// One quantized tree: node 0 is the root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tree {
    /// The nodes, in the file's order.
    pub nodes: Vec<Node>,
    /// Edges from the root to the deepest leaf.
    pub depth: usize,
}

/// A checked, quantized conifer model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BdtModel {
    /// Features per sample.
    pub n_features: usize,
    /// Boosting rounds (`n_trees` in the file).
    pub rounds: usize,
    /// Score columns: 1 for binary models (n_classes = 2), else n_classes.
    pub columns: usize,
    /// The splitting convention is `<` (xgboost) rather than `<=` (sklearn).
    pub strict: bool,
    /// The precisions of the model's `config`.
    pub precision: Precisions,
    /// Quantized init_predict, one per column (raw, score precision).
    pub init: Vec<i64>,
    /// Quantized norm (raw, score precision).
    pub norm: i64,
    /// Trees in flat order: index `round * columns + column`.
    pub trees: Vec<Tree>,
}

impl BdtModel {
    /// Parses conifer's JSON. Decimal text is parsed with correct rounding (serde_json's
    /// `float_roundtrip`), so every double is the one Python wrote.
    pub fn from_json(text: &str) -> Result<BdtModel, BdtError> {
        let raw: ModelJson = serde_json::from_str(text).map_err(|e| BdtError::Json(e.to_string()))?;
        Self::from_raw(raw)
    }

    fn from_raw(raw: ModelJson) -> Result<BdtModel, BdtError> {
        let invalid = |why: String| Err(BdtError::Invalid(why));
        let config = raw.config.unwrap_or_default();
        let precision_of = |text: &Option<String>| text.as_deref().map_or(Ok(FixedType::DEFAULT), FixedType::parse);
        let precision = Precisions {
            input: precision_of(&config.input_precision)?,
            threshold: precision_of(&config.threshold_precision)?,
            weight: precision_of(&config.weight_precision)?,
            score: precision_of(&config.score_precision)?,
        };
        if precision.input != precision.threshold {
            return invalid(format!(
                "config: input_precision {} differs from threshold_precision {} (conifer requires them equal)",
                precision.input, precision.threshold
            ));
        }
        // conifer's C++ computes sum_i x[i] * weight[i] in the threshold type: a one-hot
        // weight passes x through only if 1.0 is representable.
        if precision.weight.quantize(1.0)? != 1i64 << precision.weight.fraction() {
            return invalid(format!("config: weight_precision {} cannot hold the one-hot weight 1.0", precision.weight));
        }
        let strict = match raw.splitting_convention.as_deref() {
            None | Some("<=") => false,
            Some("<") => true,
            Some(other) => return invalid(format!("splitting_convention `{other}`: expected `<=` or `<`")),
        };
        let columns = match raw.n_classes {
            0 => return invalid("n_classes is 0".to_owned()),
            2 => 1,
            n => n as usize,
        };
        let n_features = raw.n_features as usize;
        if n_features == 0 {
            return invalid("n_features is 0".to_owned());
        }
        if raw.trees.len() != raw.n_trees as usize {
            return invalid(format!("n_trees is {} but `trees` holds {}", raw.n_trees, raw.trees.len()));
        }
        if raw.init_predict.len() < columns {
            return invalid(format!("init_predict has {} values, the model has {columns} score column(s)", raw.init_predict.len()));
        }
        let score = precision.score;
        let init = raw.init_predict[..columns].iter().map(|&v| score.quantize(v)).collect::<Result<_, _>>()?;
        let norm = score.quantize(raw.norm)?;
        let mut trees = Vec::with_capacity(raw.trees.len() * columns);
        for (round, per_class) in raw.trees.iter().enumerate() {
            if per_class.len() < columns {
                return invalid(format!("trees[{round}] has {} class tree(s), {columns} expected", per_class.len()));
            }
            for (class, tree) in per_class[..columns].iter().enumerate() {
                let tree = quantize_tree(tree, n_features, &precision)
                    .map_err(|why| BdtError::Invalid(format!("trees[{round}][{class}]: {why}")))?;
                trees.push(tree);
            }
        }
        Ok(BdtModel { n_features, rounds: raw.trees.len(), columns, strict, precision, init, norm, trees })
    }

    /// Quantizes one sample's features (input precision).
    pub fn quantize_features(&self, x: &[f64]) -> Result<Vec<i64>, BdtError> {
        if x.len() != self.n_features {
            return Err(BdtError::FeatureCount { expected: self.n_features, found: x.len() });
        }
        x.iter().map(|&v| self.precision.input.quantize(v)).collect()
    }

    /// The split decision: left iff `x <= threshold` (`<=`) or `x < threshold` (`<`).
    pub fn goes_left(&self, x: i64, threshold: i64) -> bool {
        if self.strict {
            x < threshold
        } else {
            x <= threshold
        }
    }

    /// The leaf value (raw) that `tree` gives quantized features `x`.
    pub fn leaf(&self, tree: &Tree, x: &[i64]) -> i64 {
        let mut at = 0;
        loop {
            match tree.nodes[at] {
                Node::Leaf(value) => return value,
                Node::Split { feature, threshold, left, right } => {
                    at = if self.goes_left(x[feature], threshold) { left } else { right };
                }
            }
        }
    }

    /// Raw scores (score precision), one per column, for quantized features `x`: per column,
    /// init_predict plus each tree's leaf, wrapping at the score width, then times norm
    /// (the full product truncated and wrapped back to the score type, as `U *= U` does).
    pub fn scores(&self, x: &[i64]) -> Vec<i64> {
        let score = self.precision.score;
        (0..self.columns)
            .map(|column| {
                let sum = self
                    .trees
                    .iter()
                    .skip(column)
                    .step_by(self.columns)
                    .fold(self.init[column], |sum, tree| score.wrap(i128::from(sum) + i128::from(self.leaf(tree, x))));
                times_norm(score, sum, self.norm)
            })
            .collect()
    }

    /// Scores of one sample given as decimals.
    pub fn predict(&self, x: &[f64]) -> Result<Vec<i64>, BdtError> {
        Ok(self.scores(&self.quantize_features(x)?))
    }

    /// The deepest tree's depth.
    pub fn max_depth(&self) -> usize {
        self.trees.iter().map(|t| t.depth).max().unwrap_or(0)
    }
}

/// `sum * norm` in the score type: the exact product has 2F fractional bits; truncate F of
/// them (floor) and wrap to W.
pub fn times_norm(score: FixedType, sum: i64, norm: i64) -> i64 {
    score.wrap((i128::from(sum) * i128::from(norm)) >> score.fraction())
}

/// Checks one tree's structure and quantizes its numbers.
fn quantize_tree(tree: &TreeJson, n_features: usize, precision: &Precisions) -> Result<Tree, String> {
    let n = tree.feature.len();
    if n == 0 {
        return Err("no nodes".to_owned());
    }
    for (name, len) in [
        ("threshold", tree.threshold.len()),
        ("value", tree.value.len()),
        ("children_left", tree.children_left.len()),
        ("children_right", tree.children_right.len()),
    ] {
        if len != n {
            return Err(format!("`{name}` has {len} entries, `feature` has {n}"));
        }
    }
    let mut nodes = Vec::with_capacity(n);
    for i in 0..n {
        let node = if tree.feature[i] == -2 {
            Node::Leaf(precision.score.quantize(tree.value[i]).map_err(|e| format!("node {i}: {e}"))?)
        } else {
            let feature = usize::try_from(tree.feature[i])
                .ok()
                .filter(|&f| f < n_features)
                .ok_or_else(|| format!("node {i}: feature {} is not -2 (leaf) or in 0..{n_features}", tree.feature[i]))?;
            let child = |c: i64| usize::try_from(c).ok().filter(|&c| c < n && c != i);
            let (left, right) = match (child(tree.children_left[i]), child(tree.children_right[i])) {
                (Some(l), Some(r)) => (l, r),
                _ => {
                    return Err(format!(
                        "node {i}: children {} and {} are not node indices (0..{n}, not itself)",
                        tree.children_left[i], tree.children_right[i]
                    ))
                }
            };
            if let Some(weights) = &tree.weight {
                check_one_hot(weights.get(i), feature).map_err(|why| format!("node {i}: {why}"))?;
            }
            let threshold = precision.threshold.quantize(tree.threshold[i]).map_err(|e| format!("node {i}: {e}"))?;
            Node::Split { feature, threshold, left, right }
        };
        nodes.push(node);
    }
    let depth = depth_of(&nodes)?;
    Ok(Tree { nodes, depth })
}

/// An axis-aligned node's weight vector: 1.0 at its feature, 0.0 elsewhere.
fn check_one_hot(weights: Option<&Vec<f64>>, feature: usize) -> Result<(), String> {
    let weights = weights.ok_or("no `weight` vector")?;
    let one_hot = weights.get(feature) == Some(&1.0)
        && weights.iter().enumerate().all(|(j, &w)| j == feature || w == 0.0);
    if one_hot {
        Ok(())
    } else {
        Err(format!("weight {weights:?} is not one-hot on feature {feature} (oblique trees are not supported)"))
    }
}

/// The depth of the tree at node 0; refuses shared nodes and cycles (each node is reached
/// at most once).
fn depth_of(nodes: &[Node]) -> Result<usize, String> {
    let mut seen = vec![false; nodes.len()];
    let mut stack = vec![(0usize, 0usize)];
    let mut depth = 0;
    while let Some((at, level)) = stack.pop() {
        if std::mem::replace(&mut seen[at], true) {
            return Err(format!("node {at} is reached twice (not a tree)"));
        }
        depth = depth.max(level);
        if let Node::Split { left, right, .. } = nodes[at] {
            stack.push((left, level + 1));
            stack.push((right, level + 1));
        }
    }
    Ok(depth)
}
