//! gemm (both configurations) against a reference written here: each element of C is the
//! dot product of a row of A and a column of B, in i128, on shapes from 1x1x1 to the
//! maximum, sizes that are not multiples of the PE count, and data with the extreme values
//! of the element width. On cosim, cycles against the PE count for both configurations.

use codesign::Config;
use codesign_models::Values;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::case::{call, expect_eq, open, Ability, Case};

/// (kernel, processing elements, element bits, output bits), as the manifests state them.
const CONFIGS: &[(&str, usize, u32, u32)] = &[("gemm_pe4_w16", 4, 16, 64), ("gemm_pe8_w8", 8, 8, 32)];

/// Matrix sizes (m, n, k): A is m x k, B is k x n, C is m x n.
type Shape = (usize, usize, usize);

/// One call's sizes and its A and B.
type Trial = (Shape, Vec<i64>, Vec<i64>);

/// (m, n, k): the smallest, sizes that are not multiples of 4 or 8, k below the PE count (the
/// output stream is then the bound), single rows and columns, and the maximum.
const SHAPES: &[Shape] =
    &[(1, 1, 1), (3, 5, 7), (2, 13, 3), (7, 9, 12), (1, 64, 64), (64, 1, 64), (64, 64, 1), (17, 33, 9), (64, 64, 64)];

pub fn cases() -> Vec<Case> {
    let mut cases: Vec<Case> = CONFIGS
        .iter()
        .map(|&(kernel, _, bits, out_bits)| Case {
            kernel: kernel.to_owned(),
            name: "shapes_match_a_dot_product_reference".to_owned(),
            needs: None,
            body: Box::new(move |config| shapes(config, kernel, bits, out_bits)),
        })
        .collect();
    cases.extend(CONFIGS.iter().map(|&(kernel, _, bits, out_bits)| Case {
        kernel: kernel.to_owned(),
        name: "shapes_under_random_backpressure".to_owned(),
        needs: Some(Ability::ExactCycles),
        body: Box::new(move |config| {
            // Inputs idle 30% and c not ready 60% of cycles: the compute pipeline must stall
            // and resume without losing, repeating or reordering a beat.
            let mut stalled = config.clone();
            stalled.cosim.backpressure.inputs = 30.into();
            stalled.cosim.backpressure.outputs = 60.into();
            stalled.cosim.backpressure.seed = 11;
            shapes(&stalled, kernel, bits, out_bits)
        }),
    }));
    cases.push(Case::needing("gemm", "cycles_against_pe_count", Some(Ability::ExactCycles), cycles_against_pe_count));
    cases
}

/// A `rows x cols` matrix of signed `bits`-bit values; one in ten is the minimum or maximum.
fn random_matrix(rng: &mut ChaCha8Rng, rows: usize, cols: usize, bits: u32) -> Vec<i64> {
    let half = 1i64 << (bits - 1);
    (0..rows * cols)
        .map(|_| if rng.gen_bool(0.1) { [-half, half - 1][rng.gen_range(0..2)] } else { rng.gen_range(-half..half) })
        .collect()
}

/// C[i][j] = (row i of A) . (column j of B), in i128, as raw `out_bits`-bit words.
fn dot_product_reference(a: &[i64], b: &[i64], (_, n, k): Shape, out_bits: u32) -> Vec<u64> {
    let mask = if out_bits == 64 { u64::MAX } else { (1u64 << out_bits) - 1 };
    let columns: Vec<Vec<i64>> = (0..n).map(|j| b.iter().skip(j).step_by(n).copied().collect()).collect();
    a.chunks(k)
        .flat_map(|row| {
            columns.iter().map(move |col| row.iter().zip(col).map(|(&x, &y)| i128::from(x) * i128::from(y)).sum::<i128>())
        })
        .map(|c| c as u64 & mask)
        .collect()
}

fn inputs(a: &[i64], b: &[i64], (m, n, k): Shape, bits: u32) -> Values {
    let mask = (1u64 << bits) - 1;
    let mut values =
        Values::new().with_scalar("m", m as u64).with_scalar("n", n as u64).with_scalar("k", k as u64);
    values.streams.insert("a".into(), a.iter().map(|&v| v as u64 & mask).collect());
    values.streams.insert("b".into(), b.iter().map(|&v| v as u64 & mask).collect());
    values
}

