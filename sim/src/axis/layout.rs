//! How typed elements sit in TDATA: `lanes` elements of `element_bits` each, lane 0 in the low
//! bits; the last beat of a packet may be partial, its unused lanes marked by TKEEP = 0.

/// Element layout of a stream port.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    /// Bits per element (a multiple of 8 when lanes > 1, so TKEEP can mark lanes).
    pub element_bits: u32,
    /// Elements per beat.
    pub lanes: u32,
}

impl Layout {
    /// One element per beat.
    pub fn single(element_bits: u32) -> Self {
        Layout { element_bits, lanes: 1 }
    }

    /// Beats needed for `elements` elements.
    pub fn beats(&self, elements: usize) -> usize {
        elements.div_ceil(self.lanes as usize)
    }

    /// Checks the layout against a TDATA width.
    pub fn check(&self, tdata_bits: u32) -> Result<(), String> {
        if self.lanes == 0 || self.element_bits == 0 || self.element_bits > 64 {
            return Err(format!("{} lanes of {} bits is not a layout", self.lanes, self.element_bits));
        }
        if self.lanes > 1 && !self.element_bits.is_multiple_of(8) {
            return Err(format!("{}-bit elements cannot be marked lane by lane with TKEEP", self.element_bits));
        }
        if self.lanes * self.element_bits > tdata_bits {
            return Err(format!(
                "{} lanes x {} bits do not fit {tdata_bits}-bit TDATA",
                self.lanes, self.element_bits
            ));
        }
        Ok(())
    }

    /// Packs elements `chunk` (at most `lanes`) into TDATA words and TKEEP words.
    pub fn pack(&self, chunk: &[u64], data: &mut [u32], keep: &mut [u32]) {
        data.iter_mut().for_each(|w| *w = 0);
        keep.iter_mut().for_each(|w| *w = 0);
        let mask = if self.element_bits >= 64 { u64::MAX } else { (1u64 << self.element_bits) - 1 };
        for (lane, &element) in chunk.iter().enumerate() {
            let offset = lane as u32 * self.element_bits;
            put_bits(data, offset, self.element_bits, element & mask);
            let bytes = self.element_bits.div_ceil(8);
            put_bits(keep, offset / 8, bytes, u64::MAX);
        }
    }

    /// Lanes a beat's TKEEP (`keep`, bit per byte) marks, by each lane's first byte.
    pub fn kept_lanes(&self, keep: &[u32]) -> usize {
        let bytes = self.element_bits.div_ceil(8);
        (0..self.lanes).filter(|lane| get_bits(keep, lane * bytes, 1) == 1).count()
    }

    /// Unpacks the kept lanes of one beat into `out`; a lane whose bytes are only partly kept
    /// is an error naming the lane.
    pub fn unpack(&self, data: &[u32], keep: Option<&[u32]>, out: &mut Vec<u64>) -> Result<(), String> {
        let bytes = self.element_bits.div_ceil(8);
        for lane in 0..self.lanes {
            let offset = lane * self.element_bits;
            let kept = match keep {
                None => bytes,
                Some(keep) => (0..bytes).filter(|b| get_bits(keep, offset / 8 + b, 1) == 1).count() as u32,
            };
            if kept == bytes {
                out.push(get_bits(data, offset, self.element_bits));
            } else if kept != 0 {
                return Err(format!("lane {lane} has {kept} of its {bytes} bytes kept"));
            }
        }
        Ok(())
    }
}

/// Writes `bits` (<= 64) bits of `value` at bit `offset` into 32-bit words (LSB first).
pub(crate) fn put_bits(words: &mut [u32], offset: u32, bits: u32, value: u64) {
    for i in 0..bits {
        let bit = offset + i;
        let (word, shift) = ((bit / 32) as usize, bit % 32);
        if let Some(w) = words.get_mut(word) {
            if (value >> i) & 1 == 1 {
                *w |= 1 << shift;
            } else {
                *w &= !(1 << shift);
            }
        }
    }
}

/// Reads `bits` (<= 64) bits at bit `offset` from 32-bit words (LSB first).
pub(crate) fn get_bits(words: &[u32], offset: u32, bits: u32) -> u64 {
    let mut value = 0u64;
    for i in 0..bits {
        let bit = offset + i;
        let word = words.get((bit / 32) as usize).copied().unwrap_or(0);
        value |= u64::from((word >> (bit % 32)) & 1) << i;
    }
    value
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packs_and_unpacks_lanes_with_a_partial_last_beat() {
        let layout = Layout { element_bits: 32, lanes: 16 };
        layout.check(512).unwrap();
        assert_eq!(layout.beats(20), 2);
        let (mut data, mut keep) = (vec![0u32; 16], vec![0u32; 2]);
        layout.pack(&[7, 8, 9, 10], &mut data, &mut keep);
        assert_eq!(&data[..5], &[7, 8, 9, 10, 0]);
        assert_eq!(keep, [0xffff, 0]);
        assert_eq!(layout.kept_lanes(&keep), 4);
        assert_eq!(layout.kept_lanes(&[0x0f0f, 0]), 2, "lanes 0 and 2 by their first byte");
        let mut out = Vec::new();
        layout.unpack(&data, Some(&keep), &mut out).unwrap();
        assert_eq!(out, [7, 8, 9, 10]);
        keep[0] = 0x7fff;
        assert!(layout.unpack(&data, Some(&keep), &mut out).unwrap_err().contains("lane 3"));
    }

    #[test]
    fn rejects_layouts_that_do_not_fit() {
        assert!(Layout { element_bits: 32, lanes: 17 }.check(512).is_err());
        assert!(Layout { element_bits: 12, lanes: 2 }.check(32).is_err());
        assert!(Layout::single(12).check(16).is_ok());
    }

    #[test]
    fn bit_helpers_cross_word_boundaries() {
        let mut words = vec![0u32; 3];
        put_bits(&mut words, 28, 40, 0xab_cdef_0123);
        assert_eq!(get_bits(&words, 28, 40), 0xab_cdef_0123);
    }
}
