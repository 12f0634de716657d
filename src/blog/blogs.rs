//! The blogs themselves: which ones a person reads or writes, making a teacher's (or, for the
//! office, the school's is already there), and a blog's settings: title, description,
//! audience, comments, approval.

use super::*;
use crate::accounts::audit;
use rusqlite::{Transaction, params};

/// A blog in a list, with what the person may do there and how many posts wait for them.
#[derive(Debug, Clone, Serialize)]
pub struct Listed {
    pub blog: Blog,
    pub rights: Rights,
    /// Published posts.
    pub posts: u32,
    /// The latest post's date.
    pub latest: Option<i64>,
    /// Posts submitted and comments waiting, for a moderator; zero for others.
    pub waiting: u32,
}

/// Every blog `who` reads, theirs first (those they write in), then by latest post. This
/// year's class blogs only: last year's stay readable from their own address.
pub fn list(conn: &Connection, who: &Principal) -> Result<Vec<Listed>> {
    let year = crate::settings::Settings::load(conn)?.school_year;
    let mut st = conn.prepare_cached(&format!(
        "{BLOG} WHERE b.class_id IS NULL OR c.school_year = ?1 ORDER BY b.id"
    ))?;
    let blogs: Vec<Blog> = st
        .query_map([year], blog_row)?
        .collect::<rusqlite::Result<_>>()?;
    let mut counts = conn.prepare_cached(
        "SELECT count(*), max(published_at) FROM blog_posts
         WHERE blog_id = ?1 AND state = 'published' AND hidden = 0",
    )?;
    let mut waiting = conn.prepare_cached(
        "SELECT (SELECT count(*) FROM blog_posts WHERE blog_id = ?1 AND state = 'submitted')
              + (SELECT count(*) FROM blog_comments m JOIN blog_posts p ON p.id = m.post_id
                 WHERE p.blog_id = ?1 AND m.state = 'waiting' AND m.hidden = 0)",
    )?;
    let mut out = Vec::new();
    for b in blogs {
        let b = complete(conn, b)?;
        if !may(who, &b.facts, |blog| Action::ReadBlog { blog }) {
            continue;
        }
        let rights = rights(who, &b.facts);
        let (posts, latest): (u32, Option<i64>) =
            counts.query_row([b.id], |r| Ok((r.get(0)?, r.get(1)?)))?;
        let waiting = if rights.moderate {
            waiting.query_row([b.id], |r| r.get(0))?
        } else {
            0
        };
        out.push(Listed {
            blog: b,
            rights,
            posts,
            latest,
            waiting,
        });
    }
    out.sort_by_key(|l| (!l.rights.write, std::cmp::Reverse(l.latest), l.blog.id.0));
    Ok(out)
}

/// Makes a teacher's blog (for `teacher`, who is `who` unless the office makes it), readable
/// by the teacher's classes until its settings say otherwise.
pub fn create_teacher_blog(
    tx: &Transaction<'_>,
    who: &Principal,
    teacher: UserId,
    title: &str,
) -> Result<BlogId> {
    let title = clean_title(title)?;
    let owner = BlogOwner::Teacher {
        teacher,
        classes: teacher_classes(tx, teacher)?,
    };
    let allowed =
        authorize(who, &Action::CreateBlog { owner: &owner }).map_err(|_| BlogError::Denied)?;
    let is_teacher: bool = tx
        .query_row(
            "SELECT role = 'teacher' AND disabled = 0 FROM users WHERE id = ?1",
            [teacher],
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or(false);
    if !is_teacher {
        return Err(BlogError::NotFound);
    }
    tx.execute(
        "INSERT INTO blogs (owner, teacher_id, title, audience, created_at)
         VALUES ('teacher', ?1, ?2, 'class', ?3)",
        params![teacher, title, crate::now()],
    )?;
    let id = BlogId(tx.last_insert_rowid());
    audit(
        tx,
        &allowed,
        &format!("blog {id}"),
        &format!("created: {title}"),
    )?;
    Ok(id)
}

/// A blog's settings as a form sends them.
#[derive(Debug, Clone, Serialize)]
pub struct Settings {
    /// Empty: the class's (or the school's) name.
    pub title: String,
    pub description: String,
    pub audience: String,
    pub comments: String,
    /// Pupils' posts wait for a teacher (class blogs).
    pub approval: bool,
}

/// Changes a blog's settings: its moderators' to do; audited.
pub fn update(tx: &Transaction<'_>, who: &Principal, id: BlogId, s: &Settings) -> Result<()> {
    let b = load(tx, id)?;
    if !may(who, &b.facts, |blog| Action::ReadBlog { blog }) {
        return Err(BlogError::NotFound);
    }
    let allowed = allow(who, &b.facts, |blog| Action::ModerateBlog { blog })?;
    let title = crate::one_line(&s.title);
    let title = if title.is_empty() && !matches!(b.facts.owner, BlogOwner::Teacher { .. }) {
        title
    } else {
        clean_title(&title)?
    };
    let description = crate::one_line(&s.description);
    if description.chars().count() > DESCRIPTION_MAX {
        return Err(BlogError::DescriptionTooLong);
    }
    let audience = BlogAudience::parse(&s.audience).ok_or(BlogError::BadAudience)?;
    if audience == BlogAudience::Class && b.facts.owner == BlogOwner::School {
        return Err(BlogError::BadAudience);
    }
    let comments = CommentMode::parse(&s.comments).ok_or(BlogError::BadComments)?;
    tx.execute(
        "UPDATE blogs SET title = ?2, description = ?3, audience = ?4, comments = ?5,
         approval = ?6 WHERE id = ?1",
        params![
            id,
            title,
            description,
            audience.as_str(),
            comments.as_str(),
            s.approval
        ],
    )?;
    audit(
        tx,
        &allowed,
        &format!("blog {id}"),
        &format!(
            "settings: audience {}, comments {}, approval {}",
            audience.as_str(),
            comments.as_str(),
            s.approval
        ),
    )?;
    Ok(())
}

/// The blog of a class (every class has one).
pub fn of_class(conn: &Connection, class: ClassId) -> Result<BlogId> {
    conn.query_row("SELECT id FROM blogs WHERE class_id = ?1", [class], |r| {
        r.get(0)
    })
    .optional()?
    .ok_or(BlogError::NotFound)
}

/// The school's blog.
pub fn school(conn: &Connection) -> Result<BlogId> {
    conn.query_row("SELECT id FROM blogs WHERE owner = 'school'", [], |r| {
        r.get(0)
    })
    .optional()?
    .ok_or(BlogError::NotFound)
}
