//! Build-time helper that turns RTL into a Rust-callable Verilator 5 model.
//!
//! The verilated-rs approach (a build step that runs Verilator and compiles with `cc`,
//! generated extern "C" shims, Rust port descriptions) rebuilt for Verilator 5:
//! file lists come from `V<top>_classes.mk`, ports from `V<top>.h`, the Verilator runtime is
//! compiled once per build, and every unit is compiled at -O3 with
//! `-fno-semantic-interposition` whatever the cargo profile. A model is verilated as one
//! [`Variant`]: fast by default, or with FST tracing (the shim opens a trace file, FST or VCD
//! converted from FST on close, when asked to at run time) or X randomisation compiled in.
//!
//! ```no_run
//! // build.rs
//! use codesign_verilate::{Builder, ModelSpec, Verilator};
//! let out = std::path::PathBuf::from(std::env::var("OUT_DIR").unwrap());
//! let builder = Builder::new(Verilator::detect().unwrap(), out.clone());
//! let spec = ModelSpec::new("passthrough", ["rtl/passthrough.v"]);
//! let model = builder.build_model(&spec).unwrap();
//! builder.link(&[&model]).unwrap();
//! std::fs::write(out.join("models.rs"), &model.rust_bindings).unwrap();
//! ```
//! The generated bindings refer to `codesign_sim::verilated`, so the crate using them depends
//! on `codesign-sim`.

pub mod cache;
mod classes;
mod codegen;
mod detect;
mod error;
pub mod files;
pub mod fp_ip;
mod ports;
mod runtime;
mod shim;
mod variant;

use std::collections::hash_map::DefaultHasher;
use std::collections::BTreeSet;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::process::Command;

pub use classes::{parse_classes, Classes};
pub use detect::{Verilator, CPP_SWITCHES, MIN_VERSION};
pub use error::BuildError;
pub use files::{expand_rtl, prepare, Prepared};
pub use fp_ip::FpUnits;
pub use ports::{parse_ports, Direction, Port, MAX_WIDTH};
pub use variant::{Variant, COMMON_ARGS};

/// Bumped whenever the generated shim or bindings, or the way a model is compiled, change,
/// to invalidate caches: the build script's and those of kernels verilated at run time
/// (which hash it into their key). 6: Verilator's files compiled as one unit. 7: `eval` takes
/// the model, not the handle.
pub const CODEGEN_VERSION: u32 = 7;

/// What to verilate: a top module, its RTL and optional hand-written C++ testbench files.
#[derive(Debug, Clone)]
pub struct ModelSpec {
    /// Top module name (`--top-module`); also names the C symbols and the Rust module.
    pub top: String,
    /// Verilog/SystemVerilog sources, in order.
    pub sources: Vec<PathBuf>,
    /// C++ testbench files compiled into the model's library; one must define
    /// `extern "C" int codesign_bench_<top>(uint64_t, uint32_t, uint32_t, uint64_t*, uint64_t*)`.
    pub testbench: Vec<PathBuf>,
    /// Top-level parameter overrides, passed as `-G<name>=<value>` (integers, or Verilog
    /// literals such as `8'hff`).
    pub parameters: Vec<(String, String)>,
    /// `-I` folders for `` `include``; empty: every folder holding a source.
    pub include_dirs: Vec<PathBuf>,
    /// Arguments appended to Verilator's command line (the manifest's `verilator-args:`).
    pub verilator_args: Vec<String>,
    /// Behavioural units that Floating-Point Operator IP in the sources is mapped to.
    pub fp_units: Option<FpUnits>,
    /// Fast, traced and/or X-randomised.
    pub variant: Variant,
}

impl ModelSpec {
    /// A model from a top module and its sources.
    pub fn new<P: Into<PathBuf>>(top: &str, sources: impl IntoIterator<Item = P>) -> Self {
        ModelSpec {
            top: top.to_owned(),
            sources: sources.into_iter().map(Into::into).collect(),
            testbench: Vec::new(),
            parameters: Vec::new(),
            include_dirs: Vec::new(),
            verilator_args: Vec::new(),
            fp_units: None,
            variant: Variant::FAST,
        }
    }

    /// The sources as Verilator will read them (see [`files`]): every file-level problem is
    /// found here, before Verilator runs.
    pub fn prepare(&self) -> Result<Prepared, BuildError> {
        for path in self.sources.iter() {
            detect::require_file(&self.top, path)?;
        }
        files::prepare(&self.sources, &self.include_dirs, self.fp_units.as_ref())
    }

    /// The same model with top-level parameter overrides (`-G<name>=<value>`).
    pub fn with_parameters<K: ToString, V: ToString>(mut self, parameters: impl IntoIterator<Item = (K, V)>) -> Self {
        self.parameters = parameters.into_iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        self
    }

