//! Memory timing presets for the kernel's `m_axi` ports on board-sim (config
//! `board-sim.memory`): the latencies and outstanding-burst limits the shared
//! [`AxiSlave`](codesign_sim::axi::AxiSlave) serves with, in kernel clock cycles.
//!
//! | preset | read | write | outstanding | where the numbers come from |
//! |---|---|---|---|---|
//! | `zynqmp-hpc-axi-proxy` | 72 | 47 | 8 / 8 | the AXI-proxy seed's measurement on a ZynqMP S_AXI_HPC port: a 64-byte line read 72 cycles, written 47 |
//! | `zynqmp-hp` | 56 | 38 | 8 / 8 | an estimate: the HP ports skip the CCI-400 snoop the HPC ports pay (UG1085, "PL-PS AXI interfaces"); not measured |
//! | `alveo-ddr` | 96 | 48 | 32 / 32 | an estimate for an Alveo DDR4 bank behind the SmartConnect at a 300 MHz kernel clock (PG150 DDR4 MIG read latency plus interconnect); not measured |
//! | `ideal` | 1 | 1 | 16 / 16 | what cosim serves: memory never stalls the kernel |
//!
//! The outstanding limits are assumptions (what an HLS m_axi adapter issues by default is
//! 16; the PS ports accept fewer), chosen so that a kernel that pipelines its bursts hides
//! most of the latency and one that does not pays it per burst.

use codesign_sim::axi::AxiSlaveConfig;

/// A named memory timing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MemoryPreset {
    /// The AXI-proxy measurement on a ZynqMP HPC port (read 72, write 47 cycles).
    #[default]
    ZynqmpHpcAxiProxy,
    /// A ZynqMP HP port (estimate).
    ZynqmpHp,
    /// An Alveo DDR4 bank (estimate).
    AlveoDdr,
    /// No memory stalls (as cosim).
    Ideal,
}

impl MemoryPreset {
    /// The config name.
    pub fn name(self) -> &'static str {
        match self {
            MemoryPreset::ZynqmpHpcAxiProxy => "zynqmp-hpc-axi-proxy",
            MemoryPreset::ZynqmpHp => "zynqmp-hp",
            MemoryPreset::AlveoDdr => "alveo-ddr",
            MemoryPreset::Ideal => "ideal",
        }
    }

    /// The slave timing it stands for.
    pub fn slave_config(self) -> AxiSlaveConfig {
        let (read_latency, write_latency, outstanding) = match self {
            MemoryPreset::ZynqmpHpcAxiProxy => (72, 47, 8),
            MemoryPreset::ZynqmpHp => (56, 38, 8),
            MemoryPreset::AlveoDdr => (96, 48, 32),
            MemoryPreset::Ideal => (1, 1, 16),
        };
        AxiSlaveConfig { read_latency, write_latency, max_reads: outstanding, max_writes: outstanding, ..AxiSlaveConfig::default() }
    }
}
