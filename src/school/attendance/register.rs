//! Taking the register: one class, one day, one lesson. The sheet lists the class's pupils,
//! each present unless the register (if already taken) says otherwise; saving it again
//! edits it. Every pupil a form names must be in the class, or nothing is saved: a forged
//! form cannot put an absence on someone else's child.

use super::*;
use crate::accounts;
use crate::school::ClassRef;
use std::collections::HashMap;

/// Which register: a class's lesson on a day, checked.
#[derive(Debug, Clone)]
pub struct Key {
    pub class: ClassId,
    pub day: Date,
    /// `HH:MM`.
    pub slot: String,
}

impl Key {
    /// From the form's fields: the day must exist and not be to come, the slot be a time.
    pub fn parse(class: ClassId, day: &str, slot: &str) -> Result<Key> {
        Ok(Key {
            class,
            day: parse_day(day)?,
            slot: parse_slot(slot)?,
        })
    }

    pub fn day_str(&self) -> String {
        when::format_date(self.day)
    }
}

/// Where one pupil stands in a register.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    Present,
    Absent,
    Late(i64),
}

/// A pupil's line on the sheet.
#[derive(Debug, Clone, Serialize)]
pub struct Line {
    pub id: UserId,
    pub name: String,
    /// `present`, `absent` or `late`.
    pub presence: &'static str,
    pub minutes_late: i64,
    /// What the office decided, for a mark already reviewed.
    pub status: Option<Status>,
    pub family_note: bool,
}

/// The register as the teacher sees it: taken already or not.
#[derive(Debug, Clone, Serialize)]
pub struct Sheet {
    pub class: ClassRef,
    pub day: String,
    pub slot: String,
    pub subject: String,
    pub register: Option<RegisterId>,
    pub taken_by: String,
    pub taken_at: Option<i64>,
    pub edited_at: Option<i64>,
    pub lines: Vec<Line>,
    pub absent: usize,
    pub late: usize,
}

fn allow(who: &Principal, class: ClassId) -> Result<crate::auth::Allowed> {
    authorize(who, &Action::TakeRegister { class }).map_err(|_| AttendanceError::Denied)
}

/// The class, checked after the policy, so that whether it exists is told only to those who
/// may take its registers.
fn class_ref(conn: &Connection, class: ClassId) -> Result<ClassRef> {
    let c = accounts::get_class(conn, class)?;
    Ok(ClassRef {
        id: c.id,
        name: c.name,
    })
}

/// The register of `key`, as it stands (everyone present if it was never taken).
pub fn open(conn: &Connection, who: &Principal, key: &Key) -> Result<Sheet> {
    allow(who, key.class)?;
    let class = class_ref(conn, key.class)?;
    let day = key.day_str();
    let taken = conn
        .prepare_cached(
            "SELECT r.id, r.subject, COALESCE(u.display_name, ''), r.taken_at, r.edited_at
             FROM registers r LEFT JOIN users u ON u.id = r.taken_by
             WHERE r.class_id = ?1 AND r.day = ?2 AND r.slot = ?3",
        )?
        .query_row(rusqlite::params![key.class, day, key.slot], |r| {
            Ok((
                r.get::<_, RegisterId>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, i64>(3)?,
                r.get::<_, Option<i64>>(4)?,
            ))
        })
        .optional()?;
    let marks: HashMap<UserId, Mark> = match &taken {
        Some((id, ..)) => super::marks(conn, "r.id = :id", &[(":id", id)])?
            .into_iter()
            .map(|m| (m.pupil_id, m))
            .collect(),
        None => HashMap::new(),
    };
    let lines: Vec<Line> = accounts::class_pupils(conn, key.class)?
        .into_iter()
        .filter(|u| !u.disabled)
        .map(|u| {
            let m = marks.get(&u.id);
            Line {
                id: u.id,
                name: u.display_name,
                presence: m.map_or("present", |m| m.kind.as_str()),
                minutes_late: m.map_or(0, |m| m.minutes_late),
                status: m.map(|m| m.status),
                family_note: m.is_some_and(|m| m.family_note.is_some()),
            }
        })
        .collect();
    let count = |p: &str| lines.iter().filter(|l| l.presence == p).count();
    let (absent, late) = (count("absent"), count("late"));
    let (register, subject, taken_by, taken_at, edited_at) = match taken {
        Some((id, subject, by, at, edited)) => (Some(id), subject, by, Some(at), edited),
        None => (None, String::new(), String::new(), None, None),
    };
    Ok(Sheet {
        class,
        day,
        slot: key.slot.clone(),
        subject,
        register,
        taken_by,
        taken_at,
        edited_at,
        lines,
        absent,
        late,
    })
}

