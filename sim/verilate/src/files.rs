//! The RTL as Verilator reads it: an export's files made independent of the simulator's
//! working directory and of Vitis's simulation-only helpers, before Verilator runs.
//!
//! - `rtl:` entries may be globs (`rtl/*.v`); a glob matching nothing is an error naming it.
//! - `$readmemh/$readmemb("./x_rom.dat", ram)`: Vitis writes the data file's path relative to
//!   the simulator's cwd. The file is looked up next to the RTL file that reads it, and the
//!   call is replaced, in a private copy of the RTL, by the assignments the file describes
//!   (`begin ram[0] = 20'h0a3f1; ... end`). The model then carries its data: it reads the same
//!   values whatever the process's cwd is, and the data is part of the model's cache key. A
//!   missing or malformed data file is an error naming it and the RTL line.
//! - `// synthesis translate_off` ... `translate_on` regions (Vitis's deadlock monitors) are
//!   blanked, line numbers kept; `` `include "*hls_deadlock_*" `` lines are dropped wherever
//!   they are, and `*hls_deadlock_*` sources are not given to Verilator: they are simulation
//!   monitors that need `--timing` and never change a result.
//! - Other `` `include `` files are resolved against the including file's folder and the
//!   include folders (default: every folder holding an RTL file); one that is not found is an
//!   error naming it and the line.
//! - A Xilinx Floating-Point Operator wrapper (`*_ip.v` instantiating `floating_point_v7_1_*`)
//!   is replaced by a behavioural module of the same name and ports (see [`crate::fp_ip`]).

use std::path::{Path, PathBuf};

use crate::fp_ip::{self, FpUnits};
use crate::BuildError;

/// One RTL file as Verilator will read it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct StagedFile {
    /// The file it was made from.
    pub original: PathBuf,
    /// File name in the staging folder (the original's, made unique).
    pub name: String,
    /// Its text after the rewrites.
    pub text: String,
}

/// Everything Verilator reads for a model, prepared.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Prepared {
    /// The RTL files, in order.
    pub files: Vec<StagedFile>,
    /// `-I` folders.
    pub include_dirs: Vec<PathBuf>,
    /// Every `` `include``d file, resolved (their bytes belong in a cache key).
    pub includes: Vec<(PathBuf, Vec<u8>)>,
    /// `$readmemh/$readmemb` data files read into the text (a build script watches them).
    pub data_files: Vec<PathBuf>,
    /// Sources left out (simulation-only monitors), for reporting.
    pub dropped: Vec<PathBuf>,
    /// True when any file differs from its source or was added or left out: Verilator then
    /// reads the staged copies; otherwise it reads the sources themselves.
    pub rewritten: bool,
}

fn files_error(message: String) -> BuildError {
    BuildError::Files { message }
}

fn has_glob(s: &str) -> bool {
    s.contains(['*', '?', '['])
}

/// The RTL files `listed` (relative to `dir`, or absolute) with globs expanded, each glob's
/// matches sorted by name, duplicates kept once. A glob matching no file is an error.
pub fn expand_rtl(dir: &Path, listed: &[PathBuf]) -> Result<Vec<PathBuf>, BuildError> {
    let mut out: Vec<PathBuf> = Vec::new();
    for entry in listed {
        let text = entry.to_string_lossy();
        if !has_glob(&text) {
            let path = dir.join(entry);
            if !out.contains(&path) {
                out.push(path);
            }
            continue;
        }
        let pattern = dir.join(entry).to_string_lossy().into_owned();
        let paths = glob::glob(&pattern).map_err(|e| files_error(format!("rtl: `{text}` is not a valid glob: {e}")))?;
        let mut matched: Vec<PathBuf> = paths.filter_map(Result::ok).filter(|p| p.is_file()).collect();
        if matched.is_empty() {
            return Err(files_error(format!("rtl: `{text}` matches no file in {}", dir.display())));
        }
        matched.sort();
        for path in matched {
            if !out.contains(&path) {
                out.push(path);
            }
        }
    }
    Ok(out)
}

/// The folders holding `sources`, in first-seen order: the default include folders.
pub fn source_dirs(sources: &[PathBuf]) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = Vec::new();
    for dir in sources.iter().filter_map(|s| s.parent()) {
        if !dirs.iter().any(|d| d == dir) {
            dirs.push(dir.to_owned());
        }
    }
    dirs
}

