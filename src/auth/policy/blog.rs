//! Who reads, writes, publishes, comments on and moderates a blog (issue #19).
//!
//! A blog belongs to a class (made with the class), to the school, or to a teacher. Its
//! audience is its class (the class's pupils, its teachers, and the pupils' parents; for a
//! teacher's blog, the classes that teacher teaches), the whole school, or the public (anyone,
//! without a login: [`visitor_reads`]). The office reads every blog, as it reads every
//! class's homework book.
//!
//! Writing makes drafts and submits them; publishing without anyone's approval is for those
//! who moderate the blog, and for its writers when the blog's moderators turned approval off.
//! A class blog is moderated by the class's teachers, a teacher's by that teacher, the
//! school's by the office; the admins moderate every blog.

use super::super::{Principal, Role};
use crate::ids::{ClassId, UserId};
use serde::Serialize;

/// Whose a blog is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum BlogOwner {
    /// A class's blog, made with the class.
    Class { class: ClassId },
    /// The school's (the office writes it, teachers propose posts).
    School,
    /// A teacher's own; `classes` are those the teacher teaches now (its class audience).
    Teacher {
        teacher: UserId,
        classes: Vec<ClassId>,
    },
}

/// Who reads a blog.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BlogAudience {
    /// Its class (or a teacher's classes): pupils, teachers, and the pupils' parents.
    Class,
    /// Everyone with an account.
    School,
    /// Anyone, without a login, at `/site`.
    Public,
}

impl BlogAudience {
    pub fn as_str(self) -> &'static str {
        match self {
            BlogAudience::Class => "class",
            BlogAudience::School => "school",
            BlogAudience::Public => "public",
        }
    }

    pub fn parse(s: &str) -> Option<BlogAudience> {
        Some(match s {
            "class" => BlogAudience::Class,
            "school" => BlogAudience::School,
            "public" => BlogAudience::Public,
            _ => return None,
        })
    }
}

/// Whether a blog takes comments, and whether they wait for a moderator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CommentMode {
    Off,
    /// Comments from anyone but the blog's moderators wait for one of them.
    Moderated,
    Open,
}

impl CommentMode {
    pub fn as_str(self) -> &'static str {
        match self {
            CommentMode::Off => "off",
            CommentMode::Moderated => "moderated",
            CommentMode::Open => "open",
        }
    }

    pub fn parse(s: &str) -> Option<CommentMode> {
        Some(match s {
            "off" => CommentMode::Off,
            "moderated" => CommentMode::Moderated,
            "open" => CommentMode::Open,
            _ => return None,
        })
    }
}

/// What [`authorize`](super::authorize) needs to know about a blog.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BlogFacts {
    pub owner: BlogOwner,
    pub audience: BlogAudience,
    pub comments: CommentMode,
    /// On a class blog: pupils' posts wait for a teacher (the default).
    pub approval: bool,
}

/// A pupil, teacher or pupil's parent of `class`.
fn member(who: &Principal, class: &ClassId) -> bool {
    who.classes.contains(class)
        || who.teaches.contains(class)
        || (who.role == Role::Parent && who.children_classes.contains(class))
}

fn office(who: &Principal) -> bool {
    matches!(who.role, Role::Admin | Role::Staff)
}

pub(super) fn reads(who: &Principal, blog: &BlogFacts) -> bool {
    if office(who) || writes(who, blog) {
        return true;
    }
    match blog.audience {
        BlogAudience::Public | BlogAudience::School => true,
        BlogAudience::Class => match &blog.owner {
            BlogOwner::Class { class } => member(who, class),
            BlogOwner::Teacher { classes, .. } => classes.iter().any(|c| member(who, c)),
            BlogOwner::School => false,
        },
    }
}

/// Writes drafts and submits them.
pub(super) fn writes(who: &Principal, blog: &BlogFacts) -> bool {
    match &blog.owner {
        BlogOwner::Class { class } => {
            who.role == Role::Admin || who.classes.contains(class) || who.teaches.contains(class)
        }
        BlogOwner::School => matches!(who.role, Role::Admin | Role::Staff | Role::Teacher),
        BlogOwner::Teacher { teacher, .. } => who.role == Role::Admin || who.id == *teacher,
    }
}

/// Approves and publishes others' posts and comments, hides and deletes them, sees reports
/// and changes the blog's settings.
pub(super) fn moderates(who: &Principal, blog: &BlogFacts) -> bool {
    match &blog.owner {
        BlogOwner::Class { class } => who.role == Role::Admin || who.teaches.contains(class),
        BlogOwner::School => office(who),
        BlogOwner::Teacher { teacher, .. } => who.role == Role::Admin || who.id == *teacher,
    }
}

/// Publishes one's own post without waiting for a moderator.
pub(super) fn publishes(who: &Principal, blog: &BlogFacts) -> bool {
    moderates(who, blog)
        || (writes(who, blog) && !blog.approval && matches!(blog.owner, BlogOwner::Class { .. }))
}

pub(super) fn comments(who: &Principal, blog: &BlogFacts) -> bool {
    blog.comments != CommentMode::Off && reads(who, blog)
}

/// Makes a blog: a teacher their own, the office the school's or any teacher's; class blogs
/// come with their class.
pub(super) fn creates(who: &Principal, owner: &BlogOwner) -> bool {
    match owner {
        BlogOwner::Teacher { teacher, .. } => office(who) || who.id == *teacher,
        BlogOwner::School => office(who),
        BlogOwner::Class { .. } => who.role == Role::Admin,
    }
}

/// Whether someone without a login reads the blog's published posts: only a public blog's.
pub fn visitor_reads(blog: &BlogFacts) -> bool {
    blog.audience == BlogAudience::Public
}

#[cfg(test)]
#[path = "blog_tests.rs"]
mod tests;
