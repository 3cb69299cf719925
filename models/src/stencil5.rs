//! `stencil5`: the 5-point filter `0.2 * (C + N + E + S + W)` over a row-major grid, output
//! `x[1:-1, 1:-1]` (the NumPy-acceleration seed's filter_avg), in `ap_fixed<W, I>` with
//! HLS defaults (AP_TRN, AP_WRAP):
//!
//! - the five raw values are summed exactly;
//! - the constant is `c = floor(0.2 * 2^F)` (F = W - I fractional bits): 51 for F = 8,
//!   13107 for F = 16;
//! - the result is `floor(sum * c / 2^F)` (truncation toward minus infinity), wrapped to W bits.

use crate::{GoldenError, Values};

/// A fixed-point format `ap_fixed<width, integer>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fixed {
    /// Total bits W.
    pub width: u32,
    /// Integer bits I (sign included).
    pub integer: u32,
}

impl Fixed {
    /// Fractional bits F.
    pub fn fraction(self) -> u32 {
        self.width - self.integer
    }

    /// `0.2` quantized by truncation: `floor(0.2 * 2^F)`.
    pub fn fifth(self) -> i64 {
        (1i64 << self.fraction()) / 5
    }

    /// Raw bits (low W bits of `raw`) as a signed value.
    pub fn signed(self, raw: u64) -> i64 {
        let shift = 64 - self.width;
        ((raw << shift) as i64) >> shift
    }

    /// A signed value wrapped to W bits, as raw bits.
    pub fn wrap(self, value: i64) -> u64 {
        (value as u64) & ((1u64 << self.width) - 1)
    }
}

/// The filter over a `width` x `height` grid of raw values; `(height - 2) * (width - 2)` raw
/// results, row-major.
pub fn stencil5(format: Fixed, width: usize, height: usize, grid: &[u64]) -> Result<Vec<u64>, GoldenError> {
    if width < 3 || height < 3 || grid.len() != width * height {
        return Err(GoldenError::Shape(format!(
            "a {width} x {height} grid needs width, height >= 3 and {} elements, got {}",
            width * height,
            grid.len()
        )));
    }
    let at = |y: usize, x: usize| format.signed(grid[y * width + x]);
    let mut out = Vec::with_capacity((width - 2) * (height - 2));
    for y in 1..height - 1 {
        for x in 1..width - 1 {
            let sum = at(y, x) + at(y - 1, x) + at(y, x + 1) + at(y + 1, x) + at(y, x - 1);
            // `>>` on i64 is arithmetic: floor division by 2^F, i.e. AP_TRN.
            out.push(format.wrap((sum * format.fifth()) >> format.fraction()));
        }
    }
    Ok(out)
}

fn adapter(format: Fixed, inputs: &Values) -> Result<Values, GoldenError> {
    let width = inputs.scalar("width")? as usize;
    let height = inputs.scalar("height")? as usize;
    let out = stencil5(format, width, height, inputs.stream("in")?)?;
    let mut values = Values::new();
    values.streams.insert("out".into(), out);
    Ok(values)
}

/// Registry adapter for `stencil5_q8_8` (ap_fixed<16,8>).
pub fn golden_q8_8(inputs: &Values) -> Result<Values, GoldenError> {
    adapter(Fixed { width: 16, integer: 8 }, inputs)
}

/// Registry adapter for `stencil5_q16_16` (ap_fixed<32,16>).
pub fn golden_q16_16(inputs: &Values) -> Result<Values, GoldenError> {
    adapter(Fixed { width: 32, integer: 16 }, inputs)
}

#[cfg(test)]
mod tests {
    use super::*;

    const Q8_8: Fixed = Fixed { width: 16, integer: 8 };

    #[test]
    fn constants_are_truncated_fifths() {
        assert_eq!(Q8_8.fifth(), 51);
        assert_eq!(Fixed { width: 32, integer: 16 }.fifth(), 13107);
    }

    #[test]
    fn averages_a_3x3_grid_with_truncation_toward_minus_infinity() {
        let one = 256u64; // 1.0 in Q8.8
        let grid = [0, one, 0, one, one, one, 0, one, 0];
        // sum = 5.0 -> 5 * 256 * 51 / 256 = 255 raw (0.99609375, not 1.0: 0.2 is truncated).
        assert_eq!(stencil5(Q8_8, 3, 3, &grid).unwrap(), [255]);
        let minus = Q8_8.wrap(-1); // -1/256
        let grid = [0, 0, 0, 0, minus, 0, 0, 0, 0];
        // -1 * 51 >> 8 = floor(-0.199) = -1 raw.
        assert_eq!(stencil5(Q8_8, 3, 3, &grid).unwrap(), [Q8_8.wrap(-1)]);
    }

    #[test]
    fn wraps_on_overflow_and_keeps_the_numpy_shape() {
        let max = 0x7fff_u64;
        let grid = vec![max; 4 * 3];
        let out = stencil5(Q8_8, 4, 3, &grid).unwrap();
        assert_eq!(out.len(), 2, "(H-2) x (W-2)");
        // 5 * 32767 * 51 >> 8 = 32638: fits; no wrap for a uniform grid since 0.2*5 < 1.
        assert_eq!(out[0], (5 * 32767 * 51) >> 8);
        assert!(stencil5(Q8_8, 2, 3, &[0; 6]).is_err());
        assert!(stencil5(Q8_8, 3, 3, &[0; 8]).is_err());
    }
}
