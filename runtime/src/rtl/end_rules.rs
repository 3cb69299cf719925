//! When a free-running (`ap_ctrl_none`) kernel's call is over: every output's `end:` rule
//! from the manifest, watched cycle by cycle. It lives apart from the bus models because two
//! drivers see such a kernel: single-kernel cosim (`crate::backends::cosim`), where the inputs are
//! known before the call, and the graph system (`crate::graph::system`), where an input is
//! another kernel's output and its length is known only once that producer is done. Both
//! report progress in the same plain numbers ([`OutputProgress`]).

use codesign_hw::manifest::EndRule;

use crate::Kernel;

/// One output stream so far: elements produced, packets closed (TLAST), cycle of its last
/// beat.
pub(crate) type OutputProgress = (usize, usize, Option<u64>);

/// An output's end rule, resolved as far as the call allows.
#[derive(Debug, Clone)]
enum Target {
    Closed,
    Elements(usize),
    /// `same-as` an input whose length is not known yet.
    Ratio { input: String, numerator: usize, denominator: usize },
    Idle(u64),
}

#[derive(Debug, Clone)]
struct Watch {
    name: String,
    /// The rule as the manifest says it, for messages.
    rule: String,
    target: Target,
    /// Cycle the rule was met.
    ended: Option<u64>,
}

/// Every output's end rule of one free-running kernel, for one call.
#[derive(Debug, Clone)]
pub(crate) struct EndRules {
    outputs: Vec<Watch>,
    /// What each output had produced when the last rule was met.
    at_end: Option<Vec<OutputProgress>>,
}

impl EndRules {
    /// The rules of every output of `kernel`, in manifest order; an output without one is an
    /// error message.
    pub(crate) fn new(kernel: &Kernel) -> Result<Self, String> {
        let mut outputs = Vec::new();
        for output in kernel.manifest.outputs() {
            let target = match &output.end {
                Some(EndRule::Tlast) => Target::Closed,
                Some(EndRule::Count(n)) => Target::Elements(*n),
                Some(EndRule::SameAs { input, numerator, denominator }) => {
                    Target::Ratio { input: input.clone(), numerator: *numerator, denominator: *denominator }
                }
                Some(EndRule::Idle(k)) => Target::Idle(*k),
                None => return Err(format!("output `{}` of an ap_ctrl_none kernel has no `end` rule", output.name)),
            };
            outputs.push(Watch { name: output.name.clone(), rule: describe(output.end.as_ref()), target, ended: None });
        }
        Ok(EndRules { outputs, at_end: None })
    }

    /// Resolves every `same-as` rule whose input's length `input_elements` knows now (`None`:
    /// not yet). A ratio that gives no whole number of elements is an error message.
    pub(crate) fn resolve(&mut self, input_elements: impl Fn(&str) -> Option<usize>) -> Result<(), String> {
        for watch in &mut self.outputs {
            let Target::Ratio { input, numerator, denominator } = &watch.target else { continue };
            let Some(given) = input_elements(input) else { continue };
            if !(given * numerator).is_multiple_of(*denominator) {
                return Err(format!(
                    "output `{}` (end: same-as `{input}`, ratio {numerator}/{denominator}): {given} elements of \
                     `{input}` times {numerator}/{denominator} is not a whole number",
                    watch.name
                ));
            }
            watch.target = Target::Elements(given * numerator / denominator);
        }
        Ok(())
    }

