//! C simulation's entry point, generated from a manifest: C++ that fills the HLS top's
//! streams, arrays and scalars from raw element arrays, calls it (once per transaction, or
//! while a free-running kernel consumes input) and collects its outputs
//! (hw/hls_include/codesign_csim.h). One generator for both paths: hw/build.rs compiles the
//! library's kernels into a static library; the runtime compiles an out-of-tree folder's into a
//! shared library at run time. [`layout`] is the order both sides pass the arrays in.

use std::fmt::Write;
use std::path::{Path, PathBuf};

use crate::manifest::{BlockProtocol, Manifest, ScalarArg, StreamDirection};

/// codesign's own headers under hw/hls_include that the generated entry includes.
pub const HEADERS: [&str; 4] = ["hls_stream.h", "ap_axi_sdata.h", "codesign_csim.h", "codesign_buffers.h"];

/// Their text, embedded so that a copied `codesign` binary compiles a kernel folder's C++
/// without the source tree.
pub const HEADER_TEXTS: [(&str, &str); 4] = [
    ("hls_stream.h", include_str!("../hls_include/hls_stream.h")),
    ("ap_axi_sdata.h", include_str!("../hls_include/ap_axi_sdata.h")),
    ("codesign_csim.h", include_str!("../hls_include/codesign_csim.h")),
    ("codesign_buffers.h", include_str!("../hls_include/codesign_buffers.h")),
];

/// The C++ return value's name among the args.
pub const RETURN: &str = "ap_return";

/// One kernel's csim sources and the symbol of its entry point.
pub struct CsimKernel {
    /// Kernel name.
    pub name: String,
    /// Generated C++ of the entry point.
    pub source: String,
    /// The kernel's HLS folder (for its headers).
    pub hls_dir: PathBuf,
    /// HLS files, for the cache key.
    pub files: Vec<PathBuf>,
}

/// What travels in one element array of the entry point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlotKind {
    /// An `hls::stream` (axis or ap_fifo): every element of the call.
    Stream,
    /// An m_axi pointer: the buffer's elements.
    Buffer,
    /// An ap_memory array: `depth` elements per transaction.
    Array {
        /// Elements per transaction.
        depth: usize,
    },
    /// A bare (non-s_axilite) scalar: one element per transaction.
    Scalar,
}

/// One element array of the entry point.
#[derive(Debug, Clone, Copy)]
pub struct Slot<'a> {
    /// Stream, buffer, array or argument name.
    pub name: &'a str,
    /// What it carries.
    pub kind: SlotKind,
    /// Significant bits of an element (outputs are masked to them).
    pub bits: u32,
}

/// The entry point's arrays in order: element arrays in and out, then the s_axilite scalars.
#[derive(Debug)]
pub struct Layout<'a> {
    /// Input element arrays: input streams, in/inout buffers, in/inout arrays, bare input
    /// scalars.
    pub inputs: Vec<Slot<'a>>,
    /// Output element arrays, in the same order of kinds.
    pub outputs: Vec<Slot<'a>>,
    /// s_axilite input scalars (one value per call).
    pub scalars_in: Vec<&'a ScalarArg>,
    /// s_axilite output scalars.
    pub scalars_out: Vec<&'a ScalarArg>,
}

/// The order the generated entry point and its caller agree on.
pub fn layout(m: &Manifest) -> Layout<'_> {
    let mut inputs: Vec<Slot> = m.inputs().map(|s| Slot { name: &s.name, kind: SlotKind::Stream, bits: s.element.bits() }).collect();
    let mut outputs: Vec<Slot> = m.outputs().map(|s| Slot { name: &s.name, kind: SlotKind::Stream, bits: s.element.bits() }).collect();
    for b in &m.buffers {
        let slot = Slot { name: &b.name, kind: SlotKind::Buffer, bits: b.element.bits() };
        if b.direction.is_input() {
            inputs.push(slot);
        }
        if b.direction.is_output() {
            outputs.push(slot);
        }
    }
    for a in &m.arrays {
        let slot = Slot { name: &a.name, kind: SlotKind::Array { depth: a.depth }, bits: a.element.bits() };
        if a.direction.is_input() {
            inputs.push(slot);
        }
        if a.direction.is_output() {
            outputs.push(slot);
        }
    }
    let (bare, registers): (Vec<&ScalarArg>, Vec<&ScalarArg>) = m.args.iter().partition(|a| a.register().is_none());
    for a in bare {
        let slot = Slot { name: &a.name, kind: SlotKind::Scalar, bits: a.width.min(64) };
        if a.direction.is_input() {
            inputs.push(slot);
        }
        if a.direction.is_output() {
            outputs.push(slot);
        }
    }
    Layout {
        inputs,
        scalars_in: registers.iter().copied().filter(|a| a.direction.is_input()).collect(),
        scalars_out: registers.into_iter().filter(|a| a.direction.is_output()).collect(),
        outputs,
    }
}

