//! `crop`: NumPy's `x[1:-1, 1:-1]` of a `width` x `height` grid stored row-major: the
//! `(height - 2) x (width - 2)` interior words, unchanged, row-major.
//!
//! The kernel accepts the grids stencil5 accepts, `3 <= width <= 1024` and `height >= 3`, so
//! that the two branches of a Jacobi convergence test (`x -> stencil5`, `x -> crop`) take the
//! same arguments. On other sizes the hardware reads nothing and writes nothing; the model
//! refuses them, like the stencil5 model refuses grids smaller than 3 x 3.

use crate::{GoldenError, Values};

/// Widest grid the kernel accepts (stencil5's line-buffer depth, `CROP_MAX_WIDTH` in the C++).
pub const MAX_WIDTH: i32 = 1024;

/// The interior of a `width` x `height` row-major grid (`width`, `height` are the kernel's
/// signed `int` arguments).
pub fn crop<T: Copy>(width: i32, height: i32, grid: &[T]) -> Result<Vec<T>, GoldenError> {
    if !(3..=MAX_WIDTH).contains(&width) || height < 3 {
        return Err(GoldenError::Shape(format!(
            "crop needs 3 <= width <= {MAX_WIDTH} and height >= 3 (otherwise the kernel reads and \
             writes nothing), got width {width}, height {height}"
        )));
    }
    // Both are positive after the check above.
    let (width, height) = (width as usize, height as usize);
    if grid.len() != width * height {
        return Err(GoldenError::Shape(format!(
            "a {width} x {height} grid has {} elements, got {}",
            width * height,
            grid.len()
        )));
    }
    Ok(grid
        .chunks_exact(width)
        .skip(1)
        .take(height - 2)
        .flat_map(|row| &row[1..width - 1])
        .copied()
        .collect())
}

/// Registry adapter: stream `in`, scalars `width` and `height` (32-bit `int`) -> stream `out`.
pub fn golden(inputs: &Values) -> Result<Values, GoldenError> {
    // The low 32 bits of each scalar, read as the C++ `int` they are.
    let width = inputs.scalar("width")? as u32 as i32;
    let height = inputs.scalar("height")? as u32 as i32;
    let out = crop(width, height, inputs.stream("in")?)?;
    let mut values = Values::new();
    values.streams.insert("out".into(), out);
    Ok(values)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_interior_row_major() {
        // 4 x 3:  0  1  2  3
        //         4  5  6  7
        //         8  9 10 11
        let grid: Vec<u32> = (0..12).collect();
        assert_eq!(crop(4, 3, &grid).unwrap(), [5, 6]);
        let grid: Vec<u32> = (0..9).collect();
        assert_eq!(crop(3, 3, &grid).unwrap(), [4]);
        let grid: Vec<u32> = (0..20).collect();
        assert_eq!(crop(4, 5, &grid).unwrap(), [5, 6, 9, 10, 13, 14]);
    }

    #[test]
    fn refuses_sizes_the_kernel_ignores() {
        assert!(crop(2, 3, &[0u32; 6]).is_err());
        assert!(crop(3, 2, &[0u32; 6]).is_err());
        assert!(crop(MAX_WIDTH + 1, 3, &vec![0u32; 3075]).is_err());
        assert!(crop(-1, -3, &[0u32; 3]).is_err());
        assert!(crop(3, 3, &[0u32; 8]).is_err(), "wrong element count");
        assert_eq!(crop(MAX_WIDTH, 3, &vec![7u32; 3072]).unwrap().len(), 1022);
    }

    #[test]
    fn reads_scalars_as_signed_int() {
        // 0xffff_fffd is -3 as an `int`: refused, not a huge grid.
        let mut inputs = Values::new().with_scalar("width", 0xffff_fffd).with_scalar("height", 3);
        inputs.streams.insert("in".into(), vec![0; 9]);
        assert!(golden(&inputs).is_err());
    }
}
