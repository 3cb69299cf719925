//! The kernel's `ap_memory` arrays in cosim: one block-RAM model per array, loaded from the
//! call's inputs before the transaction and read back after it.

use codesign_hw::manifest::ArrayPort;
use codesign_models::Values;
use codesign_sim::apmem::ApMemory;
use codesign_sim::verilated::Model;
use codesign_sim::{Agent, CycleCounter};

use super::CosimError;
use crate::{Error, Kernel};

/// Every `ap_memory` array of a kernel.
pub struct Arrays<'m> {
    memories: Vec<ApMemory<'m>>,
    /// Read back after the call (out and inout arrays).
    outputs: Vec<bool>,
}

impl<'m> Arrays<'m> {
    /// Binds every array of the manifest; input arrays are loaded from `inputs` (exactly
    /// `depth` elements each: [`Kernel::check_inputs`] said so), output arrays start zeroed.
    pub fn bind(model: &'m Model, kernel: &Kernel, inputs: &Values, now: CycleCounter) -> Result<Self, Error> {
        let mut memories = Vec::new();
        let mut outputs = Vec::new();
        for array in &kernel.manifest.arrays {
            let mut memory = bind_one(model, array, now.clone()).map_err(CosimError::wrap(kernel.name()))?;
            if array.direction.is_input() {
                let elements = inputs.streams.get(&array.name).map(Vec::as_slice).unwrap_or(&[]);
                // TODO(issue 13, transactions): load each transaction's slice at its start
                // (the block master's `accepted` event) and collect after its `done`.
                if elements.len() > array.depth {
                    return Err(Error::Input {
                        kernel: kernel.name().to_owned(),
                        message: format!(
                            "input array `{}` has {} elements but its depth is {} ({} transactions' worth: cosim runs one transaction per call with arrays for now)",
                            array.name,
                            elements.len(),
                            array.depth,
                            elements.len() / array.depth
                        ),
                    });
                }
                memory.load(elements);
            }
            memories.push(memory);
            outputs.push(array.direction.is_output());
        }
        Ok(Arrays { memories, outputs })
    }

    /// Drives every array's read data.
    #[inline(always)]
    pub fn drive(&mut self) {
        for memory in &mut self.memories {
            memory.drive();
        }
    }

    /// Takes every array's requests at this edge; true if any port was enabled.
    #[inline(always)]
    pub fn sample(&mut self) -> bool {
        let mut any = false;
        for memory in &mut self.memories {
            any |= memory.sample();
        }
        any
    }

    /// The first out-of-range access, as `(array, message)` with its cycle.
    pub fn check(&self) -> Option<(String, String)> {
        let first = self.memories.iter().filter_map(ApMemory::violation).min_by_key(|v| v.cycle)?;
        Some((first.array.clone(), format!("ap_memory `{}`: {} (cycle {})", first.array, first.message, first.cycle)))
    }

    /// The `out` and `inout` arrays' contents after the call.
    pub fn outputs(&self, outputs: &mut Values) {
        for (memory, _) in self.memories.iter().zip(&self.outputs).filter(|(_, out)| **out) {
            outputs.streams.insert(memory.name().to_owned(), memory.contents().to_vec());
        }
    }
}

fn bind_one<'m>(
    model: &'m Model,
    array: &ArrayPort,
    now: CycleCounter,
) -> Result<ApMemory<'m>, codesign_sim::verilated::ModelError> {
    ApMemory::bind(
        model,
        &array.name,
        &array.rtl,
        array.element.bits(),
        array.depth,
        array.latency,
        array.direction.is_input(),
        array.direction.is_output(),
        now,
    )
}
