//! Where codesign writes, decided at run time (never at compile time, so a copied or installed
//! binary writes where it is run):
//!
//! - the output folder (report, waveforms, sweeps, crossover table): `--out DIR`, else
//!   `$CODESIGN_OUT`, else `target/codesign` of the cargo workspace holding the current
//!   directory (`$CARGO_TARGET_DIR/codesign` when that is set there), else
//!   `target/codesign` under the current directory;
//! - the cache of kernels verilated at run time: `$CODESIGN_CACHE`, else
//!   `$XDG_CACHE_HOME/codesign`, else `$HOME/.cache/codesign`.
//!
//! Files others may read while they are rewritten (the report) are written atomically.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;

use crate::Error;

/// The variable naming the output folder (`--out` overrides it).
pub const OUT_ENV: &str = "CODESIGN_OUT";
/// The variable naming the kernel cache folder.
pub const CACHE_ENV: &str = "CODESIGN_CACHE";

static OUT_OVERRIDE: OnceLock<PathBuf> = OnceLock::new();

/// Sets the output folder for this process (`--out`); the first call wins.
pub fn set_output_dir(dir: PathBuf) {
    let _ = OUT_OVERRIDE.set(absolute(dir));
}

/// The output folder (see the module documentation); absolute.
pub fn output_dir() -> PathBuf {
    if let Some(dir) = OUT_OVERRIDE.get() {
        return dir.clone();
    }
    if let Some(dir) = env_path(OUT_ENV) {
        return absolute(dir);
    }
    let cwd = current_dir();
    match workspace_of(&cwd) {
        Some(root) => env_path("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), absolute).join("codesign"),
        None => cwd.join("target").join("codesign"),
    }
}

/// The cache folder of kernels verilated at run time (see the module documentation).
pub fn cache_dir() -> PathBuf {
    if let Some(dir) = env_path(CACHE_ENV) {
        return absolute(dir);
    }
    // The XDG base directory spec: a relative XDG_CACHE_HOME is invalid and ignored.
    if let Some(dir) = env_path("XDG_CACHE_HOME").filter(|d| d.is_absolute()) {
        return dir.join("codesign");
    }
    match env_path("HOME") {
        Some(home) => home.join(".cache").join("codesign"),
        None => output_dir().join("cache"),
    }
}

/// The cargo workspace holding `dir`: the nearest ancestor whose Cargo.toml has a
/// `[workspace]` table, else the nearest with a Cargo.toml (a lone package), else none.
pub fn workspace_of(dir: &Path) -> Option<PathBuf> {
    let mut package = None;
    for ancestor in dir.ancestors() {
        let Ok(text) = std::fs::read_to_string(ancestor.join("Cargo.toml")) else { continue };
        if text.lines().map(str::trim).any(|l| l == "[workspace]" || l.starts_with("[workspace.")) {
            return Some(ancestor.to_owned());
        }
        package.get_or_insert_with(|| ancestor.to_owned());
    }
    package
}

/// `path` as the user should see it: relative to the current directory when under it
/// (`target/codesign/report.md`), else absolute.
pub fn shown(path: &Path) -> PathBuf {
    path.strip_prefix(current_dir()).map_or_else(|_| path.to_owned(), Path::to_owned)
}

/// Creates the output folder; an error (exit code 2) names it when that is impossible, so
/// commands call this before any work.
pub fn prepare_output_dir() -> Result<PathBuf, Error> {
    let dir = output_dir();
    std::fs::create_dir_all(&dir).map_err(|e| Error::Output { path: dir.clone(), message: e.to_string() })?;
    Ok(dir)
}

/// Checks that the file `path` can be created: its folder exists and it is not a folder
/// itself. Commands check every output file with this before any work.
pub fn check_output_file(path: &Path) -> Result<(), Error> {
    let fail = |message: String| Error::Output { path: path.to_owned(), message };
    let parent = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    if !parent.is_dir() {
        return Err(fail(format!("folder {} does not exist", parent.display())));
    }
    if path.is_dir() {
        return Err(fail("is a folder, not a file".to_owned()));
    }
    Ok(())
}

/// Writes `contents` to `path` through a temporary file in the same folder renamed into
/// place, so a reader (or a concurrent writer) never sees a partly written file.
pub fn write_atomic(path: &Path, contents: impl AsRef<[u8]>) -> std::io::Result<()> {
    static WRITES: AtomicU64 = AtomicU64::new(0);
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let temporary = path.with_file_name(format!(
        ".{name}.{}-{}.tmp",
        std::process::id(),
        WRITES.fetch_add(1, Ordering::Relaxed)
    ));
    let result = std::fs::write(&temporary, contents).and_then(|()| std::fs::rename(&temporary, path));
    if result.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    result
}

fn env_path(name: &str) -> Option<PathBuf> {
    std::env::var_os(name).filter(|v| !v.is_empty()).map(PathBuf::from)
}

fn current_dir() -> PathBuf {
    std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."))
}

fn absolute(path: PathBuf) -> PathBuf {
    if path.is_absolute() {
        path
    } else {
        current_dir().join(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_workspace_is_the_nearest_ancestor_with_a_workspace_table() {
        let root = std::env::temp_dir().join(format!("codesign-output-{}", std::process::id()));
        let member = root.join("crates/member/src");
        std::fs::create_dir_all(&member).unwrap();
        std::fs::write(root.join("Cargo.toml"), "[workspace]\nmembers = [\"crates/member\"]\n").unwrap();
        std::fs::write(root.join("crates/member/Cargo.toml"), "[package]\nname = \"member\"\n").unwrap();
        assert_eq!(workspace_of(&member), Some(root.clone()));
        std::fs::write(root.join("Cargo.toml"), "[package]\nname = \"outer\"\n").unwrap();
        assert_eq!(workspace_of(&member), Some(root.join("crates/member")), "a lone package is its own workspace");
        assert_eq!(workspace_of(&std::env::temp_dir()), None);
        std::fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn an_output_file_needs_an_existing_folder() {
        let missing = std::env::temp_dir().join(format!("codesign-missing-{}", std::process::id())).join("out.csv");
        let err = check_output_file(&missing).unwrap_err().to_string();
        assert!(err.contains("does not exist") && err.contains("out.csv"), "{err}");
        let err = check_output_file(&std::env::temp_dir()).unwrap_err().to_string();
        assert!(err.contains("is a folder"), "{err}");
        check_output_file(Path::new("scores.csv")).unwrap();
    }
}
