//! A kernel.yaml drafted from what an export shows: its ports (by Vitis's naming
//! conventions, hls-rtl-contract.md and notes/issue13-design.md), the s_axilite address map
//! Vitis writes at the top of `<top>_<bundle>_s_axi.v`, the C++ top's signature and the
//! synthesis report. Every line that is not read off the export carries a `# guess:` comment.

use std::fmt::Write;

use codesign_verilate::{Direction, Port};

use super::cpp::{sized, ParamKind, Signature};
use super::reports::Synthesis;

/// What `init` read from the export folder.
#[derive(Debug, Default)]
pub struct Export {
    /// Kernel name (the folder's).
    pub name: String,
    /// Top module.
    pub top: String,
    /// `rtl:` entries (globs).
    pub rtl: Vec<String>,
    /// `hls:` files.
    pub hls: Vec<String>,
    /// Ports Verilator read.
    pub ports: Vec<Port>,
    /// The s_axilite address map (`0x10 : Data signal of op` ...), in address order.
    pub address_map: Vec<AddressEntry>,
    /// The C++ top, when found.
    pub cpp: Option<Signature>,
    /// The synthesis report, when present.
    pub synthesis: Option<Synthesis>,
}

/// One data word of the s_axilite address map.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddressEntry {
    /// Byte offset.
    pub offset: u32,
    /// Argument name.
    pub name: String,
    /// Bits of the argument this word holds (`[63:32]` -> 32..=63).
    pub high_bit: u32,
    /// Written by the kernel (`(Read)` only).
    pub output: bool,
}

/// Reads the "Address Info" comment block of a Vitis `*_s_axi.v` file.
pub fn address_map(text: &str) -> Vec<AddressEntry> {
    let mut entries: Vec<AddressEntry> = Vec::new();
    let mut current: Option<(u32, String)> = None;
    for line in text.lines() {
        let Some(comment) = line.trim_start().strip_prefix("//") else { continue };
        let comment = comment.trim();
        if let Some((offset, rest)) = comment.strip_prefix("0x").and_then(|c| c.split_once(':')) {
            current = u32::from_str_radix(offset.trim(), 16)
                .ok()
                .zip(rest.trim().strip_prefix("Data signal of ").map(|n| n.trim().to_owned()));
            continue;
        }
        // `bit 31~0 - op[31:0] (Read/Write)`
        let Some((offset, name)) = &current else { continue };
        let Some(bits) = comment.strip_prefix("bit ").and_then(|c| c.split_once(" - ")).map(|(_, b)| b) else { continue };
        let Some(range) = bits.strip_prefix(name.as_str()).and_then(|r| r.strip_prefix('[')).and_then(|r| r.split_once(']')) else {
            continue;
        };
        let high_bit = range.0.split(':').next().and_then(|h| h.parse().ok()).unwrap_or(31);
        let output = range.1.contains("(Read)");
        entries.push(AddressEntry { offset: *offset, name: name.clone(), high_bit, output });
        current = None;
    }
    entries
}

/// Ports not yet described, by name.
struct Pool<'a> {
    ports: &'a [Port],
    used: Vec<bool>,
}

impl<'a> Pool<'a> {
    fn get(&self, name: &str) -> Option<&'a Port> {
        self.ports.iter().find(|p| p.name == name)
    }

    fn take(&mut self, name: &str) -> Option<&'a Port> {
        let i = self.ports.iter().position(|p| p.name == name)?;
        self.used[i] = true;
        Some(&self.ports[i])
    }

    fn take_prefixed(&mut self, prefix: &str) {
        for (i, p) in self.ports.iter().enumerate() {
            if p.name.starts_with(prefix) {
                self.used[i] = true;
            }
        }
    }

    /// Prefixes `p` of unused ports named `<p><suffix>`.
    fn prefixes(&self, suffix: &str) -> Vec<String> {
        self.ports
            .iter()
            .enumerate()
            .filter(|(i, p)| !self.used[*i] && p.name.ends_with(suffix) && p.name.len() > suffix.len())
            .map(|(_, p)| p.name[..p.name.len() - suffix.len()].to_owned())
            .collect()
    }

    fn unused(&self) -> Vec<&'a Port> {
        self.ports.iter().enumerate().filter(|(i, _)| !self.used[*i]).map(|(_, p)| p).collect()
    }
}

