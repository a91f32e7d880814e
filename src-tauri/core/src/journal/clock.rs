//! The team's clock: a hybrid logical clock. Each decision is stamped with the laptop's wall
//! time in milliseconds and a counter, never lower than any stamp this laptop has made or seen,
//! so a decision made after seeing another is always later than it, however skewed the
//! laptops' clocks are; decisions no laptop had seen of each other are ordered by their wall
//! time, ties broken by the laptop's id the same way everywhere.

use serde::{Deserialize, Serialize};

/// When a decision was made: (wall milliseconds, counter). Compares as a pair.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
pub struct Stamp {
    pub ms: u64,
    /// Left out when 0, as most are.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub n: u32,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

impl Stamp {
    /// The stamp of a new local decision at wall time `now_ms`, after `last` (the latest stamp
    /// this laptop made or saw).
    pub fn next(last: Stamp, now_ms: u64) -> Stamp {
        if now_ms > last.ms {
            Stamp { ms: now_ms, n: 0 }
        } else {
            Stamp {
                ms: last.ms,
                n: last.n.saturating_add(1),
            }
        }
    }

    /// The later of two stamps: what the clock holds after seeing `other`.
    pub fn max(self, other: Stamp) -> Stamp {
        if other > self {
            other
        } else {
            self
        }
    }
}

/// Wall time now, in milliseconds since 1970.
pub fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_laptop_whose_clock_is_behind_still_decides_after_what_it_saw() {
        let seen = Stamp { ms: 10_000, n: 4 };
        let mine = Stamp::next(seen, 2_000);
        assert!(mine > seen);
        assert_eq!(mine, Stamp { ms: 10_000, n: 5 });
        let later = Stamp::next(mine, 20_000);
        assert_eq!(later, Stamp { ms: 20_000, n: 0 });
    }
}
