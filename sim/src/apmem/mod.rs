//! HLS `ap_memory`: the block RAM a Vitis kernel expects outside itself for an array
//! argument. One [`ApMemory`] serves one array: port 0 (`<p>_address0`, `_ce0`, `_we0`,
//! `_d0`, `_q0`) and port 1 (`..1`) when the RTL has it. Reads have a fixed latency of 1 or 2
//! cycles from the edge at which `ce` was high; a read and a write at the same edge see the
//! old contents (read-first), as a Xilinx BRAM in its default mode.

mod port;

pub use port::MemoryPort;

use crate::verilated::{Model, ModelError};
use crate::{Agent, CycleCounter};

/// A broken rule on an array port, naming the array, the port, the address and the cycle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemoryViolation {
    /// Array name.
    pub array: String,
    /// Cycle at which it was seen.
    pub cycle: u64,
    /// What happened.
    pub message: String,
}

/// Reads and writes counted since the last reset of the counters.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MemoryStats {
    /// Cycles with `ce && !we` on any port.
    pub reads: u64,
    /// Cycles with `ce && we` on any port.
    pub writes: u64,
}

/// The memory behind one `ap_memory` array.
#[derive(Debug)]
pub struct ApMemory<'m> {
    name: String,
    ports: Vec<MemoryPort<'m>>,
    contents: Vec<u64>,
    element_bits: u32,
    latency: u32,
    now: CycleCounter,
    stats: MemoryStats,
    violation: Option<MemoryViolation>,
}

impl<'m> ApMemory<'m> {
    /// Binds `<prefix>_address0` ... and the `..1` ports when present. `reads`/`writes` say
    /// whether the kernel reads (needs `_q`) and writes (needs `_we`, `_d`) the array.
    #[allow(clippy::too_many_arguments)]
    pub fn bind(
        model: &'m Model,
        name: &str,
        prefix: &str,
        element_bits: u32,
        depth: usize,
        latency: u32,
        reads: bool,
        writes: bool,
        now: CycleCounter,
    ) -> Result<Self, ModelError> {
        let mut ports = vec![MemoryPort::bind(model, prefix, 0, element_bits, depth, reads, writes)?];
        if model.optional_port(&format!("{prefix}_address1")).is_some() {
            ports.push(MemoryPort::bind(model, prefix, 1, element_bits, depth, reads, writes)?);
        }
        Ok(ApMemory {
            name: name.to_owned(),
            ports,
            contents: vec![0; depth],
            element_bits,
            latency: latency.clamp(1, 2),
            now,
            stats: MemoryStats::default(),
            violation: None,
        })
    }

    /// The array's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Ports served (1 or 2).
    pub fn port_count(&self) -> usize {
        self.ports.len()
    }

    /// Replaces the contents (`elements` must hold exactly the depth; masked to the element).
    pub fn load(&mut self, elements: &[u64]) {
        let mask = mask(self.element_bits);
        self.contents.iter_mut().zip(elements).for_each(|(slot, &e)| *slot = e & mask);
    }

    /// The contents now.
    pub fn contents(&self) -> &[u64] {
        &self.contents
    }

    /// The first violation seen, if any.
    pub fn violation(&self) -> Option<&MemoryViolation> {
        self.violation.as_ref()
    }

    /// Reads and writes since the last [`ApMemory::reset_stats`].
    pub fn stats(&self) -> MemoryStats {
        self.stats
    }

    /// Starts counting anew.
    pub fn reset_stats(&mut self) {
        self.stats = MemoryStats::default();
    }

    #[cold]
    fn out_of_range(&mut self, port: usize, address: u64) {
        if self.violation.is_none() {
            let depth = self.contents.len();
            self.violation = Some(MemoryViolation {
                array: self.name.clone(),
                cycle: self.now.get(),
                message: format!(
                    "address {address} on port {port} is out of range: the array has {depth} elements (0..={})",
                    depth - 1
                ),
            });
        }
    }
}

fn mask(bits: u32) -> u64 {
    if bits >= 64 {
        u64::MAX
    } else {
        (1u64 << bits) - 1
    }
}

impl Agent for ApMemory<'_> {
    /// Puts each port's read data on `_q` once its latency has passed.
    #[inline(always)]
    fn drive(&mut self) {
        let latency = self.latency as usize;
        for port in &self.ports {
            port.drive(latency);
        }
    }

    /// Takes this edge's requests: reads first (the old contents), then writes.
    #[inline(always)]
    fn sample(&mut self) -> bool {
        let mut any = false;
        for index in 0..self.ports.len() {
            let request = self.ports[index].request();
            let read = match request {
                Some(r) if (r.address as usize) < self.contents.len() => {
                    any = true;
                    if r.write.is_some() {
                        self.stats.writes += 1;
                        None
                    } else {
                        self.stats.reads += 1;
                        Some(self.contents[r.address as usize])
                    }
                }
                Some(r) => {
                    self.out_of_range(index, r.address);
                    None
                }
                None => None,
            };
            self.ports[index].push_read(read);
        }
        for index in 0..self.ports.len() {
            if let Some(r) = self.ports[index].request() {
                if let (Some((data, byte_mask)), Some(slot)) = (r.write, self.contents.get_mut(r.address as usize)) {
                    *slot = (*slot & !byte_mask) | (data & byte_mask);
                }
            }
        }
        any
    }
}

#[cfg(test)]
mod tests {
    use super::mask;

    #[test]
    fn masks_cover_the_element() {
        assert_eq!(mask(8), 0xff);
        assert_eq!(mask(64), u64::MAX);
    }
}
