//! `adders` (the kernel-optimization guide's N_stage_Adders): `STAGES` chained stages each
//! add `incr`, so `out[i] = in[i] + STAGES * incr`, i32 with two's-complement wrap, for
//! `i < size`. `STAGES` is a compile-time parameter of the kernel (its manifest's
//! `parameters`), read here as a scalar.

use crate::{GoldenError, Values};

/// What the kernel writes to `out`: each stage adds `incr` (wrapping), `stages` times.
pub fn adders(input: &[i32], incr: i32, stages: u32) -> Vec<i32> {
    input.iter().map(|&x| (0..stages).fold(x, |acc, _| acc.wrapping_add(incr))).collect()
}

/// Adapter for the registry: buffer `in`, scalars `incr`, `size` and parameter `STAGES` ->
/// buffer `out`.
pub fn golden(inputs: &Values) -> Result<Values, GoldenError> {
    let input = inputs.i32s("in")?;
    let size = inputs.scalar("size")? as usize;
    if input.len() != size {
        return Err(GoldenError::Shape(format!("buffer `in` has {} elements, size says {size}", input.len())));
    }
    let incr = inputs.scalar("incr")? as u32 as i32;
    let stages = u32::try_from(inputs.scalar("STAGES")?).map_err(|_| GoldenError::Shape("STAGES is too large".into()))?;
    Ok(Values::new().with_i32s("out", &adders(&input, incr, stages)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_stage_adds_incr_with_wrap() {
        assert_eq!(adders(&[0, 10, i32::MAX], 3, 4), [12, 22, i32::MIN + 11]);
        assert_eq!(adders(&[5], -1, 0), [5]);
    }

    #[test]
    fn stages_come_from_the_parameter() {
        let inputs = Values::new().with_i32s("in", &[1, 2]).with_scalar("incr", 1).with_scalar("size", 2);
        assert!(golden(&inputs).is_err(), "STAGES missing");
        let outputs = golden(&inputs.with_scalar("STAGES", 4)).unwrap();
        assert_eq!(outputs.i32s("out").unwrap(), [5, 6]);
    }
}