/// Transactions in a call, from the lengths of its inputs (`len(name)`): the common length of
/// the bare scalar inputs, else the input arrays' length / depth, else 1. Free-running
/// kernels have none (the entry calls the C++ while it consumes input): 1.
pub fn transactions(m: &Manifest, len: impl Fn(&str) -> usize) -> Result<usize, String> {
    if m.control.protocol == BlockProtocol::ApCtrlNone {
        return Ok(1);
    }
    let layout = layout(m);
    let mut found: Option<(usize, String)> = None;
    for slot in &layout.inputs {
        let (n, what) = match slot.kind {
            SlotKind::Scalar => (len(slot.name), format!("scalar `{}` has {} values", slot.name, len(slot.name))),
            SlotKind::Array { depth } => {
                let elements = len(slot.name);
                if elements == 0 || !elements.is_multiple_of(depth) {
                    return Err(format!("array `{}`: {elements} elements is not a whole number of its depth {depth}", slot.name));
                }
                (elements / depth, format!("array `{}` holds {} transactions", slot.name, elements / depth))
            }
            _ => continue,
        };
        match &found {
            Some((want, first)) if *want != n => return Err(format!("transactions disagree: {first}, {what}")),
            Some(_) => {}
            None => found = Some((n, what)),
        }
    }
    match found {
        Some((0, what)) => Err(format!("no transaction: {what}")),
        Some((n, _)) => Ok(n),
        None => Ok(1),
    }
}

/// The entry point's symbol for kernel `name`.
pub fn symbol(name: &str) -> String {
    format!("codesign_csim_{name}")
}

