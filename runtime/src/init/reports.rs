//! Vitis's reports: the synthesis report (`syn/report/csynth.xml`): the top's name, the target
//! clock, the best-case latency, the pipeline II and the block protocol; and the packaged IP's
//! `impl/ip/component.xml` (IP-XACT): the top's name and the clock's FREQ_HZ. Read by tag
//! name: the few fields are flat text elements.

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
    /// The first `<PipelineII>` (the top's pipelined loop or function).
    pub ii: Option<u32>,
    /// Which report said it (for the manifest's comments).
    pub source: &'static str,
}

impl Synthesis {
    /// This report's fields, the missing ones taken from `other`.
    pub fn or(self, other: Synthesis) -> Synthesis {
        Synthesis {
            top: self.top.or(other.top),
            clock_mhz: self.clock_mhz.or(other.clock_mhz),
            latency: self.latency.or(other.latency),
            block_protocol: self.block_protocol.or(other.block_protocol),
            ii: self.ii.or(other.ii),
            source: if self.source.is_empty() { other.source } else { self.source },
        }
    }
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
        ii: tag(xml, "PipelineII").and_then(|ii| ii.parse().ok()).filter(|ii| *ii > 0),
        source: "csynth.xml",
    }
}

/// Reads a packaged IP's component.xml text: the component's name (Vitis names it after the
/// top) and the first clock frequency (`FREQ_HZ`, set on `ap_clk`).
pub fn component(xml: &str) -> Synthesis {
    let top = xml.split_once("<spirit:component").and_then(|(_, rest)| tag(rest, "spirit:name")).map(str::to_owned);
    let clock_mhz = xml.split("<spirit:name>FREQ_HZ</spirit:name>").nth(1).and_then(|rest| {
        let value = rest.split_once("<spirit:value")?.1.split_once('>')?.1.split_once('<')?.0;
        value.trim().parse::<f64>().ok().filter(|hz| *hz > 0.0).map(|hz| (hz / 1e5).round() / 10.0)
    });
    Synthesis { top, clock_mhz, source: "component.xml", ..Synthesis::default() }
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
        assert_eq!(s.ii, None);
        assert_eq!(parse("<x/>"), Synthesis { source: "csynth.xml", ..Synthesis::default() });
    }

    #[test]
    fn reads_the_pipeline_ii_and_component_xml() {
        let s = parse("<profile><SummaryOfLoopLatency><words><PipelineII>2</PipelineII></words></SummaryOfLoopLatency></profile>");
        assert_eq!(s.ii, Some(2));
        let xml = "<?xml version=\"1.0\"?>\n<spirit:component xmlns:spirit=\"http://www.spiritconsortium.org/XMLSchema/SPIRIT/1685-2009\">\n\
                   <spirit:vendor>xilinx.com</spirit:vendor><spirit:library>hls</spirit:library><spirit:name>median</spirit:name>\n\
                   <spirit:busInterfaces><spirit:busInterface><spirit:name>ap_clk</spirit:name><spirit:parameters>\n\
                   <spirit:parameter><spirit:name>ASSOCIATED_BUSIF</spirit:name><spirit:value spirit:id=\"X\">in_r:out_r</spirit:value></spirit:parameter>\n\
                   <spirit:parameter><spirit:name>FREQ_HZ</spirit:name><spirit:value spirit:id=\"BUSIFPARAM_VALUE.AP_CLK.FREQ_HZ\">250000000.0</spirit:value></spirit:parameter>\n\
                   </spirit:parameters></spirit:busInterface></spirit:busInterfaces></spirit:component>";
        let c = component(xml);
        assert_eq!((c.top.as_deref(), c.clock_mhz), (Some("median"), Some(250.0)));
        let both = parse("<profile><TopModelName>median</TopModelName></profile>").or(c);
        assert_eq!((both.clock_mhz, both.source), (Some(250.0), "csynth.xml"), "csynth first, component.xml fills the gaps");
    }
}
