//! `ufunc_i32`: element-wise add, subtract or multiply of two `i32` streams, wrapping
//! (the NumPy-acceleration seed's `ufunc_call_i4`).

use crate::{GoldenError, Values};

/// The s_axilite `op` argument.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UfuncOp {
    /// `op = 0`: `a + b`.
    Add,
    /// `op = 1`: `a - b`.
    Subtract,
    /// `op = 2`: `a * b`, low 32 bits.
    Multiply,
    /// Any other value: the HLS `switch` default, every element 0.
    Other(u32),
}

impl UfuncOp {
    /// Decodes the 32-bit register value.
    pub fn from_register(op: u32) -> Self {
        match op {
            0 => UfuncOp::Add,
            1 => UfuncOp::Subtract,
            2 => UfuncOp::Multiply,
            other => UfuncOp::Other(other),
        }
    }

    /// One element, two's complement wrapping like the 32-bit hardware adder/multiplier.
    pub fn apply(self, a: i32, b: i32) -> i32 {
        match self {
            UfuncOp::Add => a.wrapping_add(b),
            UfuncOp::Subtract => a.wrapping_sub(b),
            UfuncOp::Multiply => a.wrapping_mul(b),
            UfuncOp::Other(_) => 0,
        }
    }
}

/// `out[i] = op(a[i], b[i])`; `a` and `b` must be equally long and not empty (the hardware
/// ends the call on `a`'s TLAST).
pub fn ufunc_i32(op: UfuncOp, a: &[i32], b: &[i32]) -> Result<Vec<i32>, GoldenError> {
    if a.len() != b.len() {
        return Err(GoldenError::LengthMismatch { a: "a".into(), a_len: a.len(), b: "b".into(), b_len: b.len() });
    }
    if a.is_empty() {
        return Err(GoldenError::Empty("a".into()));
    }
    Ok(a.iter().zip(b).map(|(&x, &y)| op.apply(x, y)).collect())
}

/// Adapter for the registry: streams `a`, `b`, scalar `op` -> stream `out`.
pub fn golden(inputs: &Values) -> Result<Values, GoldenError> {
    let op = UfuncOp::from_register(inputs.scalar("op")? as u32);
    let out = ufunc_i32(op, &inputs.i32s("a")?, &inputs.i32s("b")?)?;
    Ok(Values::new().with_i32s("out", &out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_like_32_bit_hardware() {
        let a = [i32::MAX, i32::MIN, -1, 7];
        let b = [1, 1, -1, -3];
        assert_eq!(ufunc_i32(UfuncOp::Add, &a, &b).unwrap(), [i32::MIN, i32::MIN + 1, -2, 4]);
        assert_eq!(ufunc_i32(UfuncOp::Subtract, &a, &b).unwrap(), [i32::MAX - 1, i32::MAX, 0, 10]);
        assert_eq!(ufunc_i32(UfuncOp::Multiply, &a, &b).unwrap(), [i32::MAX, i32::MIN, 1, -21]);
        assert_eq!(ufunc_i32(UfuncOp::from_register(9), &a, &b).unwrap(), [0; 4]);
    }

    #[test]
    fn refuses_unequal_or_empty_streams() {
        assert!(matches!(ufunc_i32(UfuncOp::Add, &[1], &[]), Err(GoldenError::LengthMismatch { .. })));
        assert_eq!(ufunc_i32(UfuncOp::Add, &[], &[]), Err(GoldenError::Empty("a".into())));
    }

    #[test]
    fn adapter_reads_raw_patterns() {
        let inputs = Values::new().with_i32s("a", &[-1]).with_i32s("b", &[2]).with_scalar("op", 2);
        assert_eq!(golden(&inputs).unwrap().stream("out").unwrap(), [0xffff_fffe]);
    }
}
