//! C simulation at build time: a generated entry point per kernel that fills the HLS top's
//! streams from arrays, calls it and drains the outputs (hw/hls_include/codesign_csim.h), all
//! compiled against the ap_types headers that ci/setup fetches.

use std::collections::hash_map::DefaultHasher;
use std::fmt::Write;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use crate::manifest::{ArgDirection, Manifest, StreamDirection};

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

/// The generated entry point `codesign_csim_<name>`, or `None` without a `csim` section.
pub fn entry(manifest: &Manifest, dir: &Path) -> Option<CsimKernel> {
    let csim = manifest.csim.as_ref()?;
    // Input arrays: input streams, then in/inout buffers; output arrays: output streams, then
    // out/inout buffers (the order the runtime's csim backend passes them in).
    let in_buffers = manifest.buffers.iter().filter(|b| b.direction.is_input()).map(|b| b.name.as_str());
    let out_buffers = manifest.buffers.iter().filter(|b| b.direction.is_output()).map(|b| b.name.as_str());
    let inputs: Vec<&str> = manifest.inputs().map(|s| s.name.as_str()).chain(in_buffers).collect();
    let outputs: Vec<&str> = manifest.outputs().map(|s| s.name.as_str()).chain(out_buffers).collect();
    let args_in: Vec<&str> = manifest.args.iter().filter(|a| a.direction == ArgDirection::In).map(|a| a.name.as_str()).collect();
    let args_out: Vec<&str> = manifest.args.iter().filter(|a| a.direction == ArgDirection::Out).map(|a| a.name.as_str()).collect();
    let index = |list: &[&str], name: &str| list.iter().position(|n| *n == name).unwrap_or(0);
    let mut fill = String::new();
    let mut drain = String::new();
    for (i, name) in csim.args.iter().enumerate() {
        if let Some(stream) = manifest.streams.iter().find(|s| &s.name == name) {
            if stream.direction == StreamDirection::In {
                let k = index(&inputs, name);
                let (lanes, bits) = (stream.lanes, stream.element.bits());
                let _ = writeln!(fill, "        codesign::fill(std::get<{i}>(s), in[{k}], in_len[{k}], {lanes}, {bits});");
            } else {
                let k = index(&outputs, name);
                let (lanes, bits) = (stream.lanes, stream.element.bits());
                let _ = writeln!(
                    drain,
                    "        out_len[{k}] = codesign::drain(std::get<{i}>(s), out[{k}], out_cap[{k}], {lanes}, {bits});"
                );
            }
        } else if let Some(buffer) = manifest.buffer(name) {
            // m_axi pointers: a host array of the pointee type, packed from the elements.
            let bits = buffer.element.bits();
            let _ = writeln!(
                fill,
                "        typedef typename std::remove_cv<typename std::remove_pointer<typename std::tuple_element<{i}, Storage>::type>::type>::type E{i};"
            );
            let (data, len, capacity) = if buffer.direction.is_input() {
                let k = index(&inputs, name);
                (format!("in[{k}]"), format!("in_len[{k}]"), "0".to_owned())
            } else {
                let k = index(&outputs, name);
                ("nullptr".to_owned(), "0".to_owned(), format!("out_cap[{k}]"))
            };
            let _ = writeln!(fill, "        std::vector<E{i}> buffer{i} = codesign::pack_buffer<E{i}>({data}, {len}, {bits}, {capacity});");
            let _ = writeln!(fill, "        std::get<{i}>(s) = buffer{i}.data();");
            if buffer.direction.is_output() {
                let k = index(&outputs, name);
                let _ = writeln!(drain, "        out_len[{k}] = codesign::unpack_buffer(buffer{i}, out[{k}], out_cap[{k}], {bits});");
            }
        } else if args_in.contains(&name.as_str()) {
            let k = index(&args_in, name);
            let _ = writeln!(fill, "        codesign::set_scalar(std::get<{i}>(s), scalars_in[{k}]);");
        } else {
            let k = index(&args_out, name);
            let _ = writeln!(drain, "        scalars_out[{k}] = codesign::get_scalar(std::get<{i}>(s));");
        }
    }
    let files: Vec<PathBuf> = manifest.hls.iter().map(|f| dir.join(f)).collect();
    let includes: String = files
        .iter()
        .filter(|f| f.extension().is_some_and(|e| e == "cpp" || e == "cc"))
        .map(|f| format!("#include \"{}\"\n", f.display()))
        .collect();
    // The manifest's parameters, as `-D` would give them, for this translation unit only.
    let defines: String = manifest.parameters.iter().map(|(k, v)| format!("#define {k} {v}\n")).collect();
    let (name, top) = (&manifest.name, &csim.top);
    let source = format!(
        r#"// Generated by hw/build.rs: the C-simulation entry point of kernel `{name}`. Do not edit.
#include <cstdio>
#include <exception>
#include <vector>
#include "codesign_csim.h"
#include "codesign_buffers.h"
{defines}{includes}
extern "C" int codesign_csim_{name}(const uint64_t* const* in, const size_t* in_len, uint64_t** out,
                                   size_t* out_len, const size_t* out_cap, const uint64_t* scalars_in,
                                   uint64_t* scalars_out, char* error, size_t error_cap) {{
    try {{
        typedef codesign::signature<decltype(&{top})>::storage Storage;
        Storage s;
{fill}        std::apply([](auto&... a) {{ {top}(a...); }}, s);
{drain}        return 0;
    }} catch (const std::exception& e) {{
        std::snprintf(error, error_cap, "%s", e.what());
        return 1;
    }}
}}
"#
    );
    Some(CsimKernel { name: name.clone(), source, hls_dir: dir.join("hls"), files })
}

