//! The packed tree table: the bytes the runtime writes into device memory and the `bdt`
//! kernel loads at the start of every call. This is the one place the format is defined.
//!
//! All words are 32-bit little-endian. Header, 16 words (one 64-byte beat):
//!
//! | word | field |
//! |---|---|
//! | 0 | magic `0x3154_4442` (bytes `BDT1`) |
//! | 1 | trees T in flat order (round-major: tree `h` adds to column `h % C`) |
//! | 2 | score columns C (1..=MAX_CLASSES) |
//! | 3 | features per sample (1..=MAX_FEATURES) |
//! | 4 | depth D of every packed tree (= the build's MAX_DEPTH) |
//! | 5 | 1 if the split is `x < t` (xgboost), 0 if `x <= t` (sklearn) |
//! | 6, 7 | score width W and fractional bits F |
//! | 8 | norm, raw score bits sign-extended |
//! | 9..=12 | init_predict per column, raw score bits sign-extended (unused columns 0) |
//! | 13, 14 | input width and fractional bits (informative: the runtime quantizes features) |
//! | 15 | 0 |
//!
//! Then T tree records of `3 * 2^D` words each. Every tree is padded to a complete binary tree
//! of depth D in heap order (node k has children 2k+1, 2k+2); a leaf above level D becomes a
//! don't-care split (feature 0, threshold 0) whose leaves below all carry its value:
//!
//! - words `0 .. 2^D`: feature index of internal node k (k < 2^D - 1; the last word is 0);
//! - words `2^D .. 2*2^D`: threshold of node k, raw input bits sign-extended;
//! - words `2*2^D .. 3*2^D`: leaf values left to right, raw score bits sign-extended.
//!
//! Features travel as one row of MAX_FEATURES words per sample (raw input bits sign-extended,
//! unused words ignored); scores as one row of MAX_FEATURES words per sample (columns 0..C,
//! the rest 0). With MAX_FEATURES = 16 a row is one 64-byte beat of a 512-bit bus.

use super::model::{times_norm, BdtModel, Node};
use super::{BdtError, FixedType};

/// `BDT1` as a little-endian word.
pub const MAGIC: u32 = 0x3154_4442;
/// Header words.
pub const HEADER_WORDS: usize = 16;

/// What the hardware was built to hold (the manifest's parameters).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Trees in flat order (rounds x columns).
    pub max_trees: usize,
    /// Depth of every tree (edges root to leaf).
    pub max_depth: usize,
    /// Score columns.
    pub max_classes: usize,
    /// Features per sample; also the words per feature row and score row.
    pub max_features: usize,
}

impl Default for Limits {
    /// The default build: 128 trees of depth 6, 4 columns, 16 features.
    fn default() -> Self {
        Limits { max_trees: 128, max_depth: 6, max_classes: 4, max_features: 16 }
    }
}

impl Limits {
    /// Words in one packed tree record.
    pub fn tree_words(&self) -> usize {
        3 << self.max_depth
    }

    /// Checks that `model` fits; names the first limit it exceeds.
    pub fn check(&self, model: &BdtModel) -> Result<(), BdtError> {
        let too_big = |what: &str, found: usize, max: usize| {
            Err(BdtError::TooBig { what: what.to_owned(), found, max })
        };
        if model.trees.len() > self.max_trees {
            return too_big("trees (rounds x score columns)", model.trees.len(), self.max_trees);
        }
        if model.max_depth() > self.max_depth {
            return too_big("tree depth", model.max_depth(), self.max_depth);
        }
        if model.columns > self.max_classes {
            return too_big("score columns", model.columns, self.max_classes);
        }
        if model.n_features > self.max_features {
            return too_big("features", model.n_features, self.max_features);
        }
        Ok(())
    }
}

