//! How a call is started and ended, per block-level protocol:
//! - block control in the s_axilite register map (AP_CTRL): arguments, interrupts on,
//!   `ap_start`, the interrupt, acknowledge, `ap_continue` (ap_ctrl_chain);
//! - bare `ap_start`/`ap_done`/`ap_idle`/`ap_ready` (and `ap_continue`): N transactions as
//!   Vitis cosim runs them, each with its own bare scalar inputs, the next started as soon as
//!   the kernel raises `ap_ready`;
//! - `ap_ctrl_none`: free-running; the call ends when every output meets its `end:` rule.
//!
//! Register arguments of a kernel with bare block control, or none, still go over s_axilite
//! (a free-running kernel's are configuration, written before any input beat is offered).

use codesign_hw::manifest::{ArgDirection, BlockProtocol, ScalarArg, ScalarProtocol};
use codesign_models::Values;
use codesign_sim::block::{BlockMaster, BlockPorts, ScalarSink, ScalarSource};
use codesign_sim::verilated::Model;
use codesign_sim::CycleCounter;

use crate::rtl::end_rules::{EndRules, OutputProgress};
use super::streams::Until;
use super::{reg, CosimError, Harness};
use crate::{Error, Kernel, TransactionReport};

/// The bare block-control ports and scalar arguments of a kernel, bound to a model.
pub(super) struct BarePorts<'m> {
    pub(super) block: Option<BlockMaster<'m>>,
    pub(super) sources: Vec<ScalarSource<'m>>,
    pub(super) sinks: Vec<ScalarSink<'m>>,
}

impl<'m> BarePorts<'m> {
    /// Binds `ap_start`... when block control is bare, and every bare scalar argument's ports
    /// (a missing or misshapen port is an error naming it).
    pub(super) fn bind(model: &'m Model, kernel: &Kernel, inputs: &Values, now: CycleCounter) -> Result<Self, Error> {
        let m = &kernel.manifest;
        let wrap = || CosimError::wrap(kernel.name());
        let block = if m.bare_control() {
            let ports = BlockPorts::bind(model, m.control.protocol == BlockProtocol::ApCtrlChain).map_err(wrap())?;
            Some(BlockMaster::new(ports, kernel.transactions(inputs)?, now))
        } else {
            None
        };
        let mut sources = Vec::new();
        let mut sinks = Vec::new();
        for arg in m.args.iter().filter(|a| a.register().is_none()) {
            if arg.direction.is_input() {
                let values = inputs.streams.get(&arg.name).cloned().unwrap_or_default();
                let (port, vld, ack) = input_ports(arg);
                sources.push(ScalarSource::bind(model, &arg.name, &port, arg.width, vld, ack, values).map_err(wrap())?);
            }
            if arg.direction.is_output() {
                let (port, vld, ack) = output_ports(arg);
                sinks.push(ScalarSink::bind(model, &arg.name, &port, arg.width, vld.as_deref(), ack).map_err(wrap())?);
            }
        }
        Ok(BarePorts { block, sources, sinks })
    }
}

/// Data port, `_ap_vld` driven, `_ap_ack` watched, of a bare input argument.
fn input_ports(arg: &ScalarArg) -> (String, bool, bool) {
    let rtl = arg.rtl();
    if arg.direction == ArgDirection::Inout {
        // ap_ovld (and inout ap_none): `<rtl>_i` is a plain input.
        return (format!("{rtl}_i"), false, false);
    }
    let p = arg.protocol();
    (
        rtl.to_owned(),
        matches!(p, ScalarProtocol::ApVld | ScalarProtocol::ApHs),
        matches!(p, ScalarProtocol::ApAck | ScalarProtocol::ApHs),
    )
}

/// Data port, `_ap_vld` port watched, `_ap_ack` driven, of a bare output argument.
fn output_ports(arg: &ScalarArg) -> (String, Option<String>, bool) {
    let port = if arg.direction == ArgDirection::Inout { format!("{}_o", arg.rtl()) } else { arg.rtl().to_owned() };
    let p = arg.protocol();
    let vld = matches!(p, ScalarProtocol::ApVld | ScalarProtocol::ApHs | ScalarProtocol::ApOvld)
        .then(|| format!("{port}_ap_vld"));
    (port, vld, matches!(p, ScalarProtocol::ApAck | ScalarProtocol::ApHs))
}

