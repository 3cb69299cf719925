//! vadd_wide: exact against i32 wrapping addition written here, across sizes that end in a
//! partial beat and span several bursts and 4 KiB pages; on cycle-accurate backends, the
//! memory model's statistics show 64-byte beats in long bursts, and the cycle count stays
//! within 1.1 x the bus bound.

use codesign::{Config, Error};
use codesign_models::Values;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::case::{call, expect_eq, open, Ability, Case};

const KERNEL: &str = "vadd_wide";

pub fn cases() -> Vec<Case> {
    let case = |name, needs, body| Case::needing(KERNEL, name, needs, body);
    vec![
        case("random_sizes_exact", None, random_sizes_exact),
        case("size_disagreeing_with_a_buffer_is_an_input_error", None, size_mismatch_is_an_input_error),
        case("bursts_of_64_byte_beats", Some(Ability::ExactCycles), bursts_of_64_byte_beats),
        case("cycles_within_bus_bound", Some(Ability::ExactCycles), cycles_within_bus_bound),
    ]
}

fn inputs(n: usize, seed: u64) -> (Vec<i32>, Vec<i32>, Values) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let a: Vec<i32> = (0..n).map(|_| rng.gen()).collect();
    let b: Vec<i32> = (0..n).map(|_| rng.gen()).collect();
    let values = Values::new().with_i32s("a", &a).with_i32s("b", &b).with_scalar("size", n as u64);
    (a, b, values)
}

fn random_sizes_exact(config: &Config) -> Result<(), String> {
    let (mut backend, kernel) = open(config, KERNEL)?;
    // 1: a single partial beat; 16/17: one full beat, then one lane more; 1024: exactly one
    // 64-beat burst (a 4 KiB page); 5000: several bursts and a 8-lane tail.
    for (i, n) in [1usize, 15, 16, 17, 1024, 1025, 5000].into_iter().enumerate() {
        let (a, b, values) = inputs(n, i as u64);
        let outcome = call(&mut *backend, &kernel, &values)?;
        let expected: Vec<i32> = a.iter().zip(&b).map(|(x, y)| x.wrapping_add(*y)).collect();
        expect_eq(&format!("size {n}: c"), &expected, &outcome.outputs.i32s("c").map_err(|e| e.to_string())?)?;
    }
    Ok(())
}

fn size_mismatch_is_an_input_error(config: &Config) -> Result<(), String> {
    let (mut backend, kernel) = open(config, KERNEL)?;
    let (_, _, values) = inputs(100, 7);
    match backend.call(&kernel, &values.with_scalar("size", 101)) {
        Err(Error::Input { message, .. }) if message.contains("`a`") && message.contains("size") => Ok(()),
        other => Err(format!("expected an input error naming buffer `a` and `size`, got {other:?}")),
    }
}

const N: usize = 65_536;

fn bursts_of_64_byte_beats(config: &Config) -> Result<(), String> {
    let (mut backend, kernel) = open(config, KERNEL)?;
    let (_, _, values) = inputs(N, 11);
    let outcome = call(&mut *backend, &kernel, &values)?;
    let memories = &outcome.report.memories;
    let bytes = (N * 4) as u64;
    // (bundle, direction, its traffic): a on gmem0 reads, b on gmem1 reads, c on gmem0 writes.
    let find = |bundle: &str| memories.iter().find(|m| m.bundle == bundle).ok_or(format!("no statistics for {bundle}"));
    let (gmem0, gmem1) = (find("gmem0")?, find("gmem1")?);
    for (name, traffic) in [("gmem0 read (a)", &gmem0.read), ("gmem1 read (b)", &gmem1.read), ("gmem0 write (c)", &gmem0.write)] {
        println!(
            "{name}: {} bursts, mean {:.1} beats, max {}, {} B per beat, {} bytes",
            traffic.bursts, traffic.mean_burst, traffic.max_burst, traffic.beat_bytes, traffic.bytes
        );
        if traffic.beat_bytes != 64 || traffic.mean_burst < 16.0 || traffic.bytes != bytes || traffic.errors != 0 {
            return Err(format!("{name}: expected bursts of >= 16 beats of 64 bytes moving {bytes} bytes, got {traffic:?}"));
        }
    }
    if gmem1.write.bursts != 0 {
        return Err(format!("gmem1 carries only b: {} write bursts", gmem1.write.bursts));
    }
    Ok(())
}

fn cycles_within_bus_bound(config: &Config) -> Result<(), String> {
    let (mut backend, kernel) = open(config, KERNEL)?;
    let (_, _, values) = inputs(N, 12);
    let outcome = call(&mut *backend, &kernel, &values)?;
    let cycles = outcome.report.cycles.ok_or("no cycle count")?;
    let moved: u64 = outcome.report.memories.iter().map(|m| m.read.bytes + m.write.bytes).sum();
    let latency = kernel.manifest.perf.latency;
    // The bound: every byte over one 64-byte bus, plus the fixed latency.
    let bound = moved / 64 + latency;
    // With a, b and c on concurrent channels, the busiest channel moves N / 16 beats.
    let per_channel = (N / 16) as u64 + latency;
    println!("N = {N}: {cycles} cycles; {moved} bytes moved; bound 1.1 x {bound}; per-channel bound {per_channel}");
    if moved != (3 * N * 4) as u64 {
        return Err(format!("expected {} bytes moved (a, b, c), got {moved}", 3 * N * 4));
    }
    if cycles as f64 > 1.1 * bound as f64 {
        return Err(format!("{cycles} cycles > 1.1 x (bytes moved / 64 + latency) = 1.1 x {bound}"));
    }
    if cycles as f64 > 1.1 * per_channel as f64 {
        return Err(format!("{cycles} cycles > 1.1 x the per-channel bound {per_channel}: the bus idles"));
    }
    Ok(())
}