    /// The same model verilated as `variant`.
    pub fn with_variant(mut self, variant: Variant) -> Self {
        self.variant = variant;
        self
    }
}

/// A model ready to link.
#[derive(Debug, Clone)]
pub struct BuiltModel {
    /// Top module name.
    pub top: String,
    /// Ports as Verilator declared them.
    pub ports: Vec<Port>,
    /// Verilator runtime units this model needs.
    pub runtime_units: Vec<String>,
    /// Rust source of the bindings module (see [`codegen`](crate)).
    pub rust_bindings: String,
    /// False when the cache was up to date and nothing was verilated or compiled.
    pub rebuilt: bool,
    /// Static library name (without `lib` and `.a`).
    pub library: String,
    /// Directory holding `lib<library>.a`.
    pub dir: PathBuf,
    /// How it was verilated.
    pub variant: Variant,
}

/// Verilates and compiles models into one output directory, with a content-keyed cache so
/// that a change to one RTL file rebuilds only that model.
#[derive(Debug, Clone)]
pub struct Builder {
    verilator: Verilator,
    out_dir: PathBuf,
    runtime_dir: Option<PathBuf>,
    model_cache: Option<PathBuf>,
}

impl Builder {
    /// A builder writing under `out_dir` (a build script's `OUT_DIR`).
    pub fn new(verilator: Verilator, out_dir: PathBuf) -> Self {
        Builder { verilator, out_dir, runtime_dir: None, model_cache: None }
    }

    /// Keeps every model (and the Verilator runtime) in the content-keyed cache `dir`, one
    /// folder per model and key, so builds that share it (cargo's dev, test and release
    /// profiles; several checkouts) verilate and compile each model once. Builds into the
    /// cache are locked and renamed into place whole.
    pub fn with_model_cache(mut self, dir: PathBuf) -> Self {
        self.runtime_dir = Some(dir.clone());
        self.model_cache = Some(dir);
        self
    }

    /// Keeps the compiled Verilator runtime under `dir` instead of the output folder, so that
    /// several builds (drop-in kernels verilated at run time) share one copy.
    pub fn with_runtime_dir(mut self, dir: PathBuf) -> Self {
        self.runtime_dir = Some(dir);
        self
    }

    fn runtime_root(&self) -> &Path {
        self.runtime_dir.as_deref().unwrap_or(&self.out_dir)
    }

    /// The Verilator in use.
    pub fn verilator(&self) -> &Verilator {
        &self.verilator
    }

    /// Verilates `spec` into `mdir` without compiling and returns its ports as Verilator
    /// declares them: what `codesign check` validates a manifest against.
    pub fn ports(&self, spec: &ModelSpec, mdir: &Path) -> Result<Vec<Port>, BuildError> {
        spec.prepare()?;
        let _ = std::fs::remove_dir_all(mdir);
        std::fs::create_dir_all(mdir).map_err(BuildError::io(mdir))?;
        self.run_verilator(spec, mdir)?;
        let header_path = mdir.join(format!("V{}.h", spec.top));
        let header = std::fs::read_to_string(&header_path).map_err(BuildError::io(&header_path))?;
        parse_ports(&header_path, &header)
    }

    /// Verilates and compiles one model, unless its cache key is unchanged.
    pub fn build_model(&self, spec: &ModelSpec) -> Result<BuiltModel, BuildError> {
        for path in spec.sources.iter().chain(&spec.testbench) {
            detect::require_file(&spec.top, path)?;
        }
        let key = self.model_key(spec)?;
        match &self.model_cache {
            Some(cache) => {
                let dir = cache.join("models").join(format!("{}-{key}", spec.top));
                let library = format!("lib{}.a", self.library_name(spec));
                let built = cache::build_once(
                    &dir,
                    |dir| dir.join(&library).is_file(),
                    |path, source| BuildError::Io { path: path.to_owned(), source },
                    |scratch| self.compile_model(spec, scratch),
                )?;
                self.read_model(spec, dir, built)
            }
            None => {
                let dir = self.out_dir.join("models").join(&spec.top);
                let stamp = dir.join("stamp");
                let library = self.library_name(spec);
                let cached = std::fs::read_to_string(&stamp).ok().as_deref() == Some(key.as_str())
                    && dir.join(format!("lib{library}.a")).is_file();
                if !cached {
                    let _ = std::fs::remove_dir_all(&dir);
                    self.compile_model(spec, &dir)?;
                    std::fs::write(&stamp, &key).map_err(BuildError::io(&stamp))?;
                }
                self.read_model(spec, dir, !cached)
            }
        }
    }

