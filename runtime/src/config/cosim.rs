//! The `cosim:` section.

use serde::Deserialize;

/// Settings of the Verilator cosim backend.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct CosimConfig {
    /// A call that makes no transfer on any port for this many cycles is hung.
    #[serde(default = "default_watchdog")]
    pub watchdog_cycles: u64,
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

/// Seeded random pauses on the stream ports; 0 (the default) means full rate, which is what
/// cycle counts are measured with.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Backpressure {
    /// Percent of cycles each input stream's source idles (TVALID low), 0..=99.
    #[serde(default)]
    pub inputs: u8,
    /// Percent of cycles each output stream's sink withholds TREADY, 0..=100; 100 is a
    /// downstream that never accepts (to exercise the watchdog).
    #[serde(default)]
    pub outputs: u8,
    /// Seed of the pause patterns (each port adds its index).
    #[serde(default)]
    pub seed: u64,
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
        if self.backpressure.inputs > 99 {
            return Err(format!("backpressure.inputs must be 0..=99, not {}", self.backpressure.inputs));
        }
        if self.backpressure.outputs > 100 {
            return Err(format!("backpressure.outputs must be 0..=100, not {}", self.backpressure.outputs));
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
