//! The office's side (the "vie scolaire"): every absence and lateness, those a family has
//! justified first, and for each a reason and a decision (pending, justified, unjustified).
//! Decisions are audited, like the office's other acts on pupils' records.

use super::*;
use crate::accounts::audit;

/// The most marks one page lists.
pub const LIST_MAX: u32 = 300;

/// Which marks the office is looking at.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// One class only.
    pub class: Option<ClassId>,
    /// Every mark, not only those still pending.
    pub all: bool,
}

fn allow(who: &Principal) -> Result<crate::auth::Allowed> {
    authorize(who, &Action::ReviewAbsences).map_err(|_| AttendanceError::Denied)
}

/// The marks of `filter`: pending ones with a family's justification first, then the
/// newest lessons.
pub fn list(conn: &Connection, who: &Principal, filter: &Filter) -> Result<Vec<Mark>> {
    allow(who)?;
    let class = filter.class;
    let all = filter.all;
    let mut list = super::marks(
        conn,
        "(:class IS NULL OR r.class_id = :class) AND (:all OR m.status = 'pending')",
        &[(":class", &class), (":all", &all)],
    )?;
    // Stable: within each group, the newest lesson first as the query gave them.
    list.sort_by_key(|m| !(m.status == Status::Pending && m.family_note.is_some()));
    list.truncate(LIST_MAX as usize);
    Ok(list)
}

/// How many justifications from families wait for the office: the dashboard's count. Zero
/// for anyone but the office.
pub fn waiting(conn: &Connection, who: &Principal) -> Result<i64> {
    if allow(who).is_err() {
        return Ok(0);
    }
    Ok(conn.query_row(
        "SELECT count(*) FROM attendance_marks
         WHERE status = 'pending' AND family_note IS NOT NULL",
        [],
        |r| r.get(0),
    )?)
}

/// Records the office's reason and decision on a mark (audited).
pub fn decide(
    tx: &rusqlite::Transaction<'_>,
    who: &Principal,
    id: MarkId,
    reason: &str,
    status: Status,
) -> Result<()> {
    let allowed = allow(who)?;
    let mark = load_mark(tx, id)?;
    let reason = clean_text(reason, REASON_MAX, AttendanceError::ReasonTooLong)?;
    let decided = (status != Status::Pending).then(crate::now);
    tx.prepare_cached(
        "UPDATE attendance_marks SET reason = ?1, status = ?2, decided_by = ?3, decided_at = ?4
         WHERE id = ?5",
    )?
    .execute(rusqlite::params![
        reason,
        status.as_str(),
        decided.map(|_| allowed.actor()),
        decided,
        id
    ])?;
    audit(
        tx,
        &allowed,
        &format!("attendance mark {id}"),
        &format!(
            "{} ({}), {} {}: {} {}",
            mark.pupil,
            mark.class,
            mark.day,
            mark.slot,
            mark.kind.as_str(),
            status.as_str()
        ),
    )?;
    Ok(())
}
