//! Reading `V<top>_classes.mk`, Verilator's own list of the files it generated, instead of
//! guessing names (Verilator 5 emits hashed ones such as `V<top>___024root__DepSet_<hash>__0.cpp`).

use std::collections::BTreeMap;
use std::path::Path;

use crate::BuildError;

/// The file lists of one verilated model.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Classes {
    /// Model-specific translation units (stems, without `.cpp`): classes and support files.
    pub model: Vec<String>,
    /// Verilator runtime units the model needs (`verilated`, `verilated_threads`, ...).
    pub global: Vec<String>,
    /// `VM_*` switches such as `VM_TRACE` and `VM_TIMING`.
    pub switches: BTreeMap<String, String>,
}

/// Parses the make fragment: `VAR = value` switches and `VAR += \` continued lists.
pub fn parse_classes(path: &Path, text: &str) -> Result<Classes, BuildError> {
    let mut lists: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut switches = BTreeMap::new();
    let mut current: Option<String> = None;
    for raw in text.lines() {
        let line = raw.trim();
        if line.starts_with('#') {
            continue;
        }
        if let Some(list) = &current {
            let item = line.trim_end_matches('\\').trim();
            if !item.is_empty() {
                lists.entry(list.clone()).or_default().push(item.to_owned());
            }
            if !line.ends_with('\\') {
                current = None;
            }
            continue;
        }
        if let Some((name, _)) = line.split_once("+=") {
            let name = name.trim().to_owned();
            lists.entry(name.clone()).or_default();
            if line.ends_with('\\') {
                current = Some(name);
            }
        } else if let Some((name, value)) = line.split_once('=') {
            switches.insert(name.trim().to_owned(), value.trim().to_owned());
        }
    }
    let take = |lists: &mut BTreeMap<String, Vec<String>>, names: &[&str]| -> Vec<String> {
        names.iter().flat_map(|n| lists.remove(*n).unwrap_or_default()).collect()
    };
    let model = take(
        &mut lists,
        &["VM_CLASSES_FAST", "VM_CLASSES_SLOW", "VM_SUPPORT_FAST", "VM_SUPPORT_SLOW"],
    );
    let global = take(&mut lists, &["VM_GLOBAL_FAST", "VM_GLOBAL_SLOW"]);
    if model.is_empty() {
        return Err(BuildError::Output {
            path: path.to_owned(),
            detail: "no VM_CLASSES_* entries".to_owned(),
        });
    }
    Ok(Classes { model, global, switches })
}

impl Classes {
    /// True when Verilator did not split the model for parallel compilation
    /// (`VM_PARALLEL_BUILDS = 0`): its makefile then compiles every file as one unit.
    pub fn single_unit(&self) -> bool {
        self.switches.get("VM_PARALLEL_BUILDS").is_some_and(|v| v == "0")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "# Verilated -*- Makefile -*-\nVM_C11 = 1\nVM_TIMING = 0\nVM_TRACE = 0\n\n\
        VM_CLASSES_FAST += \\\n\tVt \\\n\tVt___024root__DepSet_hce050b9b__0 \\\n\n\
        VM_CLASSES_SLOW += \\\n\tVt___024root__Slow \\\n\n\
        VM_SUPPORT_FAST += \\\n\n\
        VM_SUPPORT_SLOW += \\\n\tVt__Syms \\\n\n\
        VM_GLOBAL_FAST += \\\n\tverilated \\\n\tverilated_threads \\\n\n\
        VM_GLOBAL_SLOW += \\\n\n";

    #[test]
    fn reads_hashed_verilator5_names() {
        let classes = parse_classes(Path::new("Vt_classes.mk"), SAMPLE).unwrap();
        assert_eq!(
            classes.model,
            ["Vt", "Vt___024root__DepSet_hce050b9b__0", "Vt___024root__Slow", "Vt__Syms"]
        );
        assert_eq!(classes.global, ["verilated", "verilated_threads"]);
        assert_eq!(classes.switches.get("VM_TIMING").map(String::as_str), Some("0"));
        // No VM_PARALLEL_BUILDS line: not known to be one unit, so compiled file by file.
        assert!(!classes.single_unit());
    }

    #[test]
    fn a_model_verilator_did_not_split_is_one_unit() {
        let one = SAMPLE.replace("VM_TIMING = 0", "VM_TIMING = 0\nVM_PARALLEL_BUILDS = 0");
        assert!(parse_classes(Path::new("Vt_classes.mk"), &one).unwrap().single_unit());
        let split = SAMPLE.replace("VM_TIMING = 0", "VM_TIMING = 0\nVM_PARALLEL_BUILDS = 1");
        assert!(!parse_classes(Path::new("Vt_classes.mk"), &split).unwrap().single_unit());
    }
}
