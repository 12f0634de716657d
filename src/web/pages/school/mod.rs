//! School life's pages: the news timeline and its items, the agenda with its month table,
//! events and their `.ics`, and the calendar feed a phone subscribes to.
//!
//! Plain server-rendered forms, no JavaScript, a CSRF token on every POST (`req.form`). The
//! pages decide nothing: every `crate::school` function takes the principal and asks the
//! policy itself. Its refusals become a page here, in one place ([`web_error`]): what the
//! reader may not see is a 404 exactly like what does not exist, a refused action a 403, and
//! what a person can fix (an empty title, a bad date) their form again, as typed, with why.

pub mod agenda;
pub mod attendance;
pub mod book;
pub mod book_form;
pub mod children;
pub mod event;
pub mod news;

use crate::auth::{Action, Principal, Role, SchoolAudience, authorize};
use crate::ids::{ClassId, UserId};
use crate::school::{self, ClassRef, SchoolError};
use crate::web::error::WebError;
use crate::web::req::Req;
use crate::web::router::Router;
use rusqlite::{Connection, Transaction};
use serde::Serialize;
use time::Date;

/// Adds the news and agenda routes. Fixed paths (`new`, `feed`) win over `{id}`.
pub fn routes(r: &mut Router) {
    r.get("/news", news::timeline);
    r.get("/news/new", news::new_form);
    r.post("/news/new", news::create);
    r.get("/news/{id}", news::view);
    r.post("/news/{id}/ack", news::acknowledge);
    r.get("/news/{id}/edit", news::edit_form);
    r.post("/news/{id}/edit", news::edit);
    r.post("/news/{id}/delete", news::delete);
    r.get("/agenda", agenda::agenda);
    r.post("/agenda/feed", agenda::new_feed);
    r.get("/agenda/feed/{token}.ics", agenda::feed);
    r.get("/agenda/new", event::new_form);
    r.post("/agenda/new", event::create);
    r.get("/agenda/{id}", event::view);
    r.get("/agenda/{id}.ics", event::ics);
    r.get("/agenda/{id}/edit", event::edit_form);
    r.post("/agenda/{id}/edit", event::edit);
    r.post("/agenda/{id}/delete", event::delete);
    book::routes(r);
}

/// A refusal as a page: what cannot be seen is a 404, what may not be done a 403, and a
/// database failure the internal-error page (details to the log only).
pub fn web_error(e: SchoolError) -> WebError {
    match e {
        SchoolError::NotFound => WebError::NotFound,
        SchoolError::Denied => WebError::Forbidden,
        SchoolError::Db(d) => d.into(),
        other => WebError::BadRequest(other.key()),
    }
}

/// A refusal the form explains (its message key); the others become their error page.
pub fn form_problem(e: SchoolError) -> Result<&'static str, WebError> {
    match e {
        SchoolError::NotFound | SchoolError::Denied | SchoolError::Db(_) => Err(web_error(e)),
        other => Ok(other.key()),
    }
}

/// Runs school queries on a read connection; a refusal becomes its page.
pub async fn read<T, F>(req: &Req, f: F) -> Result<T, WebError>
where
    T: Send + 'static,
    F: FnOnce(&Connection) -> school::Result<T> + Send + 'static,
{
    req.app.db.read(move |c| Ok(f(c))).await?.map_err(web_error)
}

/// Runs school changes in one write transaction, keeping the domain's refusal typed (the
/// transaction is rolled back: a refused change changes nothing).
pub async fn write<T, F>(req: &Req, f: F) -> school::Result<T>
where
    T: Send + 'static,
    F: FnOnce(&Transaction<'_>) -> school::Result<T> + Send + 'static,
{
    req.app.db.write_as::<_, SchoolError, _>(f).await
}

/// Whether `who` may write anything at all (news or events): the office, and teachers of at
/// least one class. Pupils and parents never see the forms.
pub fn may_publish(who: &Principal) -> bool {
    authorize(
        who,
        &Action::PostNews {
            audience: &SchoolAudience::School,
        },
    )
    .is_ok()
        || (!who.teaches.is_empty()
            && authorize(
                who,
                &Action::PostNews {
                    audience: &SchoolAudience::Classes(who.teaches.clone()),
                },
            )
            .is_ok())
}

/// The audience choices a form offers `who`: the school-wide kinds only to the office.
pub fn audience_kinds(who: &Principal) -> Vec<&'static str> {
    if matches!(who.role, Role::Admin | Role::Staff) {
        vec!["school", "staff", "parents", "classes", "class_parents"]
    } else {
        vec!["classes", "class_parents"]
    }
}

