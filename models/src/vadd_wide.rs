//! `vadd_wide` (the kernel-optimization guide's wide vector add): `c[i] = a[i] + b[i]`,
//! i32 with two's-complement wrap, for `i < size`.

use crate::{GoldenError, Values};

/// The sum the kernel writes to `c`.
pub fn vadd_wide(a: &[i32], b: &[i32]) -> Vec<i32> {
    a.iter().zip(b).map(|(x, y)| x.wrapping_add(*y)).collect()
}

/// Adapter for the registry: buffers `a` and `b` (`size` elements each) -> buffer `c`.
pub fn golden(inputs: &Values) -> Result<Values, GoldenError> {
    let (a, b) = (inputs.i32s("a")?, inputs.i32s("b")?);
    let size = inputs.scalar("size")? as usize;
    for (name, buffer) in [("a", &a), ("b", &b)] {
        if buffer.len() != size {
            return Err(GoldenError::Shape(format!("buffer `{name}` has {} elements, size says {size}", buffer.len())));
        }
    }
    Ok(Values::new().with_i32s("c", &vadd_wide(&a, &b)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adds_with_wrap() {
        assert_eq!(vadd_wide(&[1, i32::MAX, -5], &[2, 1, 5]), [3, i32::MIN, 0]);
    }

    #[test]
    fn size_must_match_the_buffers() {
        let inputs = Values::new().with_i32s("a", &[1, 2]).with_i32s("b", &[3, 4]).with_scalar("size", 3);
        assert!(golden(&inputs).is_err());
        let inputs = inputs.with_scalar("size", 2);
        assert_eq!(golden(&inputs).unwrap().i32s("c").unwrap(), [4, 6]);
    }
}
