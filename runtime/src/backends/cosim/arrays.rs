//! The kernel's `ap_memory` arrays in cosim: one block-RAM model per array, loaded with a
//! transaction's slice of the call's inputs (`depth` elements each) before it starts and read
//! back after it is done, as Vitis cosim replays one array image per transaction.

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
    /// The call's elements of each input array (empty for an `out` array).
    inputs: Vec<Vec<u64>>,
    /// Read back after the call (out and inout arrays).
    outputs: Vec<bool>,
    /// What each output array held after each transaction so far, concatenated.
    collected: Vec<Vec<u64>>,
}

impl<'m> Arrays<'m> {
    /// Binds every array of the manifest and loads transaction 0's slice of each input array
    /// ([`Kernel::transactions`] checked that each holds a whole number of depths); output
    /// arrays start zeroed.
    pub fn bind(model: &'m Model, kernel: &Kernel, inputs: &Values, now: CycleCounter) -> Result<Self, Error> {
        let mut arrays = Arrays { memories: Vec::new(), inputs: Vec::new(), outputs: Vec::new(), collected: Vec::new() };
        for array in &kernel.manifest.arrays {
            arrays.memories.push(bind_one(model, array, now.clone()).map_err(CosimError::wrap(kernel.name()))?);
            let elements = if array.direction.is_input() { inputs.streams.get(&array.name).cloned().unwrap_or_default() } else { Vec::new() };
            arrays.inputs.push(elements);
            arrays.outputs.push(array.direction.is_output());
            arrays.collected.push(Vec::new());
        }
        arrays.load(0);
        Ok(arrays)
    }

    /// Loads transaction `t`'s slice of every input array and zeroes every `out` array.
    pub fn load(&mut self, t: usize) {
        for (memory, elements) in self.memories.iter_mut().zip(&self.inputs) {
            let depth = memory.contents().len();
            let slice = elements.get(t * depth..(t + 1) * depth).unwrap_or(&[]);
            if slice.is_empty() {
                memory.load(&vec![0; depth]);
            } else {
                memory.load(slice);
            }
        }
    }

    /// Keeps what the output arrays hold now, after a transaction.
    pub fn collect(&mut self) {
        for ((memory, collected), _) in self.memories.iter().zip(&mut self.collected).zip(&self.outputs).filter(|(_, out)| **out) {
            collected.extend_from_slice(memory.contents());
        }
    }

    /// True when there is nothing to drive or sample.
    pub fn is_empty(&self) -> bool {
        self.memories.is_empty()
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

    /// The `out` and `inout` arrays' contents after each transaction, concatenated (after the
    /// only one when nothing was collected).
    pub fn outputs(&self, outputs: &mut Values) {
        for ((memory, collected), _) in self.memories.iter().zip(&self.collected).zip(&self.outputs).filter(|(_, out)| **out) {
            let contents = if collected.is_empty() { memory.contents().to_vec() } else { collected.clone() };
            outputs.streams.insert(memory.name().to_owned(), contents);
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