/// The audience part of a form, as sent: its kind and the ticked classes (the `class`
/// checkboxes repeat, so forms are read as pairs).
#[derive(Debug, Clone, Default, Serialize)]
pub struct AudienceForm {
    pub audience: String,
    pub classes: Vec<i64>,
}

impl AudienceForm {
    /// Takes the pair if it is part of the audience; false otherwise.
    pub fn take(&mut self, key: &str, value: &str) -> bool {
        match key {
            "audience" => self.audience = value.to_owned(),
            "class" => {
                if let Ok(id) = value.trim().parse::<i64>()
                    && !self.classes.contains(&id)
                {
                    self.classes.push(id);
                }
            }
            _ => return false,
        }
        true
    }

    pub fn of(a: &SchoolAudience) -> AudienceForm {
        AudienceForm {
            audience: a.kind().to_owned(),
            classes: a.classes().iter().map(|c| c.0).collect(),
        }
    }

    /// The audience, or the message saying what is missing.
    pub fn parse(&self) -> Result<SchoolAudience, SchoolError> {
        let classes = self.classes.iter().map(|c| ClassId(*c)).collect();
        let a = SchoolAudience::from_parts(self.audience.trim(), classes)
            .ok_or(SchoolError::BadAudience)?;
        school::tidy_audience(a)
    }
}

/// Who an item is for, in words: "Whole school", "6e A, 5e B", "Parents of 6e A".
pub fn audience_label(req: &Req, a: &SchoolAudience, classes: &[ClassRef]) -> String {
    let names = classes
        .iter()
        .map(|c| c.name.as_str())
        .collect::<Vec<_>>()
        .join(&req.t("common.list_separator"));
    let kind = format!("school.audience.{}", a.kind());
    match a {
        SchoolAudience::Classes(_) | SchoolAudience::ClassParents(_) => {
            req.app.i18n.format(req.lang, &kind, &[("classes", &names)])
        }
        _ => req.t(&kind),
    }
}

/// A day in words, in the page's language and its word order: "Mon 4 May 2026",
/// "lun. 4 mai 2026", "qui., 4 de maio de 2026".
pub fn day_label(req: &Req, d: Date) -> String {
    let wd = req.t(&format!(
        "agenda.weekday.{}",
        d.weekday().number_from_monday()
    ));
    let month = req.t(&format!("agenda.month.{}", u8::from(d.month())));
    req.app.i18n.format_plain(
        req.lang,
        "date.day",
        &[
            ("weekday", &wd),
            ("day", &d.day().to_string()),
            ("month", &month),
            ("year", &d.year().to_string()),
        ],
    )
}

/// `08:30`, in the school's time.
pub fn hour_label(ts: i64) -> String {
    crate::clock::local(ts)
        .and_then(|t| {
            t.format(time::macros::format_description!("[hour]:[minute]"))
                .ok()
        })
        .unwrap_or_default()
}

/// A parent's choice among their children (`?child=`), as the children's names and the
/// narrowed principal. Another family's child, or a child id from anyone but a parent, is
/// 404: nothing says whether it exists.
#[derive(Serialize, Debug, Clone)]
pub struct ChildOption {
    pub id: UserId,
    pub name: String,
    pub selected: bool,
}

pub async fn child_scope(
    req: &Req,
    child: Option<&str>,
) -> Result<(Principal, Vec<ChildOption>), WebError> {
    let p = Principal::clone(req.principal()?);
    let child = match child.map(str::trim).filter(|c| !c.is_empty()) {
        Some(c) => Some(c.parse::<UserId>().map_err(|_| WebError::NotFound)?),
        None => None,
    };
    if p.role != Role::Parent {
        return match child {
            Some(_) => Err(WebError::NotFound),
            None => Ok((p, Vec::new())),
        };
    }
    read(req, move |c| {
        let kids = crate::accounts::children_of(c, p.id).map_err(|e| SchoolError::Db(e.into()))?;
        let options = kids
            .into_iter()
            .map(|k| ChildOption {
                selected: Some(k.id) == child,
                id: k.id,
                name: k.display_name,
            })
            .collect();
        let scoped = match child {
            Some(id) => school::for_child(c, &p, id)?,
            None => p,
        };
        Ok((scoped, options))
    })
    .await
}
