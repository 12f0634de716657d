//! The trash page: what was deleted in the spaces one can write, for 30 days, each with a
//! restore button. Listing it is also when expired items are purged, so no timer has to
//! wake the SD card.

use super::{blocking, human_size};
use crate::auth::Action;
use crate::files::{self, FileError, quota, trash};
use crate::ids::SpaceId;
use crate::web::Response;
use crate::web::error::WebError;
use crate::web::req::{Req, redirect};
use minijinja::context;
use serde::Serialize;

#[derive(Serialize)]
struct Row {
    id: i64,
    /// Where it was, as people read it: `Classes/6e A/Maths/devoir.pdf`.
    path: String,
    space: String,
    is_dir: bool,
    size: String,
    deleted_at: i64,
    expires_at: i64,
}

/// `GET /trash`.
pub async fn list(mut req: Req) -> Result<Response, WebError> {
    let p = req.principal()?.clone();
    let data_dir = req.app.data_dir.clone();
    let (spaces, items) = req
        .app
        .db
        .write_as(move |tx| {
            trash::purge(tx, &data_dir, crate::now(), false).map_err(WebError::from)?;
            let spaces: Vec<files::Space> = files::visible_spaces(tx, &p)
                .map_err(|e| WebError::Internal(e.to_string()))?
                .into_iter()
                .filter(|s| s.writable)
                .collect();
            let ids: Vec<SpaceId> = spaces.iter().map(|s| s.id).collect();
            let items = trash::list(tx, &ids).map_err(WebError::from)?;
            Ok::<_, WebError>((spaces, items))
        })
        .await?;
    let lang = req.lang;
    let rows: Vec<Row> = items
        .into_iter()
        .filter_map(|i| {
            let space = spaces.iter().find(|s| s.id == i.space)?;
            let segs = super::form_segments(&i.original_path);
            Some(Row {
                id: i.id,
                path: super::join_display(space, &segs),
                space: space.title.clone(),
                is_dir: i.is_dir,
                size: human_size(&req.app.i18n, i.size, lang),
                deleted_at: i.deleted_at,
                expires_at: i.deleted_at + trash::KEEP_DAYS * 24 * 3600,
            })
        })
        .collect();
    req.render(
        "files/trash.html",
        context! { items => rows, keep_days => trash::KEEP_DAYS },
    )
}

#[derive(serde::Deserialize)]
struct RestoreForm {}

/// `POST /trash/{id}/restore`: puts the item back where it was.
pub async fn restore(mut req: Req) -> Result<Response, WebError> {
    let p = req.principal()?.clone();
    let id: i64 = req.param("id")?;
    let _: RestoreForm = req.form().await?;
    let item = req
        .app
        .db
        .read(move |c| Ok(trash::get(c, id)))
        .await?
        .map_err(WebError::from)?
        .ok_or(WebError::NotFound)?;
    // Someone who cannot see the space learns nothing about its trash.
    req.allow(&Action::ReadSpace { space: item.space })
        .map_err(|_| WebError::NotFound)?;
    req.allow(&Action::WriteSpace { space: item.space })?;
    let space = item.space;
    let owner_role = matches!(space, SpaceId::Personal(_)).then_some(p.role);
    let quota = req
        .app
        .db
        .read(move |c| Ok(quota::quota_bytes(c, space, owner_role)?))
        .await?;
    let data_dir = req.app.data_dir.clone();
    let root = files::space_root(&data_dir, space);
    let used = blocking({
        let root = root.clone();
        move || Ok(quota::used(&root)?)
    })
    .await?;
    let room = quota.saturating_sub(used);
    req.app
        .db
        .write_as(move |tx| {
            // Read again inside the write: a second click must not restore twice.
            let item = trash::get(tx, id)?.ok_or(FileError::NotFound)?;
            trash::restore(tx, &data_dir, &root, &item, room).map_err(|e| match e {
                FileError::Exists => WebError::BadRequest("files.error_restore_exists"),
                e => WebError::from(e),
            })
        })
        .await
        .map_err(|e: WebError| e)?;
    Ok(redirect("/trash?msg=files.restored"))
}
