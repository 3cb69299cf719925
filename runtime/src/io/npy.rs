//! NumPy `.npy` files, through the `npyz` crate.
//!
//! Reading: the dtype must be exactly the manifest element's (`<i4` for `i32`, `<f4` for
//! `f32`, `|u1` for `u8`, ...: little-endian; one-byte types with any byte-order mark). Any
//! shape is accepted and flattened in C (row-major) order: a 1-D array as it is, an N-D array
//! `a` as `a.ravel()`, a 0-D array as one element. Fortran-ordered arrays of more than one
//! dimension are refused (save them with `np.ascontiguousarray`). Writing: a 1-D C-order
//! array of the element's dtype.

use std::io::Read;
use std::path::Path;

use codesign_hw::manifest::ElementType;
use npyz::WriterBuilder;

use super::{element_bytes, raw, IoError};

/// The NumPy dtype string of `element` (`<i4`).
pub fn dtype_of(element: ElementType) -> &'static str {
    match element {
        ElementType::I8 => "|i1",
        ElementType::I16 => "<i2",
        ElementType::I32 => "<i4",
        ElementType::I64 => "<i8",
        ElementType::U8 => "|u1",
        ElementType::U16 => "<u2",
        ElementType::U32 => "<u4",
        ElementType::U64 => "<u8",
        ElementType::F32 => "<f4",
    }
}

/// Whether the file's dtype `found` is `element`'s (one-byte types: any byte-order mark).
fn dtype_matches(element: ElementType, found: &str) -> bool {
    let expected = dtype_of(element);
    if element_bytes(element) == 1 {
        found.len() == 3 && found.get(1..) == expected.get(1..) && matches!(found.get(..1), Some("<" | ">" | "|" | "="))
    } else {
        found == expected
    }
}

/// The elements of the `.npy` file in `bytes`.
pub fn decode(path: &Path, element: ElementType, bytes: &[u8]) -> Result<Vec<u64>, IoError> {
    let npy_error = |e: std::io::Error| IoError::Npy { path: path.to_owned(), message: e.to_string() };
    let file = npyz::NpyFile::new(bytes).map_err(npy_error)?;
    let found = match file.dtype() {
        npyz::DType::Plain(type_str) => type_str.to_string(),
        other => other.descr(),
    };
    if !dtype_matches(element, &found) {
        return Err(IoError::DType {
            path: path.to_owned(),
            element: element.as_str(),
            expected: dtype_of(element).to_owned(),
            found,
        });
    }
    let shape = file.shape().to_vec();
    if shape.len() > 1 && file.order() == npyz::Order::Fortran {
        return Err(IoError::Shape {
            path: path.to_owned(),
            shape,
            message: "Fortran-ordered N-D arrays are not read (only C order is flattened); \
                      save with np.ascontiguousarray"
                .to_owned(),
        });
    }
    let count = file.len();
    let wanted = usize::try_from(count).ok().and_then(|n| n.checked_mul(element_bytes(element)));
    let mut data = Vec::new();
    file.into_inner().read_to_end(&mut data).map_err(npy_error)?;
    match wanted {
        Some(wanted) if data.len() >= wanted => raw::decode(path, element, &data[..wanted]),
        _ => Err(IoError::Shape {
            path: path.to_owned(),
            shape,
            message: format!("needs {count} elements but the file has {} bytes of data", data.len()),
        }),
    }
}

/// `elements` as a 1-D `.npy` file of `element`'s dtype.
pub fn encode(path: &Path, element: ElementType, elements: &[u64]) -> Result<Vec<u8>, IoError> {
    let mut out = Vec::new();
    let result = match element {
        ElementType::I8 => write_as(&mut out, elements.iter().map(|&e| e as i8)),
        ElementType::I16 => write_as(&mut out, elements.iter().map(|&e| e as i16)),
        ElementType::I32 => write_as(&mut out, elements.iter().map(|&e| e as i32)),
        ElementType::I64 => write_as(&mut out, elements.iter().map(|&e| e as i64)),
        ElementType::U8 => write_as(&mut out, elements.iter().map(|&e| e as u8)),
        ElementType::U16 => write_as(&mut out, elements.iter().map(|&e| e as u16)),
        ElementType::U32 => write_as(&mut out, elements.iter().map(|&e| e as u32)),
        ElementType::U64 => write_as(&mut out, elements.iter().copied()),
        ElementType::F32 => write_as(&mut out, elements.iter().map(|&e| f32::from_bits(e as u32))),
    };
    result.map_err(|source| IoError::Write { path: path.to_owned(), source })?;
    Ok(out)
}

fn write_as<T: npyz::AutoSerialize>(out: &mut Vec<u8>, values: impl ExactSizeIterator<Item = T>) -> std::io::Result<()> {
    let shape = [values.len() as u64];
    let mut writer = npyz::WriteOptions::<T>::new().default_dtype().shape(&shape).writer(out).begin_nd()?;
    writer.extend(values)?;
    writer.finish()
}
