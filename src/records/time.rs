//! Times in records: milliseconds since the Unix epoch in the database, RFC 3339 timestamps and
//! ISO 8601 durations in exports (as xAPI requires), dates for people.

use std::time::{SystemTime, UNIX_EPOCH};

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// Milliseconds since the Unix epoch, now.
pub fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

fn datetime(ms: u64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

/// `2026-11-23T09:41:07.250Z`: RFC 3339, UTC, milliseconds.
pub fn rfc3339(ms: u64) -> String {
    let t = datetime(ms);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        t.millisecond()
    )
}

/// `2026-11-23` (UTC).
pub fn date(ms: u64) -> String {
    rfc3339(ms)[..10].to_string()
}

/// An ISO 8601 duration as xAPI uses it: `PT1M5.25S`, `PT0S`.
pub fn iso_duration(ms: u64) -> String {
    let (h, rest) = (ms / 3_600_000, ms % 3_600_000);
    let (m, rest) = (rest / 60_000, rest % 60_000);
    let (s, frac) = (rest / 1000, rest % 1000);
    let mut out = String::from("PT");
    if h > 0 {
        out += &format!("{h}H");
    }
    if m > 0 {
        out += &format!("{m}M");
    }
    if frac > 0 {
        let f = format!("{frac:03}");
        out += &format!("{s}.{}S", f.trim_end_matches('0'));
    } else if s > 0 || (h == 0 && m == 0) {
        out += &format!("{s}S");
    }
    out
}

/// Parses `2026-11-23` (start of that day, UTC) or a full RFC 3339 timestamp into milliseconds.
pub fn parse(s: &str) -> Result<u64, String> {
    let s = s.trim();
    let full = if s.len() == 10 {
        format!("{s}T00:00:00Z")
    } else {
        s.to_string()
    };
    let t = OffsetDateTime::parse(&full, &Rfc3339)
        .map_err(|e| format!("`{s}` is not a date (YYYY-MM-DD) or RFC 3339 time: {e}"))?;
    let ms = t.unix_timestamp_nanos() / 1_000_000;
    u64::try_from(ms).map_err(|_| format!("`{s}` is before 1970"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_rfc3339_utc_with_milliseconds() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(rfc3339(951_782_400_250), "2000-02-29T00:00:00.250Z");
        assert_eq!(date(1_795_000_000_000), "2026-11-18");
        assert_eq!(parse("2000-02-29").unwrap(), 951_782_400_000);
        assert_eq!(parse("2000-02-29T00:00:00.250Z").unwrap(), 951_782_400_250);
        assert!(parse("29-02-2000").unwrap_err().contains("not a date"));
    }

    #[test]
    fn durations_are_iso8601() {
        assert_eq!(iso_duration(0), "PT0S");
        assert_eq!(iso_duration(1_500), "PT1.5S");
        assert_eq!(iso_duration(65_250), "PT1M5.25S");
        assert_eq!(iso_duration(3_600_000), "PT1H");
        assert_eq!(iso_duration(3_601_007), "PT1H1.007S");
    }
}
