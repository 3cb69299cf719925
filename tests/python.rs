//! The Python package's pytest suite (runtime/python/tests), run in the venv `ci/setup` makes,
//! so that `cargo nextest run` covers it. A wheel built from other sources is rebuilt first
//! (`ci/python-wheel`: a release build of the extension, a no-op when up to date); a missing
//! venv fails with what to run. It never skips.

use std::process::Command;

#[test]
fn pytest_suite_passes() {
    let root = codesign::workspace_root();
    let wheel = Command::new(root.join("ci/python-wheel")).output().expect("run ci/python-wheel");
    assert!(
        wheel.status.success(),
        "ci/python-wheel failed:\n{}{}",
        String::from_utf8_lossy(&wheel.stdout),
        String::from_utf8_lossy(&wheel.stderr)
    );
    let python = root.join("ci/.cache/venv/bin/python");
    let run = Command::new(&python)
        .args(["-m", "pytest", "-q", "-rA", "-p", "no:cacheprovider", "runtime/python/tests", "-s"])
        .current_dir(&root)
        .env_remove("CODESIGN_CONFIG")
        .output()
        .unwrap_or_else(|e| panic!("{}: {e}", python.display()));
    println!("{}", String::from_utf8_lossy(&run.stdout));
    eprintln!("{}", String::from_utf8_lossy(&run.stderr));
    assert!(run.status.success(), "pytest failed ({}): see the output above", run.status);
}
