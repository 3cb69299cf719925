//! The signals of one `m_axi` bundle, bound by their Vitis prefix (`m_axi_gmem_AWVALID`, ...).
//!
//! Directions are the model's: the kernel drives VALID and the payload of AW, W and AR and
//! READY of R and B; the slave drives the rest. Required: VALID, READY, ADDR and LEN of AW/AR;
//! VALID, READY, DATA, STRB and LAST of W; VALID, READY, DATA, LAST and RESP of R; VALID,
//! READY and RESP of B. Everything else may be absent: a missing SIZE means the full bus
//! width and a missing BURST means INCR (the AXI defaults); a missing ID reads as 0.

use crate::verilated::{Bit, Direction, Model, ModelError, Signal};

/// AW or AR: the address channel of writes or reads.
#[derive(Debug, Clone, Copy)]
pub struct AxiAddressPorts<'m> {
    /// `AxVALID` (kernel output).
    pub valid: Bit<'m>,
    /// `AxREADY` (kernel input).
    pub ready: Bit<'m>,
    /// `AxADDR`, up to 64 bits.
    pub addr: Signal<'m>,
    /// `AxLEN`: beats - 1, up to 8 bits.
    pub len: Signal<'m>,
    /// `AxSIZE`: log2 of the bytes per beat.
    pub size: Option<Signal<'m>>,
    /// `AxBURST`: 0 FIXED, 1 INCR, 2 WRAP.
    pub burst: Option<Signal<'m>>,
    /// `AxID`, up to 64 bits.
    pub id: Option<Signal<'m>>,
    /// `AxLOCK` (observed only).
    pub lock: Option<Signal<'m>>,
    /// `AxCACHE` (observed only).
    pub cache: Option<Signal<'m>>,
    /// `AxPROT` (observed only).
    pub prot: Option<Signal<'m>>,
    /// `AxQOS` (observed only).
    pub qos: Option<Signal<'m>>,
    /// `AxREGION` (observed only).
    pub region: Option<Signal<'m>>,
    /// `AxUSER` (observed only).
    pub user: Option<Signal<'m>>,
}

/// W: write data.
#[derive(Debug, Clone, Copy)]
pub struct AxiWPorts<'m> {
    /// `WVALID` (kernel output).
    pub valid: Bit<'m>,
    /// `WREADY` (kernel input).
    pub ready: Bit<'m>,
    /// `WDATA`, 32..=1024 bits.
    pub data: Signal<'m>,
    /// `WSTRB`, one bit per data byte.
    pub strb: Signal<'m>,
    /// `WLAST`.
    pub last: Bit<'m>,
    /// `WID` (AXI3 only; observed only).
    pub id: Option<Signal<'m>>,
    /// `WUSER` (observed only).
    pub user: Option<Signal<'m>>,
}

/// R: read data.
#[derive(Debug, Clone, Copy)]
pub struct AxiRPorts<'m> {
    /// `RVALID` (kernel input).
    pub valid: Bit<'m>,
    /// `RREADY` (kernel output).
    pub ready: Bit<'m>,
    /// `RDATA`, as wide as WDATA.
    pub data: Signal<'m>,
    /// `RLAST`.
    pub last: Bit<'m>,
    /// `RRESP`, 2 bits.
    pub resp: Signal<'m>,
    /// `RID`: the ARID of the burst.
    pub id: Option<Signal<'m>>,
    /// `RUSER`: driven 0.
    pub user: Option<Signal<'m>>,
}

/// B: write response.
#[derive(Debug, Clone, Copy)]
pub struct AxiBPorts<'m> {
    /// `BVALID` (kernel input).
    pub valid: Bit<'m>,
    /// `BREADY` (kernel output).
    pub ready: Bit<'m>,
    /// `BRESP`, 2 bits.
    pub resp: Signal<'m>,
    /// `BID`: the AWID of the burst.
    pub id: Option<Signal<'m>>,
    /// `BUSER`: driven 0.
    pub user: Option<Signal<'m>>,
}

/// Every signal of one `m_axi` bundle.
#[derive(Debug, Clone)]
pub struct AxiPorts<'m> {
    /// Bundle name for messages: the prefix without `m_axi_` (`gmem`).
    pub bundle: String,
    /// Write address.
    pub aw: AxiAddressPorts<'m>,
    /// Write data.
    pub w: AxiWPorts<'m>,
    /// Write response.
    pub b: AxiBPorts<'m>,
    /// Read address.
    pub ar: AxiAddressPorts<'m>,
    /// Read data.
    pub r: AxiRPorts<'m>,
}

/// Binds ports of one prefix, checking directions and widths.
struct Binder<'a, 'm> {
    model: &'m Model,
    prefix: &'a str,
}

