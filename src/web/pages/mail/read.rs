//! Reading one message, downloading its attachments, deleting it.
//!
//! The text is shown as text (escaped by the templates), never as HTML: a message from
//! outside is untrusted, and an HTML-only one is turned into text by `mailbox::view`.
//! Attachments are always sent as downloads (`Content-Disposition: attachment`, `nosniff`),
//! whatever type they claim, so an attached page or SVG can never run inside the portal.

use super::{folder_path, load_entry, read_raw};
use crate::ids::EntryId;
use crate::mail::mailbox::{self, Folder};
use crate::web::error::WebError;
use crate::web::pages::files::{download::content_disposition, human_size};
use crate::web::req::{Req, redirect};
use crate::web::{Response, full};
use hyper::header::{self, HeaderValue};
use minijinja::context;
use serde::{Deserialize, Serialize};

#[derive(Serialize)]
struct AttachmentRow {
    index: usize,
    name: String,
    size: String,
}

pub async fn view(mut req: Req) -> Result<Response, WebError> {
    let id: EntryId = req.param("entry")?;
    let entry = load_entry(&req, id).await?;
    let raw = read_raw(&req, &entry).await?;
    let mut v = tokio::task::spawn_blocking(move || mailbox::view(&raw))
        .await
        .map_err(|e| WebError::Internal(format!("mail task: {e}")))?;
    v.text = v.text.replace("\r\n", "\n");
    if !entry.seen {
        let me = req.principal()?.id;
        req.app
            .db
            .write(move |tx| Ok(mailbox::mark_seen(tx, me, id)?))
            .await?;
    }
    let lang = req.lang;
    let attachments: Vec<AttachmentRow> = v
        .attachments
        .iter()
        .map(|a| AttachmentRow {
            index: a.index,
            name: a.name.clone(),
            size: human_size(&req.app.i18n, a.size as u64, lang),
        })
        .collect();
    let inbox = entry.folder == Folder::Inbox.as_str();
    req.render(
        "mail/read.html",
        context! {
            entry => entry, m => v, attachments => attachments, inbox => inbox,
            back => folder_path(&entry.folder),
        },
    )
}

/// A MIME type as a header may carry it: `type/subtype` of token characters, else a plain
/// `application/octet-stream`.
fn safe_type(ct: &str) -> &str {
    let token = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"!#$&^_.+-".contains(&b))
    };
    match ct.split_once('/') {
        Some((t, s)) if token(t) && token(s) => ct,
        _ => "application/octet-stream",
    }
}

pub async fn attachment(req: Req) -> Result<Response, WebError> {
    let id: EntryId = req.param("entry")?;
    let index: usize = req.param("index")?;
    let entry = load_entry(&req, id).await?;
    let raw = read_raw(&req, &entry).await?;
    let (name, ct, bytes) = tokio::task::spawn_blocking(move || mailbox::attachment(&raw, index))
        .await
        .map_err(|e| WebError::Internal(format!("mail task: {e}")))?
        .ok_or(WebError::NotFound)?;
    let len = bytes.len();
    let mut resp = Response::new(full(bytes));
    let h = resp.headers_mut();
    let mut set = |name, value: &str| {
        if let Ok(v) = HeaderValue::from_str(value) {
            h.insert(name, v);
        }
    };
    set(header::CONTENT_TYPE, safe_type(&ct));
    set(header::CONTENT_LENGTH, &len.to_string());
    set(
        header::CONTENT_DISPOSITION,
        &content_disposition(&name, false),
    );
    set(header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(header::CACHE_CONTROL, "private, no-store");
    Ok(resp)
}

#[derive(Deserialize)]
struct CsrfOnly {
    #[allow(dead_code)]
    csrf: String,
}

pub async fn delete(mut req: Req) -> Result<Response, WebError> {
    let id: EntryId = req.param("entry")?;
    let me = req.principal()?.id;
    let _: CsrfOnly = req.form().await?;
    let (folder, files) = req
        .app
        .db
        .write(move |tx| {
            let Some(entry) = mailbox::get(tx, me, id)? else {
                return Ok(None);
            };
            let (_, files) = mailbox::delete(tx, me, &[id])?;
            Ok(Some((entry.folder, files)))
        })
        .await?
        .ok_or(WebError::NotFound)?;
    let data_dir = req.app.data_dir.clone();
    if !files.is_empty() {
        tokio::task::spawn_blocking(move || crate::mail::store::remove_files(&data_dir, &files))
            .await
            .map_err(|e| WebError::Internal(format!("mail task: {e}")))?;
    }
    Ok(redirect(&format!(
        "{}?msg=mail.deleted",
        folder_path(&folder)
    )))
}

#[cfg(test)]
mod tests {
    use super::safe_type;

    #[test]
    fn only_clean_types_pass() {
        assert_eq!(safe_type("application/pdf"), "application/pdf");
        assert_eq!(safe_type("text/html"), "text/html");
        assert_eq!(safe_type("image/svg+xml"), "image/svg+xml");
        for bad in [
            "",
            "pdf",
            "text/",
            "/x",
            "text/html; x=1",
            "a b/c",
            "text/h\u{e9}",
        ] {
            assert_eq!(safe_type(bad), "application/octet-stream", "{bad:?}");
        }
    }
}
