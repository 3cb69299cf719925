//! Data and strobe buses as bytes: lane `i` is bits `8i..8i+8` (little-endian, as AXI).

use crate::verilated::Signal;

/// Packs bytes (lane order) into 32-bit words, least significant first.
fn bytes_to_words(bytes: &[u8], words: &mut [u32]) {
    for (word, chunk) in words.iter_mut().zip(bytes.chunks(4)) {
        let mut le = [0u8; 4];
        le[..chunk.len()].copy_from_slice(chunk);
        *word = u32::from_le_bytes(le);
    }
}

/// Unpacks 32-bit words, least significant first, into bytes (lane order).
fn words_to_bytes(words: &[u32], bytes: &mut [u8]) {
    for (chunk, word) in bytes.chunks_mut(4).zip(words.iter()) {
        chunk.copy_from_slice(&word.to_le_bytes()[..chunk.len()]);
    }
}

/// Reads a data bus into `bytes` (one per lane), using `words` as scratch for wide buses.
pub(super) fn read_data(signal: &Signal<'_>, words: &mut [u32], bytes: &mut [u8]) {
    if bytes.len() <= 8 {
        let value = signal.get().to_le_bytes();
        bytes.copy_from_slice(&value[..bytes.len()]);
    } else {
        signal.read_words(words);
        words_to_bytes(words, bytes);
    }
}

/// Drives a data bus from `bytes` (one per lane), using `words` as scratch for wide buses.
pub(super) fn write_data(signal: &Signal<'_>, words: &mut [u32], bytes: &[u8]) {
    if bytes.len() <= 8 {
        let mut value = [0u8; 8];
        value[..bytes.len()].copy_from_slice(bytes);
        signal.set(u64::from_le_bytes(value));
    } else {
        bytes_to_words(bytes, words);
        signal.set_words(words);
    }
}

/// Combines up to four 32-bit words, least significant first, into a strobe mask.
fn strobe_from_words(words: &[u32]) -> u128 {
    words.iter().take(4).rev().fold(0u128, |acc, &w| (acc << 32) | u128::from(w))
}

/// WSTRB as a mask (bit `i` = lane `i`); at most 128 lanes (a 1024-bit bus). `words` must
/// hold at least 4 words.
pub(super) fn read_strobe(signal: &Signal<'_>, words: &mut [u32]) -> u128 {
    if signal.width() <= 64 {
        return u128::from(signal.get());
    }
    signal.read_words(&mut words[..4]);
    strobe_from_words(&words[..4])
}

/// The mask of lanes `range`.
pub(super) fn lane_mask(range: std::ops::Range<usize>) -> u128 {
    let width = range.end.saturating_sub(range.start);
    let ones = if width >= 128 { u128::MAX } else { (1u128 << width) - 1 };
    ones.checked_shl(range.start as u32).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lane_masks() {
        assert_eq!(lane_mask(0..4), 0xf);
        assert_eq!(lane_mask(2..4), 0xc);
        assert_eq!(lane_mask(0..128), u128::MAX);
        assert_eq!(lane_mask(3..3), 0);
    }

    #[test]
    fn wide_buses_round_trip_through_words() {
        // A 1024-bit bus: 128 lanes, 32 words.
        let bytes: Vec<u8> = (0..128).map(|i| i as u8 ^ 0x5a).collect();
        let mut words = vec![0u32; 32];
        bytes_to_words(&bytes, &mut words);
        assert_eq!(words[0], u32::from_le_bytes([0x5a, 0x5b, 0x58, 0x59]));
        let mut back = vec![0u8; 128];
        words_to_bytes(&words, &mut back);
        assert_eq!(back, bytes);
        assert_eq!(strobe_from_words(&[1, 0, 0, 0x8000_0000]), 1 | (1u128 << 127));
    }
}
