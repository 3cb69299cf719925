//! The xrt backend against the in-tree stand-in for libxrt_coreutil (its card is cosim): the
//! m_axi kernels verified (the suite runs more), stream kernels and output scalars refused
//! clearly, and the errors a machine without XRT or a bad config meets.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;
use std::time::{Duration, Instant};

use codesign::config::XrtConfig;
use codesign::workload::standard_cases;
use codesign::{backends, Backend, Config, Error, Kernel};

fn standin() -> XrtConfig {
    Config::builtin("xrt").unwrap().xrt.unwrap()
}

fn open(config: XrtConfig) -> Result<Box<dyn Backend>, Error> {
    backends::xrt::Xrt::open(&config).map(|x| Box::new(x) as Box<dyn Backend>)
}

#[test]
fn m_axi_workloads_match_golden_through_the_standin() {
    let mut xrt = open(standin()).unwrap();
    for name in ["vadd_wide", "adders"] {
        let kernel = Kernel::named(name).unwrap();
        for case in standard_cases(&kernel).unwrap() {
            let outcome = xrt.call(&kernel, &case.inputs).unwrap();
            assert_eq!(outcome.outputs, kernel.golden(&case.inputs).unwrap(), "{name} {}", case.name);
        }
    }
}

#[test]
fn stream_kernels_are_refused_naming_the_stream() {
    let mut xrt = open(standin()).unwrap();
    assert!(!xrt.runs_streams());
    for name in ["gemm_pe4_w16", "ufunc_i32"] {
        let kernel = Kernel::named(name).unwrap();
        let inputs = standard_cases(&kernel).unwrap().remove(0).inputs;
        match xrt.call(&kernel, &inputs) {
            Err(Error::Unsupported { ability, .. }) => {
                assert!(ability.contains("AXI4-Stream argument `") && ability.contains("stream support"), "{ability}");
            }
            other => panic!("{name}: expected Unsupported, got {other:?}"),
        }
    }
}

#[test]
fn a_missing_library_fails_at_once_naming_it() {
    let config = XrtConfig { library: "/nonexistent/libxrt_coreutil.so".into(), ..standin() };
    let started = Instant::now();
    let err = open(config).map(drop).unwrap_err().to_string();
    assert!(started.elapsed() < Duration::from_secs(1), "took {:?}", started.elapsed());
    assert!(err.contains("cannot load XRT library `/nonexistent/libxrt_coreutil.so`") && err.contains("xrt.library"), "{err}");
}

#[test]
fn a_missing_xclbin_is_xrts_error_naming_the_file() {
    let config = XrtConfig { xclbin: PathBuf::from("/nonexistent/k.xclbin"), ..standin() };
    let err = open(config).map(drop).unwrap_err().to_string();
    assert!(err.contains("xrtDeviceLoadXclbinFile(/nonexistent/k.xclbin)") && err.contains("No such file"), "{err}");
    let config = XrtConfig { device: 3, ..standin() };
    let err = open(config).map(drop).unwrap_err().to_string();
    assert!(err.contains("xrtDeviceOpen(3)") && err.contains("NULL"), "{err}");
}

#[test]
fn a_disagreeing_length_is_an_input_error_before_any_xrt_call() {
    let mut xrt = open(standin()).unwrap();
    let kernel = Kernel::named("vadd_wide").unwrap();
    let inputs = standard_cases(&kernel).unwrap().remove(0).inputs.with_scalar("size", 7);
    assert!(matches!(xrt.call(&kernel, &inputs), Err(Error::Input { .. })));
}

#[test]
fn a_run_that_never_finishes_is_bounded_by_the_configs_timeout() {
    let mut xrt = open(XrtConfig { timeout_ms: 30, ..standin() }).unwrap();
    // SAFETY: the stand-in's test-only `void xrt_standin_hold_runs(int)`; the same library
    // (dlopen returns the one the backend loaded).
    unsafe {
        let library = libloading::Library::new(codesign::backends::xrt::standin::LIBRARY).unwrap();
        let hold: libloading::Symbol<unsafe extern "C" fn(i32)> = library.get(b"xrt_standin_hold_runs\0").unwrap();
        hold(1);
    }
    let kernel = Kernel::named("vadd_wide").unwrap();
    let inputs = standard_cases(&kernel).unwrap().remove(0).inputs;
    let started = Instant::now();
    let err = xrt.call(&kernel, &inputs).map(drop).unwrap_err().to_string();
    let took = started.elapsed();
    assert!(took >= Duration::from_millis(30) && took < Duration::from_secs(1), "{took:?}");
    assert!(err.contains("TIMEOUT") && err.contains("30 ms, xrt.timeout-ms"), "{err}");
}
