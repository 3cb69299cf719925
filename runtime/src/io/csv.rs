//! CSV files: decimal values, one per line or comma-separated (blank lines and empty fields
//! are skipped). Integers must fit the element type; `f32` values are parsed as `f32`
//! (`1.5`, `-0`, `1e3`, `inf`, `NaN`) and stored as their bits.

use std::path::Path;

use codesign_hw::manifest::ElementType;

use super::{element_mask, IoError};

/// The elements in `bytes`.
pub fn decode(path: &Path, element: ElementType, bytes: &[u8]) -> Result<Vec<u64>, IoError> {
    let text = String::from_utf8_lossy(bytes);
    let mut elements = Vec::new();
    for (index, line) in text.lines().enumerate() {
        for field in line.split(',').map(str::trim).filter(|f| !f.is_empty()) {
            let value = parse(element, field).map_err(|message| IoError::Csv {
                path: path.to_owned(),
                line: index + 1,
                value: field.to_owned(),
                element: element.as_str(),
                message,
            })?;
            elements.push(value);
        }
    }
    Ok(elements)
}

/// One value of type `element`, as raw bits.
fn parse(element: ElementType, field: &str) -> Result<u64, String> {
    if element == ElementType::F32 {
        return field.parse::<f32>().map(|f| u64::from(f.to_bits())).map_err(|e| e.to_string());
    }
    let value: i128 = field.parse().map_err(|e| format!("{e} (a decimal integer is expected)"))?;
    let bits = element.bits();
    let signed = matches!(element, ElementType::I8 | ElementType::I16 | ElementType::I32 | ElementType::I64);
    let (min, max) = if signed { (-(1i128 << (bits - 1)), (1i128 << (bits - 1)) - 1) } else { (0, (1i128 << bits) - 1) };
    if value < min || value > max {
        return Err(format!("out of range {min}..={max}"));
    }
    Ok(value as u64 & element_mask(element))
}

/// `elements` as text, one decimal value per line (`f32` in Rust's shortest round-trip form).
pub fn encode(element: ElementType, elements: &[u64]) -> String {
    let mut text = String::new();
    for &raw in elements {
        let value = match element {
            ElementType::I8 => (raw as i8).to_string(),
            ElementType::I16 => (raw as i16).to_string(),
            ElementType::I32 => (raw as i32).to_string(),
            ElementType::I64 => (raw as i64).to_string(),
            ElementType::F32 => f32::from_bits(raw as u32).to_string(),
            _ => (raw & element_mask(element)).to_string(),
        };
        text.push_str(&value);
        text.push('\n');
    }
    text
}
