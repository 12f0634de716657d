//! Blogs (issue #19): classes, the school and teachers publish what they do, for their class
//! (and its parents), the school, or the public.
//!
//! A blog is its class's (made with the class by a database trigger, so every way a class is
//! made gets one), the school's (one), or a teacher's. A post moves draft → submitted →
//! published; pupils' posts on a class blog wait for a teacher unless the teacher turns that
//! off; comments are off, moderated (they wait for a moderator) or open.
//!
//! As in the forum, every function takes the asking [`Principal`] and checks [`authorize`]
//! itself, inside the transaction that reads the facts the decision needs ([`facts`]): no page
//! can skip a check, and what someone may not see is [`BlogError::NotFound`], exactly like
//! what does not exist. Someone without a login is not a principal: [`visitor`] says what
//! they see (published posts of public blogs), by the policy's [`visitor_reads`].
//!
//! Bodies are Markdown, saved with their sanitised HTML (`forum::markdown`), so pages never
//! render Markdown on the way out.

pub mod blogs;
pub mod comments;
pub mod media;
pub mod posts;
pub mod visitor;

use crate::auth::{
    Action, Allowed, BlogAudience, BlogFacts, BlogOwner, CommentMode, Principal, authorize,
    visitor_reads,
};
use crate::ids::{BlogId, ClassId, UserId};
use rusqlite::{Connection, OptionalExtension};
use serde::Serialize;

/// Longest title, in characters.
pub const TITLE_MAX: usize = 150;
/// Longest post, in characters (as long as a forum post).
pub const BODY_MAX: usize = crate::forum::BODY_MAX;
/// Longest comment, in characters.
pub const COMMENT_MAX: usize = 4_000;
/// Longest blog description, in characters.
pub const DESCRIPTION_MAX: usize = 500;
/// Posts per page of a blog.
pub const PER_PAGE: u32 = 10;

#[derive(Debug, thiserror::Error)]
pub enum BlogError {
    #[error("not found")]
    NotFound,
    #[error("not allowed")]
    Denied,
    #[error("the title is empty")]
    TitleEmpty,
    #[error("the title is too long")]
    TitleTooLong,
    #[error("the text is empty")]
    BodyEmpty,
    #[error("the text is too long")]
    BodyTooLong,
    #[error("the description is too long")]
    DescriptionTooLong,
    #[error("choose who reads the blog")]
    BadAudience,
    #[error("choose how comments work")]
    BadComments,
    #[error("the post is not in a state that allows this")]
    WrongState,
    #[error("comments are off on this blog")]
    CommentsOff,
    #[error("this file name cannot be kept")]
    BadFile,
    #[error("the file is too big")]
    FileTooBig,
    #[error("the file is not an image it could read (JPEG, PNG, GIF, WebP)")]
    NotAnImage,
    #[error("the image is too large to read")]
    ImageTooLarge,
    #[error("too many files in one post")]
    TooManyFiles,
    #[error(transparent)]
    Db(#[from] crate::db::Error),
}

impl From<rusqlite::Error> for BlogError {
    fn from(e: rusqlite::Error) -> Self {
        BlogError::Db(e.into())
    }
}

impl BlogError {
    /// The message a page shows for it.
    pub fn key(&self) -> &'static str {
        match self {
            BlogError::NotFound => "blog.error_not_found",
            BlogError::Denied => "blog.error_denied",
            BlogError::TitleEmpty => "blog.error_title_empty",
            BlogError::TitleTooLong => "blog.error_title_long",
            BlogError::BodyEmpty => "blog.error_body_empty",
            BlogError::BodyTooLong => "blog.error_body_long",
            BlogError::DescriptionTooLong => "blog.error_description_long",
            BlogError::BadAudience => "blog.error_audience",
            BlogError::BadComments => "blog.error_comments",
            BlogError::WrongState => "blog.error_state",
            BlogError::CommentsOff => "blog.error_comments_off",
            BlogError::BadFile => "blog.error_file_name",
            BlogError::FileTooBig => "blog.error_file_big",
            BlogError::NotAnImage => "blog.error_not_image",
            BlogError::ImageTooLarge => "blog.error_image_large",
            BlogError::TooManyFiles => "blog.error_too_many_files",
            BlogError::Db(_) => "error.internal",
        }
    }
}

pub type Result<T> = std::result::Result<T, BlogError>;

/// A blog as pages show it.
#[derive(Debug, Clone, Serialize)]
pub struct Blog {
    pub id: BlogId,
    pub facts: BlogFacts,
    /// The chosen title, or else the class's name, the teacher's, or empty for the school's
    /// (pages then show the school's name).
    pub title: String,
    /// Whether `title` is the one chosen (else a name it follows).
    pub titled: bool,
    pub description: String,
    /// The class's name for a class blog, the teacher's name for a teacher's.
    pub owner_name: String,
    pub created_at: i64,
}