    /// The static library a model is compiled into (without `lib` and `.a`).
    fn library_name(&self, spec: &ModelSpec) -> String {
        format!("codesign_model_{}", spec.top)
    }

    /// Verilates `spec` into `dir/verilated` and compiles it (with its shim and testbench)
    /// into `dir/lib<library>.a`.
    fn compile_model(&self, spec: &ModelSpec, dir: &Path) -> Result<(), BuildError> {
        let mdir = dir.join("verilated");
        std::fs::create_dir_all(&mdir).map_err(BuildError::io(&mdir))?;
        self.run_verilator(spec, &mdir)?;
        let (classes, ports) = self.verilated(spec, dir)?;
        let shim_path = dir.join(format!("{}_shim.cpp", spec.top));
        std::fs::write(&shim_path, shim::cpp_shim(&spec.top, &ports, spec.variant.traced)).map_err(BuildError::io(&shim_path))?;
        let mut build = self.verilator.cpp_build(spec.variant.traced);
        build.include(&mdir).out_dir(dir);
        // The shim is a unit of its own: included with the model, it would inline the model's
        // `eval_step` into its own eval entry, a second copy of the hottest code that ran
        // slower than the one a C++ testbench calls (ufunc_i32: 27% more time for the same
        // instructions).
        build.file(&shim_path);
        if classes.single_unit() {
            // Verilator's own makefile compiles such a model as one `V<top>__ALL.cpp` that
            // includes every file; so do we: verilated.h and the standard headers are parsed
            // once instead of once per file, a third of a small model's compile time.
            let all = mdir.join(format!("V{}__ALL.cpp", spec.top));
            let mut text = String::from("// Generated by codesign-verilate: the model in one translation unit.\n");
            for stem in &classes.model {
                text.push_str(&format!("#include \"{stem}.cpp\"\n"));
            }
            std::fs::write(&all, text).map_err(BuildError::io(&all))?;
            build.file(&all);
        } else {
            for stem in &classes.model {
                build.file(mdir.join(format!("{stem}.cpp")));
            }
        }
        for file in &spec.testbench {
            build.file(file);
        }
        build.try_compile(&self.library_name(spec)).map_err(|source| BuildError::Compile {
            what: format!("verilated model `{}`", spec.top),
            source,
        })
    }

    /// The file list and ports of the model verilated under `dir`, checked against the
    /// switches codesign compiles every unit with.
    fn verilated(&self, spec: &ModelSpec, dir: &Path) -> Result<(Classes, Vec<Port>), BuildError> {
        let mdir = dir.join("verilated");
        let class = format!("V{}", spec.top);
        let classes_path = mdir.join(format!("{class}_classes.mk"));
        let classes_text = std::fs::read_to_string(&classes_path).map_err(BuildError::io(&classes_path))?;
        let classes = parse_classes(&classes_path, &classes_text)?;
        if classes.switches.get("VM_TIMING").is_some_and(|v| v != "0") {
            return Err(BuildError::Output {
                path: classes_path,
                detail: "model needs --timing, which codesign does not build".to_owned(),
            });
        }
        for (name, value) in CPP_SWITCHES.iter().chain(&spec.variant.trace_switches()) {
            if let Some(found) = classes.switches.get(*name).filter(|found| found != value) {
                return Err(BuildError::Output {
                    detail: format!("{name} = {found}, but codesign compiles every unit with {name}={value}"),
                    path: classes_path,
                });
            }
        }
        let header_path = mdir.join(format!("{class}.h"));
        let header = std::fs::read_to_string(&header_path).map_err(BuildError::io(&header_path))?;
        let ports = parse_ports(&header_path, &header)?;
        Ok((classes, ports))
    }

    /// The built model in `dir`: ports, runtime units and Rust bindings.
    fn read_model(&self, spec: &ModelSpec, dir: PathBuf, rebuilt: bool) -> Result<BuiltModel, BuildError> {
        let (classes, ports) = self.verilated(spec, &dir)?;
        let rust_bindings = codegen::rust_bindings(&spec.top, &ports, !spec.testbench.is_empty(), spec.variant);
        Ok(BuiltModel {
            top: spec.top.clone(),
            ports,
            runtime_units: classes.global,
            rust_bindings,
            rebuilt,
            library: self.library_name(spec),
            dir,
            variant: spec.variant,
        })
    }

