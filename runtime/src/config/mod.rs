//! Run configuration: which backend, and how it runs. YAML, kebab-case keys, unknown keys
//! are errors that name the key path and the line and column.
//!
//! `CODESIGN_CONFIG=<file>` selects a config; without it the test suite runs every simulated
//! backend (the built-in copies of `configs/golden.yaml` and `configs/cosim.yaml`).

pub mod auto;
mod cosim;
pub mod device;

pub use auto::AutoConfig;
pub use device::{BoardSimConfig, XdmaConfig, XrtConfig, ZynqConfig};
pub use cosim::{Backpressure, Budget, CosimConfig, Limit, MemoryTiming, PauseProfile, Stress, TraceConfig, XInitConfig};

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::Error;

/// The environment variable that selects a config file.
pub const CONFIG_ENV: &str = "CODESIGN_CONFIG";

/// The built-in configs: the files in `configs/`, embedded at build time. The first is the
/// default of `codesign run`.
pub const BUILTIN: &[(&str, &str)] = &[
    ("cosim", include_str!("../../../configs/cosim.yaml")),
    ("golden", include_str!("../../../configs/golden.yaml")),
    ("csim", include_str!("../../../configs/csim.yaml")),
    ("board-sim", include_str!("../../../configs/board-sim.yaml")),
    ("xrt", include_str!("../../../configs/xrt-standin.yaml")),
];

/// A parsed config.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Config {
    /// Backend name (see [`crate::backends::BACKENDS`]).
    pub backend: String,
    /// Settings of the `cosim` backend.
    #[serde(default)]
    pub cosim: CosimConfig,
    /// Settings of the `auto` dispatcher.
    #[serde(default)]
    pub auto: AutoConfig,
    /// Settings of the `zynq` backend (device nodes of a PYNQ-style board).
    #[serde(default)]
    pub zynq: Option<ZynqConfig>,
    /// Settings of the `xdma` backend (a PCIe card).
    #[serde(default)]
    pub xdma: Option<XdmaConfig>,
    /// Settings of the `board-sim` backend.
    #[serde(default)]
    pub board_sim: BoardSimConfig,
    /// Settings of the `xrt` backend (the library to load, the xclbin, the wait).
    #[serde(default)]
    pub xrt: Option<XrtConfig>,
    /// The name cycle baselines are kept under, when not the file stem: a config that must
    /// keep another's cycle counts (X randomisation must not change them) names it.
    #[serde(default)]
    pub baselines: Option<String>,
    /// Where this config came from, for messages.
    #[serde(skip)]
    pub source_name: String,
}

impl Config {
    /// Parses config text; `source_name` names it in errors.
    pub fn parse(source_name: &str, text: &str) -> Result<Config, Error> {
        let mut config: Config = serde_path_to_error::deserialize(serde_yaml::Deserializer::from_str(text))
            .map_err(|e| Error::Config {
                source_name: source_name.to_owned(),
                message: codesign_hw::manifest::yaml_error_message(&e),
            })?;
        config.source_name = source_name.to_owned();
        config.cosim.validate().map_err(|message| Error::Config {
            source_name: source_name.to_owned(),
            message: format!("cosim: {message}"),
        })?;
        device::validate(config.zynq.as_ref(), config.xdma.as_ref(), &config.board_sim)
            .map_err(|message| Error::Config { source_name: source_name.to_owned(), message })?;
        for (backend, present) in [("zynq", config.zynq.is_some()), ("xdma", config.xdma.is_some())] {
            if config.backend == backend && !present {
                return Err(Error::Config {
                    source_name: source_name.to_owned(),
                    message: format!("backend `{backend}` needs a `{backend}:` section (see configs/README.md)"),
                });
            }
        }
        crate::backends::factory(&config.backend).map_err(|e| Error::Config {
            source_name: source_name.to_owned(),
            message: format!("backend: {e}"),
        })?;
        let dispatches = config.backend == "auto";
        if dispatches && (config.auto.accelerator == "auto" || crate::backends::factory(&config.auto.accelerator).is_err()) {
            return Err(Error::Config {
                source_name: source_name.to_owned(),
                message: format!(
                    "auto.accelerator: `{}` must name another backend ({})",
                    config.auto.accelerator,
                    crate::backends::BACKENDS.iter().map(|f| f.name).collect::<Vec<_>>().join(", ")
                ),
            });
        }
        Ok(config)
    }

    /// The config's short name, under which cycle baselines are kept: `baselines:`, else the
    /// file stem (`cosim` for configs/cosim.yaml).
    pub fn name(&self) -> String {
        if let Some(name) = &self.baselines {
            return name.clone();
        }
        let path = self.source_name.trim_end_matches(" (built in)");
        Path::new(path).file_stem().map_or_else(|| path.to_owned(), |s| s.to_string_lossy().into_owned())
    }

