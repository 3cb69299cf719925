//! NumPy arrays to the runtime's raw elements (bit patterns in the low bits of a `u64`) and
//! back, with the manifest's element type deciding the dtype.
//!
//! Inputs: the array's dtype must be exactly the element's (`<i4` for `i32`), else
//! `TypeError`; any shape is flattened in C order (as `codesign run` does for `.npy` files).
//! A C-contiguous array is read in place as a slice, with no intermediate copy; the one pass
//! that widens each element to a `u64` is the `Values` format itself. Other layouts are read
//! through a strided view, in C order.

use codesign::io::npy::dtype_of;
use codesign_hw::manifest::ElementType;
use numpy::{
    dtype, Element, IntoPyArray, PyArrayDescrMethods, PyArrayDyn, PyArrayMethods, PyUntypedArray,
    PyUntypedArrayMethods,
};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;

/// A NumPy element type and its raw bit pattern.
trait Raw: Element + Copy {
    fn raw(self) -> u64;
    fn from_raw(raw: u64) -> Self;
}

macro_rules! raw_int {
    ($($t:ty => $u:ty),*) => {$(
        impl Raw for $t {
            fn raw(self) -> u64 {
                u64::from(self as $u)
            }
            fn from_raw(raw: u64) -> Self {
                raw as $t
            }
        }
    )*};
}
raw_int!(i8 => u8, i16 => u16, i32 => u32, i64 => u64, u8 => u8, u16 => u16, u32 => u32, u64 => u64);

impl Raw for f32 {
    fn raw(self) -> u64 {
        u64::from(self.to_bits())
    }
    fn from_raw(raw: u64) -> Self {
        f32::from_bits(raw as u32)
    }
}

/// Calls `$body` with `$t` bound to the NumPy element type of `$element`.
macro_rules! with_element {
    ($element:expr, $t:ident => $body:expr) => {
        match $element {
            ElementType::I8 => { type $t = i8; $body }
            ElementType::I16 => { type $t = i16; $body }
            ElementType::I32 => { type $t = i32; $body }
            ElementType::I64 => { type $t = i64; $body }
            ElementType::U8 => { type $t = u8; $body }
            ElementType::U16 => { type $t = u16; $body }
            ElementType::U32 => { type $t = u32; $body }
            ElementType::U64 => { type $t = u64; $body }
            ElementType::F32 => { type $t = f32; $body }
        }
    };
}

/// The raw elements of `array`, whose dtype must be `element`'s. `what` names the input in
/// the error (`kernel `ufunc_i32` input stream `a``).
pub fn read(array: &Bound<'_, PyUntypedArray>, element: ElementType, what: &str) -> PyResult<Vec<u64>> {
    with_element!(element, T => read_as::<T>(array, element, what))
}

fn read_as<T: Raw>(array: &Bound<'_, PyUntypedArray>, element: ElementType, what: &str) -> PyResult<Vec<u64>> {
    let py = array.py();
    let found = array.dtype();
    if !found.is_equiv_to(&dtype::<T>(py)) {
        let found: String = found.getattr("str").and_then(|s| s.extract()).unwrap_or_else(|_| "?".to_owned());
        // The CLI's wording for a .npy file of the wrong dtype (codesign::io::IoError::DType).
        return Err(PyTypeError::new_err(format!(
            "{what}: dtype mismatch: the stream's element type {} needs dtype `{}`, the array has `{found}`",
            element.as_str(),
            dtype_of(element)
        )));
    }
    let typed = array
        .cast::<PyArrayDyn<T>>()?
        .try_readonly()
        .map_err(|e| PyValueError::new_err(format!("{what}: the array cannot be read: {e}")))?;
    // as_slice also takes Fortran order (memory order); only C order is read flat.
    Ok(match typed.as_slice() {
        Ok(slice) if array.is_c_contiguous() => slice.iter().map(|&e| e.raw()).collect(),
        _ => typed.as_array().iter().map(|&e| e.raw()).collect(),
    })
}

/// `raw` as a 1-D array of `element`'s dtype (the vector is moved into NumPy, not copied
/// again).
pub fn write<'py>(py: Python<'py>, element: ElementType, raw: &[u64]) -> Bound<'py, PyAny> {
    with_element!(element, T => raw.iter().map(|&e| T::from_raw(e)).collect::<Vec<T>>().into_pyarray(py).into_any())
}