fn shapes(config: &Config, kernel: &str, bits: u32, out_bits: u32) -> Result<(), String> {
    let (mut backend, k) = open(config, kernel)?;
    let mut rng = ChaCha8Rng::seed_from_u64(u64::from(bits));
    let min = -(1i64 << (bits - 1));
    let mut trials: Vec<Trial> = SHAPES
        .iter()
        .map(|&(m, n, kk)| ((m, n, kk), random_matrix(&mut rng, m, kk, bits), random_matrix(&mut rng, kk, n, bits)))
        .collect();
    // The largest sum there is: min * min, 64 times (2^(2 bits + 4)), and its negation's
    // neighbour min * max.
    trials.push(((2, 3, 64), vec![min; 2 * 64], vec![min; 64 * 3]));
    trials.push(((3, 2, 64), vec![min; 3 * 64], vec![-min - 1; 64 * 2]));
    for (shape, a, b) in trials {
        let outcome = call(&mut *backend, &k, &inputs(&a, &b, shape, bits))?;
        let got = outcome.outputs.stream("c").map_err(|e| e.to_string())?;
        let (m, n, kk) = shape;
        expect_eq(&format!("{m} x {kk} times {kk} x {n}"), &dot_product_reference(&a, &b, shape, out_bits), got)?;
    }
    Ok(())
}

/// Cosim cycles for both configurations on the same shapes: the table shows cycles,
/// multiply-accumulates per cycle and the PE array's efficiency (MACs per cycle / PES). The
/// count must match the architecture: k*n cycles to load B, then m * ceil(n / PES) * k compute
/// steps, or the m*n beats of c when that is more, plus the manifest's constant latency.
fn cycles_against_pe_count(config: &Config) -> Result<(), String> {
    let shapes = [(64, 64, 64), (64, 64, 16), (32, 32, 32), (16, 16, 64), (64, 64, 4)];
    println!("| kernel       | PEs | m x n x k    | cycles | MACs/cycle | efficiency |");
    println!("|--------------|-----|--------------|--------|------------|------------|");
    let mut full_size = Vec::new();
    for &(kernel, pes, bits, _) in CONFIGS {
        let (mut backend, k) = open(config, kernel)?;
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        for (m, n, kk) in shapes {
            let a = random_matrix(&mut rng, m, kk, bits);
            let b = random_matrix(&mut rng, kk, n, bits);
            let outcome = call(&mut *backend, &k, &inputs(&a, &b, (m, n, kk), bits))?;
            let cycles = outcome.report.cycles.ok_or("no cycle count")?;
            let macs = (m * n * kk) as f64;
            println!(
                "| {kernel:<12} | {pes:>3} | {:<12} | {cycles:>6} | {:>10.2} | {:>9.1}% |",
                format!("{m}x{n}x{kk}"),
                macs / cycles as f64,
                100.0 * macs / cycles as f64 / pes as f64
            );
            let steps = (m * n.div_ceil(pes) * kk).max(m * n);
            let model = (kk * n + steps) as u64 + k.manifest.perf.latency;
            if cycles > model {
                return Err(format!(
                    "{kernel} {m}x{n}x{kk}: {cycles} cycles, more than k*n + max(m*ceil(n/PES)*k, m*n) + latency = {model}"
                ));
            }
            if (m, n, kk) == (64, 64, 64) {
                full_size.push(cycles);
            }
        }
    }
    // Twice the PEs, about half the compute: 4096 + 65536 vs 4096 + 32768 cycles.
    if let [four, eight] = full_size[..] {
        let ratio = four as f64 / eight as f64;
        if !(1.8..=2.0).contains(&ratio) {
            return Err(format!("64x64x64: 4 PEs take {four} cycles, 8 PEs {eight}: ratio {ratio:.2}, expected ~1.9"));
        }
    }
    Ok(())
}