    /// Compiles the Verilator runtime once for all `models` (cached across builds) and prints
    /// the cargo link directives: models first, then the runtime, then zlib (FST) and the C++
    /// library.
    pub fn link(&self, models: &[&BuiltModel]) -> Result<(), BuildError> {
        let units: BTreeSet<&str> = models.iter().flat_map(|m| m.runtime_units.iter().map(String::as_str)).collect();
        let runtime = runtime::build(&self.verilator, self.runtime_root(), &units, CODEGEN_VERSION)?;
        for model in models {
            println!("cargo:rustc-link-search=native={}", model.dir.display());
            println!("cargo:rustc-link-lib=static={}", model.library);
        }
        println!("cargo:rustc-link-search=native={}", runtime.dir.display());
        println!("cargo:rustc-link-lib=static={}", runtime::LIBRARY);
        for lib in &runtime.system_libs {
            println!("cargo:rustc-link-lib=dylib={lib}");
        }
        println!("cargo:rustc-link-lib=dylib=stdc++");
        println!("cargo:rerun-if-env-changed=VERILATOR");
        println!("cargo:rerun-if-env-changed=VERILATOR_ROOT");
        Ok(())
    }

    /// Links `model` and the Verilator runtime into the shared library `path`, for loading at
    /// run time (drop-in kernels). Prints nothing: no cargo directives.
    pub fn shared_library(&self, model: &BuiltModel, path: &Path) -> Result<(), BuildError> {
        let units: BTreeSet<&str> = model.runtime_units.iter().map(String::as_str).collect();
        let runtime = runtime::build(&self.verilator, self.runtime_root(), &units, CODEGEN_VERSION)?;
        let model_lib = model.dir.join(format!("lib{}.a", model.library));
        let runtime_lib = runtime.dir.join(format!("lib{}.a", runtime::LIBRARY));
        let compiler = self.verilator.cpp_build(model.variant.traced).get_compiler();
        let mut command = compiler.to_command();
        command
            .arg("-shared")
            .arg("-o")
            .arg(path)
            // Calls inside the library bind to it at link time: no PLT stubs in eval (they cost
            // a loaded model against a linked-in one).
            .arg("-Wl,-Bsymbolic")
            // Every shim symbol must be exported, used or not.
            .arg("-Wl,--whole-archive")
            .arg(&model_lib)
            .arg("-Wl,--no-whole-archive")
            .arg(&runtime_lib);
        for lib in &runtime.system_libs {
            command.arg(format!("-l{lib}"));
        }
        command.arg("-lstdc++").arg("-lpthread");
        let output = command.output().map_err(BuildError::io(path))?;
        if output.status.success() {
            Ok(())
        } else {
            Err(BuildError::Output {
                path: path.to_owned(),
                detail: format!("linking the shared library failed:\n{}", String::from_utf8_lossy(&output.stderr)),
            })
        }
    }

    fn run_verilator(&self, spec: &ModelSpec, mdir: &Path) -> Result<(), BuildError> {
        let prepared = spec.prepare()?;
        let sources = files::stage(&prepared, &mdir.join("codesign-rtl"))?;
        let output = Command::new(&self.verilator.bin)
            .args(spec.variant.verilator_args())
            .arg("--top-module")
            .arg(&spec.top)
            .args(spec.parameters.iter().map(|(name, value)| format!("-G{name}={value}")))
            .arg("--Mdir")
            .arg(mdir)
            .args(prepared.include_dirs.iter().map(|d| format!("-I{}", d.display())))
            .args(&sources)
            // Last, so that they can override codesign's own (documented as an escape hatch).
            .args(&spec.verilator_args)
            .output()
            .map_err(|source| BuildError::VerilatorMissing {
                tried: self.verilator.bin.display().to_string(),
                source,
            })?;
        if output.status.success() {
            Ok(())
        } else {
            Err(BuildError::Verilate {
                top: spec.top.clone(),
                status: output.status.to_string(),
                stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
            })
        }
    }

    /// Cache key: Verilator version, flags, codegen version and the bytes of every source.
    fn model_key(&self, spec: &ModelSpec) -> Result<String, BuildError> {
        let mut hasher = DefaultHasher::new();
        let args = spec.variant.verilator_args();
        (CODEGEN_VERSION, &self.verilator.version_text, &self.verilator.root, args, &spec.top, &spec.parameters).hash(&mut hasher);
        // What the sources' bytes below do not cover: rewritten text (data files inlined),
        // included files, extra arguments. Hashed only when present, so that a plain kernel's
        // key stays what it was.
        let prepared = spec.prepare()?;
        if prepared.rewritten {
            prepared.files.hash(&mut hasher);
        }
        if !prepared.includes.is_empty() {
            prepared.includes.hash(&mut hasher);
        }
        if !spec.verilator_args.is_empty() {
            spec.verilator_args.hash(&mut hasher);
        }
        for path in spec.sources.iter().chain(&spec.testbench) {
            let bytes = std::fs::read(path).map_err(BuildError::io(path))?;
            (path, bytes).hash(&mut hasher);
        }
        Ok(format!("{:016x}", hasher.finish()))
    }
}
