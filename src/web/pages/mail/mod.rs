//! The webmail: the inbox and sent lists, reading a message and its attachments, deleting,
//! and writing (new, or a reply) with attachments and suggestions from the school directory.
//!
//! Server-rendered forms, so mail works on a cheap phone with JavaScript off. The rules live
//! in `crate::mail` and are the same as the SMTP door's: who may write where is decided by
//! `mail::route` through the policy, and every mailbox query is scoped by the owner's id, so
//! an entry number from someone else's mailbox answers the same 404 as one that never existed.

pub mod compose;
pub mod list;
pub mod read;

use crate::ids::EntryId;
use crate::mail::mailbox::{self, Entry, Folder};
use crate::web::error::WebError;
use crate::web::req::Req;
use crate::web::router::Router;

/// Adds the webmail's routes. Fixed paths (`sent`, `compose`) win over `{entry}`.
pub fn routes(r: &mut Router) {
    r.get("/mail", list::inbox);
    r.get("/mail/sent", list::sent);
    r.get("/mail/compose", compose::form);
    r.post("/mail/compose", compose::send);
    r.get("/mail/{entry}", read::view);
    r.get("/mail/{entry}/attachment/{index}", read::attachment);
    r.post("/mail/{entry}/delete", read::delete);
}

/// One entry of the principal's own mailbox, or 404 (also for anyone else's).
pub async fn load_entry(req: &Req, id: EntryId) -> Result<Entry, WebError> {
    let me = req.principal()?.id;
    req.app
        .db
        .read(move |c| Ok(mailbox::get(c, me, id)?))
        .await?
        .ok_or(WebError::NotFound)
}

/// A stored message's bytes, read on a blocking thread.
pub async fn read_raw(req: &Req, entry: &Entry) -> Result<Vec<u8>, WebError> {
    let data_dir = req.app.data_dir.clone();
    let file = entry.file.clone();
    tokio::task::spawn_blocking(move || crate::mail::store::read_file(&data_dir, &file))
        .await
        .map_err(|e| WebError::Internal(format!("mail task: {e}")))?
        .map_err(|e| WebError::Internal(format!("mail file {}: {e}", entry.file)))
}

/// The list page a folder's messages are shown on.
pub fn folder_path(folder: &str) -> &'static str {
    if folder == Folder::Sent.as_str() {
        "/mail/sent"
    } else {
        "/mail"
    }
}
