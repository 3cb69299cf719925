//! The HLS C++ top's signature, read from the export's `hls/` sources: each parameter's name,
//! kind (stream, pointer, array, scalar) and element type, as `codesign init` needs them.
//! A text reader for the forms Vitis tops use, not a C++ parser: typedefs and `using` aliases
//! are followed one level at a time.

/// What a parameter of the top is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParamKind {
    /// `hls::stream<T>&`.
    Stream,
    /// `T x[N]` (ap_memory by default): the element count.
    Array(usize),
    /// `T* x` (m_axi by default).
    Pointer,
    /// A value or a reference (`T&`: an output).
    Scalar {
        /// Passed by non-const reference: the kernel writes it.
        output: bool,
    },
}

/// One parameter of the top function.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Param {
    /// Its C++ name.
    pub name: String,
    /// Stream, array, pointer or scalar.
    pub kind: ParamKind,
    /// The manifest element type (`i32`, `f32`), when the C++ type maps to one.
    pub element: Option<&'static str>,
    /// The C++ element type as written (after the stream/packet wrapper), for guess comments.
    pub cpp_type: String,
    /// `latency=N` of its `#pragma HLS INTERFACE ... port=<name>` (ap_memory read latency).
    pub latency: Option<u32>,
}

/// The top function found in the sources.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    /// Its name.
    pub name: String,
    /// Its parameters, in order.
    pub params: Vec<Param>,
    /// True when the sources assign a packet's `keep` anywhere (`x.keep = ...`).
    pub sets_keep: bool,
    /// The return value (`ap_return` in the RTL), named `return`; `None` for `void`.
    pub returns: Option<Param>,
    /// The bound of the top's first `for` loop when it is a constant (a number or a `#define`d
    /// name) and the top never reads a packet's `last`: how many elements a call likely
    /// takes, with the loop header as written.
    pub trip_count: Option<(usize, String)>,
}

/// The definition of `<type> <top>(...)` in `sources` (their texts), if any.
pub fn find_top(sources: &[String], top: &str) -> Option<Signature> {
    let all = sources.join("\n");
    let code = strip_comments(&all);
    let mut search = 0;
    while let Some(found) = code[search..].find(top) {
        let at = search + found;
        search = at + top.len();
        let after = code[at + top.len()..].trim_start();
        let Some(return_type) = return_type(&code[..at]) else { continue };
        if !after.starts_with('(') {
            continue;
        }
        let open = code.len() - after.len();
        let close = matching(&code, open)?;
        // A definition, not a declaration or a call: a body follows.
        if !code[close + 1..].trim_start().starts_with('{') {
            continue;
        }
        let params = split_top_level(&code[open + 1..close])
            .into_iter()
            .filter(|p| !p.trim().is_empty() && p.trim() != "void")
            .map(|p| param(p.trim(), &code))
            .collect();
        let sets_keep = code.contains(".keep =") || code.contains(".keep=");
        let returns = (return_type != "void").then(|| param(&format!("{return_type} return"), &code));
        let body_end = matching(&code, close + 1 + code[close + 1..].find('{')?).unwrap_or(code.len());
        let trip_count = trip_count(&code[close + 1..body_end], &code);
        return Some(Signature { name: top.to_owned(), params, sets_keep, returns, trip_count });
    }
    None
}

/// The return type written before a function name whose text precedes it (`before`): what
/// follows the previous statement, preprocessor line or `extern "C" {`, without storage
/// specifiers; `None` when that is no type (the name is used in an expression).
fn return_type(before: &str) -> Option<String> {
    let statement = &before[before.rfind([';', '}', '{']).map_or(0, |i| i + 1)..];
    let text: Vec<&str> = statement.lines().filter(|l| !l.trim_start().starts_with('#')).collect();
    let mut ty = text.join(" ").trim().to_owned();
    for specifier in ["extern \"C\"", "static ", "inline "] {
        ty = ty.trim_start_matches(specifier).trim().to_owned();
    }
    let type_like = !ty.is_empty() && ty.ends_with(|c: char| c.is_ascii_alphanumeric() || c == '_' || c == '>');
    (type_like && !ty.contains(['=', '(', ')', '.', '"'])).then_some(ty)
}

