//! Golden CPU models: the bit-exact specification of every kernel, written for clarity.
//!
//! A kernel's golden model is a typed function (e.g. [`ufunc_i32::ufunc_i32`]) plus an adapter
//! of type [`GoldenFn`] that reads its inputs from [`Values`]. [`golden_model`] finds it by
//! kernel name. This crate knows nothing of simulation or of the runtime.

pub mod crop;
pub mod gemm;
pub mod adders;
pub mod bdt;
pub mod hls_chain_sum;
pub mod vitis_rom_lookup;
pub mod reduce_all;
mod registry;
pub mod stencil5;
pub mod ufunc_f32;
pub mod ufunc_i32;
pub mod vadd_wide;
mod values;

pub use registry::{golden_model, input_generator, GoldenFn, InputFn, GOLDEN_MODELS, INPUT_GENERATORS};
pub use values::{GoldenError, Values};
