//! Kernel name -> golden model. Adding a kernel adds one line here.

use std::collections::BTreeMap;

use crate::{GoldenError, Values};

/// A golden model: the kernel's inputs (streams and scalar arguments) to its outputs.
pub type GoldenFn = fn(&Values) -> Result<Values, GoldenError>;

/// Every golden model, by kernel name.
pub static GOLDEN_MODELS: &[(&str, GoldenFn)] = &[
    ("ufunc_i32", crate::ufunc_i32::golden),
    ("ufunc_f32", crate::ufunc_f32::golden),
    ("reduce_all", crate::reduce_all::golden),
    ("stencil5_q8_8", crate::stencil5::golden_q8_8),
    ("stencil5_q16_16", crate::stencil5::golden_q16_16),
    ("crop", crate::crop::golden),
    ("gemm_pe4_w16", crate::gemm::golden_pe4_w16),
    ("gemm_pe8_w8", crate::gemm::golden_pe8_w8),
    ("vadd_wide", crate::vadd_wide::golden),
    ("adders", crate::adders::golden),
    ("bdt", crate::bdt::golden),
    // The ap_ctrl_chain test fixture under hw/fixtures/hls_chain_sum.
    ("hls_chain_sum", crate::hls_chain_sum::golden),
    // The $readmemh ROM fixture under hw/fixtures/vitis_rom_lookup (issue 13).
    ("vitis_rom_lookup", crate::vitis_rom_lookup::golden),
    // Fixtures that are library kernels behind a Vitis-style top (include file and deadlock
    // monitor; Floating-Point Operator IP wrappers): a folder named after them verifies.
    ("vitis_deadlock_monitor", crate::ufunc_i32::golden),
    ("vitis_fp_ip", crate::ufunc_f32::golden),
];

/// A kernel's structured inputs for a standard workload, for kernels whose inputs random words
/// cannot be (a packed model, a table): `(elements, seed, scalars)`, the scalars being the
/// workload's arguments and the manifest's parameters, to the input streams and buffers.
pub type InputFn = fn(usize, u64, &BTreeMap<String, u64>) -> Result<Values, GoldenError>;

/// Input generators of the kernels that need one; every other kernel's workloads are
/// seeded random elements.
pub static INPUT_GENERATORS: &[(&str, InputFn)] = &[("bdt", crate::bdt::example::workload_inputs)];

/// The input generator of `kernel`, if it has one.
pub fn input_generator(kernel: &str) -> Option<InputFn> {
    INPUT_GENERATORS.iter().find(|(name, _)| *name == kernel).map(|(_, f)| *f)
}

/// The golden model of `kernel`, if there is one.
pub fn golden_model(kernel: &str) -> Option<GoldenFn> {
    GOLDEN_MODELS.iter().find(|(name, _)| *name == kernel).map(|(_, f)| *f)
}
