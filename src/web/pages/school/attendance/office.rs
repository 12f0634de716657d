//! The office's review: absences and lateness (pending ones by default, those with a
//! family's justification first), each with its reason and decision form.

use super::{day_label, read, write};
use crate::ids::{ClassId, MarkId};
use crate::school::attendance::{Mark, REASON_MAX, Status, office};
use crate::school::{self, ClassRef};
use crate::web::Response;
use crate::web::error::WebError;
use crate::web::req::{Req, redirect};
use minijinja::context;
use serde::{Deserialize, Serialize};

#[derive(Serialize)]
struct MarkView {
    #[serde(flatten)]
    mark: Mark,
    day_label: String,
}

#[derive(Deserialize, Default)]
struct ListQuery {
    #[serde(default)]
    class: String,
    #[serde(default)]
    show: String,
}

fn class_filter(s: &str) -> Result<Option<ClassId>, WebError> {
    match s.trim() {
        "" => Ok(None),
        c => c
            .parse()
            .map(Some)
            .map_err(|_| WebError::BadRequest("error.bad_query")),
    }
}

pub async fn list(mut req: Req) -> Result<Response, WebError> {
    let q: ListQuery = req.query()?;
    let filter = office::Filter {
        class: class_filter(&q.class)?,
        all: q.show == "all",
    };
    let p = req.principal()?.clone();
    let (marks, classes) = read(&req, move |c| {
        let marks = office::list(c, &p, &filter)?;
        let classes: Vec<ClassRef> = school::addressable_classes(c, &p)?;
        Ok((marks, classes))
    })
    .await?;
    let marks: Vec<MarkView> = marks
        .into_iter()
        .map(|m| MarkView {
            day_label: day_label(&req, &m.day),
            mark: m,
        })
        .collect();
    let statuses: Vec<&str> = Status::ALL.iter().map(|s| s.as_str()).collect();
    let show = if q.show == "all" { "all" } else { "pending" };
    req.render(
        "attendance/absences.html",
        context! {
            marks => marks, classes => classes, class => q.class.trim(), show => show,
            statuses => statuses, reason_max => REASON_MAX,
        },
    )
}

#[derive(Deserialize)]
struct DecideForm {
    #[serde(default)]
    reason: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    show: String,
    #[serde(default)]
    class: String,
}

/// Records the reason and decision, then goes back to the same list.
pub async fn decide(mut req: Req) -> Result<Response, WebError> {
    let id: MarkId = req.param("id")?;
    let p = req.principal()?.clone();
    let form: DecideForm = req.form().await?;
    let status = Status::parse(&form.status).map_err(super::web_error)?;
    let reason = form.reason;
    write(&req, move |tx| office::decide(tx, &p, id, &reason, status)).await?;
    let mut query = vec![];
    if form.show == "all" {
        query.push(("show", "all".to_owned()));
    }
    if let Ok(Some(c)) = class_filter(&form.class) {
        query.push(("class", c.to_string()));
    }
    let query = serde_urlencoded::to_string(query).unwrap_or_default();
    Ok(redirect(&format!(
        "/attendance/absences?msg=attendance.decided&{query}"
    )))
}
