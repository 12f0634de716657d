//! Reading the library: the list of collections, a collection's illustration and main page,
//! and what every reading page shares (finding a collection the principal may read, running
//! the reader off the async threads, the page shown when a collection cannot be read).
//!
//! Serving one entry (paths, redirects, Range, the top bar) is `entry.rs`.
//!
//! A collection that does not exist and one the principal may not read give the same 404,
//! so that names of staff-only collections do not leak. Anonymous visitors are sent to the
//! login before anything is looked up.

use crate::auth::{Action, Role};
use crate::library::{registry, registry::Collection, zim};
use crate::web::error::WebError;
use crate::web::range::etag_matches;
use crate::web::req::{self, Req};
use crate::web::{Response, full};
use hyper::StatusCode;
use hyper::header::{self, HeaderValue};
use minijinja::context;
use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};

/// What stays as it is in an entry's path when it becomes a URL: `/` separates segments (ZIM
/// paths use it the same way); anything that would end the path (`?`, `#`), start an escape
/// (`%`) or is not URL-safe is encoded. Letters outside ASCII are encoded as UTF-8, which is
/// what a browser sends for the article's own relative links.
const PATH: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'[')
    .add(b'\\')
    .add(b']')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// `/library/<name>/<path>`: where the entry at content path `path` is served.
pub fn entry_url(name: &str, path: &str) -> String {
    format!(
        "/library/{}/{}",
        utf8_percent_encode(name, PATH),
        utf8_percent_encode(path, PATH)
    )
}

/// The collection named in the URL, if the principal may read it; else a 404 (or the login).
pub(super) async fn readable(req: &Req, name: &str) -> Result<Collection, WebError> {
    req.principal()?;
    let name = name.to_owned();
    let c = req
        .app
        .db
        .read(move |c| Ok(registry::by_name(c, &name)?))
        .await?
        .ok_or(WebError::NotFound)?;
    req.allow(&Action::ReadCollection {
        audience: &c.audience,
    })
    .map_err(|_| WebError::NotFound)?;
    Ok(c)
}

/// Runs the (blocking) reader on a blocking thread.
pub(super) async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T, WebError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| WebError::Internal(format!("library reader task: {e}")))
}

/// The page for a collection the reader cannot read (corrupt, truncated, its file gone):
/// logged with the reader's message, which the office and admins see too; pupils and
/// parents get the plain sentence. 503: the collection may come back once replaced.
pub(super) fn unreadable(
    mut req: Req,
    c: &Collection,
    e: zim::Error,
) -> Result<Response, WebError> {
    log::error!("library: collection {} ({}): {e}", c.name, c.file.display());
    let staff = req
        .principal
        .as_ref()
        .is_some_and(|p| matches!(p.role, Role::Admin | Role::Staff));
    let detail = staff.then(|| e.to_string());
    req.render_status(
        StatusCode::SERVICE_UNAVAILABLE,
        "library/problem.html",
        context! {
            heading => "library.problem_title",
            message => "library.problem",
            detail => detail,
            collection => c,
        },
    )
}

/// A collection's language code from its metadata (`fra`, `eng,fra`) as an HTML `lang`
/// value: the first one, ISO 639-3 codes of the catalogs' languages shortened to the
/// two-letter code browsers know best.
fn lang_tag(language: &str) -> String {
    let first = language.split(',').next().unwrap_or("").trim();
    let tag = match first {
        "fra" | "fre" => "fr",
        "eng" => "en",
        "por" => "pt",
        "ara" => "ar",
        "spa" => "es",
        "deu" | "ger" => "de",
        "ita" => "it",
        other => other,
    };
    if (2..=8).contains(&tag.len()) && tag.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
        tag.to_owned()
    } else {
        String::new()
    }
}

#[derive(serde::Serialize)]
struct Listed {
    name: String,
    title: String,
    description: String,
    language: String,
    lang_tag: String,
    article_count: u64,
    has_illustration: bool,
}

