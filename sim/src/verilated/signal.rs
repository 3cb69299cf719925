//! A port of an open model, read and written through the pointer Verilator's class exposes.

use std::marker::PhantomData;

use super::{Byte, Direction, Model};

/// One port of a [`Model`]; valid as long as the model lives (`'m`).
///
/// Reads and writes are plain memory accesses into the model; inputs take effect at the
/// next [`Model::eval`]. Values wider than the port are masked, as the RTL would see them.
#[derive(Debug, Clone, Copy)]
pub struct Signal<'m> {
    ptr: *mut u8,
    width: u32,
    /// Bytes of the Verilator member, which names its storage class: 1 `CData`, 2 `SData`,
    /// 4 `IData`, 8 `QData`, or 4 x words for a `VlWide` (32-bit words, least significant first).
    bytes: u32,
    mask: u64,
    direction: Direction,
    name: &'static str,
    _model: PhantomData<&'m Model>,
}

impl<'m> Signal<'m> {
    /// # Safety
    /// `ptr` must point at the Verilator member of `width` bits of a model outliving `'m`.
    pub(super) unsafe fn new(ptr: *mut u8, width: u32, direction: Direction, name: &'static str) -> Self {
        let bytes = match width {
            0..=8 => 1,
            9..=16 => 2,
            17..=32 => 4,
            33..=64 => 8,
            _ => 4 * width.div_ceil(32),
        };
        let mask = if width >= 64 { u64::MAX } else { (1u64 << width) - 1 };
        Signal { ptr, width, bytes, mask, direction, name, _model: PhantomData }
    }

    /// Port name.
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// 32-bit words of a `VlWide` member; `None` for ports of up to 64 bits.
    fn wide_words(&self) -> Option<usize> {
        (self.bytes > 8).then_some(self.bytes as usize / 4)
    }

    pub(super) fn as_ptr(&self) -> *mut u8 {
        self.ptr
    }

    /// The port as one byte, when it is at most 8 bits wide (a `CData` member).
    pub fn byte(&self) -> Option<Byte<'m>> {
        let ptr = std::ptr::NonNull::new(self.ptr).filter(|_| self.bytes == 1)?;
        // SAFETY: a live member (`new`'s contract) of 1 byte.
        Some(unsafe { Byte::new(ptr) })
    }

    /// Width in bits.
    pub fn width(&self) -> u32 {
        self.width
    }

    /// Direction.
    pub fn direction(&self) -> Direction {
        self.direction
    }

    /// The low 64 bits of the port's value.
    // Always in line: called per port per cycle, and a call costs more than the tests.
    #[inline(always)]
    pub fn get(&self) -> u64 {
        // Range tests on the byte count, not a match: LLVM turns a match (or an equality
        // chain) into a jump table, which costs an indirect branch on every beat. 32-bit
        // ports (i32 and f32 streams, the usual case) are tested first.
        // SAFETY: `new`'s contract: ptr is a live member of the storage class for `width`.
        unsafe {
            if self.bytes == 4 {
                u64::from(*self.ptr.cast::<u32>())
            } else if self.bytes > 2 {
                if self.bytes <= 4 {
                    u64::from(*self.ptr.cast::<u32>())
                } else if self.bytes <= 8 {
                    *self.ptr.cast::<u64>()
                } else {
                    let words = self.ptr.cast::<u32>();
                    u64::from(*words) | (u64::from(*words.add(1)) << 32)
                }
            } else if self.bytes > 1 {
                u64::from(*self.ptr.cast::<u16>())
            } else {
                u64::from(*self.ptr)
            }
        }
    }

    /// True when bit 0 is set (VALID, READY, LAST...).
    #[inline]
    pub fn is_high(&self) -> bool {
        self.get() & 1 == 1
    }

    /// Sets the port from the low bits of `value` (masked to the width; for wide ports the
    /// upper words are cleared).
    #[inline(always)]
    pub fn set(&self, value: u64) {
        let value = value & self.mask;
        // SAFETY: as in `get`.
        unsafe {
            if self.bytes == 4 {
                *self.ptr.cast::<u32>() = value as u32;
            } else if self.bytes > 2 {
                if self.bytes <= 4 {
                    *self.ptr.cast::<u32>() = value as u32;
                } else if self.bytes <= 8 {
                    *self.ptr.cast::<u64>() = value;
                } else {
                    self.set_wide(value);
                }
            } else if self.bytes > 1 {
                *self.ptr.cast::<u16>() = value as u16;
            } else {
                *self.ptr = value as u8;
            }
        }
    }

    #[cold]
    unsafe fn set_wide(&self, value: u64) {
        let base = self.ptr.cast::<u32>();
        *base = value as u32;
        *base.add(1) = (value >> 32) as u32;
        for i in 2..self.bytes as usize / 4 {
            *base.add(i) = 0;
        }
    }

    /// The full value as 32-bit words, least significant first (`VlWide` layout).
    pub fn get_words(&self) -> Vec<u32> {
        match self.wide_words() {
            // SAFETY: a VlWide member holds `words` consecutive 32-bit words.
            Some(words) => unsafe { std::slice::from_raw_parts(self.ptr.cast::<u32>(), words).to_vec() },
            None => {
                let v = self.get();
                let words = self.width.div_ceil(32) as usize;
                [v as u32, (v >> 32) as u32][..words].to_vec()
            }
        }
    }

    /// Reads the full value into `out` (32-bit words, least significant first) without
    /// allocating; words beyond the port's width are set to 0.
    pub fn read_words(&self, out: &mut [u32]) {
        match self.wide_words() {
            Some(words) => {
                for (i, slot) in out.iter_mut().enumerate() {
                    // SAFETY: i < words stays inside the VlWide member.
                    *slot = if i < words { unsafe { *self.ptr.cast::<u32>().add(i) } } else { 0 };
                }
            }
            None => {
                let v = self.get();
                for (i, slot) in out.iter_mut().enumerate() {
                    *slot = match i {
                        0 => v as u32,
                        1 => (v >> 32) as u32,
                        _ => 0,
                    };
                }
            }
        }
    }

    /// Sets the full value from 32-bit words, least significant first; missing words are
    /// zero and bits above the width are masked off.
    pub fn set_words(&self, value: &[u32]) {
        match self.wide_words() {
            Some(words) => {
                let top_bits = self.width % 32;
                for i in 0..words {
                    let mut word = value.get(i).copied().unwrap_or(0);
                    if i + 1 == words && top_bits != 0 {
                        word &= (1u32 << top_bits) - 1;
                    }
                    // SAFETY: i < words, inside the VlWide member.
                    unsafe { *self.ptr.cast::<u32>().add(i) = word };
                }
            }
            None => {
                let low = u64::from(value.first().copied().unwrap_or(0));
                let high = u64::from(value.get(1).copied().unwrap_or(0));
                self.set(low | (high << 32));
            }
        }
    }
}
