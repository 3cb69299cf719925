//! A 1-bit port (VALID, READY, LAST, clock, reset): always Verilator's `CData`, so reading and
//! writing it is one byte access with no dispatch on the storage class.

use std::marker::PhantomData;

use super::Model;

/// A 1-bit port of a [`Model`], valid as long as the model lives (`'m`).
///
/// Just a pointer (8 bytes), so the bus models that hold many of them stay in few cache
/// lines; the name is in the model's port list.
#[derive(Debug, Clone, Copy)]
pub struct Bit<'m> {
    ptr: *mut u8,
    _model: PhantomData<&'m Model>,
}

impl<'m> Bit<'m> {
    /// # Safety
    /// `ptr` must point at a 1-bit (`CData`) member of a model outliving `'m`.
    pub(super) unsafe fn new(ptr: *mut u8) -> Self {
        Bit { ptr, _model: PhantomData }
    }

    /// True when the port is 1.
    #[inline(always)]
    pub fn is_high(&self) -> bool {
        // SAFETY: `new`'s contract.
        unsafe { *self.ptr & 1 != 0 }
    }

    /// 0 or 1, for reports.
    pub fn get(&self) -> u8 {
        u8::from(self.is_high())
    }

    /// Drives the port (effective at the next eval).
    #[inline(always)]
    pub fn set(&self, high: bool) {
        // SAFETY: `new`'s contract.
        unsafe { *self.ptr = u8::from(high) }
    }
}

/// A port of at most 8 bits read and written as its one byte: Verilator's `CData`, as TKEEP and
/// TSTRB of TDATA up to 64 bits always are. From [`Signal::byte`](super::Signal::byte).
///
/// A non-null pointer, so that an `Option<Byte>` (a port that may be absent) is 8 bytes and
/// tested against null.
#[derive(Debug, Clone, Copy)]
pub struct Byte<'m> {
    ptr: std::ptr::NonNull<u8>,
    _model: PhantomData<&'m Model>,
}

impl<'m> Byte<'m> {
    /// # Safety
    /// `ptr` must point at a `CData` member of a model outliving `'m`.
    pub(super) unsafe fn new(ptr: std::ptr::NonNull<u8>) -> Self {
        Byte { ptr, _model: PhantomData }
    }

    /// The port's value.
    #[inline(always)]
    pub fn get(&self) -> u8 {
        // SAFETY: `new`'s contract.
        unsafe { *self.ptr.as_ptr() }
    }
}
