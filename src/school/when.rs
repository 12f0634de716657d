//! When an event happens, as typed in a form and as stored: days and times in the school's
//! local time (`crate::clock`) in, Unix seconds out, with the refusals a person can act on
//! (a date that is not one, a year far out of range, an end before the start).
//!
//! Forms send what `<input type="date">` and `<input type="time">` send (`2026-05-04`,
//! `08:30`); older browsers show plain text fields, so people type these by hand too, and a
//! typo must come back as a clear message rather than as an event in the year 20266.

use super::{Result, SchoolError};
use time::{Date, Month, Time};

/// The first and last years an event may touch: typos far out, no real school event.
pub const YEAR_MIN: i32 = 2000;
pub const YEAR_MAX: i32 = 2099;
/// The longest event, in days (a school year's trip or exam session fits).
pub const MAX_DAYS: i64 = 366;

/// When an event happens, checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    /// Whole days, from `first` to `last` inclusive.
    AllDay { first: Date, last: Date },
    /// From `start` to `end` (Unix seconds; `end == start` when no end was given).
    Timed { start: i64, end: i64 },
}

impl When {
    /// The start, in Unix seconds (an all-day event's local midnight).
    pub fn starts_at(&self) -> i64 {
        match self {
            When::AllDay { first, .. } => local_midnight(*first),
            When::Timed { start, .. } => *start,
        }
    }

    /// The end, in Unix seconds: an all-day event ends at the midnight after its last day.
    pub fn ends_at(&self) -> i64 {
        match self {
            When::AllDay { last, .. } => local_midnight(last.next_day().unwrap_or(*last)),
            When::Timed { end, .. } => *end,
        }
    }
}

/// The fields of the event form that say when.
#[derive(Debug, Clone, Default)]
pub struct WhenForm {
    pub all_day: bool,
    pub start_date: String,
    pub start_time: String,
    pub end_date: String,
    pub end_time: String,
}

/// Parses a day typed as `YYYY-MM-DD`.
pub fn parse_date(s: &str) -> Result<Date> {
    let parts: Vec<&str> = s.trim().split('-').collect();
    let digits = |p: &str, max: usize| {
        !p.is_empty() && p.len() <= max && p.bytes().all(|b| b.is_ascii_digit())
    };
    let [y, m, d] = parts[..] else {
        return Err(SchoolError::DateFormat);
    };
    if !(digits(y, 9) && digits(m, 2) && digits(d, 2)) {
        return Err(SchoolError::DateFormat);
    }
    let year: i32 = y.parse().map_err(|_| SchoolError::YearRange)?;
    if !(YEAR_MIN..=YEAR_MAX).contains(&year) {
        return Err(SchoolError::YearRange);
    }
    let month: u8 = m.parse().map_err(|_| SchoolError::DateFormat)?;
    let month = Month::try_from(month).map_err(|_| SchoolError::DateFormat)?;
    let day: u8 = d.parse().map_err(|_| SchoolError::DateFormat)?;
    Date::from_calendar_date(year, month, day).map_err(|_| SchoolError::DateFormat)
}

/// Parses a time of day typed as `HH:MM` (seconds, as some browsers add them, ignored).
pub fn parse_time(s: &str) -> Result<Time> {
    let parts: Vec<&str> = s.trim().split(':').collect();
    let two = |p: &str| (1..=2).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit());
    let (h, m) = match parts[..] {
        [h, m] | [h, m, _] if two(h) && two(m) => (h, m),
        _ => return Err(SchoolError::TimeFormat),
    };
    let (h, m): (u8, u8) = (
        h.parse().map_err(|_| SchoolError::TimeFormat)?,
        m.parse().map_err(|_| SchoolError::TimeFormat)?,
    );
    Time::from_hms(h, m, 0).map_err(|_| SchoolError::TimeFormat)
}

/// The Unix time of a local date and time in the school's zone.
pub fn local_time(date: Date, time: Time) -> i64 {
    time::PrimitiveDateTime::new(date, time)
        .assume_offset(crate::clock::offset())
        .unix_timestamp()
}

/// The Unix time of a day's local midnight.
pub fn local_midnight(date: Date) -> i64 {
    local_time(date, Time::MIDNIGHT)
}

