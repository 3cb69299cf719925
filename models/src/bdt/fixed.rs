//! `ap_fixed<W, I>` as conifer's C++ emulation uses it: quantization AP_TRN (truncation toward
//! minus infinity) and overflow AP_WRAP (two's-complement wrap at W bits).

use super::BdtError;

/// The widest type the kernel carries: every value travels in a 32-bit word.
pub const MAX_WIDTH: u32 = 32;

/// A signed fixed-point format `ap_fixed<width, integer>` (AP_TRN, AP_WRAP).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FixedType {
    /// Total bits W (1..=32).
    pub width: u32,
    /// Integer bits I, sign included (I <= W; may be negative).
    pub integer: i32,
}

impl FixedType {
    /// conifer's default precision, `ap_fixed<18,8>`.
    pub const DEFAULT: FixedType = FixedType { width: 18, integer: 8 };

    /// Fractional bits F = W - I.
    pub fn fraction(self) -> u32 {
        (self.width as i32 - self.integer) as u32
    }

    /// Parses `ap_fixed<W,I>` (spaces allowed; an explicit `AP_TRN` and `AP_WRAP` may follow,
    /// any other quantization or overflow mode is refused because conifer's types do not use
    /// them).
    pub fn parse(text: &str) -> Result<FixedType, BdtError> {
        let bad = |why: &str| BdtError::Precision { text: text.to_owned(), why: why.to_owned() };
        let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        let inner = compact
            .strip_prefix("ap_fixed<")
            .and_then(|rest| rest.strip_suffix('>'))
            .ok_or_else(|| bad("expected `ap_fixed<W,I>`"))?;
        let fields: Vec<&str> = inner.split(',').collect();
        if fields.len() < 2 || fields.len() > 4 {
            return Err(bad("expected `ap_fixed<W,I>` with two numbers"));
        }
        let width: u32 = fields[0].parse().map_err(|_| bad("W is not a positive integer"))?;
        let integer: i32 = fields[1].parse().map_err(|_| bad("I is not an integer"))?;
        for (mode, wanted) in fields[2..].iter().zip(["AP_TRN", "AP_WRAP"]) {
            if *mode != wanted {
                return Err(bad(&format!("only {wanted} is supported there (conifer's emulation), not {mode}")));
            }
        }
        if width == 0 || width > MAX_WIDTH {
            return Err(bad(&format!("W must be 1..={MAX_WIDTH} (values travel in 32-bit words)")));
        }
        if integer > width as i32 {
            return Err(bad("I > W (negative fractional bits) is not supported"));
        }
        if width as i32 - integer > 62 {
            return Err(bad("more than 62 fractional bits is not supported"));
        }
        Ok(FixedType { width, integer })
    }

    /// The low W bits of `value`, sign-extended: two's-complement wrap (AP_WRAP).
    pub fn wrap(self, value: i128) -> i64 {
        let shift = 128 - self.width;
        ((value << shift) >> shift) as i64
    }

    /// `v` quantized: `wrap_W(floor(v * 2^F))`, computed exactly from the double's bits
    /// (AP_TRN then AP_WRAP, as the C++ cast `(ap_fixed<W,I>) v` does). NaN and infinities
    /// have no fixed-point value.
    pub fn quantize(self, v: f64) -> Result<i64, BdtError> {
        if !v.is_finite() {
            return Err(BdtError::NotFinite(v));
        }
        if v == 0.0 {
            return Ok(0);
        }
        // v = mantissa * 2^exponent exactly, with an integer mantissa below 2^53.
        let bits = v.to_bits();
        let biased = ((bits >> 52) & 0x7ff) as i32;
        let fraction = bits & ((1u64 << 52) - 1);
        let (mantissa, exponent) =
            if biased == 0 { (fraction, -1074) } else { (fraction | (1u64 << 52), biased - 1075) };
        let signed = if v < 0.0 { -(mantissa as i128) } else { mantissa as i128 };
        let shift = exponent + self.fraction() as i32;
        let raw = if shift >= 0 {
            // Bits at or above 2^W vanish in the wrap; shifting past 74 leaves none below it.
            if shift > 74 {
                0
            } else {
                signed << shift
            }
        } else if -shift >= 127 {
            // floor of a tiny magnitude: 0 for positive, -1 LSB for negative.
            if signed < 0 {
                -1
            } else {
                0
            }
        } else {
            signed >> -shift // arithmetic: floor
        };
        Ok(self.wrap(raw))
    }

