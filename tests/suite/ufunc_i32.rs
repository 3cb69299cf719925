//! ufunc_i32: directed edge cases with literal expectations, seeded random cases checked
//! against Rust's own wrapping arithmetic (an oracle independent of codesign-models), input
//! errors, and — where the backend counts cycles — cycle bounds, stalls and hang reports.

use codesign::{Config, Error};
use codesign_models::Values;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::case::{call, expect_eq, open, Ability, Case};

const KERNEL: &str = "ufunc_i32";
const ADD: u64 = 0;
const SUBTRACT: u64 = 1;
const MULTIPLY: u64 = 2;

pub fn cases() -> Vec<Case> {
    let case = |name, needs, body| Case::needing(KERNEL, name, needs, body);
    vec![
        case("directed_add_wraps", None, directed_add_wraps),
        case("directed_subtract_wraps", None, directed_subtract_wraps),
        case("directed_multiply_wraps", None, directed_multiply_wraps),
        case("unknown_op_gives_zero", None, unknown_op_gives_zero),
        case("single_element", None, single_element),
        case("random_add", None, random_add),
        case("random_subtract", None, random_subtract),
        case("random_multiply", None, random_multiply),
        case("random_lengths_back_to_back", None, random_lengths_back_to_back),
        case("rejects_bad_inputs", None, rejects_bad_inputs),
        case("unequal_lengths_are_an_error", None, unequal_lengths_are_an_error),
        case("cycles_within_interface_bound", Some(Ability::ExactCycles), cycles_within_interface_bound),
        case("cycles_are_deterministic", Some(Ability::ExactCycles), cycles_are_deterministic),
        case("random_backpressure", Some(Ability::ExactCycles), random_backpressure),
        case("random_x_init", Some(Ability::ExactCycles), random_x_init),
        case("hang_names_cycle_and_ports", Some(Ability::ExactCycles), hang_names_cycle_and_ports),
        // The full 10^6 beats: 0.4 s even in a debug build, so always run.
        case("soak_1m_random_backpressure", Some(Ability::ExactCycles), soak_1m),
    ]
}

fn inputs(a: &[i32], b: &[i32], op: u64) -> Values {
    Values::new().with_i32s("a", a).with_i32s("b", b).with_scalar("op", op)
}

fn run(config: &Config, a: &[i32], b: &[i32], op: u64) -> Result<Vec<i32>, String> {
    let (mut backend, kernel) = open(config, KERNEL)?;
    let outcome = call(&mut *backend, &kernel, &inputs(a, b, op))?;
    outcome.outputs.i32s("out").map_err(|e| e.to_string())
}

fn oracle(op: u64, a: i32, b: i32) -> i32 {
    match op {
        ADD => a.wrapping_add(b),
        SUBTRACT => a.wrapping_sub(b),
        MULTIPLY => a.wrapping_mul(b),
        _ => 0,
    }
}

fn random_vectors(rng: &mut ChaCha8Rng, n: usize) -> (Vec<i32>, Vec<i32>) {
    ((0..n).map(|_| rng.gen()).collect(), (0..n).map(|_| rng.gen()).collect())
}

fn directed_add_wraps(config: &Config) -> Result<(), String> {
    let a = [i32::MAX, i32::MIN, -1, 0, 12_345, 1 << 30];
    let b = [1, -1, 1, 0, -54_321, 1 << 30];
    let want = [i32::MIN, i32::MAX, 0, 0, -41_976, i32::MIN];
    expect_eq("out", &want, &run(config, &a, &b, ADD)?)
}

fn directed_subtract_wraps(config: &Config) -> Result<(), String> {
    let a = [i32::MIN, i32::MAX, 0, 5, -5];
    let b = [1, -1, i32::MIN, 7, -5];
    let want = [i32::MAX, i32::MIN, i32::MIN, -2, 0];
    expect_eq("out", &want, &run(config, &a, &b, SUBTRACT)?)
}

fn directed_multiply_wraps(config: &Config) -> Result<(), String> {
    let a = [i32::MAX, i32::MIN, 65_536, -7, -1, 46_341];
    let b = [2, -1, 65_536, 6, -1, 46_341];
    // 46341^2 = 2147488281 = 2^31 + 4633 -> wraps to -2147479015.
    let want = [-2, i32::MIN, 0, -42, 1, -2_147_479_015];
    expect_eq("out", &want, &run(config, &a, &b, MULTIPLY)?)
}

fn unknown_op_gives_zero(config: &Config) -> Result<(), String> {
    for op in [3, 7, 0xffff_ffff] {
        expect_eq(&format!("out (op {op})"), &[0, 0, 0], &run(config, &[1, -2, 3], &[4, 5, -6], op)?)?;
    }
    Ok(())
}

