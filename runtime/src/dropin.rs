//! Out-of-tree kernels (`--kernel-dir`): a folder with kernel.yaml and RTL, verilated at run
//! time into a shared library under `target/codesign/kernels/`, keyed by a hash of the RTL,
//! the manifest, the Verilator version and its flags; the Verilator runtime is compiled once
//! and shared. A file lock makes concurrent processes (nextest) wait for one build instead of
//! building twice or loading a half-built library; the build goes to a temporary
//! folder renamed into place only when it succeeded, so a failed build leaves nothing a later
//! run would trust. Same -O3 and interposition rules as the build-time path.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use codesign_hw::{KernelSource, Manifest};
use codesign_sim::verilated::{Direction, ModelFfi, PortDecl, VerilatedKernel};
use codesign_verilate::{parse_ports, Builder, ModelSpec, Verilator, VERILATOR_ARGS};

use crate::{Error, Kernel};

/// Loads the kernel in `dir`, verilating it first unless the cache has it.
pub fn load(dir: &Path) -> Result<Kernel, Error> {
    load_reporting(dir).map(|(kernel, _)| kernel)
}

fn failed(dir: &Path, detail: impl std::fmt::Display) -> Error {
    Error::Backend { backend: "cosim".into(), source: format!("kernel folder {}: {detail}", dir.display()).into() }
}

/// As [`load`], also saying whether Verilator ran (false: the cache was used).
pub fn load_reporting(dir: &Path) -> Result<(Kernel, bool), Error> {
    let dir = dir.canonicalize().map_err(|e| failed(dir, e))?;
    let manifest_path = dir.join("kernel.yaml");
    let manifest_text = std::fs::read_to_string(&manifest_path)
        .map_err(|source| codesign_hw::ManifestError::Read { path: manifest_path.clone(), source })?;
    let manifest = Manifest::parse(&manifest_path, &manifest_text)?;
    let verilator = Verilator::detect().map_err(|e| failed(&dir, e))?;
    let sources: Vec<PathBuf> = manifest.rtl.iter().map(|f| dir.join(f)).collect();

    let mut hasher = DefaultHasher::new();
    (env!("CARGO_PKG_VERSION"), &verilator.version_text, VERILATOR_ARGS, &manifest_text).hash(&mut hasher);
    for source in &sources {
        std::fs::read(source).map_err(|e| failed(&dir, format!("{}: {e}", source.display())))?.hash(&mut hasher);
    }
    let key = format!("{}-{:016x}", manifest.name, hasher.finish());
    let cache = crate::report::output_dir().join("kernels");
    std::fs::create_dir_all(&cache).map_err(|e| failed(&dir, format!("{}: {e}", cache.display())))?;
    let entry = cache.join(&key);
    let library = entry.join(format!("libcodesign_{}.so", manifest.top));

    // One lock for all drop-in builds: they share the compiled Verilator runtime.
    let lock_path = cache.join("build.lock");
    let lock = std::fs::File::create(&lock_path).map_err(|e| failed(&dir, format!("{}: {e}", lock_path.display())))?;
    lock.lock().map_err(|e| failed(&dir, format!("locking {}: {e}", lock_path.display())))?;
    let built = !library.is_file();
    if built {
        let scratch = cache.join(format!("{key}.tmp-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&scratch);
        let builder = Builder::new(verilator, scratch.clone()).with_runtime_dir(cache.join("runtime"));
        let spec = ModelSpec::new(&manifest.top, sources)
            .with_parameters(&manifest.parameters);
        let result = builder
            .build_model(&spec)
            .and_then(|model| builder.shared_library(&model, &scratch.join(library.file_name().unwrap_or_default())));
        if let Err(e) = result {
            let _ = std::fs::remove_dir_all(&scratch);
            return Err(failed(&dir, e));
        }
        let _ = std::fs::remove_dir_all(&entry);
        std::fs::rename(&scratch, &entry).map_err(|e| failed(&dir, format!("{}: {e}", entry.display())))?;
    }
    drop(lock);

    let header = entry.join("models").join(&manifest.top).join("verilated").join(format!("V{}.h", manifest.top));
    let text = std::fs::read_to_string(&header).map_err(|e| failed(&dir, format!("{}: {e}", header.display())))?;
    let ports = parse_ports(&header, &text).map_err(|e| failed(&dir, e))?;
    let model = open_library(&library, &manifest.top, &ports).map_err(|e| failed(&dir, e))?;
    let source: &'static KernelSource = Box::leak(Box::new(KernelSource {
        name: leak(&manifest.name),
        dir: leak(&dir.display().to_string()),
        manifest_yaml: leak(&manifest_text),
        model,
        csim: None,
    }));
    Ok((Kernel { manifest, body: crate::Body::Rtl(source) }, built))
}

/// Loaded kernels live as long as the process (the runtime's kernels are `'static`).
fn leak(s: &str) -> &'static str {
    Box::leak(s.to_owned().into_boxed_str())
}

fn open_library(path: &Path, top: &str, ports: &[codesign_verilate::Port]) -> Result<&'static VerilatedKernel, String> {
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
    Ok(Box::leak(Box::new(VerilatedKernel { top: leak(top), ports: Box::leak(decls.into_boxed_slice()), ffi, cpp_testbench: None })))
}
