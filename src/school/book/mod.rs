//! The homework book (cahier de textes): for each lesson of a class, its teacher records what
//! was done and what is due for when, with files copied from their own space and, if any, the
//! class's drop box to hand the work in. Pupils and their parents read it by week and by day;
//! the class's teachers read and write their classes'; the office reads every class's.
//!
//! Subjects are free text on each entry, and the form offers (as a `<datalist>`) the subjects
//! already used in the class. Why not a subject on the teacher–class link: a teacher often
//! teaches two subjects to one class (history-geography and civics, French and Latin), two
//! teachers share one (a language group, a replacement), and the school's class lists carry
//! no subjects at all; free text with suggestions works from the first day, and the
//! suggestions keep one class's spelling consistent.
//!
//! Lesson and due days are days, not instants (`YYYY-MM-DD` in the school's calendar), stored
//! as typed so that a week's view selects them by plain comparison. Texts are plain text
//! (line breaks kept), not Markdown: a line or two of "exercises 3 and 4 p. 52" needs no
//! formatting, and nothing from it is ever rendered as HTML.
//!
//! As in the rest of `school`, every function takes the asking principal and asks
//! [`authorize`] itself; what a principal may not read is [`SchoolError::NotFound`], exactly
//! like what does not exist. Changes are in [`write`], attachments in [`attach`].

pub mod attach;
pub mod demo;
pub mod write;

use super::when::{self, format_date, parse_date};
use super::*;
use crate::auth::{Action, authorize};
use crate::ids::{AssignmentId, BookEntryId};
use rusqlite::OptionalExtension;
use time::Date;

/// Longest subject, in characters.
pub const SUBJECT_MAX: usize = 60;
/// Longest "done" or "to do" text, in characters.
pub const TEXT_MAX: usize = 5_000;
/// How far after its lesson work may be due, in days.
pub const DUE_MAX_DAYS: i64 = 366;
/// The most entries one view holds.
pub const LIST_MAX: u32 = 500;

/// The drop box an entry points at.
#[derive(Debug, Clone, Serialize)]
pub struct AssignmentRef {
    pub id: AssignmentId,
    pub title: String,
    pub due_at: i64,
}

/// A file attached to an entry.
#[derive(Debug, Clone, Serialize)]
pub struct Attachment {
    pub id: i64,
    pub file_name: String,
    pub size: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    pub id: BookEntryId,
    pub class: ClassRef,
    pub author_id: Option<UserId>,
    /// Empty when the author's account is gone.
    pub author: String,
    pub subject: String,
    /// `YYYY-MM-DD`.
    pub lesson_day: String,
    /// What was done in the lesson; may be empty.
    pub done: String,
    /// What is to be done for `due_day`; empty when nothing is due.
    pub work: String,
    pub due_day: Option<String>,
    pub assignment: Option<AssignmentRef>,
    pub attachments: Vec<Attachment>,
    /// Library articles to read, in the teacher's order.
    pub articles: Vec<ArticleLink>,
    pub created_at: i64,
    pub edited_at: Option<i64>,
}

const ENTRY: &str = "SELECT e.id, e.class_id, c.name, e.author_id, COALESCE(u.display_name, ''),
        e.subject, e.lesson_day, e.done, e.work, e.due_day, a.id, a.title, a.due_at,
        e.created_at, e.edited_at
     FROM book_entries e JOIN classes c ON c.id = e.class_id
     LEFT JOIN users u ON u.id = e.author_id
     LEFT JOIN assignments a ON a.id = e.assignment_id AND a.class_id = e.class_id";

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Entry> {
    let assignment = match r.get::<_, Option<AssignmentId>>(10)? {
        Some(id) => Some(AssignmentRef {
            id,
            title: r.get(11)?,
            due_at: r.get(12)?,
        }),
        None => None,
    };
    Ok(Entry {
        id: r.get(0)?,
        class: ClassRef {
            id: r.get(1)?,
            name: r.get(2)?,
        },
        author_id: r.get(3)?,
        author: r.get(4)?,
        subject: r.get(5)?,
        lesson_day: r.get(6)?,
        done: r.get(7)?,
        work: r.get(8)?,
        due_day: r.get(9)?,
        assignment,
        attachments: Vec::new(),
        articles: Vec::new(),
        created_at: r.get(13)?,
        edited_at: r.get(14)?,
    })
}

fn with_attachments(conn: &Connection, mut e: Entry) -> Result<Entry> {
    e.attachments = attach::list(conn, e.id)?;
    e.articles = articles(conn, e.id)?;
    Ok(e)
}