fn strip_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    loop {
        let line = rest.find("//");
        let block = rest.find("/*");
        // The earlier of the two starts a comment.
        let block = block.filter(|b| line.iter().all(|l| b < l));
        match (line, block) {
            (_, Some(b)) => {
                out.push_str(&rest[..b]);
                out.push(' ');
                rest = rest[b + 2..].find("*/").map_or("", |n| &rest[b + 2 + n + 2..]);
            }
            (Some(l), None) => {
                out.push_str(&rest[..l]);
                rest = rest[l..].find('\n').map_or("", |n| &rest[l + n..]);
            }
            (None, None) => {
                out.push_str(rest);
                return out;
            }
        }
    }
}

/// See [`Signature::trip_count`]: `for (...; i < BOUND; ...)` in `body`, BOUND a constant.
fn trip_count(body: &str, code: &str) -> Option<(usize, String)> {
    if body.contains(".last") {
        return None;
    }
    let open = body.find("for")? + 3;
    let rest = body[open..].trim_start();
    let header_start = body.len() - rest.len();
    let header = &body[header_start..=matching(body, header_start)?];
    let condition = header.split(';').nth(1)?;
    let bound = condition.split_once("<=").map(|(_, b)| (b, 1)).or_else(|| condition.split_once('<').map(|(_, b)| (b, 0)))?;
    let count = array_size(bound.0.trim(), code)? + bound.1;
    Some((count, format!("for {}", header.split_whitespace().collect::<Vec<_>>().join(" "))))
}

/// The index of the bracket closing the one at `open` (`(` or `{`).
fn matching(text: &str, open: usize) -> Option<usize> {
    let (opening, closing) = match text[open..].chars().next()? {
        '{' => ('{', '}'),
        _ => ('(', ')'),
    };
    let mut depth = 0i32;
    for (i, c) in text[open..].char_indices() {
        if c == opening {
            depth += 1;
        } else if c == closing {
            depth -= 1;
            if depth == 0 {
                return Some(open + i);
            }
        }
    }
    None
}

/// `text` split at commas outside `<>`, `()` and `[]`.
fn split_top_level(text: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0i32, 0);
    for (i, c) in text.char_indices() {
        match c {
            '<' | '(' | '[' => depth += 1,
            '>' | ')' | ']' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&text[start..]);
    parts
}

/// One parameter declaration (`hls::stream<pkt>& a`, `const int x[64]`, `float* p`, `int n`).
fn param(decl: &str, code: &str) -> Param {
    let (decl, array) = match decl.split_once('[') {
        Some((head, tail)) => (head.trim(), tail.split(']').next().and_then(|n| array_size(n.trim(), code))),
        None => (decl, None),
    };
    let name_start = decl.rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).map_or(0, |i| i + 1);
    let name = decl[name_start..].to_owned();
    let ty = decl[..name_start].trim();
    let reference = ty.ends_with('&');
    let pointer = ty.ends_with('*');
    let konst = ty.starts_with("const ");
    let ty = ty.trim_end_matches(['&', '*', ' ']).trim_start_matches("const ").trim();
    let (kind, inner) = if let Some(inner) = template_arg(ty, "stream") {
        (ParamKind::Stream, inner)
    } else if let Some(n) = array {
        (ParamKind::Array(n), ty.to_owned())
    } else if pointer {
        (ParamKind::Pointer, ty.to_owned())
    } else {
        (ParamKind::Scalar { output: reference && !konst }, ty.to_owned())
    };
    let resolved = resolve(&inner, code);
    let latency = interface_option(code, &name, "latency").and_then(|l| l.parse().ok());
    Param { element: element_of(&resolved, code), cpp_type: resolved, latency, name, kind }
}

/// `option=value` of the `#pragma HLS INTERFACE` line for `port` in `code`.
fn interface_option(code: &str, port: &str, option: &str) -> Option<String> {
    code.lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>())
        .filter(|words| words.len() > 2 && words[0] == "#pragma" && words[1].eq_ignore_ascii_case("HLS") && words[2].eq_ignore_ascii_case("INTERFACE"))
        .find(|words| words.iter().any(|w| w.strip_prefix("port=") == Some(port)))
        .and_then(|words| words.iter().find_map(|w| w.strip_prefix(&format!("{option}=")).map(str::to_owned)))
}

