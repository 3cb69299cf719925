//! Data and strobe buses as bytes: lane `i` is bits `8i..8i+8` (little-endian, as AXI).

use crate::verilated::Signal;

/// Reads a data bus into `bytes` (one per lane), using `words` as scratch for wide buses.
pub(super) fn read_data(signal: &Signal<'_>, words: &mut [u32], bytes: &mut [u8]) {
    if bytes.len() <= 8 {
        let value = signal.get().to_le_bytes();
        bytes.copy_from_slice(&value[..bytes.len()]);
    } else {
        signal.read_words(words);
        for (chunk, word) in bytes.chunks_mut(4).zip(words.iter()) {
            chunk.copy_from_slice(&word.to_le_bytes()[..chunk.len()]);
        }
    }
}

/// Drives a data bus from `bytes` (one per lane), using `words` as scratch for wide buses.
pub(super) fn write_data(signal: &Signal<'_>, words: &mut [u32], bytes: &[u8]) {
    if bytes.len() <= 8 {
        let mut value = [0u8; 8];
        value[..bytes.len()].copy_from_slice(bytes);
        signal.set(u64::from_le_bytes(value));
    } else {
        for (word, chunk) in words.iter_mut().zip(bytes.chunks(4)) {
            let mut le = [0u8; 4];
            le[..chunk.len()].copy_from_slice(chunk);
            *word = u32::from_le_bytes(le);
        }
        signal.set_words(words);
    }
}

/// WSTRB as a mask (bit `i` = lane `i`); at most 128 lanes (a 1024-bit bus).
pub(super) fn read_strobe(signal: &Signal<'_>, words: &mut [u32]) -> u128 {
    if signal.width() <= 64 {
        return u128::from(signal.get());
    }
    signal.read_words(&mut words[..4]);
    words[..4].iter().rev().fold(0u128, |acc, &w| (acc << 32) | u128::from(w))
}

/// The mask of lanes `range`.
pub(super) fn lane_mask(range: std::ops::Range<usize>) -> u128 {
    let width = range.end.saturating_sub(range.start);
    let ones = if width >= 128 { u128::MAX } else { (1u128 << width) - 1 };
    ones.checked_shl(range.start as u32).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::lane_mask;

    #[test]
    fn lane_masks() {
        assert_eq!(lane_mask(0..4), 0xf);
        assert_eq!(lane_mask(2..4), 0xc);
        assert_eq!(lane_mask(0..128), u128::MAX);
        assert_eq!(lane_mask(3..3), 0);
    }
}
