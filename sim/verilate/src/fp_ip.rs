//! Xilinx Floating-Point Operator IP in an export, mapped to behavioural units.
//!
//! Vitis writes a Verilog wrapper `<op>_ip.v` that instantiates `floating_point_v7_1_<n>`
//! (whose simulation model is encrypted VHDL, which Verilator cannot read); Vivado HLS
//! instantiates `<prefix>_ap_f<op>_<latency>_<...>_32` netlists that are not in the export at
//! all. Both are replaced by a module of the same name and ports built from the kernel
//! library's behavioural binary32 units ([`FpUnits`]: the same RTL `ufunc_f32` uses, with
//! its DAZ/FTZ, round-to-nearest-even semantics), followed by registers up to the IP's
//! latency (C_LATENCY), advancing with `aclken` as the IP does.

use std::path::{Path, PathBuf};

use crate::BuildError;

/// The behavioural binary32 units: files and module names. Their ports are the IP's
/// (`aclk, aclken, s_axis_a/b[_operation]_tvalid/tdata, m_axis_result_tvalid/tdata`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FpUnits {
    /// Multiplier: file, module, latency in cycles.
    pub mul: (PathBuf, String, u32),
    /// Adder/subtractor (`s_axis_operation_tdata[0]`: 1 subtracts): file, module, latency.
    pub addsub: (PathBuf, String, u32),
}

/// Module names the units are renamed to in the staged copy (so an export that has modules
/// of the units' original names keeps them).
pub const MUL_UNIT: &str = "codesign_fp32_mul_unit";
/// See [`MUL_UNIT`].
pub const ADDSUB_UNIT: &str = "codesign_fp32_addsub_unit";

/// The operation an IP instance computes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Add,
    Sub,
    AddSub,
    Mul,
}

fn error(source: &Path, message: String) -> BuildError {
    BuildError::Files { message: format!("{}: {message}", source.display()) }
}

/// The integer in `.NAME(<int>)` of a parameter list.
fn parameter(text: &str, name: &str) -> Option<u32> {
    let at = text.find(&format!(".{name}("))?;
    let rest = &text[at + name.len() + 2..];
    rest[..rest.find(')')?].trim().parse().ok()
}

/// The module declared in `text` (the first one).
fn module_name(text: &str) -> Option<&str> {
    text.lines().find_map(|l| {
        let rest = l.trim_start().strip_prefix("module")?;
        rest.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '$')).find(|s| !s.is_empty())
    })
}

/// True when `text` declares a port named `port` (`input ... port;` or in an ANSI header).
fn has_port(text: &str, port: &str) -> bool {
    text.lines().any(|l| {
        let t = l.trim_start();
        (t.starts_with("input") || t.starts_with("output")) && t.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).any(|w| w == port)
    })
}

/// The behavioural replacement of `text` when it is a floating_point_v7_1 wrapper.
pub fn replacement(source: &Path, text: &str) -> Result<Option<String>, BuildError> {
    // The first mention outside a `//` comment is the instance.
    let mut offset = 0;
    let mut found = None;
    for line in text.split_inclusive('\n') {
        let code = line.split("//").next().unwrap_or("");
        if let Some(at) = code.find("floating_point_v7_1") {
            found = Some(offset + at);
            break;
        }
        offset += line.len();
    }
    let Some(at) = found else { return Ok(None) };
    let name = module_name(text).ok_or_else(|| error(source, "floating_point_v7_1 wrapper without a `module`".into()))?;
    let params = &text[at..];
    let flag = |p: &str| parameter(params, p).unwrap_or(0) == 1;
    let op = match (flag("C_HAS_ADD"), flag("C_HAS_SUBTRACT"), flag("C_HAS_MULTIPLY")) {
        (true, true, false) => Op::AddSub,
        (true, false, false) => Op::Add,
        (false, true, false) => Op::Sub,
        (false, false, true) => Op::Mul,
        _ => {
            return Err(error(
                source,
                format!("`{name}`: this floating_point_v7_1 operation has no behavioural unit (add, subtract, add/subtract and multiply have)"),
            ))
        }
    };
    for width in ["C_A_WIDTH", "C_B_WIDTH", "C_RESULT_WIDTH"] {
        if parameter(params, width) != Some(32) {
            return Err(error(source, format!("`{name}`: {width} is not 32: only binary32 units exist")));
        }
    }
    let latency = parameter(params, "C_LATENCY").ok_or_else(|| error(source, format!("`{name}`: no C_LATENCY parameter")))?;
    let ports = Ports { aclken: has_port(text, "aclken"), operation: has_port(text, "s_axis_operation_tdata") };
    Ok(Some(module(name, op, latency, ports)))
}

