//! School life: the news everyone reads on their dashboard and the agenda of trips, exams and
//! meetings, with the calendar feed a phone subscribes to. (The homework book and the
//! registers come next, keyed by the same classes.)
//!
//! The homework book ([`book`]) is per class rather than per audience: a class's pupils,
//! their parents and its teachers read it, the office reads all of it (`Action::ReadBook`);
//! its refusals share [`SchoolError`] and its pages the same error mapping.
//!
//! News and events share one way of saying whom they are for, [`SchoolAudience`], and one
//! policy: every function here takes the asking [`Principal`] and checks [`authorize`] itself,
//! inside the transaction that reads the item, as the forum does. What a principal may not
//! read is [`SchoolError::NotFound`], exactly like what does not exist. Lists are narrowed in
//! SQL by the same rules ([`Scope`]) so pages and feeds stay cheap, then every row still goes
//! through the policy before it leaves.

pub mod agenda;
pub mod attendance;
pub mod book;
pub mod ical;
pub mod news;
pub mod when;

use crate::auth::{Principal, Role, SchoolAudience};
use crate::ids::{ClassId, UserId};
use rusqlite::{Connection, ToSql, Transaction};
use serde::Serialize;

/// Longest title, in characters.
pub const TITLE_MAX: usize = 150;
/// Longest news text, in characters (as long as a forum post).
pub const BODY_MAX: usize = crate::forum::BODY_MAX;

#[derive(Debug, thiserror::Error)]
pub enum SchoolError {
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
    #[error("choose who it is for")]
    BadAudience,
    #[error("choose at least one class")]
    NoClass,
    #[error("no such class")]
    UnknownClass,
    #[error("no such kind of event")]
    BadKind,
    #[error("a date is written YYYY-MM-DD and must exist")]
    DateFormat,
    #[error("a time is written HH:MM")]
    TimeFormat,
    #[error("the year is out of range")]
    YearRange,
    #[error("the end comes before the start")]
    EndBeforeStart,
    #[error("the event is too long")]
    TooLong,
    #[error("the place is too long")]
    PlaceTooLong,
    #[error("the description is too long")]
    DescriptionTooLong,
    #[error("a month is written YYYY-MM")]
    BadMonth,
    // The homework book's refusals (book.rs).
    #[error("give the subject")]
    SubjectEmpty,
    #[error("the subject is too long")]
    SubjectTooLong,
    #[error("write what was done or what is due")]
    NothingWritten,
    #[error("a text is too long")]
    BookTextTooLong,
    #[error("say for when the work is due")]
    DueMissing,
    #[error("say what is due")]
    WorkMissing,
    #[error("the work is due before the lesson")]
    DueBeforeLesson,
    #[error("the work is due more than a year after the lesson")]
    DueTooFar,
    #[error("no such drop box in this class")]
    BadAssignment,
    #[error("a chosen file is not among your files")]
    BadAttachment,
    #[error("too many files")]
    TooManyAttachments,
    #[error("a chosen file is too big")]
    AttachmentTooBig,
    #[error("a chosen article is not in the library, or the class's pupils cannot read it")]
    BadArticle,
    #[error("too many articles")]
    TooManyArticles,
    #[error(transparent)]
    Db(#[from] crate::db::Error),
}

impl From<rusqlite::Error> for SchoolError {
    fn from(e: rusqlite::Error) -> Self {
        SchoolError::Db(e.into())
    }
}

/// For callers that only pass database failures on (the dashboard's snapshot): a refusal
/// there is a bug, reported as one.
impl From<SchoolError> for crate::db::Error {
    fn from(e: SchoolError) -> Self {
        match e {
            SchoolError::Db(d) => d,
            other => crate::db::Error::Task(other.to_string()),
        }
    }
}

impl SchoolError {
    /// The message a page shows for it.
    pub fn key(&self) -> &'static str {
        match self {
            SchoolError::NotFound => "school.error_not_found",
            SchoolError::Denied => "school.error_denied",
            SchoolError::TitleEmpty => "school.error_title_empty",
            SchoolError::TitleTooLong => "school.error_title_long",
            SchoolError::BodyEmpty => "school.error_body_empty",
            SchoolError::BodyTooLong => "school.error_body_long",
            SchoolError::BadAudience => "school.error_audience",
            SchoolError::NoClass => "school.error_no_class",
            SchoolError::UnknownClass => "school.error_unknown_class",
            SchoolError::BadKind => "agenda.error_kind",
            SchoolError::DateFormat => "agenda.error_date",
            SchoolError::TimeFormat => "agenda.error_time",
            SchoolError::YearRange => "agenda.error_year",
            SchoolError::EndBeforeStart => "agenda.error_end_before_start",
            SchoolError::TooLong => "agenda.error_too_long",
            SchoolError::PlaceTooLong => "agenda.error_place_long",
            SchoolError::DescriptionTooLong => "agenda.error_description_long",
            SchoolError::BadMonth => "agenda.error_month",
            SchoolError::SubjectEmpty => "book.error_subject_empty",
            SchoolError::SubjectTooLong => "book.error_subject_long",
            SchoolError::NothingWritten => "book.error_nothing",
            SchoolError::BookTextTooLong => "book.error_text_long",
            SchoolError::DueMissing => "book.error_due_missing",
            SchoolError::WorkMissing => "book.error_work_missing",
            SchoolError::DueBeforeLesson => "book.error_due_before",
            SchoolError::DueTooFar => "book.error_due_far",
            SchoolError::BadAssignment => "book.error_assignment",
            SchoolError::BadAttachment => "book.error_attachment",
            SchoolError::TooManyAttachments => "book.error_too_many_files",
            SchoolError::AttachmentTooBig => "book.error_file_big",
            SchoolError::BadArticle => "book.error_article",
            SchoolError::TooManyArticles => "book.error_too_many_articles",
            SchoolError::Db(_) => "error.internal",
        }
    }
}

