//! `gemm`: HeteroCL's GEMM, `C = A x B` on signed `WIDTH`-bit integers, exact.
//!
//! `C[i][j] = sum over kk of A[i][kk] * B[kk][j]`, with A `m x k`, B `k x n` and C `m x n`,
//! all row-major. Every product and sum is exact (at most `2^(2 WIDTH + 4)` in magnitude for
//! `k <= 64`), so the accumulation order does not matter and nothing rounds or wraps; each
//! element of C travels as a two's-complement integer of the output width. The number of
//! processing elements changes how fast the hardware computes, not what: one model serves
//! every configuration.

use crate::{GoldenError, Values};

/// Largest `m`, `n` and `k` the kernels accept (their on-chip buffers).
pub const MAX_DIM: usize = 64;

/// A GEMM configuration's data types: element and output widths in bits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Gemm {
    /// Bits of an element of A and B (signed).
    pub element_bits: u32,
    /// Bits of an element of C (signed, holds every exact sum).
    pub output_bits: u32,
}

/// Matrix sizes: A is `m x k`, B is `k x n`, C is `m x n`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shape {
    /// Rows of A and C.
    pub m: usize,
    /// Columns of B and C.
    pub n: usize,
    /// Columns of A, rows of B.
    pub k: usize,
}

impl Gemm {
    /// Raw bits (the low `bits` of `raw`) as a signed value.
    fn signed(bits: u32, raw: u64) -> i64 {
        let shift = 64 - bits;
        ((raw << shift) as i64) >> shift
    }

    /// C of raw A and B (each element the low `element_bits` of a `u64`), as raw output bits.
    pub fn multiply(self, shape: Shape, a: &[u64], b: &[u64]) -> Result<Vec<u64>, GoldenError> {
        let Shape { m, n, k } = shape;
        for (name, size) in [("m", m), ("n", n), ("k", k)] {
            if !(1..=MAX_DIM).contains(&size) {
                return Err(GoldenError::Shape(format!(
                    "gemm: {name} = {size} is outside 1..={MAX_DIM} (the on-chip buffers); \
                     the hardware would read nothing and write nothing"
                )));
            }
        }
        for (name, data, rows, cols) in [("a", a, m, k), ("b", b, k, n)] {
            if data.len() != rows * cols {
                return Err(GoldenError::Shape(format!(
                    "gemm: stream `{name}` must hold a {rows} x {cols} matrix ({} elements), got {}",
                    rows * cols,
                    data.len()
                )));
            }
        }
        let a = |i: usize, kk: usize| Self::signed(self.element_bits, a[i * k + kk]);
        let b = |kk: usize, j: usize| Self::signed(self.element_bits, b[kk * n + j]);
        let mask = if self.output_bits >= 64 { u64::MAX } else { (1u64 << self.output_bits) - 1 };
        let mut c = Vec::with_capacity(m * n);
        for i in 0..m {
            for j in 0..n {
                let sum: i64 = (0..k).map(|kk| a(i, kk) * b(kk, j)).sum();
                c.push(sum as u64 & mask);
            }
        }
        Ok(c)
    }

    /// The registry adapter: streams `a`, `b` and arguments `m`, `n`, `k` (32-bit `int`s)
    /// to stream `c`.
    fn adapter(self, inputs: &Values) -> Result<Values, GoldenError> {
        // The kernel reads each size as a signed 32-bit int: 0xffff_ffff is -1, out of range.
        let size = |name: &str| -> Result<usize, GoldenError> {
            let value = inputs.scalar(name)? as u32 as i32;
            usize::try_from(value).map_err(|_| {
                GoldenError::Shape(format!("gemm: {name} = {value} is outside 1..={MAX_DIM}"))
            })
        };
        let shape = Shape { m: size("m")?, n: size("n")?, k: size("k")? };
        let c = self.multiply(shape, inputs.stream("a")?, inputs.stream("b")?)?;
        let mut values = Values::new();
        values.streams.insert("c".into(), c);
        Ok(values)
    }
}

/// `gemm_pe4_w16`: 16-bit elements, 64-bit C (sums need 2 x 16 + 6 = 38 bits).
pub const PE4_W16: Gemm = Gemm { element_bits: 16, output_bits: 64 };
/// `gemm_pe8_w8`: 8-bit elements, 32-bit C (sums need 2 x 8 + 6 = 22 bits).
pub const PE8_W8: Gemm = Gemm { element_bits: 8, output_bits: 32 };

/// Registry adapter for `gemm_pe4_w16`.
pub fn golden_pe4_w16(inputs: &Values) -> Result<Values, GoldenError> {
    PE4_W16.adapter(inputs)
}

/// Registry adapter for `gemm_pe8_w8`.
pub fn golden_pe8_w8(inputs: &Values) -> Result<Values, GoldenError> {
    PE8_W8.adapter(inputs)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(bits: u32, values: &[i64]) -> Vec<u64> {
        values.iter().map(|&v| v as u64 & ((1u64 << bits) - 1)).collect()
    }

    #[test]
    fn multiplies_a_2x3_by_a_3x2() {
        let a = raw(8, &[1, 2, 3, -4, 5, -6]);
        let b = raw(8, &[7, -8, 9, 10, -11, 12]);
        let c = PE8_W8.multiply(Shape { m: 2, n: 2, k: 3 }, &a, &b).unwrap();
        // [1 2 3; -4 5 -6] x [7 -8; 9 10; -11 12]
        assert_eq!(c, raw(32, &[-8, 48, 83, 10]));
    }

    #[test]
    fn the_extreme_sum_is_exact() {
        // (-128)^2 * 64 = 2^20 and (-32768)^2 * 64 = 2^36: no wrap anywhere.
        let c = PE8_W8.multiply(Shape { m: 1, n: 1, k: 64 }, &raw(8, &[-128; 64]), &raw(8, &[-128; 64])).unwrap();
        assert_eq!(c, [1 << 20]);
        let c = PE4_W16
            .multiply(Shape { m: 1, n: 1, k: 64 }, &raw(16, &[-32768; 64]), &raw(16, &[32767; 64]))
            .unwrap();
        assert_eq!(c, [(-32768i64 * 32767 * 64) as u64]);
    }

    #[test]
    fn rejects_sizes_out_of_range_and_wrong_lengths() {
        let one = [1u64];
        assert!(PE8_W8.multiply(Shape { m: 0, n: 1, k: 1 }, &[], &one).is_err());
        let big = vec![0u64; 65];
        let error = PE8_W8.multiply(Shape { m: 1, n: 1, k: 65 }, &big, &big).unwrap_err();
        assert!(error.to_string().contains("k = 65 is outside 1..=64"), "{error}");
        let error = PE8_W8.multiply(Shape { m: 2, n: 1, k: 1 }, &one, &one).unwrap_err();
        assert!(error.to_string().contains("stream `a` must hold a 2 x 1 matrix"), "{error}");
        let inputs = Values::new()
            .with_scalar("m", 0xffff_ffff)
            .with_scalar("n", 1)
            .with_scalar("k", 1)
            .with_i32s("a", &[1])
            .with_i32s("b", &[1]);
        assert!(golden_pe8_w8(&inputs).unwrap_err().to_string().contains("m = -1"));
    }
}
