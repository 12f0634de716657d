//! Reading the audit log back: what the office and the admins did, newest first.
//!
//! Entries are written by [`super::audit`] in the same transaction as the change they
//! record; this file only pages through them for the admin's audit page.

use super::Result;
use rusqlite::{Connection, params};
use serde::Serialize;

/// How many entries one page of the audit log shows.
pub const AUDIT_PAGE_SIZE: u32 = 50;

#[derive(Debug, Clone, Serialize)]
pub struct AuditEntry {
    pub id: i64,
    /// Seconds since the Unix epoch.
    pub at: i64,
    /// The actor's username when it acted (`system` for the command line).
    pub actor: String,
    /// The stable action name from the policy (`reset_password`, ...).
    pub action: String,
    pub target: String,
    pub detail: String,
}

/// One page of the audit log, newest first, and whether an older page follows.
pub fn audit_page(conn: &Connection, page: u32) -> Result<(Vec<AuditEntry>, bool)> {
    let mut stmt = conn.prepare(
        "SELECT id, at, actor, action, target, detail FROM audit_log
         ORDER BY at DESC, id DESC LIMIT ?1 OFFSET ?2",
    )?;
    let offset = i64::from(page) * i64::from(AUDIT_PAGE_SIZE);
    let rows = stmt.query_map(params![AUDIT_PAGE_SIZE + 1, offset], |r| {
        Ok(AuditEntry {
            id: r.get(0)?,
            at: r.get(1)?,
            actor: r.get(2)?,
            action: r.get(3)?,
            target: r.get(4)?,
            detail: r.get(5)?,
        })
    })?;
    let mut entries = rows.collect::<rusqlite::Result<Vec<_>>>()?;
    let more = entries.len() > AUDIT_PAGE_SIZE as usize;
    entries.truncate(AUDIT_PAGE_SIZE as usize);
    Ok((entries, more))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::accounts::{audit, test_db};
    use crate::auth::Allowed;

    #[test]
    fn newest_first_a_page_at_a_time() {
        let (_dir, db) = test_db();
        let allowed = Allowed::system("edit_settings");
        db.write_blocking(|tx| {
            for n in 0..(AUDIT_PAGE_SIZE + 3) {
                audit(tx, &allowed, &format!("t{n}"), "")?;
            }
            Ok(())
        })
        .unwrap();
        let (first, more) = db.read_blocking(|c| Ok(audit_page(c, 0)?)).unwrap();
        assert_eq!(first.len(), AUDIT_PAGE_SIZE as usize);
        assert!(more);
        assert_eq!(first[0].target, format!("t{}", AUDIT_PAGE_SIZE + 2));
        assert_eq!(first[0].actor, "system");
        assert_eq!(first[0].action, "edit_settings");
        let (second, more) = db.read_blocking(|c| Ok(audit_page(c, 1)?)).unwrap();
        assert_eq!(second.len(), 3);
        assert!(!more);
        assert_eq!(second[2].target, "t0");
    }
}
