//! The inbox and the sent folder: a page of messages, newest first, `?page=` for older ones
//! (counted from 0, like the other paged lists). One page is one query of a bounded size, so
//! a mailbox with years of mail opens as fast as a new one.

use crate::mail::mailbox::{self, Folder};
use crate::web::Response;
use crate::web::error::WebError;
use crate::web::req::Req;
use minijinja::context;
use serde::Deserialize;

#[derive(Deserialize, Default)]
struct PageQuery {
    #[serde(default)]
    page: u32,
}

/// No one reads this far back page by page; it also keeps the OFFSET small.
const MAX_PAGE: u32 = 10_000;

async fn folder_page(mut req: Req, folder: Folder) -> Result<Response, WebError> {
    let me = req.principal()?.id;
    let q: PageQuery = req.query()?;
    let page = q.page.min(MAX_PAGE);
    let (entries, more, unread) = req
        .app
        .db
        .read(move |c| {
            let (entries, more) = mailbox::list(c, me, folder, page)?;
            Ok((entries, more, mailbox::unread(c, me)?))
        })
        .await?;
    req.render(
        "mail/list.html",
        context! {
            folder => folder.as_str(), entries => entries, more => more, page => page,
            unread => unread,
        },
    )
}

pub async fn inbox(req: Req) -> Result<Response, WebError> {
    folder_page(req, Folder::Inbox).await
}

pub async fn sent(req: Req) -> Result<Response, WebError> {
    folder_page(req, Folder::Sent).await
}
