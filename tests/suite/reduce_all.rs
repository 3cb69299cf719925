//! reduce_all against i128 arithmetic written here: sizes 1, 2, odd and 4096, every op,
//! extremes (sum of squares of i32::MIN must not overflow), negative totals.

use codesign::Config;
use codesign_models::Values;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::case::{call, expect_eq, open, Case};

const KERNEL: &str = "reduce_all";

pub fn cases() -> Vec<Case> {
    let case = |name, body| Case::any_backend(KERNEL, name, body);
    vec![case("random_sizes_every_op", random_sizes_every_op), case("extremes_are_exact", extremes_are_exact)]
}

fn oracle(op: u64, a: &[i32], b: &[i32]) -> i128 {
    let pairs = a.iter().zip(b).map(|(&x, &y)| (i128::from(x), i128::from(y)));
    match op {
        0 => pairs.map(|(x, _)| x).sum(),
        1 => pairs.map(|(x, _)| x * x).sum(),
        2 => pairs.map(|(x, y)| (x - y).abs()).sum(),
        _ => 0,
    }
}

fn run(config: &Config, a: &[i32], b: &[i32], op: u64) -> Result<i128, String> {
    let (mut backend, kernel) = open(config, KERNEL)?;
    let inputs = Values::new().with_i32s("a", a).with_i32s("b", b).with_scalar("op", op);
    let outcome = call(&mut *backend, &kernel, &inputs)?;
    let lanes = outcome.outputs.stream("result").map_err(|e| e.to_string())?;
    match lanes {
        [low, high] => Ok((u128::from(*low) | (u128::from(*high) << 64)) as i128),
        other => Err(format!("expected one beat of two lanes, got {} elements", other.len())),
    }
}

fn random_sizes_every_op(config: &Config) -> Result<(), String> {
    let mut rng = ChaCha8Rng::seed_from_u64(41);
    for n in [1usize, 2, 7, 33, 4096] {
        let a: Vec<i32> = (0..n).map(|_| rng.gen()).collect();
        let b: Vec<i32> = (0..n).map(|_| rng.gen()).collect();
        for op in [0, 1, 2, 3] {
            let got = run(config, &a, &b, op)?;
            expect_eq(&format!("n {n}, op {op}"), &[oracle(op, &a, &b)], &[got])?;
        }
    }
    Ok(())
}

fn extremes_are_exact(config: &Config) -> Result<(), String> {
    let a = vec![i32::MIN; 1000];
    let b = vec![i32::MAX; 1000];
    expect_eq("sum of squares of i32::MIN", &[1000i128 << 62], &[run(config, &a, &b, 1)?])?;
    expect_eq("SAD of MIN vs MAX", &[1000 * ((1i128 << 32) - 1)], &[run(config, &a, &b, 2)?])?;
    expect_eq("negative sum", &[-1000i128 << 31], &[run(config, &a, &b, 0)?])
}
