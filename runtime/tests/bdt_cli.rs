//! `codesign bdt`: a generated conifer model and feature CSV through the binary; scores must
//! equal the JSON-level golden evaluation (`BdtModel::predict`), and bad files must give
//! clear errors with exit code 2.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use codesign_models::bdt::BdtModel;

fn dir(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("codesign-bdt-cli-{}-{test}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn codesign(model: &Path, input: &Path, output: &Path) -> Output {
    codesign_on("golden", model, input, output)
}

/// `codesign bdt` on the built-in config `backend` (configs/<backend>.yaml).
fn codesign_on(backend: &str, model: &Path, input: &Path, output: &Path) -> Output {
    let config = format!("../configs/{backend}.yaml");
    Command::new(env!("CARGO_BIN_EXE_codesign"))
        .args(["bdt", "--config", &config])
        .arg("--model")
        .arg(model)
        .arg("--input")
        .arg(input)
        .arg("--output")
        .arg(output)
        .output()
        .unwrap()
}

/// A stump per (round, class): feature `(round + class) % features` split at `0.5 * round`.
fn model_json(rounds: usize, n_classes: usize, features: usize, convention: &str) -> String {
    let columns = if n_classes == 2 { 1 } else { n_classes };
    let trees: Vec<String> = (0..rounds)
        .map(|round| {
            let per_class: Vec<String> = (0..columns)
                .map(|class| {
                    format!(
                        r#"{{"feature":[{},-2,-2],"threshold":[{},-2,-2],"value":[0,{},{}],
                            "children_left":[1,-1,-1],"children_right":[2,-1,-1]}}"#,
                        (round + class) % features,
                        0.5 * round as f64,
                        0.1 + round as f64 * 0.37,
                        -0.3 - class as f64 * 0.011
                    )
                })
                .collect();
            format!("[{}]", per_class.join(","))
        })
        .collect();
    let init: Vec<String> = (0..columns).map(|c| format!("{}", 0.05 * c as f64 - 0.2)).collect();
    format!(
        r#"{{"n_classes":{n_classes},"n_features":{features},"n_trees":{rounds},"max_depth":1,
           "init_predict":[{}],"norm":1.0,"splitting_convention":"{convention}","trees":[{}]}}"#,
        init.join(","),
        trees.join(",")
    )
}

#[test]
fn scores_match_the_conifer_emulation_for_binary_and_multiclass_models() {
    let runs = [("golden", 2usize, "<="), ("golden", 3, "<"), ("cosim", 2, "<="), ("cosim", 3, "<")];
    for (backend, n_classes, convention) in runs {
        let dir = dir(&format!("ok{n_classes}-{backend}"));
        let json = model_json(24, n_classes, 5, convention);
        let model = BdtModel::from_json(&json).unwrap();
        std::fs::write(dir.join("m.json"), &json).unwrap();
        let mut csv = String::new();
        let mut samples = Vec::new();
        for i in 0..50 {
            let x: Vec<f64> = (0..5).map(|j| (i * 7 + j * 3) as f64 * 0.25 - 6.0 + if j == 2 { 0.0001 } else { 0.0 }).collect();
            csv.push_str(&x.iter().map(f64::to_string).collect::<Vec<_>>().join(", "));
            csv.push('\n');
            samples.push(x);
        }
        std::fs::write(dir.join("x.csv"), csv).unwrap();
        let output = codesign_on(backend, &dir.join("m.json"), &dir.join("x.csv"), &dir.join("s.csv"));
        assert!(output.status.success(), "{backend}: {}", String::from_utf8_lossy(&output.stderr));
        let text = std::fs::read_to_string(dir.join("s.csv")).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), samples.len());
        let score = model.precision.score;
        for (line, x) in lines.iter().zip(&samples) {
            let want: Vec<String> = model.predict(x).unwrap().iter().map(|&raw| score.to_f64(raw).to_string()).collect();
            assert_eq!(*line, want.join(","), "x = {x:?}");
            assert_eq!(line.split(',').count(), if n_classes == 2 { 1 } else { n_classes });
        }
    }
}

fn failure(test: &str, json: &str, csv: &str) -> String {
    let dir = dir(test);
    std::fs::write(dir.join("m.json"), json).unwrap();
    std::fs::write(dir.join("x.csv"), csv).unwrap();
    let output = codesign(&dir.join("m.json"), &dir.join("x.csv"), &dir.join("s.csv"));
    assert_eq!(output.status.code(), Some(2), "{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn bad_models_and_bad_feature_files_are_clear_errors() {
    let good = model_json(3, 2, 4, "<=");
    let message = failure("json", "{\"n_classes\": 2", "1,2,3,4\n");
    assert!(message.contains("m.json") && message.contains("model JSON"), "{message}");
    let message = failure("missing", &good.replace(r#""norm":1.0,"#, ""), "1,2,3,4\n");
    assert!(message.contains("missing field `norm`"), "{message}");
    let message = failure("count", &good, "1,2,3,4\n1,2,3\n");
    assert!(message.contains("x.csv:2:4") && message.contains("3 feature(s) on this line, the model takes 4"), "{message}");
    let message = failure("number", &good, "1,2,3,4\n1,2,abc,4\n");
    assert!(message.contains("x.csv:2:3") && message.contains("`abc` is not a decimal number"), "{message}");
    let message = failure("big", &model_json(129, 2, 4, "<="), "1,2,3,4\n");
    assert!(message.contains("trees (rounds x score columns): 129 > 128"), "{message}");
    let message = failure("features", &model_json(2, 2, 17, "<="), "1\n");
    assert!(message.contains("features: 17 > 16"), "{message}");
}

/// Issue 14, finding 4: `--output` into a folder that does not exist is exit 2 before the
/// model is read or anything computed (it was exit 3 after the whole cosim run).
#[test]
fn an_output_in_a_missing_folder_exits_2_before_any_work() {
    let dir = dir("missing-output");
    std::fs::write(dir.join("m.json"), model_json(3, 2, 4, "<=")).unwrap();
    std::fs::write(dir.join("x.csv"), "1,2,3,4\n").unwrap();
    let scores = dir.join("no-such-folder").join("s.csv");
    let output = codesign_on("cosim", &dir.join("m.json"), &dir.join("x.csv"), &scores);
    let text = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(output.status.code(), Some(2), "{text}");
    assert!(text.contains("s.csv") && text.contains("no-such-folder does not exist"), "{text}");
    assert!(!text.contains("sample(s)"), "nothing was computed: {text}");
}
