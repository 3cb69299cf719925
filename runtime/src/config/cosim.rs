//! The `cosim:` section.

use serde::Deserialize;

/// Settings of the Verilator cosim backend.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct CosimConfig {
    /// A call that makes no transfer on any port for this many cycles is hung.
    #[serde(default = "default_watchdog")]
    pub watchdog_cycles: u64,
    /// Waveform of every call: `none` (default), `vcd` or `fst`; `CODESIGN_TRACE` overrides.
    #[serde(default)]
    pub trace: TraceConfig,
    /// Initial value of uninitialised state.
    #[serde(default)]
    pub x_init: XInitConfig,
    /// Seed of `x-init: random`.
    #[serde(default = "default_seed")]
    pub seed: u32,
    /// Pauses on every stream port (sources idle, sinks not ready).
    #[serde(default)]
    pub backpressure: Backpressure,
    /// Timing of the memory behind every `m_axi` bundle.
    #[serde(default)]
    pub memory: MemoryTiming,
    /// Bounds of every call, besides the watchdog: a kernel that keeps moving data but never
    /// finishes is stopped too.
    #[serde(default)]
    pub budget: Budget,
    /// The second run of every standard workload (`codesign run`, the suite): seeded random
    /// back-pressure on every stream and m_axi channel, for protocol and data (cycle counts
    /// come from the first, full-rate run).
    #[serde(default)]
    pub stress: Stress,
}

/// `memory`: the simulated memory behind each `m_axi` bundle.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct MemoryTiming {
    /// Cycles from the AR handshake to the first R beat.
    #[serde(default = "one")]
    pub read_latency: u32,
    /// Cycles from the last W beat to the B response.
    #[serde(default = "one")]
    pub write_latency: u32,
    /// Percent of cycles each channel withholds its READY (AR, AW, W) or holds back a ready
    /// response (R, B): seeded random.
    #[serde(default)]
    pub pauses: u8,
    /// Seed of `pauses` (each bundle adds its index).
    #[serde(default)]
    pub seed: u64,
}

fn one() -> u32 {
    1
}

impl Default for MemoryTiming {
    fn default() -> Self {
        MemoryTiming { read_latency: 1, write_latency: 1, pauses: 0, seed: 0 }
    }
}

impl MemoryTiming {
    /// The AXI slave settings of bundle `index`.
    pub fn slave_config(&self, index: usize) -> codesign_sim::axi::AxiSlaveConfig {
        let config = codesign_sim::axi::AxiSlaveConfig {
            read_latency: self.read_latency,
            write_latency: self.write_latency,
            ..codesign_sim::axi::AxiSlaveConfig::default()
        };
        config.with_random_pauses(self.seed.wrapping_add(index as u64), self.pauses)
    }
}

/// `budget`: every call ends within `cycles` x its interface bound (plus `watchdog-cycles`
/// for register traffic and latency), and no output produces more than `output-beats` x the
/// call's input elements (at least `min-output-beats`). Past either the call fails, naming
/// which budget and the waveform.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Budget {
    /// Multiple of the manifest's interface bound.
    #[serde(default = "default_cycle_factor")]
    pub cycles: u64,
    /// Multiple of the call's input elements (the longest input stream or buffer).
    #[serde(default = "default_output_factor")]
    pub output_beats: u64,
    /// Beats every output may produce whatever the inputs.
    #[serde(default = "default_min_output_beats")]
    pub min_output_beats: u64,
}

fn default_cycle_factor() -> u64 {
    32
}

fn default_output_factor() -> u64 {
    16
}

fn default_min_output_beats() -> u64 {
    64 * 1024
}

impl Default for Budget {
    fn default() -> Self {
        Budget { cycles: default_cycle_factor(), output_beats: default_output_factor(), min_output_beats: default_min_output_beats() }
    }
}

/// One budget of a call, and how it was computed (named in its error).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limit {
    /// Cycles or beats.
    pub value: u64,
    /// The rule, with the config keys that set it.
    pub rule: String,
}

impl CosimConfig {
    /// The cycle budget of a call whose interface bound is `bound` cycles.
    pub fn cycle_budget(&self, bound: u64) -> Limit {
        let factor = self.budget.cycles;
        Limit {
            value: factor.saturating_mul(bound).saturating_add(self.watchdog_cycles),
            rule: format!("{factor} x interface bound {bound} + watchdog {} (cosim.budget.cycles)", self.watchdog_cycles),
        }
    }

    /// The beat budget of each output of a call on `elements` input elements.
    pub fn output_budget(&self, elements: usize) -> Limit {
        let budget = &self.budget;
        Limit {
            value: budget.min_output_beats.max(budget.output_beats.saturating_mul(elements as u64)),
            rule: format!(
                "the larger of {} x {elements} input elements and {} (cosim.budget.output-beats, min-output-beats)",
                budget.output_beats, budget.min_output_beats
            ),
        }
    }
}

