//! Stream data in and out of files, for `codesign run --input/--output/--expect`.
//!
//! The format follows the extension: `.npy` (NumPy; see [`npy`]), `.csv` (see [`csv`]),
//! anything else raw little-endian elements of the manifest element's width (see [`raw`]).
//! Elements are raw bit patterns in the low bits of a `u64`, as in
//! [`codesign_models::Values`] (an `i32` of -1 is `0xffff_ffff`).

pub mod csv;
pub mod npy;
pub mod raw;

use std::path::{Path, PathBuf};

use codesign_hw::manifest::ElementType;

/// Why a stream file could not be read or written. Every variant names the file.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum IoError {
    /// The OS refused to read the file.
    #[error("{path}: cannot read: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// The OS refused to write the file.
    #[error("{path}: cannot write: {source}")]
    Write {
        /// The file.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// A `.npy` file whose header could not be parsed.
    #[error("{path}: not a valid .npy file: {message}")]
    Npy {
        /// The file.
        path: PathBuf,
        /// What the parser said.
        message: String,
    },
    /// A `.npy` file whose dtype is not the manifest element's.
    #[error("{path}: dtype mismatch: the stream's element type {element} needs dtype `{expected}`, the file has `{found}`")]
    DType {
        /// The file.
        path: PathBuf,
        /// The manifest element type.
        element: &'static str,
        /// The dtype it needs (`<i4`).
        expected: String,
        /// The dtype in the file.
        found: String,
    },
    /// A `.npy` array that cannot be flattened in C order, or whose data is short.
    #[error("{path}: shape {shape:?}: {message}")]
    Shape {
        /// The file.
        path: PathBuf,
        /// The shape in the header.
        shape: Vec<u64>,
        /// What does not fit.
        message: String,
    },
    /// A CSV value that is not a number of the element type.
    #[error("{path}:{line}: `{value}` is not {element}: {message}")]
    Csv {
        /// The file.
        path: PathBuf,
        /// Line number (1-based).
        line: usize,
        /// The offending text.
        value: String,
        /// The manifest element type.
        element: &'static str,
        /// Why.
        message: String,
    },
    /// A raw file whose length is not a whole number of elements.
    #[error("{path}: {len} bytes is not a multiple of the {bytes}-byte {element} element")]
    RawLength {
        /// The file.
        path: PathBuf,
        /// File length in bytes.
        len: usize,
        /// Bytes per element.
        bytes: usize,
        /// The manifest element type.
        element: &'static str,
    },
}

/// The formats a stream file can have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// NumPy `.npy`.
    Npy,
    /// Comma- or line-separated decimal text.
    Csv,
    /// Raw little-endian elements.
    Raw,
}

impl Format {
    /// The format of `path`, from its extension (case-insensitive): `.npy`, `.csv`, else raw.
    pub fn of(path: &Path) -> Format {
        match path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
            Some("npy") => Format::Npy,
            Some("csv") => Format::Csv,
            _ => Format::Raw,
        }
    }
}

/// Reads the elements of one stream of type `element` from `path`.
pub fn read_stream(path: &Path, element: ElementType) -> Result<Vec<u64>, IoError> {
    let bytes = std::fs::read(path).map_err(|source| IoError::Read { path: path.to_owned(), source })?;
    match Format::of(path) {
        Format::Npy => npy::decode(path, element, &bytes),
        Format::Csv => csv::decode(path, element, &bytes),
        Format::Raw => raw::decode(path, element, &bytes),
    }
}

/// Writes `elements` (raw bit patterns of type `element`) to `path`, replacing it.
pub fn write_stream(path: &Path, element: ElementType, elements: &[u64]) -> Result<(), IoError> {
    let bytes = match Format::of(path) {
        Format::Npy => npy::encode(path, element, elements)?,
        Format::Csv => csv::encode(element, elements).into_bytes(),
        Format::Raw => raw::encode(element, elements),
    };
    std::fs::write(path, bytes).map_err(|source| IoError::Write { path: path.to_owned(), source })
}

/// Bytes per element of `element`.
pub fn element_bytes(element: ElementType) -> usize {
    element.bits() as usize / 8
}

