//! Moderation by a class's teachers (in its category) and the admins (everywhere): pin,
//! lock, hide, move and delete topics; hide and delete posts; the queue of reported posts;
//! muting a pupil in a category for a while. Every action goes to the audit log.

use super::*;
use crate::accounts::audit;
use rusqlite::Transaction;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flag {
    Pinned,
    Locked,
    Hidden,
}

impl Flag {
    fn column(self) -> &'static str {
        match self {
            Flag::Pinned => "pinned",
            Flag::Locked => "locked",
            Flag::Hidden => "hidden",
        }
    }
}

/// Sets or clears a topic's pin, lock or hidden mark.
pub fn set_flag(
    tx: &Transaction<'_>,
    who: &Principal,
    topic: TopicId,
    flag: Flag,
    on: bool,
) -> Result<()> {
    let (t, c) = readable_topic(tx, who, topic)?;
    let allowed = moderate(who, &c)?;
    tx.execute(
        &format!(
            "UPDATE forum_topics SET {} = ?1 WHERE id = ?2",
            flag.column()
        ),
        rusqlite::params![on, topic],
    )?;
    audit(
        tx,
        &allowed,
        &format!("forum topic {topic}"),
        &format!("{} = {on}: {}", flag.column(), t.title),
    )?;
    Ok(())
}

/// Moves a topic to another category; the moderator must moderate both.
pub fn move_topic(
    tx: &Transaction<'_>,
    who: &Principal,
    topic: TopicId,
    to: CategoryId,
) -> Result<()> {
    let (t, from) = readable_topic(tx, who, topic)?;
    let allowed = moderate(who, &from)?;
    let dest = readable_category(tx, who, to)?;
    moderate(who, &dest)?;
    tx.execute(
        "UPDATE forum_topics SET category_id = ?1 WHERE id = ?2",
        rusqlite::params![to, topic],
    )?;
    audit(
        tx,
        &allowed,
        &format!("forum topic {topic}"),
        &format!("moved from category {} to {to}: {}", from.id, t.title),
    )?;
    Ok(())
}

/// Deletes a topic and all its posts for good.
pub fn delete_topic(tx: &Transaction<'_>, who: &Principal, topic: TopicId) -> Result<CategoryId> {
    let (t, c) = readable_topic(tx, who, topic)?;
    let allowed = moderate(who, &c)?;
    tx.execute(
        "DELETE FROM forum_search WHERE rowid IN (SELECT id FROM forum_posts WHERE topic_id = ?1)",
        [topic],
    )?;
    tx.execute("DELETE FROM forum_topics WHERE id = ?1", [topic])?;
    audit(
        tx,
        &allowed,
        &format!("forum topic {topic}"),
        &format!("deleted: {} ({} posts)", t.title, t.posts),
    )?;
    Ok(c.id)
}

/// Hides a post from everyone but the moderators (or shows it again).
pub fn hide_post(tx: &Transaction<'_>, who: &Principal, post: PostId, on: bool) -> Result<()> {
    let (p, t, c) = posts::get(tx, who, post)?;
    let allowed = moderate(who, &c)?;
    tx.execute(
        "UPDATE forum_posts SET hidden = ?1 WHERE id = ?2",
        rusqlite::params![on, post],
    )?;
    if on {
        unindex_post(tx, post)?;
    } else if !p.deleted {
        let first: bool = tx.query_row(
            "SELECT min(id) = ?1 FROM forum_posts WHERE topic_id = ?2",
            rusqlite::params![post, t.id],
            |r| r.get(0),
        )?;
        index_post(tx, post, if first { &t.title } else { "" }, &p.body)?;
    }
    audit(
        tx,
        &allowed,
        &format!("forum post {post}"),
        &format!("hidden = {on}, by {} in {}", p.author_username, t.title),
    )?;
    Ok(())
}

/// Deletes a post's text for good (its place in the topic says it was removed).
pub fn delete_post(tx: &Transaction<'_>, who: &Principal, post: PostId) -> Result<()> {
    let (p, t, c) = posts::get(tx, who, post)?;
    let allowed = moderate(who, &c)?;
    posts::mark_deleted(tx, post)?;
    tx.execute(
        "UPDATE forum_reports SET resolved_by = ?1, resolved_at = ?2 WHERE post_id = ?3 AND resolved_at IS NULL",
        rusqlite::params![who.id, crate::now(), post],
    )?;
    audit(
        tx,
        &allowed,
        &format!("forum post {post}"),
        &format!("deleted, by {} in {}", p.author_username, t.title),
    )?;
    Ok(())
}