fn single_element(config: &Config) -> Result<(), String> {
    expect_eq("out", &[-3], &run(config, &[4], &[7], SUBTRACT)?)
}

fn random_add(config: &Config) -> Result<(), String> {
    random_op(config, ADD, 11)
}

fn random_subtract(config: &Config) -> Result<(), String> {
    random_op(config, SUBTRACT, 12)
}

fn random_multiply(config: &Config) -> Result<(), String> {
    random_op(config, MULTIPLY, 13)
}

fn random_op(config: &Config, op: u64, seed: u64) -> Result<(), String> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let (a, b) = random_vectors(&mut rng, 2000);
    let want: Vec<i32> = a.iter().zip(&b).map(|(&x, &y)| oracle(op, x, y)).collect();
    expect_eq("out", &want, &run(config, &a, &b, op)?)
}

/// Many calls on one backend instance: lengths 1..=300, random ops; nothing carries over.
fn random_lengths_back_to_back(config: &Config) -> Result<(), String> {
    let (mut backend, kernel) = open(config, KERNEL)?;
    let mut rng = ChaCha8Rng::seed_from_u64(21);
    for round in 0..20 {
        let n = rng.gen_range(1..=300);
        let op = rng.gen_range(0..=3);
        let (a, b) = random_vectors(&mut rng, n);
        let got = call(&mut *backend, &kernel, &inputs(&a, &b, op))?;
        let want: Vec<i32> = a.iter().zip(&b).map(|(&x, &y)| oracle(op, x, y)).collect();
        expect_eq(&format!("round {round} (n {n}, op {op})"), &want, &got.outputs.i32s("out").map_err(|e| e.to_string())?)?;
    }
    Ok(())
}

fn expect_input_error(result: Result<codesign::Outcome, Error>, needle: &str) -> Result<(), String> {
    match result {
        Err(Error::Input { message, .. }) if message.contains(needle) => Ok(()),
        Err(other) => Err(format!("expected an input error mentioning `{needle}`, got: {other}")),
        Ok(_) => Err(format!("expected an input error mentioning `{needle}`, but the call succeeded")),
    }
}

fn rejects_bad_inputs(config: &Config) -> Result<(), String> {
    let (mut backend, kernel) = open(config, KERNEL)?;
    let good = inputs(&[1], &[2], ADD);
    let mut empty = good.clone();
    empty.streams.insert("a".into(), vec![]);
    expect_input_error(backend.call(&kernel, &empty), "`a` is empty")?;
    let mut no_op = good.clone();
    no_op.scalars.clear();
    expect_input_error(backend.call(&kernel, &no_op), "missing argument `op`")?;
    let mut extra = good.clone();
    extra.streams.insert("c".into(), vec![1]);
    expect_input_error(backend.call(&kernel, &extra), "no input stream `c`")?;
    let mut too_wide = good.clone();
    too_wide.streams.insert("b".into(), vec![1 << 40]);
    expect_input_error(backend.call(&kernel, &too_wide), "does not fit")?;
    let mut wide_op = good;
    wide_op.scalars.insert("op".into(), 1 << 32);
    expect_input_error(backend.call(&kernel, &wide_op), "does not fit 32 bits")
}

/// `a` ends the call: a longer `b` would leave beats in the input register slice that leak
/// into the next call on hardware, a shorter one hangs it. The manifest's `same-length-as`
/// makes both an input error on every backend.
fn unequal_lengths_are_an_error(config: &Config) -> Result<(), String> {
    let (mut backend, kernel) = open(config, KERNEL)?;
    expect_input_error(backend.call(&kernel, &inputs(&[1, 2, 3], &[1, 2, 3, 4, 5], ADD)), "as many as `a`")?;
    expect_input_error(backend.call(&kernel, &inputs(&[1, 2, 3], &[1], ADD)), "as many as `a`")
}

fn cycles_within_interface_bound(config: &Config) -> Result<(), String> {
    let (mut backend, kernel) = open(config, KERNEL)?;
    let latency = kernel.manifest.perf.latency;
    for n in [1usize, 2, 64, 1000, 4096] {
        let (a, b) = random_vectors(&mut ChaCha8Rng::seed_from_u64(n as u64), n);
        let cycles = call(&mut *backend, &kernel, &inputs(&a, &b, ADD))?
            .report
            .cycles
            .ok_or("a backend that counts cycles reported none")?;
        let limit = 1.05 * (n as f64 + latency as f64);
        if cycles as f64 > limit || cycles < n as u64 {
            return Err(format!("N = {n}: {cycles} cycles, outside [N, 1.05 x (N + {latency})] = [{n}, {limit:.0}]"));
        }
    }
    Ok(())
}