/// Vivado HLS netlist names: `<prefix>_ap_<op>_<latency>_<...>_32`.
fn vivado_netlist(name: &str) -> Option<Result<(Op, u32), String>> {
    let (_, rest) = name.rsplit_once("_ap_")?;
    let mut parts = rest.split('_');
    let kind = parts.next()?;
    let latency: u32 = parts.next()?.parse().ok()?;
    // `<op>_<latency>_..._<width>`: a floating-point operator netlist by its shape.
    let width = name.rsplit('_').next()?;
    const OPERATORS: &[&str] = &[
        "fadd", "fsub", "faddfsub", "fmul", "fdiv", "fsqrt", "frsqrt", "frecip", "fexp", "flog", "fcmp", "fptrunc", "fpext",
        "sitofp", "uitofp", "fptosi", "fptoui", "dadd", "dsub", "daddsub", "dmul", "ddiv", "dsqrt", "drsqrt", "drecip",
        "dexp", "dlog", "dcmp",
    ];
    if !OPERATORS.contains(&kind) || !(width == "32" || width == "64") {
        return None;
    }
    Some(match (kind, width) {
        ("fadd", "32") => Ok((Op::Add, latency)),
        ("fsub", "32") => Ok((Op::Sub, latency)),
        ("faddfsub", "32") => Ok((Op::AddSub, latency)),
        ("fmul", "32") => Ok((Op::Mul, latency)),
        _ => Err(format!("`{name}`: the floating-point operator `{kind}` ({width} bits) has no behavioural unit (binary32 add, subtract, add/subtract and multiply have)")),
    })
}

/// Modules instantiated in `files` that none of them defines and that name a Vivado HLS FP
/// netlist: their behavioural replacements, as one file's text (empty: none); an operator
/// without a unit is an error naming it.
pub fn missing_netlists(files: &[&str]) -> Result<String, BuildError> {
    let defined: Vec<&str> = files.iter().flat_map(|t| t.lines().filter_map(|l| module_name(l))).collect();
    let mut out = String::new();
    let mut done: Vec<String> = Vec::new();
    for text in files {
        for line in text.lines() {
            let Some(first) = line.split_whitespace().next() else { continue };
            if defined.contains(&first) || done.iter().any(|d| d == first) {
                continue;
            }
            match vivado_netlist(first) {
                Some(Ok((op, latency))) => {
                    let ports = Ports { aclken: true, operation: op == Op::AddSub };
                    out.push_str(&module(first, op, latency, ports));
                    done.push(first.to_owned());
                }
                Some(Err(message)) => return Err(BuildError::Files { message }),
                None => {}
            }
        }
    }
    Ok(out)
}

/// Optional ports of the wrapped IP.
#[derive(Debug, Clone, Copy)]
struct Ports {
    aclken: bool,
    operation: bool,
}

