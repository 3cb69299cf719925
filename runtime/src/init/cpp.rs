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
}

/// The definition of `void <top>(...)` in `sources` (their texts), if any.
pub fn find_top(sources: &[String], top: &str) -> Option<Signature> {
    let all = sources.join("\n");
    let code = strip_comments(&all);
    let mut search = 0;
    while let Some(found) = code[search..].find(top) {
        let at = search + found;
        search = at + top.len();
        let before = code[..at].trim_end();
        let after = code[at + top.len()..].trim_start();
        let is_void_decl = before.ends_with("void") && after.starts_with('(');
        if !is_void_decl {
            continue;
        }
        let open = code.len() - after.len();
        let close = matching_paren(&code, open)?;
        // A definition, not a declaration: a body follows.
        if !code[close + 1..].trim_start().starts_with('{') {
            continue;
        }
        let params = split_top_level(&code[open + 1..close])
            .into_iter()
            .filter(|p| !p.trim().is_empty() && p.trim() != "void")
            .map(|p| param(p.trim(), &code))
            .collect();
        let sets_keep = code.contains(".keep =") || code.contains(".keep=");
        return Some(Signature { name: top.to_owned(), params, sets_keep });
    }
    None
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

fn matching_paren(text: &str, open: usize) -> Option<usize> {
    let mut depth = 0i32;
    for (i, c) in text[open..].char_indices() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return Some(open + i);
                }
            }
            _ => {}
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
        Some((head, tail)) => (head.trim(), tail.split(']').next().and_then(|n| n.trim().parse().ok())),
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
    Param { name, kind, element: element_of(&resolved, code), cpp_type: resolved }
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
        let alias = code.split(';').find_map(|stmt| {
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
        assert!(find_top(&[src.to_owned()], "other").is_none());
    }
}
