//! One assignment's page, shaped by who looks: a pupil sees the instructions, their own
//! hand-ins and the upload form; a teacher of the class sees the roster (handed in, late, not
//! yet), every pupil's files, close/reopen and the zip of everything. Also the downloads of
//! single files and of the zip.

use super::load;
use crate::auth::Action;
use crate::files::Space;
use crate::homework::{self, HandIn, RosterRow, archive};
use crate::ids::{AssignmentId, UserId};
use crate::web::error::WebError;
use crate::web::pages::files::{Target, blocking, download, human_size};
use crate::web::req::Req;
use crate::web::{Response, empty};
use bytes::Bytes;
use futures_util::StreamExt;
use http_body_util::{BodyExt, StreamBody};
use hyper::body::Frame;
use hyper::header::{self, HeaderValue};
use minijinja::context;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::Serialize;
use tokio::io::AsyncReadExt;

/// What stays as it is in a file name in a link (`/` and `%` are always encoded).
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

#[derive(Serialize)]
struct FileRow {
    name: String,
    size: String,
    at: i64,
    late: bool,
    href: String,
}

fn file_rows(req: &Req, id: AssignmentId, pupil: UserId, files: &[HandIn]) -> Vec<FileRow> {
    files
        .iter()
        .map(|f| FileRow {
            name: f.file_name.clone(),
            size: human_size(&req.app.i18n, f.size, req.lang),
            at: f.handed_in_at,
            late: f.late,
            href: format!(
                "/homework/{id}/files/{pupil}/{}",
                utf8_percent_encode(&f.file_name, SEGMENT)
            ),
        })
        .collect()
}

#[derive(Serialize)]
struct PupilRow {
    display_name: String,
    username: String,
    status: homework::Status,
    last_at: Option<i64>,
    files: Vec<FileRow>,
}

pub async fn view(mut req: Req) -> Result<Response, WebError> {
    let id: AssignmentId = req.param("id")?;
    let a = load(&req, id).await?;
    let me = req.principal()?.id;
    let teacher = req
        .allow(&Action::ManageAssignments { class: a.class_id })
        .is_ok();
    let now = crate::now();
    if teacher {
        let a2 = a.clone();
        let roster: Vec<RosterRow> = req
            .app
            .db
            .read(move |c| Ok(homework::roster(c, &a2)))
            .await??;
        let count = |s| roster.iter().filter(|r| r.status == s).count();
        let (on_time, late, missing) = (
            count(homework::Status::OnTime),
            count(homework::Status::Late),
            count(homework::Status::Missing),
        );
        let pupils: Vec<PupilRow> = roster
            .iter()
            .map(|r| PupilRow {
                display_name: r.display_name.clone(),
                username: r.username.clone(),
                status: r.status,
                last_at: r.last_at,
                files: file_rows(&req, id, r.pupil, &r.files),
            })
            .collect();
        let any_files = pupils.iter().any(|r| !r.files.is_empty());
        return req.render(
            "homework/assignment.html",
            context! {
                a => a, teacher => true, pupils => pupils, on_time => on_time, late => late,
                missing => missing, any_files => any_files, past_due => now > a.due_at,
            },
        );
    }
    let space = a.drop_box(me);
    req.allow(&Action::ReadSpace { space })
        .map_err(|_| WebError::NotFound)?;
    let can_hand_in = req
        .allow(&Action::HandIn {
            space,
            open: !a.closed,
        })
        .is_ok();
    let a2 = a.clone();
    let mine = req
        .app
        .db
        .read(move |c| Ok(homework::hand_ins(c, &a2, Some(me))))
        .await??;
    let (status, last_at) = homework::status_of(&a, &mine);
    let files = file_rows(&req, id, me, &mine);
    req.render(
        "homework/assignment.html",
        context! {
            a => a, teacher => false, files => files, status => status, last_at => last_at,
            can_hand_in => can_hand_in, past_due => now > a.due_at,
        },
    )
}

/// One handed-in file, for the pupil who sent it or a teacher of the class. Anyone else gets
/// the same 404 as for a file that does not exist.
pub async fn download(req: Req) -> Result<Response, WebError> {
    let id: AssignmentId = req.param("id")?;
    let pupil: UserId = req.param("pupil")?;
    let raw: String = req.param("name")?;
    let name = percent_encoding::percent_decode_str(&raw)
        .decode_utf8()
        .map_err(|_| WebError::NotFound)?
        .into_owned();
    let a = load(&req, id).await?;
    let space = a.drop_box(pupil);
    req.allow(&Action::ReadSpace { space })
        .map_err(|_| WebError::NotFound)?;
    let root = homework::box_dir(&req.app.data_dir, &a, pupil);
    let (path, name, meta) = blocking({
        let root = root.clone();
        move || {
            let name = crate::files::check_name(&name)?;
            let path = crate::files::store::resolve(&root, &[name.as_str()])?;
            let meta = std::fs::metadata(&path).map_err(|_| crate::files::FileError::NotFound)?;
            if !meta.is_file() {
                return Err(crate::files::FileError::NotFound);
            }
            Ok((path, name, meta))
        }
    })
    .await
    .map_err(|e| match e {
        WebError::BadRequest(_) => WebError::NotFound,
        e => e,
    })?;
    let target = Target {
        space: Space {
            id: space,
            path: String::new(),
            title: a.title.clone(),
            writable: false,
        },
        segments: vec![name],
        root,
        path,
    };
    download::send(req, target, meta).await
}

/// Everything handed in, one folder per pupil, built in an unlinked temporary file and
/// streamed from it.
pub async fn zip(req: Req) -> Result<Response, WebError> {
    let id: AssignmentId = req.param("id")?;
    let a = load(&req, id).await?;
    req.allow(&Action::ManageAssignments { class: a.class_id })?;
    let a2 = a.clone();
    let roster = req
        .app
        .db
        .read(move |c| Ok(homework::roster(c, &a2)))
        .await??;
    let data_dir = req.app.data_dir.clone();
    let a3 = a.clone();
    let (file, len) = tokio::task::spawn_blocking(move || archive::build(&data_dir, &a3, &roster))
        .await
        .map_err(|e| WebError::Internal(format!("zip task: {e}")))??;
    log::info!(
        "{} downloaded the hand-ins of assignment {id}",
        req.principal()?.username
    );
    let file = tokio::fs::File::from_std(file);
    let stream = futures_util::stream::unfold(file, |mut file| async move {
        let mut buf = vec![0u8; 64 * 1024];
        match file.read(&mut buf).await {
            Ok(0) => None,
            Ok(n) => {
                buf.truncate(n);
                Some((Ok(Bytes::from(buf)), file))
            }
            Err(e) => Some((Err(e), file)),
        }
    });
    let mut resp = Response::new(empty());
    *resp.body_mut() = BodyExt::boxed(StreamBody::new(stream.map(|r| r.map(Frame::data))));
    let h = resp.headers_mut();
    let mut set = |name, value: &str| {
        if let Ok(v) = HeaderValue::from_str(value) {
            h.insert(name, v);
        }
    };
    set(header::CONTENT_TYPE, "application/zip");
    set(header::CONTENT_LENGTH, &len.to_string());
    set(header::CACHE_CONTROL, "private, no-store");
    set(
        header::CONTENT_DISPOSITION,
        &download::content_disposition(&archive::archive_name(&a), false),
    );
    Ok(resp)
}