pub type Result<T> = std::result::Result<T, SchoolError>;

/// A class an item names, with the name pages show.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ClassRef {
    pub id: ClassId,
    pub name: String,
}

/// A title as typed: control characters made spaces, trimmed, within limits.
pub fn clean_title(title: &str) -> Result<String> {
    let t = crate::one_line(title);
    if t.is_empty() {
        return Err(SchoolError::TitleEmpty);
    }
    if t.chars().count() > TITLE_MAX {
        return Err(SchoolError::TitleTooLong);
    }
    Ok(t)
}

/// The classes an item is stored with, by name.
fn load_classes(conn: &Connection, table: &str, column: &str, id: i64) -> Result<Vec<ClassRef>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT c.id, c.name FROM {table} l JOIN classes c ON c.id = l.class_id
         WHERE l.{column} = ?1 ORDER BY c.name"
    ))?;
    let rows = stmt.query_map([id], |r| {
        Ok(ClassRef {
            id: r.get(0)?,
            name: r.get(1)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The audience stored as `kind` with the classes of the link table.
fn audience_of(kind: &str, classes: &[ClassRef]) -> SchoolAudience {
    SchoolAudience::from_parts(kind, classes.iter().map(|c| c.id).collect())
        .unwrap_or(SchoolAudience::Staff)
}

/// Replaces an item's classes in its link table.
fn save_classes(
    tx: &Transaction<'_>,
    table: &str,
    column: &str,
    id: i64,
    audience: &SchoolAudience,
) -> Result<()> {
    tx.execute(&format!("DELETE FROM {table} WHERE {column} = ?1"), [id])?;
    let mut insert = tx.prepare_cached(&format!(
        "INSERT OR IGNORE INTO {table} ({column}, class_id) VALUES (?1, ?2)"
    ))?;
    for c in audience.classes() {
        insert.execute(rusqlite::params![id, c])?;
    }
    Ok(())
}

/// Checks what a form could not: a class-wide audience names classes that exist. Run after
/// the policy, so that whether a class exists is told only to those who may address it.
fn check_classes(conn: &Connection, audience: &SchoolAudience) -> Result<()> {
    let mut exists = conn.prepare_cached("SELECT 1 FROM classes WHERE id = ?1")?;
    for c in audience.classes() {
        if !exists.exists([c])? {
            return Err(SchoolError::UnknownClass);
        }
    }
    Ok(())
}

/// The audience's shape, before the policy: a class-wide one names at least one class, and
/// each only once.
pub fn tidy_audience(audience: SchoolAudience) -> Result<SchoolAudience> {
    let tidy = |mut v: Vec<ClassId>| {
        v.sort();
        v.dedup();
        if v.is_empty() {
            Err(SchoolError::NoClass)
        } else {
            Ok(v)
        }
    };
    Ok(match audience {
        SchoolAudience::Classes(v) => SchoolAudience::Classes(tidy(v)?),
        SchoolAudience::ClassParents(v) => SchoolAudience::ClassParents(tidy(v)?),
        other => other,
    })
}

/// The classes `who` may address news and events to, for the forms: every class for the
/// office, the classes they teach for a teacher, none for the others.
pub fn addressable_classes(conn: &Connection, who: &Principal) -> Result<Vec<ClassRef>> {
    let classes = match who.role {
        Role::Admin | Role::Staff => crate::accounts::list_classes(conn),
        Role::Teacher => crate::accounts::classes_by_id(conn, &who.teaches),
        Role::Pupil | Role::Parent => Ok(Vec::new()),
    }
    .map_err(|e| SchoolError::Db(e.into()))?;
    Ok(classes
        .into_iter()
        .map(|c| ClassRef {
            id: c.id,
            name: c.name,
        })
        .collect())
}

/// A parent looking at one child only: the same parent, with that child's classes alone, so
/// that every rule applies unchanged and shows a subset. Someone else's child is `NotFound`.
pub fn for_child(conn: &Connection, who: &Principal, child: UserId) -> Result<Principal> {
    if who.role != Role::Parent || !who.children.contains(&child) {
        return Err(SchoolError::NotFound);
    }
    let classes =
        crate::accounts::classes_of_pupil(conn, child).map_err(|e| SchoolError::Db(e.into()))?;
    let mut one = who.clone();
    one.children = vec![child];
    one.children_classes = classes;
    Ok(one)
}

/// What the SQL that lists items needs to know about the reader: the policy's
/// `reads_school`, as parameters. Lists narrow with it; the policy still decides every row.
pub(crate) struct Scope {
    me: UserId,
    office: bool,
    staff: bool,
    parent: bool,
    /// JSON arrays of class ids: the classes whose class-wide items the reader sees, and
    /// those whose parents' items they see.
    classes: String,
    parent_classes: String,
}

impl Scope {
    /// Everything `who` may read.
    pub(crate) fn of(who: &Principal) -> Scope {
        Scope::build(who, false)
    }

    /// Only what is addressed to `who` (`auth::addressed`), not what they read along: no
    /// office-wide view, no class's parents' items for its teachers. Their own items still
    /// match; callers that mind leave them out.
    pub(crate) fn addressed(who: &Principal) -> Scope {
        Scope::build(who, true)
    }

    fn build(who: &Principal, addressed: bool) -> Scope {
        let parent = who.role == Role::Parent;
        let mut classes: Vec<ClassId> = who.classes.iter().chain(&who.teaches).copied().collect();
        let mut parent_classes: Vec<ClassId> = if addressed {
            Vec::new()
        } else {
            who.teaches.clone()
        };
        if parent {
            classes.extend(&who.children_classes);
            parent_classes.extend(&who.children_classes);
        }
        let json = |v: &[ClassId]| {
            serde_json::to_string(&v.iter().map(|c| c.0).collect::<Vec<_>>())
                .unwrap_or_else(|_| "[]".into())
        };
        Scope {
            me: who.id,
            office: !addressed && matches!(who.role, Role::Admin | Role::Staff),
            staff: matches!(who.role, Role::Admin | Role::Staff | Role::Teacher),
            parent,
            classes: json(&classes),
            parent_classes: json(&parent_classes),
        }
    }

    /// The condition on rows of `alias` (with `audience` and `author_id` columns) whose
    /// classes are in `links` (`column`, `class_id`).
    pub(crate) fn condition(alias: &str, links: &str, column: &str) -> String {
        let linked = |list: &str| {
            format!(
                "EXISTS (SELECT 1 FROM {links} l WHERE l.{column} = {alias}.id
                 AND l.class_id IN (SELECT value FROM json_each({list})))"
            )
        };
        format!(
            "({alias}.author_id = :me OR :office OR {alias}.audience = 'school'
              OR ({alias}.audience = 'staff' AND :staff)
              OR ({alias}.audience = 'parents' AND :parent)
              OR ({alias}.audience = 'classes' AND {})
              OR ({alias}.audience = 'class_parents' AND {}))",
            linked(":classes"),
            linked(":parent_classes"),
        )
    }

    /// The named parameters of [`Scope::condition`], followed by `more`.
    pub(crate) fn params<'a>(
        &'a self,
        more: &[(&'a str, &'a dyn ToSql)],
    ) -> Vec<(&'a str, &'a dyn ToSql)> {
        let mut p: Vec<(&str, &dyn ToSql)> = vec![
            (":me", &self.me),
            (":office", &self.office),
            (":staff", &self.staff),
            (":parent", &self.parent),
            (":classes", &self.classes),
            (":parent_classes", &self.parent_classes),
        ];
        p.extend_from_slice(more);
        p
    }
}

/// Someone among an item's audience, for the tracking of a must-read item.
#[derive(Debug, Clone, Serialize)]
pub struct Member {
    pub id: UserId,
    pub display_name: String,
    pub username: String,
    pub role: Role,
}

/// The active accounts `audience` addresses (see `auth::addressed`), but `except` (the
/// author), by role then name.
pub fn members(
    conn: &Connection,
    audience: &SchoolAudience,
    except: Option<UserId>,
) -> Result<Vec<Member>> {
    const PUPILS: &str =
        "SELECT user_id FROM class_pupils WHERE class_id IN (SELECT value FROM json_each(?1))";
    const TEACHERS: &str =
        "SELECT user_id FROM class_teachers WHERE class_id IN (SELECT value FROM json_each(?1))";
    let parents = format!("SELECT l.parent_id FROM parent_links l WHERE l.child_id IN ({PUPILS})");
    let filter = match audience {
        SchoolAudience::School => "1".to_owned(),
        SchoolAudience::Staff => "u.role IN ('admin', 'staff', 'teacher')".to_owned(),
        SchoolAudience::Parents => "u.role = 'parent'".to_owned(),
        SchoolAudience::Classes(_) => format!(
            "(u.id IN ({PUPILS}) OR u.id IN ({TEACHERS}) OR (u.role = 'parent' AND u.id IN ({parents})))"
        ),
        SchoolAudience::ClassParents(_) => {
            format!("(u.role = 'parent' AND u.id IN ({parents}))")
        }
    };
    let classes =
        serde_json::to_string(&audience.classes().iter().map(|c| c.0).collect::<Vec<i64>>())
            .unwrap_or_else(|_| "[]".into());
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT u.id, u.display_name, u.username, u.role FROM users u
         WHERE u.disabled = 0 AND u.id IS NOT ?2 AND {filter}
         ORDER BY CASE u.role WHEN 'parent' THEN 0 WHEN 'pupil' THEN 1 WHEN 'teacher' THEN 2
                  WHEN 'staff' THEN 3 ELSE 4 END, u.last_name, u.first_name, u.username"
    ))?;
    let rows = stmt.query_map(rusqlite::params![classes, except], |r| {
        Ok(Member {
            id: r.get(0)?,
            display_name: r.get(1)?,
            username: r.get(2)?,
            role: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