/// The generated entry point `codesign_csim_<name>`, or `None` without a `csim` section.
pub fn entry(manifest: &Manifest, dir: &Path) -> Option<CsimKernel> {
    let csim = manifest.csim.as_ref()?;
    let layout = layout(manifest);
    let free_running = manifest.control.protocol == BlockProtocol::ApCtrlNone;
    let index = |slots: &[Slot], name: &str| slots.iter().position(|s| s.name == name);
    // Code before the calls, before each call, after each call and after the calls. `k_t` is
    // the transaction's index into per-transaction inputs and outputs.
    let (mut setup, mut before, mut after, mut finish) = (String::new(), String::new(), String::new(), String::new());
    let mut input_streams = Vec::new();
    let mut output_streams = Vec::new();
    for (i, name) in csim.args.iter().enumerate() {
        let param = format!("std::get<{i}>(s)");
        let element_type = format!(
            "typedef typename std::remove_cv<typename std::remove_pointer<typename std::tuple_element<{i}, Storage>::type>::type>::type E{i};"
        );
        if let Some(stream) = manifest.streams.iter().find(|s| &s.name == name) {
            let (lanes, bits) = (stream.lanes, stream.element.bits());
            if stream.direction == StreamDirection::In {
                let k = index(&layout.inputs, name).unwrap_or(0);
                let _ = writeln!(setup, "        codesign::fill({param}, in[{k}], in_len[{k}], {lanes}, {bits});");
                input_streams.push(param);
            } else {
                let k = index(&layout.outputs, name).unwrap_or(0);
                let _ = writeln!(finish, "        out_len[{k}] = codesign::drain({param}, out[{k}], out_cap[{k}], {lanes}, {bits});");
                output_streams.push((param, k));
            }
        } else if let Some(buffer) = manifest.buffer(name) {
            // m_axi pointers: a host array of the pointee type, packed from the elements.
            let bits = buffer.element.bits();
            let _ = writeln!(setup, "        {element_type}");
            let (data, len, capacity) = match index(&layout.inputs, name) {
                Some(k) => (format!("in[{k}]"), format!("in_len[{k}]"), "0".to_owned()),
                None => ("nullptr".to_owned(), "0".to_owned(), format!("out_cap[{}]", index(&layout.outputs, name).unwrap_or(0))),
            };
            let _ = writeln!(setup, "        std::vector<E{i}> buffer{i} = codesign::pack_buffer<E{i}>({data}, {len}, {bits}, {capacity});");
            let _ = writeln!(setup, "        {param} = buffer{i}.data();");
            if let Some(k) = index(&layout.outputs, name) {
                let _ = writeln!(finish, "        out_len[{k}] = codesign::unpack_buffer(buffer{i}, out[{k}], out_cap[{k}], {bits});");
            }
        } else if let Some(array) = manifest.array(name) {
            // ap_memory arrays (`T x[depth]`, a pointer in the signature): `depth` elements
            // in before each transaction, out after it.
            let depth = array.depth;
            let _ = writeln!(setup, "        {element_type}");
            let _ = writeln!(setup, "        std::vector<E{i}> array{i}({depth});");
            let _ = writeln!(setup, "        {param} = array{i}.data();");
            match index(&layout.inputs, name) {
                Some(k) => {
                    let _ = writeln!(before, "            codesign::load_array(array{i}.data(), in[{k}] + k_t * {depth}, {depth});");
                }
                None => {
                    let _ = writeln!(before, "            array{i}.assign({depth}, E{i}());");
                }
            }
            if let Some(k) = index(&layout.outputs, name) {
                let _ = writeln!(after, "            if ((k_t + 1) * {depth} <= out_cap[{k}]) codesign::store_array(array{i}.data(), out[{k}] + k_t * {depth}, {depth});");
                let _ = writeln!(finish, "        out_len[{k}] = codesign::fit(transactions * {depth}, out_cap[{k}]);");
            }
        } else if let Some(arg) = manifest.arg(name) {
            // Scalars by value, by reference or by pointer: `slot` is the value either way.
            let _ = writeln!(setup, "        typename codesign::cell<typename std::tuple_element<{i}, Storage>::type>::type cell{i}{{}};");
            let _ = writeln!(setup, "        auto& v{i} = codesign::slot({param}, cell{i});");
            if arg.register().is_some() {
                if let Some(k) = layout.scalars_in.iter().position(|a| a.name == *name) {
                    let _ = writeln!(setup, "        codesign::set_scalar(v{i}, scalars_in[{k}]);");
                }
                if let Some(k) = layout.scalars_out.iter().position(|a| a.name == *name) {
                    let _ = writeln!(finish, "        scalars_out[{k}] = codesign::get_scalar(v{i});");
                }
            } else {
                if let Some(k) = index(&layout.inputs, name) {
                    let _ = writeln!(before, "            codesign::set_scalar(v{i}, in[{k}][k_t]);");
                }
                if let Some(k) = index(&layout.outputs, name) {
                    let _ = writeln!(after, "            if (k_t < out_cap[{k}]) out[{k}][k_t] = codesign::get_scalar(v{i});");
                    let _ = writeln!(finish, "        out_len[{k}] = codesign::fit({}, out_cap[{k}]);", if free_running { "1" } else { "transactions" });
                }
            }
        }
    }
    // The return value, when the manifest has `ap_return`.
    let returned = match manifest.arg(RETURN) {
        Some(arg) if arg.register().is_some() => {
            let k = layout.scalars_out.iter().position(|a| a.name == RETURN).unwrap_or(0);
            format!("            scalars_out[{k}] = codesign::get_scalar(r);\n")
        }
        Some(_) => {
            let k = index(&layout.outputs, RETURN).unwrap_or(0);
            let _ = writeln!(finish, "        out_len[{k}] = codesign::fit({}, out_cap[{k}]);", if free_running { "1" } else { "transactions" });
            format!("            if (k_t < out_cap[{k}]) out[{k}][k_t] = codesign::get_scalar(r);\n")
        }
        None => String::new(),
    };
    let top = &csim.top;
    let call = if returned.is_empty() {
        format!("            std::apply([](auto&... a) {{ {top}(a...); }}, s);\n")
    } else {
        format!("            auto r = std::apply([](auto&... a) {{ return {top}(a...); }}, s);\n{returned}")
    };
    let body = format!("{before}{call}{after}");
    let calls = if free_running {
        free_running_calls(&input_streams, &output_streams, &body)
    } else {
        let transactions = transactions_expr(&layout);
        format!("        const size_t transactions = {transactions};\n        for (size_t k_t = 0; k_t < transactions; ++k_t) {{\n{body}        }}\n")
    };
    let files: Vec<PathBuf> = manifest.hls.iter().map(|f| dir.join(f)).collect();
    let includes: String = files
        .iter()
        .filter(|f| f.extension().is_some_and(|e| e == "cpp" || e == "cc"))
        .map(|f| format!("#include \"{}\"\n", f.display()))
        .collect();
    // The manifest's parameters, as `-D` would give them, for this translation unit only.
    let defines: String = manifest.parameters.iter().map(|(k, v)| format!("#define {k} {v}\n")).collect();
    let name = &manifest.name;
    let symbol = symbol(name);
    let source = format!(
        r#"// Generated by codesign (codesign_hw::csim): the C-simulation entry point of kernel `{name}`. Do not edit.
#include <cstdio>
#include <exception>
#include <vector>
#include "codesign_csim.h"
#include "codesign_buffers.h"
{defines}{includes}
extern "C" __attribute__((visibility("default"))) int {symbol}(const uint64_t* const* in, const size_t* in_len,
        uint64_t** out, size_t* out_len, const size_t* out_cap, const uint64_t* scalars_in, uint64_t* scalars_out,
        char* error, size_t error_cap) {{
    try {{
        typedef codesign::signature<decltype(&{top})>::storage Storage;
        Storage s;
        (void)in; (void)in_len; (void)out; (void)out_len; (void)out_cap; (void)scalars_in; (void)scalars_out;
{setup}{calls}{finish}        return 0;
    }} catch (const std::exception& e) {{
        std::snprintf(error, error_cap, "%s", e.what());
        return 1;
    }}
}}
"#
    );
    Some(CsimKernel { name: name.clone(), source, hls_dir: dir.join("hls"), files })
}