/// True for Vitis's simulation-only deadlock monitors (`*_hls_deadlock_*.v/.vh`).
fn is_deadlock_monitor(name: &str) -> bool {
    name.contains("hls_deadlock_")
}

/// Prepares `sources` for Verilator: see the module documentation. `include_dirs` empty means
/// every folder holding a source.
/// `fp_units`: the behavioural units that Floating-Point Operator IP is mapped to (an export
/// with such IP and no units is an error).
pub fn prepare(sources: &[PathBuf], include_dirs: &[PathBuf], fp_units: Option<&FpUnits>) -> Result<Prepared, BuildError> {
    let include_dirs = if include_dirs.is_empty() { source_dirs(sources) } else { include_dirs.to_vec() };
    let mut prepared = Prepared { include_dirs, ..Prepared::default() };
    // Every file's first problem, one line each, rather than the first file's only.
    let mut problems = Vec::new();
    for source in sources {
        let file_name = source.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        if is_deadlock_monitor(&file_name) {
            prepared.dropped.push(source.clone());
            continue;
        }
        let bytes = std::fs::read(source).map_err(BuildError::io(source))?;
        let original = String::from_utf8_lossy(&bytes).into_owned();
        let text = match rewrite(source, &original, &mut prepared) {
            Ok(text) => text,
            Err(BuildError::Files { message }) => {
                problems.push(message);
                continue;
            }
            Err(other) => return Err(other),
        };
        prepared.rewritten |= text != original;
        let mut name = file_name;
        if prepared.files.iter().any(|f| f.name == name) {
            name = format!("{}_{name}", prepared.files.len());
        }
        prepared.files.push(StagedFile { original: source.clone(), name, text });
    }
    match problems.len() {
        0 => {}
        1 => return Err(files_error(problems.remove(0))),
        n => return Err(files_error(format!("{n} problems with the RTL files:\n  {}", problems.join("\n  ")))),
    }
    prepared.rewritten |= !prepared.dropped.is_empty();
    add_fp_units(&mut prepared, fp_units)?;
    Ok(prepared)
}

/// One source's text after the rewrites (translate_off, includes, FP IP, `$readmem`).
fn rewrite(source: &Path, original: &str, prepared: &mut Prepared) -> Result<String, BuildError> {
    let text = blank_translate_off(source, original)?;
    let text = resolve_includes(source, &text, prepared)?;
    match fp_ip::replacement(source, &text)? {
        Some(behavioural) => Ok(behavioural),
        None => inline_readmem(source, &text, &mut prepared.data_files),
    }
}

/// Appends the generated Vivado HLS FP netlists and the behavioural units, when used.
fn add_fp_units(prepared: &mut Prepared, fp_units: Option<&FpUnits>) -> Result<(), BuildError> {
    let texts: Vec<&str> = prepared.files.iter().map(|f| f.text.as_str()).collect();
    let netlists = fp_ip::missing_netlists(&texts)?;
    let mut wanted: Vec<(String, u32)> = texts.iter().flat_map(|t| fp_ip::latencies(t)).collect();
    wanted.extend(fp_ip::latencies(&netlists));
    if wanted.is_empty() {
        return Ok(());
    }
    let units = fp_units.ok_or_else(|| files_error("the RTL uses Floating-Point Operator IP, but no behavioural units were given to map it to".into()))?;
    let units_text = fp_ip::units_text(units, &wanted)?;
    prepared.rewritten = true;
    if !netlists.is_empty() {
        prepared.files.push(StagedFile { original: PathBuf::from("codesign_fp_netlists.v"), name: "codesign_fp_netlists.v".into(), text: netlists });
    }
    prepared.files.push(StagedFile { original: units.mul.0.clone(), name: "codesign_fp_units.v".into(), text: units_text });
    Ok(())
}

