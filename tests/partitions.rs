//! Scale-out (README "CI runners"): the `builder` profile on the machine that builds the
//! archive, plus `--profile runner --partition count:K/N` (or `hash:K/N`) on N runners, run
//! every test of the workspace exactly once. Listed with nextest itself, as the machines would.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::process::Command;

/// Every test nextest lists (`binary-id test-name`), each with whether it is selected.
fn listed(profile: &str, partition: Option<&str>) -> BTreeMap<String, bool> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let mut command = Command::new(cargo);
    command.current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/..")).args(["nextest", "list", "--message-format", "json", "--profile", profile]);
    if let Some(partition) = partition {
        command.args(["--partition", partition]);
    }
    let output = command.output().expect("cargo nextest runs");
    assert!(output.status.success(), "cargo nextest list failed: {}", String::from_utf8_lossy(&output.stderr));
    let list: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let mut tests = BTreeMap::new();
    for (binary, suite) in list["rust-suites"].as_object().unwrap() {
        for (name, case) in suite["testcases"].as_object().unwrap() {
            let selected = case["filter-match"]["status"] == "matches";
            tests.insert(format!("{binary} {name}"), selected);
        }
    }
    tests
}

#[test]
fn the_builder_and_n_runners_run_every_test_exactly_once() {
    let all = listed("default", None);
    assert!(all.len() > 100, "only {} tests listed", all.len());
    assert!(all.values().all(|&selected| selected), "the default profile runs everything");
    // A profile's default filter leaves its other tests out of the list or marks them.
    let builder = listed("builder", None);
    let on_builder = builder.values().filter(|&&s| s).count();
    assert!((5..all.len() / 4).contains(&on_builder), "{on_builder} tests on the builder");
    for (scheme, n) in [("count", 3), ("hash", 4)] {
        let mut runs: BTreeMap<&String, u32> = all.keys().map(|k| (k, u32::from(builder.get(k) == Some(&true)))).collect();
        for k in 1..=n {
            let part = listed("runner", Some(&format!("{scheme}:{k}/{n}")));
            for (test, selected) in &part {
                let count = runs.get_mut(test).unwrap_or_else(|| panic!("{scheme}:{k}/{n}: unknown test {test}"));
                *count += u32::from(*selected);
            }
        }
        let wrong: Vec<_> = runs.iter().filter(|(_, &c)| c != 1).collect();
        assert!(wrong.is_empty(), "{scheme} over {n} runners + the builder: run other than once: {wrong:?}");
    }
}
