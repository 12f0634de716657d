//! Uploading several files at once into a folder, streamed to disk.
//!
//! The form sends `csrf`, then `dir` (the folder), then the files. Each file goes through a
//! `files::store::Upload` (a temporary file, fsynced, renamed into place), written a bounded
//! piece at a time on a blocking thread. Nothing is renamed into place until the whole body
//! has arrived and every file passed its checks, so a cut connection, an over-quota file or
//! a bad name anywhere leaves the folder as it was, and the dropped uploads delete their
//! temporary files.

use super::{Target, blocking, form_segments, locate};
use crate::files::{self, FileError, quota, store::Upload};
use crate::ids::SpaceId;
use crate::web::Response;
use crate::web::error::WebError;
use crate::web::req::{MultipartStream, Part, Req, redirect};
use bytes::BytesMut;

/// The largest upload body, all files together. Quotas usually bind long before.
pub const UPLOAD_LIMIT: u64 = 4 * 1024 * 1024 * 1024;
/// Written to disk once this much has arrived, to keep memory flat.
const BUFFER: usize = 256 * 1024;
/// The multipart framing a body may carry beyond its files' bytes, for the early quota check.
const FRAMING_ALLOWANCE: u64 = 64 * 1024;
/// At most this much of a refused upload is read and dropped before answering.
const DRAIN_LIMIT: u64 = 4 * 1024 * 1024;

struct Pending {
    name: String,
    upload: Upload,
}

pub async fn upload(mut req: Req) -> Result<Response, WebError> {
    req.principal()?;
    let declared = req
        .header(hyper::header::CONTENT_LENGTH)
        .and_then(|l| l.parse::<u64>().ok());
    let mut form = req.multipart_stream(UPLOAD_LIMIT)?;
    let received = receive(&req, &mut form, declared).await;
    if received.is_err() {
        // Read (and drop) a moderate rest of the body, so that the browser, still sending,
        // gets our message rather than a reset connection.
        form.drain(DRAIN_LIMIT).await;
    }
    let (t, pending) = received?;
    t.require_write(&req)?;
    let dir = t.path.clone();
    let count = pending.len();
    blocking(move || {
        // Checked again now that the body is in: another upload may have taken a name.
        for p in &pending {
            files::store::check_no_clash(&dir, &p.name, None)?;
        }
        for p in pending {
            p.upload.commit(&dir.join(&p.name))?;
        }
        Ok(())
    })
    .await?;
    log::info!(
        "{} uploaded {count} file(s) to {}",
        req.principal()?.username,
        t.display()
    );
    Ok(redirect(&format!("{}?msg=files.uploaded", t.href())))
}

/// Reads the form: the target folder, then each file into its temporary file. Nothing is
/// in place yet when this returns.
async fn receive(
    req: &Req,
    form: &mut MultipartStream,
    declared: Option<u64>,
) -> Result<(Target, Vec<Pending>), WebError> {
    let mut target: Option<Target> = None;
    let mut room = 0u64;
    let mut pending: Vec<Pending> = Vec::new();
    while let Some(part) = form.next().await? {
        match part {
            Part::Text(name, value) if name == "dir" => {
                if target.is_some() {
                    return Err(WebError::BadRequest("error.bad_form"));
                }
                let t = locate(req, form_segments(&value)).await?;
                t.require_write(req)?;
                room = room_left(req, &t).await?;
                if declared.is_some_and(|d| d > room.saturating_add(FRAMING_ALLOWANCE)) {
                    return Err(FileError::QuotaExceeded.into());
                }
                let dir = t.path.clone();
                let is_root = t.segments.is_empty();
                blocking(move || match std::fs::metadata(&dir) {
                    Ok(m) if m.is_dir() => Ok(()),
                    Ok(_) => Err(FileError::NotAFolder),
                    Err(_) if is_root => Ok(()),
                    Err(_) => Err(FileError::NotFound),
                })
                .await?;
                target = Some(t);
            }
            Part::Text(..) => {}
            Part::File(mut file) => {
                let t = target
                    .as_ref()
                    .ok_or(WebError::BadRequest("error.bad_form"))?;
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
                if pending
                    .iter()
                    .any(|p| files::names::fold(&p.name) == folded)
                {
                    return Err(FileError::Exists.into());
                }
                let dir = t.path.clone();
                let n = name.clone();
                blocking(move || files::store::check_no_clash(&dir, &n, None)).await?;
                let up = receive_file(&req.app.data_dir, &mut file, &mut room).await?;
                pending.push(Pending { name, upload: up });
            }
        }
    }
    let Some(t) = target else {
        return Err(WebError::BadRequest("error.bad_form"));
    };
    if pending.is_empty() {
        return Err(WebError::BadRequest("files.error_no_file"));
    }
    Ok((t, pending))
}

/// Bytes the target's space may still take.
/// Streams one file of a form into a temporary [`Upload`], in batches written on the blocking
/// pool, taking its bytes from `room`: more than `room` is refused as over quota. The web
/// file manager and homework hand-ins both receive files this way.
pub async fn receive_file(
    data_dir: &std::path::Path,
    file: &mut crate::web::req::FilePart,
    room: &mut u64,
) -> Result<Upload, WebError> {
    let data_dir = data_dir.to_owned();
    let mut up = blocking(move || Upload::start(&data_dir)).await?;
    let mut buf = BytesMut::new();
    loop {
        let chunk = file.chunk().await?;
        let end = chunk.is_none();
        if let Some(c) = chunk {
            if (c.len() as u64) > *room {
                return Err(FileError::QuotaExceeded.into());
            }
            *room -= c.len() as u64;
            buf.extend_from_slice(&c);
        }
        if buf.len() >= BUFFER || (end && !buf.is_empty()) {
            let bytes = buf.split().freeze();
            up = tokio::task::spawn_blocking(move || up.write(&bytes).map(|_| up))
                .await
                .map_err(|e| WebError::Internal(format!("upload task: {e}")))??;
        }
        if end {
            return Ok(up);
        }
    }
}

pub async fn room_left(req: &Req, t: &Target) -> Result<u64, WebError> {
    let space = t.space.id;
    let owner_role = match space {
        SpaceId::Personal(_) => Some(req.principal()?.role),
        _ => None,
    };
    let quota = req
        .app
        .db
        .read(move |c| Ok(quota::quota_bytes(c, space, owner_role)?))
        .await?;
    let root = t.root.clone();
    let used = blocking(move || Ok(quota::used(&root)?)).await?;
    Ok(quota.saturating_sub(used))
}