/// `stress`: the back-pressure run. `streams: 0` and `memory: 0` turn it off.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Stress {
    /// Percent of cycles every source idles and every sink withholds TREADY.
    #[serde(default = "default_stress_percent")]
    pub streams: u8,
    /// Percent of cycles every m_axi channel withholds READY or holds a response back.
    #[serde(default = "default_stress_percent")]
    pub memory: u8,
    /// m_axi read and write latency, cycles.
    #[serde(default = "default_stress_latency")]
    pub latency: u32,
    /// Seed of every pattern (named in each failure, so it reproduces).
    #[serde(default = "default_stress_seed")]
    pub seed: u64,
}

fn default_stress_percent() -> u8 {
    30
}

fn default_stress_latency() -> u32 {
    8
}

fn default_stress_seed() -> u64 {
    1
}

impl Default for Stress {
    fn default() -> Self {
        Stress {
            streams: default_stress_percent(),
            memory: default_stress_percent(),
            latency: default_stress_latency(),
            seed: default_stress_seed(),
        }
    }
}

impl Stress {
    /// How the stress run is described in tables and failures (with the seed, to reproduce).
    pub fn describe(&self) -> String {
        format!(
            "back-pressure: streams and scalar handshakes {}%, m_axi {}% + latency {}, seed {}",
            self.streams, self.memory, self.latency, self.seed
        )
    }
}

/// `trace`: waveform format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TraceConfig {
    /// No waveform.
    #[default]
    None,
    /// Value change dump.
    Vcd,
    /// Fast signal trace (GTKWave's compressed format).
    Fst,
}

/// `x-init`: zeros, ones, or random from `seed`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum XInitConfig {
    /// All zeros.
    #[default]
    Zeros,
    /// All ones.
    Ones,
    /// Seeded random.
    Random,
}

/// Pauses on the stream ports; the default (0) is full rate, which is what cycle counts are
/// measured with. Each side takes a [`PauseProfile`].
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Backpressure {
    /// How each input stream's source idles (TVALID low).
    #[serde(default)]
    pub inputs: PauseProfile,
    /// How each output stream's sink withholds TREADY; `100` is a downstream that never
    /// accepts (to exercise the watchdog).
    #[serde(default)]
    pub outputs: PauseProfile,
    /// Seed of the random profiles (each port adds its index).
    #[serde(default)]
    pub seed: u64,
}

/// A pause profile, written as one of:
/// `30` (seeded random, percent of cycles), `{ duty: { active: 3, paused: 1 } }`,
/// `{ bursty: { active: 8, paused: 4 } }` (random run lengths with these means), or
/// `{ pattern: "0001" }` (repeated; `1` = paused).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PauseProfile {
    /// Seeded random, percent of cycles paused.
    Percent(u8),
    /// Fixed duty.
    Duty {
        /// Active cycles.
        active: u32,
        /// Paused cycles.
        paused: u32,
    },
    /// Random bursts.
    Bursty {
        /// Mean active run.
        active: u32,
        /// Mean paused run.
        paused: u32,
    },
    /// A repeated pattern, true = paused.
    Pattern(Vec<bool>),
}

impl Default for PauseProfile {
    fn default() -> Self {
        PauseProfile::Percent(0)
    }
}

impl From<u8> for PauseProfile {
    fn from(percent: u8) -> Self {
        PauseProfile::Percent(percent)
    }
}

const PROFILE_FORMS: &str =
    "a percent (0-100), { duty: { active: A, paused: P } }, { bursty: { active: A, paused: P } } or { pattern: \"0101\" }";

