//! The attendance pages: the register a teacher takes on a phone, the office's review of
//! absences, a family's record with its justification form, and the monthly CSV.
//!
//! `/attendance` is each role's way in: pupils and parents land on their record (a parent of
//! several children picks one with the shared switch, `children.rs`); teachers and the office
//! on the register chooser. Plain forms, no JavaScript: the register's Present / Absent /
//! Late choices are radio buttons styled as large buttons. Every `crate::school::attendance`
//! function asks the policy itself; refusals become pages here ([`web_error`]): what may not
//! be seen is a 404 like what does not exist, a refused act a 403, bad input a 400 saying why.

pub mod export;
pub mod family;
pub mod office;
pub mod register;

use crate::auth::Role;
use crate::school::attendance::{AttendanceError, Result as AResult};
use crate::school::when;
use crate::web::Response;
use crate::web::error::WebError;
use crate::web::req::Req;
use crate::web::router::Router;
use rusqlite::{Connection, Transaction};

pub fn routes(r: &mut Router) {
    r.get("/attendance", home);
    r.get("/attendance/register", register::sheet);
    r.post("/attendance/register", register::save);
    r.get("/attendance/absences", office::list);
    r.post("/attendance/absences/{id}", office::decide);
    r.post("/attendance/absences/{id}/justify", family::justify);
    r.get("/attendance/export", export::export);
}

/// A refusal as a page.
pub fn web_error(e: AttendanceError) -> WebError {
    match e {
        AttendanceError::NotFound => WebError::NotFound,
        AttendanceError::Denied => WebError::Forbidden,
        AttendanceError::Db(d) => d.into(),
        other => WebError::BadRequest(other.key()),
    }
}

/// Runs attendance queries on a read connection; a refusal becomes its page.
pub async fn read<T, F>(req: &Req, f: F) -> Result<T, WebError>
where
    T: Send + 'static,
    F: FnOnce(&Connection) -> AResult<T> + Send + 'static,
{
    req.app.db.read(move |c| Ok(f(c))).await?.map_err(web_error)
}

/// Runs attendance changes in one write transaction: a refusal rolls everything back.
pub async fn write<T, F>(req: &Req, f: F) -> Result<T, WebError>
where
    T: Send + 'static,
    F: FnOnce(&Transaction<'_>) -> AResult<T> + Send + 'static,
{
    req.app
        .db
        .write_as::<_, AttendanceError, _>(f)
        .await
        .map_err(web_error)
}

/// A stored day (`YYYY-MM-DD`) in words, in the page's language.
pub fn day_label(req: &Req, day: &str) -> String {
    match when::parse_date(day) {
        Ok(d) => super::day_label(req, d),
        Err(_) => day.to_owned(),
    }
}

/// Each role's way in: the record for pupils and parents, the register for the others.
pub async fn home(req: Req) -> Result<Response, WebError> {
    match req.principal()?.role {
        Role::Pupil | Role::Parent => family::record_page(req).await,
        Role::Teacher | Role::Staff | Role::Admin => register::chooser(req).await,
    }
}