/// Vitis renames C++ names that are reserved words in the HDLs (`out` -> `out_r`).
fn cpp_name(rtl: &str, export: &Export) -> String {
    if let Some(sig) = &export.cpp {
        if let Some(p) = sig.params.iter().find(|p| p.name == rtl || format!("{}_r", p.name) == rtl) {
            return p.name.clone();
        }
    }
    match rtl.strip_suffix("_r") {
        Some(base) if ["in", "out", "inout", "input", "output", "reg", "wire", "signal", "type", "begin", "end"].contains(&base) => {
            base.to_owned()
        }
        _ => rtl.to_owned(),
    }
}

/// The element type of `name` from the C++, else unsigned of `bits`, with its guess comment.
fn element(name: &str, bits: u32, export: &Export) -> (String, Option<String>) {
    let from_cpp = export.cpp.as_ref().and_then(|s| s.params.iter().chain(&s.returns).find(|p| p.name == name));
    match from_cpp.and_then(|p| p.element.map(|e| (e, p.cpp_type.clone()))) {
        Some((e, _)) if bits_of(e) >= bits || bits.div_ceil(8) * 8 == bits_of(e) => (e.to_owned(), None),
        Some((_, ty)) => (sized(false, bits).unwrap_or("u64").to_owned(), Some(format!("C++ type `{ty}` does not fit {bits} bits: unsigned of the width"))),
        None => (
            sized(false, bits).unwrap_or("u64").to_owned(),
            Some(format!("{bits} bits, {}: unsigned of the width", if export.cpp.is_some() { "C++ type unknown" } else { "no C++ in hls/" })),
        ),
    }
}

fn bits_of(element: &str) -> u32 {
    element[1..].parse().unwrap_or(32)
}

/// One manifest line with its guess comment.
fn line(out: &mut String, text: &str, guess: Option<&str>) {
    match guess {
        Some(why) => {
            let _ = writeln!(out, "{text}   # guess: {why}");
        }
        None => {
            let _ = writeln!(out, "{text}");
        }
    }
}

