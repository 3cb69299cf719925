//! The `bdt` RTL (hw/kernels/bdt/rtl, verilated with the manifest's parameters) driven
//! directly, below the runtime: s_axi_control through `AxilMaster`, the
//! m_axi bundle through `AxiSlave` over an `AxiMemory`. Every score row must equal the golden
//! model of the kernel (`codesign_models::bdt::golden`), which is itself checked bit for bit
//! against the JSON-level conifer evaluation. Every loop is bounded.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use codesign_hw::bdt::MODEL;
use codesign_models::bdt::{pack, BdtModel, Limits};
use codesign_models::Values;
use codesign_sim::axi::{AxiMemory, AxiPorts, AxiSlave, AxiSlaveConfig};
use codesign_sim::axil::{AxilMaster, AxilPorts};
use codesign_sim::verilated::{Direction, Model, XInit};
use codesign_sim::Clock;

const TABLE: u64 = 0x10;
const FEATURES: u64 = 0x1c;
const SCORES: u64 = 0x28;
const N: u64 = 0x34;
const ROW_WORDS: usize = 16;

/// xorshift64*: seeded, so a failure replays.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// In (-range, range), half the time on a 1/4 grid so features meet thresholds exactly.
    fn value(&mut self, range: f64) -> f64 {
        let unit = (self.next() >> 11) as f64 / (1u64 << 53) as f64 * 2.0 - 1.0;
        if self.next().is_multiple_of(2) {
            (unit * range * 4.0).floor() / 4.0
        } else {
            unit * range
        }
    }
}

/// Random sklearn-like trees (preorder), every tree reaching `depth` on its leftmost path.
fn tree_json(rng: &mut Rng, features: u32, depth: usize) -> String {
    fn grow(rng: &mut Rng, nodes: &mut Vec<[String; 5]>, features: u32, depth: usize, leftmost: bool) -> usize {
        let at = nodes.len();
        if depth == 0 || (!leftmost && rng.next().is_multiple_of(5)) {
            nodes.push(["-2".into(), "-2.0".into(), rng.value(30.0).to_string(), "-1".into(), "-1".into()]);
            return at;
        }
        let feature = (rng.next() % u64::from(features)).to_string();
        nodes.push([feature, rng.value(100.0).to_string(), "0.0".into(), String::new(), String::new()]);
        let left = grow(rng, nodes, features, depth - 1, leftmost);
        let right = grow(rng, nodes, features, depth - 1, false);
        nodes[at][3] = left.to_string();
        nodes[at][4] = right.to_string();
        at
    }
    let mut nodes = Vec::new();
    grow(rng, &mut nodes, features, depth, true);
    let column = |i: usize| nodes.iter().map(|n| n[i].clone()).collect::<Vec<_>>().join(",");
    format!(
        r#"{{"feature":[{}],"threshold":[{}],"value":[{}],"children_left":[{}],"children_right":[{}]}}"#,
        column(0),
        column(1),
        column(2),
        column(3),
        column(4)
    )
}

fn model_json(seed: u64, rounds: usize, n_classes: u32, features: u32, depth: usize, convention: &str, score: &str) -> String {
    let mut rng = Rng(seed | 1);
    let columns = if n_classes == 2 { 1 } else { n_classes as usize };
    let trees: Vec<String> = (0..rounds)
        .map(|_| format!("[{}]", (0..columns).map(|_| tree_json(&mut rng, features, depth)).collect::<Vec<_>>().join(",")))
        .collect();
    let init: Vec<String> = (0..columns).map(|_| rng.value(2.0).to_string()).collect();
    format!(
        r#"{{"n_classes":{n_classes},"n_features":{features},"n_trees":{rounds},"max_depth":{depth},
           "init_predict":[{}],"norm":0.75,"splitting_convention":"{convention}","trees":[{}],
           "config":{{"score_precision":"{score}"}}}}"#,
        init.join(","),
        trees.join(",")
    )
}

/// What one call measured.
struct Run {
    scores: Vec<u64>,
    cycles: u64,
    stats: String,
    read_bursts_min: u32,
}

/// Loads the table and rows into memory, starts the kernel, waits for its interrupt, reads
/// the score rows back.
fn run(table: &[u32], rows: &[u64], n: usize, config: AxiSlaveConfig) -> Run {
    let model = Model::new(&MODEL, XInit::Zeros).unwrap();
    let mut clock = Clock::new(&model, "ap_clk").unwrap();
    let mut memory = AxiMemory::new();
    let table_addr = memory.alloc("table", table.len() * 4).unwrap();
    memory.write_words(table_addr, table).unwrap();
    let features_addr = memory.alloc("features", (n * ROW_WORDS * 4).max(64)).unwrap();
    let words: Vec<u32> = rows.iter().map(|&w| w as u32).collect();
    memory.write_words(features_addr, &words).unwrap();
    let scores_addr = memory.alloc("scores", (n * ROW_WORDS * 4).max(64)).unwrap();
    memory.buffer_mut("scores").unwrap().bytes_mut().fill(0xee);
    let mut slave = AxiSlave::new(AxiPorts::bind(&model, "m_axi_gmem0").unwrap(), memory, config, clock.counter());
    let mut control = AxilMaster::new(AxilPorts::bind(&model, "s_axi_control").unwrap());
    let reset = model.bit("ap_rst_n", Direction::Input).unwrap();
    let interrupt = model.bit("interrupt", Direction::Output).unwrap();
    reset.set(false);
    for _ in 0..8 {
        clock.step(&mut [&mut slave, &mut control]);
    }
    reset.set(true);
    for (offset, value) in [
        (TABLE, table_addr),
        (FEATURES, features_addr),
        (SCORES, scores_addr),
        (N, n as u64),
    ] {
        control.write(offset, value as u32);
        if offset != N {
            control.write(offset + 4, (value >> 32) as u32);
        }
    }
    control.write(0x04, 1); // GIE
    control.write(0x08, 1); // IER: done
    for _ in 0..200 {
        if control.is_idle() {
            break;
        }
        clock.step(&mut [&mut slave, &mut control]);
    }
    assert!(control.is_idle(), "argument writes stuck: {}", control.state());
    control.write(0x00, 1); // ap_start
    let begin = clock.cycle();
    let limit = 20_000 + 4 * (table.len() / 16) as u64 + 3 * n as u64;
    while !interrupt.is_high() {
        assert!(
            clock.cycle() - begin < limit,
            "no interrupt within {limit} cycles\nslave: {}\ncontrol: {}",
            slave.state(),
            control.state()
        );
        clock.step(&mut [&mut slave, &mut control]);
    }
    let cycles = clock.cycle() - begin;
    slave.finish().unwrap();
    let stats = slave.stats().clone();
    let read_bursts_min = stats.read.lengths.keys().copied().min().unwrap_or(0);
    let scores = slave.memory().read_words(scores_addr, n * ROW_WORDS).unwrap().into_iter().map(u64::from).collect();
    Run { scores, cycles, stats: stats.to_string(), read_bursts_min }
}

