//! Burst geometry (AXI4 spec, A3.4): the address of every beat, the byte lanes it uses, the
//! bytes it touches, and the rules a burst must follow.

use std::ops::Range;

/// The burst type (AxBURST).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BurstKind {
    /// 0: every beat at the same address (FIFO-like peripherals).
    Fixed,
    /// 1: each beat at the next address (what Vitis HLS issues).
    Incr,
    /// 2: incrementing, wrapping at a boundary of `beats x size` bytes (cache lines).
    Wrap,
}

impl BurstKind {
    /// The kind for an AxBURST code; `None` for the reserved code 3.
    pub fn from_code(code: u64) -> Option<Self> {
        match code & 3 {
            0 => Some(BurstKind::Fixed),
            1 => Some(BurstKind::Incr),
            2 => Some(BurstKind::Wrap),
            _ => None,
        }
    }
}

/// One burst as its address channel described it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Burst {
    /// AxADDR: the first byte (may be unaligned to the size for FIXED and INCR).
    pub addr: u64,
    /// AxLEN + 1: beats, 1..=256.
    pub beats: u32,
    /// 2^AxSIZE: bytes per beat, 1..=128.
    pub size: u32,
    /// AxBURST.
    pub kind: BurstKind,
    /// AxID.
    pub id: u64,
}

/// Bytes of a 4 KiB page: no burst may cross a boundary between two.
pub const PAGE: u64 = 4096;

impl Burst {
    fn aligned(&self) -> u64 {
        self.addr & !(u64::from(self.size) - 1)
    }

    /// Bytes of a WRAP window.
    fn window(&self) -> u64 {
        u64::from(self.size) * u64::from(self.beats)
    }

    /// The address of beat `beat` (0-based). Beat 0 is AxADDR itself; later INCR beats are
    /// aligned to the size.
    pub fn beat_addr(&self, beat: u32) -> u64 {
        let step = u64::from(beat) * u64::from(self.size);
        match self.kind {
            BurstKind::Fixed => self.addr,
            BurstKind::Incr if beat == 0 => self.addr,
            BurstKind::Incr => self.aligned().wrapping_add(step),
            BurstKind::Wrap => {
                let window = self.window();
                let lower = self.addr & !(window - 1);
                lower + (self.addr - lower + step) % window
            }
        }
    }

    /// The byte lanes of a `bus_bytes`-wide data bus that beat `beat` uses. An unaligned
    /// first beat uses fewer lanes; a narrow burst moves through the lanes.
    pub fn lanes(&self, beat: u32, bus_bytes: u32) -> Range<usize> {
        let bus = u64::from(bus_bytes);
        let addr = self.beat_addr(beat);
        let aligned = addr & !(u64::from(self.size) - 1);
        let lo = (addr % bus) as usize;
        let hi = (aligned % bus) as usize + self.size as usize;
        lo..hi.min(bus_bytes as usize)
    }

    /// The first and last byte the burst touches; `None` if it runs past the top of the
    /// 64-bit address space.
    pub fn footprint(&self) -> Option<(u64, u64)> {
        let size = u64::from(self.size);
        match self.kind {
            BurstKind::Fixed => Some((self.addr, self.aligned().checked_add(size - 1)?)),
            BurstKind::Incr => {
                let span = u64::from(self.beats) * size;
                Some((self.addr, self.aligned().checked_add(span - 1)?))
            }
            BurstKind::Wrap => {
                let lower = self.addr & !(self.window() - 1);
                Some((lower, lower.checked_add(self.window() - 1)?))
            }
        }
    }

    /// The first 4 KiB boundary inside the burst, if it crosses one (AXI forbids it).
    pub fn crossed_page(&self) -> Option<u64> {
        let boundary = (self.addr | (PAGE - 1)).wrapping_add(1);
        match self.footprint() {
            Some((first, last)) if first / PAGE == last / PAGE => None,
            _ => Some(boundary),
        }
    }

    /// Checks the rules other than the 4 KiB one for a `bus_bytes`-wide bus; the error
    /// says which rule is broken.
    pub fn validate(&self, bus_bytes: u32) -> Result<(), String> {
        if self.size > bus_bytes {
            return Err(format!("AxSIZE of {} bytes is wider than the {bus_bytes}-byte data bus", self.size));
        }
        match self.kind {
            BurstKind::Fixed if self.beats > 16 => Err(format!("FIXED burst of {} beats (at most 16)", self.beats)),
            BurstKind::Wrap if !matches!(self.beats, 2 | 4 | 8 | 16) => {
                Err(format!("WRAP burst of {} beats (must be 2, 4, 8 or 16)", self.beats))
            }
            BurstKind::Wrap if self.addr & (u64::from(self.size) - 1) != 0 => {
                Err(format!("WRAP burst start not aligned to its {}-byte size", self.size))
            }
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn burst(addr: u64, beats: u32, size: u32, kind: BurstKind) -> Burst {
        Burst { addr, beats, size, kind, id: 0 }
    }

    #[test]
    fn incr_beats_align_after_an_unaligned_start() {
        let b = burst(0x1002, 3, 4, BurstKind::Incr);
        let addrs: Vec<u64> = (0..3).map(|i| b.beat_addr(i)).collect();
        assert_eq!(addrs, [0x1002, 0x1004, 0x1008]);
        assert_eq!(b.lanes(0, 4), 2..4);
        assert_eq!(b.lanes(1, 4), 0..4);
        assert_eq!(b.footprint(), Some((0x1002, 0x100b)));
        // A narrow burst walks through the lanes of a wider bus.
        let narrow = burst(0x2001, 4, 1, BurstKind::Incr);
        let lanes: Vec<_> = (0..4).map(|i| narrow.lanes(i, 4)).collect();
        assert_eq!(lanes, [1..2, 2..3, 3..4, 0..1]);
    }

    #[test]
    fn wrap_and_fixed_addresses() {
        let w = burst(0x38, 4, 8, BurstKind::Wrap);
        let addrs: Vec<u64> = (0..4).map(|i| w.beat_addr(i)).collect();
        assert_eq!(addrs, [0x38, 0x20, 0x28, 0x30]);
        assert_eq!(w.footprint(), Some((0x20, 0x3f)));
        let f = burst(0x40, 5, 4, BurstKind::Fixed);
        assert!((0..5).all(|i| f.beat_addr(i) == 0x40));
        assert_eq!(f.footprint(), Some((0x40, 0x43)));
    }

    #[test]
    fn four_kib_crossing_and_rules() {
        assert_eq!(burst(0xff0, 4, 4, BurstKind::Incr).crossed_page(), None);
        assert_eq!(burst(0xff0, 5, 4, BurstKind::Incr).crossed_page(), Some(0x1000));
        assert_eq!(burst(u64::MAX - 3, 2, 4, BurstKind::Incr).crossed_page(), Some(0));
        assert!(burst(0, 1, 8, BurstKind::Incr).validate(4).is_err());
        assert!(burst(0, 17, 4, BurstKind::Fixed).validate(4).is_err());
        assert!(burst(0, 3, 4, BurstKind::Wrap).validate(4).is_err());
        assert!(burst(2, 4, 4, BurstKind::Wrap).validate(4).is_err());
        assert!(burst(0, 256, 4, BurstKind::Incr).validate(4).is_ok());
        assert_eq!(BurstKind::from_code(3), None);
    }
}
