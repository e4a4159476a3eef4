//! RFC 3339 timestamps, the form every E2B API gives times in; written here once.

use std::time::SystemTime;

use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// A Unix time (seconds and nanoseconds) in RFC 3339; `None` when RFC 3339 cannot express it
/// (years before 0 or after 9999).
pub fn from_unix(secs: i64, nanos: i64) -> Option<String> {
    let ts = i128::from(secs) * 1_000_000_000 + i128::from(nanos);
    OffsetDateTime::from_unix_timestamp_nanos(ts).ok()?.format(&Rfc3339).ok()
}

/// A system time in RFC 3339; empty when RFC 3339 cannot express it.
pub fn from_system(t: SystemTime) -> String {
    OffsetDateTime::from(t).format(&Rfc3339).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, UNIX_EPOCH};

    use super::*;

    #[test]
    fn unix_times_are_utc_with_the_nanoseconds_they_have() {
        assert_eq!(from_unix(0, 0).as_deref(), Some("1970-01-01T00:00:00Z"));
        assert_eq!(from_unix(1_700_000_000, 0).as_deref(), Some("2023-11-14T22:13:20Z"));
        assert_eq!(from_unix(1, 500_000_000).as_deref(), Some("1970-01-01T00:00:01.5Z"));
        assert_eq!(from_unix(-1, 0).as_deref(), Some("1969-12-31T23:59:59Z"));
    }

    #[test]
    fn times_rfc_3339_cannot_hold_are_none() {
        assert_eq!(from_unix(253_402_300_800, 0), None, "year 10000");
        assert_eq!(from_unix(i64::MAX, 0), None);
    }

    #[test]
    fn system_times_format_the_same_way() {
        assert_eq!(from_system(UNIX_EPOCH + Duration::from_millis(1_500)), "1970-01-01T00:00:01.5Z");
    }
}
