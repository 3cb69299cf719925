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
    /// Kernel name; equals its folder name under `hw/kernels/` (for a parameter set, the
    /// folder name and `_<set>`, see [`Manifest::parse_all`]).
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
    /// RTL files or globs (`rtl/*.v`), relative to the kernel folder. The top module is
    /// `top`, so order does not matter; a glob matching no file is an error.
    pub rtl: Vec<PathBuf>,
    // --- Issue 13, files (helper C): include folders and the Verilator escape hatch. ---
    /// Folders searched for `` `include``d files, relative to the kernel folder (default:
    /// every folder holding an RTL file).
    #[serde(default)]
    pub include_dirs: Vec<PathBuf>,
    /// Arguments appended to Verilator's command line after codesign's own: an escape hatch
    /// (`[-Wno-WIDTH, +define+SIM]`); they enter the model's cache key.
    #[serde(default)]
    pub verilator_args: Vec<String>,
    // --- end of issue 13, files. ---
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
    /// Compile-time HLS parameters (`STAGES: 4`): `-G<NAME>=<v>` on the verilated top,
    /// `#define <NAME> <v>` for C simulation, and scalars the golden model can read.
    #[serde(default)]
    pub parameters: BTreeMap<String, i64>,
    /// AXI4 master bundles (`m_axi`), one master port group each.
    #[serde(default)]
    pub memory: Vec<MemoryBundle>,
    /// Pointer arguments (`offset=slave`): buffers in simulated memory reached over a bundle,
    /// their 64-bit address in the s_axilite register map.
    #[serde(default)]
    pub buffers: Vec<BufferArg>,
    /// Arrays on `ap_memory` ports (`<rtl>_address0`, `_ce0`, `_we0`, `_d0`, `_q0`, and the
    /// `..1` ports of a second port when the RTL has them).
    #[serde(default)]
    pub arrays: Vec<ArrayPort>,
    /// Performance model.
    pub perf: Perf,
    /// Standard workloads that `codesign run` executes.
    #[serde(default)]
    pub workloads: Vec<Workload>,
    /// The hand-written C++ testbench used by `codesign bench-sim`.
    #[serde(default)]
    pub bench: Option<Bench>,
    /// The parameter set this kernel is, when its kernel.yaml has `parameter-sets:` (the
    /// kernel is then named `<name>_<set>`).
    #[serde(skip)]
    pub parameter_set: Option<String>,
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
    /// The s_axilite bundle holding the control register and arguments (`s_axi_control`);
    /// absent: bare block ports (`ap_start`, `ap_done`, `ap_idle`, `ap_ready`, and
    /// `ap_continue` for ap_ctrl_chain), or none at all for ap_ctrl_none.
    #[serde(default)]
    pub bundle: Option<String>,
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
    /// `axis` (default: `<rtl>_TDATA/_TVALID/_TREADY` and any side channels) or `ap_fifo`
    /// (`<rtl>_dout/_empty_n/_read` in, `<rtl>_din/_full_n/_write` out).
    #[serde(default)]
    pub protocol: StreamProtocol,
    /// Output axis streams: what TKEEP/TSTRB mean (`bytes`, the default, or `ignore` when the
    /// C++ never sets `keep`, so the RTL drives 0 on every beat).
    #[serde(default)]
    pub keep: KeepMode,
    /// Output streams of an ap_ctrl_none kernel: when a call's output is complete.
    #[serde(default)]
    pub end: Option<EndRule>,
}

/// How a stream's handshake is wired.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StreamProtocol {
    /// AXI4-Stream: `_TDATA`, `_TVALID`, `_TREADY`, optional side channels.
    #[default]
    Axis,
    /// HLS FIFO: `_dout`/`_empty_n`/`_read` (in), `_din`/`_full_n`/`_write` (out).
    ApFifo,
}

/// What an output stream's TKEEP/TSTRB mean.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum KeepMode {
    /// As the AXI4-Stream spec says: null bytes are not data.
    #[default]
    Bytes,
    /// Meaningless (the C++ never assigns `keep`): every beat's TDATA is taken whole.
    Ignore,
}

/// When an output of a free-running (ap_ctrl_none) kernel has produced a call's worth.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "EndRuleText")]
pub enum EndRule {
    /// The packet closed (a beat with TLAST).
    Tlast,
    /// Exactly this many elements.
    Count(usize),
    /// As many elements as input stream `input` carried in the call, times
    /// `numerator / denominator` (exact).
    SameAs {
        /// The input stream.
        input: String,
        /// Ratio numerator.
        numerator: usize,
        /// Ratio denominator.
        denominator: usize,
    },
    /// This many cycles without an output beat after the last input beat was taken.
    Idle(u64),
}

/// `end` as written: the word `tlast` or a map (serde_yaml reads enums only from tags).
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
enum EndRuleText {
    Word(String),
    Keys(EndRuleKeys),
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct EndRuleKeys {
    count: Option<usize>,
    same_as: Option<String>,
    ratio: Option<[usize; 2]>,
    idle: Option<u64>,
}

impl TryFrom<EndRuleText> for EndRule {
    type Error = String;

