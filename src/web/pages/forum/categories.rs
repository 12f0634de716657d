//! The forum's front page (the categories a reader sees, with their activity, and the
//! reader's unread notifications), a category's topics, and search.
//!
//! Which categories, topics and posts appear is the domain's answer for this principal
//! (`categories::overview`, `topics::list`, `search::search`): a pupil's page simply has no
//! other class in it, and a search finds nothing there either.

use super::{Named, Problem, bounded_page, named, read};
use crate::auth::{Action, authorize};
use crate::forum::{self, categories, notify, search, topics};
use crate::ids::CategoryId;
use crate::web::Response;
use crate::web::error::WebError;
use crate::web::req::Req;
use hyper::StatusCode;
use minijinja::context;
use serde::{Deserialize, Serialize};

/// Longest search accepted, in characters (the domain keeps ten words of it).
const QUERY_MAX: usize = 200;

#[derive(Serialize)]
struct OverviewRow {
    #[serde(flatten)]
    overview: categories::Overview,
    label: String,
}

pub async fn overview(mut req: Req) -> Result<Response, WebError> {
    let p = req.principal()?.clone();
    let (rows, notices, moderates) = read(&req, move |c| {
        let rows = categories::overview(c, &p)?;
        let (notices, _) = notify::list(c, &p, 10)?;
        let moderates = rows.iter().any(|o| forum::may_moderate(&p, &o.category));
        Ok((rows, notices, moderates))
    })
    .await?;
    let rows: Vec<OverviewRow> = rows
        .into_iter()
        .map(|o| OverviewRow {
            label: super::category_label(&req, &o.category),
            overview: o,
        })
        .collect();
    let notices: Vec<notify::Listed> = notices.into_iter().filter(|n| !n.seen).collect();
    req.render(
        "forum/overview.html",
        context! { categories => rows, notices => notices, moderates => moderates, q => "" },
    )
}

#[derive(Deserialize, Default)]
struct PageQuery {
    #[serde(default)]
    page: u32,
}

/// A category's page: its topics, and for its moderators the form muting a pupil here.
pub async fn topics(req: Req) -> Result<Response, WebError> {
    let q: PageQuery = req.query()?;
    category_page(req, bounded_page(q.page), None, StatusCode::OK).await
}

/// The category page, with the mute form's refusal when there is one.
pub async fn category_page(
    mut req: Req,
    page: u32,
    mute_error: Option<Problem>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let id: CategoryId = req.param("id")?;
    let p = req.principal()?.clone();
    let (category, list, more, moderator, muted) = read(&req, move |c| {
        let (category, list, more) = topics::list(c, &p, id, page)?;
        let moderator = forum::may_moderate(&p, &category);
        let muted = forum::muted_until(c, category.id, p.id)?;
        Ok((category, list, more, moderator, muted))
    })
    .await?;
    let audience = category.audience();
    let can_post = authorize(
        req.principal()?,
        &Action::PostForum {
            category: &audience,
            locked: false,
            muted: muted.is_some(),
        },
    )
    .is_ok();
    let category: Named = named(&req, category);
    req.render_status(
        status,
        "forum/category.html",
        context! {
            category => category, topics => list, more => more, page => page,
            moderator => moderator, can_post => can_post, muted_until => muted,
            mute_error => mute_error,
        },
    )
}

#[derive(Deserialize, Default)]
struct SearchQuery {
    #[serde(default)]
    q: String,
}

#[derive(Serialize)]
struct HitRow {
    #[serde(flatten)]
    hit: search::Hit,
    category: String,
}

pub async fn search(mut req: Req) -> Result<Response, WebError> {
    let p = req.principal()?.clone();
    let q: SearchQuery = req.query()?;
    let text: String = q.q.trim().chars().take(QUERY_MAX).collect();
    let query = text.clone();
    let (hits, visible) = read(&req, move |c| {
        if query.is_empty() {
            return Ok((Vec::new(), Vec::new()));
        }
        Ok((search::search(c, &p, &query)?, categories::visible(c, &p)?))
    })
    .await?;
    let hits: Vec<HitRow> = hits
        .into_iter()
        .map(|hit| {
            let category = visible
                .iter()
                .find(|c| c.id == hit.category_id)
                .map(|c| super::category_label(&req, c))
                .unwrap_or_default();
            HitRow { hit, category }
        })
        .collect();
    req.render(
        "forum/search.html",
        context! { q => text, hits => hits, searched => !text.is_empty() },
    )
}
