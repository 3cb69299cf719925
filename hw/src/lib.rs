//! codesign's kernel library: one folder per kernel under `hw/kernels/`, each with its four
//! faces — `kernel.yaml` (the [`Manifest`]), `hls/` (Vitis HLS C++), `rtl/` (RTL to the Vitis
//! export contract) and a golden model in `codesign-models`. A parametrised kernel is one
//! folder whose manifest names its parameter sets, each a kernel of its own.
//!
//! `build.rs` verilates every kernel at `cargo build`; [`KERNELS`] lists them with their
//! verilated models.

pub mod csim;
pub mod manifest;

use std::path::{Path, PathBuf};

pub use manifest::{Manifest, ManifestError};

/// The hw crate's folder (kernels, fixtures, the behavioural FP units of [`manifest::FP_UNITS`]).
pub fn hw_dir() -> &'static std::path::Path {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A kernel of this crate: its folder, manifest text and verilated model.
#[derive(Debug)]
pub struct KernelSource {
    /// Kernel name: its folder's name, or `<folder>_<set>` for one of a folder's parameter sets.
    pub name: &'static str,
    /// Absolute path of its folder at build time.
    pub dir: &'static str,
    /// `kernel.yaml`, embedded at build time.
    pub manifest_yaml: &'static str,
    /// The verilated RTL.
    pub model: &'static codesign_sim::verilated::VerilatedKernel,
    /// The C simulation of the HLS C++, when the manifest has a `csim` section and the
    /// ap_types headers were present at build time.
    pub csim: Option<CsimFn>,
}

/// A kernel's C-simulation entry point: input streams (pointers and lengths, manifest order),
/// output streams (buffers, lengths written, capacities), input scalars, output scalars, an
/// error buffer; returns 0, or 1 with a message (e.g. a read from an empty stream).
pub type CsimFn = unsafe extern "C" fn(
    *const *const u64,
    *const usize,
    *mut *mut u64,
    *mut usize,
    *const usize,
    *const u64,
    *mut u64,
    *mut core::ffi::c_char,
    usize,
) -> i32;

impl KernelSource {
    /// Parses the embedded manifest (this kernel's parameter set, when it has them).
    pub fn manifest(&self) -> Result<Manifest, ManifestError> {
        Manifest::parse_named(&self.manifest_path(), self.manifest_yaml, self.name)
    }

    /// Where the manifest came from, for messages.
    pub fn manifest_path(&self) -> PathBuf {
        Path::new(self.dir).join("kernel.yaml")
    }
}

/// The generated bindings: one module per RTL top (`ufunc_i32::MODEL`) and [`KERNELS`].
mod generated {
    #![allow(missing_docs)]
    use super::KernelSource;
    include!(concat!(env!("OUT_DIR"), "/kernels.rs"));
}

pub use generated::*;

/// The kernel named `name`.
pub fn kernel(name: &str) -> Option<&'static KernelSource> {
    KERNELS.iter().find(|k| k.name == name)
}

/// The fixture kernel named `name` (test-only kernels under `hw/fixtures/`).
pub fn fixture_kernel(name: &str) -> Option<&'static KernelSource> {
    FIXTURE_KERNELS.iter().find(|k| k.name == name)
}