/// C++ for the number of transactions, by the rule of [`transactions`] (the caller has
/// checked that the inputs agree).
fn transactions_expr(layout: &Layout) -> String {
    for (k, slot) in layout.inputs.iter().enumerate() {
        match slot.kind {
            SlotKind::Scalar => return format!("in_len[{k}]"),
            SlotKind::Array { depth } if !layout.inputs.iter().any(|s| s.kind == SlotKind::Scalar) => {
                return format!("in_len[{k}] / {depth}")
            }
            _ => {}
        }
    }
    "1".to_owned()
}

/// A free-running kernel's C++ handles one sample or packet per call: call it while input
/// waits, until all inputs are empty or a call neither consumed nor produced anything;
/// bounded (each useful call moves at least one element, so more calls than elements in and
/// room out means it never stops).
fn free_running_calls(inputs: &[String], outputs: &[(String, usize)], body: &str) -> String {
    let sum = |terms: Vec<String>| if terms.is_empty() { "size_t(0)".to_owned() } else { terms.join(" + ") };
    let waiting = sum(inputs.iter().map(|s| format!("{s}.size()")).collect());
    let produced = sum(outputs.iter().map(|(s, _)| format!("{s}.size()")).collect());
    let room = sum(outputs.iter().map(|(_, k)| format!("out_cap[{k}]")).collect());
    format!(
        r#"        const size_t limit = {waiting} + {room} + 1, transactions = 1, k_t = 0;
        for (size_t call = 0;; ++call) {{
            const size_t waiting = {waiting}, produced = {produced};
            if (call > 0 && waiting == 0) break;
            if (call > limit) throw std::runtime_error("the free-running C++ still runs after " + std::to_string(limit) + " calls (one per input element): does it consume its input?");
{body}            if (waiting == {waiting} && produced == {produced}) break;
        }}
"#
    )
}
