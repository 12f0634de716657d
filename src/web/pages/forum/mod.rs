//! The forum's pages: the categories, a category's topics, a topic with its replies, writing
//! (with a preview), editing, the history of an edited post, search, and the moderators'
//! tools and report queue.
//!
//! Plain server-rendered forms, so the forum works on a cheap phone with JavaScript off. The
//! pages decide nothing: every `crate::forum` function takes the principal and asks the policy
//! itself, inside the transaction that reads the facts. What they answer becomes a page here,
//! in one place ([`web_error`], [`form_problem`]): something the reader may not see is a 404
//! exactly like something that does not exist, a refused action a 403, and a refusal a person
//! can fix (an empty title, a locked topic, a mute, posting too fast) their form shown again
//! with what they typed and why.

pub mod categories;
pub mod moderation;
mod post_view;
pub mod posts;
pub mod topics;

use crate::forum::{self, Category, ForumError};
use crate::ids::PostId;
use crate::web::error::WebError;
use crate::web::req::Req;
use crate::web::router::Router;
use hyper::StatusCode;
use rusqlite::{Connection, Transaction};
use serde::{Deserialize, Serialize};

/// Adds the forum's routes. Fixed paths (`search`, `moderation`) win over `{id}`.
pub fn routes(r: &mut Router) {
    r.get("/forum", categories::overview);
    r.get("/forum/search", categories::search);
    r.get("/forum/moderation", moderation::queue);
    r.post("/forum/reports/{id}/dismiss", moderation::dismiss);
    r.get("/forum/c/{id}", categories::topics);
    r.get("/forum/c/{id}/new", topics::new_form);
    r.post("/forum/c/{id}/new", topics::create);
    r.post("/forum/c/{id}/mute", moderation::mute);
    r.get("/forum/t/{id}", topics::view);
    r.post("/forum/t/{id}/reply", topics::reply);
    r.post("/forum/t/{id}/pin", moderation::pin);
    r.post("/forum/t/{id}/lock", moderation::lock);
    r.post("/forum/t/{id}/hide", moderation::hide_topic);
    r.post("/forum/t/{id}/move", moderation::move_topic);
    r.post("/forum/t/{id}/delete", moderation::delete_topic);
    r.get("/forum/p/{id}", posts::goto);
    r.get("/forum/p/{id}/edit", posts::edit_form);
    r.post("/forum/p/{id}/edit", posts::edit);
    r.get("/forum/p/{id}/history", posts::history);
    r.post("/forum/p/{id}/delete", posts::delete_own);
    r.get("/forum/p/{id}/report", posts::report_form);
    r.post("/forum/p/{id}/report", posts::report);
    r.post("/forum/p/{id}/hide", moderation::hide_post);
    r.post("/forum/p/{id}/remove", moderation::remove_post);
}

/// A forum refusal as a page: what cannot be seen is a 404, what may not be done a 403, and
/// a database failure the internal-error page (details to the log only).
pub fn web_error(e: ForumError) -> WebError {
    match e {
        ForumError::NotFound => WebError::NotFound,
        ForumError::Denied => WebError::Forbidden,
        ForumError::Db(d) => d.into(),
        other => WebError::BadRequest(other.key()),
    }
}

/// Why a form came back, with what its message needs.
#[derive(Serialize, Debug, Clone)]
pub struct Problem {
    pub key: &'static str,
    /// For a mute: until when, in the school's local time.
    pub until: String,
    /// For posting too fast: how many seconds to wait.
    pub secs: i64,
}

impl Problem {
    pub fn new(key: &'static str) -> Problem {
        Problem {
            key,
            until: String::new(),
            secs: 0,
        }
    }
}