/// The school's local date of a Unix time.
pub fn local_date(ts: i64) -> Date {
    crate::clock::local(ts)
        .map(|t| t.date())
        .unwrap_or(Date::MIN)
}

/// Checks the form's fields. An end date left empty is the start date; an end time left
/// empty makes a moment rather than a span.
pub fn parse_when(f: &WhenForm) -> Result<When> {
    let first = parse_date(&f.start_date)?;
    let last = match f.end_date.trim() {
        "" => first,
        s => parse_date(s)?,
    };
    let when = if f.all_day {
        if last < first {
            return Err(SchoolError::EndBeforeStart);
        }
        When::AllDay { first, last }
    } else {
        let start = local_time(first, parse_time(&f.start_time)?);
        let end = match f.end_time.trim() {
            "" if f.end_date.trim().is_empty() => start,
            "" => return Err(SchoolError::TimeFormat),
            s => local_time(last, parse_time(s)?),
        };
        if end < start {
            return Err(SchoolError::EndBeforeStart);
        }
        When::Timed { start, end }
    };
    if when.ends_at() - when.starts_at() > MAX_DAYS * 86_400 {
        return Err(SchoolError::TooLong);
    }
    Ok(when)
}

/// The form's fields for an event already saved (to edit it).
pub fn form_of(when: &When) -> WhenForm {
    let day = |d: Date| format_date(d);
    let hm = |ts: i64| {
        crate::clock::local(ts)
            .and_then(|t| {
                t.format(time::macros::format_description!("[hour]:[minute]"))
                    .ok()
            })
            .unwrap_or_default()
    };
    match *when {
        When::AllDay { first, last } => WhenForm {
            all_day: true,
            start_date: day(first),
            end_date: if last == first {
                String::new()
            } else {
                day(last)
            },
            ..WhenForm::default()
        },
        When::Timed { start, end } => WhenForm {
            all_day: false,
            start_date: day(local_date(start)),
            start_time: hm(start),
            end_date: if end == start {
                String::new()
            } else {
                day(local_date(end))
            },
            end_time: if end == start { String::new() } else { hm(end) },
        },
    }
}

/// `2026-05-04`.
pub fn format_date(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

/// Parses a month as the agenda's address carries it: `2026-05`.
pub fn parse_month(s: &str) -> Result<(i32, Month)> {
    let (y, m) = s.trim().split_once('-').ok_or(SchoolError::BadMonth)?;
    let digits = |p: &str, n: std::ops::RangeInclusive<usize>| {
        n.contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit())
    };
    if !(digits(y, 4..=4) && digits(m, 1..=2)) {
        return Err(SchoolError::BadMonth);
    }
    let year: i32 = y.parse().map_err(|_| SchoolError::BadMonth)?;
    if !(YEAR_MIN..=YEAR_MAX).contains(&year) {
        return Err(SchoolError::YearRange);
    }
    let month = m
        .parse::<u8>()
        .ok()
        .and_then(|m| Month::try_from(m).ok())
        .ok_or(SchoolError::BadMonth)?;
    Ok((year, month))
}

/// The weeks (Monday to Sunday) a month's table shows: from the Monday on or before its
/// first day to the Sunday on or after its last.
pub fn month_grid(year: i32, month: Month) -> Vec<[Date; 7]> {
    let Ok(first) = Date::from_calendar_date(year, month, 1) else {
        return Vec::new();
    };
    let mut day = first;
    while day.weekday() != time::Weekday::Monday {
        day = day.previous_day().unwrap_or(day);
    }
    let mut weeks = Vec::new();
    loop {
        let mut week = [day; 7];
        for slot in week.iter_mut() {
            *slot = day;
            day = day.next_day().unwrap_or(day);
        }
        weeks.push(week);
        if day.month() != month || weeks.len() >= 6 {
            break;
        }
    }
    weeks
}

