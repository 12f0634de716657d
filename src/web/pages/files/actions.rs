//! The small changes: new folder, rename, move within a space, delete to the trash.
//!
//! Each is a plain form `POST` (CSRF and Origin checked by `Req::form`), names its target by
//! its full path (`Classes/6e A/Maths`), asks the policy for `WriteSpace`, and answers with a
//! redirect to the folder and a flash message. Every refusal happens before anything on
//! disk changes; each change is one rename or mkdir, followed by an fsync of the folder.

use super::{Target, blocking, form_segments, locate};
use crate::files::{self, FileError, store, trash};
use crate::web::Response;
use crate::web::error::WebError;
use crate::web::req::{Req, redirect};
use serde::Deserialize;

/// The folder a target is in, as a link to come back to.
fn parent_href(t: &Target) -> String {
    super::href(&t.space, &t.segments[..t.segments.len().saturating_sub(1)])
}

/// Locates a form's `path`, refusing a space's root (it cannot be renamed, moved or deleted)
/// and a space the principal cannot write (403 once they can see it).
async fn writable_entry(req: &Req, path: &str) -> Result<Target, WebError> {
    let t = locate(req, form_segments(path)).await?;
    t.require_write(req)?;
    if t.segments.is_empty() {
        return Err(WebError::BadRequest("files.error_space_root"));
    }
    let p = t.path.clone();
    blocking(move || match std::fs::symlink_metadata(&p) {
        Ok(m) if !m.file_type().is_symlink() => Ok(()),
        _ => Err(FileError::NotFound),
    })
    .await?;
    Ok(t)
}

#[derive(Deserialize)]
pub struct MkdirForm {
    dir: String,
    name: String,
}

/// `POST /files-action/mkdir` with `dir` and `name`.
pub async fn mkdir(mut req: Req) -> Result<Response, WebError> {
    req.principal()?;
    let form: MkdirForm = req.form().await?;
    let t = locate(&req, form_segments(&form.dir)).await?;
    t.require_write(&req)?;
    let name = files::check_name(form.name.trim())?;
    let (root, dir, is_root) = (t.root.clone(), t.path.clone(), t.segments.is_empty());
    blocking(move || {
        if is_root {
            std::fs::create_dir_all(&root)?;
        }
        if !std::fs::symlink_metadata(&dir)?.is_dir() {
            return Err(FileError::NotAFolder);
        }
        store::check_no_clash(&dir, &name, None)?;
        std::fs::create_dir(dir.join(&name)).map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => FileError::Exists,
            _ => e.into(),
        })?;
        store::sync_dir(&dir)
    })
    .await?;
    Ok(redirect(&format!("{}?msg=files.folder_created", t.href())))
}

#[derive(Deserialize)]
pub struct RenameForm {
    path: String,
    name: String,
}

/// `POST /files-action/rename` with `path` and the new `name`, in the same folder.
pub async fn rename(mut req: Req) -> Result<Response, WebError> {
    req.principal()?;
    let form: RenameForm = req.form().await?;
    let t = writable_entry(&req, &form.path).await?;
    let name = files::check_name(form.name.trim())?;
    let old = t.path.clone();
    let old_name = t.segments.last().cloned().unwrap_or_default();
    blocking(move || {
        if name == old_name {
            return Ok(());
        }
        let dir = old.parent().ok_or(FileError::NotFound)?;
        // The entry itself may change case; any other clash is refused.
        store::check_no_clash(dir, &name, Some(&old_name))?;
        std::fs::rename(&old, dir.join(&name))?;
        store::sync_dir(dir)
    })
    .await?;
    Ok(redirect(&format!("{}?msg=files.renamed", parent_href(&t))))
}

#[derive(Deserialize)]
pub struct MoveForm {
    path: String,
    dest: String,
}

/// `POST /files-action/move` with `path` and `dest`, a folder of the same space.
pub async fn move_to(mut req: Req) -> Result<Response, WebError> {
    req.principal()?;
    let form: MoveForm = req.form().await?;
    let t = writable_entry(&req, &form.path).await?;
    // The destination is judged on its own: a space the principal cannot see is a 404, one
    // they cannot write a 403, whatever the source.
    let dest = locate(&req, form_segments(&form.dest)).await?;
    dest.require_write(&req)?;
    if dest.space.id != t.space.id {
        return Err(WebError::BadRequest("files.error_other_space"));
    }
    if dest.segments.starts_with(&t.segments) {
        return Err(WebError::BadRequest("files.error_into_itself"));
    }
    let name = t.segments.last().cloned().unwrap_or_default();
    let (src, dest_dir, dest_is_root, root) = (
        t.path.clone(),
        dest.path.clone(),
        dest.segments.is_empty(),
        dest.root.clone(),
    );
    let unchanged = dest.segments[..] == t.segments[..t.segments.len() - 1];
    if !unchanged {
        blocking(move || {
            if dest_is_root {
                std::fs::create_dir_all(&root)?;
            }
            match std::fs::symlink_metadata(&dest_dir) {
                Ok(m) if m.is_dir() => {}
                Ok(_) => return Err(FileError::NotAFolder),
                Err(_) => return Err(FileError::NotFound),
            }
            store::check_no_clash(&dest_dir, &name, None)?;
            std::fs::rename(&src, dest_dir.join(&name))?;
            files::quota::forget(&src);
            files::quota::forget(&dest_dir);
            store::sync_dir(&dest_dir)?;
            if let Some(from) = src.parent() {
                store::sync_dir(from)?;
            }
            Ok(())
        })
        .await?;
    }
    Ok(redirect(&format!("{}?msg=files.moved", dest.href())))
}

#[derive(Deserialize)]
pub struct DeleteForm {
    path: String,
}

/// `POST /files-action/delete` with `path`: the entry goes to the trash.
pub async fn delete(mut req: Req) -> Result<Response, WebError> {
    let me = req.principal()?.id;
    let form: DeleteForm = req.form().await?;
    let t = writable_entry(&req, &form.path).await?;
    let (data_dir, space, inner, full) = (
        req.app.data_dir.clone(),
        t.space.id,
        t.inner(),
        t.path.clone(),
    );
    req.app
        .db
        .write_as(move |tx| {
            trash::put(tx, &data_dir, space, &inner, &full, me, crate::now())
                .map_err(WebError::from)
        })
        .await?;
    Ok(redirect(&format!("{}?msg=files.deleted", parent_href(&t))))
}
