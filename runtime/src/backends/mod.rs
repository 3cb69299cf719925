//! The backends, one folder each. This file is the only place that maps names to them.

pub mod auto;
pub mod cosim;
pub mod csim;
pub mod golden;

use crate::{Backend, Config, Error};

/// How to open one backend.
#[derive(Debug)]
pub struct BackendFactory {
    /// The name configs use.
    pub name: &'static str,
    /// One line for `codesign kernels` and the README.
    pub description: &'static str,
    /// Opens the backend from a config.
    pub open: fn(&Config) -> Result<Box<dyn Backend>, Error>,
}

/// Every backend.
pub static BACKENDS: &[BackendFactory] = &[
    BackendFactory {
        name: "golden",
        description: "CPU golden models (codesign-models), bit-exact, no cycles",
        open: |_| Ok(Box::new(golden::Golden)),
    },
    BackendFactory {
        name: "csim",
        description: "HLS C simulation: the kernel's C++ against ap_types and codesign's hls::stream, no cycles",
        open: |_| Ok(Box::new(csim::Csim)),
    },
    BackendFactory {
        name: "cosim",
        description: "Verilator 5 cosimulation of the kernel's RTL, exact cycles",
        open: |config| Ok(Box::new(cosim::Cosim::new(config.cosim.clone()))),
    },
    BackendFactory {
        name: "auto",
        description: "per call, the golden model or the accelerator, by the crossover from `codesign sweep`",
        open: |config| Ok(Box::new(auto::Auto::open(config)?)),
    },
];

/// The factory called `name`; the error lists the known ones.
pub fn factory(name: &str) -> Result<&'static BackendFactory, Error> {
    BACKENDS.iter().find(|f| f.name == name).ok_or_else(|| Error::UnknownBackend {
        name: name.to_owned(),
        known: BACKENDS.iter().map(|f| f.name).collect::<Vec<_>>().join(", "),
    })
}

/// Opens the backend a config names.
pub fn open(config: &Config) -> Result<Box<dyn Backend>, Error> {
    (factory(&config.backend)?.open)(config)
}
