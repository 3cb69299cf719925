//! Raw files: elements back to back, little-endian, each as wide as the element type.

use std::path::Path;

use codesign_hw::manifest::ElementType;

use super::{element_bytes, IoError};

/// The elements in `bytes`; its length must be a whole number of elements.
pub fn decode(path: &Path, element: ElementType, bytes: &[u8]) -> Result<Vec<u64>, IoError> {
    let size = element_bytes(element);
    if !bytes.len().is_multiple_of(size) {
        return Err(IoError::RawLength { path: path.to_owned(), len: bytes.len(), bytes: size, element: element.as_str() });
    }
    Ok(bytes
        .chunks_exact(size)
        .map(|chunk| {
            let mut word = [0u8; 8];
            word[..size].copy_from_slice(chunk);
            u64::from_le_bytes(word)
        })
        .collect())
}

/// `elements` as raw little-endian bytes (the low bytes of each).
pub fn encode(element: ElementType, elements: &[u64]) -> Vec<u8> {
    let size = element_bytes(element);
    elements.iter().flat_map(|e| e.to_le_bytes().into_iter().take(size)).collect()
}