    /// The stress run's config (see [`CosimConfig::stressed`]) on the cycle-accurate backend
    /// (`cosim`, graphs included); `None` elsewhere or when `cosim.stress` is off.
    pub fn stressed(&self) -> Option<Config> {
        if self.backend != "cosim" {
            return None;
        }
        let cosim = self.cosim.stressed()?;
        Some(Config { cosim, ..self.clone() })
    }

    /// Reads a config file.
    pub fn load(path: &Path) -> Result<Config, Error> {
        let text = std::fs::read_to_string(path)
            .map_err(|source| Error::ConfigRead { path: path.to_owned(), source })?;
        Self::parse(&path.display().to_string(), &text)
    }

    /// A built-in config by name (`cosim`, `golden`).
    pub fn builtin(name: &str) -> Result<Config, Error> {
        let (_, text) = BUILTIN.iter().find(|(n, _)| *n == name).ok_or_else(|| Error::Config {
            source_name: format!("built-in `{name}`"),
            message: format!(
                "no such built-in config (built-in: {})",
                BUILTIN.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", ")
            ),
        })?;
        Self::parse(&format!("configs/{name}.yaml (built in)"), text)
    }

    /// The configs to run: the file named by `$CODESIGN_CONFIG`, or every built-in one.
    ///
    /// A relative path is tried as given and then from the root of the cargo workspace holding
    /// the current directory, so the same variable works from the root and from a crate
    /// directory (where nextest runs tests).
    pub fn selected() -> Result<Vec<Config>, Error> {
        match std::env::var_os(CONFIG_ENV) {
            Some(path) => Ok(vec![Self::load(&resolve(Path::new(&path)))?]),
            None => BUILTIN.iter().map(|(name, _)| Self::builtin(name)).collect(),
        }
    }
}

/// `path` as given, or from the workspace root when it is relative and not found here.
pub(crate) fn resolve(path: &Path) -> PathBuf {
    if path.is_relative() && !path.exists() {
        let root = std::env::current_dir().ok().and_then(|cwd| crate::output::workspace_of(&cwd));
        if let Some(from_root) = root.map(|r| r.join(path)).filter(|p| p.exists()) {
            return from_root;
        }
    }
    path.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_config_parses() {
        for (name, _) in BUILTIN {
            let config = Config::builtin(name).unwrap();
            assert_eq!(&config.backend, name);
        }
    }

    #[test]
    fn malformed_yaml_names_line_and_column() {
        let err = Config::parse("bad.yaml", "backend: cosim\ncosim:\n  watchdog-cycles: [1\n").unwrap_err().to_string();
        assert!(err.contains("bad.yaml") && err.contains("line") && err.contains("column"), "{err}");
    }

    #[test]
    fn unknown_key_names_its_path() {
        let err = Config::parse("c.yaml", "backend: cosim\ncosim:\n  watchdog: 5\n").unwrap_err().to_string();
        assert!(err.contains("cosim") && err.contains("unknown field `watchdog`"), "{err}");
        assert!(err.contains("line 3 column 3"), "{err}");
    }

    #[test]
    fn pause_profiles_parse_or_say_what_is_expected() {
        let parse = |p: &str| Config::parse("p.yaml", &format!("backend: cosim\ncosim:\n  backpressure:\n    outputs: {p}\n"));
        assert_eq!(parse("30").unwrap().cosim.backpressure.outputs, PauseProfile::Percent(30));
        assert_eq!(
            parse("{ duty: { active: 3, paused: 1 } }").unwrap().cosim.backpressure.outputs,
            PauseProfile::Duty { active: 3, paused: 1 }
        );
        assert_eq!(
            parse("{ pattern: \"01\" }").unwrap().cosim.backpressure.outputs,
            PauseProfile::Pattern(vec![false, true])
        );
        for bad in ["101", "{ duty: 3 }", "{ pattern: \"0x\" }", "{ wobbly: 1 }"] {
            let err = parse(bad).unwrap_err().to_string();
            assert!(err.contains("backpressure.outputs") && err.contains("line"), "{bad}: {err}");
        }
    }

    #[test]
    fn every_file_in_configs_parses() {
        let dir = crate::workspace_root().join("configs");
        let mut seen = 0;
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "yaml") {
                Config::load(&path).unwrap_or_else(|e| panic!("{e}"));
                seen += 1;
            }
        }
        assert!(seen >= 3, "only {seen} configs in {}", dir.display());
    }

    #[test]
    fn auto_cannot_dispatch_to_itself() {
        let err = Config::parse("a.yaml", "backend: auto\nauto:\n  accelerator: auto\n").unwrap_err().to_string();
        assert!(err.contains("auto.accelerator"), "{err}");
    }

    #[test]
    fn unknown_backend_lists_the_known_ones() {
        let err = Config::parse("c.yaml", "backend: fpga\n").unwrap_err().to_string();
        assert!(err.contains("unknown backend `fpga`") && err.contains("cosim") && err.contains("golden"), "{err}");
    }
}
