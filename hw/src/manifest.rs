//! `kernel.yaml`: what a kernel is, as the runtime and the build need to know it.
//!
//! Also compiled into `build.rs` (via `#[path]`), so the build and the runtime read the same
//! schema. Keys are kebab-case and unknown keys are errors.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

/// A kernel's manifest.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Manifest {
    /// Kernel name; equals its folder name under `hw/kernels/`.
    pub name: String,
    /// One sentence on what it computes.
    pub description: String,
    /// Where the kernel comes from (a seed project, a guide).
    pub seed: String,
    /// RTL top module.
    pub top: String,
    /// The golden model to check against, when it is another kernel's (an RTL variant of the
    /// same function); default: the kernel's own name.
    #[serde(default)]
    pub golden_model: Option<String>,
    /// RTL files, relative to the kernel folder, top first.
    pub rtl: Vec<PathBuf>,
    /// HLS C++ sources, relative to the kernel folder.
    #[serde(default)]
    pub hls: Vec<PathBuf>,
    /// How C simulation calls the HLS top function (absent: no csim for this kernel).
    #[serde(default)]
    pub csim: Option<Csim>,
    /// Clock port.
    pub clock: String,
    /// Reset port and polarity.
    pub reset: Reset,
    /// Block-level control protocol and where it lives.
    pub control: Control,
    /// AXI4-Stream ports.
    #[serde(default)]
    pub streams: Vec<StreamPort>,
    /// Scalar arguments in the s_axilite register map.
    #[serde(default)]
    pub args: Vec<ScalarArg>,
    /// Performance model.
    pub perf: Perf,
    /// Standard workloads that `codesign run` executes.
    #[serde(default)]
    pub workloads: Vec<Workload>,
    /// The hand-written C++ testbench used by `codesign bench-sim`.
    #[serde(default)]
    pub bench: Option<Bench>,
}

/// The HLS top function as C simulation calls it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Csim {
    /// The C++ function (`ufunc_i32`).
    pub top: String,
    /// Its parameters in order, each a stream or argument name of this manifest. Streams are
    /// `hls::stream<T>&`; scalars are passed by value (inputs) or by reference (outputs).
    pub args: Vec<String>,
}

/// Reset port.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Reset {
    /// Port name (`ap_rst_n` with AXI interfaces, `ap_rst` without).
    pub port: String,
    /// Active level.
    pub active: Level,
    /// Cycles to hold reset (newer exports register the reset internally).
    #[serde(default = "default_reset_cycles")]
    pub cycles: u32,
}

fn default_reset_cycles() -> u32 {
    8
}

/// Active level of a reset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Level {
    /// Active low (`ap_rst_n`).
    Low,
    /// Active high (`ap_rst`).
    High,
}

/// Block-level protocol.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Control {
    /// `ap_ctrl_hs`, `ap_ctrl_chain` or `ap_ctrl_none`.
    pub protocol: BlockProtocol,
    /// The s_axilite bundle holding the control register and arguments (`s_axi_control`).
    pub bundle: String,
}

/// HLS block-level protocols (variants named as HLS spells them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[allow(clippy::enum_variant_names)]
pub enum BlockProtocol {
    /// ap_start / ap_done / ap_idle / ap_ready.
    #[serde(rename = "ap_ctrl_hs")]
    ApCtrlHs,
    /// ap_ctrl_hs plus ap_continue.
    #[serde(rename = "ap_ctrl_chain")]
    ApCtrlChain,
    /// Free-running, no control.
    #[serde(rename = "ap_ctrl_none")]
    ApCtrlNone,
}

impl BlockProtocol {
    /// The HLS name (`ap_ctrl_hs`).
    pub fn as_str(self) -> &'static str {
        match self {
            BlockProtocol::ApCtrlHs => "ap_ctrl_hs",
            BlockProtocol::ApCtrlChain => "ap_ctrl_chain",
            BlockProtocol::ApCtrlNone => "ap_ctrl_none",
        }
    }
}

/// Direction of a stream, seen from the kernel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum StreamDirection {
    /// The kernel reads it.
    In,
    /// The kernel writes it.
    Out,
}

