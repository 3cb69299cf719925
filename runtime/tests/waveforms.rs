//! Waveforms: `cosim.trace` records one file per call under target/codesign/waves.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use codesign::backends::cosim::Cosim;
use codesign::config::{CosimConfig, TraceConfig};
use codesign::{Backend, Kernel};
use codesign_models::Values;

fn traced_call(format: TraceConfig) -> std::path::PathBuf {
    // The environment would override the config; nextest runs each test in its own process,
    // so clearing it here affects only this test.
    std::env::remove_var("CODESIGN_TRACE");
    let config = CosimConfig { trace: format, ..CosimConfig::default() };
    let kernel = Kernel::named("ufunc_i32").unwrap();
    let a: Vec<i32> = (0..32).collect();
    let inputs = Values::new().with_i32s("a", &a).with_i32s("b", &a).with_scalar("op", 2);
    let outcome = Cosim::new(config).call(&kernel, &inputs).unwrap();
    outcome.report.waveform.expect("a traced call names its waveform")
}

#[test]
fn vcd_per_call_has_the_ports_and_every_cycle() {
    let path = traced_call(TraceConfig::Vcd);
    assert!(path.starts_with(codesign::report::output_dir().join("waves")), "{}", path.display());
    let vcd = std::fs::read_to_string(&path).unwrap();
    for port in ["ap_clk", "a_TDATA", "out_r_TVALID", "s_axi_control_AWVALID", "interrupt"] {
        assert!(vcd.contains(port), "{port} missing from {}", path.display());
    }
    let times = vcd.lines().filter(|l| l.starts_with('#')).count();
    assert!(times > 2 * 40, "two dumps per cycle for 32 elements + overhead, got {times}");
}

#[test]
fn fst_per_call_is_written() {
    let path = traced_call(TraceConfig::Fst);
    assert_eq!(path.extension().unwrap(), "fst");
    assert!(std::fs::metadata(&path).unwrap().len() > 100);
}
