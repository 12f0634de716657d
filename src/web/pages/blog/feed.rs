//! Atom feeds (RFC 4287) of a blog's newest posts, for news readers:
//!
//! - a public blog's at `/site/{id}/feed.atom`, without a session, as the public pages show it
//!   (no pupil's name);
//! - a private blog's at `/blogs/feed/{secret}/{id}.atom`: a reader subscribes without a
//!   session, so the address carries the person's secret (`crate::feeds`, made and shown once
//!   by "New feed link" on `/blogs`), and the feed holds what that person reads.
//!
//! Text the XML cannot carry (control characters) is dropped; the posts' sanitised HTML goes
//! in escaped, as `type="html"` content.

use super::{read, title_of, write};
use crate::blog::{self, posts, visitor};
use crate::feeds;
use crate::ids::BlogId;
use crate::web::error::WebError;
use crate::web::req::Req;
use crate::web::{Response, full};
use hyper::header::{self, HeaderValue};
use minijinja::context;
use serde::Serialize;

#[derive(Serialize)]
struct Entry {
    id: String,
    url: String,
    title: String,
    author: Option<String>,
    published: String,
    updated: String,
    html: String,
}

/// Only the characters XML 1.0 allows.
fn xml_text(s: &str) -> String {
    s.chars()
        .filter(|&c| {
            matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && c != '\u{FFFE}' && c != '\u{FFFF}')
        })
        .collect()
}

fn rfc3339(ts: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(ts)
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".into())
}

struct Feed<'a> {
    blog: &'a blog::Blog,
    self_url: String,
    page_url: String,
    entries: Vec<Entry>,
}

fn respond(req: &Req, f: Feed<'_>) -> Result<Response, WebError> {
    let school = req.app.settings().school_name.clone();
    let title = xml_text(&title_of(f.blog, &school));
    let updated = f
        .entries
        .first()
        .map(|e| e.updated.clone())
        .unwrap_or_else(|| rfc3339(f.blog.created_at));
    let xml = req.app.templates.render(
        "blog/feed.xml",
        context! {
            lang => req.lang, title => title, subtitle => xml_text(&f.blog.description),
            id => f.page_url.clone(), self_url => f.self_url, page_url => f.page_url,
            updated => updated, entries => f.entries, school => xml_text(&school),
        },
    )?;
    let mut resp = Response::new(full(xml));
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/atom+xml; charset=utf-8"),
    );
    Ok(resp)
}

/// A public blog's feed.
pub async fn public(req: Req) -> Result<Response, WebError> {
    let id: BlogId = req.param("id")?;
    let (b, list, _) = read(&req, move |c| visitor::page(c, id, 0)).await?;
    let base = req.origin();
    let entries = list
        .into_iter()
        .map(|p| {
            let url = format!("{base}/site/p/{}", p.id);
            Entry {
                id: url.clone(),
                url,
                title: xml_text(&p.title),
                author: p.author.map(|a| xml_text(&a)),
                published: rfc3339(p.published_at),
                updated: rfc3339(p.published_at),
                html: xml_text(&p.html),
            }
        })
        .collect();
    let f = Feed {
        blog: &b,
        self_url: format!("{base}/site/{id}/feed.atom"),
        page_url: format!("{base}/site/{id}"),
        entries,
    };
    respond(&req, f)
}

/// A blog's feed for the person whose secret is in the address; an unknown or replaced secret,
/// or a blog that person does not read, is a plain 404.
pub async fn private(req: Req) -> Result<Response, WebError> {
    let token: String = req.param("token")?;
    let file: String = req.param("file")?;
    let id: BlogId = file
        .strip_suffix(".atom")
        .and_then(|n| n.parse().ok())
        .ok_or(WebError::NotFound)?;
    let found = read(&req, move |c| {
        let Some(owner) = feeds::owner(c, feeds::Kind::Blogs, &token)? else {
            return Ok(None);
        };
        Ok(Some(posts::page(c, &owner, id, 0)?))
    })
    .await?;
    let Some((b, list, _)) = found else {
        return Err(WebError::NotFound);
    };
    let base = req.origin();
    let entries = list
        .into_iter()
        .map(|p| {
            let url = format!("{base}/blogs/p/{}", p.id);
            let published = p.published_at.unwrap_or(p.edited_at);
            Entry {
                id: url.clone(),
                url,
                title: xml_text(&p.title),
                author: (!p.author.is_empty()).then(|| xml_text(&p.author)),
                published: rfc3339(published),
                updated: rfc3339(p.edited_at.max(published)),
                html: xml_text(&p.html),
            }
        })
        .collect();
    let f = Feed {
        blog: &b,
        self_url: format!("{base}{}", req.uri.path()),
        page_url: format!("{base}/blogs/{id}"),
        entries,
    };
    respond(&req, f)
}

/// "New feed link": a new secret replaces the old one; the page lists the feeds' addresses
/// with it, this once.
pub async fn new_link(mut req: Req) -> Result<Response, WebError> {
    let p = req.principal()?.clone();
    let _: Vec<(String, String)> = req.form().await?;
    let who = p.clone();
    let token = write(&req, move |tx| {
        Ok(feeds::new_token(tx, feeds::Kind::Blogs, &who)?)
    })
    .await
    .map_err(super::web_error)?;
    let blogs = read(&req, move |c| blog::blogs::list(c, &p)).await?;
    let base = req.origin();
    let school = req.app.settings().school_name.clone();
    let links: Vec<_> = blogs
        .into_iter()
        .map(|l| {
            context! {
                title => title_of(&l.blog, &school),
                url => format!("{base}/blogs/feed/{token}/{}.atom", l.blog.id),
            }
        })
        .collect();
    req.render("blog/feeds.html", context! { links => links })
}