/// A refusal the form explains, with its status; the others become their error page.
pub fn form_problem(e: ForumError) -> Result<(Problem, StatusCode), WebError> {
    let status = match &e {
        ForumError::NotFound | ForumError::Denied | ForumError::Db(_) => {
            return Err(web_error(e));
        }
        ForumError::Locked | ForumError::Muted(_) => StatusCode::FORBIDDEN,
        ForumError::TooFast(_) => StatusCode::TOO_MANY_REQUESTS,
        _ => StatusCode::BAD_REQUEST,
    };
    let mut p = Problem::new(e.key());
    match e {
        ForumError::Muted(until) => p.until = crate::clock::format_local(until),
        ForumError::TooFast(secs) => p.secs = secs.max(1),
        _ => {}
    }
    Ok((p, status))
}

/// Runs forum queries on a read connection; a refusal becomes its page.
pub async fn read<T, F>(req: &Req, f: F) -> Result<T, WebError>
where
    T: Send + 'static,
    F: FnOnce(&Connection) -> forum::Result<T> + Send + 'static,
{
    req.app.db.read(move |c| Ok(f(c))).await?.map_err(web_error)
}

/// Runs forum changes in one write transaction, keeping the domain's refusal typed (the
/// transaction is rolled back: a refused action changes nothing).
pub async fn write<T, F>(req: &Req, f: F) -> forum::Result<T>
where
    T: Send + 'static,
    F: FnOnce(&Transaction<'_>) -> forum::Result<T> + Send + 'static,
{
    req.app.db.write_as::<_, ForumError, _>(f).await
}

/// A category with the name a reader sees: the class's, the admin's, or the translated name
/// of the school's and the staff room's.
#[derive(Serialize, Debug, Clone)]
pub struct Named {
    #[serde(flatten)]
    pub category: Category,
    pub label: String,
}

pub fn category_label(req: &Req, c: &Category) -> String {
    match c.kind.as_str() {
        "school" => req.t("forum.cat_school"),
        "staff" => req.t("forum.cat_staff"),
        _ => c.name.clone(),
    }
}

pub fn named(req: &Req, c: Category) -> Named {
    Named {
        label: category_label(req, &c),
        category: c,
    }
}

/// Where a post is shown: its topic's page, at the post; `msg` adds a flash message (a key
/// of `flash.forum`).
pub fn post_path(conn: &Connection, post: PostId, msg: Option<&str>) -> forum::Result<String> {
    let (topic, page) = forum::posts::page_of(conn, post)?;
    let msg = msg.map(|m| format!("&msg=forum.{m}")).unwrap_or_default();
    Ok(format!("/forum/t/{topic}?page={page}{msg}#post-{post}"))
}

/// The largest post form read: a post and a title at their longest, every character
/// encoded at its widest (`%XX` for each of up to four bytes), and the other fields. Longer
/// than any other form, so that a post the domain would refuse as too long still arrives and
/// comes back with its message rather than an error page.
pub const POST_FORM_LIMIT: usize = 12 * (forum::BODY_MAX + forum::TITLE_MAX) + 4096;

/// What the post forms send: the title (new topics only), the Markdown, and which button
/// was pressed (`preview` or `post`; Enter in the title field sends the first, `post`).
#[derive(Deserialize, Serialize, Default, Debug, Clone)]
pub struct PostForm {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    pub action: String,
}

impl PostForm {
    pub fn preview(&self) -> bool {
        self.action == "preview"
    }
}

/// The rendered preview of a text being written: the same Markdown-to-sanitised-HTML the
/// post gets when saved, and nothing stored.
#[derive(Serialize, Debug, Clone)]
pub struct Preview {
    pub html: String,
}

/// A preview of `body`, or the problem with it (empty, too long).
pub fn preview(body: &str) -> Result<Preview, Problem> {
    match forum::clean_body(body) {
        Ok(b) => Ok(Preview {
            html: forum::markdown::render(&b),
        }),
        Err(e) => Err(Problem::new(e.key())),
    }
}

/// A page number from the query, bounded so no OFFSET grows without limit.
pub fn bounded_page(page: u32) -> u32 {
    page.min(100_000)
}
