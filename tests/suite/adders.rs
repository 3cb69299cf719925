//! adders (N_stage_Adders): exact against `in + STAGES * incr` (i32, wrapping) written here;
//! on cycle-accurate backends, the DATAFLOW overlap shows in the cycles: one more element
//! costs one more cycle (not STAGES), and a call takes N + a fixed pipeline fill.

use codesign::Config;
use codesign_models::Values;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::case::{call, expect_eq, open, Ability, Case};

const KERNEL: &str = "adders";

pub fn cases() -> Vec<Case> {
    let case = |name, needs, body| Case::needing(KERNEL, name, needs, body);
    vec![
        case("random_sizes_and_increments_exact", None, random_exact),
        case("dataflow_overlap_in_cycles", Some(Ability::ExactCycles), dataflow_overlap),
    ]
}

fn stages(config: &Config) -> Result<i64, String> {
    let (_, kernel) = open(config, KERNEL)?;
    kernel.manifest.parameters.get("STAGES").copied().ok_or("the manifest has no STAGES parameter".into())
}

fn inputs(n: usize, incr: i32, seed: u64) -> (Vec<i32>, Values) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let input: Vec<i32> = (0..n).map(|_| rng.gen()).collect();
    let values = Values::new().with_i32s("in", &input).with_scalar("incr", u64::from(incr as u32)).with_scalar("size", n as u64);
    (input, values)
}

fn random_exact(config: &Config) -> Result<(), String> {
    let (mut backend, kernel) = open(config, KERNEL)?;
    let stages = stages(config)? as i32;
    // Sizes around the 64-beat burst; increments that wrap either way.
    for (i, (n, incr)) in [(1usize, 1), (2, -7), (63, 3), (64, i32::MAX), (65, i32::MIN), (1000, 12345)].into_iter().enumerate() {
        let (input, values) = inputs(n, incr, i as u64);
        let outcome = call(&mut *backend, &kernel, &values)?;
        let expected: Vec<i32> = input.iter().map(|x| x.wrapping_add(incr.wrapping_mul(stages))).collect();
        let got = outcome.outputs.i32s("out").map_err(|e| e.to_string())?;
        expect_eq(&format!("size {n}, incr {incr}: out"), &expected, &got)?;
    }
    Ok(())
}

fn cycles_for(config: &Config, n: usize) -> Result<u64, String> {
    let (mut backend, kernel) = open(config, KERNEL)?;
    let (_, values) = inputs(n, 1, n as u64);
    call(&mut *backend, &kernel, &values)?.report.cycles.ok_or("no cycle count".into())
}

fn dataflow_overlap(config: &Config) -> Result<(), String> {
    let stages = stages(config)? as u64;
    let (n, big) = (4096u64, 8192u64);
    let (cycles, more) = (cycles_for(config, n as usize)?, cycles_for(config, big as usize)?);
    let per_element = (more - cycles) as f64 / (big - n) as f64;
    let fill = cycles.saturating_sub(n);
    println!(
        "STAGES = {stages}: N = {n}: {cycles} cycles, N = {big}: {more} cycles; {per_element:.3} cycles per element; \
         fill {fill} cycles; sequential would be ~{}",
        n * stages
    );
    // Overlapped: one cycle per element whatever STAGES is; sequential processes would cost
    // STAGES + 2 cycles per element (read, each stage, write).
    if !(0.99..=1.01).contains(&per_element) {
        return Err(format!("{per_element:.3} cycles per element: the processes do not overlap (expected 1)"));
    }
    // The fill: register access, memory latency, one cycle per stage, the last write response.
    if fill > 40 + 2 * stages {
        return Err(format!("{cycles} cycles for N = {n}: fill of {fill} cycles is more than 40 + 2 x STAGES"));
    }
    Ok(())
}
