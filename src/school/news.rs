//! News: the office writes to the whole school (or the staff, or every parent), a teacher to
//! their classes or those classes' parents. Everyone's timeline holds what concerns them,
//! newest first. An item may be marked "must read": the people it addresses each say "I have
//! read it", and its author (or an admin) sees who has and who has not yet.
//!
//! Bodies are Markdown, saved with their sanitised HTML (`forum::markdown`), so pages never
//! render Markdown on the way out. Deleting an item is audited.

use super::*;
use crate::accounts::audit;
use crate::auth::{Action, Allowed, authorize};
use crate::forum::markdown;
use crate::ids::NewsId;
use rusqlite::OptionalExtension;

/// Items per page of the timeline.
pub const PER_PAGE: u32 = 20;

#[derive(Debug, Clone, Serialize)]
pub struct News {
    pub id: NewsId,
    pub author_id: Option<UserId>,
    /// Empty when the author's account is gone.
    pub author: String,
    pub author_role: Option<Role>,
    pub title: String,
    pub body: String,
    pub html: String,
    pub audience: SchoolAudience,
    pub classes: Vec<ClassRef>,
    pub must_read: bool,
    pub created_at: i64,
    pub edited_at: Option<i64>,
}

/// A news item as a form sends it.
#[derive(Debug, Clone)]
pub struct Draft {
    pub title: String,
    pub body: String,
    pub audience: SchoolAudience,
    pub must_read: bool,
}

const NEWS: &str = "SELECT n.id, n.author_id, COALESCE(u.display_name, ''), u.role, n.title,
        n.body, n.html, n.audience, n.must_read, n.created_at, n.edited_at
     FROM news n LEFT JOIN users u ON u.id = n.author_id";

/// An item as stored, with its audience's kind (its classes come from the link table).
fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<(News, String)> {
    let kind: String = r.get(7)?;
    Ok((
        News {
            id: r.get(0)?,
            author_id: r.get(1)?,
            author: r.get(2)?,
            author_role: r.get(3)?,
            title: r.get(4)?,
            body: r.get(5)?,
            html: r.get(6)?,
            audience: SchoolAudience::School,
            classes: Vec::new(),
            must_read: r.get(8)?,
            created_at: r.get(9)?,
            edited_at: r.get(10)?,
        },
        kind,
    ))
}

/// Fills in an item's audience from its link table.
fn with_audience(conn: &Connection, (mut n, kind): (News, String)) -> Result<News> {
    n.classes = load_classes(conn, "news_classes", "news_id", n.id.0)?;
    n.audience = audience_of(&kind, &n.classes);
    Ok(n)
}

fn load(conn: &Connection, id: NewsId) -> Result<News> {
    let raw = conn
        .prepare_cached(&format!("{NEWS} WHERE n.id = ?1"))?
        .query_row([id], row)
        .optional()?
        .ok_or(SchoolError::NotFound)?;
    with_audience(conn, raw)
}

fn may_read(who: &Principal, n: &News) -> bool {
    authorize(
        who,
        &Action::ReadNews {
            audience: &n.audience,
            author: n.author_id,
        },
    )
    .is_ok()
}

/// The item, if `who` may read it; otherwise `NotFound`, as if it did not exist.
pub fn readable(conn: &Connection, who: &Principal, id: NewsId) -> Result<News> {
    let n = load(conn, id)?;
    if !may_read(who, &n) {
        return Err(SchoolError::NotFound);
    }
    Ok(n)
}

/// A draft, checked.
struct Clean {
    title: String,
    body: String,
    audience: SchoolAudience,
    allowed: Allowed,
}

/// Checks a draft's audience and that `who` may address it (what is refused there says
/// nothing about the rest), then its text.
fn check(conn: &Connection, who: &Principal, draft: &Draft) -> Result<Clean> {
    let audience = tidy_audience(draft.audience.clone())?;
    let allowed = authorize(
        who,
        &Action::PostNews {
            audience: &audience,
        },
    )
    .map_err(|_| SchoolError::Denied)?;
    check_classes(conn, &audience)?;
    let title = clean_title(&draft.title)?;
    let body = crate::forum::clean_body(&draft.body).map_err(|e| match e {
        crate::forum::ForumError::BodyTooLong => SchoolError::BodyTooLong,
        _ => SchoolError::BodyEmpty,
    })?;
    Ok(Clean {
        title,
        body,
        audience,
        allowed,
    })
}