/// A reader flags a post for the moderators.
pub fn report(tx: &Transaction<'_>, who: &Principal, post: PostId, reason: &str) -> Result<()> {
    let (p, _, _) = posts::get(tx, who, post)?;
    if p.deleted {
        return Err(ForumError::NotFound);
    }
    let reason: String = reason
        .chars()
        .filter(|c| !c.is_control())
        .take(500)
        .collect();
    let already: bool = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM forum_reports WHERE post_id = ?1 AND reporter_id = ?2 AND resolved_at IS NULL)",
        rusqlite::params![post, who.id],
        |r| r.get(0),
    )?;
    if !already {
        tx.execute(
            "INSERT INTO forum_reports (post_id, reporter_id, reason, created_at) VALUES (?1, ?2, ?3, ?4)",
            rusqlite::params![post, who.id, reason.trim(), crate::now()],
        )?;
    }
    Ok(())
}

/// An open report, as the moderation queue lists it.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub id: crate::ids::ReportId,
    pub post_id: PostId,
    pub topic_id: TopicId,
    pub topic: String,
    pub author: String,
    pub excerpt: String,
    pub reporter: String,
    pub reason: String,
    pub created_at: i64,
    pub hidden: bool,
}

/// The open reports on posts in the categories `who` moderates, oldest first.
pub fn reports(conn: &Connection, who: &Principal) -> Result<Vec<Report>> {
    let mut stmt = conn.prepare_cached(
        "SELECT r.id, p.id, t.id, t.title, COALESCE(a.display_name, ''), p.body,
                COALESCE(u.display_name, ''), r.reason, r.created_at, p.hidden, t.category_id
         FROM forum_reports r JOIN forum_posts p ON p.id = r.post_id
         JOIN forum_topics t ON t.id = p.topic_id
         LEFT JOIN users a ON a.id = p.author_id LEFT JOIN users u ON u.id = r.reporter_id
         WHERE r.resolved_at IS NULL ORDER BY r.created_at, r.id",
    )?;
    let rows: Vec<(Report, CategoryId)> = stmt
        .query_map([], |r| {
            let body: String = r.get(5)?;
            Ok((
                Report {
                    id: r.get(0)?,
                    post_id: r.get(1)?,
                    topic_id: r.get(2)?,
                    topic: r.get(3)?,
                    author: r.get(4)?,
                    excerpt: body.chars().take(300).collect(),
                    reporter: r.get(6)?,
                    reason: r.get(7)?,
                    created_at: r.get(8)?,
                    hidden: r.get(9)?,
                },
                r.get(10)?,
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut out = Vec::new();
    for (report, category) in rows {
        if let Ok(c) = load_category(conn, category)
            && may_moderate(who, &c)
        {
            out.push(report);
        }
    }
    Ok(out)
}

/// Closes a report without acting on the post (the moderator found nothing wrong).
pub fn dismiss(tx: &Transaction<'_>, who: &Principal, report: crate::ids::ReportId) -> Result<()> {
    let post: PostId = tx
        .query_row(
            "SELECT post_id FROM forum_reports WHERE id = ?1 AND resolved_at IS NULL",
            [report],
            |r| r.get(0),
        )
        .optional()?
        .ok_or(ForumError::NotFound)?;
    let (_, t, c) = posts::get(tx, who, post)?;
    let allowed = moderate(who, &c)?;
    tx.execute(
        "UPDATE forum_reports SET resolved_by = ?1, resolved_at = ?2 WHERE id = ?3",
        rusqlite::params![who.id, crate::now(), report],
    )?;
    audit(
        tx,
        &allowed,
        &format!("forum post {post}"),
        &format!("report dismissed in {}", t.title),
    )?;
    Ok(())
}

/// Mutes a pupil in a category until `until` (or lifts it, with `until` in the past).
pub fn mute(
    tx: &Transaction<'_>,
    who: &Principal,
    category: CategoryId,
    user: UserId,
    until: i64,
) -> Result<()> {
    let c = readable_category(tx, who, category)?;
    let allowed = moderate(who, &c)?;
    let target: Option<(String, Role)> = tx
        .query_row(
            "SELECT username, role FROM users WHERE id = ?1",
            [user],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some((name, role)) = target else {
        return Err(ForumError::NotFound);
    };
    // Only pupils are muted; a teacher's or parent's conduct is a matter for the office.
    if role != Role::Pupil {
        return Err(ForumError::Denied);
    }
    tx.execute(
        "INSERT INTO forum_mutes (category_id, user_id, until, muted_by) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (category_id, user_id) DO UPDATE SET until = excluded.until, muted_by = excluded.muted_by",
        rusqlite::params![category, user, until, who.id],
    )?;
    audit(
        tx,
        &allowed,
        &format!("forum category {category}"),
        &format!("{name} muted until {}", crate::clock::format_local(until)),
    )?;
    Ok(())
}
