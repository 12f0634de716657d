//! One agenda event: planning it (the form with its date and time fields), its page, its
//! `.ics` download, editing and deleting.
//!
//! Dates and times are typed in the school's local time, in the fields `<input type="date">`
//! and `<input type="time">` give (plain text on older browsers); what is wrong with them comes
//! back as a message above the form as typed, and nothing is saved.

use super::agenda::{EventView, calendar_response, render_calendar, view_of};
use super::{AudienceForm, audience_kinds, form_problem, may_publish, read, web_error, write};
use crate::ids::EventId;
use crate::school::when::{WhenForm, form_of};
use crate::school::{self, ClassRef, agenda};
use crate::web::Response;
use crate::web::error::WebError;
use crate::web::req::{Req, redirect};
use hyper::StatusCode;
use minijinja::context;
use serde::Serialize;

/// The event form as it comes back.
#[derive(Serialize, Default, Clone)]
struct EventForm {
    title: String,
    kind: String,
    all_day: bool,
    start_date: String,
    start_time: String,
    end_date: String,
    end_time: String,
    place: String,
    description: String,
    #[serde(flatten)]
    audience: AudienceForm,
}

impl EventForm {
    fn from_pairs(pairs: Vec<(String, String)>) -> EventForm {
        let mut f = EventForm::default();
        for (k, v) in pairs {
            if f.audience.take(&k, &v) {
                continue;
            }
            match k.as_str() {
                "title" => f.title = v,
                "kind" => f.kind = v,
                "all_day" => f.all_day = v == "1" || v == "on",
                "start_date" => f.start_date = v,
                "start_time" => f.start_time = v,
                "end_date" => f.end_date = v,
                "end_time" => f.end_time = v,
                "place" => f.place = v,
                "description" => f.description = v,
                _ => {}
            }
        }
        f
    }

    fn draft(&self) -> Result<agenda::Draft, school::SchoolError> {
        Ok(agenda::Draft {
            title: self.title.clone(),
            kind: self.kind.clone(),
            audience: self.audience.parse()?,
            when: WhenForm {
                all_day: self.all_day,
                start_date: self.start_date.clone(),
                start_time: self.start_time.clone(),
                end_date: self.end_date.clone(),
                end_time: self.end_time.clone(),
            },
            place: self.place.clone(),
            description: self.description.clone(),
        })
    }

    fn of(e: &agenda::Event) -> EventForm {
        let w = form_of(&e.when());
        EventForm {
            title: e.title.clone(),
            kind: e.kind.clone(),
            all_day: w.all_day,
            start_date: w.start_date,
            start_time: w.start_time,
            end_date: w.end_date,
            end_time: w.end_time,
            place: e.place.clone(),
            description: e.description.clone(),
            audience: AudienceForm::of(&e.audience),
        }
    }
}

async fn form_page(
    mut req: Req,
    editing: Option<EventId>,
    form: EventForm,
    error: Option<&'static str>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let p = req.principal()?.clone();
    let kinds = audience_kinds(&p);
    let classes: Vec<ClassRef> = read(&req, move |c| school::addressable_classes(c, &p)).await?;
    req.render_status(
        status,
        "agenda/form.html",
        context! {
            editing => editing, form => form, error => error, kinds => kinds,
            classes => classes, event_kinds => agenda::KINDS, title_max => school::TITLE_MAX,
            place_max => agenda::PLACE_MAX, description_max => agenda::DESCRIPTION_MAX,
        },
    )
}

pub async fn new_form(req: Req) -> Result<Response, WebError> {
    let p = req.principal()?;
    if !may_publish(p) {
        return Err(WebError::Forbidden);
    }
    let form = EventForm {
        kind: "other".into(),
        audience: AudienceForm {
            audience: audience_kinds(p)[0].to_owned(),
            classes: match p.teaches.as_slice() {
                [only] => vec![only.0],
                _ => Vec::new(),
            },
        },
        ..EventForm::default()
    };
    form_page(req, None, form, None, StatusCode::OK).await
}

/// Saves a new event (`editing` is `None`) or changes one.
async fn save(mut req: Req, editing: Option<EventId>) -> Result<Response, WebError> {
    let p = req.principal()?.clone();
    let pairs: Vec<(String, String)> = req.form().await?;
    let form = EventForm::from_pairs(pairs);
    let draft = match form.draft() {
        Ok(d) => d,
        Err(e) => {
            let key = form_problem(e)?;
            return form_page(req, editing, form, Some(key), StatusCode::BAD_REQUEST).await;
        }
    };
    let done = write(&req, move |tx| match editing {
        Some(id) => agenda::edit(tx, &p, id, &draft).map(|_| id),
        None => agenda::create(tx, &p, &draft),
    })
    .await;
    match done {
        Ok(id) => {
            let msg = if editing.is_some() {
                "edited"
            } else {
                "created"
            };
            Ok(redirect(&format!("/agenda/{id}?msg=agenda.{msg}")))
        }
        Err(e) => {
            let key = form_problem(e)?;
            form_page(req, editing, form, Some(key), StatusCode::BAD_REQUEST).await
        }
    }
}

pub async fn create(req: Req) -> Result<Response, WebError> {
    save(req, None).await
}

pub async fn view(mut req: Req) -> Result<Response, WebError> {
    let id: EventId = req.param("id")?;
    let p = req.principal()?.clone();
    let opened = read(&req, move |c| agenda::open(c, &p, id)).await?;
    let event: EventView = view_of(&req, opened.event);
    req.render(
        "agenda/event.html",
        context! {
            event => event, can_edit => opened.can_edit, can_delete => opened.can_delete,
        },
    )
}

/// One event as a `.ics` file, for whoever may see it.
pub async fn ics(req: Req) -> Result<Response, WebError> {
    let id: EventId = req.param("id")?;
    let p = req.principal()?.clone();
    let event = read(&req, move |c| agenda::readable(c, &p, id)).await?;
    let text = render_calendar(&req, req.lang, std::slice::from_ref(&event), crate::now());
    Ok(calendar_response(text, Some(&format!("event-{id}.ics"))))
}

pub async fn edit_form(req: Req) -> Result<Response, WebError> {
    let id: EventId = req.param("id")?;
    let p = req.principal()?.clone();
    let opened = read(&req, move |c| agenda::open(c, &p, id)).await?;
    if !opened.can_edit {
        return Err(WebError::Forbidden);
    }
    let form = EventForm::of(&opened.event);
    form_page(req, Some(id), form, None, StatusCode::OK).await
}

pub async fn edit(req: Req) -> Result<Response, WebError> {
    let id: EventId = req.param("id")?;
    save(req, Some(id)).await
}

pub async fn delete(mut req: Req) -> Result<Response, WebError> {
    let id: EventId = req.param("id")?;
    let p = req.principal()?.clone();
    let _: Vec<(String, String)> = req.form().await?;
    write(&req, move |tx| agenda::delete(tx, &p, id))
        .await
        .map_err(web_error)?;
    Ok(redirect("/agenda?msg=agenda.deleted"))
}
