//! Vitis's synthesis report (`syn/report/csynth.xml`, or `<top>_csynth.xml`): the top's name,
//! the target clock, the best-case latency and the block protocol. Read by tag name: the
//! report's few fields are flat text elements.

/// What `init` takes from the synthesis report.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Synthesis {
    /// `<TopModelName>`.
    pub top: Option<String>,
    /// From `<TargetClockPeriod>` (ns).
    pub clock_mhz: Option<f64>,
    /// `<Best-caseLatency>` of the whole call, in cycles.
    pub latency: Option<u64>,
    /// The protocol of the `return value` port group (`ap_ctrl_hs`, `ap_ctrl_none`).
    pub block_protocol: Option<String>,
}

/// The text of the first `<tag>...</tag>` in `xml`.
fn tag<'a>(xml: &'a str, tag: &str) -> Option<&'a str> {
    let open = format!("<{tag}>");
    let start = xml.find(&open)? + open.len();
    let end = xml[start..].find(&format!("</{tag}>"))?;
    Some(xml[start..start + end].trim())
}

/// Reads a csynth.xml text.
pub fn parse(xml: &str) -> Synthesis {
    let clock_mhz = tag(xml, "TargetClockPeriod").and_then(|p| p.parse::<f64>().ok()).filter(|p| *p > 0.0).map(|p| (1000.0 / p * 10.0).round() / 10.0);
    // In <RtlPorts>, the block-level ports are the ones whose <Type> is `return value`.
    let block_protocol = xml.split("<RtlPorts>").skip(1).find_map(|port| {
        (tag(port, "Type") == Some("return value")).then(|| tag(port, "Protocol").map(str::to_owned)).flatten()
    });
    Synthesis {
        top: tag(xml, "TopModelName").map(str::to_owned),
        clock_mhz,
        latency: tag(xml, "Best-caseLatency").and_then(|l| l.parse().ok()),
        block_protocol,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_top_clock_latency_and_protocol() {
        let xml = "<profile><UserAssignments><TopModelName>median</TopModelName><TargetClockPeriod>3.33</TargetClockPeriod></UserAssignments>\
                   <PerformanceEstimates><SummaryOfOverallLatency><Best-caseLatency>1030</Best-caseLatency></SummaryOfOverallLatency></PerformanceEstimates>\
                   <InterfaceSummary><RtlPorts><name>ap_clk</name><Type>return value</Type><Protocol>ap_ctrl_none</Protocol></RtlPorts></InterfaceSummary></profile>";
        let s = parse(xml);
        assert_eq!(s.top.as_deref(), Some("median"));
        assert_eq!(s.clock_mhz, Some(300.3));
        assert_eq!(s.latency, Some(1030));
        assert_eq!(s.block_protocol.as_deref(), Some("ap_ctrl_none"));
        assert_eq!(parse("<x/>"), Synthesis::default());
    }
}