/// The kernel.yaml text for `export`.
pub fn render(export: &Export) -> String {
    let mut pool = Pool { ports: &export.ports, used: vec![false; export.ports.len()] };
    let mut out = String::new();
    let _ = writeln!(out, "# Written by `codesign init` from the export in this folder. Lines marked `# guess:` were not");
    let _ = writeln!(out, "# read off the export: check them. Schema: hw/src/manifest.rs.");
    let _ = writeln!(out, "name: {}", export.name);
    line(&mut out, &format!("description: \"{} (Vitis HLS export)\"", export.top), Some("say what it computes"));
    let _ = writeln!(out, "seed: \"codesign init\"");
    let _ = writeln!(out, "top: {}", export.top);
    let _ = writeln!(out, "rtl:");
    for r in &export.rtl {
        let _ = writeln!(out, "  - {r}");
    }
    if !export.hls.is_empty() {
        let _ = writeln!(out, "hls:");
        for h in &export.hls {
            let _ = writeln!(out, "  - {h}");
        }
    }

    // Clock and reset.
    if pool.take("ap_clk").is_none() {
        line(&mut out, "clock: ap_clk", Some("no ap_clk port"));
    } else {
        let _ = writeln!(out, "clock: ap_clk");
    }
    let reset = if pool.take("ap_rst_n").is_some() {
        "{ port: ap_rst_n, active: low }".to_owned()
    } else if pool.take("ap_rst").is_some() {
        "{ port: ap_rst, active: high }".to_owned()
    } else {
        "{ port: ap_rst_n, active: low }".to_owned()
    };
    let _ = writeln!(out, "reset: {reset}");

    // s_axilite bundles, m_axi bundles.
    let axilite: Vec<String> = pool.prefixes("_AWVALID").into_iter().filter(|p| p.starts_with("s_axi_")).collect();
    for b in &axilite {
        pool.take_prefixed(&format!("{b}_"));
    }
    let interrupt = pool.take("interrupt").is_some();
    let maxi: Vec<(String, u32)> = pool
        .prefixes("_AWVALID")
        .into_iter()
        .filter(|p| p.starts_with("m_axi_"))
        .map(|p| {
            let bits = pool.get(&format!("{p}_WDATA")).map_or(32, |w| w.width);
            (p, bits)
        })
        .collect();
    for (b, _) in &maxi {
        pool.take_prefixed(&format!("{b}_"));
    }

    // Block control.
    let bare_start = pool.get("ap_start").is_some();
    let chain = pool.get("ap_continue").is_some();
    for p in ["ap_start", "ap_done", "ap_idle", "ap_ready", "ap_continue"] {
        pool.take(p);
    }
    let control_bundle = axilite.first().filter(|_| interrupt && !bare_start);
    let protocol = match (bare_start, chain, control_bundle) {
        (true, true, _) => "ap_ctrl_chain",
        (true, false, _) => "ap_ctrl_hs",
        (false, _, Some(_)) if export.address_map.iter().any(|e| e.name == "ap_continue") => "ap_ctrl_chain",
        (false, _, Some(_)) => "ap_ctrl_hs",
        (false, _, None) => "ap_ctrl_none",
    };
    let protocol = export.synthesis.as_ref().and_then(|s| s.block_protocol.clone()).unwrap_or_else(|| protocol.to_owned());
    match control_bundle {
        Some(bundle) => {
            let _ = writeln!(out, "control: {{ protocol: {protocol}, bundle: {bundle} }}");
        }
        None => {
            let _ = writeln!(out, "control: {{ protocol: {protocol} }}");
        }
    }
    let free_running = protocol == "ap_ctrl_none";

    // Streams: axis, then ap_fifo.
    let mut stream_lines = Vec::new();
    let mut first_input: Option<String> = None;
    for rtl in pool.prefixes("_TVALID") {
        let Some(data) = pool.get(&format!("{rtl}_TDATA")) else { continue };
        let input = data.direction == Direction::Input;
        let has_last = pool.get(&format!("{rtl}_TLAST")).is_some();
        pool.take_prefixed(&format!("{rtl}_T"));
        let name = cpp_name(&rtl, export);
        let (elem, guess) = element(&name, data.width, export);
        let lanes = data.width / bits_of(&elem).max(1);
        let mut text = format!("  - {{ name: {name}, rtl: {rtl}, direction: {}, element: {elem}", if input { "in" } else { "out" });
        if lanes > 1 && data.width > 64 {
            text.push_str(&format!(", lanes: {lanes}"));
        }
        let mut guesses: Vec<String> = guess.into_iter().collect();
        if !input {
            if export.cpp.as_ref().is_some_and(|s| !s.sets_keep) {
                text.push_str(", keep: ignore");
            }
            if free_running {
                if has_last {
                    text.push_str(", end: tlast");
                } else if let Some(first) = &first_input {
                    text.push_str(&format!(", end: {{ same-as: {first} }}"));
                    guesses.push(format!("no TLAST: as many elements as `{first}` carried"));
                }
            }
        } else if first_input.is_none() {
            first_input = Some(name.clone());
        }
        text.push_str(" }");
        stream_lines.push((input, text, guesses));
    }
    for (suffixes, input) in [(["_dout", "_empty_n", "_read"], true), (["_din", "_full_n", "_write"], false)] {
        for rtl in pool.prefixes(suffixes[0]) {
            if !suffixes.iter().all(|s| pool.get(&format!("{rtl}{s}")).is_some()) {
                continue;
            }
            let bits = pool.get(&format!("{rtl}{}", suffixes[0])).map_or(32, |p| p.width);
            for s in suffixes.iter().chain(&["_num_data_valid", "_fifo_cap"]) {
                pool.take(&format!("{rtl}{s}"));
            }
            let name = cpp_name(&rtl, export);
            let (elem, guess) = element(&name, bits, export);
            let mut text = format!("  - {{ name: {name}, rtl: {rtl}, protocol: ap_fifo, direction: {}, element: {elem}", if input { "in" } else { "out" });
            let mut guesses: Vec<String> = guess.into_iter().collect();
            if input && first_input.is_none() {
                first_input = Some(name.clone());
            }
            if !input && free_running {
                if let Some(first) = &first_input {
                    text.push_str(&format!(", end: {{ same-as: {first} }}"));
                    guesses.push(format!("as many elements as `{first}` carried"));
                }
            }
            text.push_str(" }");
            stream_lines.push((input, text, guesses));
        }
    }
    // Inputs before outputs, so that `same-as` names a stream listed above it.
    stream_lines.sort_by_key(|(input, _, _)| !*input);
    if !stream_lines.is_empty() {
        let _ = writeln!(out, "streams:");
        for (_, text, guesses) in &stream_lines {
            line(&mut out, text, (!guesses.is_empty()).then(|| guesses.join("; ")).as_deref());
        }
    }

    // Arrays (ap_memory).
    let mut array_lines = Vec::new();
    let mut first_array_depth: Option<usize> = None;
    for rtl in pool.prefixes("_address0") {
        let addr_bits = pool.get(&format!("{rtl}_address0")).map_or(1, |p| p.width);
        let reads = pool.get(&format!("{rtl}_q0")).map(|p| p.width);
        let writes = pool.get(&format!("{rtl}_d0")).map(|p| p.width);
        for port in ["0", "1"] {
            for s in ["_address", "_ce", "_we", "_d", "_q"] {
                pool.take(&format!("{rtl}{s}{port}"));
            }
        }
        let direction = match (reads, writes) {
            (Some(_), Some(_)) => "inout",
            (None, Some(_)) => "out",
            _ => "in",
        };
        let name = cpp_name(&rtl, export);
        let (elem, guess) = element(&name, reads.or(writes).unwrap_or(32), export);
        let cpp_param = export.cpp.as_ref().and_then(|s| s.params.iter().find(|p| p.name == name));
        let from_cpp = cpp_param.and_then(|p| match p.kind {
            ParamKind::Array(n) => Some(n),
            _ => None,
        });
        let latency = match cpp_param.and_then(|p| p.latency) {
            Some(l @ 2) => format!(", latency: {l}"),
            _ => String::new(),
        };
        let mut guesses: Vec<String> = guess.into_iter().collect();
        let depth = from_cpp.unwrap_or_else(|| {
            guesses.push(format!("depth 2^{addr_bits} from the address width"));
            1usize << addr_bits.min(20)
        });
        if direction != "out" {
            first_array_depth.get_or_insert(depth);
        }
        array_lines.push((format!("  - {{ name: {name}, rtl: {rtl}, direction: {direction}, element: {elem}, depth: {depth}{latency} }}"), guesses));
    }
    if !array_lines.is_empty() {
        let _ = writeln!(out, "arrays:");
        for (text, guesses) in &array_lines {
            line(&mut out, text, (!guesses.is_empty()).then(|| guesses.join("; ")).as_deref());
        }
    }

    // Scalars: s_axilite words of the address map, then bare ports.
    let mut arg_lines: Vec<(String, Option<String>)> = Vec::new();
    // s_axilite inputs only: bare scalars take one value per transaction from the workload.
    let mut input_args: Vec<String> = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    for entry in &export.address_map {
        if seen.contains(&entry.name.as_str()) {
            continue;
        }
        seen.push(&entry.name);
        let width = if export.address_map.iter().any(|e| e.name == entry.name && e.high_bit >= 32) { 64 } else { 32 };
        let direction = if entry.output { ", direction: out" } else { "" };
        if !entry.output {
            input_args.push(entry.name.clone());
        }
        // No block control in the map (bare ports or ap_ctrl_none): the args name the bundle.
        let bundle = match (control_bundle, axilite.first()) {
            (None, Some(b)) => format!(", bundle: {b}"),
            _ => String::new(),
        };
        arg_lines.push((format!("  - {{ name: {}, offset: {:#x}, width: {width}{direction}{bundle} }}", entry.name, entry.offset), None));
    }
    if let Some(p) = pool.take("ap_return") {
        let (elem, guess) = element("return", p.width, export);
        arg_lines.push((format!("  - {{ name: ap_return, protocol: ap_none, width: {}, direction: out, element: {elem} }}", p.width), guess));
    }
    // An ap_hs port has both suffixes: list it once.
    let mut handshaken = pool.prefixes("_ap_vld");
    for rtl in pool.prefixes("_ap_ack") {
        if !handshaken.contains(&rtl) {
            handshaken.push(rtl);
        }
    }
    for rtl in handshaken {
        let Some(data) = pool.get(&rtl) else { continue };
        let data = data.clone();
        let vld = pool.take(&format!("{rtl}_ap_vld")).cloned();
        let ack = pool.take(&format!("{rtl}_ap_ack")).cloned();
        pool.take(&rtl);
        let (name, direction) = match (data.direction, rtl.strip_suffix("_o")) {
            (Direction::Output, Some(base)) if pool.take(&format!("{base}_i")).is_some() => (cpp_name(base, export), "inout"),
            (Direction::Output, _) => (cpp_name(&rtl, export), "out"),
            _ => (cpp_name(&rtl, export), "in"),
        };
        let protocol = match (direction, vld.is_some(), ack.is_some()) {
            ("inout", _, _) => "ap_ovld",
            (_, true, true) => "ap_hs",
            (_, true, false) => "ap_vld",
            _ => "ap_ack",
        };
        let (elem, guess) = element(&name, data.width, export);
        let rtl_key = if name == rtl || direction == "inout" { String::new() } else { format!(", rtl: {rtl}") };
        let rtl_key = if direction == "inout" { format!(", rtl: {}", rtl.trim_end_matches("_o")) } else { rtl_key };
        arg_lines.push((
            format!("  - {{ name: {name}{rtl_key}, protocol: {protocol}, width: {}, direction: {direction}, element: {elem} }}", data.width),
            guess,
        ));
    }
    // What is left and is an input: bare ap_none scalars.
    for p in pool.unused().into_iter().filter(|p| p.direction == Direction::Input).cloned().collect::<Vec<_>>() {
        pool.take(&p.name);
        let name = cpp_name(&p.name, export);
        let (elem, guess) = element(&name, p.width, export);
        let rtl_key = if name == p.name { String::new() } else { format!(", rtl: {}", p.name) };
        arg_lines.push((format!("  - {{ name: {name}{rtl_key}, protocol: ap_none, width: {}, element: {elem} }}", p.width), guess));
    }
    if !arg_lines.is_empty() {
        let _ = writeln!(out, "args:");
        for (text, guess) in &arg_lines {
            line(&mut out, text, guess.as_deref());
        }
    }

    // m_axi bundles (their pointer arguments are in the address map; a 64-bit input word
    // there is taken as a buffer when a bundle exists).
    if !maxi.is_empty() {
        let _ = writeln!(out, "memory:");
        for (rtl, bits) in &maxi {
            let bundle = rtl.trim_start_matches("m_axi_");
            let _ = writeln!(out, "  - {{ bundle: {bundle}, rtl: {rtl}, data-bits: {bits} }}");
        }
        line(&mut out, "# buffers: the pointer arguments among the args above, moved to `buffers:` with their bundle", Some("not drafted"));
    }

    let leftover: Vec<String> = pool.unused().iter().map(|p| p.name.clone()).collect();
    if !leftover.is_empty() {
        let _ = writeln!(out, "# note: ports not described by any rule: {}", leftover.join(", "));
    }

    // Performance model.
    let _ = writeln!(out, "perf:");
    match export.synthesis.as_ref().and_then(|s| s.ii) {
        Some(ii) => line(&mut out, &format!("  ii: {ii}"), Some("csynth.xml's first PipelineII")),
        None => line(&mut out, "  ii: 1", Some("one element per cycle")),
    }
    let ii = export.synthesis.as_ref().and_then(|s| s.ii).unwrap_or(1);
    let trips = export.cpp.as_ref().and_then(|s| s.trip_count.as_ref()).map(|(n, _)| *n as u64);
    match (export.synthesis.as_ref().and_then(|s| s.latency), trips) {
        // The manifest's latency is the pipeline's depth beyond II x N (the interface bound).
        (Some(l), Some(n)) if l > u64::from(ii) * n => {
            line(&mut out, &format!("  latency: {}", l - u64::from(ii) * n), Some(&format!("csynth.xml's best-case latency {l} less II x {n} iterations")))
        }
        (Some(l), _) => line(&mut out, &format!("  latency: {l}"), Some("csynth.xml's best-case latency of a whole call")),
        (None, _) => line(&mut out, "  latency: 10", Some("no syn/report/csynth.xml")),
    }
    match export.synthesis.as_ref().and_then(|s| s.clock_mhz) {
        Some(mhz) => {
            let _ = writeln!(out, "  clock-mhz: {mhz}");
        }
        None => line(&mut out, "  clock-mhz: 300", Some("no target clock in csynth.xml or component.xml")),
    }

    // One workload.
    let args = if input_args.is_empty() { String::new() } else { format!(", args: {{ {} }}", input_args.iter().map(|a| format!("{a}: 0")).collect::<Vec<_>>().join(", ")) };
    let _ = writeln!(out, "workloads:");
    let (size, why) = match (first_array_depth, stream_lines.is_empty() && bare_start) {
        (Some(depth), _) => (format!("elements: {depth}"), format!("one transaction: each input array filled once ({depth} random elements)")),
        (None, true) => ("elements: 1, transactions: 64".to_owned(), "64 transactions, random bare inputs".to_owned()),
        (None, false) => match export.cpp.as_ref().and_then(|s| s.trip_count.clone()).filter(|_| !free_running) {
            Some((count, header)) => (format!("elements: {count}"), format!("{count} random elements per input, the trip count of `{header}`")),
            None => ("elements: 1024".to_owned(), "1024 random elements per input".to_owned()),
        },
    };
    let why = if args.is_empty() { why } else { format!("{why}, arguments 0") };
    line(&mut out, &format!("  - {{ name: default, {size}, seed: 1{args} }}"), Some(&why));

    // C simulation, when the C++ top is found and every parameter has an entry above.
    if let Some(sig) = &export.cpp {
        let names: Vec<&str> = sig.params.iter().map(|p| p.name.as_str()).collect();
        // Every stream, arg and array above, and nothing else (the workload line is not one).
        let listed: Vec<&str> = out
            .lines()
            .filter(|l| !l.contains("name: default,"))
            .filter(|l| sig.returns.is_none() || !l.contains("name: ap_return,"))
            .filter_map(|l| l.trim_start().strip_prefix("- { name: "))
            .filter_map(|l| l.split(',').next())
            .collect();
        let same = listed.len() == names.len() && names.iter().all(|n| listed.contains(n));
        if same {
            let _ = writeln!(out, "csim:");
            let _ = writeln!(out, "  top: {}", sig.name);
            let _ = writeln!(out, "  args: [{}]", names.join(", "));
        } else {
            let _ = writeln!(out, "# note: no csim section: the C++ parameters of `{}` ({}) are not the ports above", sig.name, names.join(", "));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::init::cpp::{Param, ParamKind, Signature};

    fn port(name: &str, input: bool, width: u32) -> Port {
        let direction = if input { Direction::Input } else { Direction::Output };
        Port { name: name.into(), member: name.into(), direction, width }
    }

    fn export(ports: Vec<Port>, cpp: Option<Signature>) -> Export {
        Export { name: "k".into(), top: "k".into(), rtl: vec!["rtl/*.v".into()], ports, cpp, ..Export::default() }
    }

    /// The lines after `control:` up to `perf:` (what differs between kinds of export).
    fn interface(text: &str) -> String {
        let start = text.find("control:").unwrap();
        let end = text.find("perf:").unwrap();
        text[start..end].to_owned()
    }

    #[test]
    fn bare_block_control_and_scalars() {
        let ports = vec![
            port("ap_clk", true, 1),
            port("ap_rst", true, 1),
            port("ap_start", true, 1),
            port("ap_done", false, 1),
            port("ap_idle", false, 1),
            port("ap_ready", false, 1),
            port("rows", true, 16),
            port("gain", true, 32),
            port("gain_ap_vld", true, 1),
            port("y", false, 12),
            port("y_ap_vld", false, 1),
            port("acc_i", true, 32),
            port("acc_o", false, 32),
            port("acc_o_ap_vld", false, 1),
            port("ap_return", false, 32),
        ];
        let text = render(&export(ports, None));
        assert!(text.contains("reset: { port: ap_rst, active: high }\n"), "{text}");
        assert_eq!(
            interface(&text),
            "control: { protocol: ap_ctrl_hs }\n\
             args:\n  \
             - { name: ap_return, protocol: ap_none, width: 32, direction: out, element: u32 }   # guess: 32 bits, no C++ in hls/: unsigned of the width\n  \
             - { name: gain, protocol: ap_vld, width: 32, direction: in, element: u32 }   # guess: 32 bits, no C++ in hls/: unsigned of the width\n  \
             - { name: y, protocol: ap_vld, width: 12, direction: out, element: u16 }   # guess: 12 bits, no C++ in hls/: unsigned of the width\n  \
             - { name: acc, rtl: acc, protocol: ap_ovld, width: 32, direction: inout, element: u32 }   # guess: 32 bits, no C++ in hls/: unsigned of the width\n  \
             - { name: rows, protocol: ap_none, width: 16, element: u16 }   # guess: 16 bits, no C++ in hls/: unsigned of the width\n"
        );
        // Bare inputs take a value per transaction: none is an argument of the workload.
        assert!(text.contains("  - { name: default, elements: 1, transactions: 64, seed: 1 }   # guess: 64 transactions, random bare inputs\n"), "{text}");
    }

    #[test]
    fn free_running_streams_get_an_end_rule_and_keep_ignore() {
        let mut ports = vec![port("ap_clk", true, 1), port("ap_rst_n", true, 1)];
        for (p, input) in [("in_r", true), ("out_r", false)] {
            ports.push(port(&format!("{p}_TDATA"), input, 32));
            ports.push(port(&format!("{p}_TVALID"), input, 1));
            ports.push(port(&format!("{p}_TREADY"), !input, 1));
        }
        ports.push(port("in_r_TLAST", true, 1));
        let param = |name: &str| Param { name: name.into(), kind: ParamKind::Stream, element: Some("i32"), cpp_type: "ap_axis<32,0,0,0>".into(), latency: None };
        let cpp = Signature { name: "k".into(), params: vec![param("in"), param("out")], sets_keep: false, returns: None, trip_count: None };
        let text = render(&export(ports.clone(), Some(cpp.clone())));
        assert_eq!(
            interface(&text),
            "control: { protocol: ap_ctrl_none }\n\
             streams:\n  \
             - { name: in, rtl: in_r, direction: in, element: i32 }\n  \
             - { name: out, rtl: out_r, direction: out, element: i32, keep: ignore, end: { same-as: in } }   # guess: no TLAST: as many elements as `in` carried\n"
        );
        assert!(text.ends_with("csim:\n  top: k\n  args: [in, out]\n"), "{text}");
        ports.push(port("out_r_TLAST", false, 1));
        let text = render(&export(ports, Some(Signature { sets_keep: true, ..cpp })));
        assert!(text.contains("- { name: out, rtl: out_r, direction: out, element: i32, end: tlast }\n"), "{text}");
    }

    #[test]
    fn fifos_and_memories() {
        let mut ports = vec![port("ap_clk", true, 1), port("ap_rst", true, 1), port("ap_start", true, 1), port("ap_done", false, 1), port("ap_continue", true, 1)];
        for (name, input, width) in [
            ("src_dout", true, 16), ("src_empty_n", true, 1), ("src_read", false, 1), ("src_num_data_valid", true, 3), ("src_fifo_cap", true, 3),
            ("dst_din", false, 16), ("dst_full_n", true, 1), ("dst_write", false, 1),
            ("x_address0", false, 10), ("x_ce0", false, 1), ("x_q0", true, 32),
            ("y_address0", false, 6), ("y_ce0", false, 1), ("y_we0", false, 1), ("y_d0", false, 8),
        ] {
            ports.push(port(name, input, width));
        }
        let x = Param { name: "x".into(), kind: ParamKind::Array(1000), element: Some("f32"), cpp_type: "float".into(), latency: None };
        let cpp = Signature { name: "k".into(), params: vec![x], sets_keep: true, returns: None, trip_count: None };
        let text = render(&export(ports, Some(cpp)));
        assert_eq!(
            interface(&text),
            "control: { protocol: ap_ctrl_chain }\n\
             streams:\n  \
             - { name: src, rtl: src, protocol: ap_fifo, direction: in, element: u16 }   # guess: 16 bits, C++ type unknown: unsigned of the width\n  \
             - { name: dst, rtl: dst, protocol: ap_fifo, direction: out, element: u16 }   # guess: 16 bits, C++ type unknown: unsigned of the width\n\
             arrays:\n  \
             - { name: x, rtl: x, direction: in, element: f32, depth: 1000 }\n  \
             - { name: y, rtl: y, direction: out, element: u8, depth: 64 }   # guess: 8 bits, C++ type unknown: unsigned of the width; depth 2^6 from the address width\n"
        );
        assert!(text.contains("# note: no csim section"), "the C++ names only x: {text}");
    }

    #[test]
    fn registers_of_a_free_running_kernel_name_their_bundle() {
        let text = "// 0x00 : reserved\n// 0x04 : reserved\n// 0x08 : reserved\n// 0x0c : reserved\n\
                    // 0x10 : Data signal of gain\n//        bit 31~0 - gain[31:0] (Read/Write)\n// 0x14 : reserved\n";
        let mut e = export(vec![port("ap_clk", true, 1), port("ap_rst_n", true, 1), port("s_axi_control_AWVALID", true, 1)], None);
        e.address_map = address_map(text);
        assert_eq!(
            interface(&render(&e)),
            "control: { protocol: ap_ctrl_none }\nargs:\n  - { name: gain, offset: 0x10, width: 32, bundle: s_axi_control }\n"
        );
    }

    #[test]
    fn the_address_map_gives_offsets_widths_and_directions() {
        let text = "// 0x10 : Data signal of bias\n//        bit 31~0 - bias[31:0] (Read/Write)\n// 0x14 : Data signal of bias\n//        bit 31~0 - bias[63:32] (Read/Write)\n\
                    // 0x18 : reserved\n// 0x1c : Data signal of sum\n//        bit 31~0 - sum[31:0] (Read)\n// 0x24 : Control signal of sum\n//        bit 0  - sum_ap_vld (Read/COR)\n";
        let map = address_map(text);
        assert_eq!(map.len(), 3, "{map:?}");
        let mut e = export(vec![port("ap_clk", true, 1), port("ap_rst_n", true, 1), port("s_axi_control_AWVALID", true, 1), port("interrupt", false, 1)], None);
        e.address_map = map;
        assert_eq!(
            interface(&render(&e)),
            "control: { protocol: ap_ctrl_hs, bundle: s_axi_control }\nargs:\n  - { name: bias, offset: 0x10, width: 64 }\n  - { name: sum, offset: 0x1c, width: 32, direction: out }\n"
        );
    }
}
