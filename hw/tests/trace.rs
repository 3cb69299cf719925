//! Waveform tracing of verilated models: VCD and FST files from the `axis_passthrough` and
//! `widths` fixtures (verilated with tracing; library kernels are fast and refuse a trace), the cycle convention (2 * cycle clock low, 2 * cycle + 1 clock high),
//! one trace per model at a time, and the `CODESIGN_TRACE` setting.
#![allow(clippy::unwrap_used)]

use std::path::PathBuf;

use codesign_sim::verilated::{Direction, Model, Trace, TraceFormat, XInit};

/// A fresh folder under target/tmp for one test's files.
fn out_dir(test: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("trace").join(test);
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// `cycles` cycles of `axis_passthrough` in reset, then streaming s32_TDATA = 10 * cycle, dumped the
/// way a clock should: low after the settle eval, high after the rising edge's eval.
fn run_passthrough(model: &Model, trace: &mut Trace<'_>, cycles: u64) {
    let clk = model.bit("ap_clk", Direction::Input).unwrap();
    let rst_n = model.bit("ap_rst_n", Direction::Input).unwrap();
    let a_data = model.port("s32_TDATA").unwrap();
    for cycle in 0..cycles {
        rst_n.set(cycle >= 3);
        a_data.set(10 * cycle);
        model.eval();
        trace.dump_low(cycle);
        clk.set(true);
        model.eval();
        trace.dump_high(cycle);
        clk.set(false);
    }
}

/// The VCD identifier of the first `$var` named `name`.
fn vcd_id<'a>(vcd: &'a str, name: &str) -> Option<&'a str> {
    vcd.lines().find_map(|line| {
        let words: Vec<&str> = line.split_whitespace().collect();
        (words.first() == Some(&"$var") && words.get(4) == Some(&name)).then(|| words[3])
    })
}

/// The time of each `#time` line and the value changes that follow it.
fn vcd_changes(vcd: &str) -> Vec<(u64, Vec<&str>)> {
    let mut steps: Vec<(u64, Vec<&str>)> = Vec::new();
    for line in vcd.lines().map(str::trim) {
        if let Some(time) = line.strip_prefix('#') {
            steps.push((time.parse().unwrap(), Vec::new()));
        } else if let Some((_, changes)) = steps.last_mut() {
            changes.push(line);
        }
    }
    steps
}

#[test]
fn vcd_has_the_ports_and_a_clock_that_toggles_every_time_unit() {
    let dir = out_dir("vcd");
    let path = dir.join("nested").join("axis_passthrough.vcd");
    let model = Model::new(&codesign_hw::fixtures::axis_passthrough::MODEL, XInit::Zeros).unwrap();
    let mut trace = model.open_trace(&path, TraceFormat::Vcd).unwrap();
    assert_eq!((trace.path(), trace.format()), (path.as_path(), TraceFormat::Vcd));
    run_passthrough(&model, &mut trace, 6);
    assert_eq!(trace.close().unwrap(), path);

    let vcd = std::fs::read_to_string(&path).unwrap();
    for port in ["ap_clk", "ap_rst_n", "s32_TDATA", "m32_TDATA", "m32_TVALID"] {
        assert!(vcd_id(&vcd, port).is_some(), "no $var {port} in\n{vcd}");
    }
    assert!(vcd.contains("$timescale"), "{vcd}");
    let clk = vcd_id(&vcd, "ap_clk").unwrap();
    let a_data = vcd_id(&vcd, "s32_TDATA").unwrap();
    let steps = vcd_changes(&vcd);
    assert_eq!(steps.iter().map(|s| s.0).collect::<Vec<_>>(), (0..12).collect::<Vec<_>>(), "{vcd}");
    for (time, changes) in &steps {
        let clk_now = if time % 2 == 0 { format!("0{clk}") } else { format!("1{clk}") };
        assert!(changes.contains(&clk_now.as_str()), "ap_clk at #{time}: {changes:?}");
    }
    // s32_TDATA = 10 * cycle, set before the low dump of each cycle: 50 at time 10.
    let fifty = format!("b{:032b} {a_data}", 50);
    assert!(steps[10].1.contains(&fifty.as_str()), "{:?}", steps[10]);
    assert!(!dir.join("nested").join("axis_passthrough.vcd.fst.part").exists(), "the FST it came from is removed");
}

#[test]
fn fst_starts_with_the_fst_header_and_holds_the_dumps() {
    let dir = out_dir("fst");
    let path = dir.join("axis_passthrough.fst");
    let model = Model::new(&codesign_hw::fixtures::axis_passthrough::MODEL, XInit::Zeros).unwrap();
    let mut trace = model.open_trace(&path, TraceFormat::Fst).unwrap();
    run_passthrough(&model, &mut trace, 20);
    trace.flush();
    drop(trace); // closing on drop writes the file completely

    let fst = std::fs::read(&path).unwrap();
    // fstapi's header block: tag FST_BL_HDR (0), section length 329 (big endian u64), start
    // and end time (big endian u64), then the endianness test double e.
    assert_eq!(fst[0], 0, "FST_BL_HDR");
    assert_eq!(u64::from_be_bytes(fst[1..9].try_into().unwrap()), 329, "header length");
    assert_eq!(u64::from_be_bytes(fst[9..17].try_into().unwrap()), 0, "start time");
    assert_eq!(u64::from_be_bytes(fst[17..25].try_into().unwrap()), 39, "end time = 2 * 19 + 1");
    assert_eq!(f64::from_le_bytes(fst[25..33].try_into().unwrap()), std::f64::consts::E);
    assert!(fst.len() > 330, "value changes after the header: {} bytes", fst.len());
    let leftovers: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(leftovers, ["axis_passthrough.fst"], "no .hier or other temporary files remain");
}

