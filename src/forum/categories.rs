//! The categories a principal sees, with their activity, and the admin adding new ones.

use super::*;
use crate::accounts::audit;
use rusqlite::Transaction;

/// A category on the forum's front page.
#[derive(Debug, Clone, Serialize)]
pub struct Overview {
    #[serde(flatten)]
    pub category: Category,
    pub topics: i64,
    pub last_post_at: Option<i64>,
    /// Topics with posts this reader has not seen.
    pub unread_topics: i64,
}

/// Every category `who` may read: the school's, their classes' (current year first), the
/// staff room, the admin's.
pub fn visible(conn: &Connection, who: &Principal) -> Result<Vec<Category>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{CATEGORY} ORDER BY f.position, c.school_year DESC, COALESCE(c.name, f.name), f.id"
    ))?;
    let all: Vec<Category> = stmt
        .query_map([], category_row)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(all
        .into_iter()
        .filter(|c| {
            let a = c.audience();
            authorize(who, &Action::ReadForum { category: &a }).is_ok()
        })
        .collect())
}

pub fn overview(conn: &Connection, who: &Principal) -> Result<Vec<Overview>> {
    let mut stats = conn.prepare_cached(
        "SELECT count(*), max(t.last_post_at),
                sum(CASE WHEN r.last_post_id IS NULL OR r.last_post_id < t.last_post_id THEN 1 ELSE 0 END)
         FROM forum_topics t LEFT JOIN forum_reads r ON r.topic_id = t.id AND r.user_id = ?2
         WHERE t.category_id = ?1 AND t.hidden = 0",
    )?;
    let mut out = Vec::new();
    for c in visible(conn, who)? {
        let (topics, last_post_at, unread): (i64, Option<i64>, Option<i64>) = stats
            .query_row(rusqlite::params![c.id, who.id], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?;
        out.push(Overview {
            category: c,
            topics,
            last_post_at,
            unread_topics: unread.unwrap_or(0),
        });
    }
    Ok(out)
}

/// The admin adds a category for the chosen roles.
pub fn create(
    tx: &Transaction<'_>,
    who: &Principal,
    name: &str,
    description: &str,
    roles: &[Role],
) -> Result<CategoryId> {
    let allowed = authorize(who, &Action::ManageForumCategories).map_err(|_| ForumError::Denied)?;
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 80 || name.chars().any(char::is_control) {
        return Err(ForumError::CategoryName);
    }
    if roles.is_empty() {
        return Err(ForumError::NoRoles);
    }
    let description: String = description
        .trim()
        .chars()
        .filter(|c| !c.is_control())
        .take(300)
        .collect();
    let roles_text = roles
        .iter()
        .map(|r| r.as_str())
        .collect::<Vec<_>>()
        .join(",");
    tx.execute(
        "INSERT INTO forum_categories (kind, name, description, roles, position, created_at)
         VALUES ('custom', ?1, ?2, ?3, 20, ?4)",
        rusqlite::params![name, description, roles_text, crate::now()],
    )?;
    let id = CategoryId(tx.last_insert_rowid());
    audit(
        tx,
        &allowed,
        &format!("forum category {id}"),
        &format!("{name} for {roles_text}"),
    )?;
    Ok(id)
}