    /// The real value of raw bits `raw` (for printing scores).
    pub fn to_f64(self, raw: i64) -> f64 {
        raw as f64 / (2f64).powi(self.fraction() as i32)
    }
}

impl std::fmt::Display for FixedType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ap_fixed<{},{}>", self.width, self.integer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const Q18_8: FixedType = FixedType::DEFAULT;

    #[test]
    fn parses_the_conifer_strings_and_refuses_the_rest_clearly() {
        assert_eq!(FixedType::parse("ap_fixed<18,8>").unwrap(), Q18_8);
        assert_eq!(FixedType::parse(" ap_fixed< 16 , 6 > ").unwrap(), FixedType { width: 16, integer: 6 });
        assert_eq!(FixedType::parse("ap_fixed<12,4,AP_TRN,AP_WRAP>").unwrap().fraction(), 8);
        for (text, needle) in [
            ("ap_fixed<18>", "two numbers"),
            ("ap_ufixed<18,8>", "ap_fixed<W,I>"),
            ("ap_fixed<x,8>", "W is not"),
            ("ap_fixed<40,8>", "1..=32"),
            ("ap_fixed<0,0>", "1..=32"),
            ("ap_fixed<8,10>", "I > W"),
            ("ap_fixed<18,8,AP_RND>", "AP_TRN"),
            ("float", "ap_fixed<W,I>"),
        ] {
            let message = FixedType::parse(text).unwrap_err().to_string();
            assert!(message.contains(text.trim()) && message.contains(needle), "{text}: {message}");
        }
    }

    #[test]
    fn quantization_truncates_toward_minus_infinity() {
        // <18,8>: LSB = 2^-10.
        assert_eq!(Q18_8.quantize(1.0).unwrap(), 1024);
        assert_eq!(Q18_8.quantize(0.00195).unwrap(), 1, "0.00195 = 1.997 LSB -> 1");
        assert_eq!(Q18_8.quantize(-0.00195).unwrap(), -2, "-1.997 LSB -> -2, not -1");
        assert_eq!(Q18_8.quantize(-0.5 / 1024.0).unwrap(), -1, "-LSB/2 becomes -LSB");
        assert_eq!(Q18_8.quantize(0.5 / 1024.0).unwrap(), 0);
        assert_eq!(Q18_8.quantize(-1e-300).unwrap(), -1, "a tiny negative still floors to -LSB");
        assert_eq!(Q18_8.quantize(5e-324).unwrap(), 0, "subnormal positive");
        assert_eq!(Q18_8.quantize(-0.0).unwrap(), 0);
    }

    #[test]
    fn overflow_wraps_in_twos_complement() {
        assert_eq!(Q18_8.quantize(128.0).unwrap(), -128 * 1024, "128.0 in <18,8> is -128");
        assert_eq!(Q18_8.quantize(127.999).unwrap(), (1 << 17) - 2, "floor(127.999*1024) = 131070");
        assert_eq!(Q18_8.quantize(-129.0).unwrap(), 127 * 1024);
        assert_eq!(Q18_8.quantize(256.0).unwrap(), 0);
        // 2^80 + 2^-10: the high bits vanish exactly, no f64 rounding in the way.
        assert_eq!(Q18_8.quantize(2f64.powi(80)).unwrap(), 0);
        assert_eq!(FixedType { width: 32, integer: 32 }.quantize(2147483648.0).unwrap(), i64::from(i32::MIN));
        assert!(Q18_8.quantize(f64::NAN).is_err());
        assert!(Q18_8.quantize(f64::INFINITY).is_err());
    }

    #[test]
    fn wrap_keeps_the_low_bits_signed() {
        let q = FixedType { width: 4, integer: 4 };
        assert_eq!(q.wrap(7), 7);
        assert_eq!(q.wrap(8), -8);
        assert_eq!(q.wrap(-9), 7);
        assert_eq!(q.wrap(16 + 3), 3);
    }
}
