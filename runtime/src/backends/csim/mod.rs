//! The csim backend: the kernel's HLS C++ compiled for the host (against the ap_types headers
//! and codesign's own `hls::stream`), called through a generated entry point. No clock: it
//! answers "does the C++ compute what the golden model says", as Vitis C simulation does. A
//! kernel's entry is linked at `cargo build`, or compiled at run time ([`compile`]) for an
//! out-of-tree folder.

mod compile;

use std::time::Instant;

use codesign_hw::csim::SlotKind;
use codesign_models::Values;

use crate::{Backend, Error, Kernel, Outcome, Report};

/// HLS C simulation.
#[derive(Debug, Default)]
pub struct Csim;

/// Room for output elements beyond the longest input (kernels that emit more than they read).
const EXTRA_OUTPUT: usize = 1024;

impl Backend for Csim {
    fn name(&self) -> &str {
        "csim"
    }

    fn call(&mut self, kernel: &Kernel, inputs: &Values) -> Result<Outcome, Error> {
        kernel.check_inputs(inputs)?;
        if let Some(graph) = kernel.graph() {
            return crate::graph::compose::call_composed(self, graph, inputs);
        }
        let entry = compile::entry(kernel, self.name())?;
        let m = &kernel.manifest;
        let fail = |message: String| Error::Input { kernel: kernel.name().to_owned(), message };
        let length = |name: &str| inputs.streams.get(name).map_or(0, Vec::len);
        let transactions = codesign_hw::csim::transactions(m, length).map_err(fail)?;
        // The entry point's order (codesign_hw::csim::layout).
        let layout = codesign_hw::csim::layout(m);
        let streams_in: Vec<&[u64]> =
            layout.inputs.iter().map(|slot| inputs.streams.get(slot.name).map(Vec::as_slice).unwrap_or(&[])).collect();
        let (in_ptrs, in_lens): (Vec<*const u64>, Vec<usize>) = streams_in.iter().map(|s| (s.as_ptr(), s.len())).unzip();
        let capacity = (streams_in.iter().map(|s| s.len()).max().unwrap_or(0) + EXTRA_OUTPUT).max(super::MIN_OUTPUT_ELEMENTS);
        let outputs: Vec<(&str, usize, u32)> = layout
            .outputs
            .iter()
            .map(|slot| {
                let room = match slot.kind {
                    SlotKind::Stream => capacity,
                    SlotKind::Buffer => kernel.buffer_len(slot.name, inputs)?,
                    SlotKind::Array { depth } => depth * transactions,
                    SlotKind::Scalar => transactions,
                };
                Ok((slot.name, room, slot.bits))
            })
            .collect::<Result<_, Error>>()?;
        let mut buffers: Vec<Vec<u64>> = outputs.iter().map(|(_, cap, _)| vec![0; *cap]).collect();
        let mut out_ptrs: Vec<*mut u64> = buffers.iter_mut().map(|b| b.as_mut_ptr()).collect();
        let mut out_lens = vec![0usize; outputs.len()];
        let caps: Vec<usize> = outputs.iter().map(|(_, cap, _)| *cap).collect();
        let scalars_in: Vec<u64> = layout.scalars_in.iter().map(|a| inputs.scalars.get(&a.name).copied().unwrap_or(0)).collect();
        let out_args: Vec<(&str, u32)> = layout.scalars_out.iter().map(|a| (a.name.as_str(), a.width)).collect();
        let mut scalars_out = vec![0u64; out_args.len()];
        let mut error = vec![0u8; 512];
        let start = Instant::now();
        // SAFETY: every pointer is valid for the lengths passed; the entry writes at most
        // `caps[i]` elements to output i, one value per output scalar and `error.len()` bytes.
        let status = unsafe {
            entry(
                in_ptrs.as_ptr(),
                in_lens.as_ptr(),
                out_ptrs.as_mut_ptr(),
                out_lens.as_mut_ptr(),
                caps.as_ptr(),
                scalars_in.as_ptr(),
                scalars_out.as_mut_ptr(),
                error.as_mut_ptr().cast(),
                error.len(),
            )
        };
        let wall = start.elapsed();
        if status != 0 {
            let message = String::from_utf8_lossy(&error[..error.iter().position(|&b| b == 0).unwrap_or(0)]).into_owned();
            return Err(Error::Backend {
                backend: self.name().to_owned(),
                source: format!("kernel `{}`: the HLS C++ failed: {message}", kernel.name()).into(),
            });
        }
        let mut values = Values::new();
        for (((name, capacity, bits), mut buffer), len) in outputs.iter().zip(buffers).zip(out_lens) {
            let capacity = *capacity;
            if len > capacity {
                return Err(Error::Backend {
                    backend: self.name().to_owned(),
                    source: format!("kernel `{}`: output `{name}` has more than {capacity} elements", kernel.name()).into(),
                });
            }
            buffer.truncate(len);
            let bits = *bits;
            if bits < 64 {
                buffer.iter_mut().for_each(|e| *e &= (1u64 << bits) - 1);
            }
            values.streams.insert((*name).to_owned(), buffer);
        }
        for ((name, bits), value) in out_args.iter().zip(scalars_out) {
            values.scalars.insert((*name).to_owned(), if *bits < 64 { value & ((1u64 << bits) - 1) } else { value });
        }
        Ok(Outcome { outputs: values, report: Report { wall, ..Report::default() } })
    }
}
