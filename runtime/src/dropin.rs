//! Out-of-tree kernels (`--kernel-dir`): a folder with kernel.yaml and RTL, verilated at run
//! time into a shared library in the kernel cache ([`crate::output::cache_dir`]`/kernels`),
//! keyed by a hash of the RTL, the manifest, the Verilator flags and the shim generator's
//! version. Before anything is compiled the manifest is checked against the ports Verilator
//! reads from the RTL (as `codesign check` does): a kernel that disagrees never runs. The
//! Verilator runtime is compiled once and shared; a cached library is self-contained, so it
//! loads without Verilator installed. A file lock per entry makes concurrent processes
//! (nextest) wait for one build instead of building twice or loading a half-built library;
//! the build goes to a temporary folder (`<key>.tmp-<pid>`) renamed into place only when it
//! succeeded, and the temporary folders of processes that died mid-build are removed by the
//! next load. Same -O3 and interposition rules as the build-time path.
//!
//! The same machinery builds the other [`Variant`]s of any kernel with a folder, library
//! kernels included, when a run first asks for one ([`variant`]): the traced model for a
//! waveform, the X-randomised one for `x-init: ones | random`.

use std::collections::hash_map::DefaultHasher;
use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use codesign_hw::{KernelSource, Manifest};
use codesign_sim::verilated::{CppTestbench, Direction, ModelFfi, PortDecl, VerilatedKernel};
use codesign_verilate::{parse_ports, Builder, ModelSpec, Variant, Verilator, CODEGEN_VERSION};

use crate::check::{model_spec, problems, problems_error};
use crate::{Error, Kernel};

/// Loads the kernel in `dir`, verilating it first unless the cache has it.
pub fn load(dir: &Path) -> Result<Kernel, Error> {
    load_reporting(dir).map(|(kernel, _)| kernel)
}

/// A folder that cannot be made into a kernel: a setup error (exit code 2).
fn failed(dir: &Path, detail: impl std::fmt::Display) -> Error {
    Error::KernelDir { dir: dir.to_owned(), message: detail.to_string() }
}

/// The folder of verilated kernels in the cache.
pub fn cache_dir() -> PathBuf {
    crate::output::cache_dir().join("kernels")
}

/// A scratch folder `<label>.tmp-<pid>` in the kernel cache: removed by a later load if this
/// process dies before removing it.
pub fn scratch_dir(label: &str) -> PathBuf {
    cache_dir().join(format!("{label}.tmp-{}", std::process::id()))
}

/// The cache key: the kernel's name, the variant and a hash of everything the library is
/// built from.
fn cache_key(name: &str, codegen_version: u32, variant: Variant, manifest_text: &str, sources: &[Vec<u8>]) -> String {
    let mut hasher = DefaultHasher::new();
    (env!("CARGO_PKG_VERSION"), codegen_version, variant.verilator_args(), manifest_text, sources).hash(&mut hasher);
    format!("{name}-{}-{:016x}", variant.label(), hasher.finish())
}

/// Kernel `name` of the folder (one of its parameter sets).
pub fn load_named(dir: &Path, name: &str) -> Result<Kernel, Error> {
    load_variant_reporting(dir, Some(name), Variant::FAST).map(|(kernel, _)| kernel)
}

/// Every kernel of the folder (one per parameter set, when it has them), verilated as
/// `variant`.
pub fn load_all_as(dir: &Path, variant: Variant) -> Result<Vec<Kernel>, Error> {
    let manifest_path = dir.join("kernel.yaml");
    let names: Vec<String> = Manifest::load_all(&manifest_path)?.into_iter().map(|m| m.name).collect();
    names.iter().map(|name| load_variant_reporting(dir, Some(name), variant).map(|(kernel, _)| kernel)).collect()
}

/// As [`load`], also saying whether Verilator ran (false: the cache was used).
pub fn load_reporting(dir: &Path) -> Result<(Kernel, bool), Error> {
    load_variant_reporting(dir, None, Variant::FAST)
}

