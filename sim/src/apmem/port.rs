//! One port (`0` or `1`) of an `ap_memory` array: the kernel drives address, ce, we and d;
//! we drive q.

use crate::verilated::{Bit, Direction, Model, ModelError, Signal};

/// What the kernel asks of a port at this edge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Request {
    /// The element index.
    pub(super) address: u64,
    /// For a write: the data and the mask of the bits written (per-byte `we`).
    pub(super) write: Option<(u64, u64)>,
}

/// The signals of one port, and its read pipeline.
#[derive(Debug)]
pub struct MemoryPort<'m> {
    address: Signal<'m>,
    ce: Bit<'m>,
    /// `_we`: 1 bit, or one bit per byte of the element.
    we: Option<Signal<'m>>,
    d: Option<Signal<'m>>,
    q: Option<Signal<'m>>,
    element_bits: u32,
    /// Reads in flight: `[0]` taken at the last edge, `[1]` at the one before.
    pipeline: [Option<u64>; 2],
}

impl<'m> MemoryPort<'m> {
    /// Binds `<prefix>_address<n>`, `_ce<n>`, and `_we<n>`/`_d<n>` (when `writes`) and
    /// `_q<n>` (when `reads`); widths are checked against the element and the depth.
    pub fn bind(
        model: &'m Model,
        prefix: &str,
        n: u32,
        element_bits: u32,
        depth: usize,
        reads: bool,
        writes: bool,
    ) -> Result<Self, ModelError> {
        let name = |s: &str| format!("{prefix}_{s}{n}");
        let address = model.port(&name("address"))?;
        let needed = usize::BITS - depth.saturating_sub(1).leading_zeros();
        if address.width() < needed.max(1) {
            return Err(ModelError::PortShape {
                top: model.top(),
                port: name("address"),
                detail: format!("{} bit(s) cannot address {depth} elements", address.width()),
            });
        }
        let address = model.port_checked(&name("address"), Direction::Output, address.width())?;
        let ce = model.bit(&name("ce"), Direction::Output)?;
        let (we, d) = if writes {
            let we = model.port(&name("we"))?;
            let bytes = element_bits.div_ceil(8);
            if we.width() != 1 && we.width() != bytes {
                return Err(ModelError::PortShape {
                    top: model.top(),
                    port: name("we"),
                    detail: format!("expected 1 bit or {bytes} (one per byte), found {}", we.width()),
                });
            }
            let we = model.port_checked(&name("we"), Direction::Output, we.width())?;
            (Some(we), Some(model.port_checked(&name("d"), Direction::Output, element_bits)?))
        } else {
            (None, None)
        };
        let q = if reads { Some(model.port_checked(&name("q"), Direction::Input, element_bits)?) } else { None };
        Ok(MemoryPort { address, ce, we, d, q, element_bits, pipeline: [None; 2] })
    }

    /// The kernel's request at this edge, if `ce` is high.
    #[inline(always)]
    pub(super) fn request(&self) -> Option<Request> {
        if !self.ce.is_high() {
            return None;
        }
        let address = self.address.get();
        let write = match (self.we, self.d) {
            (Some(we), Some(d)) => {
                let enables = we.get();
                (enables != 0).then(|| (d.get(), self.write_mask(we.width(), enables)))
            }
            _ => None,
        };
        Some(Request { address, write })
    }

    fn write_mask(&self, we_bits: u32, enables: u64) -> u64 {
        let element = if self.element_bits >= 64 { u64::MAX } else { (1u64 << self.element_bits) - 1 };
        if we_bits == 1 {
            return element;
        }
        let bytes = (0..we_bits).filter(|b| enables >> b & 1 == 1).fold(0u64, |m, b| m | 0xffu64 << (8 * b));
        bytes & element
    }

    /// Records this edge's read (or none) into the pipeline.
    #[inline(always)]
    pub(super) fn push_read(&mut self, read: Option<u64>) {
        self.pipeline = [read, self.pipeline[0]];
    }

    /// Drives `_q` with the read that is `latency` edges old, if any (else `_q` holds).
    #[inline(always)]
    pub(super) fn drive(&self, latency: usize) {
        if let (Some(q), Some(value)) = (self.q, self.pipeline[latency - 1]) {
            q.set(value);
        }
    }
}