/// Writes the prepared files into `dir` and returns their paths, in order; when nothing was
/// rewritten, the sources' own paths (Verilator's messages then name the user's files).
pub fn stage(prepared: &Prepared, dir: &Path) -> Result<Vec<PathBuf>, BuildError> {
    if !prepared.rewritten {
        return Ok(prepared.files.iter().map(|f| f.original.clone()).collect());
    }
    std::fs::create_dir_all(dir).map_err(BuildError::io(dir))?;
    let mut paths = Vec::new();
    for file in &prepared.files {
        let path = dir.join(&file.name);
        std::fs::write(&path, &file.text).map_err(BuildError::io(&path))?;
        paths.push(path);
    }
    Ok(paths)
}

/// A line holding only a comment that carries `word` (`// synthesis translate_off`,
/// `/* synopsys translate_off */`, `// pragma translate_off`).
fn is_pragma_line(line: &str, word: &str) -> bool {
    let t = line.trim_start();
    (t.starts_with("//") || t.starts_with("/*")) && t.contains(word)
}

/// Empties the lines between `translate_off` and `translate_on` (keeping line numbers).
fn blank_translate_off(source: &Path, text: &str) -> Result<String, BuildError> {
    let mut out = String::with_capacity(text.len());
    let mut opened_at: Option<usize> = None;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        let newline = if line.ends_with('\n') { "\n" } else { "" };
        if opened_at.is_none() && is_pragma_line(line, "translate_off") {
            opened_at = Some(i + 1);
            out.push_str(line);
        } else if opened_at.is_some() && is_pragma_line(line, "translate_on") {
            opened_at = None;
            out.push_str(line);
        } else if opened_at.is_some() {
            out.push_str(newline);
        } else {
            out.push_str(line);
        }
    }
    match opened_at {
        Some(line) => Err(files_error(format!("{}:{line}: `translate_off` is never closed by `translate_on`", source.display()))),
        None => Ok(out),
    }
}

/// The quoted name of an `` `include "name" `` line, if `line` is one.
fn include_name(line: &str) -> Option<&str> {
    let rest = line.trim_start().strip_prefix("`include")?.trim_start();
    let rest = rest.strip_prefix('"')?;
    rest.split_once('"').map(|(name, _)| name)
}

/// Drops deadlock-monitor includes and checks that every other include is found.
fn resolve_includes(source: &Path, text: &str, prepared: &mut Prepared) -> Result<String, BuildError> {
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.split_inclusive('\n').enumerate() {
        let Some(name) = include_name(line) else {
            out.push_str(line);
            continue;
        };
        if is_deadlock_monitor(name) {
            out.push_str(if line.ends_with('\n') { "\n" } else { "" });
            continue;
        }
        let here = source.parent().map(Path::to_path_buf).unwrap_or_default();
        let found = std::iter::once(&here).chain(&prepared.include_dirs).map(|d| d.join(name)).find(|p| p.is_file());
        let Some(path) = found else {
            let searched: Vec<String> = std::iter::once(&here).chain(&prepared.include_dirs).map(|d| d.display().to_string()).collect();
            return Err(files_error(format!(
                "{}:{}: `include \"{name}\" not found (searched {}; add its folder to `include-dirs:`)",
                source.display(),
                i + 1,
                searched.join(", ")
            )));
        };
        if !prepared.include_dirs.contains(&here) && !here.as_os_str().is_empty() {
            prepared.include_dirs.push(here.clone());
        }
        if !prepared.includes.iter().any(|(p, _)| p == &path) {
            let bytes = std::fs::read(&path).map_err(BuildError::io(&path))?;
            prepared.includes.push((path, bytes));
        }
        out.push_str(line);
    }
    Ok(out)
}