/// An array size: a number, or a name `#define`d (or declared `const int`) as one.
fn array_size(size: &str, code: &str) -> Option<usize> {
    size.parse().ok().or_else(|| {
        code.lines().find_map(|line| {
            let line = line.trim();
            let value = match line.strip_prefix("#define ") {
                Some(rest) => rest.trim().strip_prefix(size).filter(|v| v.starts_with([' ', '\t']))?,
                None => line.split_once('=').filter(|(head, _)| head.trim().ends_with(&format!(" {size}")) && head.contains("const"))?.1,
            };
            value.trim().trim_end_matches(';').trim().trim_matches(['(', ')']).parse().ok()
        })
    })
}

/// The first template argument of `...<name><...>` in `ty` (`hls::stream<pkt>` -> `pkt`).
fn template_arg(ty: &str, name: &str) -> Option<String> {
    let at = ty.find(&format!("{name}<"))?;
    let inner = &ty[at + name.len() + 1..];
    let end = inner.rfind('>')?;
    split_top_level(&inner[..end]).first().map(|s| s.trim().to_owned())
}

/// Follows `typedef T name;` and `using name = T;` for `ty` (a few levels).
fn resolve(ty: &str, code: &str) -> String {
    let mut ty = ty.trim().to_owned();
    for _ in 0..4 {
        // Declarations end at `;` and blocks: a typedef may follow a function body.
        let alias = code.split([';', '{', '}']).find_map(|stmt| {
            // Preprocessor lines before a declaration are not part of it.
            let stmt: String = stmt.lines().filter(|l| !l.trim_start().starts_with('#')).collect::<Vec<_>>().join(" ");
            let stmt = stmt.trim();
            if let Some(rest) = stmt.strip_prefix("typedef ") {
                let (target, name) = rest.rsplit_once(|c: char| c.is_whitespace())?;
                (name.trim() == ty).then(|| target.trim().to_owned())
            } else if let Some(rest) = stmt.strip_prefix("using ") {
                let (name, target) = rest.split_once('=')?;
                (name.trim() == ty).then(|| target.trim().to_owned())
            } else {
                None
            }
        });
        match alias {
            Some(target) => ty = target,
            None => break,
        }
    }
    ty
}

/// The manifest element type of a C++ type, when there is one.
fn element_of(ty: &str, code: &str) -> Option<&'static str> {
    let ty = ty.trim();
    // Packets: ap_axis<W,...> (signed), ap_axiu<W,...> (unsigned), hls::axis<T,...>.
    if let Some(w) = template_arg(ty, "ap_axis").and_then(|w| w.parse().ok()) {
        return sized(true, w);
    }
    if let Some(w) = template_arg(ty, "ap_axiu").and_then(|w| w.parse().ok()) {
        return sized(false, w);
    }
    if let Some(inner) = template_arg(ty, "axis") {
        return element_of(&resolve(&inner, code), code);
    }
    if let Some(w) = template_arg(ty, "ap_int").and_then(|w| w.parse().ok()) {
        return sized(true, w);
    }
    if let Some(w) = template_arg(ty, "ap_uint").and_then(|w| w.parse().ok()) {
        return sized(false, w);
    }
    Some(match ty {
        "float" => "f32",
        "int" | "int32_t" | "signed" | "signed int" => "i32",
        "unsigned" | "unsigned int" | "uint32_t" => "u32",
        "short" | "int16_t" | "short int" => "i16",
        "unsigned short" | "uint16_t" => "u16",
        "char" | "signed char" | "int8_t" => "i8",
        "unsigned char" | "uint8_t" | "bool" => "u8",
        "long long" | "int64_t" | "long" => "i64",
        "unsigned long long" | "uint64_t" | "unsigned long" => "u64",
        _ => return None,
    })
}

