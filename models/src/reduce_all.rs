//! `reduce_all`: sum, sum of squares, or sum of absolute differences of i32 streams (the
//! NumPy-acceleration seed's ufunc_reduce_all and sad_reduce_all), exact: the total is a
//! signed 128-bit integer (sum of squares needs 87 bits for N = 2^24), returned as one beat
//! of two i64 lanes, low then high.

use crate::{GoldenError, Values};

/// The `op` register.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reduction {
    /// 0: Σ a.
    Sum,
    /// 1: Σ a².
    SumOfSquares,
    /// 2: Σ |a - b|.
    AbsoluteDifferences,
    /// Anything else: 0.
    Other(u32),
}

impl Reduction {
    /// Decodes the 32-bit register value.
    pub fn from_register(op: u32) -> Self {
        match op {
            0 => Reduction::Sum,
            1 => Reduction::SumOfSquares,
            2 => Reduction::AbsoluteDifferences,
            other => Reduction::Other(other),
        }
    }
}

/// The exact total.
pub fn reduce_all(op: Reduction, a: &[i32], b: &[i32]) -> i128 {
    let pairs = a.iter().zip(b).map(|(&x, &y)| (i128::from(x), i128::from(y)));
    match op {
        Reduction::Sum => pairs.map(|(x, _)| x).sum(),
        Reduction::SumOfSquares => pairs.map(|(x, _)| x * x).sum(),
        Reduction::AbsoluteDifferences => pairs.map(|(x, y)| (x - y).abs()).sum(),
        Reduction::Other(_) => 0,
    }
}

/// Adapter for the registry: streams `a`, `b`, scalar `op` -> stream `result` = [low, high].
pub fn golden(inputs: &Values) -> Result<Values, GoldenError> {
    let (a, b) = (inputs.i32s("a")?, inputs.i32s("b")?);
    if a.len() != b.len() {
        return Err(GoldenError::LengthMismatch { a: "a".into(), a_len: a.len(), b: "b".into(), b_len: b.len() });
    }
    if a.is_empty() {
        return Err(GoldenError::Empty("a".into()));
    }
    let total = reduce_all(Reduction::from_register(inputs.scalar("op")? as u32), &a, &b) as u128;
    let mut values = Values::new();
    values.streams.insert("result".into(), vec![total as u64, (total >> 64) as u64]);
    Ok(values)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_at_the_extremes() {
        let n = 1 << 24;
        // Σ (-2^31)^2 over 2^24 elements = 2^86: beyond 64 bits, exact in 128.
        let a = vec![i32::MIN; 4];
        assert_eq!(reduce_all(Reduction::SumOfSquares, &a, &a) * (n / 4), 1i128 << 86);
        assert_eq!(reduce_all(Reduction::AbsoluteDifferences, &[i32::MIN], &[i32::MAX]), (1i128 << 32) - 1);
        assert_eq!(reduce_all(Reduction::Sum, &[-5, 2], &[0, 0]), -3);
        assert_eq!(reduce_all(Reduction::from_register(3), &[1], &[1]), 0);
    }

    #[test]
    fn negative_totals_sign_extend_into_the_high_lane() {
        let inputs = Values::new().with_i32s("a", &[-1]).with_i32s("b", &[0]).with_scalar("op", 0);
        assert_eq!(golden(&inputs).unwrap().stream("result").unwrap(), [u64::MAX, u64::MAX]);
    }
}
