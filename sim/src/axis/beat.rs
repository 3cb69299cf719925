//! One transfer as a value.

/// One AXI4-Stream transfer: TDATA and TKEEP/TSTRB as 32-bit words (least significant first),
/// TLAST and the sideband signals. `Eq` so frames can be compared in tests.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AxisBeat {
    /// TDATA words.
    pub data: Vec<u32>,
    /// TKEEP, one bit per TDATA byte (empty = all bytes kept).
    pub keep: Vec<u32>,
    /// TSTRB, one bit per TDATA byte (empty = same as keep).
    pub strb: Vec<u32>,
    /// TLAST.
    pub last: bool,
    /// TUSER.
    pub user: u64,
    /// TID.
    pub id: u64,
    /// TDEST.
    pub dest: u64,
}

impl AxisBeat {
    /// A beat with `data` in the low bits, every byte kept.
    pub fn word(data: u64, last: bool) -> Self {
        AxisBeat { data: vec![data as u32, (data >> 32) as u32], last, ..AxisBeat::default() }
    }

    /// The low 64 bits of TDATA.
    pub fn low64(&self) -> u64 {
        let word = |i: usize| u64::from(self.data.get(i).copied().unwrap_or(0));
        word(0) | (word(1) << 32)
    }
}
