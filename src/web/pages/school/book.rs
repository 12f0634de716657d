//! The homework book's reading pages: a week (the default, Monday first, with the previous
//! and next weeks as links) or one day, each day listing its lessons (what was done, what
//! was set) and, again, the work due that day; one entry's page; its attached files.
//!
//! Which classes: a pupil's own, a parent's chosen child's (`children::choose`, one child at
//! a time), a teacher's classes (all at once, or one picked), the office one class at a
//! time. `?class=` names a class the reader may not read: 404, as for one that does not
//! exist. The addresses carry `week`/`day`, `class` and `child`, so every view is a plain
//! link that works without JavaScript and can be bookmarked.

use super::children::{self, ChildChoice};
use super::{day_label, read};
use crate::auth::Role;
use crate::files::Space;
use crate::ids::{BookEntryId, ClassId, SpaceId};
use crate::school::book::{self, Entry, Opened, attach};
use crate::school::when::{format_date, local_date};
use crate::web::Response;
use crate::web::error::WebError;
use crate::web::pages::files::{Target, download};
use crate::web::req::Req;
use minijinja::context;
use serde::{Deserialize, Serialize};
use time::{Date, Duration};

/// Adds the book's routes. Fixed paths (`new`) win over `{id}`.
pub fn routes(r: &mut crate::web::router::Router) {
    use super::book_form;
    r.get("/book", week);
    r.get("/book/new", book_form::new_form);
    r.post("/book/new", book_form::create);
    r.get("/book/{id}", view);
    r.get("/book/{id}/edit", book_form::edit_form);
    r.post("/book/{id}/edit", book_form::edit);
    r.post("/book/{id}/delete", book_form::delete);
    r.get("/book/{id}/files/{file}", download_file);
}

#[derive(Deserialize, Default)]
struct BookQuery {
    #[serde(default)]
    week: String,
    #[serde(default)]
    day: String,
    #[serde(default)]
    class: String,
}

/// An entry as the pages show it: its days in words, and what this reader may do.
#[derive(Serialize)]
pub struct EntryView {
    #[serde(flatten)]
    pub opened: Opened,
    pub lesson_label: String,
    pub due_label: String,
}

pub fn view_of(req: &Req, who: &crate::auth::Principal, e: Entry) -> EntryView {
    let label = |d: &str| {
        book::parse_day(d)
            .map(|d| day_label(req, d))
            .unwrap_or_default()
    };
    EntryView {
        lesson_label: label(&e.lesson_day),
        due_label: e.due_day.as_deref().map(label).unwrap_or_default(),
        opened: book::opened(who, e),
    }
}

#[derive(Serialize)]
struct DayView {
    date: String,
    label: String,
    today: bool,
    lessons: Vec<EntryView>,
    due: Vec<EntryView>,
}

/// A class the reader may switch to.
#[derive(Serialize)]
struct ClassOption {
    id: ClassId,
    name: String,
    selected: bool,
}

/// The parts of the address a link keeps: `&class=..&child=..`.
fn keep(class: Option<ClassId>, choice: &ChildChoice) -> String {
    let mut s = String::new();
    if let Some(c) = class {
        s.push_str(&format!("&class={c}"));
    }
    if choice.options.len() > 1
        && let Some(child) = &choice.child
    {
        s.push_str(&format!("&child={}", child.id));
    }
    s
}

fn shift(d: Date, days: i64) -> Option<Date> {
    d.checked_add(Duration::days(days))
        .filter(|d| book::in_range(*d))
}