/// What one call gave besides the streams.
pub(super) struct CallResult {
    /// Cycles from the start of the call to its end.
    pub(super) cycles: u64,
    /// Output scalars: register ones in `scalars`, bare ones (per transaction) in `streams`.
    pub(super) outputs: Values,
    /// Bare block control: latency and interval per transaction.
    pub(super) transactions: Option<TransactionReport>,
}

/// Runs one call the way the kernel's block-level protocol says.
pub(super) fn drive(harness: &mut Harness<'_>, kernel: &Kernel, inputs: &Values) -> Result<CallResult, Error> {
    let m = &kernel.manifest;
    let mut result = if m.control.protocol == BlockProtocol::ApCtrlNone {
        drive_free_running(harness, kernel, inputs)?
    } else if m.bare_control() {
        let n = kernel.transactions(inputs)?;
        if n > 1 && !m.arrays.is_empty() {
            // Transactions overlap on bare control (ap_start held): one array image cannot
            // serve two of them.
            return Err(Error::Unsupported {
                backend: "cosim".to_owned(),
                ability: format!("{n} transactions of kernel `{}` on bare block ports with ap_memory arrays: one per call", kernel.name()),
            });
        }
        write_registers(harness, kernel, inputs)?;
        let result = drive_transactions(harness)?;
        check_acknowledged(harness, kernel)?;
        result
    } else {
        drive_register_calls(harness, kernel, inputs)?
    };
    for sink in &mut harness.scalar_sinks {
        if harness.block.is_none() {
            // No ap_done port: the value at the end of the call.
            sink.take_now();
        }
        let values = sink.take_values();
        if !values.is_empty() && sink.missing().len() == values.len() && harness.block.is_some() {
            let name = sink.name().to_owned();
            return Err(harness.protocol_error(
                &name,
                format!("output `{name}`: its `_ap_vld` never rose in {} transactions", values.len()),
            ));
        }
        result.outputs.streams.insert(sink.name().to_owned(), values);
    }
    Ok(result)
}

/// Register arguments and buffer pointers over s_axilite, when the kernel has the bundle.
fn write_registers(harness: &mut Harness<'_>, kernel: &Kernel, inputs: &Values) -> Result<(), Error> {
    for arg in kernel.manifest.args.iter().filter(|a| a.direction == ArgDirection::In) {
        let Some(offset) = arg.register() else {
            continue;
        };
        let value = inputs.scalars.get(&arg.name).copied().unwrap_or(0);
        harness.write(u64::from(offset), value as u32)?;
        if arg.width == 64 {
            harness.write(u64::from(offset) + 4, (value >> 32) as u32)?;
        }
    }
    for (offset, addr) in harness.pointers() {
        harness.write(u64::from(offset), addr as u32)?;
        harness.write(u64::from(offset) + 4, (addr >> 32) as u32)?;
    }
    Ok(())
}

/// Output register arguments, each checked valid (`<name>_ap_vld`) after done.
fn read_registers(harness: &mut Harness<'_>, kernel: &Kernel) -> Result<Values, Error> {
    let mut outputs = Values::new();
    for arg in kernel.manifest.args.iter().filter(|a| a.direction == ArgDirection::Out) {
        let Some(offset) = arg.register() else {
            continue;
        };
        let offset = u64::from(offset);
        let control = offset + u64::from(arg.width / 8);
        if harness.read(control)? & 1 == 0 {
            return Err(harness.protocol_error(
                "s_axi_control",
                format!("output `{}`: {}_ap_vld (bit 0 at {control:#x}) is 0 after done", arg.name, arg.name),
            ));
        }
        let mut value = u64::from(harness.read(offset)?);
        if arg.width == 64 {
            value |= u64::from(harness.read(offset + 4)?) << 32;
        }
        outputs.scalars.insert(arg.name.clone(), value);
    }
    Ok(outputs)
}

