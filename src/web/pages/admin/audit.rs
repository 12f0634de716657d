//! The audit log page: who did what to which account or class, newest first, a page at a
//! time. Only administrators read it; the office's own actions are in it.

use super::account_error;
use crate::accounts::{self, AuditEntry};
use crate::auth::Action;
use crate::web::Response;
use crate::web::error::WebError;
use crate::web::req::Req;
use minijinja::context;
use serde::{Deserialize, Serialize};

#[derive(Deserialize, Default)]
struct PageQuery {
    #[serde(default)]
    page: u32,
}

#[derive(Serialize)]
struct Line {
    #[serde(flatten)]
    entry: AuditEntry,
    /// The action in the reader's language, or its stable name when the catalog has none.
    label: String,
}

pub async fn audit(mut req: Req) -> Result<Response, WebError> {
    req.allow(&Action::ViewAudit)?;
    let q: PageQuery = req.query()?;
    let page = q.page;
    let (entries, more) = accounts::read(&req.app.db, move |c| accounts::audit_page(c, page))
        .await
        .map_err(account_error)?;
    let lines: Vec<Line> = entries
        .into_iter()
        .map(|entry| {
            let key = format!("audit_action.{}", entry.action);
            let label = if req.app.i18n.has(&key) {
                req.t(&key)
            } else {
                entry.action.clone()
            };
            Line { entry, label }
        })
        .collect();
    req.render(
        "admin/audit.html",
        context! { entries => lines, page => page, more => more },
    )
}