/// Publishes a news item.
pub fn create(tx: &Transaction<'_>, who: &Principal, draft: &Draft) -> Result<NewsId> {
    let c = check(tx, who, draft)?;
    tx.prepare_cached(
        "INSERT INTO news (author_id, title, body, html, audience, must_read, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(rusqlite::params![
        c.allowed.actor(),
        c.title,
        c.body,
        markdown::render(&c.body),
        c.audience.kind(),
        draft.must_read,
        crate::now()
    ])?;
    let id = tx.last_insert_rowid();
    save_classes(tx, "news_classes", "news_id", id, &c.audience)?;
    Ok(NewsId(id))
}

/// An item in a list, with where this reader stands.
#[derive(Debug, Clone, Serialize)]
pub struct Listed {
    #[serde(flatten)]
    pub news: News,
    /// Must read, addressed to this reader, and not acknowledged yet.
    pub pending: bool,
    /// When this reader said they had read it.
    pub acked_at: Option<i64>,
}

fn acked_at(conn: &Connection, who: UserId, id: NewsId) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached("SELECT read_at FROM news_reads WHERE news_id = ?1 AND user_id = ?2")?
        .query_row(rusqlite::params![id, who], |r| r.get(0))
        .optional()?)
}

fn may_ack(who: &Principal, n: &News) -> bool {
    authorize(
        who,
        &Action::AcknowledgeNews {
            audience: &n.audience,
            author: n.author_id,
            must_read: n.must_read,
        },
    )
    .is_ok()
}

fn listed(conn: &Connection, who: &Principal, news: News) -> Result<Listed> {
    let acked = acked_at(conn, who.id, news.id)?;
    Ok(Listed {
        pending: acked.is_none() && may_ack(who, &news),
        acked_at: acked,
        news,
    })
}

/// Which items [`visible`] lists.
#[derive(Clone, Copy)]
enum Filter {
    All,
    /// Must-read items this reader has not acknowledged (and did not write).
    Waiting,
}

/// The SQL of [`visible`], built once per filter rather than on every page.
fn visible_sql(filter: Filter) -> &'static str {
    use std::sync::LazyLock;
    fn build(extra: &str) -> String {
        format!(
            "{NEWS} WHERE {} AND {extra} ORDER BY n.created_at DESC, n.id DESC LIMIT :limit OFFSET :offset",
            Scope::condition("n", "news_classes", "news_id")
        )
    }
    static ALL: LazyLock<String> = LazyLock::new(|| build("1"));
    static WAITING: LazyLock<String> = LazyLock::new(|| {
        build(
            "n.must_read = 1 AND n.author_id IS NOT :me
             AND NOT EXISTS (SELECT 1 FROM news_reads r WHERE r.news_id = n.id AND r.user_id = :me)",
        )
    });
    match filter {
        Filter::All => &ALL,
        Filter::Waiting => &WAITING,
    }
}

/// Items of `scope` (what `who` may read, or what is addressed to them), newest first.
fn visible(
    conn: &Connection,
    who: &Principal,
    scope: &Scope,
    filter: Filter,
    limit: u32,
    offset: u32,
) -> Result<Vec<News>> {
    let mut stmt = conn.prepare_cached(visible_sql(filter))?;
    let params = scope.params(&[(":limit", &limit), (":offset", &offset)]);
    let raw: Vec<(News, String)> = stmt
        .query_map(params.as_slice(), row)?
        .collect::<rusqlite::Result<_>>()?;
    let mut out = Vec::with_capacity(raw.len());
    for r in raw {
        let n = with_audience(conn, r)?;
        // The SQL only narrows; the policy decides.
        if may_read(who, &n) {
            out.push(n);
        }
    }
    Ok(out)
}

/// A page of `who`'s timeline (numbered from 0), and whether an older page follows.
pub fn timeline(conn: &Connection, who: &Principal, page: u32) -> Result<(Vec<Listed>, bool)> {
    let mut items = visible(
        conn,
        who,
        &Scope::of(who),
        Filter::All,
        PER_PAGE + 1,
        page * PER_PAGE,
    )?;
    let more = items.len() > PER_PAGE as usize;
    items.truncate(PER_PAGE as usize);
    let items = items
        .into_iter()
        .map(|n| listed(conn, who, n))
        .collect::<Result<_>>()?;
    Ok((items, more))
}

/// The dashboard's few: must-read items waiting for this reader first, then the latest.
pub fn latest(conn: &Connection, who: &Principal, n: usize) -> Result<Vec<Listed>> {
    let mut out: Vec<Listed> = Vec::with_capacity(n);
    for item in visible(
        conn,
        who,
        &Scope::addressed(who),
        Filter::Waiting,
        n as u32,
        0,
    )? {
        let l = listed(conn, who, item)?;
        if l.pending {
            out.push(l);
        }
    }
    if out.len() >= n {
        return Ok(out);
    }
    for item in visible(conn, who, &Scope::of(who), Filter::All, n as u32, 0)? {
        if out.len() >= n {
            break;
        }
        if !out.iter().any(|l| l.news.id == item.id) {
            out.push(listed(conn, who, item)?);
        }
    }
    Ok(out)
}