/// The call's transactions on a kernel whose block control is in its s_axilite register map:
/// one driver call each, every input array loaded with the transaction's slice before it and
/// every output array read after it, as Vitis cosim replays a testbench's N calls.
fn drive_register_calls(harness: &mut Harness<'_>, kernel: &Kernel, inputs: &Values) -> Result<CallResult, Error> {
    let n = kernel.transactions(inputs)?;
    if n == 1 {
        return drive_register_call(harness, kernel, inputs, true).map(|(call, _)| call);
    }
    if let Some(arg) = kernel.manifest.args.iter().find(|a| a.direction.is_output() && a.register().is_some()) {
        return Err(Error::Unsupported {
            backend: "cosim".to_owned(),
            ability: format!(
                "{n} transactions of kernel `{}`, whose output register `{}` holds only the last one's value: give one transaction's arrays per call",
                kernel.name(),
                arg.name
            ),
        });
    }
    let (mut starts, mut dones) = (Vec::with_capacity(n), Vec::with_capacity(n));
    for t in 0..n {
        if t > 0 {
            harness.arrays.load(t);
        }
        let (_, started) = drive_register_call(harness, kernel, inputs, t == 0)?;
        harness.arrays.collect();
        starts.push(started);
        dones.push(harness.cycle());
    }
    Ok(CallResult {
        cycles: dones[n - 1] - starts[0],
        outputs: Values::new(),
        transactions: TransactionReport::from_cycles(&starts, &dones),
    })
}

/// One call as a driver does it: arguments, interrupts on, start, wait for the interrupt,
/// acknowledge, continue (ap_ctrl_chain), read output scalars. The first call of a sequence
/// opens the statistics window. Returns the call and the cycle `ap_start` was written.
fn drive_register_call(harness: &mut Harness<'_>, kernel: &Kernel, inputs: &Values, first: bool) -> Result<(CallResult, u64), Error> {
    let chain = kernel.manifest.control.protocol == BlockProtocol::ApCtrlChain;
    write_registers(harness, kernel, inputs)?;
    harness.write(reg::GIE, 1)?;
    harness.write(reg::IER, reg::IRQ_DONE)?;
    if first {
        harness.mark_start();
    }
    let started = harness.cycle();
    harness.write(reg::AP_CTRL, reg::AP_START)?;
    harness.run_until_interrupt()?;
    let cycles = harness.cycle() - started;
    // ISR is toggle-on-write: write back what was read to clear exactly those bits.
    let isr = harness.read(reg::ISR)?;
    harness.write(reg::ISR, isr)?;
    let ctrl = harness.read(reg::AP_CTRL)?;
    if isr & reg::IRQ_DONE == 0 || ctrl & reg::AP_DONE == 0 {
        return Err(
            harness.protocol_error("s_axi_control", format!("interrupt without done: ISR={isr:#x} AP_CTRL={ctrl:#x}"))
        );
    }
    if chain {
        harness.write(reg::AP_CTRL, reg::AP_CONTINUE)?;
    }
    Ok((CallResult { cycles, outputs: read_registers(harness, kernel)?, transactions: None }, started))
}

/// Bare ap_ctrl_hs / ap_ctrl_chain: every transaction started and done. One idle cycle
/// (ap_start low) before the first and after the last: an ap_done there finishes nothing.
fn drive_transactions(harness: &mut Harness<'_>) -> Result<CallResult, Error> {
    harness.idle(1)?;
    check_spurious_done(harness)?;
    harness.mark_start();
    let started = harness.cycle();
    let n = harness.block.as_ref().map_or(0, BlockMaster::transactions);
    if let Some(block) = &mut harness.block {
        block.run();
    }
    let awaited = format!("ap_done of all {n} transactions");
    while !harness.block.as_ref().is_none_or(BlockMaster::finished) {
        harness.step_watched(&awaited)?;
        check_spurious_done(harness)?;
    }
    let cycles = harness.cycle() - started;
    harness.idle(1)?;
    check_spurious_done(harness)?;
    let transactions = harness.block.as_ref().and_then(|b| TransactionReport::from_cycles(b.starts(), b.dones()));
    Ok(CallResult { cycles, outputs: Values::new(), transactions })
}

fn check_spurious_done(harness: &Harness<'_>) -> Result<(), Error> {
    match harness.spurious_done {
        Some(cycle) => Err(harness.protocol_error(
            "ap_done",
            format!("ap_done at cycle {cycle} with no transaction open (more ap_done pulses than ap_ready)"),
        )),
        None => Ok(()),
    }
}

