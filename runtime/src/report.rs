//! `target/codesign/report.md`: the last run, perf and sweep results in one page. Each command
//! writes its own section file; the report is rebuilt from the sections every time.

use std::path::PathBuf;

/// Sections in report order: (file stem, title).
const SECTIONS: &[(&str, &str)] = &[("run", "Run"), ("perf", "Performance"), ("sweep", "Sweeps")];

/// `target/codesign` under the workspace (or `$CARGO_TARGET_DIR/codesign`).
pub fn output_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| crate::workspace_root().join("target"));
    target.join("codesign")
}

/// Replaces section `name` (one of run, perf, sweep) with `markdown` and rewrites the report.
/// Returns the report's path.
pub fn write_section(name: &str, markdown: &str) -> std::io::Result<PathBuf> {
    let dir = output_dir();
    std::fs::create_dir_all(&dir)?;
    std::fs::write(dir.join(format!("{name}.md")), markdown)?;
    let mut report = String::from("# codesign report\n\nThe last `codesign run`, `perf` and `sweep` on this checkout.\n");
    for (stem, title) in SECTIONS {
        if let Ok(section) = std::fs::read_to_string(dir.join(format!("{stem}.md"))) {
            report.push_str(&format!("\n## {title}\n\n{section}\n"));
        }
    }
    let path = dir.join("report.md");
    std::fs::write(&path, report)?;
    Ok(path)
}