/// Most library articles one entry links to.
pub const MAX_ARTICLES: usize = 10;

/// A library article an entry links to: `/library/<collection>/<path>`.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ArticleLink {
    pub collection: String,
    pub path: String,
    pub title: String,
    /// `/library/<collection>/<path>`, the path percent-encoded segment by segment.
    pub url: String,
}

impl ArticleLink {
    pub fn new(collection: String, path: String, title: String) -> ArticleLink {
        let url = crate::library::entry_url(&collection, &path);
        ArticleLink {
            collection,
            path,
            title,
            url,
        }
    }
}

fn articles(conn: &Connection, id: BookEntryId) -> Result<Vec<ArticleLink>> {
    let mut st = conn.prepare_cached(
        "SELECT collection, path, title FROM book_entry_articles WHERE entry_id = ?1 ORDER BY position",
    )?;
    let rows = st.query_map([id], |r| {
        Ok(ArticleLink::new(r.get(0)?, r.get(1)?, r.get(2)?))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// An entry whoever may or may not read.
pub(crate) fn load(conn: &Connection, id: BookEntryId) -> Result<Entry> {
    let e = conn
        .prepare_cached(&format!("{ENTRY} WHERE e.id = ?1"))?
        .query_row([id], row)
        .optional()?
        .ok_or(SchoolError::NotFound)?;
    with_attachments(conn, e)
}

/// Whether `who` reads `class`'s book.
pub fn may_read(who: &Principal, class: ClassId) -> bool {
    authorize(who, &Action::ReadBook { class }).is_ok()
}

/// Whether `who` writes in `class`'s book.
pub fn may_write(who: &Principal, class: ClassId) -> bool {
    authorize(who, &Action::WriteBook { class }).is_ok()
}

/// Whether `who` sees `class`'s drop boxes (their titles and due dates), and so may choose
/// one for an entry: the class's teachers, not an admin who does not teach it.
pub fn may_choose_drop_box(who: &Principal, class: ClassId) -> bool {
    authorize(who, &Action::ViewAssignments { class }).is_ok()
}

/// The drop boxes an entry of `class` may point at, as `who` may choose among them: none
/// for an editor who does not see them (the form then offers none, and [`write::edit`]
/// keeps the entry's link as it is).
pub fn drop_boxes(
    conn: &Connection,
    who: &Principal,
    class: ClassId,
) -> Result<Vec<crate::homework::Assignment>> {
    if !may_choose_drop_box(who, class) {
        return Ok(Vec::new());
    }
    crate::homework::list_for_classes(conn, &[class])
        .map_err(|e| SchoolError::Db(crate::db::Error::Task(e.to_string())))
}

/// The entry, if `who` may read it; otherwise `NotFound`, as if it did not exist.
pub fn readable(conn: &Connection, who: &Principal, id: BookEntryId) -> Result<Entry> {
    let e = load(conn, id)?;
    if !may_read(who, e.class.id) {
        return Err(SchoolError::NotFound);
    }
    Ok(e)
}

/// An entry opened for reading, with what this reader may do to it.
#[derive(Debug, Clone, Serialize)]
pub struct Opened {
    #[serde(flatten)]
    pub entry: Entry,
    pub can_edit: bool,
    pub can_delete: bool,
    /// Whether the drop box's page opens for this reader (parents see its title only).
    pub can_open_assignment: bool,
}

pub fn open(conn: &Connection, who: &Principal, id: BookEntryId) -> Result<Opened> {
    let entry = readable(conn, who, id)?;
    Ok(opened(who, entry))
}

pub fn opened(who: &Principal, entry: Entry) -> Opened {
    let author = entry.author_id;
    let can = |a: Action<'_>| authorize(who, &a).is_ok();
    Opened {
        can_edit: can(Action::EditBookEntry { author }),
        can_delete: can(Action::DeleteBookEntry { author }),
        can_open_assignment: entry.assignment.is_some()
            && can(Action::ViewAssignments {
                class: entry.class.id,
            }),
        entry,
    }
}

/// The classes whose book `who` reads without choosing: a pupil's classes, a parent's
/// (children's) classes, a teacher's classes; the office chooses among all of them.
pub fn own_classes(who: &Principal) -> Vec<ClassId> {
    let mut v: Vec<ClassId> = match who.role {
        Role::Pupil => who.classes.clone(),
        Role::Parent => who.children_classes.clone(),
        Role::Teacher => who.teaches.iter().chain(&who.classes).copied().collect(),
        Role::Admin | Role::Staff => who.teaches.clone(),
    };
    v.sort();
    v.dedup();
    v
}

/// The classes `who` may pick from on the book's page, by name.
pub fn readable_classes(conn: &Connection, who: &Principal) -> Result<Vec<ClassRef>> {
    let classes = match who.role {
        Role::Admin | Role::Staff => crate::accounts::list_classes(conn),
        _ => crate::accounts::classes_by_id(conn, &own_classes(who)),
    }
    .map_err(|e| SchoolError::Db(e.into()))?;
    Ok(classes
        .into_iter()
        .filter(|c| may_read(who, c.id))
        .map(|c| ClassRef {
            id: c.id,
            name: c.name,
        })
        .collect())
}

/// The classes `who` may write in, by name (the form's choice).
pub fn writable_classes(conn: &Connection, who: &Principal) -> Result<Vec<ClassRef>> {
    let classes = crate::accounts::classes_by_id(conn, &who.teaches)
        .map_err(|e| SchoolError::Db(e.into()))?;
    Ok(classes
        .into_iter()
        .filter(|c| may_write(who, c.id))
        .map(|c| ClassRef {
            id: c.id,
            name: c.name,
        })
        .collect())
}

/// The entries of `classes` with a lesson or a due date from `first` to `last` (inclusive),
/// by lesson day. A class `who` may not read is `NotFound`.
pub fn between(
    conn: &Connection,
    who: &Principal,
    classes: &[ClassId],
    first: Date,
    last: Date,
) -> Result<Vec<Entry>> {
    if classes.iter().any(|c| !may_read(who, *c)) {
        return Err(SchoolError::NotFound);
    }
    let ids = serde_json::to_string(&classes.iter().map(|c| c.0).collect::<Vec<_>>())
        .unwrap_or_else(|_| "[]".into());
    let mut stmt = conn.prepare_cached(&format!(
        "{ENTRY} WHERE e.class_id IN (SELECT value FROM json_each(?1))
           AND (e.lesson_day BETWEEN ?2 AND ?3 OR e.due_day BETWEEN ?2 AND ?3)
         ORDER BY e.lesson_day, e.subject, e.id LIMIT ?4"
    ))?;
    let raw: Vec<Entry> = stmt
        .query_map(
            rusqlite::params![ids, format_date(first), format_date(last), LIST_MAX],
            row,
        )?
        .collect::<rusqlite::Result<_>>()?;
    let mut out = Vec::with_capacity(raw.len());
    for e in raw {
        // The SQL only narrows; the policy decides.
        if may_read(who, e.class.id) {
            out.push(with_attachments(conn, e)?);
        }
    }
    Ok(out)
}

/// What is due from `first` to `last` in `who`'s own classes (see [`own_classes`]), by due
/// day, at most `n`: the dashboard's "due soon". One query per class, in the order of the
/// due-day index, so that SQLite sorts nothing.
pub fn due_between(
    conn: &Connection,
    who: &Principal,
    first: Date,
    last: Date,
    n: usize,
) -> Result<Vec<Entry>> {
    let (f, l) = (format_date(first), format_date(last));
    let mut stmt = conn.prepare_cached(&format!(
        "{ENTRY} WHERE e.class_id = ?1 AND e.due_day BETWEEN ?2 AND ?3 ORDER BY e.due_day"
    ))?;
    let mut all = Vec::new();
    for class in own_classes(who) {
        // The SQL only narrows; the policy decides.
        if !may_read(who, class) {
            continue;
        }
        let rows = stmt.query_map(rusqlite::params![class, f, l], row)?;
        for e in rows {
            all.push(e?);
        }
    }
    all.sort_by(|a, b| {
        (a.due_day.cmp(&b.due_day))
            .then(a.subject.cmp(&b.subject))
            .then(a.id.cmp(&b.id))
    });
    all.truncate(n);
    all.into_iter().map(|e| with_attachments(conn, e)).collect()
}

/// How many days ahead the dashboard's "due soon" looks, and how many items it shows.
pub const SOON_DAYS: i64 = 7;
pub const SOON_MAX: usize = 8;

/// One child's work due soon (`child` is `None` for a pupil's own).
#[derive(Debug, Clone, Serialize)]
pub struct DueGroup {
    pub child: Option<String>,
    pub entries: Vec<Entry>,
}

/// The dashboard's "due soon", from today (the school's, at `now`) to [`SOON_DAYS`] later: a
/// pupil's own work, and for a parent each child's, under the child's name. Nothing for the
/// others.
pub fn due_soon(conn: &Connection, who: &Principal, now: i64) -> Result<Vec<DueGroup>> {
    let today = when::local_date(now);
    let last = today
        .checked_add(time::Duration::days(SOON_DAYS))
        .unwrap_or(today);
    match who.role {
        Role::Pupil => Ok(vec![DueGroup {
            child: None,
            entries: due_between(conn, who, today, last, SOON_MAX)?,
        }]),
        Role::Parent => {
            let mut kids = crate::accounts::children_of(conn, who.id)
                .map_err(|e| SchoolError::Db(e.into()))?;
            kids.sort_by(|a, b| a.display_name.cmp(&b.display_name));
            let mut out = Vec::new();
            for k in kids.into_iter().filter(|k| who.children.contains(&k.id)) {
                let one = for_child(conn, who, k.id)?;
                out.push(DueGroup {
                    child: Some(k.display_name),
                    entries: due_between(conn, &one, today, last, SOON_MAX)?,
                });
            }
            Ok(out)
        }
        _ => Ok(Vec::new()),
    }
}

/// The subjects already used in `class`, for the form's suggestions. Only for those who
/// read the class's book.
pub fn subjects(conn: &Connection, who: &Principal, class: ClassId) -> Result<Vec<String>> {
    if !may_read(who, class) {
        return Err(SchoolError::NotFound);
    }
    let mut stmt = conn.prepare_cached(
        "SELECT subject FROM book_entries WHERE class_id = ?1
         GROUP BY subject ORDER BY count(*) DESC, subject LIMIT 50",
    )?;
    let rows = stmt.query_map([class], |r| r.get(0))?;
    let mut v: Vec<String> = rows.collect::<rusqlite::Result<_>>()?;
    v.sort();
    Ok(v)
}

/// The Monday of the week holding `d`.
pub fn monday_of(d: Date) -> Date {
    let back = i64::from(d.weekday().number_days_from_monday());
    d.checked_sub(time::Duration::days(back)).unwrap_or(d)
}

/// A day as the book's address carries it (`?week=`, `?day=`): `YYYY-MM-DD` within the
/// years [`when`] accepts.
pub fn parse_day(s: &str) -> Result<Date> {
    parse_date(s)
}

/// The first and last days `when` accepts, for the page's neighbours.
pub fn in_range(d: Date) -> bool {
    (when::YEAR_MIN..=when::YEAR_MAX).contains(&d.year())
}

/// A subject as typed: one line, within limits.
pub fn clean_subject(s: &str) -> Result<String> {
    let s = crate::one_line(s);
    if s.is_empty() {
        return Err(SchoolError::SubjectEmpty);
    }
    if s.chars().count() > SUBJECT_MAX {
        return Err(SchoolError::SubjectTooLong);
    }
    Ok(s)
}

/// A text as typed: line breaks kept (as `\n`), other control characters dropped, trimmed;
/// may be empty.
pub fn clean_text(s: &str) -> Result<String> {
    let t: String = s
        .replace("\r\n", "\n")
        .chars()
        .filter(|c| *c == '\n' || *c == '\t' || !c.is_control())
        .collect();
    let t = t.trim().to_owned();
    if t.chars().count() > TEXT_MAX {
        return Err(SchoolError::BookTextTooLong);
    }
    Ok(t)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn weeks_start_on_monday() {
        assert_eq!(monday_of(date!(2026 - 05 - 04)), date!(2026 - 05 - 04));
        assert_eq!(monday_of(date!(2026 - 05 - 10)), date!(2026 - 05 - 04));
        assert_eq!(monday_of(date!(2026 - 01 - 01)), date!(2025 - 12 - 29));
    }

    #[test]
    fn texts_and_subjects() {
        assert_eq!(clean_subject("  Maths\n").unwrap(), "Maths");
        assert!(matches!(
            clean_subject(" \t"),
            Err(SchoolError::SubjectEmpty)
        ));
        assert!(matches!(
            clean_subject(&"x".repeat(SUBJECT_MAX + 1)),
            Err(SchoolError::SubjectTooLong)
        ));
        assert_eq!(clean_text(" a\r\nb\u{7} ").unwrap(), "a\nb");
        assert_eq!(clean_text("   ").unwrap(), "");
        assert!(matches!(
            clean_text(&"é".repeat(TEXT_MAX + 1)),
            Err(SchoolError::BookTextTooLong)
        ));
    }
}
