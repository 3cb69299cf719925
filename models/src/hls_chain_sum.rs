//! `hls_chain_sum` (a test fixture's specification): `sum = bias + Σ a[i]`, each `a[i]`
//! sign-extended to 64 bits, wrapping at 64 bits.

use crate::{GoldenError, Values};

/// The sum the kernel writes to its `sum` output scalar.
pub fn hls_chain_sum(bias: u64, a: &[i32]) -> u64 {
    a.iter().fold(bias, |acc, &x| acc.wrapping_add(i64::from(x) as u64))
}

/// Adapter for the registry: stream `a`, scalar `bias` -> scalar `sum`.
pub fn golden(inputs: &Values) -> Result<Values, GoldenError> {
    let a = inputs.i32s("a")?;
    if a.is_empty() {
        return Err(GoldenError::Empty("a".into()));
    }
    Ok(Values::new().with_scalar("sum", hls_chain_sum(inputs.scalar("bias")?, &a)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sign_extends_and_wraps_at_64_bits() {
        assert_eq!(hls_chain_sum(5, &[1, -2, 3]), 7);
        assert_eq!(hls_chain_sum(0, &[-1]), u64::MAX);
        assert_eq!(hls_chain_sum(u64::MAX, &[1]), 0);
        assert_eq!(hls_chain_sum(0, &[i32::MIN]), (i64::from(i32::MIN)) as u64);
    }
}