    fn try_from(text: EndRuleText) -> Result<Self, String> {
        const FORMS: &str = "`tlast`, `{ count: N }`, `{ same-as: <input>, ratio: [n, d] }` or `{ idle: K }`";
        match text {
            EndRuleText::Word(word) if word == "tlast" => Ok(EndRule::Tlast),
            EndRuleText::Word(word) => Err(format!("end: `{word}` is not one of {FORMS}")),
            EndRuleText::Keys(EndRuleKeys { count: Some(n), same_as: None, ratio: None, idle: None }) => Ok(EndRule::Count(n)),
            EndRuleText::Keys(EndRuleKeys { count: None, same_as: Some(input), ratio, idle: None }) => {
                let [numerator, denominator] = ratio.unwrap_or([1, 1]);
                if numerator == 0 || denominator == 0 {
                    return Err("end: ratio terms must be at least 1".to_owned());
                }
                Ok(EndRule::SameAs { input, numerator, denominator })
            }
            EndRuleText::Keys(EndRuleKeys { count: None, same_as: None, ratio: None, idle: Some(k) }) if k > 0 => Ok(EndRule::Idle(k)),
            EndRuleText::Keys(_) => Err(format!("end: give exactly one of {FORMS}")),
        }
    }
}

/// An array argument on an `ap_memory` interface.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ArrayPort {
    /// Name in the HLS C++ signature; the array travels under this name in `Values.streams`
    /// (`depth` elements per transaction).
    pub name: String,
    /// RTL signal prefix (`x` -> `x_address0`).
    pub rtl: String,
    /// `in` (the kernel reads it), `out` (writes it) or `inout`.
    pub direction: BufferDirection,
    /// Element type (the width of `_q0`/`_d0`).
    pub element: ElementType,
    /// Elements in the array.
    pub depth: usize,
    /// Read latency in cycles from `ce0` to `q0`: 1 (default) or 2.
    #[serde(default = "one")]
    pub latency: u32,
    /// Meaning of the contents, for `codesign kernels`.
    #[serde(default)]
    pub description: String,
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
    /// Byte offset of the data word in the s_axilite register map; absent for an argument
    /// on its own ports (`protocol` then says which).
    #[serde(default)]
    pub offset: Option<u32>,
    /// Port-level protocol: `s_axilite` (implied by `offset`), `ap_none`, `ap_vld`,
    /// `ap_ack`, `ap_hs` or `ap_ovld`.
    #[serde(default)]
    pub protocol: Option<ScalarProtocol>,
    /// RTL port name of a bare argument (default: `name`).
    #[serde(default)]
    pub rtl: Option<String>,
    /// The s_axilite bundle of a register argument when block control is bare or absent
    /// (ap_ctrl_none: configuration registers, written before data flows; default:
    /// `control.bundle`).
    #[serde(default)]
    pub bundle: Option<String>,
    /// Element type, for printing and C simulation (default: unsigned of `width` bits).
    #[serde(default)]
    pub element: Option<ElementType>,
    /// 32 or 64 on s_axilite; 1..=64 on bare ports.
    pub width: u32,
    /// `in` (written by software before start, the default) or `out` (written by the kernel:
    /// data at `offset`, `<name>_ap_vld` in bit 0 of the word after the data, at
    /// `offset + width / 8`, clear on read), or `inout` (bare ports only: `<rtl>_i` in,
    /// `<rtl>_o` out).
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
    /// Both (bare ports: `<rtl>_i` in, `<rtl>_o` out, `ap_ovld` adds `<rtl>_o_ap_vld`).
    Inout,
}

impl ArgDirection {
    /// True when the caller supplies a value (`in`, `inout`).
    pub fn is_input(self) -> bool {
        matches!(self, ArgDirection::In | ArgDirection::Inout)
    }

    /// True when the kernel returns a value (`out`, `inout`).
    pub fn is_output(self) -> bool {
        matches!(self, ArgDirection::Out | ArgDirection::Inout)
    }
}

/// Port-level protocol of a scalar argument (names as HLS spells them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScalarProtocol {
    /// A register in the s_axilite map (`offset`).
    SAxilite,
    /// Data only: an input is taken when the transaction starts; an output is valid with
    /// ap_done.
    ApNone,
    /// Data plus `<rtl>_ap_vld` from the producer.
    ApVld,
    /// Data plus `<rtl>_ap_ack` from the consumer.
    ApAck,
    /// Both `_ap_vld` and `_ap_ack`.
    ApHs,
    /// Inout pointer: `<rtl>_i` in, `<rtl>_o` with `<rtl>_o_ap_vld` out.
    ApOvld,
}

impl ScalarProtocol {
    /// The HLS name (`ap_vld`).
    pub fn as_str(self) -> &'static str {
        match self {
            ScalarProtocol::SAxilite => "s_axilite",
            ScalarProtocol::ApNone => "ap_none",
            ScalarProtocol::ApVld => "ap_vld",
            ScalarProtocol::ApAck => "ap_ack",
            ScalarProtocol::ApHs => "ap_hs",
            ScalarProtocol::ApOvld => "ap_ovld",
        }
    }
}

impl ScalarArg {
    /// The offset of a register argument (s_axilite); `None` for a bare one.
    pub fn register(&self) -> Option<u32> {
        self.offset
    }

    /// Its port-level protocol.
    pub fn protocol(&self) -> ScalarProtocol {
        match (self.offset, self.protocol) {
            (Some(_), _) => ScalarProtocol::SAxilite,
            (None, Some(protocol)) => protocol,
            (None, None) => ScalarProtocol::ApNone,
        }
    }

    /// RTL port name of a bare argument.
    pub fn rtl(&self) -> &str {
        self.rtl.as_deref().unwrap_or(&self.name)
    }

    /// Its element type (unsigned of `width` bits unless given).
    pub fn element(&self) -> ElementType {
        self.element.unwrap_or(match self.width {
            0..=8 => ElementType::U8,
            9..=16 => ElementType::U16,
            17..=32 => ElementType::U32,
            _ => ElementType::U64,
        })
    }
}

/// One AXI4 master bundle (Vitis: `bundle=gmem0` -> ports `m_axi_gmem0_*`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct MemoryBundle {
    /// Bundle name in the HLS pragmas (`gmem0`).
    pub bundle: String,
    /// RTL signal prefix (`m_axi_gmem0`).
    pub rtl: String,
    /// Data width in bits: a power of two of 32..=1024.
    pub data_bits: u32,
}

/// Direction of a buffer, seen from the kernel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum BufferDirection {
    /// The kernel reads it.
    In,
    /// The kernel writes it.
    Out,
    /// The kernel reads and writes it.
    Inout,
}

impl BufferDirection {
    /// True when the caller supplies its contents (`in`, `inout`).
    pub fn is_input(self) -> bool {
        matches!(self, BufferDirection::In | BufferDirection::Inout)
    }

