//! The AXI4-Stream models check each other through the `axis_passthrough` fixture (three
//! registered skid buffers, 8-, 32- and 512-bit): Source -> RTL -> Sink, with an independent
//! Monitor on the output, unpaused and 3-in-4 paused on each side. Beats must arrive exactly
//! as sent (data, TKEEP, TSTRB, TLAST, TUSER, TID, TDEST) and no checker may complain.
#![allow(clippy::unwrap_used)]

use codesign_hw::fixtures::axis_passthrough::MODEL;
use codesign_sim::axis::{AxisBeat, AxisMonitor, AxisPorts, AxisSink, AxisSource, Layout};
use codesign_sim::pause::Pause;
use codesign_sim::verilated::{Direction, Model, XInit};
use codesign_sim::Clock;

fn reset(model: &Model, clock: &mut Clock<'_>) {
    let rst = model.bit("ap_rst_n", Direction::Input).unwrap();
    rst.set(false);
    for _ in 0..4 {
        clock.settle();
        clock.rise();
    }
    rst.set(true);
}

/// Deterministic beats with every sideband signal varying.
fn beats(width: u32, n: usize) -> Vec<AxisBeat> {
    let words = width.div_ceil(32) as usize;
    let bytes = width / 8;
    let byte_mask = if bytes >= 32 { u32::MAX } else { (1u32 << bytes) - 1 };
    (0..n)
        .map(|i| {
            let data: Vec<u32> = (0..words)
                .map(|w| {
                    let v = (i as u32).wrapping_mul(0x9E37_79B1) ^ (w as u32).wrapping_mul(0x85EB_CA6B);
                    if width < 32 { v & ((1 << width) - 1) } else { v }
                })
                .collect();
            let keep: Vec<u32> = (0..bytes.div_ceil(32)).map(|k| (!(i as u32 + k)) & byte_mask | 1).collect();
            AxisBeat { data, strb: keep.clone(), keep, last: i % 5 == 4 || i + 1 == n, user: (i % 16) as u64, id: (i % 4) as u64, dest: (i % 8) as u64 }
        })
        .collect()
}

fn pauses(paused: bool) -> Pause {
    if paused { Pause::duty(1, 3) } else { Pause::never() }
}

fn run_beats(width: u32, source_paused: bool, sink_paused: bool) {
    let model = Model::new(&MODEL, XInit::Random(width)).unwrap();
    let mut clock = Clock::new(&model, "ap_clk").unwrap();
    reset(&model, &mut clock);
    let sent = beats(width, 60);
    let s = AxisPorts::bind(&model, &format!("s{width}"), true).unwrap();
    let m = AxisPorts::bind(&model, &format!("m{width}"), false).unwrap();
    let mut source = AxisSource::beats("s", s, sent.clone(), pauses(source_paused));
    let mut sink = AxisSink::beats("m", m, pauses(sink_paused), clock.counter());
    let mut monitor = AxisMonitor::new("m (monitor)", m, clock.counter());
    let mut input_monitor = AxisMonitor::new("s (monitor)", s, clock.counter());
    let mut cycles = 0;
    while sink.len() < sent.len() {
        clock.step(&mut [&mut source, &mut sink, &mut monitor, &mut input_monitor]);
        cycles += 1;
        assert!(cycles < 10_000, "width {width}: stuck after {} beats", sink.len());
    }
    let label = format!("width {width}, source paused {source_paused}, sink paused {sink_paused}");
    assert_eq!(sink.take_beats(), sent, "{label}");
    assert_eq!(monitor.beats(), sent.len() as u64, "{label}: monitor and sink agree");
    for m in [sink.monitor(), &mut monitor] {
        assert_eq!(m.finish(), Ok(()), "{label}");
    }
    let mut input_watch = input_monitor;
    assert_eq!(input_watch.finish(), Ok(()), "{label}: the source kept the AXI rules");
    if !source_paused && !sink_paused {
        assert!(cycles <= sent.len() + 4, "{label}: full rate, {cycles} cycles for {} beats", sent.len());
    }
}

#[test]
fn beats_with_sideband_round_trip_at_8_32_and_512_bits() {
    for width in [8, 32, 512] {
        for (source_paused, sink_paused) in [(false, false), (true, false), (false, true), (true, true)] {
            run_beats(width, source_paused, sink_paused);
        }
    }
}