/// Replaces every `$readmemh/$readmemb(...)` statement outside comments by the assignments
/// its data file describes.
fn inline_readmem(source: &Path, text: &str, data_files: &mut Vec<PathBuf>) -> Result<String, BuildError> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let mut consumed_lines = 0usize;
    while let Some(at) = find_readmem(rest) {
        let (before, call) = rest.split_at(at);
        out.push_str(before);
        consumed_lines += before.matches('\n').count();
        let line = consumed_lines + 1;
        let where_ = || format!("{}:{line}", source.display());
        let binary = call.starts_with("$readmemb");
        let args_start = call.find('(').ok_or_else(|| files_error(format!("{}: `$readmem` without arguments", where_())))?;
        let close = call.find(");").ok_or_else(|| files_error(format!("{}: `$readmem(...)` without `);`", where_())))?;
        let args = &call[args_start + 1..close];
        let call_text = &call[..close + 2];
        let (file, memory, start, end) = parse_readmem_args(args).map_err(|why| files_error(format!("{}: {why} in `{call_text}`", where_())))?;
        let data_path = data_file_path(source, &file);
        let data = std::fs::read_to_string(&data_path).map_err(|e| {
            files_error(format!(
                "{}: data file `{file}` of `{}` not found next to the RTL ({}: {e})",
                where_(),
                if binary { "$readmemb" } else { "$readmemh" },
                data_path.display()
            ))
        })?;
        let words = parse_mem_data(&data, binary).map_err(|why| files_error(format!("{} ({}, read at {}): {why}", data_path.display(), file, where_())))?;
        out.push_str(&assignments(&memory, &words, binary, start, end));
        data_files.push(data_path);
        consumed_lines += call_text.matches('\n').count();
        rest = &call[close + 2..];
    }
    out.push_str(rest);
    Ok(out)
}

/// Byte offset of the next `$readmemh`/`$readmemb` in `text` outside `//` and `/* */`
/// comments and string literals.
fn find_readmem(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'/' if bytes.get(i + 1) == Some(&b'/') => i = text[i..].find('\n').map_or(bytes.len(), |n| i + n),
            b'/' if bytes.get(i + 1) == Some(&b'*') => i = text[i + 2..].find("*/").map_or(bytes.len(), |n| i + 2 + n + 2),
            b'"' => i = text[i + 1..].find('"').map_or(bytes.len(), |n| i + 1 + n + 1),
            b'$' if text[i..].starts_with("$readmemh") || text[i..].starts_with("$readmemb") => return Some(i),
            _ => i += 1,
        }
    }
    None
}

type ReadmemArgs = (String, String, Option<u64>, Option<u64>);

/// `"file", memory[, start[, end]]` with literal addresses.
fn parse_readmem_args(args: &str) -> Result<ReadmemArgs, String> {
    let args = args.trim();
    let rest = args.strip_prefix('"').ok_or("the data file must be a string literal")?;
    let (file, rest) = rest.split_once('"').ok_or("unterminated file name")?;
    let mut parts = rest.split(',').map(str::trim);
    if parts.next() != Some("") {
        return Err("expected `,` after the file name".into());
    }
    let memory = parts.next().filter(|m| !m.is_empty()).ok_or("no memory named")?.to_owned();
    let address = |s: Option<&str>| -> Result<Option<u64>, String> {
        s.map(|s| parse_address(s).ok_or_else(|| format!("address `{s}` is not an integer literal"))).transpose()
    };
    let start = address(parts.next())?;
    let end = address(parts.next())?;
    Ok((file.to_owned(), memory, start, end))
}

/// A decimal or based (`'h1f`, `32'd7`) integer literal.
fn parse_address(s: &str) -> Option<u64> {
    let s = s.replace('_', "");
    match s.split_once('\'') {
        None => s.parse().ok(),
        Some((_, based)) => {
            let based = based.trim_start_matches(['s', 'S']);
            let (radix, digits) = based.split_at(1);
            let radix = match radix {
                "h" | "H" => 16,
                "d" | "D" => 10,
                "o" | "O" => 8,
                "b" | "B" => 2,
                _ => return None,
            };
            u64::from_str_radix(digits, radix).ok()
        }
    }
}

/// Where the data file named in the RTL is: relative names (Vitis: `./x_rom.dat`) next to the
/// RTL file, absolute ones as given.
fn data_file_path(source: &Path, file: &str) -> PathBuf {
    let path = Path::new(file);
    if path.is_absolute() {
        return path.to_owned();
    }
    let relative = file.strip_prefix("./").unwrap_or(file);
    source.parent().map_or_else(|| PathBuf::from(relative), |d| d.join(relative))
}

/// One value of a memory data file: its address and digits (with `x`/`z` kept).
#[derive(Debug, Clone, PartialEq, Eq)]
struct MemWord {
    address: u64,
    digits: String,
}

