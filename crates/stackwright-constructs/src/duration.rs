//! Durations for properties CloudFormation takes in seconds.

/// A length of time. Converted to whole seconds when rendered.
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
        Duration { seconds: n * 60 }
    }
    /// `n` hours.
    pub const fn hours(n: u64) -> Duration {
        Duration { seconds: n * 3_600 }
    }
    /// `n` days.
    pub const fn days(n: u64) -> Duration {
        Duration { seconds: n * 86_400 }
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
        if s != 0 && s % 86_400 == 0 {
            write!(f, "{} days", s / 86_400)
        } else if s != 0 && s % 3_600 == 0 {
            write!(f, "{} hours", s / 3_600)
        } else if s != 0 && s % 60 == 0 {
            write!(f, "{} minutes", s / 60)
        } else {
            write!(f, "{s} seconds")
        }
    }
}
