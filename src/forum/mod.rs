//! The forum: a category for the whole school, one per class, the staff room, and any the
//! admin adds for a chosen audience; topics with flat, chronological replies in Markdown.
//!
//! Every function here takes the asking [`Principal`] and checks [`authorize`] itself,
//! inside the same transaction that reads the facts the decision needs (the category's
//! audience, whether the topic is locked, whether the writer is muted), so no door can skip
//! the check or act on facts that changed in between. A topic or post the principal may not
//! see is [`ForumError::NotFound`], exactly like one that does not exist.

pub mod categories;
pub mod markdown;
pub mod moderation;
pub mod notify;
pub mod posts;
pub mod search;
pub mod topics;

use crate::auth::{Action, Allowed, ForumAudience, Principal, Role, authorize};
use crate::ids::{CategoryId, ClassId, PostId, TopicId, UserId};
use rusqlite::{Connection, OptionalExtension};
use serde::Serialize;

/// Longest title, in characters.
pub const TITLE_MAX: usize = 150;
/// Longest post, in characters (a long lesson summary fits; a pasted book does not).
pub const BODY_MAX: usize = 20_000;
/// How long an author may still delete their own post, in seconds.
pub const DELETE_WINDOW: i64 = 15 * 60;
/// Topics per page of a category, posts per page of a topic.
pub const TOPICS_PER_PAGE: u32 = 30;
pub const POSTS_PER_PAGE: u32 = 50;
/// Pupils' pace: at least this many seconds between two posts, and at most
/// `PUPIL_BURST` posts in `PUPIL_WINDOW` seconds.
pub const PUPIL_GAP: i64 = 15;
pub const PUPIL_BURST: i64 = 20;
pub const PUPIL_WINDOW: i64 = 600;

#[derive(Debug, thiserror::Error)]
pub enum ForumError {
    #[error("not found")]
    NotFound,
    #[error("not allowed")]
    Denied,
    #[error("the title is empty")]
    TitleEmpty,
    #[error("the title is too long")]
    TitleTooLong,
    #[error("the message is empty")]
    BodyEmpty,
    #[error("the message is too long")]
    BodyTooLong,
    #[error("the topic is locked")]
    Locked,
    #[error("muted in this category until {0}")]
    Muted(i64),
    #[error("posting too fast; wait {0} seconds")]
    TooFast(i64),
    #[error("the time to delete this post has passed")]
    TooLate,
    #[error("the category name must be 1 to 80 characters")]
    CategoryName,
    #[error("choose at least one role")]
    NoRoles,
    #[error(transparent)]
    Db(#[from] crate::db::Error),
}

impl From<rusqlite::Error> for ForumError {
    fn from(e: rusqlite::Error) -> Self {
        ForumError::Db(e.into())
    }
}

impl ForumError {
    /// The message a page shows for it.
    pub fn key(&self) -> &'static str {
        match self {
            ForumError::NotFound => "forum.error_not_found",
            ForumError::Denied => "forum.error_denied",
            ForumError::TitleEmpty => "forum.error_title_empty",
            ForumError::TitleTooLong => "forum.error_title_long",
            ForumError::BodyEmpty => "forum.error_body_empty",
            ForumError::BodyTooLong => "forum.error_body_long",
            ForumError::Locked => "forum.error_locked",
            ForumError::Muted(_) => "forum.error_muted",
            ForumError::TooFast(_) => "forum.error_too_fast",
            ForumError::TooLate => "forum.error_too_late",
            ForumError::CategoryName => "forum.error_category_name",
            ForumError::NoRoles => "forum.error_no_roles",
            ForumError::Db(_) => "error.internal",
        }
    }
}

pub type Result<T> = std::result::Result<T, ForumError>;

/// A category and who it is for.
#[derive(Debug, Clone, Serialize)]
pub struct Category {
    pub id: CategoryId,
    /// `school`, `class`, `staff` or `custom`.
    pub kind: String,
    pub class_id: Option<ClassId>,
    /// The admin's name for a custom category, the class's name for a class's; empty for the
    /// school and the staff room, whose names pages translate.
    pub name: String,
    pub description: String,
    pub roles: Vec<Role>,
}

impl Category {
    pub fn audience(&self) -> ForumAudience {
        match (self.kind.as_str(), self.class_id) {
            ("class", Some(c)) => ForumAudience::Class(c),
            ("school", _) => ForumAudience::School,
            ("staff", _) => ForumAudience::StaffRoom,
            _ => ForumAudience::Roles(self.roles.clone()),
        }
    }
}

const CATEGORY: &str =
    "SELECT f.id, f.kind, f.class_id, COALESCE(c.name, f.name), f.description, f.roles
     FROM forum_categories f LEFT JOIN classes c ON c.id = f.class_id";

fn category_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Category> {
    let roles: String = r.get(5)?;
    Ok(Category {
        id: r.get(0)?,
        kind: r.get(1)?,
        class_id: r.get(2)?,
        name: r.get(3)?,
        description: r.get(4)?,
        roles: roles.split(',').filter_map(Role::parse).collect(),
    })
}

