//! Writing in the homework book: a class's teacher adds an entry; its author (or an admin)
//! changes or deletes it. Every change checks the policy first, inside the transaction, then
//! the fields, so that a refusal says nothing about the rest; deleting is audited, as for
//! news. Attached files come staged (`attach::stage`) and are put in place last.

use super::super::when::parse_date;
use super::*;
use crate::accounts::audit;
use crate::auth::Action;
use std::path::{Path, PathBuf};

/// An entry as a form sends it.
#[derive(Debug, Clone, Default)]
pub struct Draft {
    pub subject: String,
    /// `YYYY-MM-DD`.
    pub lesson_day: String,
    pub done: String,
    pub work: String,
    /// `YYYY-MM-DD`, or empty when nothing is due.
    pub due_day: String,
    /// One of the class's drop boxes.
    pub assignment: Option<AssignmentId>,
    /// Files already attached to take off (when editing).
    pub remove_files: Vec<i64>,
    /// The library articles to read, all of them (they replace the entry's): found in the
    /// library and readable by the class's pupils, which the page checks (it holds the
    /// library) before the write.
    pub articles: Vec<ArticleLink>,
}

/// A draft, checked.
struct Clean {
    subject: String,
    lesson_day: String,
    done: String,
    work: String,
    due_day: Option<String>,
    assignment: Option<AssignmentId>,
}

/// Replaces an entry's library articles.
fn set_articles(tx: &Transaction<'_>, id: BookEntryId, articles: &[ArticleLink]) -> Result<()> {
    tx.execute("DELETE FROM book_entry_articles WHERE entry_id = ?1", [id])?;
    let mut st = tx.prepare_cached(
        "INSERT INTO book_entry_articles (entry_id, position, collection, path, title) \
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for (i, a) in articles.iter().enumerate() {
        st.execute(rusqlite::params![
            id,
            i as i64,
            a.collection,
            a.path,
            a.title
        ])?;
    }
    Ok(())
}

/// Checks a draft for `class`'s book. Run after the policy.
fn check(conn: &Connection, class: ClassId, d: &Draft) -> Result<Clean> {
    if d.articles.len() > MAX_ARTICLES {
        return Err(SchoolError::TooManyArticles);
    }
    if d.articles.iter().any(|a| {
        a.collection.is_empty() || a.path.is_empty() || a.path.len() > 1024 || a.title.len() > 1024
    }) {
        return Err(SchoolError::BadArticle);
    }
    let subject = clean_subject(&d.subject)?;
    let lesson = parse_date(&d.lesson_day)?;
    let done = clean_text(&d.done)?;
    let work = clean_text(&d.work)?;
    let due = match d.due_day.trim() {
        "" => None,
        s => Some(parse_date(s)?),
    };
    if done.is_empty() && work.is_empty() {
        return Err(SchoolError::NothingWritten);
    }
    match (work.is_empty(), due) {
        (false, None) => return Err(SchoolError::DueMissing),
        (true, Some(_)) => return Err(SchoolError::WorkMissing),
        _ => {}
    }
    if let Some(due) = due {
        if due < lesson {
            return Err(SchoolError::DueBeforeLesson);
        }
        if (due - lesson).whole_days() > DUE_MAX_DAYS {
            return Err(SchoolError::DueTooFar);
        }
    }
    if let Some(a) = d.assignment {
        let of: Option<ClassId> = conn
            .prepare_cached("SELECT class_id FROM assignments WHERE id = ?1")?
            .query_row([a], |r| r.get(0))
            .optional()?;
        if of != Some(class) {
            return Err(SchoolError::BadAssignment);
        }
    }
    Ok(Clean {
        subject,
        lesson_day: format_date(lesson),
        done,
        work,
        due_day: due.map(format_date),
        assignment: d.assignment,
    })
}

/// Adds an entry to `class`'s book, with the files staged for it.
pub fn create(
    tx: &Transaction<'_>,
    who: &Principal,
    data_dir: &Path,
    class: ClassId,
    draft: &Draft,
    staged: Vec<attach::Staged>,
) -> Result<BookEntryId> {
    let allowed = authorize(who, &Action::WriteBook { class }).map_err(|_| SchoolError::Denied)?;
    let c = check(tx, class, draft)?;
    tx.prepare_cached(
        "INSERT INTO book_entries (class_id, author_id, subject, lesson_day, done, work,
         due_day, assignment_id, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(rusqlite::params![
        class,
        allowed.actor(),
        c.subject,
        c.lesson_day,
        c.done,
        c.work,
        c.due_day,
        c.assignment,
        crate::now()
    ])?;
    let id = BookEntryId(tx.last_insert_rowid());
    set_articles(tx, id, &draft.articles)?;
    attach::place(tx, data_dir, id, staged)?;
    Ok(id)
}

/// Changes an entry (its class stays): its author or an admin. Returns the files taken off,
/// to [`attach::discard`] once committed.
pub fn edit(
    tx: &Transaction<'_>,
    who: &Principal,
    data_dir: &Path,
    id: BookEntryId,
    draft: &Draft,
    staged: Vec<attach::Staged>,
) -> Result<Vec<PathBuf>> {
    let e = readable(tx, who, id)?;
    authorize(
        who,
        &Action::EditBookEntry {
            author: e.author_id,
        },
    )
    .map_err(|_| SchoolError::Denied)?;
    // An editor who does not see the class's drop boxes (an admin who does not teach it)
    // is offered none: the link stays as the author made it, and choosing another one
    // (a forged form, or a probe for the boxes' ids) is refused.
    let current = e.assignment.as_ref().map(|a| a.id);
    let kept;
    let draft = if may_choose_drop_box(who, e.class.id) {
        draft
    } else {
        match draft.assignment {
            None => {
                kept = Draft {
                    assignment: current,
                    ..draft.clone()
                };
                &kept
            }
            Some(a) if Some(a) == current => draft,
            Some(_) => return Err(SchoolError::BadAssignment),
        }
    };
    let c = check(tx, e.class.id, draft)?;
    tx.prepare_cached(
        "UPDATE book_entries SET subject = ?1, lesson_day = ?2, done = ?3, work = ?4,
         due_day = ?5, assignment_id = ?6, edited_at = ?7 WHERE id = ?8",
    )?
    .execute(rusqlite::params![
        c.subject,
        c.lesson_day,
        c.done,
        c.work,
        c.due_day,
        c.assignment,
        crate::now(),
        id
    ])?;
    set_articles(tx, id, &draft.articles)?;
    let stale = attach::remove(tx, data_dir, id, &draft.remove_files)?;
    attach::place(tx, data_dir, id, staged)?;
    Ok(stale)
}

/// Deletes an entry with its files; the audit log keeps what it was. Returns the files to
/// [`attach::discard`] once committed.
pub fn delete(
    tx: &Transaction<'_>,
    who: &Principal,
    data_dir: &Path,
    id: BookEntryId,
) -> Result<Vec<PathBuf>> {
    let e = readable(tx, who, id)?;
    let allowed = authorize(
        who,
        &Action::DeleteBookEntry {
            author: e.author_id,
        },
    )
    .map_err(|_| SchoolError::Denied)?;
    let stale = e
        .attachments
        .iter()
        .map(|a| attach::file_path(data_dir, id, a.id))
        .collect();
    tx.execute("DELETE FROM book_entries WHERE id = ?1", [id])?;
    audit(
        tx,
        &allowed,
        &format!("book {id}"),
        &format!(
            "{} · {} · {} ({})",
            e.class.name, e.subject, e.lesson_day, e.author
        ),
    )?;
    Ok(stale)
}
