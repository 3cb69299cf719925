//! The ap_fifo checkers on the `fifo_rules` fixture, whose "kernel" side the test drives: a
//! read while `_empty_n` is low and a write while `_full_n` is low are violations naming the
//! port; reads and writes that keep the rules move words as AXI4-Stream beats would.
#![allow(clippy::unwrap_used)]

use codesign_hw::fixtures::fifo_rules::MODEL;
use codesign_sim::axis::{AxisPorts, AxisSink, AxisSource, Layout, ViolationKind};
use codesign_sim::pause::Pause;
use codesign_sim::verilated::{Direction, Model, XInit};
use codesign_sim::Clock;

#[test]
fn words_move_when_the_rules_are_kept() {
    let model = Model::new(&MODEL, XInit::Zeros).unwrap();
    let mut clock = Clock::new(&model, "ap_clk").unwrap();
    let words = [5u64, 6, 7];
    let mut source =
        AxisSource::elements("in", AxisPorts::bind_fifo(&model, "in_r", true).unwrap(), &words, Layout::single(32), Pause::never())
            .unwrap()
            .checked(clock.counter());
    let out = AxisPorts::bind_fifo(&model, "out_r", false).unwrap();
    let mut sink = AxisSink::elements("out", out, Layout::single(32), 4, Pause::never(), clock.counter()).unwrap();
    let (read, write, data) = (
        model.bit("read_req", Direction::Input).unwrap(),
        model.bit("write_req", Direction::Input).unwrap(),
        model.port("write_data").unwrap(),
    );
    let empty_n = model.bit("in_r_empty_n", Direction::Input).unwrap();
    for cycle in 0..3u64 {
        // The "kernel" reads only what is there and writes the word it read.
        clock.step(&mut [&mut source, &mut sink]);
        read.set(empty_n.is_high());
        write.set(true);
        data.set(100 + cycle);
    }
    clock.step(&mut [&mut source, &mut sink]);
    assert!(source.violation().is_none(), "{:?}", source.violation());
    assert!(sink.monitor().violation().is_none());
    assert_eq!(source.remaining(), 0);
    assert_eq!(sink.take_elements(), [100, 101, 102]);
}

#[test]
fn a_read_of_an_empty_fifo_is_a_violation() {
    let model = Model::new(&MODEL, XInit::Zeros).unwrap();
    let mut clock = Clock::new(&model, "ap_clk").unwrap();
    let ports = AxisPorts::bind_fifo(&model, "in_r", true).unwrap();
    let mut source = AxisSource::elements("in", ports, &[], Layout::single(32), Pause::never()).unwrap().checked(clock.counter());
    model.bit("read_req", Direction::Input).unwrap().set(true);
    clock.step(&mut [&mut source]);
    let violation = source.violation().unwrap();
    assert_eq!(violation.kind, ViolationKind::FifoReadWhileEmpty);
    assert!(violation.to_string().contains("`in`: ap_fifo: the kernel read an empty FIFO"), "{violation}");
}

#[test]
fn a_write_to_a_full_fifo_is_a_violation() {
    let model = Model::new(&MODEL, XInit::Zeros).unwrap();
    let mut clock = Clock::new(&model, "ap_clk").unwrap();
    let ports = AxisPorts::bind_fifo(&model, "out_r", false).unwrap();
    // A downstream that never has room: _full_n stays low.
    let mut sink = AxisSink::elements("out", ports, Layout::single(32), 1, Pause::duty(0, 1), clock.counter()).unwrap();
    model.bit("write_req", Direction::Input).unwrap().set(true);
    clock.step(&mut [&mut sink]);
    let violation = sink.monitor().violation().unwrap().clone();
    assert_eq!(violation.kind, ViolationKind::FifoWriteWhileFull);
    assert!(violation.to_string().contains("`out`: ap_fifo: the kernel wrote a full FIFO"), "{violation}");
    assert!(sink.is_empty(), "a write to a full FIFO moves nothing");
}

#[test]
fn an_axis_binding_of_a_fifo_port_names_the_missing_tdata() {
    let model = Model::new(&MODEL, XInit::Zeros).unwrap();
    let error = AxisPorts::bind(&model, "in_r", true).unwrap_err().to_string();
    assert!(error.contains("in_r_TDATA"), "{error}");
}