/// Packs `model` into the table format for hardware built with `limits`.
pub fn pack(model: &BdtModel, limits: &Limits) -> Result<Vec<u32>, BdtError> {
    limits.check(model)?;
    let word = |raw: i64| raw as i32 as u32;
    let score = model.precision.score;
    let input = model.precision.input;
    let mut table = vec![0u32; HEADER_WORDS];
    table[0] = MAGIC;
    table[1] = model.trees.len() as u32;
    table[2] = model.columns as u32;
    table[3] = model.n_features as u32;
    table[4] = limits.max_depth as u32;
    table[5] = u32::from(model.strict);
    table[6] = score.width;
    table[7] = score.fraction();
    table[8] = word(model.norm);
    for (column, &init) in model.init.iter().enumerate() {
        table[9 + column] = word(init);
    }
    table[13] = input.width;
    table[14] = input.fraction();
    let leaves = 1usize << limits.max_depth;
    for tree in &model.trees {
        let mut record = vec![0u32; 3 * leaves];
        // (node in the file, heap index, level)
        let mut stack = vec![(0usize, 0usize, 0usize)];
        while let Some((at, heap, level)) = stack.pop() {
            match tree.nodes[at] {
                Node::Split { feature, threshold, left, right } => {
                    record[heap] = feature as u32;
                    record[leaves + heap] = word(threshold);
                    stack.push((left, 2 * heap + 1, level + 1));
                    stack.push((right, 2 * heap + 2, level + 1));
                }
                Node::Leaf(value) => {
                    // The heap index's position within its level, then its span of leaves.
                    let position = heap + 1 - (1 << level);
                    let span = 1usize << (limits.max_depth - level);
                    record[2 * leaves + position * span..2 * leaves + (position + 1) * span].fill(word(value));
                }
            }
        }
        table.extend_from_slice(&record);
    }
    Ok(table)
}

/// A table read back from its words, as the kernel sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table<'t> {
    trees: usize,
    columns: usize,
    features: usize,
    depth: usize,
    strict: bool,
    score: FixedType,
    norm: i64,
    init: [i64; 4],
    records: &'t [u32],
}

