//! `ufunc_f32`: element-wise add, subtract or multiply of two binary32 streams with the
//! semantics of the hardware's floating-point units (the NumPy-acceleration seed's
//! `ufunc_call_f4`):
//!
//! - subnormal inputs read as zero, sign kept (DAZ);
//! - round to nearest, ties to even; no fused operations;
//! - a result whose magnitude, rounded to 24 significant bits with an unbounded exponent, is
//!   below 2^-126 is flushed to zero with the sign of the exact result (FTZ);
//! - a rounded magnitude of 2^128 or more is infinity;
//! - every NaN result (NaN input, Inf - Inf, 0 * Inf) is the canonical quiet NaN 0x7FC00000;
//! - op values other than 0, 1, 2 give +0.
//!
//! A host CPU keeps subnormals, so C simulation differs from this (and from the RTL) there.

use crate::{GoldenError, Values};

/// The canonical quiet NaN the hardware returns.
pub const CANONICAL_NAN: u32 = 0x7FC0_0000;

/// Smallest normal binary32 magnitude.
const MIN_NORMAL: f64 = 1.175_494_350_822_287_5e-38; // 2^-126

/// Subnormal inputs read as zero with their sign.
pub fn daz(x: u32) -> f32 {
    if x & 0x7F80_0000 == 0 {
        f32::from_bits(x & 0x8000_0000)
    } else {
        f32::from_bits(x)
    }
}

/// Rounds an f64 to 24 significant bits, ties to even, with an unbounded exponent range.
fn round_to_24_bits(x: f64) -> f64 {
    if x == 0.0 || !x.is_finite() {
        return x;
    }
    const DROP: u32 = 52 - 23;
    let bits = x.to_bits();
    let rest = bits & ((1 << DROP) - 1);
    let kept = bits & !((1u64 << DROP) - 1);
    let half = 1u64 << (DROP - 1);
    let odd = (kept >> DROP) & 1 == 1;
    // A carry out of the significand moves into the exponent, which is the right result.
    let rounded = if rest > half || (rest == half && odd) { kept + (1 << DROP) } else { kept };
    f64::from_bits(rounded)
}

/// Rounds an exact-enough f64 result to the hardware's binary32.
///
/// The f64 result of a binary32 `+`, `-` or `*` is the exact result rounded to 53 bits; rounding
/// that again to 24 bits equals rounding the exact result once (53 >= 2 * 24 + 2: double
/// rounding is innocuous for these operations).
fn to_hardware_f32(exact: f64) -> u32 {
    if exact.is_nan() {
        return CANONICAL_NAN;
    }
    let rounded = round_to_24_bits(exact);
    let sign = if exact.is_sign_negative() { 0x8000_0000 } else { 0 };
    if rounded.abs() < MIN_NORMAL {
        sign
    } else if rounded.abs() >= 2f64.powi(128) {
        sign | 0x7F80_0000
    } else {
        (rounded as f32).to_bits()
    }
}

/// The `op` register.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FloatOp {
    /// 0: a + b.
    Add,
    /// 1: a - b.
    Subtract,
    /// 2: a * b.
    Multiply,
    /// Anything else: +0.
    Other(u32),
}

impl FloatOp {
    /// Decodes the 32-bit register value.
    pub fn from_register(op: u32) -> Self {
        match op {
            0 => FloatOp::Add,
            1 => FloatOp::Subtract,
            2 => FloatOp::Multiply,
            other => FloatOp::Other(other),
        }
    }

    /// One element, on raw binary32 bit patterns.
    pub fn apply(self, a: u32, b: u32) -> u32 {
        let (x, y) = (f64::from(daz(a)), f64::from(daz(b)));
        match self {
            FloatOp::Add => to_hardware_f32(x + y),
            FloatOp::Subtract => to_hardware_f32(x - y),
            FloatOp::Multiply => to_hardware_f32(x * y),
            FloatOp::Other(_) => 0,
        }
    }
}

