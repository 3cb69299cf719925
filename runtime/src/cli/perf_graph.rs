//! `codesign perf` for graphs: per connection, FIFO depth, high-water mark and stalls on each
//! side; per stage, when it ran and how long it waited; and the stage that limits throughput.

use comfy_table::{presets, Table};

use crate::perf::Measurement;

/// The connection and stage tables of every graph case in `rows` (empty when there is none).
pub(super) fn render<'a>(rows: impl Iterator<Item = &'a Measurement>) -> String {
    let mut out = String::new();
    for m in rows.filter(|m| !m.report.stages.is_empty()) {
        let mut connections = Table::new();
        connections.load_preset(presets::ASCII_MARKDOWN).set_header([
            "connection", "depth", "high water", "beats", "producer stalled (full)", "consumer waited (empty)",
            "consumer held back",
        ]);
        for c in &m.report.connections {
            connections.add_row([
                c.name.clone(),
                c.depth.to_string(),
                c.high_water.to_string(),
                c.transfers.to_string(),
                c.producer_stalls.to_string(),
                c.consumer_waits.to_string(),
                c.consumer_stalls.to_string(),
            ]);
        }
        let mut stages = Table::new();
        stages.load_preset(presets::ASCII_MARKDOWN).set_header([
            "stage", "kernel", "first input", "last input", "done", "starved", "blocked", "busy",
        ]);
        let cycle = |c: Option<u64>| c.map_or_else(|| "-".to_owned(), |c| c.to_string());
        for s in &m.report.stages {
            stages.add_row([
                s.instance.clone(),
                s.kernel.clone(),
                cycle(s.first_input),
                cycle(s.last_input),
                cycle(s.done),
                s.starved.to_string(),
                s.blocked.to_string(),
                s.busy().to_string(),
            ]);
        }
        let limiting = m.report.limiting_stage().map_or_else(|| "-".to_owned(), |s| format!("`{}` ({})", s.instance, s.kernel));
        out.push_str(&format!(
            "\ngraph `{}`, case `{}`: {} cycles; limiting stage {limiting}\n{connections}\n{stages}\n",
            m.kernel, m.case, m.cycles
        ));
    }
    out
}