/// Element types a stream can carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ElementType {
    /// Signed 8-bit.
    I8,
    /// Signed 16-bit.
    I16,
    /// Signed 32-bit.
    I32,
    /// Signed 64-bit.
    I64,
    /// Unsigned 8-bit.
    U8,
    /// Unsigned 16-bit.
    U16,
    /// Unsigned 32-bit.
    U32,
    /// Unsigned 64-bit.
    U64,
    /// IEEE 754 binary32.
    F32,
}

impl ElementType {
    /// The manifest name (`i32`).
    pub fn as_str(self) -> &'static str {
        match self {
            ElementType::I8 => "i8",
            ElementType::I16 => "i16",
            ElementType::I32 => "i32",
            ElementType::I64 => "i64",
            ElementType::U8 => "u8",
            ElementType::U16 => "u16",
            ElementType::U32 => "u32",
            ElementType::U64 => "u64",
            ElementType::F32 => "f32",
        }
    }

    /// Width in bits.
    pub fn bits(self) -> u32 {
        match self {
            ElementType::I8 | ElementType::U8 => 8,
            ElementType::I16 | ElementType::U16 => 16,
            ElementType::I32 | ElementType::U32 | ElementType::F32 => 32,
            ElementType::I64 | ElementType::U64 => 64,
        }
    }
}

/// One AXI4-Stream port.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct StreamPort {
    /// Name in the HLS C++ signature (`out`).
    pub name: String,
    /// RTL signal prefix (`out_r`: Vitis renames reserved words).
    pub rtl: String,
    /// Direction.
    pub direction: StreamDirection,
    /// Element type.
    pub element: ElementType,
    /// Elements per beat.
    #[serde(default = "one")]
    pub lanes: u32,
    /// Input streams only: this stream must carry as many elements as the named one (the
    /// kernel reads them in lockstep; extra beats would sit in a register slice and leak
    /// into the next call).
    #[serde(default)]
    pub same_length_as: Option<String>,
}

fn one() -> u32 {
    1
}

/// A scalar argument in the s_axilite register map.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ScalarArg {
    /// Name in the HLS C++ signature.
    pub name: String,
    /// Byte offset of the data word.
    pub offset: u32,
    /// 32 or 64.
    pub width: u32,
    /// `in` (written by software before start, the default) or `out` (written by the kernel:
    /// data at `offset`, `<name>_ap_vld` in bit 0 of the word after the data, at
    /// `offset + width / 8`, clear on read).
    #[serde(default)]
    pub direction: ArgDirection,
    /// Meaning of the values, for `codesign kernels`.
    #[serde(default)]
    pub description: String,
}

/// Direction of a scalar argument.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ArgDirection {
    /// Software writes it before `ap_start`.
    #[default]
    In,
    /// The kernel writes it; valid with `<name>_ap_vld`.
    Out,
}

/// The performance model: what the interfaces allow.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Perf {
    /// Initiation interval of the main loop, in cycles per beat.
    pub ii: u32,
    /// Fixed cycles per call beyond `ii * beats`: start, pipeline depth, register slices,
    /// done and interrupt.
    pub latency: u64,
    /// Target clock.
    pub clock_mhz: f64,
}

/// A standard workload for `codesign run`: seeded random inputs.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Workload {
    /// Case name.
    pub name: String,
    /// Elements per input stream.
    pub elements: usize,
    /// Scalar arguments.
    #[serde(default)]
    pub args: BTreeMap<String, u64>,
    /// Seed of the input data.
    #[serde(default)]
    pub seed: u64,
}

/// The hand-written C++ testbench and the words it streams, so the Rust harness can stream
/// the same ones.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Bench {
    /// C++ files, relative to the kernel folder; they define `codesign_bench_<top>`.
    pub testbench: Vec<PathBuf>,
    /// The scalar argument the testbench takes, and its value.
    pub arg: String,
    /// Value of `arg`.
    pub value: u32,
    /// Input stream -> word i is `(i * multiply) ^ xor` (32-bit wrapping).
    pub inputs: BTreeMap<String, WordPattern>,
}