const BLOG: &str = "SELECT b.id, b.owner, b.class_id, b.teacher_id, b.title, b.description,
        b.audience, b.comments, b.approval, b.created_at,
        COALESCE(c.name, u.display_name, '')
     FROM blogs b LEFT JOIN classes c ON c.id = b.class_id
     LEFT JOIN users u ON u.id = b.teacher_id";

/// A blog row; a teacher's classes are filled in by [`load`].
fn blog_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Blog> {
    let owner: String = r.get(1)?;
    let owner = match owner.as_str() {
        "class" => BlogOwner::Class { class: r.get(2)? },
        "teacher" => BlogOwner::Teacher {
            teacher: r.get(3)?,
            classes: Vec::new(),
        },
        _ => BlogOwner::School,
    };
    let chosen: String = r.get(4)?;
    let owner_name: String = r.get(10)?;
    let audience: String = r.get(6)?;
    let comments: String = r.get(7)?;
    Ok(Blog {
        id: r.get(0)?,
        facts: BlogFacts {
            owner,
            // The database's CHECKs hold these to known values.
            audience: BlogAudience::parse(&audience).unwrap_or(BlogAudience::Class),
            comments: CommentMode::parse(&comments).unwrap_or(CommentMode::Off),
            approval: r.get(8)?,
        },
        titled: !chosen.is_empty(),
        title: if chosen.is_empty() {
            owner_name.clone()
        } else {
            chosen
        },
        description: r.get(5)?,
        owner_name,
        created_at: r.get(9)?,
    })
}

/// The classes a teacher teaches now: a teacher's blog's class audience.
fn teacher_classes(conn: &Connection, teacher: UserId) -> Result<Vec<ClassId>> {
    let mut st =
        conn.prepare_cached("SELECT class_id FROM class_teachers WHERE user_id = ?1 ORDER BY 1")?;
    let rows = st.query_map([teacher], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Completes a blog row with what the policy needs (a teacher's classes).
fn complete(conn: &Connection, mut b: Blog) -> Result<Blog> {
    if let BlogOwner::Teacher { teacher, classes } = &mut b.facts.owner {
        *classes = teacher_classes(conn, *teacher)?;
    }
    Ok(b)
}

/// The blog, whoever asks (callers decide with its facts).
pub fn load(conn: &Connection, id: BlogId) -> Result<Blog> {
    let b = conn
        .prepare_cached(&format!("{BLOG} WHERE b.id = ?1"))?
        .query_row([id], blog_row)
        .optional()?
        .ok_or(BlogError::NotFound)?;
    complete(conn, b)
}

/// `who` may do what `action` makes of the blog's facts; a refusal is `Denied`.
fn allow<'a>(
    who: &Principal,
    facts: &'a BlogFacts,
    action: impl Fn(&'a BlogFacts) -> Action<'a>,
) -> Result<Allowed> {
    authorize(who, &action(facts)).map_err(|_| BlogError::Denied)
}

fn may(who: &Principal, facts: &BlogFacts, action: impl Fn(&BlogFacts) -> Action<'_>) -> bool {
    authorize(who, &action(facts)).is_ok()
}

/// The blog, if `who` reads it; otherwise `NotFound`.
pub fn readable(conn: &Connection, who: &Principal, id: BlogId) -> Result<Blog> {
    let b = load(conn, id)?;
    if !may(who, &b.facts, |blog| Action::ReadBlog { blog }) {
        return Err(BlogError::NotFound);
    }
    Ok(b)
}

/// The blog, if it is public (for someone without a login); otherwise `NotFound`.
pub fn public(conn: &Connection, id: BlogId) -> Result<Blog> {
    let b = load(conn, id)?;
    if !visitor_reads(&b.facts) {
        return Err(BlogError::NotFound);
    }
    Ok(b)
}

/// What `who` may do on a blog, for its pages' buttons.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Rights {
    pub write: bool,
    pub publish: bool,
    pub comment: bool,
    pub moderate: bool,
}

pub fn rights(who: &Principal, facts: &BlogFacts) -> Rights {
    Rights {
        write: may(who, facts, |blog| Action::WriteBlog { blog }),
        publish: may(who, facts, |blog| Action::PublishBlogPost { blog }),
        comment: may(who, facts, |blog| Action::CommentBlog { blog }),
        moderate: may(who, facts, |blog| Action::ModerateBlog { blog }),
    }
}

/// A one-line text as typed: control characters made spaces, trimmed, within limits.
fn clean_title(title: &str) -> Result<String> {
    let t = crate::one_line(title);
    if t.is_empty() {
        return Err(BlogError::TitleEmpty);
    }
    if t.chars().count() > TITLE_MAX {
        return Err(BlogError::TitleTooLong);
    }
    Ok(t)
}

/// A Markdown text as typed, within `max` characters, and its sanitised HTML.
fn clean_body(body: &str, max: usize) -> Result<(String, String)> {
    let body = body.replace("\r\n", "\n");
    if body.trim().is_empty() {
        return Err(BlogError::BodyEmpty);
    }
    if body.chars().count() > max {
        return Err(BlogError::BodyTooLong);
    }
    let html = crate::forum::markdown::render(&body);
    Ok((body, html))
}
