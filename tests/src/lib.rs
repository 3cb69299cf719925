//! The shared suite lives in `suite/`; this crate has no library code.
