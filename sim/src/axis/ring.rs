//! The beat queue of a FIFO: a ring over power-of-two storage, so that a push, a pop and a
//! look at the head are an index mask each, with none of `VecDeque`'s wrap tests and growth
//! checks on the per-beat path (a graph moves several beats through its FIFOs every cycle).

/// A first-in first-out queue of plain values. Storage starts at the smallest power of two
/// holding `reserve` values and doubles (rarely: only past `reserve`) when a push finds it full.
#[derive(Debug, Clone)]
pub(super) struct Ring<T> {
    /// Storage; its length is a power of two.
    slots: Vec<T>,
    /// `slots.len() - 1`.
    mask: usize,
    head: usize,
    len: usize,
}

impl<T: Copy + Default> Ring<T> {
    /// An empty ring with room for `reserve` values before it grows.
    pub(super) fn with_capacity(reserve: usize) -> Self {
        let size = reserve.max(1).next_power_of_two();
        Ring { slots: vec![T::default(); size], mask: size - 1, head: 0, len: 0 }
    }

    /// Values held.
    #[inline(always)]
    pub(super) fn len(&self) -> usize {
        self.len
    }

    /// The oldest value.
    #[inline(always)]
    pub(super) fn front(&self) -> Option<&T> {
        // SAFETY: an index masked with `mask` is below `slots.len()` (a power of two).
        (self.len > 0).then(|| unsafe { self.slots.get_unchecked(self.head & self.mask) })
    }

    /// The newest value.
    #[cfg(test)]
    pub(super) fn back(&self) -> Option<&T> {
        (self.len > 0).then(|| &self.slots[(self.head + self.len - 1) & self.mask])
    }

    /// Appends `value`.
    #[inline(always)]
    pub(super) fn push(&mut self, value: T) {
        if self.len == self.slots.len() {
            self.grow();
        }
        let at = (self.head + self.len) & self.mask;
        // SAFETY: as in `front`.
        unsafe { *self.slots.get_unchecked_mut(at) = value };
        self.len += 1;
    }

    /// Drops the oldest value; false when empty.
    #[inline(always)]
    pub(super) fn pop(&mut self) -> bool {
        if self.len == 0 {
            return false;
        }
        self.head = (self.head + 1) & self.mask;
        self.len -= 1;
        true
    }

    /// The values oldest first.
    pub(super) fn iter(&self) -> impl Iterator<Item = &T> {
        (0..self.len).map(move |i| &self.slots[(self.head + i) & self.mask])
    }

    /// Doubles the storage, the values laid out again from index 0.
    #[cold]
    fn grow(&mut self) {
        let size = self.slots.len() * 2;
        let mut slots = Vec::with_capacity(size);
        slots.extend(self.iter().copied());
        slots.resize(size, T::default());
        (self.slots, self.mask, self.head) = (slots, size - 1, 0);
    }
}

#[cfg(test)]
mod tests {
    use super::Ring;

    #[test]
    fn values_come_out_in_order_across_wraps_and_growth() {
        let mut ring = Ring::with_capacity(3);
        assert_eq!((ring.len(), ring.front()), (0, None));
        let mut expected = std::collections::VecDeque::new();
        // Interleaved pushes and pops wrap the head; 40 values held at once force growth.
        for round in 0..50u32 {
            for v in 0..(round % 7) {
                ring.push(round * 100 + v);
                expected.push_back(round * 100 + v);
            }
            for _ in 0..(round % 5) {
                assert_eq!(ring.pop(), expected.pop_front().is_some());
            }
            assert_eq!(ring.len(), expected.len());
            assert_eq!(ring.front(), expected.front());
            assert_eq!(ring.back(), expected.back());
            assert!(ring.iter().eq(expected.iter()));
        }
        assert!(ring.len() > 40, "the ring grew past its first storage ({})", ring.len());
        while ring.pop() {
            expected.pop_front();
        }
        assert!(expected.is_empty() && ring.front().is_none());
    }
}
