//! Homework drop boxes in the portal: the list of assignments (and, for a teacher, the form
//! that opens one), an assignment's page, hand-ins, close/reopen and the zip of everything.
//!
//! Server-rendered forms, so a pupil can hand in from a cheap phone with JavaScript off. The
//! rules live in `crate::homework`; every access decision is the policy's
//! (`ViewAssignments`, `ManageAssignments`, `HandIn`, `ReadSpace` on a drop box). An
//! assignment or a drop box the principal may not see answers 404, so a pupil cannot learn
//! what exists in another class or another pupil's box.

pub mod assignment;
pub mod hand_in;

use crate::accounts;
use crate::auth::{Action, Principal};
use crate::homework::{self, Assignment, HomeworkError};
use crate::ids::{AssignmentId, ClassId};
use crate::web::Response;
use crate::web::error::WebError;
use crate::web::req::{Req, redirect};
use crate::web::router::Router;
use hyper::StatusCode;
use minijinja::context;
use serde::{Deserialize, Serialize};

/// Adds the homework routes.
pub fn routes(r: &mut Router) {
    r.get("/homework", list);
    r.post("/homework", create);
    r.get("/homework/{id}", assignment::view);
    r.post("/homework/{id}/hand-in", hand_in::upload);
    r.post("/homework/{id}/withdraw", hand_in::withdraw);
    r.post("/homework/{id}/close", close);
    r.post("/homework/{id}/reopen", reopen);
    r.get("/homework/{id}/zip", assignment::zip);
    r.get("/homework/{id}/files/{pupil}/{name}", assignment::download);
}

impl From<HomeworkError> for WebError {
    fn from(e: HomeworkError) -> Self {
        match e {
            HomeworkError::NotFound => WebError::NotFound,
            HomeworkError::File(f) => f.into(),
            HomeworkError::Db(d) => d.into(),
            other => WebError::BadRequest(other.key()),
        }
    }
}

/// Loads an assignment the principal may see (as a pupil or a teacher of its class), or 404.
pub async fn load(req: &Req, id: AssignmentId) -> Result<Assignment, WebError> {
    let a = req.app.db.read(move |c| Ok(homework::get(c, id))).await??;
    req.allow(&Action::ViewAssignments { class: a.class_id })
        .map_err(|_| WebError::NotFound)?;
    Ok(a)
}

#[derive(Serialize)]
struct Row {
    a: Assignment,
    /// For a pupil: where they stand.
    status: homework::Status,
    late_now: bool,
}

#[derive(Deserialize, Serialize, Default)]
struct NewForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    class: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    instructions: String,
    #[serde(default)]
    due: String,
}

#[derive(Serialize)]
struct ClassOption {
    id: ClassId,
    name: String,
}

async fn list_page(
    mut req: Req,
    form: NewForm,
    error: Option<&str>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let p: Principal = Principal::clone(req.principal()?);
    let mut classes: Vec<ClassId> = p.classes.iter().chain(&p.teaches).copied().collect();
    classes.sort();
    classes.dedup();
    classes.retain(|c| req.allow(&Action::ViewAssignments { class: *c }).is_ok());
    let teaches: Vec<ClassId> = p
        .teaches
        .iter()
        .copied()
        .filter(|c| req.allow(&Action::ManageAssignments { class: *c }).is_ok())
        .collect();
    let pupil = p.id;
    let (rows, options) = req
        .app
        .db
        .read(move |c| Ok(read_list(c, &classes, pupil, &teaches)))
        .await??;
    let teacher_view = !options.is_empty();
    let min_due = homework::format_due(crate::now());
    req.render_status(
        status,
        "homework/list.html",
        context! {
            rows => rows, classes => options, teacher_view => teacher_view, form => form,
            error => error, min_due => min_due,
        },
    )
}

/// The assignments of `classes` with the pupil's standing on each, and the classes the
/// principal may open an assignment for.
fn read_list(
    c: &rusqlite::Connection,
    classes: &[ClassId],
    pupil: crate::ids::UserId,
    teaches: &[ClassId],
) -> homework::Result<(Vec<Row>, Vec<ClassOption>)> {
    let mut rows = Vec::new();
    let now = crate::now();
    for a in homework::list_for_classes(c, classes)? {
        let mine = homework::hand_ins(c, &a, Some(pupil))?;
        let (status, _) = homework::status_of(&a, &mine);
        rows.push(Row {
            late_now: now > a.due_at,
            status,
            a,
        });
    }
    let options: Vec<ClassOption> = accounts::classes_by_id(c, teaches)?
        .into_iter()
        .map(|k| ClassOption {
            id: k.id,
            name: k.name,
        })
        .collect();
    Ok((rows, options))
}

pub async fn list(req: Req) -> Result<Response, WebError> {
    req.principal()?;
    list_page(req, NewForm::default(), None, StatusCode::OK).await
}

pub async fn create(mut req: Req) -> Result<Response, WebError> {
    req.principal()?;
    let form: NewForm = req.form().await?;
    let Ok(class) = form.class.parse::<ClassId>() else {
        return list_page(
            req,
            form,
            Some("homework.error_class"),
            StatusCode::BAD_REQUEST,
        )
        .await;
    };
    let allowed = req.allow(&Action::ManageAssignments { class })?;
    let due = homework::parse_due(&form.due);
    let (title, instructions) = (form.title.clone(), form.instructions.clone());
    let created = req
        .app
        .db
        .write_as(move |tx| homework::create(tx, &allowed, class, &title, &instructions, due))
        .await;
    match created {
        Ok(id) => Ok(redirect(&format!("/homework/{id}?msg=homework.created"))),
        Err(HomeworkError::Db(e)) => Err(e.into()),
        Err(HomeworkError::NotFound) => Err(WebError::NotFound),
        Err(e) => list_page(req, form, Some(e.key()), StatusCode::BAD_REQUEST).await,
    }
}

#[derive(Deserialize)]
struct CsrfOnly {
    #[allow(dead_code)]
    csrf: String,
}

async fn set_closed(mut req: Req, closed: bool) -> Result<Response, WebError> {
    let id: AssignmentId = req.param("id")?;
    let a = load(&req, id).await?;
    let allowed = req.allow(&Action::ManageAssignments { class: a.class_id })?;
    let _: CsrfOnly = req.form().await?;
    req.app
        .db
        .write_as(move |tx| homework::set_closed(tx, &allowed, id, closed))
        .await?;
    let msg = if closed { "closed" } else { "reopened" };
    Ok(redirect(&format!("/homework/{id}?msg=homework.{msg}")))
}

pub async fn close(req: Req) -> Result<Response, WebError> {
    set_closed(req, true).await
}

pub async fn reopen(req: Req) -> Result<Response, WebError> {
    set_closed(req, false).await
}
