//! Out-of-tree kernels verilated at run time (`--kernel-dir`). Not implemented yet: the
//! folder is checked, then the call fails with a clear message.

use std::path::Path;

use crate::{Error, Kernel};

/// Loads the kernel in `dir`.
pub fn load(dir: &Path) -> Result<Kernel, Error> {
    let manifest = codesign_hw::Manifest::load(&dir.join("kernel.yaml"))?;
    Err(Error::Unsupported {
        backend: "cosim".to_owned(),
        ability: format!("running the out-of-tree kernel `{}` (run-time verilation is not built yet)", manifest.name),
    })
}
