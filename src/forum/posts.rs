//! Posts: replying, reading a page of a topic, editing with a kept history, and an author
//! deleting their own post within the window.

use super::*;
use rusqlite::Transaction;

#[derive(Debug, Clone, Serialize)]
pub struct Post {
    pub id: PostId,
    pub topic_id: TopicId,
    pub author_id: Option<UserId>,
    pub author: String,
    pub author_username: String,
    pub author_role: Option<Role>,
    pub body: String,
    pub html: String,
    pub created_at: i64,
    pub edited_at: Option<i64>,
    pub hidden: bool,
    pub deleted: bool,
}

/// The query [`post_row`] reads.
const POST: &str = "SELECT p.id, p.topic_id, p.author_id, COALESCE(u.display_name, ''),
        COALESCE(u.username, ''), u.role, p.body, p.html, p.created_at, p.edited_at, p.hidden,
        p.deleted
     FROM forum_posts p LEFT JOIN users u ON u.id = p.author_id";

fn post_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Post> {
    Ok(Post {
        id: r.get(0)?,
        topic_id: r.get(1)?,
        author_id: r.get(2)?,
        author: r.get(3)?,
        author_username: r.get(4)?,
        author_role: r.get(5)?,
        body: r.get(6)?,
        html: r.get(7)?,
        created_at: r.get(8)?,
        edited_at: r.get(9)?,
        hidden: r.get(10)?,
        deleted: r.get(11)?,
    })
}

fn load(conn: &Connection, id: PostId) -> Result<Post> {
    conn.prepare_cached(&format!("{POST} WHERE p.id = ?1"))?
        .query_row([id], post_row)
        .optional()?
        .ok_or(ForumError::NotFound)
}

/// Inserts a post (checks done by the caller) and moves its topic's last-post marks.
pub(super) fn insert(
    tx: &Transaction<'_>,
    who: &Principal,
    topic: TopicId,
    body: &str,
    now: i64,
) -> Result<PostId> {
    tx.prepare_cached(
        "INSERT INTO forum_posts (topic_id, author_id, body, html, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(rusqlite::params![topic, who.id, body, markdown::render(body), now])?;
    let id = PostId(tx.last_insert_rowid());
    tx.prepare_cached(
        "UPDATE forum_topics SET last_post_id = ?1, last_post_at = ?2, posts = posts + 1 WHERE id = ?3",
    )?
    .execute(rusqlite::params![id, now, topic])?;
    topics::mark_read(tx, who, topic, id)?;
    Ok(id)
}

/// Replies to a topic.
pub fn reply(
    tx: &Transaction<'_>,
    who: &Principal,
    topic: TopicId,
    body: &str,
) -> Result<(PostId, Vec<notify::Notice>)> {
    let (t, c) = readable_topic(tx, who, topic)?;
    check_post(tx, who, &c, t.locked)?;
    let body = clean_body(body)?;
    check_pace(tx, who)?;
    let post = insert(tx, who, topic, &body, crate::now())?;
    index_post(tx, post, "", &body)?;
    let notices = notify::on_post(tx, who, &c, topic, post, &body, t.author_id)?;
    Ok((post, notices))
}

/// A post as a page of its topic shows it, borrowed from its row while the page is read: a
/// page's fifty posts are written out as they are read, with no copy of their HTML.
pub struct PostLine<'r> {
    pub id: PostId,
    pub author_id: Option<UserId>,
    /// The author's name; empty once their account is deleted.
    pub author: &'r str,
    pub author_role: Option<Role>,
    /// Empty for a hidden post unless `who` moderates.
    pub html: &'r str,
    pub created_at: i64,
    pub edited_at: Option<i64>,
    pub hidden: bool,
    pub deleted: bool,
}

/// One page of a topic's posts (numbered from 0), each given to `each` in order; returns the
/// number of pages. Deleted posts keep their place as a line saying so; hidden ones too, except
/// for moderators, who see them.
pub fn page(
    conn: &Connection,
    who: &Principal,
    topic: TopicId,
    page: u32,
    mut each: impl FnMut(&PostLine<'_>),
) -> Result<u32> {
    let (t, c) = readable_topic(conn, who, topic)?;
    let moderator = may_moderate(who, &c);
    let pages = (t.posts.max(1) as u32).div_ceil(POSTS_PER_PAGE);
    // The page's first post is found in the (topic_id, id) index alone, rather than reading
    // every earlier post's row and author to skip it with OFFSET.
    let mut stmt = conn.prepare_cached(
        "SELECT p.id, p.author_id, COALESCE(u.display_name, ''), u.role, p.html, p.created_at,
                p.edited_at, p.hidden, p.deleted
         FROM forum_posts p LEFT JOIN users u ON u.id = p.author_id
         WHERE p.topic_id = ?1 AND p.id >= (SELECT id FROM forum_posts WHERE topic_id = ?1
                                            ORDER BY id LIMIT 1 OFFSET ?3)
         ORDER BY p.id LIMIT ?2",
    )?;
    let mut rows = stmt.query(rusqlite::params![
        topic,
        POSTS_PER_PAGE,
        page * POSTS_PER_PAGE
    ])?;
    while let Some(r) = rows.next()? {
        let hidden: bool = r.get(7)?;
        each(&PostLine {
            id: r.get(0)?,
            author_id: r.get(1)?,
            author: text(r, 2)?,
            author_role: r.get(3)?,
            // A hidden post's text never leaves here for a reader who may not see it: its
            // place stays, empty, whatever a page does with it.
            html: if hidden && !moderator {
                ""
            } else {
                text(r, 4)?
            },
            created_at: r.get(5)?,
            edited_at: r.get(6)?,
            hidden,
            deleted: r.get(8)?,
        });
    }
    Ok(pages)
}

/// A text column borrowed from its row.
fn text<'r>(r: &'r rusqlite::Row<'_>, i: usize) -> rusqlite::Result<&'r str> {
    r.get_ref(i)?.as_str().map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e))
    })
}