/// Deterministic bench data: word `i` = `(i * multiply) ^ xor`, 32-bit wrapping.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct WordPattern {
    /// Multiplier.
    pub multiply: u32,
    /// Mask XORed in.
    pub xor: u32,
}

impl WordPattern {
    /// Word `i`.
    pub fn word(&self, i: u64) -> u32 {
        (i as u32).wrapping_mul(self.multiply) ^ self.xor
    }
}

/// `key.path: message at line L column C`: serde_yaml drops the location of some errors
/// (unknown fields) once they pass through serde_path_to_error, so it is added back here.
pub fn yaml_error_message(error: &serde_path_to_error::Error<serde_yaml::Error>) -> String {
    let inner = error.inner();
    // serde_path_to_error writes `?` when the YAML failed before any key was reached.
    let path = error.path().to_string();
    let mut message = if path == "?" { inner.to_string() } else { format!("{path}: {inner}") };
    if let Some(location) = inner.location() {
        if !message.contains(" line ") {
            message.push_str(&format!(" at line {} column {}", location.line(), location.column()));
        }
    }
    message
}

/// Why a manifest was rejected.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ManifestError {
    /// The file could not be read.
    #[error("{path}: {source}")]
    Read {
        /// Manifest path.
        path: PathBuf,
        /// OS error.
        source: std::io::Error,
    },
    /// Malformed YAML or a wrong key, with the key path and line/column.
    #[error("{path}: {message}")]
    Parse {
        /// Manifest path.
        path: PathBuf,
        /// Key path where it failed (`.` for the document).
        key: String,
        /// serde_yaml's message, which carries line and column.
        message: String,
    },
    /// Well-formed but inconsistent.
    #[error("{path}: {message}")]
    Invalid {
        /// Manifest path.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
}

impl Manifest {
    /// Reads and validates `path`.
    pub fn load(path: &Path) -> Result<Manifest, ManifestError> {
        let text = std::fs::read_to_string(path)
            .map_err(|source| ManifestError::Read { path: path.to_owned(), source })?;
        Self::parse(path, &text)
    }

    /// Parses and validates manifest text; `path` names it in errors.
    pub fn parse(path: &Path, text: &str) -> Result<Manifest, ManifestError> {
        let manifest: Manifest = serde_path_to_error::deserialize(serde_yaml::Deserializer::from_str(text))
            .map_err(|e| ManifestError::Parse {
                path: path.to_owned(),
                key: e.path().to_string(),
                message: yaml_error_message(&e),
            })?;
        manifest.validate().map_err(|message| ManifestError::Invalid { path: path.to_owned(), message })?;
        Ok(manifest)
    }

