//! The shared model cache: a model is verilated and compiled once, whatever output folder
//! (cargo profile) asks for it again.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;

use codesign_verilate::{Builder, ModelSpec, Verilator};

#[test]
fn a_model_is_built_once_for_every_profile_sharing_the_cache() {
    let scratch = std::env::temp_dir().join(format!("codesign-model-cache-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    let cache = scratch.join("cache");
    let rtl = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../hw/fixtures/axis_passthrough/axis_passthrough.v");
    let spec = ModelSpec::new("axis_passthrough", [rtl]);
    let profile = |name: &str| {
        let out = scratch.join(name);
        std::fs::create_dir_all(&out).unwrap();
        Builder::new(Verilator::detect().expect("Verilator (run ci/setup)"), out).with_model_cache(cache.clone())
    };
    let debug = profile("debug").build_model(&spec).unwrap();
    assert!(debug.rebuilt, "the first build verilates");
    assert!(debug.dir.starts_with(&cache) && debug.dir.join("libcodesign_model_axis_passthrough.a").is_file());
    let release = profile("release").build_model(&spec).unwrap();
    assert!(!release.rebuilt, "another profile finds it in the cache");
    assert_eq!(release.dir, debug.dir);
    assert_eq!(release.ports, debug.ports);
    // Another key (a parameter) is another entry; nothing half-built is left behind.
    let other = profile("release").build_model(&spec.clone().with_parameters([("W", 8)]));
    let entries: Vec<String> = std::fs::read_dir(cache.join("models"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(entries.iter().all(|e| !e.contains(".tmp-")), "{entries:?} ({other:?})");
    let _ = std::fs::remove_dir_all(&scratch);
}
