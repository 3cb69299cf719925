//! How long a node of a graph waited on its neighbours: the cycles it was starved (ready on an
//! input whose FIFO was empty) and blocked (offering an output beat no FIFO could take), each
//! counted once per cycle from its first input until it is done, and reported as they stood
//! at its last input (waits while it drains are not throughput).
//!
//! The node's first and last input come from its input ports' own marks, so a beat moving
//! writes nothing here: the counts at the last input are kept only when a wait of a later
//! cycle is about to add to them, which is rare on the per-cycle path.

/// Why a kernel waited in a cycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Wait {
    /// Ready on an input whose FIFO was empty.
    Starved,
    /// Offering an output beat a full FIFO could not take.
    Blocked,
}

/// One node's wait counts.
#[derive(Debug, Clone, Default)]
pub(super) struct Waits {
    starved: u64,
    blocked: u64,
    /// The last cycle counted in `starved` and in `blocked` (a cycle counts once however many
    /// of the node's ports waited in it).
    starved_at: Option<u64>,
    blocked_at: Option<u64>,
    /// (cycle of an input, starved, blocked): the counts at the end of that input's cycle,
    /// kept when a wait of a later cycle came.
    at_input: Option<(u64, u64, u64)>,
}

impl Waits {
    /// Counts a wait in `cycle`, given the node's first and last input transfers so far
    /// (those of `cycle` included once its inputs were sampled). Waiting for the first beat is
    /// not slowness: an input first taken in this very cycle counts from the next.
    pub(super) fn count(&mut self, cycle: u64, why: Wait, first_input: Option<u64>, last_input: Option<u64>) {
        if first_input.is_none_or(|first| first >= cycle) {
            return;
        }
        if let Some(last) = last_input.filter(|&last| last < cycle) {
            if self.at_input.is_none_or(|(c, _, _)| c != last) {
                self.at_input = Some((last, self.starved, self.blocked));
            }
        }
        let (count, at) = match why {
            Wait::Starved => (&mut self.starved, &mut self.starved_at),
            Wait::Blocked => (&mut self.blocked, &mut self.blocked_at),
        };
        if *at != Some(cycle) {
            *at = Some(cycle);
            *count += 1;
        }
    }

    /// (starved, blocked) at the end of the cycle of `last_input`, the node's last input.
    pub(super) fn at_last_input(&self, last_input: Option<u64>) -> (u64, u64) {
        match self.at_input {
            Some((cycle, starved, blocked)) if Some(cycle) == last_input => (starved, blocked),
            // No wait came after it: every wait counted so far was by then.
            _ => (self.starved, self.blocked),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The plain definition: every wait of a cycle up to the last input, once per cycle and
    /// kind, from the cycle after the first input.
    fn by_definition(waits: &[(u64, Wait)], first: u64, last: u64) -> (u64, u64) {
        let mut seen = std::collections::BTreeSet::new();
        for &(cycle, why) in waits {
            if cycle > first && cycle <= last {
                seen.insert((cycle, why == Wait::Starved));
            }
        }
        let starved = seen.iter().filter(|(_, s)| *s).count() as u64;
        (starved, seen.len() as u64 - starved)
    }

    #[test]
    fn waits_after_the_last_input_do_not_count_and_a_cycle_counts_once() {
        // Inputs at cycles 3, 4 and 8; waits around them, some in an input's own cycle
        // (sampled after it), some twice in a cycle, some while draining after cycle 8.
        let inputs = [3u64, 4, 8];
        let waits = [
            (2, Wait::Starved),
            (3, Wait::Blocked),
            (4, Wait::Starved),
            (5, Wait::Starved),
            (5, Wait::Starved),
            (5, Wait::Blocked),
            (6, Wait::Blocked),
            (8, Wait::Starved),
            (9, Wait::Starved),
            (10, Wait::Blocked),
            (10, Wait::Starved),
        ];
        let mut counts = Waits::default();
        let (mut first, mut last) = (None, None);
        let of = |cycle: u64, kind: Wait| waits.iter().filter(move |&&(c, why)| c == cycle && why == kind);
        for cycle in 0..12 {
            // The system's order in a cycle: outputs sampled (blocked), then inputs, then
            // the inputs' starved waits.
            for _ in of(cycle, Wait::Blocked) {
                counts.count(cycle, Wait::Blocked, first, last);
            }
            if inputs.contains(&cycle) {
                first.get_or_insert(cycle);
                last = Some(cycle);
            }
            for _ in of(cycle, Wait::Starved) {
                counts.count(cycle, Wait::Starved, first, last);
            }
        }
        assert_eq!(counts.at_last_input(last), by_definition(&waits, 3, 8));
        assert_eq!(counts.at_last_input(last), (3, 2));
        assert_eq!((counts.starved, counts.blocked), (5, 3), "the drain's waits are still counted");
    }

    #[test]
    fn without_a_later_wait_the_counts_stand_and_without_an_input_nothing_counts() {
        let mut counts = Waits::default();
        counts.count(5, Wait::Starved, None, None);
        assert_eq!(counts.at_last_input(None), (0, 0));
        counts.count(6, Wait::Blocked, Some(2), Some(6));
        counts.count(7, Wait::Starved, Some(2), Some(7));
        assert_eq!(counts.at_last_input(Some(7)), (1, 1));
    }
}
