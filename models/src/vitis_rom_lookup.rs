//! `vitis_rom_lookup` (a test fixture's specification): `out = table[a & 0xff] OP b`, OP as
//! [`crate::ufunc_i32`]'s, `table[i] = i * 0x9E3779B1` (32 bits, wrapping). The fixture's RTL
//! reads the table from a `$readmemh` data file; this definition is independent of that file.

use crate::ufunc_i32::{ufunc_i32, UfuncOp};
use crate::{GoldenError, Values};

/// Entry `i` of the lookup table.
pub fn table(i: u8) -> i32 {
    u32::from(i).wrapping_mul(0x9E37_79B1) as i32
}

/// Adapter for the registry: streams `a`, `b`, scalar `op` -> stream `out`.
pub fn golden(inputs: &Values) -> Result<Values, GoldenError> {
    let op = UfuncOp::from_register(inputs.scalar("op")? as u32);
    let looked_up: Vec<i32> = inputs.i32s("a")?.iter().map(|&a| table(a as u8)).collect();
    let out = ufunc_i32(op, &looked_up, &inputs.i32s("b")?)?;
    Ok(Values::new().with_i32s("out", &out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn looks_up_the_low_byte() {
        assert_eq!(table(0), 0);
        assert_eq!(table(1), 0x9E37_79B1_u32 as i32);
        let inputs = Values::new().with_i32s("a", &[0x101, -1]).with_i32s("b", &[1, 0]).with_scalar("op", 0);
        let out = golden(&inputs).unwrap().i32s("out").unwrap();
        assert_eq!(out, vec![table(1).wrapping_add(1), table(255)]);
    }
}