/// The page of its topic a post is on, for links to it.
pub fn page_of(conn: &Connection, post: PostId) -> Result<(TopicId, u32)> {
    let (topic, before): (TopicId, i64) = conn
        .prepare_cached(
            "SELECT p.topic_id, (SELECT count(*) FROM forum_posts q WHERE q.topic_id = p.topic_id AND q.id < p.id)
             FROM forum_posts p WHERE p.id = ?1",
        )?
        .query_row([post], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?
        .ok_or(ForumError::NotFound)?;
    Ok((topic, (before as u32) / POSTS_PER_PAGE))
}

/// A post `who` may see, with its topic and category.
pub fn get(
    conn: &Connection,
    who: &Principal,
    id: PostId,
) -> Result<(Post, topics::Topic, Category)> {
    let p = load(conn, id)?;
    let (t, c) = readable_topic(conn, who, p.topic_id)?;
    if (p.hidden || p.deleted) && !may_moderate(who, &c) {
        return Err(ForumError::NotFound);
    }
    Ok((p, t, c))
}

/// Changes one's own post; the previous text goes to its history. Only the author edits,
/// and only while they may still write in the topic.
pub fn edit(tx: &Transaction<'_>, who: &Principal, id: PostId, body: &str) -> Result<()> {
    let (p, t, c) = get(tx, who, id)?;
    if p.author_id != Some(who.id) || p.deleted {
        return Err(ForumError::Denied);
    }
    check_post(tx, who, &c, t.locked)?;
    let body = clean_body(body)?;
    if body == p.body {
        return Ok(());
    }
    let now = crate::now();
    tx.prepare_cached(
        "INSERT INTO forum_post_history (post_id, body, edited_at, editor_id) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(rusqlite::params![id, p.body, p.edited_at.unwrap_or(p.created_at), who.id])?;
    tx.prepare_cached("UPDATE forum_posts SET body = ?1, html = ?2, edited_at = ?3 WHERE id = ?4")?
        .execute(rusqlite::params![body, markdown::render(&body), now, id])?;
    let first: bool = tx.query_row(
        "SELECT min(id) = ?1 FROM forum_posts WHERE topic_id = ?2",
        rusqlite::params![id, t.id],
        |r| r.get(0),
    )?;
    index_post(tx, id, if first { &t.title } else { "" }, &body)?;
    Ok(())
}

/// An earlier version of a post.
#[derive(Debug, Clone, Serialize)]
pub struct Version {
    pub body: String,
    pub html: String,
    /// When this version was written.
    pub at: i64,
}

/// A post's earlier versions, oldest first.
pub fn history(conn: &Connection, who: &Principal, id: PostId) -> Result<(Post, Vec<Version>)> {
    let (p, _, _) = get(conn, who, id)?;
    let mut stmt = conn.prepare_cached(
        "SELECT body, edited_at FROM forum_post_history WHERE post_id = ?1 ORDER BY id",
    )?;
    let versions = stmt
        .query_map([id], |r| {
            let body: String = r.get(0)?;
            Ok(Version {
                html: markdown::render(&body),
                body,
                at: r.get(1)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok((p, versions))
}

/// The author takes back their own post, within [`DELETE_WINDOW`] of writing it. (Moderators
/// delete through `moderation`.)
pub fn delete_own(tx: &Transaction<'_>, who: &Principal, id: PostId) -> Result<()> {
    let (p, _, _) = get(tx, who, id)?;
    if p.author_id != Some(who.id) || p.deleted {
        return Err(ForumError::Denied);
    }
    if crate::now() - p.created_at > DELETE_WINDOW {
        return Err(ForumError::TooLate);
    }
    mark_deleted(tx, id)
}

pub(super) fn mark_deleted(tx: &Transaction<'_>, id: PostId) -> Result<()> {
    tx.prepare_cached("UPDATE forum_posts SET deleted = 1, body = '', html = '' WHERE id = ?1")?
        .execute([id])?;
    tx.prepare_cached("DELETE FROM forum_post_history WHERE post_id = ?1")?
        .execute([id])?;
    unindex_post(tx, id)
}