    /// True when the call returns its contents (`out`, `inout`).
    pub fn is_output(self) -> bool {
        matches!(self, BufferDirection::Out | BufferDirection::Inout)
    }
}

/// How many elements an `out` buffer holds.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "BufferLengthKeys")]
pub enum BufferLength {
    /// The value of this input argument (`{ arg: size }`).
    Arg(String),
    /// As many as this input buffer or stream (`{ same-as: a }`).
    SameAs(String),
    /// A fixed count (`{ elements: 4 }`).
    Elements(usize),
}

/// `length` as written: a map with exactly one of its keys (serde_yaml reads enums only
/// from YAML tags, so the map form is parsed here).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct BufferLengthKeys {
    arg: Option<String>,
    same_as: Option<String>,
    elements: Option<usize>,
}

impl TryFrom<BufferLengthKeys> for BufferLength {
    type Error = String;

    fn try_from(keys: BufferLengthKeys) -> Result<Self, String> {
        match keys {
            BufferLengthKeys { arg: Some(arg), same_as: None, elements: None } => Ok(BufferLength::Arg(arg)),
            BufferLengthKeys { arg: None, same_as: Some(other), elements: None } => Ok(BufferLength::SameAs(other)),
            BufferLengthKeys { arg: None, same_as: None, elements: Some(n) } => Ok(BufferLength::Elements(n)),
            _ => Err("give exactly one of `arg`, `same-as` and `elements`".to_owned()),
        }
    }
}

/// A pointer argument: a buffer in memory reached over an `m_axi` bundle, its base address
/// written to the control registers at `offset` (low word, high word, reserved word).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct BufferArg {
    /// Name in the HLS C++ signature; the buffer travels under this name in `Values.streams`.
    pub name: String,
    /// The `memory` bundle it is reached over.
    pub bundle: String,
    /// Byte offset of the pointer's low word in the control register map.
    pub offset: u32,
    /// `in`, `out` or `inout`.
    pub direction: BufferDirection,
    /// Element type.
    pub element: ElementType,
    /// Element count of an `out` buffer (input buffers take the length of their data).
    #[serde(default)]
    pub length: Option<BufferLength>,
    /// Meaning of the contents, for `codesign kernels`.
    #[serde(default)]
    pub description: String,
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
    /// What the input streams hold: `random` (default) or `edges`.
    #[serde(default)]
    pub values: WorkloadValues,
    /// Transactions per call of a block-level kernel with bare scalars or arrays (each takes
    /// its own scalar values and array contents).
    #[serde(default = "one_transaction")]
    pub transactions: usize,
}

fn one_transaction() -> usize {
    1
}

/// What a workload's input streams hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum WorkloadValues {
    /// Seeded random elements of every bit pattern (finite normals for floats).
    #[default]
    Random,
    /// The element type's edge values (0, ±1, MIN, MAX, MIN+1, MAX-1, the sign bit), the
    /// first input streams' elements running through every combination of them, so every
    /// pair of edge values meets in a two-input kernel.
    Edges,
}

/// The hand-written C++ testbench and the words it streams, so the Rust harness can stream
/// the same ones.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Bench {
    /// C++ files, relative to the kernel folder; they define `codesign_bench_<top>`.
    pub testbench: Vec<PathBuf>,
    /// The scalar argument the testbench takes, if the kernel has one.
    #[serde(default)]
    pub arg: Option<String>,
    /// Value of `arg`.
    #[serde(default)]
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

// --- Issue 13, files (helper C). ---
/// The behavioural binary32 units that an export's Floating-Point Operator IP is mapped to:
/// (file relative to the hw crate, module, latency in cycles), multiplier then adder/subtractor.
/// They are the library's own (`ufunc_f32`), so every kernel gets the same DAZ/FTZ semantics.
pub const FP_UNITS: [(&str, &str, u32); 2] = [
    ("kernels/ufunc_f32/rtl/ufunc_f32_fmul_32ns_32ns_32_3_max_dsp_1_ip.v", "ufunc_f32_fmul_32ns_32ns_32_3_max_dsp_1_ip", 1),
    ("kernels/ufunc_f32/rtl/ufunc_f32_faddfsub_32ns_32ns_32_4_full_dsp_1_ip.v", "ufunc_f32_faddfsub_32ns_32ns_32_4_full_dsp_1_ip", 2),
];
// --- end of issue 13, files. ---

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