    fn validate(&self) -> Result<(), String> {
        let mut names = std::collections::BTreeSet::new();
        for name in self.streams.iter().map(|s| &s.name).chain(self.args.iter().map(|a| &a.name)) {
            if !names.insert(name) {
                return Err(format!("`{name}` is declared twice among streams and args"));
            }
        }
        if self.rtl.is_empty() {
            return Err("rtl: at least one RTL file is needed".into());
        }
        for s in &self.streams {
            if s.lanes == 0 {
                return Err(format!("stream `{}`: lanes must be at least 1", s.name));
            }
            if let Some(other) = &s.same_length_as {
                let is_input = |name: &str| self.inputs().any(|i| i.name == name);
                if !is_input(&s.name) || !is_input(other) || other == &s.name {
                    return Err(format!(
                        "stream `{}`: same-length-as `{other}` must name another input stream",
                        s.name
                    ));
                }
            }
        }
        let mut spans: Vec<(u32, u32, &str)> = Vec::new();
        for a in &self.args {
            if a.width != 32 && a.width != 64 {
                return Err(format!("arg `{}`: width must be 32 or 64, not {}", a.name, a.width));
            }
            if a.offset < 0x10 || a.offset % 4 != 0 {
                return Err(format!(
                    "arg `{}`: offset {:#x} must be 4-byte aligned and >= 0x10 (0x00-0x0c are AP_CTRL, GIE, IER, ISR)",
                    a.name, a.offset
                ));
            }
            // Data words plus the reserved (inputs) or `_ap_vld` (outputs) word after them.
            let end = a.offset + a.width / 8 + 4;
            if let Some((_, _, other)) = spans.iter().find(|(s, e, _)| a.offset < *e && *s < end) {
                return Err(format!("arg `{}` at {:#x} overlaps arg `{other}`", a.name, a.offset));
            }
            spans.push((a.offset, end, &a.name));
        }
        for w in &self.workloads {
            for arg in w.args.keys() {
                if self.arg(arg).is_none() {
                    return Err(format!("workload `{}`: unknown arg `{arg}` (args: {})", w.name, self.arg_names()));
                }
            }
        }
        if let Some(csim) = &self.csim {
            for name in &csim.args {
                if !self.streams.iter().any(|s| &s.name == name) && self.arg(name).is_none() {
                    return Err(format!("csim.args: `{name}` is neither a stream nor an arg"));
                }
            }
            let listed = |n: &String| csim.args.contains(n);
            if let Some(missing) = self.streams.iter().map(|s| &s.name).chain(self.args.iter().map(|a| &a.name)).find(|n| !listed(n)) {
                return Err(format!("csim.args: `{missing}` is missing (list every stream and arg in C++ order)"));
            }
            if self.hls.is_empty() {
                return Err("csim needs the HLS C++ files in `hls`".into());
            }
        }
        if let Some(bench) = &self.bench {
            if self.arg(&bench.arg).is_none() {
                return Err(format!("bench: unknown arg `{}` (args: {})", bench.arg, self.arg_names()));
            }
            for input in bench.inputs.keys() {
                if !self.streams.iter().any(|s| &s.name == input && s.direction == StreamDirection::In) {
                    return Err(format!("bench: `{input}` is not an input stream"));
                }
            }
        }
        Ok(())
    }

    fn arg_names(&self) -> String {
        self.args.iter().map(|a| a.name.as_str()).collect::<Vec<_>>().join(", ")
    }

    /// The scalar argument `name`.
    pub fn arg(&self, name: &str) -> Option<&ScalarArg> {
        self.args.iter().find(|a| a.name == name)
    }

    /// Input streams, in manifest order.
    pub fn inputs(&self) -> impl Iterator<Item = &StreamPort> {
        self.streams.iter().filter(|s| s.direction == StreamDirection::In)
    }

    /// Output streams, in manifest order.
    pub fn outputs(&self) -> impl Iterator<Item = &StreamPort> {
        self.streams.iter().filter(|s| s.direction == StreamDirection::Out)
    }

    /// Cycles the interfaces allow for a call on `elements` elements per stream:
    /// `ii * ceil(elements / lanes) + latency`, with the narrowest input's lanes.
    pub fn interface_bound(&self, elements: usize) -> u64 {
        let lanes = self.inputs().map(|s| s.lanes).min().unwrap_or(1).max(1) as usize;
        u64::from(self.perf.ii) * elements.div_ceil(lanes) as u64 + self.perf.latency
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> String {
        Manifest::parse(Path::new("k/kernel.yaml"), text).unwrap_err().to_string()
    }

    #[test]
    fn malformed_yaml_names_file_line_and_column_once() {
        let err = parse("name: x\ndescription: a: b\n");
        assert!(err.starts_with("k/kernel.yaml: ") && err.contains("line 2 column"), "{err}");
        assert!(!err.contains("?:"), "{err}");
    }

    #[test]
    fn a_wrong_key_is_named_by_its_path() {
        let ufunc = include_str!("../kernels/ufunc_i32/kernel.yaml");
        let err = parse(&ufunc.replace("clock-mhz: 300", "clock_mhz: 300"));
        assert!(err.contains("perf: unknown field `clock_mhz`") && err.contains("line"), "{err}");
    }

    #[test]
    fn overlapping_argument_offsets_are_rejected() {
        let ufunc = include_str!("../kernels/ufunc_i32/kernel.yaml");
        let clash = ufunc.replace("args:\n", "args:\n  - { name: extra, offset: 0x14, width: 32 }\n");
        let err = parse(&clash);
        assert!(err.contains("overlaps arg"), "{err}");
    }
}
