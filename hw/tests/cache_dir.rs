//! The build's model cache is one folder in cargo's target directory for every profile.
#![allow(clippy::unwrap_used)]

#[path = "../build_support/cache_dir.rs"]
mod cache_dir;

use std::path::Path;

#[test]
fn every_profile_of_a_target_dir_shares_one_cache() {
    let debug = cache_dir::shared_cache(Path::new("/w/target/debug/build/codesign-hw-1a2b/out")).unwrap();
    let release = cache_dir::shared_cache(Path::new("/w/target/release/build/codesign-hw-3c4d/out")).unwrap();
    assert_eq!(debug, Path::new("/w/target/codesign-verilated"));
    assert_eq!(debug, release);
    let cross = cache_dir::shared_cache(Path::new("/w/target/aarch64-unknown-linux-gnu/release/build/codesign-hw-5e/out"));
    assert_eq!(cross.unwrap(), Path::new("/w/target/aarch64-unknown-linux-gnu/codesign-verilated"));
    assert_eq!(cache_dir::shared_cache(Path::new("/somewhere/out")), None);
}
