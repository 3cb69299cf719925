//! Standard workloads (seeded random inputs from the manifest) and output verification.

use codesign_hw::manifest::{ElementType, Workload};
use codesign_models::Values;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::Kernel;

/// One call to make: a name and its inputs.
#[derive(Debug, Clone)]
pub struct Case {
    /// Case name (the workload's).
    pub name: String,
    /// Elements per input stream.
    pub elements: usize,
    /// Inputs.
    pub inputs: Values,
}

/// `n` random raw elements of type `element`, reproducible from `rng`'s seed. Integers take
/// every bit pattern; floats are finite normals with magnitudes in [2^-20, 2^20) and random
/// signs, like real data (sums and products of them never reach the subnormal range, where
/// hardware flushes and host C simulation does not). Special values are the tests' business.
pub fn random_elements(element: ElementType, n: usize, rng: &mut ChaCha8Rng) -> Vec<u64> {
    if element == ElementType::F32 {
        return (0..n)
            .map(|_| {
                let exponent = rng.gen_range(127 - 20..127 + 20u32) << 23;
                u64::from((rng.gen::<u32>() & 0x807F_FFFF) | exponent)
            })
            .collect();
    }
    let bits = element.bits();
    let mask = if bits >= 64 { u64::MAX } else { (1u64 << bits) - 1 };
    (0..n).map(|_| rng.gen::<u64>() & mask).collect()
}

/// The inputs of `workload`: every input stream filled from a ChaCha8 generator seeded with
/// the workload's seed, plus its arguments.
pub fn workload_case(kernel: &Kernel, workload: &Workload) -> Case {
    let mut rng = ChaCha8Rng::seed_from_u64(workload.seed);
    let mut inputs = Values::new();
    for stream in kernel.manifest.inputs() {
        inputs.streams.insert(stream.name.clone(), random_elements(stream.element, workload.elements, &mut rng));
    }
    // Input buffers (m_axi) after the streams, so stream data stays as it was before buffers.
    for buffer in kernel.manifest.buffers.iter().filter(|b| b.direction.is_input()) {
        inputs.streams.insert(buffer.name.clone(), random_elements(buffer.element, workload.elements, &mut rng));
    }
    inputs.scalars = workload.args.clone();
    Case { name: workload.name.clone(), elements: workload.elements, inputs }
}

/// Every standard workload of `kernel`.
pub fn standard_cases(kernel: &Kernel) -> Vec<Case> {
    kernel.manifest.workloads.iter().map(|w| workload_case(kernel, w)).collect()
}

/// Compares outputs stream by stream (output buffers too); the error names the first
/// difference.
pub fn compare(kernel: &Kernel, expected: &Values, got: &Values) -> Result<(), String> {
    let streams = kernel.manifest.outputs().map(|s| ("stream", &s.name, s.element));
    let buffers = kernel.manifest.buffers.iter().filter(|b| b.direction.is_output()).map(|b| ("buffer", &b.name, b.element));
    for (kind, name, element) in streams.chain(buffers) {
        let want = expected.streams.get(name).map(Vec::as_slice).unwrap_or(&[]);
        let have = got.streams.get(name).ok_or_else(|| format!("output {kind} `{name}` missing"))?;
        if let Some(i) = want.iter().zip(have.iter()).position(|(w, h)| w != h) {
            return Err(format!(
                "{kind} `{name}` element {i}: expected {}, got {}",
                show(element, want[i]),
                show(element, have[i])
            ));
        }
        if want.len() != have.len() {
            return Err(format!("{kind} `{name}`: expected {} elements, got {}", want.len(), have.len()));
        }
    }
    let outputs = kernel.manifest.args.iter().filter(|a| a.direction == codesign_hw::manifest::ArgDirection::Out);
    for arg in outputs {
        let want = expected.scalars.get(&arg.name);
        let have = got.scalars.get(&arg.name);
        if want != have {
            return Err(format!("output scalar `{}`: expected {want:?}, got {have:?}", arg.name));
        }
    }
    Ok(())
}

/// An element as its type reads, with the raw bits.
pub fn show(element: ElementType, raw: u64) -> String {
    let value = match element {
        ElementType::I8 => (raw as i8).to_string(),
        ElementType::I16 => (raw as i16).to_string(),
        ElementType::I32 => (raw as i32).to_string(),
        ElementType::I64 => (raw as i64).to_string(),
        ElementType::F32 => f32::from_bits(raw as u32).to_string(),
        _ => raw.to_string(),
    };
    format!("{value} ({raw:#x})")
}
