//! The example kernel on codesign's cosim backend, through the `Backend` trait, checked
//! against values computed here (the golden-model registry is codesign's own).

use codesign::backends::cosim::Cosim;
use codesign::config::{Backpressure, CosimConfig};
use codesign::{Backend, Error};
use codesign_example_user::{factor_arg, scale_kernel};
use codesign_models::Values;

/// Deterministic i32s covering both signs and the extremes.
fn elements(n: usize, seed: u32) -> Vec<i32> {
    let mut x = seed.wrapping_mul(0x9E37_79B9) | 1;
    (0..n)
        .map(|i| match i % 7 {
            0 => i32::MIN,
            1 => i32::MAX,
            _ => {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                x as i32
            }
        })
        .collect()
}

/// Calls the kernel on `n` elements, checks the output against the wrapping product computed
/// here, and returns the cycles reported.
fn run(backend: &mut dyn Backend, n: usize, factor: i32) -> Result<u64, String> {
    let kernel = scale_kernel().map_err(|e| e.to_string())?;
    let input = elements(n, (n as u32).wrapping_add(factor as u32));
    let inputs = Values::new().with_i32s("in", &input).with_scalar("factor", factor_arg(factor));
    let outcome = backend.call(&kernel, &inputs).map_err(|e| format!("n = {n}, factor = {factor}: {e}"))?;
    let expected: Vec<i32> = input.iter().map(|x| x.wrapping_mul(factor)).collect();
    let got = outcome.outputs.i32s("out").map_err(|e| e.to_string())?;
    if got != expected {
        let i = got.iter().zip(&expected).position(|(g, e)| g != e).unwrap_or(got.len().min(expected.len()));
        return Err(format!(
            "n = {n}, factor = {factor}: {} outputs for {} inputs; first difference at {i}: {:?} != {:?}",
            got.len(),
            expected.len(),
            got.get(i),
            expected.get(i)
        ));
    }
    outcome.report.cycles.ok_or_else(|| "cosim reported no cycles".to_owned())
}

#[test]
fn sizes_and_factors_match_wrapping_multiply() {
    let mut cosim = Cosim::new(CosimConfig::default());
    assert!(cosim.counts_cycles());
    for n in [1, 2, 7, 100, 1000] {
        for factor in [0, 1, -1, 3, 65_537, i32::MIN] {
            let cycles = run(&mut cosim, n, factor).unwrap();
            let bound = scale_kernel().expect("kernel").manifest.interface_bound(n);
            assert!(cycles >= n as u64 && cycles <= bound + bound / 20, "n = {n}: {cycles} cycles, bound {bound}");
        }
    }
}

#[test]
fn full_rate_meets_the_manifest_bound_exactly() {
    let kernel = scale_kernel().expect("kernel");
    let n = 256;
    let inputs = Values::new().with_i32s("in", &elements(n, 9)).with_scalar("factor", 7);
    let outcome = Cosim::new(CosimConfig::default()).call(&kernel, &inputs).expect("call");
    assert_eq!(outcome.report.cycles, Some(kernel.manifest.interface_bound(n)));
}

#[test]
fn backpressure_changes_timing_not_results() {
    let config = CosimConfig {
        backpressure: Backpressure { inputs: 30.into(), outputs: 40.into(), seed: 5 },
        ..CosimConfig::default()
    };
    let mut cosim: Box<dyn Backend> = Box::new(Cosim::new(config));
    let cycles = run(cosim.as_mut(), 500, -12_345).unwrap();
    let bound = scale_kernel().expect("kernel").manifest.interface_bound(500);
    assert!(cycles > bound, "paused ports, yet {cycles} cycles <= bound {bound}");
}

#[test]
fn bad_inputs_are_input_errors() {
    let kernel = scale_kernel().expect("kernel");
    let mut cosim = Cosim::new(CosimConfig::default());
    let cases = [
        // Missing argument.
        Values::new().with_i32s("in", &[1, 2, 3]),
        // Empty stream.
        Values::new().with_i32s("in", &[]).with_scalar("factor", 2),
        // A sign-extended negative factor does not fit the 32-bit register.
        Values::new().with_i32s("in", &[1]).with_scalar("factor", -2i64 as u64),
        // Unknown stream.
        Values::new().with_i32s("in", &[1]).with_i32s("a", &[1]).with_scalar("factor", 2),
    ];
    for inputs in cases {
        match cosim.call(&kernel, &inputs) {
            Err(Error::Input { kernel, .. }) => assert_eq!(kernel, "scale_i32"),
            other => panic!("{inputs:?}: expected an input error, got {other:?}"),
        }
    }
}

#[test]
fn manifest_is_embedded() {
    let kernel = scale_kernel().expect("kernel");
    assert_eq!(kernel.name(), "scale_i32");
    assert_eq!(kernel.manifest.arg("factor").and_then(|a| a.offset), Some(0x10));
    assert!(kernel.source().unwrap().csim.is_none());
}
