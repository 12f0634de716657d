//! iCalendar (RFC 5545), written by hand: the few properties a school's events need, and the
//! three rules calendars are strict about, each tested below. Lines end in CRLF; a line
//! longer than 75 octets is folded (CRLF and one space), never inside a UTF-8 character;
//! in text values `\`, `;`, `,` and line breaks are escaped.
//!
//! Pure bytes in, bytes out: no database, no HTTP. `agenda` turns events into [`VEvent`]s.

use std::fmt::Write;
use time::{Date, OffsetDateTime};

/// The longest line, in octets, before folding (RFC 5545 §3.1).
const LINE_MAX: usize = 75;

/// When an event starts or ends: an instant (written in UTC) or a whole day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IcsTime {
    Utc(i64),
    Date(Date),
}

/// One event.
#[derive(Debug, Clone)]
pub struct VEvent {
    /// Unique for ever: `event-12@school.example`.
    pub uid: String,
    pub created: i64,
    pub last_modified: i64,
    /// Bumped at each change, so that calendars replace their copy.
    pub sequence: i64,
    pub start: IcsTime,
    /// Left out when the event is a moment.
    pub end: Option<IcsTime>,
    pub summary: String,
    pub location: String,
    pub description: String,
    pub categories: Vec<String>,
    pub url: Option<String>,
}

/// A calendar: one event (an `.ics` download) or a person's whole feed.
#[derive(Debug, Clone)]
pub struct Calendar {
    /// Shown by calendars that name subscriptions (`X-WR-CALNAME`).
    pub name: String,
    /// When this copy was made (every event's `DTSTAMP`, as `METHOD:PUBLISH` wants).
    pub stamp: i64,
    pub events: Vec<VEvent>,
}

/// Escapes a TEXT value: backslash, semicolon, comma, and line breaks as `\n`. Other
/// control characters, which TEXT may not hold, are dropped; tabs stay.
pub fn escape(s: &str) -> String {
    let s = s.replace("\r\n", "\n").replace('\r', "\n");
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push('\t'),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Folds one content line into lines of at most 75 octets (the continuation's leading space
/// counts), each ended by CRLF, cutting only between characters.
pub fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + line.len() / 64 * 3 + 2);
    let mut used = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        if used + n > LINE_MAX {
            out.push_str("\r\n ");
            used = 1;
        }
        out.push(c);
        used += n;
    }
    out.push_str("\r\n");
    out
}

