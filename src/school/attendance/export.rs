//! A class's month, pupil by pupil, as a CSV file that a French spreadsheet (LibreOffice or
//! Excel set to French) opens as it is: UTF-8 with a byte-order mark (or Excel guesses the
//! encoding and breaks the accents), `;` between cells (the comma is the decimal mark
//! there), CRLF line ends, dates as `dd/mm/yyyy`. Cells that a spreadsheet would take for a
//! formula (starting with `=`, `+`, `-`, `@`, a tab or a carriage return) get a leading `'`:
//! a pupil's name must never run as a formula on the office's computer.
//!
//! Absences are counted in lessons and in half-days (a lesson starting before noon is in the
//! morning); the counts need no decimals.

use super::*;
use std::collections::BTreeMap;
use time::Month;

/// One pupil's month.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Line {
    pub pupil: String,
    /// Lessons missed.
    pub absences: i64,
    /// Distinct half-days with at least one lesson missed.
    pub half_days: i64,
    pub justified: i64,
    pub unjustified: i64,
    pub pending: i64,
    pub late: i64,
    pub minutes_late: i64,
    /// `YYYY-MM-DD`.
    pub last_absence: Option<String>,
}

/// A class's month.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub class: String,
    pub year: i32,
    pub month: u8,
    pub lines: Vec<Line>,
}

/// The summary of `class` for a month, for the office and the class's teachers, in the
/// class list's order (last names). Pupils who left the class during the month keep their
/// line, after the others.
pub fn summary(
    conn: &Connection,
    who: &Principal,
    class: ClassId,
    year: i32,
    month: Month,
) -> Result<Summary> {
    authorize(who, &Action::ExportAttendance { class }).map_err(|_| AttendanceError::Denied)?;
    let name = crate::accounts::get_class(conn, class)?.name;
    let first = Date::from_calendar_date(year, month, 1).map_err(|_| AttendanceError::BadMonth)?;
    let last = Date::from_calendar_date(year, month, month.length(year))
        .map_err(|_| AttendanceError::BadMonth)?;
    let mut lines: BTreeMap<UserId, Line> = BTreeMap::new();
    let mut order: Vec<UserId> = Vec::new();
    for pupil in crate::accounts::class_pupils(conn, class)? {
        order.push(pupil.id);
        lines.insert(
            pupil.id,
            Line {
                pupil: pupil.display_name,
                ..Line::default()
            },
        );
    }
    let mut stmt = conn.prepare_cached(
        "SELECT m.pupil_id, u.display_name, m.kind, m.minutes_late, m.status, r.day, r.slot
         FROM attendance_marks m JOIN registers r ON r.id = m.register_id
         JOIN users u ON u.id = m.pupil_id
         WHERE r.class_id = ?1 AND r.day BETWEEN ?2 AND ?3
         ORDER BY r.day, r.slot",
    )?;
    let rows = stmt.query_map(
        rusqlite::params![class, when::format_date(first), when::format_date(last)],
        |r| {
            Ok((
                r.get::<_, UserId>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, i64>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, String>(6)?,
            ))
        },
    )?;
    let mut halves: BTreeMap<UserId, std::collections::BTreeSet<(String, bool)>> = BTreeMap::new();
    for row in rows {
        let (pupil, name, kind, minutes, status, day, slot) = row?;
        let line = lines.entry(pupil).or_insert_with(|| Line {
            pupil: name,
            ..Line::default()
        });
        if Kind::parse(&kind) == Kind::Late {
            line.late += 1;
            line.minutes_late += minutes;
            continue;
        }
        line.absences += 1;
        match Status::parse(&status).unwrap_or(Status::Pending) {
            Status::Justified => line.justified += 1,
            Status::Unjustified => line.unjustified += 1,
            Status::Pending => line.pending += 1,
        }
        halves
            .entry(pupil)
            .or_default()
            .insert((day.clone(), slot.as_str() < "12:00"));
        line.last_absence = Some(day);
    }
    for (pupil, set) in halves {
        if let Some(line) = lines.get_mut(&pupil) {
            line.half_days = set.len() as i64;
        }
    }
    let mut left: Vec<Line> = lines
        .iter()
        .filter(|(id, _)| !order.contains(id))
        .map(|(_, l)| l.clone())
        .collect();
    left.sort_by(|a, b| a.pupil.cmp(&b.pupil));
    let lines: Vec<Line> = order
        .iter()
        .filter_map(|id| lines.remove(id))
        .chain(left)
        .collect();
    Ok(Summary {
        class: name,
        year,
        month: u8::from(month),
        lines,
    })
}

