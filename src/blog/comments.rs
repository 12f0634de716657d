//! Comments under a public post, per the blog's mode: off, moderated (a comment from anyone
//! but the blog's moderators waits for one of them) or open. A waiting comment is seen by its
//! author and the moderators only.

use super::posts::{Post, get};
use super::*;
use crate::accounts::audit;
use crate::auth::Role;
use crate::ids::{BlogCommentId, BlogPostId};
use rusqlite::{Transaction, params};

#[derive(Debug, Clone, Serialize)]
pub struct Comment {
    pub id: BlogCommentId,
    pub post_id: BlogPostId,
    pub author_id: Option<UserId>,
    /// Empty when the author's account is gone.
    pub author: String,
    pub author_role: Option<Role>,
    pub body: String,
    pub html: String,
    /// Waiting for a moderator.
    pub waiting: bool,
    pub hidden: bool,
    pub created_at: i64,
}

const COMMENT: &str = "SELECT m.id, m.post_id, m.author_id, COALESCE(u.display_name, ''), u.role,
        m.body, m.html, m.state = 'waiting', m.hidden, m.created_at
     FROM blog_comments m LEFT JOIN users u ON u.id = m.author_id";

fn comment_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Comment> {
    Ok(Comment {
        id: r.get(0)?,
        post_id: r.get(1)?,
        author_id: r.get(2)?,
        author: r.get(3)?,
        author_role: r.get(4)?,
        body: r.get(5)?,
        html: r.get(6)?,
        waiting: r.get(7)?,
        hidden: r.get(8)?,
        created_at: r.get(9)?,
    })
}

/// Comments on a public post `who` sees: its readers the published ones, a comment's author
/// also their own waiting one, the blog's moderators all of them (hidden ones marked).
pub fn list(conn: &Connection, who: &Principal, post: BlogPostId) -> Result<Vec<Comment>> {
    let (b, p) = get(conn, who, post)?;
    if !p.public() {
        return Ok(Vec::new());
    }
    let moderator = may(who, &b.facts, |blog| Action::ModerateBlog { blog });
    let mut st = conn.prepare_cached(&format!(
        "{COMMENT} WHERE m.post_id = ?1 ORDER BY m.created_at, m.id"
    ))?;
    let all: Vec<Comment> = st
        .query_map([post], comment_row)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(all
        .into_iter()
        .filter(|c| moderator || (!c.hidden && (!c.waiting || c.author_id == Some(who.id))))
        .collect())
}

/// Comments on a public post: published, by those the blog's readers may comment. Returns
/// whether it waits for a moderator.
pub fn add(
    tx: &Transaction<'_>,
    who: &Principal,
    post: BlogPostId,
    body: &str,
) -> Result<(BlogCommentId, bool)> {
    let (b, p) = get(tx, who, post)?;
    if !p.public() {
        return Err(BlogError::WrongState);
    }
    if b.facts.comments == CommentMode::Off {
        return Err(BlogError::CommentsOff);
    }
    allow(who, &b.facts, |blog| Action::CommentBlog { blog })?;
    let (body, html) = clean_body(body, COMMENT_MAX)?;
    let waiting = b.facts.comments == CommentMode::Moderated
        && !may(who, &b.facts, |blog| Action::ModerateBlog { blog });
    tx.execute(
        "INSERT INTO blog_comments (post_id, author_id, body, html, state, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            post,
            who.id,
            body,
            html,
            if waiting { "waiting" } else { "published" },
            crate::now()
        ],
    )?;
    Ok((BlogCommentId(tx.last_insert_rowid()), waiting))
}

/// The comment, its post and blog, for a moderator of the blog; otherwise `NotFound` (or
/// `Denied` for a reader of it).
fn moderated(
    tx: &Transaction<'_>,
    who: &Principal,
    id: BlogCommentId,
) -> Result<(Blog, Post, Comment, crate::auth::Allowed)> {
    let c = tx
        .prepare_cached(&format!("{COMMENT} WHERE m.id = ?1"))?
        .query_row([id], comment_row)
        .optional()?
        .ok_or(BlogError::NotFound)?;
    let (b, p) = get(tx, who, c.post_id)?;
    let allowed = allow(who, &b.facts, |blog| Action::ModerateBlog { blog })?;
    Ok((b, p, c, allowed))
}

/// Publishes a waiting comment: the blog's moderators' to do; audited.
pub fn approve(tx: &Transaction<'_>, who: &Principal, id: BlogCommentId) -> Result<BlogPostId> {
    let (_, p, c, allowed) = moderated(tx, who, id)?;
    if !c.waiting {
        return Err(BlogError::WrongState);
    }
    tx.execute(
        "UPDATE blog_comments SET state = 'published', approved_by = ?2 WHERE id = ?1",
        params![id, who.id],
    )?;
    audit(tx, &allowed, &format!("blog comment {id}"), "approved")?;
    Ok(p.id)
}

/// Hides a comment (or shows it again): a moderator's; audited.
pub fn set_hidden(
    tx: &Transaction<'_>,
    who: &Principal,
    id: BlogCommentId,
    on: bool,
) -> Result<BlogPostId> {
    let (_, p, _, allowed) = moderated(tx, who, id)?;
    tx.execute(
        "UPDATE blog_comments SET hidden = ?2 WHERE id = ?1",
        params![id, on],
    )?;
    let what = if on { "hidden" } else { "shown again" };
    audit(tx, &allowed, &format!("blog comment {id}"), what)?;
    Ok(p.id)
}

/// Deletes a comment: a moderator's; audited.
pub fn delete(tx: &Transaction<'_>, who: &Principal, id: BlogCommentId) -> Result<BlogPostId> {
    let (_, p, c, allowed) = moderated(tx, who, id)?;
    tx.execute("DELETE FROM blog_comments WHERE id = ?1", [id])?;
    audit(
        tx,
        &allowed,
        &format!("blog comment {id}"),
        &format!("deleted ({} characters)", c.body.chars().count()),
    )?;
    Ok(p.id)
}

/// Comments waiting in blogs `who` moderates, oldest first, with their posts.
pub fn waiting(conn: &Connection, who: &Principal) -> Result<Vec<(Blog, Post, Comment)>> {
    let mut st = conn.prepare_cached(&format!(
        "{COMMENT} WHERE m.state = 'waiting' AND m.hidden = 0 ORDER BY m.created_at, m.id"
    ))?;
    let all: Vec<Comment> = st
        .query_map([], comment_row)?
        .collect::<rusqlite::Result<_>>()?;
    let mut out = Vec::new();
    for c in all {
        let Ok((b, p)) = get(conn, who, c.post_id) else {
            continue;
        };
        if may(who, &b.facts, |blog| Action::ModerateBlog { blog }) {
            out.push((b, p, c));
        }
    }
    Ok(out)
}
