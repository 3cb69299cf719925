//! An example user project for codesign: a crate with its own Vitis-style kernel
//! (`kernels/scale_i32/`: `kernel.yaml` + RTL), verilated by its `build.rs` with
//! `codesign-verilate` and run through codesign's one `Backend` trait.
//!
//! ```no_run
//! use codesign::backends::cosim::Cosim;
//! use codesign::config::CosimConfig;
//! use codesign::Backend;
//! use codesign_models::Values;
//!
//! let kernel = codesign_example_user::scale_kernel()?;
//! let inputs = Values::new().with_i32s("in", &[1, -2, 3]).with_scalar("factor", 5);
//! let outcome = Cosim::new(CosimConfig::default()).call(&kernel, &inputs)?;
//! assert_eq!(outcome.outputs.i32s("out").ok(), Some(vec![5, -10, 15]));
//! # Ok::<(), codesign::Error>(())
//! ```

/// The generated bindings (`scale_i32::MODEL`) and [`SCALE_I32`].
mod generated {
    #![allow(missing_docs)]
    include!(concat!(env!("OUT_DIR"), "/kernels.rs"));
}

pub use generated::SCALE_I32;

/// The `scale_i32` kernel (out = in * factor, wrapping), ready for any backend that runs RTL.
pub fn scale_kernel() -> Result<codesign::Kernel, codesign::Error> {
    codesign::Kernel::from_source(&SCALE_I32)
}

/// The `factor` argument as the kernel's register holds it (an i32's bit pattern).
pub fn factor_arg(factor: i32) -> u64 {
    u64::from(factor as u32)
}
