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
        }
    }
}

impl CosimConfig {
    pub(crate) fn validate(&self) -> Result<(), String> {
        if self.watchdog_cycles == 0 {
            return Err("watchdog-cycles must be at least 1".into());
        }
        if self.backpressure.inputs.always_paused() {
            return Err("backpressure.inputs never lets a beat through: sources would never send".into());
        }
        Ok(())
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