/// `name`: the kernel among the folder's parameter sets (`None`: the folder has one kernel).
fn load_variant_reporting(dir: &Path, name: Option<&str>, variant: Variant) -> Result<(Kernel, bool), Error> {
    let loaded = load_variant(dir, name, variant, Check::Ports)?;
    let source: &'static KernelSource = Box::leak(Box::new(KernelSource {
        name: leak(&loaded.manifest.name),
        dir: leak(&loaded.dir.display().to_string()),
        manifest_yaml: leak(&loaded.manifest_text),
        model: loaded.model,
        csim: None,
    }));
    Ok((Kernel { manifest: loaded.manifest, body: crate::Body::Rtl(source) }, loaded.built))
}

/// The `variant` of kernel `name`, whose folder (kernel.yaml and RTL) is `dir`, built on
/// first use and opened once per process.
pub fn variant(dir: &Path, name: &str, variant: Variant) -> Result<&'static VerilatedKernel, Error> {
    static OPENED: Mutex<BTreeMap<(PathBuf, String, Variant), &'static VerilatedKernel>> = Mutex::new(BTreeMap::new());
    let key = (dir.to_owned(), name.to_owned(), variant);
    if let Some(model) = OPENED.lock().unwrap_or_else(|e| e.into_inner()).get(&key) {
        return Ok(model);
    }
    // The kernel was checked when it was loaded (a library kernel: when it was built).
    let model = load_variant(dir, Some(name), variant, Check::Done)?.model;
    OPENED.lock().unwrap_or_else(|e| e.into_inner()).insert(key, model);
    Ok(model)
}

/// A kernel folder's model, verilated as one variant.
struct Loaded {
    dir: PathBuf,
    manifest: Manifest,
    manifest_text: String,
    model: &'static VerilatedKernel,
    /// False when the cache had it.
    built: bool,
}

/// Whether a build first checks the manifest against the ports Verilator reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Check {
    /// Yes: a folder loaded for the first time.
    Ports,
    /// No: another variant of a kernel that was checked already (one Verilator run saved).
    Done,
}

fn load_variant(dir: &Path, name: Option<&str>, variant: Variant, check: Check) -> Result<Loaded, Error> {
    let dir = dir.canonicalize().map_err(|e| failed(dir, e))?;
    let manifest_path = dir.join("kernel.yaml");
    let manifest_text = std::fs::read_to_string(&manifest_path)
        .map_err(|source| codesign_hw::ManifestError::Read { path: manifest_path.clone(), source })?;
    let manifest = match name {
        Some(name) => Manifest::parse_named(&manifest_path, &manifest_text, name)?,
        None => Manifest::parse(&manifest_path, &manifest_text)?,
    };
    let spec = model_spec(&dir, &manifest).map_err(|e| failed(&dir, e))?.with_variant(variant);
    // The RTL as Verilator reads it (data files inlined) and the included files: every
    // problem with the files is found here, before anything is verilated.
    let prepared = spec.prepare().map_err(|e| failed(&dir, e))?;
    let mut sources: Vec<Vec<u8>> = prepared.files.iter().map(|f| f.text.clone().into_bytes()).collect();
    sources.extend(prepared.includes.iter().map(|(_, bytes)| bytes.clone()));
    for file in &spec.testbench {
        sources.push(std::fs::read(file).map_err(|e| failed(&dir, format!("{}: {e}", file.display())))?);
    }
    let key = cache_key(&manifest.name, CODEGEN_VERSION, variant, &manifest_text, &sources);
    let cache = cache_dir();
    std::fs::create_dir_all(&cache).map_err(|e| failed(&dir, format!("kernel cache {}: {e}", cache.display())))?;
    let entry = cache.join(&key);
    let library = entry.join(format!("libcodesign_{}.so", manifest.top));

    // A finished entry appears whole (a scratch folder renamed into place): a cached kernel
    // loads without waiting for another process's build. Otherwise one lock per entry (two
    // processes building different kernels or variants use both cores; the shared Verilator
    // runtime has its own lock) and a second look under it.
    let mut built = false;
    if !library.is_file() {
        let lock_path = cache.join(format!("{key}.lock"));
        let lock = std::fs::File::create(&lock_path).map_err(|e| failed(&dir, format!("{}: {e}", lock_path.display())))?;
        lock.lock().map_err(|e| failed(&dir, format!("locking {}: {e}", lock_path.display())))?;
        remove_stale_scratch(&cache);
        if !library.is_file() {
            build(&dir, &manifest, &spec, &cache, &key, check)?;
            built = true;
        }
        drop(lock);
    }

    let header = entry.join("models").join(&manifest.top).join("verilated").join(format!("V{}.h", manifest.top));
    let text = std::fs::read_to_string(&header).map_err(|e| failed(&dir, format!("{}: {e}", header.display())))?;
    let ports = parse_ports(&header, &text).map_err(|e| failed(&dir, e))?;
    let model = open_library(&library, &manifest.top, &ports, variant).map_err(|e| failed(&dir, e))?;
    Ok(Loaded { dir, manifest, manifest_text, model, built })
}

