//! The blog pages (issue #19; the rules are in `crate::blog`):
//!
//! ```text
//! GET  /blogs                      the blogs one reads or writes, what waits for one, one's drafts
//! GET  /blogs/search?q=           published posts one reads that hold the words
//! POST /blogs/new                  a teacher makes their own blog (title)
//! GET  /blogs/{id}                 a blog's published posts (?page=N)
//! GET  /blogs/{id}/settings, POST  title, description, audience, comments, approval
//! GET  /blogs/{id}/write, POST     a new post: save as draft, or submit (publish when allowed)
//! GET  /blogs/p/{id}               a post, its comments and the comment form
//! GET  /blogs/p/{id}/edit, POST    the post's editor
//! POST /blogs/p/{id}/{approve,return,hide,show,delete,report,comment}
//! POST /blogs/c/{id}/{approve,hide,show,delete}   a comment, by a moderator
//! POST /blogs/r/{id}/dismiss       a report on a post, by a moderator
//! GET  /site, /site/{id}, /site/p/{id}            the school's public face, without a login
//! GET  /blogs/media/{id}/{name}    a post's image or file, for those who see the post
//! GET  /site/media/{id}/{name}     the same, of a public post, for anyone
//! GET  /site/{id}/feed.atom        a public blog's Atom feed
//! POST /blogs/feed                 a new secret for one's feeds, and their addresses (shown once)
//! GET  /blogs/feed/{secret}/{id}.atom              a blog's feed for that secret's owner
//! ```
//!
//! Like the news pages, a refusal a person can fix shows the form again as typed; anything
//! a person may not see is a 404, like what does not exist.

mod blog_page;
mod editor;
mod feed;
mod files;
mod post;
pub mod site;

use crate::blog::{self, Blog, BlogError};
use crate::web::Response;
use crate::web::error::WebError;
use crate::web::req::{Req, redirect};
use crate::web::router::Router;
use minijinja::context;
use rusqlite::{Connection, Transaction};

pub fn routes(r: &mut Router) {
    r.get("/blogs", list);
    r.get("/blogs/search", search);
    r.post("/blogs/new", create_blog);
    r.get("/blogs/{id}", blog_page::view);
    r.get("/blogs/{id}/settings", blog_page::settings_form);
    r.post("/blogs/{id}/settings", blog_page::save_settings);
    r.get("/blogs/{id}/write", editor::new_form);
    r.post("/blogs/{id}/write", editor::create);
    r.get("/blogs/p/{id}", post::view);
    r.get("/blogs/p/{id}/edit", editor::edit_form);
    r.post("/blogs/p/{id}/edit", editor::edit);
    r.post("/blogs/p/{id}/{action}", post::act);
    r.post("/blogs/c/{id}/{action}", post::act_on_comment);
    r.post("/blogs/r/{id}/dismiss", dismiss_report);
    r.post("/blogs/feed", feed::new_link);
    r.get("/blogs/feed/{token}/{file}", feed::private);
    r.get("/blogs/media/{id}/{name}", files::private);
    r.get("/site/media/{id}/{name}", files::public);
    r.get("/site", site::home);
    r.get("/site/{id}/feed.atom", feed::public);
    r.get("/site/{id}", site::blog);
    r.get("/site/p/{id}", site::post);
}

pub fn web_error(e: BlogError) -> WebError {
    match e {
        BlogError::NotFound => WebError::NotFound,
        BlogError::Denied => WebError::Forbidden,
        BlogError::Db(d) => d.into(),
        other => WebError::BadRequest(other.key()),
    }
}

/// A refusal the form explains (its message key); the others become their error page.
fn form_problem(e: BlogError) -> Result<&'static str, WebError> {
    match e {
        BlogError::NotFound | BlogError::Denied | BlogError::Db(_) => Err(web_error(e)),
        other => Ok(other.key()),
    }
}

/// Runs blog queries on a read connection; a refusal becomes its page.
async fn read<T, F>(req: &Req, f: F) -> Result<T, WebError>
where
    T: Send + 'static,
    F: FnOnce(&Connection) -> blog::Result<T> + Send + 'static,
{
    req.app.db.read(move |c| Ok(f(c))).await?.map_err(web_error)
}

