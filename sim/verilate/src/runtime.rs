//! The Verilator runtime library: the runtime units the models need (`verilated`,
//! `verilated_threads`, `verilated_fst_c`, ...) plus codesign's trace support, compiled once
//! per build into one static library and cached across builds.

use std::collections::hash_map::DefaultHasher;
use std::collections::BTreeSet;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::{BuildError, Verilator};

/// Static library name of the runtime (without `lib` and `.a`).
pub(crate) const LIBRARY: &str = "codesign_verilated_runtime";

/// The runtime unit that writes FST files; it needs zlib at compile and link time.
const FST_UNIT: &str = "verilated_fst_c";

/// `codesign_trace_fst_to_vcd`, which the generated shims call to write a VCD (see the file).
const TRACE_SUPPORT: &str = include_str!("../cpp/codesign_trace.cpp");

/// The compiled runtime: where it is and which system libraries it links.
pub(crate) struct Runtime {
    /// Directory holding `lib<LIBRARY>.a`.
    pub dir: PathBuf,
    /// Dynamic libraries to link after it (`z` for FST).
    pub system_libs: Vec<&'static str>,
}

/// Compiles `units` (Verilator runtime stems) and the trace support into `out_dir`, unless
/// the cache key (`codegen_version`, Verilator, unit list, support source) is unchanged.
pub(crate) fn build(
    verilator: &Verilator,
    out_dir: &Path,
    units: &BTreeSet<&str>,
    codegen_version: u32,
) -> Result<Runtime, BuildError> {
    let fst = units.contains(FST_UNIT);
    // Builds sharing `out_dir` (a model cache used by several cargo profiles) take turns.
    std::fs::create_dir_all(out_dir).map_err(BuildError::io(out_dir))?;
    let lock_path = out_dir.join("verilated-runtime.lock");
    let lock = std::fs::File::create(&lock_path).map_err(BuildError::io(&lock_path))?;
    lock.lock().map_err(BuildError::io(&lock_path))?;
    let mut hasher = DefaultHasher::new();
    (codegen_version, &verilator.version_text, &verilator.root, units, TRACE_SUPPORT).hash(&mut hasher);
    let key = format!("{:016x}", hasher.finish());
    // One folder per unit set: traced and untraced builds sharing `out_dir` keep their own.
    let dir = out_dir.join(format!("verilated-runtime-{key}"));
    let stamp = dir.join("stamp");
    let cached = std::fs::read_to_string(&stamp).ok().as_deref() == Some(key.as_str())
        && dir.join(format!("lib{LIBRARY}.a")).is_file();
    if !cached {
        std::fs::create_dir_all(&dir).map_err(BuildError::io(&dir))?;
        let mut build = verilator.cpp_build(fst);
        build.out_dir(&dir);
        for unit in units {
            build.file(verilator.include_dir().join(format!("{unit}.cpp")));
        }
        if fst {
            let support = dir.join("codesign_trace.cpp");
            std::fs::write(&support, TRACE_SUPPORT).map_err(BuildError::io(&support))?;
            build.file(&support);
        }
        if let Err(source) = build.try_compile(LIBRARY) {
            if fst && !finds_zlib(build.get_compiler().path()) {
                return Err(BuildError::ZlibMissing);
            }
            return Err(BuildError::Compile { what: "the Verilator runtime".to_owned(), source });
        }
        std::fs::write(&stamp, &key).map_err(BuildError::io(&stamp))?;
    }
    Ok(Runtime { dir, system_libs: if fst { vec!["z"] } else { Vec::new() } })
}

/// True when the C++ compiler finds `<zlib.h>` (FST tracing needs it); asked only after the
/// runtime failed to compile, to say why.
fn finds_zlib(compiler: &Path) -> bool {
    let mut command = Command::new(compiler);
    command.args(["-x", "c++", "-E", "-o", "/dev/null", "-"]).stdin(std::process::Stdio::piped());
    command.stdout(std::process::Stdio::null()).stderr(std::process::Stdio::null());
    let Ok(mut child) = command.spawn() else { return false };
    if let Some(mut stdin) = child.stdin.take() {
        use std::io::Write;
        let _ = stdin.write_all(b"#include <zlib.h>\n");
    }
    child.wait().is_ok_and(|status| status.success())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compiler_finds_zlib_for_the_fst_writer() {
        assert!(finds_zlib(Path::new("c++")), "zlib.h missing: run ci/setup");
        assert!(!finds_zlib(Path::new("/nonexistent/c++")));
    }

    #[test]
    fn trace_support_converts_fst_to_vcd() {
        assert!(TRACE_SUPPORT.contains("extern \"C\" int codesign_trace_fst_to_vcd(const char* fst, const char* vcd)"));
    }
}
