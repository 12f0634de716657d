//! A pupil hands files in (several at once, streamed to disk) or takes one back out.
//!
//! The upload form sends `csrf`, then the files. Each file goes through a
//! `files::store::Upload` (temporary file, fsync, rename) a bounded piece at a time, against
//! the drop box's own cap; nothing is put in place until the whole body is in and every
//! name passed, and `homework::hand_in` checks again, in the transaction that records them,
//! that the teacher has not closed the box meanwhile. A closed box answers with a clear
//! message, never a bare 403.

use super::load;
use crate::auth::Action;
use crate::files::{self, FileError, quota, store::Upload};
use crate::homework::{self, Assignment, HomeworkError};
use crate::ids::AssignmentId;
use crate::web::Response;
use crate::web::error::WebError;
use crate::web::pages::files::blocking;
use crate::web::req::{MultipartStream, Part, Req, redirect};
use serde::Deserialize;

/// The largest hand-in body, all files together; the drop box's cap usually binds first.
const LIMIT: u64 = 1024 * 1024 * 1024;
/// At most this much of a refused upload is read and dropped before answering.
const DRAIN_LIMIT: u64 = 4 * 1024 * 1024;

/// Refuses, with the message a pupil should read, a change to a box they may not change.
fn require_hand_in(req: &Req, a: &Assignment) -> Result<crate::auth::Allowed, WebError> {
    let space = a.drop_box(req.principal()?.id);
    if a.closed && req.allow(&Action::HandIn { space, open: true }).is_ok() {
        return Err(HomeworkError::Closed.into());
    }
    req.allow(&Action::HandIn {
        space,
        open: !a.closed,
    })
}

pub async fn upload(mut req: Req) -> Result<Response, WebError> {
    let id: AssignmentId = req.param("id")?;
    let a = load(&req, id).await?;
    let mut form = req.multipart_stream(LIMIT)?;
    let received = match require_hand_in(&req, &a) {
        Ok(allowed) => receive(&req, &a, &mut form).await.map(|p| (allowed, p)),
        Err(e) => Err(e),
    };
    if received.is_err() {
        form.drain(DRAIN_LIMIT).await;
    }
    let (allowed, pending) = received?;
    let data_dir = req.app.data_dir.clone();
    let count = req
        .app
        .db
        .write_as(move |tx| homework::hand_in(tx, &allowed, &data_dir, id, pending))
        .await?;
    log::info!(
        "{} handed in {count} file(s) for assignment {id}",
        req.principal()?.username
    );
    Ok(redirect(&format!("/homework/{id}?msg=homework.handed_in")))
}

/// Reads each file into its temporary file; nothing is in place yet when this returns.
async fn receive(
    req: &Req,
    a: &Assignment,
    form: &mut MultipartStream,
) -> Result<Vec<(String, Upload)>, WebError> {
    let pupil = req.principal()?.id;
    let space = a.drop_box(pupil);
    let dir = homework::box_dir(&req.app.data_dir, a, pupil);
    let cap = req
        .app
        .db
        .read(move |c| Ok(quota::quota_bytes(c, space, None)?))
        .await?;
    let used = blocking({
        let dir = dir.clone();
        move || Ok(quota::used(&dir)?)
    })
    .await?;
    let mut room = cap.saturating_sub(used);
    let mut pending: Vec<(String, Upload)> = Vec::new();
    while let Some(part) = form.next().await? {
        let Part::File(mut file) = part else { continue };
        if file.field != "files" {
            return Err(WebError::BadRequest("error.bad_form"));
        }
        // A file input left empty still sends one nameless, empty part.
        if file.file_name.is_empty() {
            while file.chunk().await?.is_some() {}
            continue;
        }
        let name = files::check_name(&file.file_name)?;
        let folded = files::names::fold(&name);
        if pending.iter().any(|(n, _)| files::names::fold(n) == folded) {
            return Err(FileError::Exists.into());
        }
        let (d, n) = (dir.clone(), name.clone());
        blocking(move || files::store::check_no_clash(&d, &n, None)).await?;
        let up =
            crate::web::pages::files::upload::receive_file(&req.app.data_dir, &mut file, &mut room)
                .await?;
        pending.push((name, up));
    }
    if pending.is_empty() {
        return Err(WebError::BadRequest("files.error_no_file"));
    }
    Ok(pending)
}

#[derive(Deserialize)]
struct WithdrawForm {
    name: String,
}

pub async fn withdraw(mut req: Req) -> Result<Response, WebError> {
    let id: AssignmentId = req.param("id")?;
    let a = load(&req, id).await?;
    let allowed = require_hand_in(&req, &a)?;
    let form: WithdrawForm = req.form().await?;
    let data_dir = req.app.data_dir.clone();
    req.app
        .db
        .write_as(move |tx| homework::withdraw(tx, &allowed, &data_dir, id, &form.name))
        .await?;
    Ok(redirect(&format!("/homework/{id}?msg=homework.withdrawn")))
}