/// Parses `$readmemh` (hex) or `$readmemb` (binary) data: whitespace-separated values,
/// `//` and `/* */` comments, `@<hex>` addresses.
fn parse_mem_data(text: &str, binary: bool) -> Result<Vec<MemWord>, String> {
    let mut words = Vec::new();
    let mut address = 0u64;
    let mut in_block = false;
    for (i, line) in text.lines().enumerate() {
        let mut rest = line;
        let mut cleaned = String::new();
        loop {
            if in_block {
                match rest.find("*/") {
                    Some(end) => {
                        rest = &rest[end + 2..];
                        in_block = false;
                    }
                    None => break,
                }
            }
            let line_comment = rest.find("//");
            let block = rest.find("/*");
            match (line_comment, block) {
                (Some(l), Some(b)) if l < b => {
                    cleaned.push_str(&rest[..l]);
                    break;
                }
                (Some(l), None) => {
                    cleaned.push_str(&rest[..l]);
                    break;
                }
                (_, Some(b)) => {
                    cleaned.push_str(&rest[..b]);
                    cleaned.push(' ');
                    rest = &rest[b + 2..];
                    in_block = true;
                }
                (None, None) => {
                    cleaned.push_str(rest);
                    break;
                }
            }
        }
        for token in cleaned.split_whitespace() {
            if let Some(hex) = token.strip_prefix('@') {
                address = u64::from_str_radix(hex, 16).map_err(|_| format!("line {}: bad address `{token}`", i + 1))?;
                continue;
            }
            let valid = |c: char| {
                c == '_' || matches!(c, 'x' | 'X' | 'z' | 'Z') || if binary { c == '0' || c == '1' } else { c.is_ascii_hexdigit() }
            };
            if !token.chars().all(valid) {
                return Err(format!("line {}: `{token}` is not a {} value", i + 1, if binary { "binary" } else { "hex" }));
            }
            words.push(MemWord { address, digits: token.replace('_', "") });
            address += 1;
        }
    }
    Ok(words)
}

