//! The port list, read from Verilator's own `V<top>.h` so that non-ANSI Verilog (as Vitis
//! exports it) works without a Verilog parser of our own.

use std::path::Path;

use crate::BuildError;

/// Direction of a top-level port.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Driven by the testbench.
    Input,
    /// Driven by the model.
    Output,
    /// Bidirectional (rare in HLS exports; treated as an output when read).
    Inout,
}

/// One top-level port of a verilated model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Port {
    /// The RTL name (`interrupt`, not Verilator's `__SYM__interrupt`).
    pub name: String,
    /// The C++ member name in `V<top>`.
    pub member: String,
    /// Direction.
    pub direction: Direction,
    /// Width in bits (msb - lsb + 1), at most 4096.
    pub width: u32,
}

/// Widest port accepted: the AXI4-Stream TDATA limit.
pub const MAX_WIDTH: u32 = 4096;

/// Parses the `VL_IN8(&name,msb,lsb);` ... `VL_OUTW(&name,msb,lsb,words);` lines.
pub fn parse_ports(header_path: &Path, header: &str) -> Result<Vec<Port>, BuildError> {
    let bad = |detail: String| BuildError::Output { path: header_path.to_owned(), detail };
    let mut ports = Vec::new();
    for line in header.lines() {
        let line = line.trim();
        let Some((macro_name, args)) = line.split_once('(') else { continue };
        let direction = match macro_name {
            "VL_IN8" | "VL_IN16" | "VL_IN" | "VL_IN64" | "VL_INW" => Direction::Input,
            "VL_OUT8" | "VL_OUT16" | "VL_OUT" | "VL_OUT64" | "VL_OUTW" => Direction::Output,
            "VL_INOUT8" | "VL_INOUT16" | "VL_INOUT" | "VL_INOUT64" | "VL_INOUTW" => Direction::Inout,
            _ => continue,
        };
        let args = args.trim_end_matches(';').trim_end_matches(')');
        let fields: Vec<&str> = args.split(',').map(str::trim).collect();
        let member = fields
            .first()
            .and_then(|f| f.strip_prefix('&'))
            .ok_or_else(|| bad(format!("cannot read port declaration `{line}`")))?;
        let bit = |i: usize| -> Result<u32, BuildError> {
            fields
                .get(i)
                .and_then(|f| f.parse().ok())
                .ok_or_else(|| bad(format!("cannot read bit range of `{line}`")))
        };
        let (msb, lsb) = (bit(1)?, bit(2)?);
        let width = msb.checked_sub(lsb).map(|w| w + 1).ok_or_else(|| bad(format!("msb < lsb in `{line}`")))?;
        if width > MAX_WIDTH {
            return Err(bad(format!("port `{member}` is {width} bits wide; the limit is {MAX_WIDTH}")));
        }
        let name = member.strip_prefix("__SYM__").unwrap_or(member).to_owned();
        ports.push(Port { name, member: member.to_owned(), direction, width });
    }
    if ports.is_empty() {
        return Err(bad("no VL_IN*/VL_OUT* port declarations found".to_owned()));
    }
    Ok(ports)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_width_class_and_reserved_names() {
        let header = "  VL_IN8(&ap_clk,0,0);\n VL_OUT8(&__SYM__interrupt,0,0);\n VL_IN(&a_TDATA,31,0);\n\
                      VL_INW(&w,511,0,16);\n VL_OUT64(&q,63,0);\n // VL_IN8 comment\n";
        let ports = parse_ports(Path::new("V.h"), header).unwrap();
        let summary: Vec<_> = ports.iter().map(|p| (p.name.as_str(), p.member.as_str(), p.direction, p.width)).collect();
        assert_eq!(
            summary,
            [
                ("ap_clk", "ap_clk", Direction::Input, 1),
                ("interrupt", "__SYM__interrupt", Direction::Output, 1),
                ("a_TDATA", "a_TDATA", Direction::Input, 32),
                ("w", "w", Direction::Input, 512),
                ("q", "q", Direction::Output, 64),
            ]
        );
    }

    #[test]
    fn rejects_a_header_without_ports() {
        let err = parse_ports(Path::new("V.h"), "class V {};").unwrap_err();
        assert!(err.to_string().contains("no VL_IN"), "{err}");
    }
}