#[test]
fn wide_ports_reach_the_vcd_and_a_trace_opens_mid_run() {
    let dir = out_dir("widths");
    let model = Model::new(&codesign_hw::fixtures::widths::MODEL, XInit::Zeros).unwrap();
    let input = model.port("i4096").unwrap();
    input.set_words(&[1, 2, 3]);
    model.eval();
    let mut trace = model.open_trace(dir.join("widths.vcd"), TraceFormat::Vcd).unwrap();
    trace.dump(100);
    input.set_words(&[]);
    model.eval();
    trace.dump(101);
    let path = trace.close().unwrap();
    let vcd = std::fs::read_to_string(path).unwrap();
    assert!(vcd.contains(" o4096 [4095:0] $end") || vcd.contains(" o4096 $end"), "{vcd}");
    let i4096 = vcd_id(&vcd, "i4096").unwrap();
    let steps = vcd_changes(&vcd);
    assert_eq!(steps.iter().map(|s| s.0).collect::<Vec<_>>(), [100, 101], "{vcd}");
    // Words 1, 2, 3 least significant first, all 4096 bits written out.
    let first = format!("b{}{:032b}{:032b}{:032b} {i4096}", "0".repeat(4096 - 96), 3, 2, 1);
    assert!(steps[0].1.contains(&first.as_str()), "{:?}", steps[0].1);
    let zero = format!("b{} {i4096}", "0".repeat(4096));
    assert!(steps[1].1.contains(&zero.as_str()), "{:?}", steps[1].1);
}

#[test]
fn one_trace_per_model_at_a_time_and_another_after_close() {
    let dir = out_dir("one_at_a_time");
    let model = Model::new(&codesign_hw::fixtures::widths::MODEL, XInit::Zeros).unwrap();
    let mut first = model.open_trace(dir.join("first.fst"), TraceFormat::Fst).unwrap();
    first.dump(0);
    let err = model.open_trace(dir.join("first.fst"), TraceFormat::Fst).unwrap_err().to_string();
    assert!(err.contains("first.fst") && err.contains("another trace of this model is open"), "{err}");
    first.close().unwrap();
    assert!(std::fs::metadata(dir.join("first.fst")).unwrap().len() > 330, "the refused open left it alone");
    let mut again = model.open_trace(dir.join("second.vcd"), TraceFormat::Vcd).unwrap();
    again.dump(0);
    drop(again);
    assert!(std::fs::read_to_string(dir.join("second.vcd")).unwrap().contains("$enddefinitions"));
    // Another model is independent.
    let other = Model::new(&codesign_hw::fixtures::widths::MODEL, XInit::Zeros).unwrap();
    let _trace = other.open_trace(dir.join("other.fst"), TraceFormat::Fst).unwrap();
}

#[test]
fn unwritable_trace_path_is_an_error_naming_it() {
    let dir = out_dir("unwritable");
    std::fs::create_dir_all(dir.join("taken.vcd")).unwrap();
    let model = Model::new(&codesign_hw::fixtures::widths::MODEL, XInit::Zeros).unwrap();
    let err = model.open_trace(dir.join("taken.vcd"), TraceFormat::Vcd).unwrap_err().to_string();
    assert!(err.contains("taken.vcd") && err.contains("widths"), "{err}");
}

#[test]
fn trace_setting_accepts_vcd_fst_none_and_rejects_the_rest() {
    let parse = |v: &str| TraceFormat::parse_setting(TraceFormat::ENV, v);
    assert_eq!(parse("vcd").unwrap(), Some(TraceFormat::Vcd));
    assert_eq!(parse("FST").unwrap(), Some(TraceFormat::Fst));
    assert_eq!(parse("none").unwrap(), None);
    assert_eq!(parse("").unwrap(), None);
    let err = parse("vcdx").unwrap_err().to_string();
    assert!(err.contains("CODESIGN_TRACE=`vcdx`"), "{err}");
    for accepted in ["vcd", "fst", "none"] {
        assert!(err.contains(accepted), "{err} lists {accepted}");
    }
    assert_eq!(TraceFormat::Fst.extension(), "fst");
    assert_eq!(TraceFormat::Vcd.to_string(), "vcd");
}

#[test]
fn codesign_trace_is_read_from_the_environment() {
    // The only test in this binary that touches CODESIGN_TRACE.
    std::env::set_var(TraceFormat::ENV, "vcdx");
    let err = TraceFormat::from_env().unwrap_err().to_string();
    std::env::set_var(TraceFormat::ENV, "fst");
    let fst = TraceFormat::from_env().unwrap();
    std::env::remove_var(TraceFormat::ENV);
    assert!(err.contains("vcd, fst or none"), "{err}");
    assert_eq!(fst, Some(TraceFormat::Fst));
    assert_eq!(TraceFormat::from_env().unwrap(), None);
}

#[test]
fn a_fast_kernel_model_refuses_a_trace_and_x_randomisation_with_the_reason() {
    let model = Model::new(&codesign_hw::ufunc_i32::MODEL, XInit::Zeros).unwrap();
    let path = out_dir("fast").join("ufunc_i32.vcd");
    let error = model.open_trace(&path, TraceFormat::Vcd).err().unwrap().to_string();
    assert!(error.contains("without --trace-fst"), "{error}");
    assert!(!path.exists(), "no empty waveform is left behind");
    let error = Model::new(&codesign_hw::ufunc_i32::MODEL, XInit::Random(7)).err().unwrap().to_string();
    assert!(error.contains("--x-initial fast") && error.contains("x-random variant"), "{error}");
}
