//! Builds the stand-in for libxrt_coreutil (xrt-standin/xrt_standin.c) as a shared library
//! that the `xrt` backend loads when its config says `library: stand-in`: CI runs the xrt
//! backend without a card. The system C compiler comes from the `cc` crate.

use std::path::PathBuf;

fn main() {
    let source = "xrt-standin/xrt_standin.c";
    println!("cargo:rerun-if-changed={source}");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default());
    let library = out.join("libxrt_standin.so");
    let compiler = cc::Build::new().get_compiler();
    let status = compiler
        .to_command()
        .args(["-shared", "-fPIC", "-O2", "-Wall", "-Werror", "-o"])
        .arg(&library)
        .arg(source)
        .status();
    match status {
        Ok(s) if s.success() => {}
        Ok(s) => panic!("building the XRT stand-in ({source}) failed: {s}"),
        Err(e) => panic!("cannot run the C compiler for the XRT stand-in ({source}): {e}"),
    }
    println!("cargo:rustc-env=CODESIGN_XRT_STANDIN={}", library.display());
}
