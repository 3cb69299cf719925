//! Values that flow into and out of a kernel call, independent of who computes them.

use std::collections::BTreeMap;

/// Named streams of elements and named scalars.
///
/// Elements and scalars are raw bit patterns in the low bits of a `u64` (an `i32` of -1 is
/// `0xffff_ffff`); the kernel's manifest gives their type. Typed views convert.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Values {
    /// Streams by port name.
    pub streams: BTreeMap<String, Vec<u64>>,
    /// Scalars by argument name.
    pub scalars: BTreeMap<String, u64>,
}

/// Why a golden model refused its inputs.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum GoldenError {
    /// A required stream is absent.
    #[error("missing input stream `{0}`")]
    MissingStream(String),
    /// A required scalar argument is absent.
    #[error("missing scalar argument `{0}`")]
    MissingScalar(String),
    /// Inputs that must be equally long are not.
    #[error("streams `{a}` ({a_len} elements) and `{b}` ({b_len}) must have the same length")]
    LengthMismatch {
        /// First stream.
        a: String,
        /// Its length.
        a_len: usize,
        /// Second stream.
        b: String,
        /// Its length.
        b_len: usize,
    },
    /// Inputs whose shapes do not fit each other.
    #[error("{0}")]
    Shape(String),
    /// An AXI4-Stream packet needs at least one beat (TLAST rides on the last one).
    #[error("stream `{0}` is empty: a packet carries at least one element")]
    Empty(String),
}

impl Values {
    /// Empty values.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds an `i32` stream (stored as its 32-bit pattern).
    pub fn with_i32s(mut self, name: &str, elements: &[i32]) -> Self {
        self.streams.insert(name.to_owned(), elements.iter().map(|&e| u64::from(e as u32)).collect());
        self
    }

    /// Adds a scalar argument.
    pub fn with_scalar(mut self, name: &str, value: u64) -> Self {
        self.scalars.insert(name.to_owned(), value);
        self
    }

    /// The raw elements of stream `name`.
    pub fn stream(&self, name: &str) -> Result<&[u64], GoldenError> {
        self.streams.get(name).map(Vec::as_slice).ok_or_else(|| GoldenError::MissingStream(name.to_owned()))
    }

    /// Stream `name` read as `i32` (the low 32 bits of each element).
    pub fn i32s(&self, name: &str) -> Result<Vec<i32>, GoldenError> {
        Ok(self.stream(name)?.iter().map(|&e| e as u32 as i32).collect())
    }

    /// Scalar `name`.
    pub fn scalar(&self, name: &str) -> Result<u64, GoldenError> {
        self.scalars.get(name).copied().ok_or_else(|| GoldenError::MissingScalar(name.to_owned()))
    }
}