/// `20260504T060000Z`.
fn utc(ts: i64) -> String {
    let t = OffsetDateTime::from_unix_timestamp(ts).unwrap_or(OffsetDateTime::UNIX_EPOCH);
    format!(
        "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// `20260504`.
fn day(d: Date) -> String {
    format!("{:04}{:02}{:02}", d.year(), u8::from(d.month()), d.day())
}

/// `DTSTART:…Z` or `DTSTART;VALUE=DATE:…`.
fn time_property(name: &str, t: IcsTime) -> String {
    match t {
        IcsTime::Utc(ts) => format!("{name}:{}", utc(ts)),
        IcsTime::Date(d) => format!("{name};VALUE=DATE:{}", day(d)),
    }
}

impl Calendar {
    /// The calendar as an iCalendar object, ready to send as `text/calendar`.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let mut line = |l: String| out.push_str(&fold(&l));
        line("BEGIN:VCALENDAR".into());
        line("VERSION:2.0".into());
        line("PRODID:-//Cartable//Agenda//FR".into());
        line("CALSCALE:GREGORIAN".into());
        line("METHOD:PUBLISH".into());
        line(format!("X-WR-CALNAME:{}", escape(&self.name)));
        // Subscribed calendars look again every hour or so.
        line("REFRESH-INTERVAL;VALUE=DURATION:PT1H".into());
        line("X-PUBLISHED-TTL:PT1H".into());
        for e in &self.events {
            line("BEGIN:VEVENT".into());
            line(format!("UID:{}", escape(&e.uid)));
            line(format!("DTSTAMP:{}", utc(self.stamp)));
            line(format!("CREATED:{}", utc(e.created)));
            line(format!("LAST-MODIFIED:{}", utc(e.last_modified)));
            line(format!("SEQUENCE:{}", e.sequence.max(0)));
            line(time_property("DTSTART", e.start));
            if let Some(end) = e.end {
                line(time_property("DTEND", end));
            }
            line(format!("SUMMARY:{}", escape(&e.summary)));
            if !e.location.trim().is_empty() {
                line(format!("LOCATION:{}", escape(&e.location)));
            }
            if !e.description.trim().is_empty() {
                line(format!("DESCRIPTION:{}", escape(&e.description)));
            }
            if !e.categories.is_empty() {
                let mut cats = String::new();
                for (i, c) in e.categories.iter().enumerate() {
                    if i > 0 {
                        cats.push(',');
                    }
                    let _ = write!(cats, "{}", escape(c));
                }
                line(format!("CATEGORIES:{cats}"));
            }
            if let Some(url) = &e.url {
                line(format!("URL:{url}"));
            }
            line("TRANSP:OPAQUE".into());
            line("END:VEVENT".into());
        }
        line("END:VCALENDAR".into());
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn text_is_escaped() {
        assert_eq!(
            escape("Sortie; musée, bus\\car\nretour 17 h"),
            "Sortie\\; musée\\, bus\\\\car\\nretour 17 h"
        );
        assert_eq!(escape("a\r\nb\rc"), "a\\nb\\nc");
        assert_eq!(escape("bell\u{7}\ttab"), "bell\ttab");
    }

    #[test]
    fn long_lines_fold_at_75_octets_between_characters() {
        let short = "SUMMARY:Conseil de classe";
        assert_eq!(fold(short), format!("{short}\r\n"));
        let exact = format!("SUMMARY:{}", "x".repeat(75 - 8));
        assert_eq!(fold(&exact), format!("{exact}\r\n"), "75 octets fit");
        let long = format!("DESCRIPTION:{}", "é".repeat(100));
        let folded = fold(&long);
        assert!(folded.ends_with("\r\n"));
        let lines: Vec<&str> = folded.trim_end_matches("\r\n").split("\r\n").collect();
        assert!(lines.len() > 2);
        for (i, l) in lines.iter().enumerate() {
            assert!(l.len() <= 75, "line {i} has {} octets", l.len());
            if i > 0 {
                assert!(l.starts_with(' ') && !l.starts_with("  "), "{l:?}");
            }
        }
        // Unfolding gives the line back, every "é" whole.
        let unfolded: String = folded.trim_end_matches("\r\n").replace("\r\n ", "");
        assert_eq!(unfolded, long);
        // A four-octet character right at the edge moves whole to the next line.
        let edge = format!("SUMMARY:{}🎒", "x".repeat(65));
        let folded = fold(&edge);
        assert_eq!(folded, format!("SUMMARY:{}\r\n 🎒\r\n", "x".repeat(65)));
    }

    #[test]
    fn a_calendar_with_a_timed_and_an_all_day_event() {
        let cal = Calendar {
            name: "Collège, Dakar".into(),
            stamp: 1_777_852_800,
            events: vec![
                VEvent {
                    uid: "event-1@ecole.example".into(),
                    created: 1_777_852_800,
                    last_modified: 1_777_852_800,
                    sequence: 2,
                    start: IcsTime::Utc(1_777_881_600),
                    end: Some(IcsTime::Utc(1_777_896_000)),
                    summary: "Brevet blanc: maths".into(),
                    location: "Salle 12, bâtiment B".into(),
                    description: "Calculatrice autorisée.\nApporter une règle.".into(),
                    categories: vec!["Examen".into()],
                    url: Some("https://ecole.example/agenda/1".into()),
                },
                VEvent {
                    uid: "event-2@ecole.example".into(),
                    created: 1_777_852_800,
                    last_modified: 1_777_852_800,
                    sequence: 0,
                    start: IcsTime::Date(date!(2026 - 05 - 04)),
                    end: Some(IcsTime::Date(date!(2026 - 05 - 07))),
                    summary: "Voyage".into(),
                    location: String::new(),
                    description: String::new(),
                    categories: vec![],
                    url: None,
                },
            ],
        };
        let text = cal.render();
        assert!(text.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
        assert!(text.ends_with("END:VCALENDAR\r\n"));
        assert!(
            !text.replace("\r\n", "").contains('\n'),
            "only CRLF line ends"
        );
        for want in [
            "X-WR-CALNAME:Collège\\, Dakar\r\n",
            "UID:event-1@ecole.example\r\n",
            "DTSTAMP:20260504T000000Z\r\n",
            "DTSTART:20260504T080000Z\r\n",
            "DTEND:20260504T120000Z\r\n",
            "SUMMARY:Brevet blanc: maths\r\n",
            "LOCATION:Salle 12\\, bâtiment B\r\n",
            "DESCRIPTION:Calculatrice autorisée.\\nApporter une règle.\r\n",
            "CATEGORIES:Examen\r\n",
            "SEQUENCE:2\r\n",
            "DTSTART;VALUE=DATE:20260504\r\n",
            "DTEND;VALUE=DATE:20260507\r\n",
        ] {
            assert!(text.contains(want), "{want:?} in\n{text}");
        }
        assert_eq!(text.matches("BEGIN:VEVENT").count(), 2);
        assert!(!text.contains("LOCATION:\r\n"), "no empty properties");
    }
}
