//! AXI4-Lite: the master that talks to an HLS kernel's `s_axi_control` slave.

pub mod hls;
mod master;

pub use master::{AxilMaster, AxilResponse};

use crate::verilated::{Bit, Direction, Model, ModelError, Signal};

/// The signals of one AXI4-Lite slave port (`<bundle>_AWVALID`, ...).
#[derive(Debug, Clone, Copy)]
pub struct AxilPorts<'m> {
    /// Write address channel.
    pub awvalid: Bit<'m>,
    /// Write address ready.
    pub awready: Bit<'m>,
    /// Write address.
    pub awaddr: Signal<'m>,
    /// Write data valid.
    pub wvalid: Bit<'m>,
    /// Write data ready.
    pub wready: Bit<'m>,
    /// Write data.
    pub wdata: Signal<'m>,
    /// Write byte strobes.
    pub wstrb: Signal<'m>,
    /// Write response valid.
    pub bvalid: Bit<'m>,
    /// Write response ready.
    pub bready: Bit<'m>,
    /// Write response.
    pub bresp: Signal<'m>,
    /// Read address valid.
    pub arvalid: Bit<'m>,
    /// Read address ready.
    pub arready: Bit<'m>,
    /// Read address.
    pub araddr: Signal<'m>,
    /// Read data valid.
    pub rvalid: Bit<'m>,
    /// Read data ready.
    pub rready: Bit<'m>,
    /// Read data.
    pub rdata: Signal<'m>,
    /// Read response.
    pub rresp: Signal<'m>,
}

impl<'m> AxilPorts<'m> {
    /// Binds every signal of bundle `prefix` (e.g. `s_axi_control`), checking directions and
    /// the 32-bit data width.
    pub fn bind(model: &'m Model, prefix: &str) -> Result<Self, ModelError> {
        let input = |s: &str, w: u32| model.port_checked(&format!("{prefix}_{s}"), Direction::Input, w);
        let output = |s: &str, w: u32| model.port_checked(&format!("{prefix}_{s}"), Direction::Output, w);
        let input_bit = |s: &str| model.bit(&format!("{prefix}_{s}"), Direction::Input);
        let output_bit = |s: &str| model.bit(&format!("{prefix}_{s}"), Direction::Output);
        let addr_width = model.port(&format!("{prefix}_AWADDR"))?.width();
        Ok(AxilPorts {
            awvalid: input_bit("AWVALID")?,
            awready: output_bit("AWREADY")?,
            awaddr: input("AWADDR", addr_width)?,
            wvalid: input_bit("WVALID")?,
            wready: output_bit("WREADY")?,
            wdata: input("WDATA", 32)?,
            wstrb: input("WSTRB", 4)?,
            bvalid: output_bit("BVALID")?,
            bready: input_bit("BREADY")?,
            bresp: output("BRESP", 2)?,
            arvalid: input_bit("ARVALID")?,
            arready: output_bit("ARREADY")?,
            araddr: input("ARADDR", addr_width)?,
            rvalid: output_bit("RVALID")?,
            rready: input_bit("RREADY")?,
            rdata: output("RDATA", 32)?,
            rresp: output("RRESP", 2)?,
        })
    }
}