pub async fn week(mut req: Req) -> Result<Response, WebError> {
    let q: BookQuery = req.query()?;
    let bad = |e: crate::school::SchoolError| WebError::BadRequest(e.key());
    let today = local_date(crate::now());
    let one_day = !q.day.trim().is_empty();
    let (first, last) = if one_day {
        let d = book::parse_day(&q.day).map_err(bad)?;
        (d, d)
    } else {
        let d = match q.week.trim() {
            "" => today,
            w => book::parse_day(w).map_err(bad)?,
        };
        let monday = book::monday_of(d);
        (monday, shift(monday, 6).unwrap_or(monday))
    };
    let asked_class = match q.class.trim() {
        "" => None,
        c => Some(c.parse::<ClassId>().map_err(|_| WebError::NotFound)?),
    };
    let choice = match asked_class {
        Some(class) => children::choose_child_in(&req, class).await?,
        None => children::choose_child(&req).await?,
    };
    let me = req.principal()?.clone();
    let who = choice.who.clone();
    let office = matches!(who.role, Role::Admin | Role::Staff);
    let (options, class, entries, can_write) = read(&req, move |c| {
        let options = book::readable_classes(c, &who)?;
        let class = match asked_class {
            Some(id) if book::may_read(&who, id) => Some(id),
            Some(_) => return Err(crate::school::SchoolError::NotFound),
            None if office => options.first().map(|c| c.id),
            None => None,
        };
        let classes = match class {
            Some(id) => vec![id],
            None => book::own_classes(&who),
        };
        let entries = book::between(c, &who, &classes, first, last)?;
        let can_write = !book::writable_classes(c, &who)?.is_empty();
        Ok((options, class, entries, can_write))
    })
    .await?;
    let mut days = Vec::new();
    let mut d = first;
    loop {
        let date = format_date(d);
        let lessons: Vec<EntryView> = entries
            .iter()
            .filter(|e| e.lesson_day == date)
            .map(|e| view_of(&req, &me, e.clone()))
            .collect();
        let due: Vec<EntryView> = entries
            .iter()
            .filter(|e| e.due_day.as_deref() == Some(date.as_str()))
            .map(|e| view_of(&req, &me, e.clone()))
            .collect();
        // The weekend shows only when something happens in it.
        let weekend = d.weekday().number_from_monday() > 5;
        if one_day || !weekend || !lessons.is_empty() || !due.is_empty() {
            days.push(DayView {
                label: day_label(&req, d),
                today: d == today,
                date,
                lessons,
                due,
            });
        }
        match d.next_day() {
            Some(n) if n <= last => d = n,
            _ => break,
        }
    }
    let (prev, next) = if one_day {
        (shift(first, -1), shift(first, 1))
    } else {
        (shift(first, -7), shift(first, 7))
    };
    let classes: Vec<ClassOption> = options
        .into_iter()
        .map(|o| ClassOption {
            selected: Some(o.id) == class,
            id: o.id,
            name: o.name,
        })
        .collect();
    let keep = keep(class, &choice);
    // Switching child keeps the week, not the class (the other child's are others).
    let child_extra = if one_day {
        format!("&day={}", format_date(first))
    } else {
        format!("&week={}", format_date(first))
    };
    req.render(
        "book/week.html",
        context! {
            one_day => one_day, days => days, first => format_date(first),
            first_label => day_label(&req, first), last_label => day_label(&req, last),
            prev => prev.map(format_date), next => next.map(format_date),
            this_week => format_date(book::monday_of(today)), keep => keep,
            classes => classes, class => class, all_mine => !office,
            children => choice.options, child => choice.child, child_extra => child_extra,
            can_write => can_write,
        },
    )
}

/// One child's work due soon, for the dashboard.
#[derive(Serialize)]
pub struct DueView {
    child: Option<String>,
    entries: Vec<EntryView>,
}

/// The dashboard's "due soon" (`book::due_soon`), in words.
pub fn due_views(req: &Req, groups: Vec<book::DueGroup>) -> Vec<DueView> {
    let Some(me) = req.principal.clone() else {
        return Vec::new();
    };
    groups
        .into_iter()
        .map(|g| DueView {
            child: g.child,
            entries: g
                .entries
                .into_iter()
                .map(|e| view_of(req, &me, e))
                .collect(),
        })
        .collect()
}

pub async fn view(mut req: Req) -> Result<Response, WebError> {
    let id: BookEntryId = req.param("id")?;
    let p = req.principal()?.clone();
    let who = p.clone();
    let e = read(&req, move |c| book::readable(c, &who, id)).await?;
    let e = view_of(&req, &p, e);
    req.render("book/entry.html", context! { e => e })
}

/// One attached file, for those who read the entry; anyone else gets the same 404 as for a
/// file that does not exist.
pub async fn download_file(req: Req) -> Result<Response, WebError> {
    let id: BookEntryId = req.param("id")?;
    let file: i64 = req.param("file")?;
    let p = req.principal()?.clone();
    let data_dir = req.app.data_dir.clone();
    let (e, a, path) = read(&req, move |c| attach::readable(c, &p, &data_dir, id, file)).await?;
    let meta = tokio::fs::symlink_metadata(&path)
        .await
        .ok()
        .filter(|m| m.is_file())
        .ok_or(WebError::NotFound)?;
    let root = attach::entry_dir(&req.app.data_dir, id);
    let target = Target {
        space: Space {
            id: SpaceId::Class(e.class.id),
            path: String::new(),
            title: e.subject.clone(),
            writable: false,
        },
        segments: vec![a.file_name],
        root,
        path,
    };
    download::send(req, target, meta).await
}
