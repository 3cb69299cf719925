//! Standard workloads (seeded random inputs from the manifest) and output verification.

use codesign_hw::manifest::{ElementType, Workload, WorkloadValues};
use codesign_models::Values;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::{Error, Kernel};

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

/// The edge values of `element` as raw bits: 0, 1, -1, MIN, MAX, MIN + 1, MAX - 1 for signed
/// integers; 0, 1, MAX, MAX - 1 and the top bit alone for unsigned ones; for f32 the values
/// where rounding and overflow turn (±0, ±1, the largest normal, the smallest normal).
pub fn edge_values(element: ElementType) -> Vec<u64> {
    let bits = element.bits();
    let mask = if bits >= 64 { u64::MAX } else { (1u64 << bits) - 1 };
    let top = 1u64 << (bits - 1);
    let signed = matches!(element, ElementType::I8 | ElementType::I16 | ElementType::I32 | ElementType::I64);
    match element {
        ElementType::F32 => [0.0f32, -0.0, 1.0, -1.0, f32::MAX, f32::MIN, f32::MIN_POSITIVE, -f32::MIN_POSITIVE]
            .iter()
            .map(|f| u64::from(f.to_bits()))
            .collect(),
        _ if signed => vec![0, 1, mask, top, top - 1, top + 1, top - 2],
        _ => vec![0, 1, mask, mask - 1, top],
    }
}

/// `n` elements of input `index` (0 for the first input stream) for an edge-value workload:
/// input k takes edge value `(i / E^k) % E` at element i, so the first inputs run through
/// every combination of edge values (every pair, for a two-input kernel), repeating.
fn edge_elements(element: ElementType, index: u32, n: usize) -> Vec<u64> {
    let edges = edge_values(element);
    let period = edges.len().saturating_pow(index).max(1);
    (0..n).map(|i| edges[(i / period) % edges.len()]).collect()
}

/// The inputs of `workload`: from the kernel's input generator when it has one (structured
/// inputs such as bdt's packed trees), else every input stream and input buffer filled with
/// seeded random elements (ChaCha8 from the workload's seed) or edge values; plus its
/// arguments.
pub fn workload_case(kernel: &Kernel, workload: &Workload) -> Result<Case, Error> {
    let name = kernel.manifest.golden_model.as_deref().unwrap_or(kernel.name());
    let mut inputs = match codesign_models::input_generator(name) {
        Some(generate) => {
            let scalars = kernel.with_parameters(&Values { scalars: workload.args.clone(), ..Values::new() }).scalars;
            generate(workload.elements, workload.seed, &scalars).map_err(|e| Error::Input {
                kernel: kernel.name().to_owned(),
                message: format!("workload `{}`: {e}", workload.name),
            })?
        }
        None => generated_elements(kernel, workload),
    };
    inputs.scalars = workload.args.clone();
    Ok(Case { name: workload.name.clone(), elements: workload.elements, inputs })
}

fn generated_elements(kernel: &Kernel, workload: &Workload) -> Values {
    let mut rng = ChaCha8Rng::seed_from_u64(workload.seed);
    let mut inputs = Values::new();
    let streams = kernel.manifest.inputs().map(|s| (&s.name, s.element));
    // Input buffers (m_axi) after the streams, so stream data stays as it was before buffers.
    let buffers = kernel.manifest.buffers.iter().filter(|b| b.direction.is_input()).map(|b| (&b.name, b.element));
    for (index, (name, element)) in streams.chain(buffers).enumerate() {
        let elements = match workload.values {
            WorkloadValues::Random => random_elements(element, workload.elements, &mut rng),
            WorkloadValues::Edges => edge_elements(element, index as u32, workload.elements),
        };
        inputs.streams.insert(name.clone(), elements);
    }
    inputs
}

/// Every standard workload of `kernel`.
pub fn standard_cases(kernel: &Kernel) -> Result<Vec<Case>, Error> {
    kernel.manifest.workloads.iter().map(|w| workload_case(kernel, w)).collect()
}

/// How many differences to name in a mismatch message.
const SHOWN_DIFFERENCES: usize = 4;

/// Compares one output: lengths and every element; the error counts the differing elements
/// and names the first few.
pub fn compare_stream(what: &str, element: ElementType, want: &[u64], have: &[u64]) -> Result<(), String> {
    let differing: Vec<usize> = want.iter().zip(have).enumerate().filter(|(_, (w, h))| w != h).map(|(i, _)| i).collect();
    let mut problems = Vec::new();
    if want.len() != have.len() {
        problems.push(format!("expected {} elements, got {}", want.len(), have.len()));
    }
    if !differing.is_empty() {
        let compared = want.len().min(have.len());
        let first: Vec<String> = differing
            .iter()
            .take(SHOWN_DIFFERENCES)
            .map(|&i| format!("[{i}] expected {}, got {}", show(element, want[i]), show(element, have[i])))
            .collect();
        let more = if differing.len() > SHOWN_DIFFERENCES { ", ..." } else { "" };
        problems.push(format!("{} of {compared} elements differ: {}{more}", differing.len(), first.join(", ")));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!("{what}: {}", problems.join("; ")))
    }
}

/// Compares outputs stream by stream (output buffers too, lengths and elements) and the
/// output scalars; the error counts the differences and names the first few.
pub fn compare(kernel: &Kernel, expected: &Values, got: &Values) -> Result<(), String> {
    let streams = kernel.manifest.outputs().map(|s| ("stream", &s.name, s.element));
    let buffers = kernel.manifest.buffers.iter().filter(|b| b.direction.is_output()).map(|b| ("buffer", &b.name, b.element));
    // Arrays and bare scalars: per-transaction sequences in `streams`.
    let arrays = kernel.manifest.arrays.iter().filter(|a| a.direction.is_output()).map(|a| ("array", &a.name, a.element));
    let bare = kernel.manifest.args.iter().filter(|a| a.register().is_none() && a.direction.is_output());
    let bare = bare.map(|a| ("scalar", &a.name, a.element()));
    for (kind, name, element) in streams.chain(buffers).chain(arrays).chain(bare) {
        let want = expected.streams.get(name).map(Vec::as_slice).unwrap_or(&[]);
        let have = got.streams.get(name).ok_or_else(|| format!("output {kind} `{name}` missing"))?;
        compare_stream(&format!("{kind} `{name}`"), element, want, have)?;
    }
    let outputs = kernel.manifest.args.iter().filter(|a| a.direction == codesign_hw::manifest::ArgDirection::Out && a.register().is_some());
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