impl<'m> Binder<'_, 'm> {
    fn name(&self, signal: &str) -> String {
        format!("{}_{signal}", self.prefix)
    }

    fn shape(&self, signal: &str, detail: String) -> ModelError {
        ModelError::PortShape { top: self.model.top(), port: self.name(signal), detail }
    }

    fn bit(&self, signal: &str, direction: Direction) -> Result<Bit<'m>, ModelError> {
        self.model.bit(&self.name(signal), direction)
    }

    /// A required port of `direction` whose width lies in `widths`.
    fn port(&self, signal: &str, direction: Direction, widths: (u32, u32)) -> Result<Signal<'m>, ModelError> {
        let port = self.model.port(&self.name(signal))?;
        let (min, max) = widths;
        if port.direction() != direction || port.width() < min || port.width() > max {
            let range = if min == max { format!("{min}") } else { format!("{min}..={max}") };
            return Err(self.shape(
                signal,
                format!(
                    "expected {direction:?} of {range} bit(s), found {:?} of {} bit(s)",
                    port.direction(),
                    port.width()
                ),
            ));
        }
        Ok(port)
    }

    fn optional(&self, signal: &str, direction: Direction, widths: (u32, u32)) -> Result<Option<Signal<'m>>, ModelError> {
        match self.model.optional_port(&self.name(signal)) {
            None => Ok(None),
            Some(_) => self.port(signal, direction, widths).map(Some),
        }
    }

    fn address(&self, channel: &str) -> Result<AxiAddressPorts<'m>, ModelError> {
        let out = Direction::Output;
        let s = |name: &str| format!("{channel}{name}");
        Ok(AxiAddressPorts {
            valid: self.bit(&s("VALID"), out)?,
            ready: self.bit(&s("READY"), Direction::Input)?,
            addr: self.port(&s("ADDR"), out, (1, 64))?,
            len: self.port(&s("LEN"), out, (1, 8))?,
            size: self.optional(&s("SIZE"), out, (3, 3))?,
            burst: self.optional(&s("BURST"), out, (2, 2))?,
            id: self.optional(&s("ID"), out, (1, 64))?,
            lock: self.optional(&s("LOCK"), out, (1, 2))?,
            cache: self.optional(&s("CACHE"), out, (4, 4))?,
            prot: self.optional(&s("PROT"), out, (3, 3))?,
            qos: self.optional(&s("QOS"), out, (4, 4))?,
            region: self.optional(&s("REGION"), out, (4, 4))?,
            user: self.optional(&s("USER"), out, (1, 4096))?,
        })
    }
}

impl<'m> AxiPorts<'m> {
    /// Binds every signal of the bundle with this prefix (e.g. `m_axi_gmem`). WDATA must be a
    /// power of two of 32..=1024 bits, RDATA as wide, WSTRB one bit per byte.
    pub fn bind(model: &'m Model, prefix: &str) -> Result<Self, ModelError> {
        let b = Binder { model, prefix };
        let (input, output) = (Direction::Input, Direction::Output);
        let wdata = b.port("WDATA", output, (32, 1024))?;
        let width = wdata.width();
        if !width.is_power_of_two() {
            return Err(b.shape("WDATA", format!("expected a power of two of 32..=1024 bits, found {width}")));
        }
        let w = AxiWPorts {
            valid: b.bit("WVALID", output)?,
            ready: b.bit("WREADY", input)?,
            data: wdata,
            strb: b.port("WSTRB", output, (width / 8, width / 8))?,
            last: b.bit("WLAST", output)?,
            id: b.optional("WID", output, (1, 64))?,
            user: b.optional("WUSER", output, (1, 4096))?,
        };
        let r = AxiRPorts {
            valid: b.bit("RVALID", input)?,
            ready: b.bit("RREADY", output)?,
            data: b.port("RDATA", input, (width, width))?,
            last: b.bit("RLAST", input)?,
            resp: b.port("RRESP", input, (2, 2))?,
            id: b.optional("RID", input, (1, 64))?,
            user: b.optional("RUSER", input, (1, 4096))?,
        };
        let b_ports = AxiBPorts {
            valid: b.bit("BVALID", input)?,
            ready: b.bit("BREADY", output)?,
            resp: b.port("BRESP", input, (2, 2))?,
            id: b.optional("BID", input, (1, 64))?,
            user: b.optional("BUSER", input, (1, 4096))?,
        };
        let bundle = prefix.strip_prefix("m_axi_").unwrap_or(prefix).to_owned();
        Ok(AxiPorts { bundle, aw: b.address("AW")?, w, b: b_ports, ar: b.address("AR")?, r })
    }

    /// Bytes per data beat (the bus width).
    pub fn bus_bytes(&self) -> u32 {
        self.w.data.width() / 8
    }

    /// VALID and READY of every channel as seen now, for hang reports.
    pub fn state(&self) -> String {
        format!(
            "{}: AW {}{} W {}{} B {}{} AR {}{} R {}{} (VALID READY)",
            self.bundle,
            self.aw.valid.get(),
            self.aw.ready.get(),
            self.w.valid.get(),
            self.w.ready.get(),
            self.b.valid.get(),
            self.b.ready.get(),
            self.ar.valid.get(),
            self.ar.ready.get(),
            self.r.valid.get(),
            self.r.ready.get()
        )
    }
}
