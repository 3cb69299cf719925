//! Where the build keeps verilated models: cargo's target directory, found from OUT_DIR.

use std::path::{Path, PathBuf};

/// `<target>/codesign-verilated` for an OUT_DIR of the form
/// `<target>/[<triple>/]<profile>/build/<package>-<hash>/out`, shared by every profile.
pub fn shared_cache(out_dir: &Path) -> Option<PathBuf> {
    let mut above_build = out_dir.ancestors().skip_while(|dir| dir.file_name() != Some("build".as_ref()));
    above_build.nth(2).map(|target| target.join("codesign-verilated"))
}
