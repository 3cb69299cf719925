//! `report.md` in the output folder ([`crate::output`]): the last run, perf and sweep results in
//! one page. Each command writes its own section file; the report is rebuilt from the sections
//! every time, each file written atomically so that concurrent runs never leave a torn one.

use std::path::{Path, PathBuf};

use crate::output::write_atomic;

/// Sections in report order: (file stem, title).
const SECTIONS: &[(&str, &str)] = &[("run", "Run"), ("perf", "Performance"), ("sweep", "Sweeps")];

/// The output folder ([`crate::output::output_dir`]).
pub fn output_dir() -> PathBuf {
    crate::output::output_dir()
}

/// Replaces section `name` (one of run, perf, sweep) with `markdown` and rewrites the report.
/// Returns the report's path.
pub fn write_section(name: &str, markdown: &str) -> std::io::Result<PathBuf> {
    write_section_in(&output_dir(), name, markdown)
}

/// As [`write_section`], in the folder `dir`.
pub fn write_section_in(dir: &Path, name: &str, markdown: &str) -> std::io::Result<PathBuf> {
    std::fs::create_dir_all(dir)?;
    write_atomic(&dir.join(format!("{name}.md")), markdown)?;
    let mut report = String::from("# codesign report\n\nThe last `codesign run`, `perf` and `sweep` in this folder.\n");
    for (stem, title) in SECTIONS {
        if let Ok(section) = std::fs::read_to_string(dir.join(format!("{stem}.md"))) {
            report.push_str(&format!("\n## {title}\n\n{section}\n"));
        }
    }
    let path = dir.join("report.md");
    write_atomic(&path, report)?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writers rewrite the report with large sections while a reader keeps reading it: every
    /// read is a whole report (a plain truncate-and-write shows readers empty or cut files).
    #[test]
    fn concurrent_writers_never_leave_a_torn_report() {
        let dir = std::env::temp_dir().join(format!("codesign-report-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let end = "<!-- end of section -->";
        let section = |n: usize| format!("{}\n{end}", format!("row {n} | {}\n", "x".repeat(200)).repeat(2000));
        write_section_in(&dir, "run", &section(0)).unwrap();
        let stop = std::sync::atomic::AtomicBool::new(false);
        let torn = std::thread::scope(|scope| {
            for writer in 0..2 {
                let (dir, stop) = (&dir, &stop);
                scope.spawn(move || {
                    for i in 0..40 {
                        write_section_in(dir, if writer == 0 { "run" } else { "perf" }, &section(i)).unwrap();
                    }
                    stop.store(true, std::sync::atomic::Ordering::Relaxed);
                });
            }
            let mut torn = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let text = std::fs::read_to_string(dir.join("report.md")).unwrap();
                if !text.starts_with("# codesign report") || !text.trim_end().ends_with(end) {
                    torn += 1;
                }
            }
            torn
        });
        assert_eq!(torn, 0, "reads that saw a partly written report");
        let leftovers: Vec<_> = std::fs::read_dir(&dir).unwrap().flatten().filter(|e| e.file_name().to_string_lossy().ends_with(".tmp")).collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