/// A module `name` with the IP's ports: a behavioural unit and registers up to `latency`.
/// The unit's own latency is subtracted in `units_text` (checked there).
fn module(name: &str, op: Op, latency: u32, ports: Ports) -> String {
    let (unit, operation) = match op {
        Op::Mul => (MUL_UNIT, None),
        Op::Add => (ADDSUB_UNIT, Some("8'd0")),
        Op::Sub => (ADDSUB_UNIT, Some("8'd1")),
        Op::AddSub => (ADDSUB_UNIT, Some("s_axis_operation_tdata")),
    };
    let mut v = format!("// codesign: behavioural replacement of the Floating-Point Operator IP `{name}` ({unit}, latency {latency})\n");
    v.push_str(&format!("module {name} (\n    input aclk,\n"));
    if ports.aclken {
        v.push_str("    input aclken,\n");
    }
    v.push_str("    input s_axis_a_tvalid,\n    input [31:0] s_axis_a_tdata,\n    input s_axis_b_tvalid,\n    input [31:0] s_axis_b_tdata,\n");
    if ports.operation {
        v.push_str("    input s_axis_operation_tvalid,\n    input [7:0] s_axis_operation_tdata,\n");
    }
    v.push_str("    output m_axis_result_tvalid,\n    output [31:0] m_axis_result_tdata\n);\n");
    let enable = if ports.aclken { "aclken" } else { "1'b1" };
    v.push_str("wire unit_vld;\nwire [31:0] unit_result;\n");
    v.push_str(&format!("{unit} #(.EXTRA({latency})) unit (.aclk(aclk), .aclken({enable}), .s_axis_a_tvalid(s_axis_a_tvalid), .s_axis_a_tdata(s_axis_a_tdata), .s_axis_b_tvalid(s_axis_b_tvalid), .s_axis_b_tdata(s_axis_b_tdata), "));
    if let Some(operation) = operation {
        let valid = if ports.operation { "s_axis_operation_tvalid" } else { "1'b1" };
        v.push_str(&format!(".s_axis_operation_tvalid({valid}), .s_axis_operation_tdata({operation}), "));
    }
    v.push_str(".m_axis_result_tvalid(m_axis_result_tvalid), .m_axis_result_tdata(m_axis_result_tdata));\nendmodule\n");
    v
}

/// The units' RTL, renamed to [`MUL_UNIT`]/[`ADDSUB_UNIT`] and given a parameter `EXTRA`
/// (the wanted total latency): the unit's own registers, then `EXTRA - own` more.
pub fn units_text(units: &FpUnits, wanted: &[(String, u32)]) -> Result<String, BuildError> {
    let mut out = String::new();
    for ((file, module, own), renamed) in [(&units.mul, MUL_UNIT), (&units.addsub, ADDSUB_UNIT)] {
        if let Some((_, low)) = wanted.iter().find(|(unit, w)| unit == renamed && *w < *own) {
            return Err(BuildError::Files {
                message: format!("a Floating-Point Operator IP with latency {low} is below the behavioural unit's {own} ({})", file.display()),
            });
        }
        let text = std::fs::read_to_string(file).map_err(BuildError::io(file))?;
        let inner = format!("{renamed}_core");
        out.push_str(&text.replace(module.as_str(), &inner));
        out.push_str(&delay_wrapper(renamed, &inner, *own, renamed == ADDSUB_UNIT));
    }
    Ok(out)
}

/// `renamed` = the unit `inner` (latency `own`) followed by `EXTRA - own` registers.
fn delay_wrapper(renamed: &str, inner: &str, own: u32, operation: bool) -> String {
    let op_ports = if operation {
        "    input s_axis_operation_tvalid,\n    input [7:0] s_axis_operation_tdata,\n"
    } else {
        ""
    };
    let op_conn = if operation { ".s_axis_operation_tvalid(s_axis_operation_tvalid), .s_axis_operation_tdata(s_axis_operation_tdata), " } else { "" };
    format!(
        "\nmodule {renamed} #(parameter EXTRA = {own}) (\n    input aclk,\n    input aclken,\n    input s_axis_a_tvalid,\n    input [31:0] s_axis_a_tdata,\n    input s_axis_b_tvalid,\n    input [31:0] s_axis_b_tdata,\n{op_ports}    output m_axis_result_tvalid,\n    output [31:0] m_axis_result_tdata\n);\n\
wire core_vld;\nwire [31:0] core_result;\n\
{inner} core (.aclk(aclk), .aclken(aclken), .s_axis_a_tvalid(s_axis_a_tvalid), .s_axis_a_tdata(s_axis_a_tdata), .s_axis_b_tvalid(s_axis_b_tvalid), .s_axis_b_tdata(s_axis_b_tdata), {op_conn}.m_axis_result_tvalid(core_vld), .m_axis_result_tdata(core_result));\n\
localparam STAGES = EXTRA - {own};\n\
generate if (STAGES == 0) begin : direct\n    assign m_axis_result_tvalid = core_vld;\n    assign m_axis_result_tdata = core_result;\nend else begin : delayed\n    reg [STAGES-1:0] vld;\n    reg [31:0] data [0:STAGES-1];\n    integer i;\n    always @ (posedge aclk) begin\n        if (aclken == 1'b1) begin\n            vld[0] <= core_vld;\n            data[0] <= core_result;\n            for (i = 1; i < STAGES; i = i + 1) begin\n                vld[i] <= vld[i-1];\n                data[i] <= data[i-1];\n            end\n        end\n    end\n    assign m_axis_result_tvalid = vld[STAGES-1];\n    assign m_axis_result_tdata = data[STAGES-1];\nend endgenerate\nendmodule\n"
    )
}