/// An item opened for reading, with what this reader may do to it.
#[derive(Debug, Clone, Serialize)]
pub struct Opened {
    #[serde(flatten)]
    pub item: Listed,
    pub can_ack: bool,
    pub can_edit: bool,
    pub can_delete: bool,
    pub can_track: bool,
}

pub fn open(conn: &Connection, who: &Principal, id: NewsId) -> Result<Opened> {
    let n = readable(conn, who, id)?;
    let author = n.author_id;
    let can = |a: Action<'_>| authorize(who, &a).is_ok();
    let can_ack = may_ack(who, &n);
    let can_edit = can(Action::EditNews { author });
    let can_delete = can(Action::DeleteNews { author });
    let can_track = n.must_read && can(Action::TrackNews { author });
    Ok(Opened {
        item: listed(conn, who, n)?,
        can_ack,
        can_edit,
        can_delete,
        can_track,
    })
}

/// "I have read it." Saying it twice keeps the first time.
pub fn acknowledge(tx: &Transaction<'_>, who: &Principal, id: NewsId) -> Result<()> {
    let n = readable(tx, who, id)?;
    if !may_ack(who, &n) {
        return Err(SchoolError::Denied);
    }
    tx.prepare_cached(
        "INSERT OR IGNORE INTO news_reads (news_id, user_id, read_at) VALUES (?1, ?2, ?3)",
    )?
    .execute(rusqlite::params![id, who.id, crate::now()])?;
    Ok(())
}

/// Changes an item: its author or an admin, and only to an audience they may address.
pub fn edit(tx: &Transaction<'_>, who: &Principal, id: NewsId, draft: &Draft) -> Result<()> {
    let n = readable(tx, who, id)?;
    authorize(
        who,
        &Action::EditNews {
            author: n.author_id,
        },
    )
    .map_err(|_| SchoolError::Denied)?;
    let c = check(tx, who, draft)?;
    tx.prepare_cached(
        "UPDATE news SET title = ?1, body = ?2, html = ?3, audience = ?4, must_read = ?5,
         edited_at = ?6 WHERE id = ?7",
    )?
    .execute(rusqlite::params![
        c.title,
        c.body,
        markdown::render(&c.body),
        c.audience.kind(),
        draft.must_read,
        crate::now(),
        id
    ])?;
    save_classes(tx, "news_classes", "news_id", id.0, &c.audience)
}

/// Deletes an item for good, with its acknowledgements; the audit log keeps its title.
pub fn delete(tx: &Transaction<'_>, who: &Principal, id: NewsId) -> Result<()> {
    let n = readable(tx, who, id)?;
    let allowed = authorize(
        who,
        &Action::DeleteNews {
            author: n.author_id,
        },
    )
    .map_err(|_| SchoolError::Denied)?;
    tx.execute("DELETE FROM news WHERE id = ?1", [id])?;
    audit(
        tx,
        &allowed,
        &format!("news {id}"),
        &format!("{} ({})", n.title, n.author),
    )?;
    Ok(())
}

/// Someone addressed by a must-read item, and when they acknowledged it.
#[derive(Debug, Clone, Serialize)]
pub struct Reader {
    #[serde(flatten)]
    pub member: Member,
    pub read_at: Option<i64>,
}

/// Who among the audience has acknowledged a must-read item, and who not yet.
#[derive(Debug, Clone, Serialize)]
pub struct Tracking {
    pub total: usize,
    pub read: Vec<Reader>,
    pub waiting: Vec<Reader>,
}

/// For the author and the admins.
pub fn tracking(conn: &Connection, who: &Principal, id: NewsId) -> Result<Tracking> {
    let n = readable(conn, who, id)?;
    authorize(
        who,
        &Action::TrackNews {
            author: n.author_id,
        },
    )
    .map_err(|_| SchoolError::Denied)?;
    if !n.must_read {
        return Err(SchoolError::NotFound);
    }
    let mut read = Vec::new();
    let mut waiting = Vec::new();
    let mut when =
        conn.prepare_cached("SELECT user_id, read_at FROM news_reads WHERE news_id = ?1")?;
    let acks: std::collections::HashMap<UserId, i64> = when
        .query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for member in members(conn, &n.audience, n.author_id)? {
        let read_at = acks.get(&member.id).copied();
        let r = Reader { member, read_at };
        if read_at.is_some() {
            read.push(r);
        } else {
            waiting.push(r);
        }
    }
    read.sort_by_key(|r| std::cmp::Reverse(r.read_at));
    Ok(Tracking {
        total: read.len() + waiting.len(),
        read,
        waiting,
    })
}