/// The month before and after (`(year, month)`).
pub fn neighbours(year: i32, month: Month) -> ((i32, Month), (i32, Month)) {
    let prev = if month == Month::January {
        (year - 1, Month::December)
    } else {
        (year, month.previous())
    };
    let next = if month == Month::December {
        (year + 1, Month::January)
    } else {
        (year, month.next())
    };
    (prev, next)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn form(all_day: bool, sd: &str, st: &str, ed: &str, et: &str) -> WhenForm {
        WhenForm {
            all_day,
            start_date: sd.into(),
            start_time: st.into(),
            end_date: ed.into(),
            end_time: et.into(),
        }
    }

    #[test]
    fn dates_typed_by_hand() {
        assert_eq!(parse_date("2026-05-04").unwrap(), date!(2026 - 05 - 04));
        assert_eq!(parse_date(" 2026-5-4 ").unwrap(), date!(2026 - 05 - 04));
        for bad in [
            "",
            "04/05/2026",
            "2026-05",
            "2026-13-01",
            "2026-02-30",
            "2026-05-04T08:00",
            "x-y-z",
        ] {
            assert!(
                matches!(parse_date(bad), Err(SchoolError::DateFormat)),
                "{bad}"
            );
        }
        for far in [
            "1999-12-31",
            "2100-01-01",
            "20266-05-04",
            "0026-05-04",
            "999999999-01-01",
        ] {
            assert!(
                matches!(parse_date(far), Err(SchoolError::YearRange)),
                "{far}"
            );
        }
        assert_eq!(
            parse_time("08:30").unwrap(),
            Time::from_hms(8, 30, 0).unwrap()
        );
        assert_eq!(
            parse_time("8:05:59").unwrap(),
            Time::from_hms(8, 5, 0).unwrap()
        );
        for bad in ["", "24:00", "12:60", "8h30", "0830", "-1:00"] {
            assert!(
                matches!(parse_time(bad), Err(SchoolError::TimeFormat)),
                "{bad}"
            );
        }
    }

    #[test]
    fn spans_and_their_refusals() {
        let w = parse_when(&form(false, "2026-05-04", "08:00", "", "12:00")).unwrap();
        assert_eq!(w.ends_at() - w.starts_at(), 4 * 3600);
        let moment = parse_when(&form(false, "2026-05-04", "08:00", "", "")).unwrap();
        assert_eq!(moment.ends_at(), moment.starts_at());
        let days = parse_when(&form(true, "2026-05-04", "", "2026-05-06", "")).unwrap();
        assert_eq!(days.ends_at() - days.starts_at(), 3 * 86_400);
        assert!(matches!(
            parse_when(&form(false, "2026-05-04", "10:00", "", "09:00")),
            Err(SchoolError::EndBeforeStart)
        ));
        assert!(matches!(
            parse_when(&form(true, "2026-05-04", "", "2026-05-03", "")),
            Err(SchoolError::EndBeforeStart)
        ));
        assert!(matches!(
            parse_when(&form(false, "2026-05-04", "", "", "")),
            Err(SchoolError::TimeFormat)
        ));
        assert!(matches!(
            parse_when(&form(true, "2026-01-01", "", "2028-01-01", "")),
            Err(SchoolError::TooLong)
        ));
        // Back to the form as it was typed.
        let f = form_of(&w);
        assert_eq!(
            (f.start_date.as_str(), f.start_time.as_str()),
            ("2026-05-04", "08:00")
        );
        assert_eq!(
            (f.end_date.as_str(), f.end_time.as_str()),
            ("2026-05-04", "12:00")
        );
        assert_eq!(form_of(&days).end_date, "2026-05-06");
    }

    #[test]
    fn months() {
        assert_eq!(parse_month("2026-05").unwrap(), (2026, Month::May));
        assert!(matches!(parse_month("2026-13"), Err(SchoolError::BadMonth)));
        assert!(matches!(
            parse_month("May 2026"),
            Err(SchoolError::BadMonth)
        ));
        assert!(matches!(
            parse_month("1900-01"),
            Err(SchoolError::YearRange)
        ));
        // May 2026 starts on a Friday and ends on a Sunday: five weeks, Monday first.
        let grid = month_grid(2026, Month::May);
        assert_eq!(grid.len(), 5);
        assert_eq!(grid[0][0], date!(2026 - 04 - 27));
        assert_eq!(grid[4][6], date!(2026 - 05 - 31));
        assert_eq!(
            neighbours(2026, Month::January),
            ((2025, Month::December), (2026, Month::February))
        );
    }
}