/// The mask of `element`'s bits in a `u64`.
pub fn element_mask(element: ElementType) -> u64 {
    match element.bits() {
        64 => u64::MAX,
        bits => (1u64 << bits) - 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [ElementType; 9] = [
        ElementType::I8,
        ElementType::I16,
        ElementType::I32,
        ElementType::I64,
        ElementType::U8,
        ElementType::U16,
        ElementType::U32,
        ElementType::U64,
        ElementType::F32,
    ];

    fn temp(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("codesign-io-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        dir.join(name)
    }

    /// Extreme and ordinary bit patterns of `element`.
    fn samples(element: ElementType) -> Vec<u64> {
        let mask = element_mask(element);
        if element == ElementType::F32 {
            return [0.0f32, -0.0, 1.5, -2.25e-3, f32::MAX, f32::MIN_POSITIVE, 1e-45, f32::INFINITY, f32::NEG_INFINITY]
                .iter()
                .map(|f| u64::from(f.to_bits()))
                .collect();
        }
        vec![0, 1, mask, mask >> 1, (mask >> 1) + 1, 0x1234_5678_9abc_def0 & mask]
    }

    #[test]
    fn every_format_round_trips_every_element_type() {
        for element in ALL {
            for ext in ["npy", "csv", "bin"] {
                let path = temp(&format!("round-{}.{ext}", element.as_str()));
                let values = samples(element);
                write_stream(&path, element, &values).unwrap();
                assert_eq!(read_stream(&path, element).unwrap(), values, "{} .{ext}", element.as_str());
            }
        }
    }

    #[test]
    fn npy_dtype_mismatch_names_file_and_both_dtypes() {
        let path = temp("f32-as-i32.npy");
        write_stream(&path, ElementType::F32, &[0x3f80_0000]).unwrap();
        let message = read_stream(&path, ElementType::I32).unwrap_err().to_string();
        assert!(message.contains("f32-as-i32.npy"), "{message}");
        assert!(message.contains("`<i4`") && message.contains("`<f4`"), "{message}");
    }

    #[test]
    fn npy_dtypes_are_numpys() {
        let cases = [
            (ElementType::I8, "|i1"),
            (ElementType::U8, "|u1"),
            (ElementType::I16, "<i2"),
            (ElementType::U16, "<u2"),
            (ElementType::I32, "<i4"),
            (ElementType::U32, "<u4"),
            (ElementType::I64, "<i8"),
            (ElementType::U64, "<u8"),
            (ElementType::F32, "<f4"),
        ];
        for (element, dtype) in cases {
            assert_eq!(npy::dtype_of(element).to_string(), dtype);
        }
    }

    #[test]
    fn npy_2d_c_order_flattens() {
        // np.arange(6, dtype='<i4').reshape(2, 3), written by hand.
        let header = "{'descr': '<i4', 'fortran_order': False, 'shape': (2, 3), }";
        let mut bytes = b"\x93NUMPY\x01\x00".to_vec();
        let padded = {
            let mut h = header.to_owned();
            while !(10 + h.len() + 1).is_multiple_of(64) {
                h.push(' ');
            }
            h.push('\n');
            h
        };
        bytes.extend_from_slice(&(padded.len() as u16).to_le_bytes());
        bytes.extend_from_slice(padded.as_bytes());
        for i in 0..6i32 {
            bytes.extend_from_slice(&i.to_le_bytes());
        }
        let path = temp("2d.npy");
        std::fs::write(&path, &bytes).unwrap();
        assert_eq!(read_stream(&path, ElementType::I32).unwrap(), vec![0, 1, 2, 3, 4, 5]);
        let at = bytes.windows(5).position(|w| w == b"False").unwrap();
        bytes[at..at + 5].copy_from_slice(b"True ");
        std::fs::write(&path, &bytes).unwrap();
        let message = read_stream(&path, ElementType::I32).unwrap_err().to_string();
        assert!(message.contains("Fortran"), "{message}");
    }

    #[test]
    fn csv_accepts_lines_and_commas_and_checks_ranges() {
        let path = temp("mixed.csv");
        std::fs::write(&path, "1, -1,2\n\n 3\r\n-2147483648,\n").unwrap();
        assert_eq!(read_stream(&path, ElementType::I32).unwrap(), vec![1, 0xffff_ffff, 2, 3, 0x8000_0000]);
        std::fs::write(&path, "1\n2147483648\n").unwrap();
        let message = read_stream(&path, ElementType::I32).unwrap_err().to_string();
        assert!(message.contains("mixed.csv:2") && message.contains("2147483648"), "{message}");
        std::fs::write(&path, "1.5\n").unwrap();
        assert!(read_stream(&path, ElementType::U8).is_err());
        std::fs::write(&path, "1.5, -0, 1e3\n").unwrap();
        assert_eq!(read_stream(&path, ElementType::F32).unwrap(), vec![0x3fc0_0000, 0x8000_0000, 0x447a_0000]);
    }

    #[test]
    fn raw_length_must_be_whole_elements() {
        let path = temp("odd.bin");
        std::fs::write(&path, [1u8, 0, 0, 0, 2, 0]).unwrap();
        let message = read_stream(&path, ElementType::I32).unwrap_err().to_string();
        assert!(message.contains("odd.bin") && message.contains("6 bytes"), "{message}");
        assert_eq!(read_stream(&path, ElementType::U16).unwrap(), vec![1, 0, 2]);
    }

    #[test]
    fn missing_file_names_it() {
        let message = read_stream(Path::new("/nonexistent/a.npy"), ElementType::I32).unwrap_err().to_string();
        assert!(message.contains("/nonexistent/a.npy"), "{message}");
    }
}