impl<'de> Deserialize<'de> for PauseProfile {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let value = serde_yaml::Value::deserialize(deserializer)?;
        let runs = |v: &serde_yaml::Value| -> Result<(u32, u32), D::Error> {
            let get = |k: &str| v.get(k).and_then(serde_yaml::Value::as_u64).and_then(|n| u32::try_from(n).ok());
            match (get("active"), get("paused"), v.as_mapping().map(|m| m.len())) {
                (Some(a), Some(p), Some(2)) => Ok((a, p)),
                _ => Err(D::Error::custom(format!("expected {{ active: A, paused: P }}; a profile is {PROFILE_FORMS}"))),
            }
        };
        if let Some(n) = value.as_u64() {
            return u8::try_from(n)
                .ok()
                .filter(|&p| p <= 100)
                .map(PauseProfile::Percent)
                .ok_or_else(|| D::Error::custom(format!("{n} is not a percent (0-100)")));
        }
        let single = value.as_mapping().filter(|m| m.len() == 1).and_then(|m| m.iter().next());
        match single.map(|(k, v)| (k.as_str(), v)) {
            Some((Some("duty"), v)) => runs(v).map(|(active, paused)| PauseProfile::Duty { active, paused }),
            Some((Some("bursty"), v)) => runs(v).map(|(active, paused)| PauseProfile::Bursty { active, paused }),
            Some((Some("pattern"), v)) => match v.as_str() {
                Some(p) if !p.is_empty() && p.chars().all(|c| c == '0' || c == '1') => {
                    Ok(PauseProfile::Pattern(p.chars().map(|c| c == '1').collect()))
                }
                _ => Err(D::Error::custom("pattern: expected a string of 0 (active) and 1 (paused)")),
            },
            _ => Err(D::Error::custom(format!("not a pause profile; a profile is {PROFILE_FORMS}"))),
        }
    }
}

impl PauseProfile {
    /// The per-cycle pattern for one port.
    pub fn pause(&self, seed: u64) -> codesign_sim::pause::Pause {
        use codesign_sim::pause::Pause;
        match self {
            PauseProfile::Percent(p) => Pause::random(seed, *p),
            PauseProfile::Duty { active, paused } => Pause::duty(*active, *paused),
            PauseProfile::Bursty { active, paused } => Pause::bursty(seed, *active, *paused),
            PauseProfile::Pattern(pattern) => Pause::pattern(pattern.clone()),
        }
    }

    /// True if the profile never lets anything through.
    fn always_paused(&self) -> bool {
        match self {
            PauseProfile::Percent(p) => *p >= 100,
            PauseProfile::Duty { active, paused } | PauseProfile::Bursty { active, paused } => *active == 0 && *paused > 0,
            PauseProfile::Pattern(p) => p.iter().all(|&b| b),
        }
    }
}

fn default_watchdog() -> u64 {
    10_000
}

fn default_seed() -> u32 {
    1
}

impl Default for CosimConfig {
    fn default() -> Self {
        CosimConfig {
            watchdog_cycles: default_watchdog(),
            trace: TraceConfig::default(),
            x_init: XInitConfig::default(),
            seed: default_seed(),
            backpressure: Backpressure::default(),
            memory: MemoryTiming::default(),
            budget: Budget::default(),
            stress: Stress::default(),
        }
    }
}

impl CosimConfig {
    pub(crate) fn validate(&self) -> Result<(), String> {
        if self.watchdog_cycles == 0 {
            return Err("watchdog-cycles must be at least 1".into());
        }
        if self.budget.cycles == 0 || self.budget.output_beats == 0 {
            return Err("budget: cycles and output-beats must be at least 1".into());
        }
        if self.stress.streams >= 100 || self.stress.memory >= 100 || self.memory.pauses >= 100 {
            return Err("stress.streams, stress.memory and memory.pauses are percents below 100 (100 never moves a beat)".into());
        }
        if self.backpressure.inputs.always_paused() {
            return Err("backpressure.inputs never lets a beat through: sources would never send".into());
        }
        Ok(())
    }

    /// This config as the stress run uses it (seeded random back-pressure on every stream and
    /// m_axi channel, longer memory latency), or `None` when `stress` is off.
    pub fn stressed(&self) -> Option<CosimConfig> {
        let stress = &self.stress;
        if stress.streams == 0 && stress.memory == 0 {
            return None;
        }
        let mut config = self.clone();
        config.backpressure = Backpressure {
            inputs: PauseProfile::Percent(stress.streams),
            outputs: PauseProfile::Percent(stress.streams),
            seed: stress.seed,
        };
        config.memory = MemoryTiming {
            read_latency: stress.latency.max(1),
            write_latency: stress.latency.max(1),
            pauses: stress.memory,
            seed: stress.seed,
        };
        Some(config)
    }

    /// The model variant a run with this config needs: traced when it records a waveform
    /// (`trace`), X-randomised when `x-init` is not zeros.
    pub fn variant(&self, trace: Option<codesign_sim::verilated::TraceFormat>) -> codesign_verilate::Variant {
        codesign_verilate::Variant { traced: trace.is_some(), x_random: self.x_init != XInitConfig::Zeros }
    }

    /// The Verilator X-initialisation this config asks for.
    pub fn x_init(&self) -> codesign_sim::verilated::XInit {
        use codesign_sim::verilated::XInit;
        match self.x_init {
            XInitConfig::Zeros => XInit::Zeros,
            XInitConfig::Ones => XInit::Ones,
            XInitConfig::Random => XInit::Random(self.seed),
        }
    }
}