impl<'t> Table<'t> {
    /// Reads and checks a table against the hardware's `limits`.
    pub fn decode(words: &'t [u32], limits: &Limits) -> Result<Table<'t>, BdtError> {
        let bad = |why: String| Err(BdtError::Table(why));
        if words.len() < HEADER_WORDS {
            return bad(format!("{} words, shorter than the {HEADER_WORDS}-word header", words.len()));
        }
        if words[0] != MAGIC {
            return bad(format!("magic {:#010x}, expected {MAGIC:#010x}", words[0]));
        }
        let (trees, columns, features, depth) =
            (words[1] as usize, words[2] as usize, words[3] as usize, words[4] as usize);
        if depth != limits.max_depth {
            return bad(format!("packed for depth {depth}, the hardware evaluates depth {}", limits.max_depth));
        }
        for (what, found, max) in [
            ("trees", trees, limits.max_trees),
            ("score columns", columns, limits.max_classes.min(4)),
            ("features", features, limits.max_features),
        ] {
            if found == 0 || found > max {
                return bad(format!("{what} = {found}, must be 1..={max}"));
            }
        }
        let score = FixedType::parse(&format!("ap_fixed<{},{}>", words[6], i64::from(words[6]) - i64::from(words[7])))
            .map_err(|e| BdtError::Table(format!("score type: {e}")))?;
        let needed = HEADER_WORDS + trees * limits.tree_words();
        if words.len() < needed {
            return bad(format!("{} words, {trees} trees of depth {depth} need {needed}", words.len()));
        }
        let records = &words[HEADER_WORDS..needed];
        let internal = (1usize << depth) - 1;
        for (h, record) in records.chunks(limits.tree_words()).enumerate() {
            if let Some(k) = (0..internal).find(|&k| record[k] as usize >= features) {
                return bad(format!("tree {h} node {k}: feature {} >= {features}", record[k]));
            }
        }
        let signed = |w: u32| i64::from(w as i32);
        let init = [signed(words[9]), signed(words[10]), signed(words[11]), signed(words[12])];
        Ok(Table {
            trees,
            columns,
            features,
            depth,
            strict: words[5] != 0,
            score,
            norm: signed(words[8]),
            init,
            records,
        })
    }

    /// Score columns.
    pub fn columns(&self) -> usize {
        self.columns
    }

    /// Features per sample.
    pub fn features(&self) -> usize {
        self.features
    }

    /// The score type.
    pub fn score_type(&self) -> FixedType {
        self.score
    }

    /// Leaf value of tree `h` for a feature row (raw words, compared as signed 32-bit).
    fn leaf(&self, h: usize, row: &[u32]) -> i64 {
        let leaves = 1usize << self.depth;
        let record = &self.records[h * 3 * leaves..(h + 1) * 3 * leaves];
        let mut heap = 0;
        for _ in 0..self.depth {
            let (x, threshold) = (row[record[heap] as usize] as i32, record[leaves + heap] as i32);
            let left = if self.strict { x < threshold } else { x <= threshold };
            heap = 2 * heap + if left { 1 } else { 2 };
        }
        i64::from(record[2 * leaves + heap - (leaves - 1)] as i32)
    }

    /// Raw scores of one feature row, one per column.
    pub fn scores(&self, row: &[u32]) -> Vec<i64> {
        (0..self.columns)
            .map(|column| {
                let sum = (column..self.trees)
                    .step_by(self.columns)
                    .fold(self.init[column], |sum, h| self.score.wrap(i128::from(sum) + i128::from(self.leaf(h, row))));
                times_norm(self.score, sum, self.norm)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bdt::tests::{model_json, random_model};

    #[test]
    fn a_packed_model_scores_exactly_like_the_json_model() {
        let limits = Limits::default();
        for (seed, columns, strict) in [(1u64, 2u32, false), (2, 3, true), (3, 4, false), (4, 1, true)] {
            let model = random_model(seed, 8, columns, 10, 6, strict);
            let table_words = pack(&model, &limits).unwrap();
            assert_eq!(table_words.len(), HEADER_WORDS + model.trees.len() * 192);
            let table = Table::decode(&table_words, &limits).unwrap();
            let mut rng = crate::bdt::tests::Rng(seed * 77);
            for _ in 0..300 {
                // Values near thresholds and beyond the range, so equality and wrap occur.
                let x: Vec<f64> = (0..10).map(|_| rng.value(140.0)).collect();
                let q = model.quantize_features(&x).unwrap();
                let mut row = vec![0u32; limits.max_features];
                for (w, v) in row.iter_mut().zip(&q) {
                    *w = *v as i32 as u32;
                }
                assert_eq!(table.scores(&row), model.scores(&q), "seed {seed}, x {x:?}");
            }
        }
    }

    #[test]
    fn shallow_leaves_fill_their_whole_span() {
        // Root splits on feature 1 at 0.5; left is a leaf (1.0), right splits again.
        let json = model_json(
            r#"{"feature":[1,-2,0,-2,-2],"threshold":[0.5,-2,0.25,-2,-2],"value":[0,1.0,0,2.0,3.0],
                "children_left":[1,-1,3,-1,-1],"children_right":[2,-1,4,-1,-1]}"#,
            "<=",
            "",
        );
        let model = BdtModel::from_json(&json).unwrap();
        let limits = Limits { max_depth: 3, ..Limits::default() };
        let words = pack(&model, &limits).unwrap();
        let record = &words[HEADER_WORDS..];
        assert_eq!(&record[..8], &[1, 0, 0, 0, 0, 0, 0, 0], "features: root 1, the rest don't-care or 0");
        let one = 1024u32; // 1.0 in <18,8>
        assert_eq!(&record[16..24], &[one, one, one, one, 2 * one, 2 * one, 3 * one, 3 * one]);
    }

    #[test]
    fn limits_are_clear_errors() {
        let limits = Limits::default();
        for (model, needle) in [
            (random_model(5, 33, 4, 10, 3, false), "trees (rounds x score columns): 132 > 128"),
            (random_model(5, 2, 5, 10, 3, false), "score columns: 5 > 4"),
            (random_model(5, 2, 2, 17, 3, false), "features: 17 > 16"),
            (random_model(5, 2, 2, 10, 7, false), "tree depth: 7 > 6"),
        ] {
            let message = pack(&model, &limits).unwrap_err().to_string();
            assert!(message.contains(needle), "{message}");
        }
    }

    #[test]
    fn corrupt_tables_are_refused() {
        let limits = Limits::default();
        let model = random_model(6, 2, 2, 4, 3, false);
        let good = pack(&model, &limits).unwrap();
        let mut words = good.clone();
        words[0] = 0;
        assert!(Table::decode(&words, &limits).unwrap_err().to_string().contains("magic"));
        let mut words = good.clone();
        words[4] = 5;
        assert!(Table::decode(&words, &limits).unwrap_err().to_string().contains("depth 5"));
        let mut words = good.clone();
        words[HEADER_WORDS] = 9;
        assert!(Table::decode(&words, &limits).unwrap_err().to_string().contains("feature 9"));
        assert!(Table::decode(&good[..100], &limits).unwrap_err().to_string().contains("need"));
    }
}
