//! A verilated model or its ports do not fit the manifest (single-kernel cosim and the graph
//! system alike).

/// A verilated model that cannot be driven as its manifest says.
#[derive(Debug, thiserror::Error)]
#[error("kernel `{kernel}`: {source}")]
pub struct CosimError {
    /// Kernel name.
    pub kernel: String,
    /// What the model said (missing port, wrong width...).
    #[source]
    pub source: codesign_sim::verilated::ModelError,
}

impl CosimError {
    pub(crate) fn wrap(kernel: &str) -> impl FnOnce(codesign_sim::verilated::ModelError) -> crate::Error + '_ {
        move |source| crate::Error::Backend {
            backend: "cosim".to_owned(),
            source: Box::new(CosimError { kernel: kernel.to_owned(), source }),
        }
    }
}