/// Runs blog changes in one write transaction (a refusal rolls it back: nothing changes).
async fn write<T, F>(req: &Req, f: F) -> blog::Result<T>
where
    T: Send + 'static,
    F: FnOnce(&Transaction<'_>) -> blog::Result<T> + Send + 'static,
{
    req.app.db.write_as::<_, BlogError, _>(f).await
}

/// The title pages show: the chosen one, the class's or teacher's name, or the school's.
pub fn title_of(b: &Blog, school_name: &str) -> String {
    if b.title.is_empty() {
        school_name.to_owned()
    } else {
        b.title.clone()
    }
}

#[derive(serde::Serialize)]
struct ListedView {
    #[serde(flatten)]
    listed: blog::blogs::Listed,
    title: String,
}

pub async fn list(mut req: Req) -> Result<Response, WebError> {
    let p = req.principal()?.clone();
    let school = req.app.settings().school_name.clone();
    let (blogs, mine, waiting_posts, waiting_comments, reports) = read(&req, move |c| {
        Ok((
            blog::blogs::list(c, &p)?,
            blog::posts::mine(c, &p)?,
            blog::posts::waiting(c, &p)?,
            blog::comments::waiting(c, &p)?,
            blog::posts::reports(c, &p)?,
        ))
    })
    .await?;
    let blogs: Vec<ListedView> = blogs
        .into_iter()
        .map(|l| ListedView {
            title: title_of(&l.blog, &school),
            listed: l,
        })
        .collect();
    let title = |b: &Blog| title_of(b, &school);
    let mine: Vec<_> = mine
        .into_iter()
        .map(|(b, p)| context! { blog => title(&b), post => p })
        .collect();
    let waiting_posts: Vec<_> = waiting_posts
        .into_iter()
        .map(|(b, p)| context! { blog => title(&b), post => p })
        .collect();
    let waiting_comments: Vec<_> = waiting_comments
        .into_iter()
        .map(|(b, p, c)| context! { blog => title(&b), post => p, comment => c })
        .collect();
    let reports: Vec<_> = reports
        .into_iter()
        .map(|(b, r)| context! { blog => title(&b), report => r })
        .collect();
    let may_create = req.principal()?.role == crate::auth::Role::Teacher;
    req.render(
        "blog/list.html",
        context! {
            blogs => blogs, mine => mine, waiting_posts => waiting_posts,
            waiting_comments => waiting_comments, reports => reports, may_create => may_create,
            title_max => blog::TITLE_MAX,
        },
    )
}

#[derive(serde::Deserialize)]
struct NewBlogForm {
    title: String,
}

/// A teacher makes their own blog.
pub async fn create_blog(mut req: Req) -> Result<Response, WebError> {
    let p = req.principal()?.clone();
    let form: NewBlogForm = req.form().await?;
    let id = write(&req, move |tx| {
        blog::blogs::create_teacher_blog(tx, &p, p.id, &form.title)
    })
    .await
    .map_err(web_error)?;
    Ok(redirect(&format!("/blogs/{id}/settings?msg=blog.created")))
}

/// A moderator closes a report (after hiding the post, or finding nothing wrong).
pub async fn dismiss_report(mut req: Req) -> Result<Response, WebError> {
    let id: i64 = req.param("id")?;
    let p = req.principal()?.clone();
    let _: Vec<(String, String)> = req.form().await?;
    write(&req, move |tx| blog::posts::dismiss(tx, &p, id))
        .await
        .map_err(web_error)?;
    Ok(redirect("/blogs?msg=blog.report_dismissed"))
}

#[derive(serde::Deserialize, Default)]
struct SearchQuery {
    #[serde(default)]
    q: String,
}

/// Results shown, at most.
const SEARCH_LIMIT: usize = 30;

pub async fn search(mut req: Req) -> Result<Response, WebError> {
    let q: SearchQuery = req.query()?;
    let p = req.principal()?.clone();
    let typed: String = q.q.chars().take(200).collect();
    let words = typed.clone();
    let found = read(&req, move |c| {
        blog::posts::search(c, &p, &words, SEARCH_LIMIT)
    })
    .await?;
    let school = req.app.settings().school_name.clone();
    let found: Vec<_> = found
        .into_iter()
        .map(|f| context! { blog => title_of(&f.blog, &school), post => f.post, excerpt => f.excerpt })
        .collect();
    req.render("blog/search.html", context! { q => typed, found => found })
}
