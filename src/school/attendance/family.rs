//! The family's side: a pupil's record of absences and lateness, for the pupil, their
//! parents, their teachers and the office; and a parent's justification of one absence.
//!
//! Whoever may not see a pupil's record gets `NotFound` for it and for each of its marks,
//! exactly as for ids that do not exist: a parent trying ids learns nothing.

use super::*;

/// The most marks a record lists.
pub const RECORD_MAX: u32 = 500;

/// A mark as the family sees it, with what they may do.
#[derive(Debug, Clone, Serialize)]
pub struct FamilyMark {
    #[serde(flatten)]
    pub mark: Mark,
    pub can_justify: bool,
}

/// A pupil's record, newest first, with its totals.
#[derive(Debug, Clone, Serialize)]
pub struct Record {
    pub pupil: UserId,
    pub marks: Vec<FamilyMark>,
    pub absences: usize,
    pub late: usize,
    pub minutes_late: i64,
    /// Absences the school has not accepted yet (pending or unjustified).
    pub not_justified: usize,
}

fn may_justify(who: &Principal, m: &Mark) -> bool {
    m.status == Status::Pending
        && authorize(who, &Action::JustifyAbsence { pupil: m.pupil_id }).is_ok()
}

/// `pupil`'s record, if `who` may see it.
pub fn record(conn: &Connection, who: &Principal, pupil: UserId) -> Result<Record> {
    if !may_view(conn, who, pupil)? {
        return Err(AttendanceError::NotFound);
    }
    let mut marks = super::marks(conn, "m.pupil_id = :pupil", &[(":pupil", &pupil)])?;
    marks.truncate(RECORD_MAX as usize);
    let absent: Vec<&Mark> = marks.iter().filter(|m| m.kind == Kind::Absent).collect();
    let not_justified = absent
        .iter()
        .filter(|m| m.status != Status::Justified)
        .count();
    let late = marks.iter().filter(|m| m.kind == Kind::Late);
    Ok(Record {
        pupil,
        absences: absent.len(),
        late: late.clone().count(),
        minutes_late: late.map(|m| m.minutes_late).sum(),
        not_justified,
        marks: marks
            .into_iter()
            .map(|m| FamilyMark {
                can_justify: may_justify(who, &m),
                mark: m,
            })
            .collect(),
    })
}

/// A parent's justification of one of their child's marks, while the office has not decided.
/// Sending another replaces it. A mark that is not their child's is `NotFound`. Returns the
/// child's id.
pub fn justify(
    tx: &rusqlite::Transaction<'_>,
    who: &Principal,
    id: MarkId,
    note: &str,
) -> Result<UserId> {
    let mark = load_mark(tx, id)?;
    if authorize(
        who,
        &Action::JustifyAbsence {
            pupil: mark.pupil_id,
        },
    )
    .is_err()
    {
        // Those who may see the mark are told no; the others, that there is nothing here.
        return Err(if may_view(tx, who, mark.pupil_id)? {
            AttendanceError::Denied
        } else {
            AttendanceError::NotFound
        });
    }
    let note = clean_text(note, NOTE_MAX, AttendanceError::NoteTooLong)?;
    if note.is_empty() {
        return Err(AttendanceError::NoteEmpty);
    }
    if mark.status != Status::Pending {
        return Err(AttendanceError::AlreadyDecided);
    }
    tx.prepare_cached(
        "UPDATE attendance_marks SET family_note = ?1, family_by = ?2, family_at = ?3
         WHERE id = ?4",
    )?
    .execute(rusqlite::params![note, who.id, crate::now(), id])?;
    Ok(mark.pupil_id)
}

/// For a parent's dashboard: how many of their children's absences nobody has explained yet
/// (no justification sent, no decision), so that the parent is told of a new one; and whose
/// is the latest, for the link.
pub fn unexplained(conn: &Connection, who: &Principal) -> Result<(i64, Option<UserId>)> {
    if who.role != crate::auth::Role::Parent || who.children.is_empty() {
        return Ok((0, None));
    }
    let children = serde_json::to_string(&who.children.iter().map(|c| c.0).collect::<Vec<_>>())
        .unwrap_or_else(|_| "[]".into());
    Ok(conn.query_row(
        "SELECT count(*), (SELECT m.pupil_id FROM attendance_marks m
                JOIN registers r ON r.id = m.register_id
                WHERE m.kind = 'absent' AND m.status = 'pending' AND m.family_note IS NULL
                  AND m.pupil_id IN (SELECT value FROM json_each(?1))
                ORDER BY r.day DESC, r.slot DESC LIMIT 1)
         FROM attendance_marks
         WHERE kind = 'absent' AND status = 'pending' AND family_note IS NULL
           AND pupil_id IN (SELECT value FROM json_each(?1))",
        [children],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?)
}
