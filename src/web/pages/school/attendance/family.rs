//! A pupil's record, for the pupil and (one child at a time) their parents, with the form a
//! parent justifies an absence with.

use super::super::children::choose_child;
use super::{day_label, read, write};
use crate::auth::Role;
use crate::ids::MarkId;
use crate::school::attendance::{NOTE_MAX, family};
use crate::web::Response;
use crate::web::error::WebError;
use crate::web::req::{Req, redirect};
use minijinja::context;
use serde::{Deserialize, Serialize};

#[derive(Serialize)]
struct MarkView {
    #[serde(flatten)]
    mark: family::FamilyMark,
    day_label: String,
}

/// The record: the pupil's own, or the chosen child's for a parent.
pub async fn record_page(mut req: Req) -> Result<Response, WebError> {
    let choice = choose_child(&req).await?;
    let who = choice.who.clone();
    let pupil = match (who.role, &choice.child) {
        (Role::Parent, Some(child)) => Some(child.id),
        (Role::Parent, None) => None,
        _ => Some(who.id),
    };
    let record = match pupil {
        Some(pupil) => Some(read(&req, move |c| family::record(c, &who, pupil)).await?),
        None => None,
    };
    let (summary, marks) = match record {
        Some(mut r) => {
            let marks: Vec<MarkView> = std::mem::take(&mut r.marks)
                .into_iter()
                .map(|m| MarkView {
                    day_label: day_label(&req, &m.mark.day),
                    mark: m,
                })
                .collect();
            (Some(r), marks)
        }
        None => (None, Vec::new()),
    };
    req.render(
        "attendance/record.html",
        context! {
            summary => summary, marks => marks, children => choice.options,
            child => choice.child, list_path => "/attendance", note_max => NOTE_MAX,
        },
    )
}

#[derive(Deserialize)]
struct JustifyForm {
    #[serde(default)]
    note: String,
}

/// A parent's justification of one absence; another family's is a 404.
pub async fn justify(mut req: Req) -> Result<Response, WebError> {
    let id: MarkId = req.param("id")?;
    let p = req.principal()?.clone();
    let form: JustifyForm = req.form().await?;
    let child = write(&req, move |tx| family::justify(tx, &p, id, &form.note)).await?;
    Ok(redirect(&format!(
        "/attendance?child={child}&msg=attendance.justified#mark-{id}"
    )))
}