/// After the last ap_done, every value of a handshaken input (ap_ack, ap_hs) must have been
/// acknowledged: the source offers the next value only after `<x>_ap_ack`, so a kernel that
/// never raises it was given the first value in every transaction, which nothing else flags
/// (a golden model may not be there to disagree).
fn check_acknowledged(harness: &Harness<'_>, kernel: &Kernel) -> Result<(), Error> {
    let ack_port = |name: &str| format!("{}_ap_ack", kernel.manifest.args.iter().find(|a| a.name == name).map_or(name, ScalarArg::rtl));
    if let Some((source, taken)) = harness.scalar_sources.iter().find_map(|s| s.extra_ack().map(|n| (s, n))) {
        let (name, ack) = (source.name(), ack_port(source.name()));
        return Err(harness.protocol_error(
            &ack,
            format!(
                "input `{name}`: {ack} rose with no value offered, after {taken} value(s) were taken: \
                 acknowledged twice in one transaction (the next transaction's value would be taken early)"
            ),
        ));
    }
    let Some(source) = harness.scalar_sources.iter().find(|s| s.unacknowledged() > 0) else {
        return Ok(());
    };
    let (name, ack) = (source.name(), ack_port(source.name()));
    let n = harness.block.as_ref().map_or(0, BlockMaster::transactions);
    Err(harness.protocol_error(
        &ack,
        format!(
            "input `{name}`: {} of its {n} values never acknowledged ({ack}) though all {n} transactions finished (ap_done)",
            source.unacknowledged()
        ),
    ))
}

/// The end of a free-running call: every output meets its rule.
struct RulesMet<'r> {
    rules: &'r mut EndRules,
    /// No rule can be met before the outputs carried this many beats in all.
    due: u64,
    outputs: Vec<OutputProgress>,
}

impl Until for RulesMet<'_> {
    #[inline(always)]
    fn beats_due(&self) -> Option<u64> {
        Some(self.due)
    }

    /// Only a count of beats can end it.
    #[inline(always)]
    fn may_have_ended(&mut self) -> bool {
        false
    }

    /// Asks the rules (out of line: the cycle loop keeps only the test above), and moves
    /// `due` to the output beats before the next could be met.
    #[inline(never)]
    fn ended(&mut self, harness: &Harness<'_>) -> bool {
        let inputs_done = harness.stream_progress_into(&mut self.outputs);
        let ended = self.rules.update(harness.cycle(), &self.outputs, inputs_done);
        self.due = self.rules.beats_before_any_end();
        ended
    }
}

/// ap_ctrl_none: configuration registers written over s_axilite (as a processor does before
/// data flows), then the inputs fed; the call ends when every output meets its `end:` rule
/// ([`EndRules`]). Then, for as long as the pipeline could still deliver, no output may grow
/// past its end.
fn drive_free_running(harness: &mut Harness<'_>, kernel: &Kernel, inputs: &Values) -> Result<CallResult, Error> {
    let fail = |message: String| Error::Input { kernel: kernel.name().to_owned(), message };
    let mut rules = EndRules::new(kernel).map_err(fail)?;
    // Every input is given whole before the call.
    rules.resolve(|input| Some(inputs.streams.get(input).map_or(0, Vec::len))).map_err(fail)?;
    let awaited = rules.awaited(None);
    // Before `mark_start`: the sources hold their beats until every register has landed, and
    // the write cycles are not the call's.
    write_registers(harness, kernel, inputs)?;
    harness.mark_start();
    let started = harness.cycle();
    let due = rules.beats_before_any_end();
    let mut until = RulesMet { rules: &mut rules, due, outputs: Vec::new() };
    // Once the last register write has landed, only the streams move (and stay so).
    loop {
        if harness.streams_only() {
            harness.stream_until(&awaited, &mut until)?;
            break;
        }
        harness.step_watched(&awaited)?;
        let may_have_ended = until.beats_due().is_some_and(|due| harness.output_beats() >= due) || until.may_have_ended();
        if may_have_ended && until.ended(harness) {
            break;
        }
    }
    let end = rules.end().unwrap_or(started);
    let linger = EndRules::linger(kernel);
    for _ in 0..linger {
        harness.step_watched(&awaited)?;
    }
    let (after, _) = harness.stream_progress();
    if let Some((name, message)) = rules.overrun(&after, linger) {
        return Err(harness.protocol_error(&name, message));
    }
    Ok(CallResult { cycles: end - started, outputs: Values::new(), transactions: None })
}
