//! Topics: listing a category's, starting one (with its first post), and reading one.

use super::*;
use rusqlite::Transaction;

#[derive(Debug, Clone, Serialize)]
pub struct Topic {
    pub id: TopicId,
    pub category_id: CategoryId,
    pub author_id: Option<UserId>,
    pub author: String,
    pub title: String,
    pub created_at: i64,
    pub last_post_id: PostId,
    pub last_post_at: i64,
    pub posts: i64,
    pub pinned: bool,
    pub locked: bool,
    pub hidden: bool,
}

const TOPIC: &str =
    "SELECT t.id, t.category_id, t.author_id, COALESCE(u.display_name, ''), t.title,
        t.created_at, t.last_post_id, t.last_post_at, t.posts, t.pinned, t.locked, t.hidden
     FROM forum_topics t LEFT JOIN users u ON u.id = t.author_id";

fn topic_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Topic> {
    Ok(Topic {
        id: r.get(0)?,
        category_id: r.get(1)?,
        author_id: r.get(2)?,
        author: r.get(3)?,
        title: r.get(4)?,
        created_at: r.get(5)?,
        last_post_id: r.get(6)?,
        last_post_at: r.get(7)?,
        posts: r.get(8)?,
        pinned: r.get(9)?,
        locked: r.get(10)?,
        hidden: r.get(11)?,
    })
}

pub(super) fn load(conn: &Connection, id: TopicId) -> Result<Topic> {
    conn.prepare_cached(&format!("{TOPIC} WHERE t.id = ?1"))?
        .query_row([id], topic_row)
        .optional()?
        .ok_or(ForumError::NotFound)
}

/// A topic in a list, with what the reader has not seen yet.
#[derive(Debug, Clone, Serialize)]
pub struct Listed {
    #[serde(flatten)]
    pub topic: Topic,
    /// Never opened by this reader.
    pub new: bool,
    /// Posts after the last one this reader saw.
    pub unread: i64,
}

/// A page of a category's topics: pinned first, then by latest post. Hidden topics only for
/// moderators.
pub fn list(
    conn: &Connection,
    who: &Principal,
    category: CategoryId,
    page: u32,
) -> Result<(Category, Vec<Listed>, bool)> {
    let c = readable_category(conn, who, category)?;
    let moderator = may_moderate(who, &c);
    let mut stmt = conn.prepare_cached(&format!(
        "{TOPIC} WHERE t.category_id = ?1 AND (t.hidden = 0 OR ?2)
         ORDER BY t.pinned DESC, t.last_post_at DESC, t.id DESC LIMIT ?3 OFFSET ?4"
    ))?;
    let topics: Vec<Topic> = stmt
        .query_map(
            rusqlite::params![
                category,
                moderator,
                TOPICS_PER_PAGE + 1,
                page * TOPICS_PER_PAGE
            ],
            topic_row,
        )?
        .collect::<rusqlite::Result<_>>()?;
    let more = topics.len() > TOPICS_PER_PAGE as usize;
    let mut out = Vec::new();
    let mut read = conn.prepare_cached(
        "SELECT last_post_id FROM forum_reads WHERE user_id = ?1 AND topic_id = ?2",
    )?;
    let mut count = conn.prepare_cached(
        "SELECT count(*) FROM forum_posts WHERE topic_id = ?1 AND id > ?2 AND deleted = 0",
    )?;
    for t in topics.into_iter().take(TOPICS_PER_PAGE as usize) {
        let seen: Option<i64> = read
            .query_row(rusqlite::params![who.id, t.id], |r| r.get(0))
            .optional()?;
        let unread = match seen {
            Some(s) if s >= t.last_post_id.0 => 0,
            Some(s) => count.query_row(rusqlite::params![t.id, s], |r| r.get(0))?,
            None => t.posts,
        };
        out.push(Listed {
            new: seen.is_none(),
            unread,
            topic: t,
        });
    }
    Ok((c, out, more))
}

/// Starts a topic with its first post. Returns both ids, and the notifications to mail.
pub fn create(
    tx: &Transaction<'_>,
    who: &Principal,
    category: CategoryId,
    title: &str,
    body: &str,
) -> Result<(TopicId, PostId, Vec<notify::Notice>)> {
    let c = readable_category(tx, who, category)?;
    check_post(tx, who, &c, false)?;
    let title = clean_title(title)?;
    let body = clean_body(body)?;
    check_pace(tx, who)?;
    let now = crate::now();
    tx.prepare_cached(
        "INSERT INTO forum_topics (category_id, author_id, title, created_at, last_post_at)
         VALUES (?1, ?2, ?3, ?4, ?4)",
    )?
    .execute(rusqlite::params![category, who.id, title, now])?;
    let topic = TopicId(tx.last_insert_rowid());
    let post = posts::insert(tx, who, topic, &body, now)?;
    index_post(tx, post, &title, &body)?;
    let notices = notify::on_post(tx, who, &c, topic, post, &body, None)?;
    Ok((topic, post, notices))
}

/// A topic opened for reading.
#[derive(Debug, Clone, Serialize)]
pub struct Opened {
    pub topic: Topic,
    pub category: Category,
    pub can_post: bool,
    pub can_moderate: bool,
    /// Until when this reader is muted here, if they are.
    pub muted_until: Option<i64>,
    /// The last post this reader had seen before this visit (0: never opened).
    pub last_seen: i64,
}

pub fn open(conn: &Connection, who: &Principal, id: TopicId) -> Result<Opened> {
    let (topic, category) = readable_topic(conn, who, id)?;
    let can_moderate = may_moderate(who, &category);
    let muted = muted_until(conn, category.id, who.id)?;
    let can_post = check_post(conn, who, &category, topic.locked).is_ok();
    let last_seen = conn
        .prepare_cached(
            "SELECT last_post_id FROM forum_reads WHERE user_id = ?1 AND topic_id = ?2",
        )?
        .query_row(rusqlite::params![who.id, id], |r| r.get(0))
        .optional()?
        .unwrap_or(0);
    Ok(Opened {
        topic,
        category,
        can_post,
        can_moderate,
        muted_until: muted,
        last_seen,
    })
}

/// Records that `who` has read `topic` up to `post`.
pub fn mark_read(
    tx: &Transaction<'_>,
    who: &Principal,
    topic: TopicId,
    post: PostId,
) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO forum_reads (user_id, topic_id, last_post_id) VALUES (?1, ?2, ?3)
         ON CONFLICT (user_id, topic_id) DO UPDATE SET last_post_id = max(last_post_id, excluded.last_post_id)",
    )?
    .execute(rusqlite::params![who.id, topic, post])?;
    Ok(())
}
