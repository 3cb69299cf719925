//! The transaction table of `run` and `perf`, laid out as a Vitis cosim report gives it:
//! latency and interval (min / avg / max) over the transactions of each call of a kernel
//! with bare block control.

use comfy_table::{presets, Table};

use crate::TransactionReport;

/// A table of `(what ran, its transactions, total cycles)`, with a title line; empty when
/// nothing ran in transactions.
pub(super) fn render<'r>(rows: impl IntoIterator<Item = (String, &'r TransactionReport, Option<u64>)>) -> String {
    let mut table = Table::new();
    table.load_preset(presets::ASCII_MARKDOWN).set_header([
        "call",
        "transactions",
        "latency min",
        "latency avg",
        "latency max",
        "interval min",
        "interval avg",
        "interval max",
        "total cycles",
    ]);
    let mut any = false;
    for (what, t, cycles) in rows {
        any = true;
        let dash = || "-".to_owned();
        table.add_row([
            what,
            t.count.to_string(),
            t.latency.min.to_string(),
            format!("{:.1}", t.latency.avg),
            t.latency.max.to_string(),
            t.interval.map_or_else(dash, |i| i.min.to_string()),
            t.interval.map_or_else(dash, |i| format!("{:.1}", i.avg)),
            t.interval.map_or_else(dash, |i| i.max.to_string()),
            cycles.map_or_else(dash, |c| c.to_string()),
        ]);
    }
    if any {
        format!("transactions (cycles; latency: ap_start to ap_done, interval: between starts):\n{table}\n")
    } else {
        String::new()
    }
}
