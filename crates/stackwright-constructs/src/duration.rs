//! Durations for properties CloudFormation takes in seconds.

/// A length of time. Converted to whole seconds when rendered. A duration too long to count
/// in seconds (`Duration::days(u64::MAX)`) saturates instead of overflowing, and every range
/// check reports it as "too long to count in seconds".
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Duration {
    seconds: u64,
}

impl Duration {
    /// `n` seconds.
    pub const fn seconds(n: u64) -> Duration {
        Duration { seconds: n }
    }
    /// `n` minutes.
    pub const fn minutes(n: u64) -> Duration {
        Duration { seconds: n.saturating_mul(60) }
    }
    /// `n` hours.
    pub const fn hours(n: u64) -> Duration {
        Duration { seconds: n.saturating_mul(3_600) }
    }
    /// `n` days.
    pub const fn days(n: u64) -> Duration {
        Duration { seconds: n.saturating_mul(86_400) }
    }
    /// The duration in whole seconds.
    pub const fn as_seconds(self) -> u64 {
        self.seconds
    }

    /// Seconds as a template integer (saturating; no CloudFormation property comes close).
    pub(crate) fn as_int(self) -> i64 {
        i64::try_from(self.seconds).unwrap_or(i64::MAX)
    }
}

impl std::fmt::Display for Duration {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let s = self.seconds;
        if s == u64::MAX {
            write!(f, "too long to count in seconds")
        } else if s != 0 && s.is_multiple_of(86_400) {
            write!(f, "{} days", s / 86_400)
        } else if s != 0 && s.is_multiple_of(3_600) {
            write!(f, "{} hours", s / 3_600)
        } else if s != 0 && s.is_multiple_of(60) {
            write!(f, "{} minutes", s / 60)
        } else {
            write!(f, "{s} seconds")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Duration;

    #[test]
    fn long_durations_saturate_and_say_so() {
        assert_eq!(Duration::days(u64::MAX), Duration::seconds(u64::MAX));
        assert_eq!(Duration::hours(u64::MAX / 2).to_string(), "too long to count in seconds");
        assert_eq!(Duration::minutes(3).to_string(), "3 minutes");
        assert_eq!(Duration::days(14).as_seconds(), 1_209_600);
    }
}
