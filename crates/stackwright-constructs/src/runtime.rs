//! Warnings about Lambda runtimes AWS has deprecated, from the lifecycle table generated out
//! of cfn-lint's data, checked against today's date as cfn-lint checks it.

use std::time::{SystemTime, UNIX_EPOCH};

use stackwright_aws::runtimes;

/// A warning when `runtime` is deprecated today, naming its successor.
pub(crate) fn deprecation_warning(runtime: &str) -> Option<String> {
    deprecation_warning_on(runtime, &today())
}

/// The same for a given date (`YYYY-MM-DD`), so tests do not depend on the clock.
pub(crate) fn deprecation_warning_on(runtime: &str, today: &str) -> Option<String> {
    let life = runtimes::lifecycle(runtime)?;
    if life.deprecated > today {
        return None;
    }
    let successor = life.successor.map(|s| format!("; move to `{s}`")).unwrap_or_default();
    let blocked = life
        .create_blocked
        .map(|d| format!(", and creating functions with it stops working on {d}"))
        .unwrap_or_default();
    Some(format!("runtime `{runtime}` was deprecated on {}{blocked}{successor}", life.deprecated))
}

/// Today's date in UTC as `YYYY-MM-DD`.
fn today() -> String {
    let secs = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    let (y, m, d) = civil_from_days((secs / 86_400) as i64);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_convert() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(20_418), (2025, 11, 26));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
    }

    #[test]
    fn deprecated_runtimes_are_named_with_their_successor() {
        assert_eq!(
            deprecation_warning_on("nodejs18.x", "2026-11-26").as_deref(),
            Some(
                "runtime `nodejs18.x` was deprecated on 2025-09-01, and creating functions with it \
                 stops working on 2027-02-01; move to `nodejs24.x`"
            )
        );
        assert_eq!(deprecation_warning_on("nodejs24.x", "2026-11-26"), None);
        assert_eq!(deprecation_warning_on("unknown", "2026-11-26"), None);
    }
}