/// The unit and latency of every replacement module in `text` (from the comment line
/// [`module`] writes).
pub fn latencies(text: &str) -> Vec<(String, u32)> {
    text.lines()
        .filter_map(|l| l.strip_prefix("// codesign: behavioural replacement of the Floating-Point Operator IP `"))
        .filter_map(|l| {
            let (_, rest) = l.rsplit_once("` (")?;
            let (unit, latency) = rest.split_once(", latency ")?;
            Some((unit.to_owned(), latency.trim_end_matches(')').parse().ok()?))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const WRAPPER: &str = "module k_fmul_32ns_32ns_32_4_max_dsp_1_ip (\n  aclk, aclken, s_axis_a_tvalid, s_axis_a_tdata, s_axis_b_tvalid, s_axis_b_tdata, m_axis_result_tvalid, m_axis_result_tdata);\ninput wire aclk;\ninput wire aclken;\n  floating_point_v7_1_13 #(\n    .C_HAS_ADD(0),\n    .C_HAS_SUBTRACT(0),\n    .C_HAS_MULTIPLY(1),\n    .C_A_WIDTH(32),\n    .C_B_WIDTH(32),\n    .C_RESULT_WIDTH(32),\n    .C_LATENCY(2)\n  ) inst ();\nendmodule\n";

    #[test]
    fn a_multiply_wrapper_becomes_the_unit_with_its_latency() {
        let v = replacement(Path::new("k.v"), WRAPPER).unwrap().unwrap();
        assert!(v.contains("module k_fmul_32ns_32ns_32_4_max_dsp_1_ip (") && v.contains("input aclken"), "{v}");
        assert!(v.contains("codesign_fp32_mul_unit #(.EXTRA(2))"), "{v}");
        assert_eq!(latencies(&v), vec![(MUL_UNIT.to_owned(), 2)]);
        assert_eq!(replacement(Path::new("k.v"), "// floating_point_v7_1 core\nmodule x; endmodule\n").unwrap(), None);
    }

    #[test]
    fn unmodelled_operations_and_widths_are_named() {
        let err = replacement(Path::new("k.v"), &WRAPPER.replace(".C_HAS_MULTIPLY(1)", ".C_HAS_DIVIDE(1)")).unwrap_err().to_string();
        assert!(err.contains("`k_fmul_32ns_32ns_32_4_max_dsp_1_ip`: this floating_point_v7_1 operation has no behavioural unit"), "{err}");
        let err = replacement(Path::new("k.v"), &WRAPPER.replace(".C_A_WIDTH(32)", ".C_A_WIDTH(64)")).unwrap_err().to_string();
        assert!(err.contains("C_A_WIDTH is not 32"), "{err}");
    }

    #[test]
    fn vivado_netlists_that_no_file_defines_are_generated() {
        let top = "module k_fadd_32ns_32ns_32_5_full_dsp_1 (...);\nk_ap_fadd_3_full_dsp_32 k_ap_fadd_3_full_dsp_32_u (\n);\nendmodule\n";
        let v = missing_netlists(&[top]).unwrap();
        assert!(v.contains("module k_ap_fadd_3_full_dsp_32 (") && v.contains(".s_axis_operation_tdata(8'd0)"), "{v}");
        assert_eq!(missing_netlists(&[top, "module k_ap_fadd_3_full_dsp_32 (a);\nendmodule\n"]).unwrap(), "");
        let err = missing_netlists(&["k_ap_fdiv_14_no_dsp_32 u (\n);\n"]).unwrap_err().to_string();
        assert!(err.contains("`k_ap_fdiv_14_no_dsp_32`: the floating-point operator `fdiv` (32 bits) has no behavioural unit"), "{err}");
        let err = missing_netlists(&["k_ap_dadd_5_full_dsp_64 u (\n);\n"]).unwrap_err().to_string();
        assert!(err.contains("`dadd` (64 bits)"), "{err}");
        assert_eq!(missing_netlists(&["k_ap_start_1_x_32 u ();\n"]).unwrap(), "", "not an operator");
    }
}