/// Checks the manifest against the RTL's ports, then verilates and links the library into a
/// scratch folder renamed to `cache/key` on success. Called with the entry's lock held.
fn build(dir: &Path, manifest: &Manifest, spec: &ModelSpec, cache: &Path, key: &str, check: Check) -> Result<(), Error> {
    let verilator = Verilator::detect().map_err(|e| failed(dir, e))?;
    let scratch = cache.join(format!("{key}.tmp-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    let builder = Builder::new(verilator, scratch.clone()).with_runtime_dir(cache.join("runtime"));
    let library = scratch.join(format!("libcodesign_{}.so", manifest.top));
    let checked = match check {
        Check::Done => Ok(()),
        Check::Ports => builder.ports(spec, &scratch.join("ports")).map_err(|e| failed(dir, e)).and_then(|ports| {
            match problems(manifest, &ports) {
                found if found.is_empty() => Ok(()),
                found => Err(problems_error(dir, manifest, &found)),
            }
        }),
    };
    let result = checked
        .and_then(|()| {
            builder
                .build_model(spec)
                .and_then(|model| builder.shared_library(&model, &library))
                .map_err(|e| failed(dir, e))
        });
    if let Err(e) = result {
        let _ = std::fs::remove_dir_all(&scratch);
        return Err(e);
    }
    let entry = cache.join(key);
    let _ = std::fs::remove_dir_all(&entry);
    std::fs::rename(&scratch, &entry).map_err(|e| failed(dir, format!("{}: {e}", entry.display())))
}

/// Removes the `*.tmp-<pid>` folders of processes that no longer run (a build or check that
/// was killed); those of live processes are theirs.
pub(crate) fn remove_stale_scratch(cache: &Path) {
    let Ok(entries) = std::fs::read_dir(cache) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some((_, pid)) = name.to_str().and_then(|n| n.rsplit_once(".tmp-")) else { continue };
        let Ok(pid) = pid.parse::<u32>() else { continue };
        if pid != std::process::id() && !Path::new("/proc").join(pid.to_string()).exists() {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// Loaded kernels live as long as the process (the runtime's kernels are `'static`).
fn leak(s: &str) -> &'static str {
    Box::leak(s.to_owned().into_boxed_str())
}

fn open_library(
    path: &Path,
    top: &str,
    ports: &[codesign_verilate::Port],
    variant: Variant,
) -> Result<&'static VerilatedKernel, String> {
    // SAFETY: the library is ours, built just above or by an earlier run from the same key;
    // its initialisers are Verilator's.
    let library = unsafe { libloading::Library::new(path) }.map_err(|e| format!("loading {}: {e}", path.display()))?;
    let library: &'static libloading::Library = Box::leak(Box::new(library));
    macro_rules! symbol {
        ($name:literal, $ty:ty) => {{
            let name = format!("codesign_{top}_{}", $name);
            // SAFETY: the shim defines this symbol with exactly this signature (codegen).
            let symbol: libloading::Symbol<'static, $ty> =
                unsafe { library.get(name.as_bytes()) }.map_err(|e| format!("{name}: {e}"))?;
            *symbol
        }};
    }
    let ffi = ModelFfi {
        new: symbol!("new", unsafe extern "C" fn(i32, i32) -> *mut core::ffi::c_void),
        eval: symbol!("eval", unsafe extern "C" fn(*mut core::ffi::c_void)),
        model: symbol!("model", unsafe extern "C" fn(*mut core::ffi::c_void) -> *mut core::ffi::c_void),
        finish: symbol!("final", unsafe extern "C" fn(*mut core::ffi::c_void)),
        delete: symbol!("delete", unsafe extern "C" fn(*mut core::ffi::c_void)),
        port_ptrs: symbol!("port_ptrs", unsafe extern "C" fn(*mut core::ffi::c_void, *mut *mut core::ffi::c_void)),
        trace_open: symbol!(
            "trace_open",
            unsafe extern "C" fn(*mut core::ffi::c_void, *const core::ffi::c_char, i32) -> *mut core::ffi::c_void
        ),
        trace_dump: symbol!("trace_dump", unsafe extern "C" fn(*mut core::ffi::c_void, u64)),
        trace_flush: symbol!("trace_flush", unsafe extern "C" fn(*mut core::ffi::c_void)),
        trace_close: symbol!("trace_close", unsafe extern "C" fn(*mut core::ffi::c_void) -> i32),
    };
    let decls: Vec<PortDecl> = ports
        .iter()
        .map(|p| PortDecl {
            name: leak(&p.name),
            direction: match p.direction {
                codesign_verilate::Direction::Input => Direction::Input,
                codesign_verilate::Direction::Output => Direction::Output,
                codesign_verilate::Direction::Inout => Direction::Inout,
            },
            width: p.width,
        })
        .collect();
    // The manifest's `bench:` testbench, when it has one, is compiled into the library too.
    let bench_name = format!("codesign_bench_{top}");
    // SAFETY: build_model compiles the testbench with exactly this signature (CppTestbench).
    let cpp_testbench = unsafe { library.get::<CppTestbench>(bench_name.as_bytes()) }.ok().map(|symbol| *symbol);
    Ok(Box::leak(Box::new(VerilatedKernel {
        top: leak(top),
        ports: Box::leak(decls.into_boxed_slice()),
        ffi,
        cpp_testbench,
        traced: variant.traced,
        x_random: variant.x_random,
    })))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_changes_with_the_shim_generator_and_every_input() {
        let key = |codegen, manifest: &str, rtl: &[u8]| cache_key("k", codegen, Variant::FAST, manifest, &[rtl.to_vec()]);
        let base = key(CODEGEN_VERSION, "name: k", b"module k; endmodule");
        assert!(base.starts_with("k-fast-"), "{base}");
        let traced = Variant { traced: true, x_random: false };
        assert_ne!(base, cache_key("k", CODEGEN_VERSION, traced, "name: k", &[b"module k; endmodule".to_vec()]));
        assert_ne!(base, key(CODEGEN_VERSION + 1, "name: k", b"module k; endmodule"), "a new shim generator rebuilds");
        assert_ne!(base, key(CODEGEN_VERSION, "name: k ", b"module k; endmodule"));
        assert_ne!(base, key(CODEGEN_VERSION, "name: k", b"module k;  endmodule"));
        assert_eq!(base, key(CODEGEN_VERSION, "name: k", b"module k; endmodule"));
    }
}