/// Saves the register of `key`: `marks` name the pupils who were not simply present; every
/// other pupil of the class was. Naming a pupil who is not in the class, or one twice, or
/// minutes late out of range, saves nothing.
pub fn save(
    tx: &rusqlite::Transaction<'_>,
    who: &Principal,
    key: &Key,
    subject: &str,
    marks: &[(UserId, Presence)],
) -> Result<RegisterId> {
    let allowed = allow(who, key.class)?;
    class_ref(tx, key.class)?;
    let subject = crate::one_line(subject);
    if subject.chars().count() > SUBJECT_MAX {
        return Err(AttendanceError::SubjectTooLong);
    }
    // The pupils on the sheet: a disabled account's marks stay as they were.
    let pupils: Vec<UserId> = accounts::class_pupils(tx, key.class)?
        .into_iter()
        .filter(|u| !u.disabled)
        .map(|u| u.id)
        .collect();
    let mut given: HashMap<UserId, Presence> = HashMap::new();
    for (pupil, presence) in marks {
        if !pupils.contains(pupil) {
            return Err(AttendanceError::UnknownPupil);
        }
        if let Presence::Late(m) = presence
            && !(1..=MINUTES_MAX).contains(m)
        {
            return Err(AttendanceError::BadMinutes);
        }
        if given.insert(*pupil, *presence).is_some() {
            return Err(AttendanceError::BadMark);
        }
    }
    let now = crate::now();
    let id: RegisterId = tx
        .prepare_cached(
            "INSERT INTO registers (class_id, day, slot, subject, taken_by, taken_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT (class_id, day, slot) DO UPDATE SET subject = excluded.subject,
                 edited_at = excluded.taken_at
             RETURNING id",
        )?
        .query_row(
            rusqlite::params![
                key.class,
                key.day_str(),
                key.slot,
                subject,
                allowed.actor(),
                now
            ],
            |r| r.get(0),
        )?;
    let mut clear =
        tx.prepare_cached("DELETE FROM attendance_marks WHERE register_id = ?1 AND pupil_id = ?2")?;
    let mut mark = tx.prepare_cached(
        "INSERT INTO attendance_marks (register_id, pupil_id, kind, minutes_late)
         VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (register_id, pupil_id) DO UPDATE SET kind = excluded.kind,
             minutes_late = excluded.minutes_late",
    )?;
    for pupil in pupils {
        match given.get(&pupil).copied().unwrap_or(Presence::Present) {
            Presence::Present => {
                clear.execute(rusqlite::params![id, pupil])?;
            }
            Presence::Absent => {
                mark.execute(rusqlite::params![id, pupil, "absent", 0])?;
            }
            Presence::Late(m) => {
                mark.execute(rusqlite::params![id, pupil, "late", m])?;
            }
        }
    }
    Ok(id)
}

/// A register in the list of those recently taken.
#[derive(Debug, Clone, Serialize)]
pub struct Brief {
    pub id: RegisterId,
    pub class_id: ClassId,
    pub class: String,
    pub day: String,
    pub slot: String,
    pub subject: String,
    pub absent: i64,
    pub late: i64,
}

/// The latest registers of the classes `who` may take, newest lesson first.
pub fn recent(conn: &Connection, who: &Principal, limit: u32) -> Result<Vec<Brief>> {
    let classes: Vec<ClassId> = crate::school::addressable_classes(conn, who)?
        .into_iter()
        .map(|c| c.id)
        .filter(|c| allow(who, *c).is_ok())
        .collect();
    let json = serde_json::to_string(&classes.iter().map(|c| c.0).collect::<Vec<_>>())
        .unwrap_or_else(|_| "[]".into());
    let mut stmt = conn.prepare_cached(
        "SELECT r.id, r.class_id, c.name, r.day, r.slot, r.subject,
            (SELECT count(*) FROM attendance_marks m WHERE m.register_id = r.id AND m.kind = 'absent'),
            (SELECT count(*) FROM attendance_marks m WHERE m.register_id = r.id AND m.kind = 'late')
         FROM registers r JOIN classes c ON c.id = r.class_id
         WHERE r.class_id IN (SELECT value FROM json_each(?1))
         ORDER BY r.day DESC, r.slot DESC, c.name LIMIT ?2",
    )?;
    let rows = stmt.query_map(rusqlite::params![json, limit], |r| {
        Ok(Brief {
            id: r.get(0)?,
            class_id: r.get(1)?,
            class: r.get(2)?,
            day: r.get(3)?,
            slot: r.get(4)?,
            subject: r.get(5)?,
            absent: r.get(6)?,
            late: r.get(7)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