fn cycles_are_deterministic(config: &Config) -> Result<(), String> {
    let (mut backend, kernel) = open(config, KERNEL)?;
    let (a, b) = random_vectors(&mut ChaCha8Rng::seed_from_u64(5), 777);
    let first = call(&mut *backend, &kernel, &inputs(&a, &b, MULTIPLY))?.report.cycles;
    let second = call(&mut *backend, &kernel, &inputs(&a, &b, MULTIPLY))?.report.cycles;
    if first.is_none() || first != second {
        return Err(format!("cycle counts differ between identical calls: {first:?} then {second:?}"));
    }
    Ok(())
}

/// 30% seeded random pauses on every stream port: results exact, and stalls cost cycles.
fn random_backpressure(config: &Config) -> Result<(), String> {
    let mut stalled = config.clone();
    stalled.cosim.backpressure.inputs = 30.into();
    stalled.cosim.backpressure.outputs = 30.into();
    stalled.cosim.backpressure.seed = 99;
    let (mut backend, kernel) = open(&stalled, KERNEL)?;
    let (mut fast, _) = open(config, KERNEL)?;
    let (a, b) = random_vectors(&mut ChaCha8Rng::seed_from_u64(31), 3000);
    let want: Vec<i32> = a.iter().zip(&b).map(|(&x, &y)| oracle(MULTIPLY, x, y)).collect();
    let slow = call(&mut *backend, &kernel, &inputs(&a, &b, MULTIPLY))?;
    expect_eq("out", &want, &slow.outputs.i32s("out").map_err(|e| e.to_string())?)?;
    let full = call(&mut *fast, &kernel, &inputs(&a, &b, MULTIPLY))?;
    match (slow.report.cycles, full.report.cycles) {
        (Some(s), Some(f)) if s > f + 500 => Ok(()),
        other => Err(format!("30% pauses should cost many cycles; (stalled, full rate) = {other:?}")),
    }
}

fn soak_1m(config: &Config) -> Result<(), String> {
    soak(config, 1_000_000)
}

/// `n` beats with seeded random back-pressure on every port (inputs idle 30%, output not
/// ready 40%): every element is distinct, so a lost, duplicated or reordered beat shows as a
/// mismatch at its index; the protocol checkers watch every port throughout.
fn soak(config: &Config, n: usize) -> Result<(), String> {
    let mut stalled = config.clone();
    stalled.cosim.backpressure.inputs = 30.into();
    stalled.cosim.backpressure.outputs = 40.into();
    stalled.cosim.backpressure.seed = 2024;
    let a: Vec<i32> = (0..n as i32).collect();
    let b: Vec<i32> = (0..n as i32).map(|i| i.wrapping_mul(7)).collect();
    let got = run(&stalled, &a, &b, ADD)?;
    let want: Vec<i32> = (0..n as i32).map(|i| i.wrapping_mul(8)).collect();
    expect_eq("out", &want, &got)
}

/// Uninitialised state from a seeded random reset: the RTL's reset must make it irrelevant.
fn random_x_init(config: &Config) -> Result<(), String> {
    for seed in [1, 2, 3] {
        let mut random = config.clone();
        random.cosim.x_init = codesign::config::XInitConfig::Random;
        random.cosim.seed = seed;
        let (a, b) = random_vectors(&mut ChaCha8Rng::seed_from_u64(u64::from(seed)), 100);
        let want: Vec<i32> = a.iter().zip(&b).map(|(&x, &y)| oracle(ADD, x, y)).collect();
        expect_eq(&format!("out (x-init seed {seed})"), &want, &run(&random, &a, &b, ADD)?)?;
    }
    Ok(())
}

/// A downstream that never accepts: the kernel fills its buffers and stalls. The watchdog ends
/// the call with an error naming the cycle and the VALID/READY state of every port.
fn hang_names_cycle_and_ports(config: &Config) -> Result<(), String> {
    let mut stuck = config.clone();
    stuck.cosim.watchdog_cycles = 200;
    stuck.cosim.backpressure.outputs = 100.into();
    let (mut backend, kernel) = open(&stuck, KERNEL)?;
    let (a, b) = random_vectors(&mut ChaCha8Rng::seed_from_u64(3), 50);
    match backend.call(&kernel, &inputs(&a, &b, ADD)) {
        Err(e @ Error::Timeout { .. }) => {
            let text = e.to_string();
            let needles = ["hung", "200 cycles", "(cycle ", "a: TVALID=1 TREADY=0", "out: TVALID=1 TREADY=0", "interrupt=0"];
            for needle in needles {
                if !text.contains(needle) {
                    return Err(format!("hang report lacks `{needle}`: {text}"));
                }
            }
            Ok(())
        }
        Err(other) => Err(format!("expected a timeout, got: {other}")),
        Ok(_) => Err("a call with 4 `a` and 2 `b` elements succeeded".into()),
    }
}