/// The statement that loads `words` into `memory` (the `$readmem` call's replacement), on
/// one line so the RTL's line numbers stay.
fn assignments(memory: &str, words: &[MemWord], binary: bool, start: Option<u64>, end: Option<u64>) -> String {
    let (base, bits_per_digit) = if binary { ('b', 1) } else { ('h', 4) };
    let offset = start.unwrap_or(0);
    let mut out = String::from("/* verilator lint_off WIDTH */ begin");
    for word in words {
        let address = word.address + offset;
        if end.is_some_and(|end| address > end) {
            break;
        }
        let bits = word.digits.len() * bits_per_digit;
        out.push_str(&format!(" {memory}[{address}] = {bits}'{base}{};", word.digits));
    }
    out.push_str(" end /* verilator lint_on WIDTH */");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("codesign-files-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn globs_expand_sorted_and_a_glob_matching_nothing_is_named() {
        let dir = temp("glob");
        std::fs::create_dir_all(dir.join("rtl")).unwrap();
        for f in ["b.v", "a.v", "c.vh"] {
            std::fs::write(dir.join("rtl").join(f), "").unwrap();
        }
        let found = expand_rtl(&dir, &["rtl/b.v".into(), "rtl/*.v".into()]).unwrap();
        assert_eq!(found, vec![dir.join("rtl/b.v"), dir.join("rtl/a.v")]);
        let err = expand_rtl(&dir, &["verilog/*.v".into()]).unwrap_err().to_string();
        assert!(err.contains("rtl: `verilog/*.v` matches no file"), "{err}");
    }

    #[test]
    fn readmemh_is_inlined_from_the_file_next_to_the_rtl() {
        let dir = temp("readmem");
        std::fs::write(dir.join("k_rom.dat"), "0a3\n// comment\n1ff /* two */ @4\nx0f\n").unwrap();
        let rtl = dir.join("k_rom.v");
        let text = "reg [11:0] ram[0:7];\n// $readmemh(\"./ignored.dat\", ram);\ninitial begin\n    $readmemh(\"./k_rom.dat\", ram);\nend\nwire w;\n";
        std::fs::write(&rtl, text).unwrap();
        let out = inline_readmem(&rtl, text, &mut Vec::new()).unwrap();
        assert!(out.contains("begin ram[0] = 12'h0a3; ram[1] = 12'h1ff; ram[4] = 12'hx0f; end"), "{out}");
        assert!(out.contains("// $readmemh(\"./ignored.dat\""), "comments are left alone: {out}");
        assert_eq!(out.lines().count(), text.lines().count(), "line numbers are kept");
    }

    #[test]
    fn readmem_start_end_and_binary() {
        let words = parse_mem_data("101 0y1\n", true);
        assert!(words.unwrap_err().contains("`0y1` is not a binary value"));
        let words = parse_mem_data("101\n011\n110\n", true).unwrap();
        let out = assignments("m", &words, true, Some(2), Some(3));
        assert_eq!(out, "/* verilator lint_off WIDTH */ begin m[2] = 3'b101; m[3] = 3'b011; end /* verilator lint_on WIDTH */");
        assert_eq!(parse_address("'h1F"), Some(31));
        assert_eq!(parse_address("32'd7"), Some(7));
        assert_eq!(parse_address("N"), None);
    }

    #[test]
    fn a_missing_data_file_names_the_file_and_the_line() {
        let dir = temp("missing");
        let rtl = dir.join("k.v");
        let text = "module k;\nreg [7:0] ram[0:3];\ninitial begin\n  $readmemh(\"./k_rom.dat\", ram);\nend\nendmodule\n";
        let err = inline_readmem(&rtl, text, &mut Vec::new()).unwrap_err().to_string();
        assert!(err.contains(&format!("{}:4: data file `./k_rom.dat` of `$readmemh` not found", rtl.display())), "{err}");
    }

    #[test]
    fn every_files_problem_is_its_own_line() {
        let dir = temp("many");
        std::fs::write(dir.join("a.v"), "initial $readmemh(\"./a.dat\", m);\n").unwrap();
        std::fs::write(dir.join("b.v"), "`include \"b.vh\"\n").unwrap();
        let err = prepare(&[dir.join("a.v"), dir.join("b.v")], &[], None).unwrap_err().to_string();
        assert!(err.starts_with("2 problems with the RTL files:\n  "), "{err}");
        assert!(err.contains("a.v:1: data file `./a.dat`") && err.contains("\n  ") && err.contains("b.v:1: `include \"b.vh\" not found"), "{err}");
    }

    #[test]
    fn translate_off_regions_are_blanked_and_an_open_one_is_an_error() {
        let text = "a\n// synthesis translate_off\n`include \"x.vh\"\ninitial #0 $display(1);\n// synthesis translate_on\nb\n";
        let out = blank_translate_off(Path::new("k.v"), text).unwrap();
        assert_eq!(out, "a\n// synthesis translate_off\n\n\n// synthesis translate_on\nb\n");
        let err = blank_translate_off(Path::new("k.v"), "a\n// synthesis translate_off\nb\n").unwrap_err().to_string();
        assert!(err.contains("k.v:2: `translate_off` is never closed"), "{err}");
    }

    #[test]
    fn includes_resolve_deadlock_monitors_drop_and_a_missing_one_is_named() {
        let dir = temp("include");
        std::fs::create_dir_all(dir.join("inc")).unwrap();
        std::fs::write(dir.join("inc/defs.vh"), "`define W 8\n").unwrap();
        let top = dir.join("k.v");
        std::fs::write(&top, "`include \"defs.vh\"\n`include \"k_hls_deadlock_kernel_monitor_top.vh\"\nmodule k; endmodule\n").unwrap();
        std::fs::write(dir.join("k_hls_deadlock_idx0_monitor.v"), "module m; initial #1; endmodule\n").unwrap();
        let sources = vec![top.clone(), dir.join("k_hls_deadlock_idx0_monitor.v")];
        let err = prepare(&sources, &[], None).unwrap_err().to_string();
        assert!(err.contains("k.v:1: `include \"defs.vh\" not found") && err.contains("include-dirs"), "{err}");
        let prepared = prepare(&sources, &[dir.join("inc")], None).unwrap();
        assert_eq!(prepared.files.len(), 1, "the monitor source is left out");
        assert_eq!(prepared.dropped, vec![dir.join("k_hls_deadlock_idx0_monitor.v")]);
        assert_eq!(prepared.files[0].text, "`include \"defs.vh\"\n\nmodule k; endmodule\n");
        assert_eq!(prepared.includes[0].0, dir.join("inc/defs.vh"));
    }
}
