//! Attendance: registers, absences and lateness, and what becomes of them.
//!
//! A teacher takes the register for one lesson of one class (its day and start time, the
//! `slot`) in a few taps: everyone is present unless marked absent or late, so only the marks
//! are stored (`register.rs`). The office sees every mark, records a reason and whether the
//! school accepts it (`office.rs`, audited); a parent sees their child's record and sends a
//! justification for an absence, a pupil sees their own (`family.rs`); a class's month
//! becomes a CSV summary a French spreadsheet opens as it is (`export.rs`).
//!
//! As in the rest of `school`, every function takes the asking [`Principal`] and asks
//! [`authorize`] itself. What someone may not see is [`AttendanceError::NotFound`], like what
//! does not exist: a parent probing another family's absence ids learns nothing.

pub mod export;
pub mod family;
pub mod office;
pub mod register;

use super::SchoolError;
use super::when;
use crate::auth::{Action, Principal, authorize};
use crate::ids::{ClassId, MarkId, RegisterId, UserId};
use rusqlite::{Connection, OptionalExtension};
use serde::Serialize;
use time::Date;

/// Longest subject, reason and family note, in characters.
pub const SUBJECT_MAX: usize = 80;
pub const REASON_MAX: usize = 500;
pub const NOTE_MAX: usize = 2_000;
/// The most minutes late one mark may say (a whole morning).
pub const MINUTES_MAX: i64 = 240;

#[derive(Debug, thiserror::Error)]
pub enum AttendanceError {
    #[error("not found")]
    NotFound,
    #[error("not allowed")]
    Denied,
    #[error("a date is written YYYY-MM-DD and must exist")]
    DateFormat,
    #[error("the year is out of range")]
    YearRange,
    #[error("the date is in the future")]
    FutureDate,
    #[error("a time is written HH:MM")]
    TimeFormat,
    #[error("a month is written YYYY-MM")]
    BadMonth,
    #[error("a pupil named is not in this class")]
    UnknownPupil,
    #[error("a mark is present, absent or late")]
    BadMark,
    #[error("minutes late are a whole number from 1 to 240")]
    BadMinutes,
    #[error("the subject is too long")]
    SubjectTooLong,
    #[error("the justification is empty")]
    NoteEmpty,
    #[error("the justification is too long")]
    NoteTooLong,
    #[error("the reason is too long")]
    ReasonTooLong,
    #[error("a decision is pending, justified or unjustified")]
    BadStatus,
    #[error("the office has already decided")]
    AlreadyDecided,
    #[error(transparent)]
    Db(#[from] crate::db::Error),
}

impl From<rusqlite::Error> for AttendanceError {
    fn from(e: rusqlite::Error) -> Self {
        AttendanceError::Db(e.into())
    }
}

impl From<crate::accounts::AccountError> for AttendanceError {
    fn from(e: crate::accounts::AccountError) -> Self {
        match e {
            crate::accounts::AccountError::NotFound => AttendanceError::NotFound,
            other => AttendanceError::Db(other.into()),
        }
    }
}

impl From<SchoolError> for AttendanceError {
    fn from(e: SchoolError) -> Self {
        match e {
            SchoolError::DateFormat => AttendanceError::DateFormat,
            SchoolError::YearRange => AttendanceError::YearRange,
            SchoolError::TimeFormat => AttendanceError::TimeFormat,
            SchoolError::BadMonth => AttendanceError::BadMonth,
            SchoolError::Denied => AttendanceError::Denied,
            SchoolError::Db(d) => AttendanceError::Db(d),
            _ => AttendanceError::NotFound,
        }
    }
}

/// For the dashboard's snapshot, which only passes database failures on.
impl From<AttendanceError> for crate::db::Error {
    fn from(e: AttendanceError) -> Self {
        match e {
            AttendanceError::Db(d) => d,
            other => crate::db::Error::Task(other.to_string()),
        }
    }
}

impl AttendanceError {
    /// The message a page shows for it.
    pub fn key(&self) -> &'static str {
        match self {
            AttendanceError::NotFound => "attendance.error_not_found",
            AttendanceError::Denied => "attendance.error_denied",
            AttendanceError::DateFormat => "attendance.error_date",
            AttendanceError::YearRange => "attendance.error_year",
            AttendanceError::FutureDate => "attendance.error_future",
            AttendanceError::TimeFormat => "attendance.error_time",
            AttendanceError::BadMonth => "attendance.error_month",
            AttendanceError::UnknownPupil => "attendance.error_unknown_pupil",
            AttendanceError::BadMark => "attendance.error_mark",
            AttendanceError::BadMinutes => "attendance.error_minutes",
            AttendanceError::SubjectTooLong => "attendance.error_subject_long",
            AttendanceError::NoteEmpty => "attendance.error_note_empty",
            AttendanceError::NoteTooLong => "attendance.error_note_long",
            AttendanceError::ReasonTooLong => "attendance.error_reason_long",
            AttendanceError::BadStatus => "attendance.error_status",
            AttendanceError::AlreadyDecided => "attendance.error_decided",
            AttendanceError::Db(_) => "error.internal",
        }
    }
}

