//! Per-bundle traffic statistics: what the Xilinx kernel trace shows for an `m_axi` port
//! (burst counts, burst length and size), plus error responses and outstanding bursts.

use std::collections::BTreeMap;
use std::fmt;

use super::AxiResp;

/// Statistics of one direction (reads or writes) of a bundle.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AxiDirectionStats {
    /// Bursts accepted on AR or AW.
    pub bursts: u64,
    /// Data beats transferred on R or W.
    pub beats: u64,
    /// Bytes transferred: the active lanes of each R beat; the strobed lanes of each W beat.
    pub bytes: u64,
    /// Burst length in beats (AxLEN + 1) -> bursts.
    pub lengths: BTreeMap<u32, u64>,
    /// Burst size in bytes per beat (2^AxSIZE) -> bursts.
    pub sizes: BTreeMap<u32, u64>,
    /// Bursts completed with OKAY (last R beat or B handshake).
    pub okay: u64,
    /// Bursts completed with SLVERR.
    pub slverr: u64,
    /// Bursts completed with DECERR.
    pub decerr: u64,
    /// Most bursts outstanding at once (address accepted, response not yet taken).
    pub peak_outstanding: usize,
    /// Cycles with AxVALID high and AxREADY held low because the outstanding limit was hit.
    pub full_stalls: u64,
}

impl AxiDirectionStats {
    pub(super) fn record_burst(&mut self, beats: u32, size: u32, outstanding: usize) {
        self.bursts += 1;
        *self.lengths.entry(beats).or_default() += 1;
        *self.sizes.entry(size).or_default() += 1;
        self.peak_outstanding = self.peak_outstanding.max(outstanding);
    }

    pub(super) fn record_response(&mut self, resp: AxiResp) {
        match resp {
            AxiResp::Okay | AxiResp::ExOkay => self.okay += 1,
            AxiResp::SlvErr => self.slverr += 1,
            AxiResp::DecErr => self.decerr += 1,
        }
    }

    /// SLVERR + DECERR.
    pub fn errors(&self) -> u64 {
        self.slverr + self.decerr
    }

    /// Mean burst length in beats (0 with no bursts).
    pub fn mean_length(&self) -> f64 {
        let beats: u64 = self.lengths.iter().map(|(len, n)| u64::from(*len) * n).sum();
        if self.bursts == 0 { 0.0 } else { beats as f64 / self.bursts as f64 }
    }
}

/// Statistics of one `m_axi` bundle.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AxiStats {
    /// Bundle name (`gmem`).
    pub bundle: String,
    /// AR/R traffic.
    pub read: AxiDirectionStats,
    /// AW/W/B traffic.
    pub write: AxiDirectionStats,
    /// Protocol errors the slave recorded.
    pub protocol_errors: u64,
}

fn histogram(map: &BTreeMap<u32, u64>) -> String {
    map.iter().map(|(k, n)| format!("{k}x{n}")).collect::<Vec<_>>().join(" ")
}

impl fmt::Display for AxiStats {
    /// A small Markdown table, one row per direction; histograms read `value x bursts`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let header = [
            format!("m_axi {}", self.bundle),
            "bursts".into(),
            "beats".into(),
            "bytes".into(),
            "mean len".into(),
            "len (beats x n)".into(),
            "size (bytes x n)".into(),
            "SLVERR".into(),
            "DECERR".into(),
            "peak outst.".into(),
            "full stalls".into(),
        ];
        let row = |name: &str, s: &AxiDirectionStats| {
            [
                name.to_owned(),
                s.bursts.to_string(),
                s.beats.to_string(),
                s.bytes.to_string(),
                format!("{:.1}", s.mean_length()),
                histogram(&s.lengths),
                histogram(&s.sizes),
                s.slverr.to_string(),
                s.decerr.to_string(),
                s.peak_outstanding.to_string(),
                s.full_stalls.to_string(),
            ]
        };
        let rows = [header, row("read", &self.read), row("write", &self.write)];
        let widths: Vec<usize> =
            (0..rows[0].len()).map(|c| rows.iter().map(|r| r[c].len()).max().unwrap_or(0)).collect();
        let line = |cells: &[String]| {
            let padded: Vec<String> = cells.iter().zip(&widths).map(|(c, w)| format!("{c:<w$}")).collect();
            format!("| {} |", padded.join(" | "))
        };
        writeln!(f, "{}", line(&rows[0]))?;
        let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
        writeln!(f, "|-{}-|", rule.join("-|-"))?;
        writeln!(f, "{}", line(&rows[1]))?;
        write!(f, "{}", line(&rows[2]))?;
        if self.protocol_errors > 0 {
            write!(f, "\nprotocol errors: {}", self.protocol_errors)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_shows_histograms() {
        let mut s = AxiStats { bundle: "gmem".into(), ..Default::default() };
        s.read.record_burst(16, 4, 1);
        s.read.record_burst(16, 4, 2);
        s.read.record_burst(3, 4, 1);
        s.write.record_response(AxiResp::DecErr);
        let text = s.to_string();
        assert!(text.contains("| m_axi gmem |"), "{text}");
        assert!(text.contains("3x1 16x2"), "{text}");
        assert!(text.contains("4x3"), "{text}");
        assert_eq!(text.lines().count(), 4, "{text}");
        assert!((s.read.mean_length() - 35.0 / 3.0).abs() < 1e-9);
    }
}
