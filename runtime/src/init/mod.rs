//! `codesign init --kernel-dir DIR [--top T] [--force]`: writes a kernel.yaml for a Vitis HLS
//! export so that `check` and `run` take the folder as it is. The RTL is found in the export's
//! usual folders; the top is the one module nobody instantiates (or csynth.xml's top); the
//! ports are Verilator's, read as `check` reads them; the rest comes from the C++ top in
//! `hls/`, the s_axilite address map and the synthesis report (see [`draft`]).

pub mod cpp;
pub mod draft;
pub mod reports;

use std::path::{Path, PathBuf};

use codesign_verilate::{Builder, Verilator};

use crate::Error;

/// Folders an export keeps its Verilog in, relative to the kernel folder, most specific first.
const RTL_FOLDERS: &[&str] = &["rtl", "syn/verilog", "impl/verilog", "impl/ip/hdl/verilog", "hdl/verilog", "verilog", "."];

/// Folders holding the HLS C++.
const HLS_FOLDERS: &[&str] = &["hls", "src"];

fn failed(dir: &Path, message: impl std::fmt::Display) -> Error {
    Error::KernelDir { dir: dir.to_owned(), message: message.to_string() }
}

/// Files in `dir` whose names end with one of `extensions`, sorted.
fn files_with(dir: &Path, extensions: &[&str]) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file() && p.extension().and_then(|x| x.to_str()).is_some_and(|x| extensions.contains(&x)))
        .collect();
    files.sort();
    files
}

/// The modules defined in `texts` that no other module instantiates (Vitis's simulation-only
/// monitors left out).
pub fn top_candidates(texts: &[String]) -> Vec<String> {
    let defined: Vec<String> = texts
        .iter()
        .flat_map(|t| t.lines())
        .filter_map(|l| l.trim_start().strip_prefix("module "))
        .filter_map(|rest| rest.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).find(|s| !s.is_empty()))
        .map(str::to_owned)
        .collect();
    let instantiated: Vec<&str> = texts
        .iter()
        .flat_map(|t| t.lines())
        .filter_map(|l| l.split_whitespace().next())
        .filter(|first| defined.iter().any(|d| d == first))
        .collect();
    defined.iter().filter(|d| !instantiated.contains(&d.as_str()) && !d.contains("hls_deadlock")).cloned().collect()
}