/// Compiles every entry point into `libcodesign_csim.a` in the content-keyed folder
/// `cache/csim-<key>` (shared by every cargo profile, like the models: built once under a lock
/// into a temporary folder renamed into place) and prints the link directives. `ap_types`
/// holds ap_int.h.
pub fn build(kernels: &[CsimKernel], ap_types: &Path, include: &Path, cache: &Path) -> Result<(), String> {
    let mut hasher = DefaultHasher::new();
    for k in kernels {
        k.source.hash(&mut hasher);
        for f in &k.files {
            std::fs::read(f).map_err(|e| format!("{}: {e}", f.display()))?.hash(&mut hasher);
        }
    }
    for header in ["hls_stream.h", "ap_axi_sdata.h", "codesign_csim.h", "codesign_buffers.h"] {
        std::fs::read(include.join(header)).map_err(|e| format!("{header}: {e}"))?.hash(&mut hasher);
    }
    ap_types.hash(&mut hasher);
    let key = format!("{:016x}", hasher.finish());
    let library = "codesign_csim";
    let dir = cache.join(format!("csim-{key}"));
    codesign_verilate::cache::build_once(
        &dir,
        |dir| dir.join(format!("lib{library}.a")).is_file(),
        |path, e| format!("{}: {e}", path.display()),
        |scratch| compile(kernels, ap_types, include, scratch, library),
    )?;
    println!("cargo:rustc-link-search=native={}", dir.display());
    println!("cargo:rustc-link-lib=static={library}");
    Ok(())
}

fn compile(kernels: &[CsimKernel], ap_types: &Path, include: &Path, dir: &Path, library: &str) -> Result<(), String> {
    let mut build = cc::Build::new();
    build
        .cpp(true)
        .std("c++17")
        .opt_level(2)
        .debug(false)
        .warnings(false)
        .cargo_metadata(false)
        .flag_if_supported("-w")
        .include(ap_types)
        .include(include)
        .out_dir(dir);
    for k in kernels {
        let path = dir.join(format!("{}_csim.cpp", k.name));
        std::fs::write(&path, &k.source).map_err(|e| format!("{}: {e}", path.display()))?;
        build.include(&k.hls_dir).file(path);
    }
    build.try_compile(library).map_err(|e| format!("compiling the C simulation: {e}"))
}
