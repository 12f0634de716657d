//! Searching the library: title suggestions as one types (`/library/suggest`, JSON), and the
//! search page (`/library/search`: titles first, then the full text with snippets).
//!
//! Both search one collection (`c=<name>`) or every collection the person may read; a
//! collection they may not read is treated as one that does not exist (a 404 when named).
//! The searching itself is `library::index::find`'s, on a blocking thread. Collections whose
//! full-text index is not ready yet are searched by title only, and the page says so with the
//! indexer's progress.

use crate::auth::{Action, authorize};
use crate::library::index::find::{self, Suggestion};
use crate::library::registry::{self, Collection, IndexState};
use crate::web::error::WebError;
use crate::web::req::Req;
use crate::web::{Response, full};
use hyper::header::{self, HeaderValue};
use minijinja::context;
use serde::{Deserialize, Serialize};

/// Longest query accepted, in characters; the rest is ignored.
pub const QUERY_MAX: usize = 200;
/// Full-text hits per page.
const PER_PAGE: usize = 20;
/// The last page one can ask for (from 0): ranking goes no deeper.
const MAX_PAGE: usize = 49;
/// Title hits on the search page.
const PAGE_TITLES: usize = 10;

#[derive(Deserialize, Default)]
struct SearchQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    c: String,
    #[serde(default)]
    page: String,
}

impl SearchQuery {
    fn text(&self) -> String {
        self.q.trim().chars().take(QUERY_MAX).collect()
    }

    fn page(&self) -> usize {
        self.page.trim().parse::<usize>().unwrap_or(0).min(MAX_PAGE)
    }
}

/// The collections the principal may read, or only `name` among them (`NotFound` if it is
/// not one of them).
async fn readable(req: &Req, name: &str) -> Result<Vec<Collection>, WebError> {
    let p = req.principal()?.clone();
    let all = req.app.db.read(|c| Ok(registry::list(c)?)).await?;
    let mine: Vec<Collection> = all
        .into_iter()
        .filter(|c| {
            authorize(
                &p,
                &Action::ReadCollection {
                    audience: &c.audience,
                },
            )
            .is_ok()
        })
        .filter(|c| name.is_empty() || c.name == name)
        .collect();
    if !name.is_empty() && mine.is_empty() {
        return Err(WebError::NotFound);
    }
    Ok(mine)
}

async fn blocking<T, F>(f: F) -> Result<T, WebError>
where
    T: Send + 'static,
    F: FnOnce() -> T + Send + 'static,
{
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| WebError::Internal(format!("library search: {e}")))
}

/// `GET /library/suggest?q=&c=`: up to ten titles that start with `q`, as JSON
/// `[{"title", "url", "collection"}]`.
pub async fn suggest(req: Req) -> Result<Response, WebError> {
    req.principal()?;
    let q: SearchQuery = req.query()?;
    let text = q.text();
    let collections = readable(&req, q.c.trim()).await?;
    let app = req.app.clone();
    let found: Vec<Suggestion> = if text.is_empty() {
        Vec::new()
    } else {
        blocking(move || {
            find::titles(
                &app.library,
                &collections,
                &text,
                crate::library::index::MAX_SUGGESTIONS,
            )
        })
        .await?
    };
    let body = serde_json::to_string(&found)
        .map_err(|e| WebError::Internal(format!("library suggest: {e}")))?;
    let mut resp = Response::new(full(body));
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    // Short: a collection added or removed shows within a minute; private: it depends on who
    // asks.
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, max-age=60"),
    );
    Ok(resp)
}

/// A collection in the page's chooser.
#[derive(Serialize)]
struct Choice {
    name: String,
    title: String,
}

/// A collection searched by title only, and why.
#[derive(Serialize)]
struct Notice {
    title: String,
    failed: bool,
    done: u64,
    total: u64,
}

/// `GET /library/search?q=&c=&page=`: the search box, the titles that start with `q`, then the
/// articles that hold its words, with a snippet each.
pub async fn search(mut req: Req) -> Result<Response, WebError> {
    req.principal()?;
    let q: SearchQuery = req.query()?;
    let text = q.text();
    let page = q.page();
    let chosen = q.c.trim().to_owned();
    // The chooser lists every readable collection, whichever is searched.
    let all = readable(&req, "").await?;
    let collections: Vec<Collection> = if chosen.is_empty() {
        all.clone()
    } else {
        let one: Vec<Collection> = all.iter().filter(|c| c.name == chosen).cloned().collect();
        if one.is_empty() {
            return Err(WebError::NotFound);
        }
        one
    };
    let choices: Vec<Choice> = all
        .iter()
        .map(|c| Choice {
            name: c.name.clone(),
            title: c.title.clone(),
        })
        .collect();
    let notices: Vec<Notice> = collections
        .iter()
        .filter(|c| c.index != IndexState::Ready)
        .map(|c| Notice {
            title: c.title.clone(),
            failed: c.index == IndexState::Failed,
            done: c.index_done.min(c.article_count),
            total: c.article_count.max(c.index_done),
        })
        .collect();
    let several = collections.len() > 1;
    let (titles, text_page) = if text.is_empty() {
        (Vec::new(), find::TextPage::default())
    } else {
        let app = req.app.clone();
        let t = text.clone();
        blocking(move || {
            let titles = if page == 0 {
                find::titles(&app.library, &collections, &t, PAGE_TITLES)
            } else {
                Vec::new()
            };
            let page = find::full_text(&app.library, &collections, &t, page, PER_PAGE);
            (titles, page)
        })
        .await?
    };
    req.render(
        "library/search.html",
        context! {
            q => text,
            c => chosen,
            choices => choices,
            searched => !text.is_empty(),
            titles => titles,
            hits => text_page.hits,
            total => text_page.total,
            capped => text_page.capped,
            page => page,
            more => text_page.more,
            notices => notices,
            several => several,
        },
    )
}