/// Writes `dir/kernel.yaml` for the export in `dir`; returns its path. `scratch` receives
/// Verilator's output.
pub fn init(dir: &Path, top: Option<&str>, force: bool, scratch: &Path) -> Result<PathBuf, Error> {
    let dir = dir.canonicalize().map_err(|e| failed(dir, e))?;
    let manifest_path = dir.join("kernel.yaml");
    if manifest_path.exists() && !force {
        return Err(failed(&dir, "kernel.yaml exists already (give --force to overwrite it)"));
    }
    let (rtl_folder, sources) = RTL_FOLDERS
        .iter()
        .map(|f| (*f, files_with(&dir.join(f), &["v", "sv"])))
        .find(|(_, files)| !files.is_empty())
        .ok_or_else(|| failed(&dir, format!("no Verilog (.v, .sv) in any of: {}", RTL_FOLDERS.join(", "))))?;
    let texts: Vec<String> = sources.iter().map(|p| std::fs::read_to_string(p).unwrap_or_default()).collect();
    let first_file = |candidates: &[&str]| {
        candidates.iter().map(|f| dir.join(f)).find(|p| p.is_file()).and_then(|p| std::fs::read_to_string(p).ok())
    };
    let csynth = first_file(&["syn/report/csynth.xml", "solution/syn/report/csynth.xml"]).map(|xml| reports::parse(&xml));
    let component = first_file(&["impl/ip/component.xml", "solution/impl/ip/component.xml", "component.xml"]).map(|xml| reports::component(&xml));
    let synthesis = match (csynth, component) {
        (Some(s), Some(c)) => Some(s.or(c)),
        (s, c) => s.or(c),
    };

    let candidates = top_candidates(&texts);
    let top = match (top, synthesis.as_ref().and_then(|s| s.top.clone())) {
        (Some(t), _) => t.to_owned(),
        (None, Some(t)) if candidates.contains(&t) => t,
        _ if candidates.len() == 1 => candidates[0].clone(),
        _ => {
            return Err(failed(
                &dir,
                format!("cannot tell the top module: candidates (modules nobody instantiates) are {}; give --top", if candidates.is_empty() { "none".to_owned() } else { candidates.join(", ") }),
            ))
        }
    };

    let prefix = if rtl_folder == "." { String::new() } else { format!("{rtl_folder}/") };
    let mut rtl = vec![format!("{prefix}*.v")];
    if sources.iter().any(|p| p.extension().is_some_and(|x| x == "sv")) {
        rtl.push(format!("{prefix}*.sv"));
    }
    rtl.retain(|r| sources.iter().any(|s| s.extension().and_then(|x| x.to_str()) == r.rsplit('.').next()));

    let (hls, hls_texts) = HLS_FOLDERS
        .iter()
        .map(|f| (*f, files_with(&dir.join(f), &["cpp", "cc", "cxx", "h", "hpp"])))
        .find(|(_, files)| !files.is_empty())
        .map(|(folder, files)| {
            let sources = files
                .iter()
                .filter(|p| p.extension().is_some_and(|x| x != "h" && x != "hpp"))
                .filter_map(|p| p.file_name().map(|n| format!("{folder}/{}", n.to_string_lossy())))
                .collect();
            let texts = files.iter().map(|p| std::fs::read_to_string(p).unwrap_or_default()).collect::<Vec<_>>();
            (sources, texts)
        })
        .unwrap_or_default();
    let cpp = cpp::find_top(&hls_texts, &top);

    let mut address_map: Vec<draft::AddressEntry> = sources
        .iter()
        .zip(&texts)
        .filter(|(p, _)| p.file_name().is_some_and(|n| n.to_string_lossy().ends_with("_s_axi.v")))
        .flat_map(|(_, t)| draft::address_map(t))
        .collect();
    if address_map.is_empty() {
        // No `*_s_axi.v` among the sources: the driver Vitis exports beside the IP carries the
        // same address block (`x<top>_hw.h`).
        let drivers = ["impl/misc/drivers", "impl/ip/drivers", "solution/impl/misc/drivers"];
        address_map = drivers
            .iter()
            .filter_map(|d| std::fs::read_dir(dir.join(d)).ok())
            .flat_map(|entries| entries.filter_map(Result::ok).map(|e| e.path().join("src")))
            .flat_map(|src| files_with(&src, &["h"]))
            .filter(|p| p.file_name().is_some_and(|n| n.to_string_lossy().ends_with("_hw.h")))
            .filter_map(|p| std::fs::read_to_string(p).ok())
            .flat_map(|t| draft::address_map(&t))
            .collect();
    }

    let name = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| top.clone());
    let manifest_rtl: Vec<PathBuf> = rtl.iter().map(PathBuf::from).collect();
    let spec = crate::check::spec_for(&dir, &top, &manifest_rtl, &[], &[]).map_err(|e| failed(&dir, e))?;
    let verilator = Verilator::detect().map_err(|e| failed(&dir, e))?;
    let ports = Builder::new(verilator, scratch.to_owned()).ports(&spec, &scratch.join("init")).map_err(|e| failed(&dir, e));
    let _ = std::fs::remove_dir_all(scratch);
    let export = draft::Export { name, top, rtl, hls, ports: ports?, address_map, cpp, synthesis };
    let text = draft::render(&export);
    std::fs::write(&manifest_path, &text).map_err(|e| failed(&dir, format!("{}: {e}", manifest_path.display())))?;
    // A draft that does not load is kept for editing, but said: `check` and `run` would
    // refuse it.
    if let Err(e) = codesign_hw::Manifest::parse(&manifest_path, &text) {
        return Err(failed(&dir, format!("wrote kernel.yaml, but it does not load: {e}; edit the line it names, then run `codesign check`")));
    }
    Ok(manifest_path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_top_is_the_module_nobody_instantiates() {
        let texts = vec![
            "module k (a);\nk_sub #(.W(8)) sub_U (.a(a));\nendmodule\n".to_owned(),
            "module k_sub (a);\nendmodule\nmodule k_hls_deadlock_idx0_monitor (c);\nendmodule\n".to_owned(),
        ];
        assert_eq!(top_candidates(&texts), vec!["k".to_owned()]);
        let two = vec!["module a; endmodule\n".to_owned(), "module b; endmodule\n".to_owned()];
        assert_eq!(top_candidates(&two), vec!["a".to_owned(), "b".to_owned()]);
    }
}