/// A category by id, whoever asks (callers check access).
fn load_category(conn: &Connection, id: CategoryId) -> Result<Category> {
    conn.prepare_cached(&format!("{CATEGORY} WHERE f.id = ?1"))?
        .query_row([id], category_row)
        .optional()?
        .ok_or(ForumError::NotFound)
}

/// The category, if `who` may read it; otherwise `NotFound`, as if it did not exist.
pub fn readable_category(conn: &Connection, who: &Principal, id: CategoryId) -> Result<Category> {
    let c = load_category(conn, id)?;
    let audience = c.audience();
    authorize(
        who,
        &Action::ReadForum {
            category: &audience,
        },
    )
    .map_err(|_| ForumError::NotFound)?;
    Ok(c)
}

pub fn may_moderate(who: &Principal, c: &Category) -> bool {
    let audience = c.audience();
    authorize(
        who,
        &Action::ModerateForum {
            category: &audience,
        },
    )
    .is_ok()
}

/// The moderator's proof for `c`, or `Denied`.
fn moderate(who: &Principal, c: &Category) -> Result<Allowed> {
    let audience = c.audience();
    authorize(
        who,
        &Action::ModerateForum {
            category: &audience,
        },
    )
    .map_err(|_| ForumError::Denied)
}

/// Until when `user` is muted in `category`, if they are now.
pub fn muted_until(conn: &Connection, category: CategoryId, user: UserId) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached(
            "SELECT until FROM forum_mutes WHERE category_id = ?1 AND user_id = ?2 AND until > ?3",
        )?
        .query_row(rusqlite::params![category, user, crate::now()], |r| {
            r.get(0)
        })
        .optional()?)
}

/// Checks that `who` may write in `c` (a topic there, locked or not), with the reason when
/// not: the lock and the mute each have their own message.
fn check_post(conn: &Connection, who: &Principal, c: &Category, locked: bool) -> Result<Allowed> {
    let muted = muted_until(conn, c.id, who.id)?;
    let audience = c.audience();
    authorize(
        who,
        &Action::PostForum {
            category: &audience,
            locked,
            muted: muted.is_some(),
        },
    )
    .map_err(|_| match muted {
        Some(until) => ForumError::Muted(until),
        None if locked => ForumError::Locked,
        None => ForumError::Denied,
    })
}

/// A title as typed: trimmed, control characters refused by being removed, within limits.
pub fn clean_title(title: &str) -> Result<String> {
    let t = crate::one_line(title);
    if t.is_empty() {
        return Err(ForumError::TitleEmpty);
    }
    if t.chars().count() > TITLE_MAX {
        return Err(ForumError::TitleTooLong);
    }
    Ok(t)
}

/// A body as typed: line ends made `\n`, trailing space trimmed, within limits.
pub fn clean_body(body: &str) -> Result<String> {
    let b = body.replace("\r\n", "\n").replace('\r', "\n");
    let b = b.trim_end().trim_start_matches('\n').to_owned();
    if b.trim().is_empty() {
        return Err(ForumError::BodyEmpty);
    }
    if b.chars().count() > BODY_MAX {
        return Err(ForumError::BodyTooLong);
    }
    Ok(b)
}

/// Pupils post at a measured pace; everyone else freely.
fn check_pace(conn: &Connection, who: &Principal) -> Result<()> {
    if who.role != Role::Pupil {
        return Ok(());
    }
    let now = crate::now();
    let (last, recent): (Option<i64>, i64) = conn
        .prepare_cached(
            "SELECT max(created_at), count(*) FROM forum_posts WHERE author_id = ?1 AND created_at > ?2",
        )?
        .query_row(rusqlite::params![who.id, now - PUPIL_WINDOW], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?;
    if let Some(last) = last
        && now - last < PUPIL_GAP
    {
        return Err(ForumError::TooFast(PUPIL_GAP - (now - last)));
    }
    if recent >= PUPIL_BURST {
        return Err(ForumError::TooFast(PUPIL_WINDOW / 2));
    }
    Ok(())
}

/// The topic's category and flags, if `who` may read it (a hidden topic only for its
/// moderators).
fn readable_topic(
    conn: &Connection,
    who: &Principal,
    id: TopicId,
) -> Result<(topics::Topic, Category)> {
    let t = topics::load(conn, id)?;
    let c = readable_category(conn, who, t.category_id)?;
    if t.hidden && !may_moderate(who, &c) {
        return Err(ForumError::NotFound);
    }
    Ok((t, c))
}

/// Adds a post's words to the search index (the first post of a topic with its title).
fn index_post(conn: &Connection, post: PostId, title: &str, body: &str) -> Result<()> {
    conn.prepare_cached(
        "INSERT OR REPLACE INTO forum_search (rowid, title, body) VALUES (?1, ?2, ?3)",
    )?
    .execute(rusqlite::params![post, title, body])?;
    Ok(())
}

fn unindex_post(conn: &Connection, post: PostId) -> Result<()> {
    conn.prepare_cached("DELETE FROM forum_search WHERE rowid = ?1")?
        .execute([post])?;
    Ok(())
}
