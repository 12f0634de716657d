//! A post's images and files, for those who see the post (`/blogs/media/{id}/{name}`) and,
//! for a published post of a public blog, for anyone (`/site/media/{id}/{name}`). Images are
//! shown inline; any other file is a download, never rendered by the browser, whatever it
//! claims to be.

use super::read;
use crate::blog::media::{self, Media};
use crate::ids::BlogMediaId;
use crate::web::error::WebError;
use crate::web::pages::files::download::content_disposition;
use crate::web::req::Req;
use crate::web::{Response, full};
use hyper::header::{self, HeaderValue};

async fn send(req: &Req, m: Media, public: bool) -> Result<Response, WebError> {
    let path = media::path(&req.app.data_dir, m.id);
    let bytes = tokio::fs::read(&path)
        .await
        .map_err(|e| WebError::Internal(format!("{}: {e}", path.display())))?;
    let image = m.is_image();
    let mut resp = Response::new(full(bytes));
    let h = resp.headers_mut();
    let mut set = |k: header::HeaderName, v: &str| {
        if let Ok(v) = HeaderValue::from_str(v) {
            h.insert(k, v);
        }
    };
    set(
        header::CONTENT_TYPE,
        if image {
            &m.mime
        } else {
            "application/octet-stream"
        },
    );
    set(
        header::CONTENT_DISPOSITION,
        &content_disposition(&m.name, image),
    );
    set(header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(
        header::CACHE_CONTROL,
        if public {
            "public, max-age=86400"
        } else {
            "private, max-age=3600"
        },
    );
    Ok(resp)
}

pub async fn private(req: Req) -> Result<Response, WebError> {
    let id: BlogMediaId = req.param("id")?;
    let p = req.principal()?.clone();
    let m = read(&req, move |c| media::readable(c, &p, id)).await?;
    send(&req, m, false).await
}

pub async fn public(req: Req) -> Result<Response, WebError> {
    let id: BlogMediaId = req.param("id")?;
    let m = read(&req, move |c| media::public(c, id)).await?;
    send(&req, m, true).await
}