#[test]
fn elements_pack_sixteen_lanes_with_a_partial_last_beat() {
    let model = Model::new(&MODEL, XInit::Zeros).unwrap();
    let mut clock = Clock::new(&model, "ap_clk").unwrap();
    reset(&model, &mut clock);
    let layout = Layout { element_bits: 32, lanes: 16 };
    let elements: Vec<u64> = (0..37u64).map(|i| i * 0x0101_0101 + 3).collect();
    let s = AxisPorts::bind(&model, "s512", true).unwrap();
    let m = AxisPorts::bind(&model, "m512", false).unwrap();
    let mut source = AxisSource::elements("s", s, &elements, layout, Pause::duty(2, 1)).unwrap();
    let mut sink = AxisSink::elements("m", m, layout, 37, Pause::duty(1, 1), clock.counter()).unwrap();
    for _ in 0..200 {
        clock.step(&mut [&mut source, &mut sink]);
    }
    assert_eq!(sink.len(), 3, "37 elements in 16 lanes: 3 beats");
    assert_eq!(sink.lasts(), [2], "TLAST on the last beat only");
    assert_eq!(sink.take_elements(), elements, "the 5 kept lanes of the last beat, nothing else");
    assert_eq!(sink.monitor().finish(), Ok(()));
}

/// Drives the 32-bit slave port by hand as a broken sender would: offers a beat while the
/// passthrough is full, then changes one signal (`change`) before the beat is taken. Returns
/// the first violation the monitor reports.
fn held_beat_changing(change: impl Fn(&AxisPorts<'_>, bool)) -> Option<codesign_sim::axis::Violation> {
    let model = Model::new(&MODEL, XInit::Zeros).unwrap();
    let mut clock = Clock::new(&model, "ap_clk").unwrap();
    reset(&model, &mut clock);
    let s = AxisPorts::bind(&model, "s32", true).unwrap();
    let m = AxisPorts::bind(&model, "m32", false).unwrap();
    let mut watch = AxisMonitor::new("s32", s, clock.counter());
    let mut sink = AxisSink::beats("m32", m, Pause::pattern(vec![true]), clock.counter());
    s.tvalid.set(true);
    s.tdata.set(0xaaaa);
    for cycle in 0..20u64 {
        change(&s, cycle >= 8);
        clock.step(&mut [&mut watch, &mut sink]);
        if let Some(v) = watch.violation() {
            return Some(v.clone());
        }
    }
    None
}

#[test]
fn a_held_beat_that_changes_is_caught_with_port_cycle_and_beat() {
    let v = held_beat_changing(|s, late| s.tdata.set(if late { 0x5555 } else { 0xaaaa }));
    let v = v.expect("a TDATA change under stall is a violation");
    let text = v.to_string();
    assert!(text.contains("`s32`") && text.contains("TDATA changed") && text.contains("beat 2"), "{text}");
    assert!(v.cycle > 4, "{text}");
}

#[test]
fn every_held_signal_is_checked_on_its_own() {
    // TLAST, TKEEP and each sideband signal: a change while stalled is caught and named, and
    // the same stall with the signal held is not a violation.
    type Setter = fn(&AxisPorts<'_>, u64);
    let signals: [(&str, Setter, &str); 6] = [
        ("TLAST", |s, v| s.tlast.unwrap().set(v != 0), "TLAST changed"),
        ("TKEEP", |s, v| s.tkeep.unwrap().set(0xf ^ v), "TKEEP changed"),
        ("TSTRB", |s, v| s.tstrb.unwrap().set(0xf ^ v), "TSTRB/TUSER/TID/TDEST changed"),
        ("TUSER", |s, v| s.tuser.unwrap().set(v), "TSTRB/TUSER/TID/TDEST changed"),
        ("TID", |s, v| s.tid.unwrap().set(v), "TSTRB/TUSER/TID/TDEST changed"),
        ("TDEST", |s, v| s.tdest.unwrap().set(v), "TSTRB/TUSER/TID/TDEST changed"),
    ];
    for (signal, set, rule) in signals {
        let v = held_beat_changing(|s, late| set(s, u64::from(late)));
        let text = v.map(|v| v.to_string()).unwrap_or_else(|| panic!("a {signal} change under stall went unseen"));
        assert!(text.contains("`s32`") && text.contains(rule) && text.contains("beat 2"), "{signal}: {text}");
        assert_eq!(held_beat_changing(|s, _| set(s, 1)), None, "{signal} held: no violation");
    }
}
