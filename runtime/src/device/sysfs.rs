//! Reading and writing sysfs attributes. The sysfs root is a parameter everywhere so that
//! tests can build a fake tree in a temp dir.

use std::path::Path;

use super::DeviceError;

/// The real sysfs root.
pub const SYSFS: &str = "/sys";

/// The attribute's text, trimmed; a missing attribute is NotFound naming `key`.
pub fn read(path: &Path, key: &str) -> Result<String, DeviceError> {
    std::fs::read_to_string(path)
        .map(|s| s.trim().to_owned())
        .map_err(|e| DeviceError::from_io("read", path, key, e))
}

/// A number written in hex (`0x43c00000`, as UIO and u-dma-buf print addresses).
pub fn read_hex(path: &Path, key: &str) -> Result<u64, DeviceError> {
    let text = read(path, key)?;
    let digits = text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")).unwrap_or(&text);
    u64::from_str_radix(digits, 16)
        .map_err(|e| DeviceError::Sysfs { path: path.to_owned(), message: format!("`{text}` is not a hex number: {e}") })
}

/// A number written in decimal (u-dma-buf's `size`).
pub fn read_dec(path: &Path, key: &str) -> Result<u64, DeviceError> {
    let text = read(path, key)?;
    text.parse()
        .map_err(|e| DeviceError::Sysfs { path: path.to_owned(), message: format!("`{text}` is not a decimal number: {e}") })
}

/// Writes `value` to the attribute (sysfs takes one write per value).
pub fn write(path: &Path, key: &str, value: &str) -> Result<(), DeviceError> {
    std::fs::write(path, value).map_err(|e| DeviceError::from_io("write", path, key, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_hex_and_decimal_and_names_bad_content() {
        let dir = std::env::temp_dir().join(format!("codesign-sysfs-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("addr"), "0x43c00000\n").unwrap();
        std::fs::write(dir.join("size"), "1048576\n").unwrap();
        std::fs::write(dir.join("bad"), "zz\n").unwrap();
        assert_eq!(read_hex(&dir.join("addr"), "k").unwrap(), 0x43c0_0000);
        assert_eq!(read_dec(&dir.join("size"), "k").unwrap(), 1 << 20);
        let err = read_hex(&dir.join("bad"), "k").unwrap_err().to_string();
        assert!(err.contains("bad") && err.contains("not a hex number"), "{err}");
        let err = read_dec(&dir.join("missing"), "zynq.buffer").unwrap_err().to_string();
        assert!(err.starts_with("device not found") && err.contains("zynq.buffer"), "{err}");
    }
}