/// Quantized feature rows for `n` random samples (raw input bits sign-extended, padded to
/// 16 words).
fn feature_rows(model: &BdtModel, n: usize, seed: u64) -> Vec<u64> {
    let mut rng = Rng(seed | 1);
    let mut rows = Vec::with_capacity(n * ROW_WORDS);
    for _ in 0..n {
        let x: Vec<f64> = (0..model.n_features).map(|_| rng.value(130.0)).collect();
        let q = model.quantize_features(&x).unwrap();
        let mut row = vec![0u64; ROW_WORDS];
        for (w, v) in row.iter_mut().zip(q) {
            *w = u64::from(v as i32 as u32);
        }
        rows.extend(row);
    }
    rows
}

fn golden(table: &[u32], rows: &[u64], n: usize) -> Vec<u64> {
    let mut inputs = Values::new().with_scalar("n", n as u64);
    inputs.streams.insert("table".into(), table.iter().map(|&w| u64::from(w)).collect());
    inputs.streams.insert("features".into(), rows.to_vec());
    codesign_models::bdt::golden(&inputs).unwrap().streams.remove("scores").unwrap()
}

fn check(json: &str, n: usize, seed: u64, config: AxiSlaveConfig) -> Run {
    let model = BdtModel::from_json(json).unwrap();
    let table = pack(&model, &Limits::default()).unwrap();
    let rows = feature_rows(&model, n, seed);
    let want = golden(&table, &rows, n);
    // The kernel golden agrees with the JSON-level evaluation, row by row.
    for (row, out) in rows.chunks(ROW_WORDS).zip(want.chunks(ROW_WORDS)) {
        let q: Vec<i64> = row[..model.n_features].iter().map(|&w| i64::from(w as u32 as i32)).collect();
        let scores: Vec<u64> = model.scores(&q).iter().map(|&s| u64::from(s as i32 as u32)).collect();
        assert_eq!(&out[..model.columns], scores.as_slice());
    }
    let got = run(&table, &rows, n, config);
    for (index, (g, w)) in got.scores.chunks(ROW_WORDS).zip(want.chunks(ROW_WORDS)).enumerate() {
        assert_eq!(g, w, "sample {index}: RTL vs golden\n{}", got.stats);
    }
    got
}

#[test]
fn twenty_trees_of_depth_3_on_10_features_over_10000_samples_at_about_one_cycle_each() {
    let json = model_json(7, 20, 2, 10, 3, "<=", "ap_fixed<18,8>");
    let n = 10_000;
    let got = check(&json, n, 99, AxiSlaveConfig { read_latency: 20, write_latency: 20, ..AxiSlaveConfig::default() });
    let per_sample = got.cycles as f64 / n as f64;
    println!("bdt: 20 trees x depth 3, 10 features, {n} samples: {} cycles, {per_sample:.4} cycles/sample\n{}", got.cycles, got.stats);
    assert!(per_sample <= 1.1, "{per_sample:.4} cycles per sample");
    assert!(got.read_bursts_min >= 1);
}

#[test]
fn full_size_multiclass_xgboost_model_with_a_narrow_score_type() {
    // 4 classes x 32 rounds = 128 trees of depth 6, 16 features; <12,4> scores wrap often.
    let json = model_json(8, 32, 4, 16, 6, "<", "ap_fixed<12,4>");
    let n = 600;
    let got = check(&json, n, 5, AxiSlaveConfig::default());
    println!("bdt: 128 trees x depth 6, {n} samples: {} cycles\n{}", got.cycles, got.stats);
}

#[test]
fn three_classes_and_odd_sizes_under_random_bus_pauses() {
    for (seed, n) in [(1u64, 1usize), (2, 17), (3, 333)] {
        let json = model_json(seed, 5, 3, 7, 4, if seed % 2 == 0 { "<" } else { "<=" }, "ap_fixed<16,6>");
        let config = AxiSlaveConfig { read_latency: 7, write_latency: 3, max_reads: 3, max_writes: 2, ..AxiSlaveConfig::default() }
            .with_random_pauses(seed * 1000 + 1, 30);
        check(&json, n, seed + 10, config);
    }
}

#[test]
fn zero_samples_finish_after_the_load() {
    let json = model_json(4, 3, 2, 4, 2, "<=", "ap_fixed<18,8>");
    let got = check(&json, 0, 1, AxiSlaveConfig::default());
    assert!(got.cycles < 200, "{} cycles", got.cycles);
}