/// `GET /library`: the collections the principal may read. Also where archives of
/// collections removed from the command line are closed (`prune`): this page lists the
/// registry anyway.
pub async fn index(mut req: Req) -> Result<Response, WebError> {
    let p = req.principal()?.clone();
    let all = req.app.db.read(|c| Ok(registry::list(c)?)).await?;
    let ids: Vec<_> = all.iter().map(|c| c.id).collect();
    req.app.library.prune(&ids);
    let collections: Vec<Listed> = all
        .into_iter()
        .filter(|c| {
            crate::auth::authorize(
                &p,
                &Action::ReadCollection {
                    audience: &c.audience,
                },
            )
            .is_ok()
        })
        .map(|c| Listed {
            lang_tag: lang_tag(&c.language),
            name: c.name,
            title: c.title,
            description: c.description,
            language: c.language,
            article_count: c.article_count,
            has_illustration: c.has_illustration,
        })
        .collect();
    let can_manage = req.allow(&Action::ManageLibrary).is_ok();
    req.render(
        "library/index.html",
        context! { collections => collections, can_manage => can_manage },
    )
}

/// `GET /library/illustration/{name}`: the collection's 48x48 PNG, kept in the registry at
/// install time (listing the library opens no ZIM file).
pub async fn illustration(req: Req) -> Result<Response, WebError> {
    let name: String = req.param("name")?;
    let c = readable(&req, &name).await?;
    let etag = format!("\"ill-{}\"", c.uuid);
    let mut resp = Response::new(crate::web::empty());
    let h = resp.headers_mut();
    set(h, header::ETAG, &etag);
    // The URL names the collection, and a name can be reused after a removal: a day, then
    // a cheap revalidation.
    set(h, header::CACHE_CONTROL, "private, max-age=86400");
    if req
        .header(header::IF_NONE_MATCH)
        .is_some_and(|inm| etag_matches(inm, &etag))
    {
        *resp.status_mut() = StatusCode::NOT_MODIFIED;
        return Ok(resp);
    }
    let png = req
        .app
        .db
        .read(move |db| Ok(registry::illustration(db, &name)?))
        .await?
        .ok_or(WebError::NotFound)?;
    set(resp.headers_mut(), header::CONTENT_TYPE, "image/png");
    *resp.body_mut() = full(png);
    Ok(resp)
}

/// `GET /library/{name}` and `/library/{name}/`: a 303 to the main page at its own path (so
/// that its relative links resolve), or a page that offers the collection's search.
pub async fn main_page(mut req: Req) -> Result<Response, WebError> {
    let name: String = req.param("name")?;
    let c = readable(&req, &name).await?;
    let (app, c2) = (req.app.clone(), c.clone());
    let found = blocking(move || {
        let archive = app.library.archive(&c2)?;
        Ok::<_, zim::Error>(
            archive
                .main_entry()?
                .filter(|e| !matches!(e.kind, zim::EntryKind::Removed))
                .map(|e| archive.content_path(&e)),
        )
    })
    .await?;
    match found {
        Ok(Some(path)) => Ok(req::redirect(&entry_url(&c.name, &path))),
        Ok(None) => req.render(
            "library/problem.html",
            context! {
                heading => "library.no_main_title",
                message => "library.no_main",
                detail => None::<String>,
                collection => c,
            },
        ),
        Err(e) => unreadable(req, &c, e),
    }
}

pub(super) fn set(h: &mut hyper::HeaderMap, name: header::HeaderName, value: &str) {
    if let Ok(v) = HeaderValue::from_str(value) {
        h.insert(name, v);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entry_urls_keep_slashes_and_encode_the_rest() {
        assert_eq!(entry_url("wp", "Garçon"), "/library/wp/Gar%C3%A7on");
        assert_eq!(
            entry_url("wp", "dossier/Sous page"),
            "/library/wp/dossier/Sous%20page"
        );
        assert_eq!(entry_url("wp", "Q?#%"), "/library/wp/Q%3F%23%25");
        assert_eq!(entry_url("wp", "A/École"), "/library/wp/A/%C3%89cole");
    }

    #[test]
    fn language_tags() {
        assert_eq!(lang_tag("fra"), "fr");
        assert_eq!(lang_tag("ara,fra"), "ar");
        assert_eq!(lang_tag("wol"), "wol");
        assert_eq!(lang_tag("\"><x"), "");
        assert_eq!(lang_tag(""), "");
    }
}