/// Adapter for the registry: streams `a`, `b` (raw bits), scalar `op` -> stream `out`.
pub fn golden(inputs: &Values) -> Result<Values, GoldenError> {
    let op = FloatOp::from_register(inputs.scalar("op")? as u32);
    let (a, b) = (inputs.stream("a")?, inputs.stream("b")?);
    if a.len() != b.len() {
        return Err(GoldenError::LengthMismatch { a: "a".into(), a_len: a.len(), b: "b".into(), b_len: b.len() });
    }
    if a.is_empty() {
        return Err(GoldenError::Empty("a".into()));
    }
    let out = a.iter().zip(b).map(|(&x, &y)| u64::from(op.apply(x as u32, y as u32))).collect();
    let mut values = Values::new();
    values.streams.insert("out".into(), out);
    Ok(values)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn add(a: f32, b: f32) -> u32 {
        FloatOp::Add.apply(a.to_bits(), b.to_bits())
    }

    #[test]
    fn normal_arithmetic_is_ieee_round_to_nearest_even() {
        assert_eq!(add(1.0, 2.0), 3.0f32.to_bits());
        assert_eq!(FloatOp::Multiply.apply(3.0f32.to_bits(), (-0.5f32).to_bits()), (-1.5f32).to_bits());
        // 1 + 2^-24 is a tie between 1 and 1 + 2^-23: even significand wins, so 1.
        assert_eq!(add(1.0, f32::from_bits(0x3380_0000)), 1.0f32.to_bits());
        // 1 + 3 * 2^-24 ties between 1 + 2^-23 and 1 + 2^-22: rounds to the even 1 + 2^-22.
        assert_eq!(add(1.0, 3.0 * f32::from_bits(0x3380_0000)), 0x3F80_0002);
    }

    #[test]
    fn subnormals_are_zero_in_and_out() {
        let tiny = 0x0000_0001; // smallest subnormal
        assert_eq!(FloatOp::Add.apply(tiny, 0), 0, "DAZ: subnormal + 0 = +0");
        assert_eq!(FloatOp::Add.apply(0x8000_0001, 0x8000_0000), 0x8000_0000, "-sub + -0 = -0");
        // 2^-126 * 0.5 is subnormal exactly: flushed, sign kept.
        assert_eq!(FloatOp::Multiply.apply(0x0080_0000, 0.5f32.to_bits()), 0);
        assert_eq!(FloatOp::Multiply.apply(0x8080_0000, 0.5f32.to_bits()), 0x8000_0000);
        // (2^-126 + 2^-149 * k) - tiny differences underflow: x - next(x) is subnormal -> 0.
        assert_eq!(FloatOp::Subtract.apply(0x0080_0001, 0x0080_0000), 0);
        // A product just below 2^-126 that rounds up to 2^-126 is kept (FTZ on the rounded value).
        let just_below = (1.0 - 2f64.powi(-25)) * MIN_NORMAL; // rounds to MIN_NORMAL at 24 bits
        assert_eq!(to_hardware_f32(just_below), 0x0080_0000);
        assert_eq!(to_hardware_f32(MIN_NORMAL * (1.0 - 2f64.powi(-23))), 0);
    }

    #[test]
    fn specials() {
        let inf = f32::INFINITY;
        assert_eq!(add(inf, -inf), CANONICAL_NAN);
        assert_eq!(FloatOp::Multiply.apply(0, inf.to_bits()), CANONICAL_NAN);
        assert_eq!(add(f32::from_bits(0xFFC1_2345), 1.0), CANONICAL_NAN, "any NaN in: canonical NaN out");
        assert_eq!(add(inf, 1.0), inf.to_bits());
        assert_eq!(FloatOp::Multiply.apply((-2.0f32).to_bits(), inf.to_bits()), (-inf).to_bits());
        assert_eq!(add(f32::MAX, f32::MAX), inf.to_bits(), "overflow");
        assert_eq!(add(1.0, -1.0), 0, "x + (-x) = +0");
        assert_eq!(add(-0.0, -0.0), 0x8000_0000);
        assert_eq!(add(0.0, -0.0), 0);
        assert_eq!(FloatOp::Subtract.apply(0x8000_0000, 0), 0x8000_0000, "-0 - +0 = -0");
        assert_eq!(FloatOp::Multiply.apply((-0.0f32).to_bits(), 5.0f32.to_bits()), 0x8000_0000);
        assert_eq!(FloatOp::from_register(7).apply(1, 2), 0);
    }
}