    /// What the call waits for, as a watchdog message says it, with what each output that has
    /// not ended produced so far (`outputs`, in manifest order) when given.
    pub(crate) fn awaited(&self, outputs: Option<&[OutputProgress]>) -> String {
        self.outputs
            .iter()
            .enumerate()
            .filter(|(_, w)| w.ended.is_none())
            .map(|(i, Watch { name, rule, target, .. })| {
                let so_far = outputs.and_then(|o| o.get(i)).map_or(String::new(), |(n, _, _)| format!(", {n} so far"));
                match target {
                    Target::Elements(n) => format!("output `{name}` to reach {n} elements ({rule}){so_far}"),
                    Target::Ratio { input, .. } => format!("output `{name}` to end ({rule}, once `{input}` ends){so_far}"),
                    _ => format!("output `{name}` to end ({rule}){so_far}"),
                }
            })
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// After a cycle (`cycle` is the clock after its edge): marks every output whose rule is
    /// met by `outputs` (manifest order); true once every rule is. `inputs_done`: once every
    /// input has ended, the cycle of the last input beat.
    pub(crate) fn update(&mut self, cycle: u64, outputs: &[OutputProgress], inputs_done: Option<u64>) -> bool {
        for (watch, &(elements, closed, last_beat)) in self.outputs.iter_mut().zip(outputs) {
            if watch.ended.is_some() {
                continue;
            }
            watch.ended = match watch.target {
                Target::Closed => (closed > 0).then_some(cycle),
                Target::Elements(n) => (elements >= n).then_some(cycle),
                Target::Ratio { .. } => None,
                Target::Idle(k) => inputs_done.and_then(|last_input| {
                    let since = last_beat.map_or(last_input, |b| b.max(last_input));
                    (cycle - since >= k).then_some(since)
                }),
            };
        }
        let all = self.outputs.iter().all(|w| w.ended.is_some());
        if all && self.at_end.is_none() {
            self.at_end = Some(outputs.to_vec());
        }
        all
    }

    /// Output beats (all outputs together, as counted for [`EndRules::update`]) below which no
    /// rule still open can be met: the smallest element count among them, or 0 when one is a
    /// TLAST, idle or unresolved rule. A loop need not update before the outputs carried that
    /// many.
    pub(crate) fn beats_before_any_end(&self) -> u64 {
        let open = self.outputs.iter().filter(|w| w.ended.is_none());
        open.map(|w| match w.target {
            Target::Elements(n) => n as u64,
            Target::Closed | Target::Idle(_) | Target::Ratio { .. } => 0,
        })
        .min()
        .unwrap_or(0)
    }

    /// The cycle the last rule was met, once every one is.
    pub(crate) fn end(&self) -> Option<u64> {
        self.at_end.as_ref()?;
        self.outputs.iter().filter_map(|w| w.ended).max()
    }

    /// Cycles to keep clocking after the end before [`EndRules::overrun`]: long enough for
    /// beats still inside the pipeline and register slices to show.
    pub(crate) fn linger(kernel: &Kernel) -> u64 {
        kernel.manifest.perf.latency + 32
    }

    /// After the end and `linger` more cycles, with what the outputs hold now: the first
    /// output that grew past its end, as (output, message).
    pub(crate) fn overrun(&self, now: &[OutputProgress], linger: u64) -> Option<(String, String)> {
        let at_end = self.at_end.as_deref()?;
        for ((watch, &(ended_with, _, _)), &(now, _, _)) in self.outputs.iter().zip(at_end).zip(now) {
            let (name, rule) = (&watch.name, &watch.rule);
            let message = match watch.target {
                Target::Elements(n) if now != n => format!(
                    "output `{name}` kept producing past the {n} elements its end rule gives ({rule}): {now} within \
                     {linger} cycles after the call's end"
                ),
                Target::Closed if now != ended_with => format!(
                    "output `{name}` produced {} more elements after its packet closed at element {ended_with} ({rule}): \
                     did the input carry more than one packet?",
                    now - ended_with
                ),
                Target::Idle(k) if now != ended_with => format!(
                    "output `{name}` produced {} more elements after {k} idle cycles ({rule}): raise `idle` above the \
                     kernel's longest pause",
                    now - ended_with
                ),
                Target::Idle(k) if now == 0 => {
                    format!("output `{name}` produced no element: {k} cycles passed after the last input beat ({rule})")
                }
                _ => continue,
            };
            return Some((name.clone(), message));
        }
        None
    }
}

/// `end: tlast`, as the manifest says it.
fn describe(rule: Option<&EndRule>) -> String {
    match rule {
        Some(EndRule::Tlast) => "end: tlast".to_owned(),
        Some(EndRule::Count(n)) => format!("end: count {n}"),
        Some(EndRule::SameAs { input, numerator, denominator }) if numerator == denominator => {
            format!("end: same-as `{input}`")
        }
        Some(EndRule::SameAs { input, numerator, denominator }) => {
            format!("end: same-as `{input}` x {numerator}/{denominator}")
        }
        Some(EndRule::Idle(k)) => format!("end: idle {k} cycles"),
        None => "no end rule".to_owned(),
    }
}
