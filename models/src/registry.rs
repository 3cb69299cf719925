//! Kernel name -> golden model. Adding a kernel adds one line here.

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
];

/// The golden model of `kernel`, if there is one.
pub fn golden_model(kernel: &str) -> Option<GoldenFn> {
    GOLDEN_MODELS.iter().find(|(name, _)| *name == kernel).map(|(_, f)| *f)
}