/// `2026-05-04` as `04/05/2026`; anything else as it is.
pub fn french_date(day: &str) -> String {
    match when::parse_date(day) {
        Ok(d) => format!("{:02}/{:02}/{:04}", d.day(), u8::from(d.month()), d.year()),
        Err(_) => day.to_owned(),
    }
}

/// A text cell a spreadsheet will not run as a formula.
pub fn text_cell(s: &str) -> String {
    match s.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{s}"),
        _ => s.to_owned(),
    }
}

/// The summary as CSV bytes, with `headers` (ten, in the reader's language) on the first
/// line.
pub fn to_csv(summary: &Summary, headers: &[String]) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::with_capacity(4096);
    out.extend_from_slice("\u{feff}".as_bytes());
    let mut w = csv::WriterBuilder::new()
        .delimiter(b';')
        .terminator(csv::Terminator::CRLF)
        .quote_style(csv::QuoteStyle::Necessary)
        .from_writer(out);
    let io = |e: csv::Error| std::io::Error::other(e.to_string());
    w.write_record(headers.iter().map(|h| text_cell(h)))
        .map_err(io)?;
    for l in &summary.lines {
        let n = |v: i64| v.to_string();
        w.write_record([
            text_cell(&summary.class),
            text_cell(&l.pupil),
            n(l.absences),
            n(l.half_days),
            n(l.justified),
            n(l.unjustified),
            n(l.pending),
            n(l.late),
            n(l.minutes_late),
            l.last_absence
                .as_deref()
                .map(french_date)
                .unwrap_or_default(),
        ])
        .map_err(io)?;
    }
    w.into_inner()
        .map_err(|e| std::io::Error::other(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_french_spreadsheet_reads_it_as_it_is() {
        let summary = Summary {
            class: "6e A".into(),
            year: 2026,
            month: 5,
            lines: vec![
                Line {
                    pupil: "Aïssata N'Diaye; \"Awa\"".into(),
                    absences: 3,
                    half_days: 2,
                    justified: 1,
                    unjustified: 1,
                    pending: 1,
                    late: 1,
                    minutes_late: 10,
                    last_absence: Some("2026-05-04".into()),
                },
                Line {
                    pupil: "=HYPERLINK(\"http://x\")".into(),
                    ..Line::default()
                },
            ],
        };
        let headers: Vec<String> = (1..=10).map(|n| format!("h{n}")).collect();
        let bytes = to_csv(&summary, &headers).unwrap();
        assert!(bytes.starts_with(&[0xEF, 0xBB, 0xBF]), "a byte-order mark");
        let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
        let lines: Vec<&str> = text.split("\r\n").collect();
        assert_eq!(
            lines.len(),
            4,
            "three records, each ended by CRLF: {text:?}"
        );
        assert_eq!(lines[0], "h1;h2;h3;h4;h5;h6;h7;h8;h9;h10");
        assert_eq!(
            lines[1],
            "6e A;\"Aïssata N'Diaye; \"\"Awa\"\"\";3;2;1;1;1;1;10;04/05/2026"
        );
        assert!(lines[2].starts_with("6e A;\"'=HYPERLINK(\"\"http://x\"\")\";0;"));
        assert_eq!(lines[3], "");
        assert_eq!(text_cell("-1"), "'-1");
        assert_eq!(text_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(text_cell("+33"), "'+33");
        assert_eq!(text_cell("Awa"), "Awa");
        assert_eq!(french_date("2026-12-01"), "01/12/2026");
    }
}