/// The manifest type of a `bits`-wide integer, rounded up to 8/16/32/64.
pub fn sized(signed: bool, bits: u32) -> Option<&'static str> {
    let width = [8, 16, 32, 64].into_iter().find(|w| bits <= *w)?;
    Some(match (signed, width) {
        (true, 8) => "i8",
        (true, 16) => "i16",
        (true, 32) => "i32",
        (true, _) => "i64",
        (false, 8) => "u8",
        (false, 16) => "u16",
        (false, 32) => "u32",
        (false, _) => "u64",
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_streams_arrays_pointers_and_scalars() {
        let src = "#include \"x.h\"\ntypedef ap_axis<32, 0, 0, 0> pkt;\nusing px = hls::axis<float, 0, 0, 0>;\n\
                   void k(hls::stream<pkt>& a, hls::stream<px> &out, const ap_int<12> rows[64], float *buf, ap_uint<16> n, int &y);\n\
                   // void k(int wrong) {}\n\
                   void k(hls::stream<pkt>& a, hls::stream<px> &out, const ap_int<12> rows[64], float *buf, ap_uint<16> n, int &y) {\n  pkt o; o.data = 1;\n}\n";
        let sig = find_top(&[src.to_owned()], "k").unwrap();
        let summary: Vec<(String, ParamKind, Option<&str>)> = sig.params.iter().map(|p| (p.name.clone(), p.kind.clone(), p.element)).collect();
        assert_eq!(
            summary,
            vec![
                ("a".into(), ParamKind::Stream, Some("i32")),
                ("out".into(), ParamKind::Stream, Some("f32")),
                ("rows".into(), ParamKind::Array(64), Some("i16")),
                ("buf".into(), ParamKind::Pointer, Some("f32")),
                ("n".into(), ParamKind::Scalar { output: false }, Some("u16")),
                ("y".into(), ParamKind::Scalar { output: true }, Some("i32")),
            ]
        );
        assert!(!sig.sets_keep, "no `.keep =` in the sources");
        assert!(sig.returns.is_none());
        assert!(find_top(&[src.to_owned()], "other").is_none());
    }

    #[test]
    fn reads_the_return_type_and_named_array_sizes() {
        let src = "#include <ap_int.h>\n#define DEPTH 64\nconst int ROWS = 8;\n\
                   int helper(int v) { return v; }\n\
                   ap_int<32> k(const int x[DEPTH], short y[ROWS], ap_int<16> a) {\n  int r = k2(1);\n  return a + helper(x[0]);\n}\n";
        let sig = find_top(&[src.to_owned()], "k").unwrap();
        assert_eq!(sig.params[0].kind, ParamKind::Array(64));
        assert_eq!(sig.params[1].kind, ParamKind::Array(8));
        assert_eq!(sig.trip_count, None, "no loop");
        let returns = sig.returns.unwrap();
        assert_eq!((returns.name.as_str(), returns.element), ("return", Some("i32")));
        let void = "extern \"C\" {\nvoid k(int a) {\n}\n}\n";
        assert!(find_top(&[void.to_owned()], "k").unwrap().returns.is_none());
        assert!(find_top(&["int y = k(3);\nvoid g() {}\n".to_owned()], "k").is_none(), "a call is no definition");
    }

    #[test]
    fn reads_interface_latency_and_a_constant_trip_count() {
        let src = "#define WORDS 64\nvoid k(hls::stream<int>& in, const int x[8]) {\n#pragma HLS INTERFACE mode=ap_memory port=x latency=2\n\
                   words:\n    for (int i = 0; i < WORDS; i++) {\n        in.read();\n    }\n}\n";
        let sig = find_top(&[src.to_owned()], "k").unwrap();
        assert_eq!((sig.params[0].latency, sig.params[1].latency), (None, Some(2)));
        assert_eq!(sig.trip_count, Some((64, "for (int i = 0; i < WORDS; i++)".to_owned())));
        let packets = "void k(hls::stream<pkt>& in) {\n    for (int i = 0; i < 8; i++) { pkt p = in.read(); if (p.last) break; }\n}\n";
        assert_eq!(find_top(&[packets.to_owned()], "k").unwrap().trip_count, None, "a loop that ends on `last`");
    }

    #[test]
    fn follows_a_typedef_in_a_header() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../hw");
        let read = |p: &str| std::fs::read_to_string(dir.join(p)).unwrap();
        let sources = [read("kernels/ufunc_f32/hls/ufunc_f32.cpp"), read("kernels/ufunc_f32/hls/ufunc_f32.h"), read("fixtures/vitis_fp_ip/hls/vitis_fp_ip.cpp")];
        let sig = find_top(&sources, "vitis_fp_ip").unwrap();
        let elements: Vec<Option<&str>> = sig.params.iter().map(|p| p.element).collect();
        assert_eq!(elements, vec![Some("f32"), Some("f32"), Some("f32"), Some("i32")], "{sig:?}");
    }
}