/// serde_yaml's message without its ` at line L column C` (of text the user did not write).
fn without_location(error: &serde_yaml::Error) -> String {
    let message = error.to_string();
    match error.location() {
        Some(at) => message.replace(&format!(" at line {} column {}", at.line(), at.column()), ""),
        None => message,
    }
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

    /// Parses and validates the manifest text of one kernel; `path` names it in errors. A
    /// file with `parameter-sets:` defines several: see [`Manifest::parse_all`].
    pub fn parse(path: &Path, text: &str) -> Result<Manifest, ManifestError> {
        let mut all = Self::parse_all(path, text)?;
        if all.len() > 1 {
            let names: Vec<&str> = all.iter().map(|m| m.name.as_str()).collect();
            return Err(ManifestError::Invalid {
                path: path.to_owned(),
                message: format!(
                    "defines {} kernels, one per parameter set ({}), where one was expected",
                    all.len(),
                    names.join(", ")
                ),
            });
        }
        Ok(all.remove(0))
    }

    /// Reads and validates every kernel `path` defines (see [`Manifest::parse_all`]).
    pub fn load_all(path: &Path) -> Result<Vec<Manifest>, ManifestError> {
        let text = std::fs::read_to_string(path)
            .map_err(|source| ManifestError::Read { path: path.to_owned(), source })?;
        Self::parse_all(path, &text)
    }

    /// Every kernel the manifest text defines: itself, or one per entry of `parameter-sets:`.
    /// A parameter set is a kernel of its own, named `<name>_<set>`: the file's keys with the
    /// set's keys in place of the same keys (a key the set gives replaces the shared one
    /// whole). One folder then holds every configuration of a parametrised kernel.
    pub fn parse_all(path: &Path, text: &str) -> Result<Vec<Manifest>, ManifestError> {
        let parse_error = |key: String, message: String| ManifestError::Parse { path: path.to_owned(), key, message };
        let invalid = |message: String| ManifestError::Invalid { path: path.to_owned(), message };
        // Looked for first, leniently: a file without sets (or malformed YAML) is read with
        // its line and column, as it always was.
        let sets = serde_yaml::from_str::<serde_yaml::Mapping>(text)
            .ok()
            .and_then(|mut root| root.remove("parameter-sets").map(|sets| (root, sets)));
        let Some((root, sets)) = sets else {
            let manifest: Manifest = serde_path_to_error::deserialize(serde_yaml::Deserializer::from_str(text))
                .map_err(|e| parse_error(e.path().to_string(), yaml_error_message(&e)))?;
            manifest.validate().map_err(invalid)?;
            return Ok(vec![manifest]);
        };
        let serde_yaml::Value::Mapping(sets) = sets else {
            return Err(invalid("parameter-sets: a map of set names to the keys each set gives".into()));
        };
        if sets.is_empty() {
            return Err(invalid("parameter-sets: empty (leave the key out for a kernel of one configuration)".into()));
        }
        let base = root.get("name").and_then(serde_yaml::Value::as_str).unwrap_or_default().to_owned();
        let mut manifests = Vec::new();
        for (set, keys) in sets {
            let set = match set.as_str() {
                Some(s) if !s.is_empty() && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_') => s.to_owned(),
                Some(s) => return Err(invalid(format!("parameter-sets: set name `{s}` must be lower-case letters, digits and `_`"))),
                None => return Err(invalid("parameter-sets: set names are strings (`pe4_w16:`)".into())),
            };
            let serde_yaml::Value::Mapping(keys) = keys else {
                return Err(invalid(format!("parameter-sets: `{set}` must be a map of manifest keys")));
            };
            let mut merged = root.clone();
            for (key, value) in keys {
                if key.as_str() == Some("name") {
                    return Err(invalid(format!("parameter-sets: `{set}` may not rename the kernel (it is `{base}_{set}`)")));
                }
                merged.insert(key, value);
            }
            merged.insert("name".into(), format!("{base}_{set}").into());
            // Read back as text, as a file without sets is (one deserializer in the binary,
            // not a second one for YAML values); its line numbers are the merged text's, so
            // the error names the set and the key instead.
            let text = serde_yaml::to_string(&merged).map_err(|e| invalid(format!("parameter-sets: `{set}`: {e}")))?;
            let mut manifest: Manifest = serde_path_to_error::deserialize(serde_yaml::Deserializer::from_str(&text)).map_err(|e| {
                // serde_yaml's message starts with the key path already.
                parse_error(format!("parameter-sets.{set}.{}", e.path()), format!("parameter-sets.{set}: {}", without_location(e.inner())))
            })?;
            manifest.validate().map_err(|message| invalid(format!("parameter set `{set}`: {message}")))?;
            manifest.parameter_set = Some(set);
            manifests.push(manifest);
        }
        Ok(manifests)
    }

    /// The kernel called `name` among those the manifest text defines.
    pub fn parse_named(path: &Path, text: &str, name: &str) -> Result<Manifest, ManifestError> {
        let all = Self::parse_all(path, text)?;
        let names: Vec<String> = all.iter().map(|m| m.name.clone()).collect();
        all.into_iter().find(|m| m.name == name).ok_or_else(|| ManifestError::Invalid {
            path: path.to_owned(),
            message: format!("defines no kernel `{name}` (it defines {})", names.join(", ")),
        })
    }

    /// The folder name this kernel's manifest must sit in: its name, or for a parameter set
    /// the name before `_<set>`.
    pub fn folder_name(&self) -> &str {
        match &self.parameter_set {
            Some(set) => self.name.strip_suffix(set.as_str()).and_then(|n| n.strip_suffix('_')).unwrap_or(&self.name),
            None => &self.name,
        }
    }

    fn validate(&self) -> Result<(), String> {
        let mut names = std::collections::BTreeSet::new();
        let buffer_names = self.buffers.iter().map(|b| &b.name).chain(self.arrays.iter().map(|a| &a.name));
        for name in self.streams.iter().map(|s| &s.name).chain(self.args.iter().map(|a| &a.name)).chain(buffer_names) {
            if !names.insert(name) {
                return Err(format!("`{name}` is declared twice among streams, args, buffers and arrays"));
            }
        }
        self.validate_memory()?;
        self.validate_ports()?;
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
            let Some(offset) = a.register() else { continue };
            if a.width != 32 && a.width != 64 {
                return Err(format!("arg `{}`: width must be 32 or 64, not {}", a.name, a.width));
            }
            if offset < 0x10 || offset % 4 != 0 {
                return Err(format!(
                    "arg `{}`: offset {offset:#x} must be 4-byte aligned and >= 0x10 (0x00-0x0c are AP_CTRL, GIE, IER, ISR)",
                    a.name
                ));
            }
            // Data words plus the reserved (inputs) or `_ap_vld` (outputs) word after them.
            let end = offset + a.width / 8 + 4;
            if let Some((_, _, other)) = spans.iter().find(|(s, e, _)| offset < *e && *s < end) {
                return Err(format!("arg `{}` at {offset:#x} overlaps arg `{other}`", a.name));
            }
            spans.push((offset, end, &a.name));
        }
        for b in &self.buffers {
            if b.offset < 0x10 || b.offset % 4 != 0 {
                return Err(format!(
                    "buffers: `{}`: offset {:#x} must be 4-byte aligned and >= 0x10 (0x00-0x0c are AP_CTRL, GIE, IER, ISR)",
                    b.name, b.offset
                ));
            }
            // A 64-bit pointer: low word, high word, reserved word.
            let end = b.offset + 12;
            if let Some((_, _, other)) = spans.iter().find(|(s, e, _)| b.offset < *e && *s < end) {
                return Err(format!("buffers: `{}` at {:#x} overlaps `{other}`", b.name, b.offset));
            }
            spans.push((b.offset, end, &b.name));
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
                if !self.streams.iter().any(|s| &s.name == name)
                    && self.arg(name).is_none()
                    && self.buffer(name).is_none()
                    && self.array(name).is_none()
                {
                    return Err(format!("csim.args: `{name}` is neither a stream, an arg, a buffer nor an array"));
                }
            }
            let listed = |n: &String| csim.args.contains(n);
            let every = self.streams.iter().map(|s| &s.name).chain(self.args.iter().map(|a| &a.name));
            let every = every.chain(self.buffers.iter().map(|b| &b.name)).chain(self.arrays.iter().map(|a| &a.name));
            // `ap_return` is the C++ function's return value, not a parameter.
            if let Some(missing) = every.filter(|n| *n != "ap_return").find(|n| !listed(n)) {
                return Err(format!(
                    "csim.args: `{missing}` is missing (list every stream, arg, buffer and array in C++ order)"
                ));
            }
            if self.hls.is_empty() {
                return Err("csim needs the HLS C++ files in `hls`".into());
            }
        }
        if let Some(bench) = &self.bench {
            if let Some(arg) = bench.arg.as_deref().filter(|arg| self.arg(arg).is_none()) {
                return Err(format!("bench: unknown arg `{arg}` (args: {})", self.arg_names()));
            }
            for input in bench.inputs.keys() {
                if !self.streams.iter().any(|s| &s.name == input && s.direction == StreamDirection::In) {
                    return Err(format!("bench: `{input}` is not an input stream"));
                }
            }
        }
        Ok(())
    }

    /// Checks `parameters`, `memory` and `buffers` against each other and the args.
    fn validate_memory(&self) -> Result<(), String> {
        for name in self.parameters.keys() {
            let valid = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
            if !valid {
                return Err(format!("parameters: `{name}` is not a Verilog/C identifier"));
            }
            if self.arg(name).is_some() || self.buffer(name).is_some() || self.streams.iter().any(|s| &s.name == name) {
                return Err(format!("parameters: `{name}` clashes with a stream, arg or buffer of that name"));
            }
        }
        let mut bundles = std::collections::BTreeSet::new();
        for m in &self.memory {
            if !bundles.insert(&m.bundle) {
                return Err(format!("memory: bundle `{}` is declared twice", m.bundle));
            }
            if !m.data_bits.is_power_of_two() || !(32..=1024).contains(&m.data_bits) {
                return Err(format!("memory: bundle `{}`: data-bits {} must be a power of two of 32..=1024", m.bundle, m.data_bits));
            }
        }
        let bundle_names = || self.memory.iter().map(|m| m.bundle.as_str()).collect::<Vec<_>>().join(", ");
        for b in &self.buffers {
            let Some(bundle) = self.bundle(&b.bundle) else {
                return Err(format!("buffers: `{}`: unknown bundle `{}` (memory bundles: {})", b.name, b.bundle, bundle_names()));
            };
            if b.element.bits() > bundle.data_bits {
                return Err(format!("buffers: `{}`: {} elements are wider than bundle `{}` ({} bits)", b.name, b.element.as_str(), b.bundle, bundle.data_bits));
            }
            match (&b.length, b.direction) {
                (None, BufferDirection::Out) => {
                    return Err(format!("buffers: `{}`: an out buffer needs `length` ({{ arg: n }}, {{ same-as: a }} or {{ elements: n }})", b.name));
                }
                (Some(BufferLength::Arg(arg)), _)
                    if !self.args.iter().any(|a| &a.name == arg && a.direction == ArgDirection::In) =>
                {
                    return Err(format!("buffers: `{}`: length arg `{arg}` is not an input arg (args: {})", b.name, self.arg_names()));
                }
                (Some(BufferLength::SameAs(other)), _) => {
                    let input_buffer = self.buffer(other).is_some_and(|o| o.direction.is_input());
                    if other == &b.name || !(input_buffer || self.inputs().any(|s| &s.name == other)) {
                        return Err(format!("buffers: `{}`: same-as `{other}` must name another input buffer or stream", b.name));
                    }
                }
                (Some(BufferLength::Elements(0)), _) => {
                    return Err(format!("buffers: `{}`: length must be at least 1 element", b.name));
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// Checks block control, bare scalar ports, stream protocols and end rules, and arrays
    /// against each other.
    fn validate_ports(&self) -> Result<(), String> {
        let free_running = self.control.protocol == BlockProtocol::ApCtrlNone;
        match &self.control.bundle {
            Some(bundle) if bundle.is_empty() => {
                return Err("control.bundle: empty; omit it for bare block ports (ap_start, ap_done, ...)".into());
            }
            Some(bundle) if free_running => {
                return Err(format!(
                    "control: ap_ctrl_none has no block control, so no bundle (`{bundle}`); register args name theirs (`bundle: {bundle}`)"
                ));
            }
            _ => {}
        }
        for a in &self.args {
            match (a.offset, a.protocol) {
                (Some(_), Some(p)) if p != ScalarProtocol::SAxilite => {
                    return Err(format!("arg `{}`: an `offset` means s_axilite, not {}", a.name, p.as_str()));
                }
                (None, None | Some(ScalarProtocol::SAxilite)) => {
                    return Err(format!(
                        "arg `{}`: give an `offset` (s_axilite) or a `protocol` (ap_none, ap_vld, ap_ack, ap_hs, ap_ovld)",
                        a.name
                    ));
                }
                (Some(_), None) if self.axilite_bundle().is_none() => {
                    return Err(format!(
                        "arg `{}`: a register argument needs an s_axilite bundle (`control.bundle` or the arg's `bundle`)",
                        a.name
                    ));
                }
                (None, Some(_)) if !(1..=64).contains(&a.width) => {
                    return Err(format!("arg `{}`: width must be 1..=64, not {}", a.name, a.width));
                }
                _ => {}
            }
            if a.bundle.as_deref() == Some("") {
                return Err(format!("arg `{}`: empty bundle", a.name));
            }
            if a.direction == ArgDirection::Inout && a.offset.is_some() {
                return Err(format!("arg `{}`: inout is for bare ports (`<rtl>_i`, `<rtl>_o`), not s_axilite", a.name));
            }
            if a.protocol() == ScalarProtocol::ApOvld && a.direction == ArgDirection::In {
                return Err(format!("arg `{}`: ap_ovld is an output protocol (direction out or inout)", a.name));
            }
        }
        let bundles: std::collections::BTreeSet<&str> =
            self.control.bundle.iter().chain(self.args.iter().filter_map(|a| a.bundle.as_ref())).map(String::as_str).collect();
        if bundles.len() > 1 {
            return Err(format!("s_axilite bundles {bundles:?}: one per kernel is supported"));
        }
        for s in &self.streams {
            if s.protocol == StreamProtocol::ApFifo && s.keep != KeepMode::Bytes {
                return Err(format!("stream `{}`: `keep` is for axis streams (ap_fifo has no TKEEP)", s.name));
            }
            if s.direction == StreamDirection::In && s.keep != KeepMode::Bytes {
                return Err(format!("stream `{}`: `keep` is for output streams", s.name));
            }
            match (&s.end, s.direction, free_running) {
                (None, StreamDirection::Out, true) => {
                    return Err(format!(
                        "stream `{}`: an output of an ap_ctrl_none kernel needs `end` (tlast, {{ count: N }},                          {{ same-as: <input> }} or {{ idle: K }}): nothing else says when a call is over",
                        s.name
                    ));
                }
                (Some(_), StreamDirection::In, _) => return Err(format!("stream `{}`: `end` is for output streams", s.name)),
                (Some(_), _, false) => {
                    return Err(format!(
                        "stream `{}`: `end` is for ap_ctrl_none kernels (ap_done ends a call of {})",
                        s.name,
                        self.control.protocol.as_str()
                    ));
                }
                (Some(EndRule::Tlast), _, _) if s.protocol == StreamProtocol::ApFifo => {
                    return Err(format!("stream `{}`: end: tlast on an ap_fifo stream (it has no TLAST)", s.name));
                }
                (Some(EndRule::SameAs { input, .. }), _, _) if !self.inputs().any(|i| &i.name == input) => {
                    return Err(format!("stream `{}`: end: same-as `{input}` must name an input stream", s.name));
                }
                _ => {}
            }
        }
        for a in &self.arrays {
            if a.depth == 0 {
                return Err(format!("arrays: `{}`: depth must be at least 1", a.name));
            }
            if a.latency != 1 && a.latency != 2 {
                return Err(format!("arrays: `{}`: latency must be 1 or 2, not {}", a.name, a.latency));
            }
        }
        // A free-running kernel takes configuration registers (written before data flows) and
        // plain ap_none ports; nothing that needs a transaction boundary.
        let free_running_args = if free_running { &self.args[..] } else { &[] };
        for a in free_running_args {
            if a.register().is_some() && a.direction.is_output() {
                return Err(format!(
                    "arg `{}`: an output register on an ap_ctrl_none kernel: no ap_done says when its value is final",
                    a.name
                ));
            }
            if a.register().is_none() && a.protocol() != ScalarProtocol::ApNone {
                return Err(format!(
                    "arg `{}`: {} on an ap_ctrl_none kernel: no transaction to carry the handshake (use s_axilite or ap_none)",
                    a.name,
                    a.protocol().as_str()
                ));
            }
        }
        for w in &self.workloads {
            if w.transactions == 0 {
                return Err(format!("workload `{}`: transactions must be at least 1", w.name));
            }
        }
        Ok(())
    }

    /// The s_axilite bundle holding register arguments, if any: `control.bundle`, else the
    /// `bundle` of a register argument.
    pub fn axilite_bundle(&self) -> Option<&str> {
        self.control.bundle.as_deref().or_else(|| self.args.iter().find_map(|a| a.bundle.as_deref()))
    }

    /// True when block control is on its own ports (no s_axilite AP_CTRL register).
    pub fn bare_control(&self) -> bool {
        self.control.bundle.is_none() && self.control.protocol != BlockProtocol::ApCtrlNone
    }

    /// The array (ap_memory argument) `name`.
    pub fn array(&self, name: &str) -> Option<&ArrayPort> {
        self.arrays.iter().find(|a| a.name == name)
    }

    /// The buffer (pointer argument) `name`.
    pub fn buffer(&self, name: &str) -> Option<&BufferArg> {
        self.buffers.iter().find(|b| b.name == name)
    }

    /// The memory bundle `name`.
    pub fn bundle(&self, name: &str) -> Option<&MemoryBundle> {
        self.memory.iter().find(|m| m.bundle == name)
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
    /// An input buffer counts as a stream with as many lanes as its bundle's data beat holds.
    pub fn interface_bound(&self, elements: usize) -> u64 {
        let buffer_lanes = self.buffers.iter().filter(|b| b.direction.is_input()).map(|b| {
            self.bundle(&b.bundle).map_or(1, |m| m.data_bits / b.element.bits())
        });
        let lanes = self.inputs().map(|s| s.lanes).chain(buffer_lanes).min().unwrap_or(1).max(1) as usize;
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

    const GEMM: &str = include_str!("../kernels/gemm/kernel.yaml");

    #[test]
    fn parameter_sets_are_kernels_of_their_own_over_shared_keys() {
        let all = Manifest::parse_all(Path::new("gemm/kernel.yaml"), GEMM).unwrap();
        let names: Vec<&str> = all.iter().map(|m| m.name.as_str()).collect();
        assert_eq!(names, ["gemm_pe4_w16", "gemm_pe8_w8"]);
        let (pe4, pe8) = (&all[0], &all[1]);
        assert_eq!((pe4.top.as_str(), pe8.top.as_str()), ("gemm_pe4_w16", "gemm_pe8_w8"));
        assert_eq!((pe4.parameters.get("GEMM_PES"), pe8.parameters.get("GEMM_PES")), (Some(&4), Some(&8)));
        assert_eq!((pe4.streams[0].element, pe8.streams[2].element), (ElementType::I16, ElementType::I32));
        assert_eq!((pe4.perf.ii, pe8.perf.ii), (17, 9));
        // Shared: the control bus, the arguments and the workloads.
        assert_eq!(pe4.args.iter().map(|a| &a.name).collect::<Vec<_>>(), pe8.args.iter().map(|a| &a.name).collect::<Vec<_>>());
        assert_eq!(pe4.workloads.len(), 3);
        assert_eq!(pe8.workloads.len(), 3);
        assert_eq!((pe4.folder_name(), pe4.parameter_set.as_deref()), ("gemm", Some("pe4_w16")));
        let plain = Manifest::parse(Path::new("k/kernel.yaml"), include_str!("../kernels/ufunc_i32/kernel.yaml")).unwrap();
        assert_eq!((plain.folder_name(), plain.parameter_set.as_deref()), ("ufunc_i32", None));
    }

    #[test]
    fn a_set_is_found_by_its_kernel_name_and_one_kernel_is_not_asked_of_a_file_with_two() {
        let path = Path::new("gemm/kernel.yaml");
        assert_eq!(Manifest::parse_named(path, GEMM, "gemm_pe8_w8").unwrap().top, "gemm_pe8_w8");
        let missing = Manifest::parse_named(path, GEMM, "gemm").unwrap_err().to_string();
        assert!(missing.contains("no kernel `gemm`") && missing.contains("gemm_pe4_w16, gemm_pe8_w8"), "{missing}");
        let one = Manifest::parse(path, GEMM).unwrap_err().to_string();
        assert!(one.contains("defines 2 kernels, one per parameter set (gemm_pe4_w16, gemm_pe8_w8)"), "{one}");
    }

    #[test]
    fn mistakes_in_parameter_sets_name_the_set() {
        let wrong_key = parse(&GEMM.replacen("      clock-mhz: 300", "      clock_mhz: 300", 1));
        assert!(wrong_key.contains("parameter-sets.pe4_w16: perf: unknown field `clock_mhz`"), "{wrong_key}");
        assert!(!wrong_key.contains(" line "), "no line of the merged text: {wrong_key}");
        let renamed = parse(&GEMM.replace("  pe8_w8:                   # kernel gemm_pe8_w8\n", "  pe8_w8:\n    name: other\n"));
        assert!(renamed.contains("`pe8_w8` may not rename the kernel (it is `gemm_pe8_w8`)"), "{renamed}");
        let bad_name = parse(&GEMM.replace("  pe8_w8:", "  PE8:"));
        assert!(bad_name.contains("set name `PE8` must be lower-case"), "{bad_name}");
        let inconsistent = parse(&GEMM.replacen("args: [a, b, c, m, n, k]", "args: [a, b, c, m, n]", 1));
        assert!(inconsistent.contains("parameter set `pe4_w16`:") && inconsistent.contains("csim"), "{inconsistent}");
        let empty = parse("name: k\nparameter-sets: {}\n");
        assert!(empty.contains("parameter-sets: empty"), "{empty}");
    }

    #[test]
    fn buffers_memory_and_parameters_parse() {
        let m = Manifest::parse(Path::new("k/kernel.yaml"), include_str!("../kernels/adders/kernel.yaml")).unwrap();
        assert_eq!(m.parameters.get("STAGES"), Some(&4));
        assert_eq!(m.memory[0].data_bits, 32);
        let out = m.buffer("out").unwrap();
        assert_eq!(out.direction, BufferDirection::Out);
        assert_eq!(out.length, Some(BufferLength::Arg("size".into())));
        let vadd = Manifest::parse(Path::new("k/kernel.yaml"), include_str!("../kernels/vadd_wide/kernel.yaml")).unwrap();
        // 512-bit beats of i32: 16 lanes per cycle.
        assert_eq!(vadd.interface_bound(1600), 100 + vadd.perf.latency);
    }

    #[test]
    fn buffer_mistakes_are_named() {
        let vadd = include_str!("../kernels/vadd_wide/kernel.yaml");
        let err = parse(&vadd.replace("bundle: gmem1, offset", "bundle: gmem9, offset"));
        assert!(err.contains("`b`: unknown bundle `gmem9` (memory bundles: gmem0, gmem1)"), "{err}");
        let err = parse(&vadd.replace("direction: out, element: i32, length: { arg: size }", "direction: out, element: i32"));
        assert!(err.contains("`c`: an out buffer needs `length`"), "{err}");
        let err = parse(&vadd.replace("offset: 0x1c", "offset: 0x14"));
        assert!(err.contains("`b` at 0x14 overlaps `a`"), "{err}");
        let err = parse(&vadd.replace("length: { arg: size }, description: \"a + b", "length: { arg: sizes }, description: \"a + b"));
        assert!(err.contains("length arg `sizes` is not an input arg"), "{err}");
        let err = parse(&vadd.replace("data-bits: 512 }\n  - { bundle: gmem1", "data-bits: 500 }\n  - { bundle: gmem1"));
        assert!(err.contains("data-bits 500"), "{err}");
        let err = parse(&vadd.replace("length: { arg: size }, description: \"a + b", "length: { words: 3 }, description: \"a + b"));
        assert!(err.contains("buffers[2].length") && err.contains("unknown field `words`"), "{err}");
        let err = parse(&vadd.replace("length: { arg: size }, description: \"a + b", "length: { arg: size, elements: 3 }, description: \"a + b"));
        assert!(err.contains("exactly one of"), "{err}");
    }

    /// A bare-port kernel in every new form of the schema (issue 13).
    const BARE: &str = r#"name: k
description: d
seed: s
top: k
rtl: [k.v]
clock: ap_clk
reset: { port: ap_rst, active: high }
control: { protocol: ap_ctrl_hs }
streams:
  - { name: i, rtl: i, protocol: ap_fifo, direction: in, element: i32 }
  - { name: o, rtl: o, direction: out, element: i32, keep: ignore }
args:
  - { name: rows, protocol: ap_none, width: 12 }
  - { name: y, rtl: y_r, protocol: ap_vld, width: 8, direction: out, element: i8 }
  - { name: acc, protocol: ap_ovld, width: 32, direction: inout }
arrays:
  - { name: x, rtl: x, direction: in, element: i16, depth: 64, latency: 2 }
perf: { ii: 1, latency: 4, clock-mhz: 250 }
workloads:
  - { name: w, elements: 8, transactions: 3 }
"#;

    #[test]
    fn bare_ports_parse() {
        let m = Manifest::parse(Path::new("k/kernel.yaml"), BARE).unwrap();
        assert!(m.bare_control() && m.axilite_bundle().is_none());
        assert_eq!(m.streams[0].protocol, StreamProtocol::ApFifo);
        assert_eq!(m.streams[1].keep, KeepMode::Ignore);
        let y = m.arg("y").unwrap();
        assert_eq!((y.protocol(), y.rtl(), y.element(), y.register()), (ScalarProtocol::ApVld, "y_r", ElementType::I8, None));
        assert_eq!(m.arg("rows").unwrap().element(), ElementType::U16);
        assert!(m.arg("acc").unwrap().direction.is_input() && m.arg("acc").unwrap().direction.is_output());
        assert_eq!(m.array("x").map(|a| (a.depth, a.latency)), Some((64, 2)));
        assert_eq!(m.workloads[0].transactions, 3);
    }

    #[test]
    fn free_running_outputs_need_an_end_rule() {
        let none = BARE.replace("{ protocol: ap_ctrl_hs }", "{ protocol: ap_ctrl_none }");
        let none = none.split("args:").next().unwrap().to_owned() + "perf: { ii: 1, latency: 4, clock-mhz: 250 }\n";
        assert!(parse(&none).contains("needs `end`"), "{}", parse(&none));
        for (end, expected) in [
            ("tlast", EndRule::Tlast),
            ("{ count: 64 }", EndRule::Count(64)),
            ("{ same-as: i, ratio: [1, 4] }", EndRule::SameAs { input: "i".into(), numerator: 1, denominator: 4 }),
            ("{ idle: 16 }", EndRule::Idle(16)),
        ] {
            let text = none.replace("keep: ignore }", &format!("keep: ignore, end: {end} }}"));
            let m = Manifest::parse(Path::new("k/kernel.yaml"), &text).unwrap();
            assert_eq!(m.streams[1].end, Some(expected));
        }
        let err = parse(&none.replace("keep: ignore }", "end: { same-as: o } }"));
        assert!(err.contains("must name an input stream"), "{err}");
        let err = parse(&BARE.replace("keep: ignore }", "end: tlast }"));
        assert!(err.contains("`end` is for ap_ctrl_none kernels"), "{err}");
    }

    #[test]
    fn free_running_kernels_take_input_registers_only() {
        let none = BARE.replace("{ protocol: ap_ctrl_hs }", "{ protocol: ap_ctrl_none }").replace("keep: ignore }", "end: tlast }");
        let (head, tail) = none.split_once("args:").unwrap();
        let tail = tail.split_once("arrays:").unwrap().1;
        let with_args = |args: &str| format!("{head}args:\n{args}arrays:{tail}");
        let gain = "  - { name: gain, offset: 0x10, width: 32, bundle: s_axi_control }\n";
        let m = Manifest::parse(Path::new("k/kernel.yaml"), &with_args(gain)).unwrap();
        assert_eq!((m.axilite_bundle(), m.bare_control()), (Some("s_axi_control"), false));
        let out = "  - { name: peak, offset: 0x18, width: 32, bundle: s_axi_control, direction: out }\n";
        let err = parse(&with_args(&format!("{gain}{out}")));
        assert!(err.contains("arg `peak`: an output register on an ap_ctrl_none kernel"), "{err}");
        let err = parse(&with_args("  - { name: rows, protocol: ap_vld, width: 12 }\n"));
        assert!(err.contains("arg `rows`: ap_vld on an ap_ctrl_none kernel: no transaction"), "{err}");
        assert!(Manifest::parse(Path::new("k/kernel.yaml"), &with_args("  - { name: rows, protocol: ap_none, width: 12 }\n")).is_ok());
        let err = parse(&with_args(gain).replace("{ protocol: ap_ctrl_none }", "{ protocol: ap_ctrl_none, bundle: s_axi_control }"));
        assert!(err.contains("register args name theirs"), "{err}");
    }

    #[test]
    fn bare_port_mistakes_are_named() {
        let err = parse(&BARE.replace("{ protocol: ap_ctrl_hs }", "{ protocol: ap_ctrl_hs, bundle: \"\" }"));
        assert!(err.contains("control.bundle: empty"), "{err}");
        let err = parse(&BARE.replace("{ name: rows, protocol: ap_none, width: 12 }", "{ name: rows, width: 12 }"));
        assert!(err.contains("give an `offset` (s_axilite) or a `protocol`"), "{err}");
        let err = parse(&BARE.replace("{ name: rows, protocol: ap_none, width: 12 }", "{ name: rows, offset: 0x10, width: 32 }"));
        assert!(err.contains("needs an s_axilite bundle"), "{err}");
        let err = parse(&BARE.replace("width: 12 }", "width: 65 }"));
        assert!(err.contains("width must be 1..=64"), "{err}");
        let err = parse(&BARE.replace("depth: 64, latency: 2", "depth: 64, latency: 3"));
        assert!(err.contains("latency must be 1 or 2"), "{err}");
        let err = parse(&BARE.replace("transactions: 3", "transactions: 0"));
        assert!(err.contains("transactions must be at least 1"), "{err}");
    }

    #[test]
    fn overlapping_argument_offsets_are_rejected() {
        let ufunc = include_str!("../kernels/ufunc_i32/kernel.yaml");
        let clash = ufunc.replace("args:\n", "args:\n  - { name: extra, offset: 0x14, width: 32 }\n");
        let err = parse(&clash);
        assert!(err.contains("overlaps arg"), "{err}");
    }
}