pub type Result<T> = std::result::Result<T, AttendanceError>;

/// Absent for the lesson, or there but late.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Absent,
    Late,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Absent => "absent",
            Kind::Late => "late",
        }
    }

    fn parse(s: &str) -> Kind {
        if s == "late" {
            Kind::Late
        } else {
            Kind::Absent
        }
    }
}

/// What the office made of a mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Pending,
    Justified,
    Unjustified,
}

impl Status {
    pub const ALL: [Status; 3] = [Status::Pending, Status::Justified, Status::Unjustified];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pending => "pending",
            Status::Justified => "justified",
            Status::Unjustified => "unjustified",
        }
    }

    pub fn parse(s: &str) -> Result<Status> {
        Status::ALL
            .into_iter()
            .find(|k| k.as_str() == s.trim())
            .ok_or(AttendanceError::BadStatus)
    }
}

/// One absence or lateness, with its lesson and what was said about it.
#[derive(Debug, Clone, Serialize)]
pub struct Mark {
    pub id: MarkId,
    pub register_id: RegisterId,
    pub pupil_id: UserId,
    pub pupil: String,
    pub class_id: ClassId,
    pub class: String,
    /// `YYYY-MM-DD` and `HH:MM`.
    pub day: String,
    pub slot: String,
    pub subject: String,
    pub kind: Kind,
    pub minutes_late: i64,
    pub reason: String,
    pub status: Status,
    pub decided_at: Option<i64>,
    pub family_note: Option<String>,
    /// Who wrote the note (empty if their account is gone).
    pub family_by: String,
    pub family_at: Option<i64>,
}

const MARK: &str = "SELECT m.id, r.id, m.pupil_id, p.display_name, r.class_id, c.name, r.day,
        r.slot, r.subject, m.kind, m.minutes_late, m.reason, m.status, m.decided_at,
        m.family_note, COALESCE(f.display_name, ''), m.family_at
     FROM attendance_marks m JOIN registers r ON r.id = m.register_id
     JOIN users p ON p.id = m.pupil_id JOIN classes c ON c.id = r.class_id
     LEFT JOIN users f ON f.id = m.family_by";

fn mark_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Mark> {
    let kind: String = r.get(9)?;
    let status: String = r.get(12)?;
    Ok(Mark {
        id: r.get(0)?,
        register_id: r.get(1)?,
        pupil_id: r.get(2)?,
        pupil: r.get(3)?,
        class_id: r.get(4)?,
        class: r.get(5)?,
        day: r.get(6)?,
        slot: r.get(7)?,
        subject: r.get(8)?,
        kind: Kind::parse(&kind),
        minutes_late: r.get(10)?,
        reason: r.get(11)?,
        status: Status::parse(&status).unwrap_or(Status::Pending),
        decided_at: r.get(13)?,
        family_note: r.get(14)?,
        family_by: r.get(15)?,
        family_at: r.get(16)?,
    })
}

/// Marks matching `filter` (a condition on `m`, `r`), newest lesson first.
fn marks(
    conn: &Connection,
    filter: &str,
    params: &[(&str, &dyn rusqlite::ToSql)],
) -> Result<Vec<Mark>> {
    let sql = format!("{MARK} WHERE {filter} ORDER BY r.day DESC, r.slot DESC, p.display_name");
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params, mark_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// One mark, whoever asks: callers decide what to tell.
fn load_mark(conn: &Connection, id: MarkId) -> Result<Mark> {
    conn.prepare_cached(&format!("{MARK} WHERE m.id = ?1"))?
        .query_row([id], mark_row)
        .optional()?
        .ok_or(AttendanceError::NotFound)
}

/// Whether `who` may see `pupil`'s record (their classes are looked up).
fn may_view(conn: &Connection, who: &Principal, pupil: UserId) -> Result<bool> {
    let classes = crate::accounts::classes_of_pupil(conn, pupil)?;
    Ok(authorize(
        who,
        &Action::ViewAttendance {
            pupil,
            classes: &classes,
        },
    )
    .is_ok())
}

/// A register's day as typed (`YYYY-MM-DD`), within the years the school knows and not
/// after today: nobody takes the register of a lesson still to come.
pub fn parse_day(s: &str) -> Result<Date> {
    let d = when::parse_date(s)?;
    if d > when::local_date(crate::now()) {
        return Err(AttendanceError::FutureDate);
    }
    Ok(d)
}

/// A lesson's start as typed (`HH:MM`), as stored.
pub fn parse_slot(s: &str) -> Result<String> {
    let t = when::parse_time(s)?;
    Ok(format!("{:02}:{:02}", t.hour(), t.minute()))
}

/// Text typed into a box: control characters but line breaks dropped, trimmed, at most
/// `max` characters (`too_long` otherwise).
fn clean_text(s: &str, max: usize, too_long: AttendanceError) -> Result<String> {
    let t: String = s
        .replace("\r\n", "\n")
        .chars()
        .filter(|c| *c == '\n' || !c.is_control())
        .collect();
    let t = t.trim().to_owned();
    if t.chars().count() > max {
        return Err(too_long);
    }
    Ok(t)
}
