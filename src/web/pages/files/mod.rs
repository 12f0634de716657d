//! The web file manager: browse, download, upload, new folder, rename, move, delete to the
//! trash, restore. Server-rendered forms, so it works with JavaScript off and on cheap phones.
//!
//! Paths in the address bar are the same as under `/dav/`: `/files/<username>/…`,
//! `/files/Classes/<class>/…`, `/files/Staff/…`. This file turns such a path into a space the
//! principal can see (or a 404 that says nothing about whether it exists) and a checked path
//! on disk; the rules themselves (names, safe paths, quotas, the trash) live in
//! `crate::files`, and every access decision in `auth::policy`.

pub mod actions;
pub mod browse;
pub mod download;
pub mod trash;
pub mod upload;

use crate::auth::Action;
use crate::files::{self, FileError, Space, spaces::CLASSES};
use crate::ids::SpaceId;
use crate::web::error::WebError;
use crate::web::req::Req;
use crate::web::router::Router;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};
use std::path::PathBuf;

/// Adds the file manager's routes. Reads are `GET /files/{*path}`; every change is a `POST`
/// to `/files-action/<op>` with the target in a form field, so a file named like an operation
/// can never be mistaken for one.
pub fn routes(r: &mut Router) {
    r.get("/files", browse::spaces);
    r.get("/files/", browse::spaces);
    r.get("/files/{*path}", browse::get);
    r.post("/files-action/upload", upload::upload);
    r.post("/files-action/mkdir", actions::mkdir);
    r.post("/files-action/rename", actions::rename);
    r.post("/files-action/move", actions::move_to);
    r.post("/files-action/delete", actions::delete);
    r.get("/trash", trash::list);
    r.post("/trash/{id}/restore", trash::restore);
}

/// Characters left as they are in a path segment of a link; everything else is encoded
/// (`/` and `%` above all, so a name can never become two segments).
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// A file or folder the request names, inside a space the principal can see.
pub struct Target {
    pub space: Space,
    /// The checked names below the space's root (empty for the root itself).
    pub segments: Vec<String>,
    /// The space's root on disk.
    pub root: PathBuf,
    /// The entry on disk (it may not exist yet).
    pub path: PathBuf,
}

impl Target {
    /// The path as people read it and forms carry it: `Classes/6e A/Maths/devoir.pdf`.
    pub fn display(&self) -> String {
        join_display(&self.space, &self.segments)
    }

    /// The path inside the space, `/`-separated, as the trash records it.
    pub fn inner(&self) -> String {
        self.segments.join("/")
    }

    pub fn href(&self) -> String {
        href(&self.space, &self.segments)
    }

    /// Whether the policy lets the principal change this space.
    pub fn writable(&self, req: &Req) -> bool {
        req.allow(&Action::WriteSpace {
            space: self.space.id,
        })
        .is_ok()
    }

    /// Refuses (403) unless the principal may change this space.
    pub fn require_write(&self, req: &Req) -> Result<(), WebError> {
        req.allow(&Action::WriteSpace {
            space: self.space.id,
        })?;
        Ok(())
    }
}

/// The segments that name a space at the top of `/files/`.
pub fn space_prefix(space: &Space) -> Vec<String> {
    match space.id {
        SpaceId::Class(_) => vec![CLASSES.to_owned(), space.title.clone()],
        _ => vec![space.path.clone()],
    }
}

pub fn join_display(space: &Space, segments: &[String]) -> String {
    let mut all = space_prefix(space);
    all.extend(segments.iter().cloned());
    all.join("/")
}

pub fn href(space: &Space, segments: &[String]) -> String {
    let mut out = String::from("/files");
    for s in space_prefix(space).iter().chain(segments) {
        out.push('/');
        out.extend(utf8_percent_encode(s, SEGMENT));
    }
    out
}

/// Splits the `{*path}` of a URL into decoded segments. An encoded `/` stays inside its
/// segment, where the name check refuses it.
pub fn url_segments(raw: &str) -> Result<Vec<String>, WebError> {
    raw.split('/')
        .filter(|s| !s.is_empty())
        .map(|s| {
            percent_decode_str(s)
                .decode_utf8()
                .map(|c| c.into_owned())
                .map_err(|_| WebError::NotFound)
        })
        .collect()
}

/// Splits a path from a form field (`Classes/6e A/Maths`).
pub fn form_segments(path: &str) -> Vec<String> {
    path.split('/')
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Finds the space `segments` start in, among those the principal can see, and resolves the
/// rest safely inside it. A space they cannot see, or a name that cannot exist, is a 404.
pub async fn locate(req: &Req, segments: Vec<String>) -> Result<Target, WebError> {
    let p = req.principal()?.clone();
    let spaces = req
        .app
        .db
        .read(move |c| Ok(files::visible_spaces(c, &p)?))
        .await?;
    let (space, rest) = spaces
        .into_iter()
        .find_map(|s| {
            let prefix = space_prefix(&s);
            (segments.len() >= prefix.len() && segments[..prefix.len()] == prefix[..])
                .then(|| (s, segments[prefix.len()..].to_vec()))
        })
        .ok_or(WebError::NotFound)?;
    // The policy has the last word, even on a space visible_spaces listed.
    req.allow(&Action::ReadSpace { space: space.id })
        .map_err(|_| WebError::NotFound)?;
    let root = files::space_root(&req.app.data_dir, space.id);
    let (path, segments) = blocking({
        let root = root.clone();
        move || {
            let refs: Vec<&str> = rest.iter().map(String::as_str).collect();
            let path = files::store::resolve(&root, &refs)?;
            let checked = rest
                .iter()
                .map(|s| files::check_name(s))
                .collect::<files::Result<Vec<_>>>()?;
            Ok((path, checked))
        }
    })
    .await
    .map_err(|e| match e {
        WebError::BadRequest(_) => WebError::NotFound,
        e => e,
    })?;
    Ok(Target {
        space,
        segments,
        root,
        path,
    })
}

/// Runs filesystem work on a blocking thread.
pub async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> files::Result<T> + Send + 'static,
) -> Result<T, WebError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| WebError::Internal(format!("file task: {e}")))?
        .map_err(WebError::from)
}

impl From<FileError> for WebError {
    fn from(e: FileError) -> Self {
        match e {
            FileError::NotFound => WebError::NotFound,
            FileError::Io(e) => WebError::Internal(format!("files: {e}")),
            other => WebError::BadRequest(other.key()),
        }
    }
}

/// Bytes as people read them, in the page's language (`1,5 Mo` / `1.5 MB`): the units and
/// the decimal mark are messages.
pub fn human_size(i18n: &crate::i18n::I18n, bytes: u64, lang: &str) -> String {
    const UNITS: [&str; 5] = ["b", "kb", "mb", "gb", "tb"];
    let mut v = bytes as f64;
    let mut i = 0;
    while v >= 1024.0 && i + 1 < UNITS.len() {
        v /= 1024.0;
        i += 1;
    }
    let s = if i == 0 || v >= 10.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}").trim_end_matches(".0").to_owned()
    };
    let s = s.replace('.', &i18n.get(lang, "common.decimal_mark"));
    i18n.format(lang, "common.size", &[("n", &s), ("unit", UNITS[i])])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_segments_decode_and_keep_encoded_slashes_inside() {
        assert_eq!(
            url_segments("Classes/6e%20A/a%2Fb").unwrap(),
            vec!["Classes", "6e A", "a/b"]
        );
        assert!(url_segments("x/%FF").is_err());
    }

    #[test]
    fn sizes_read_well() {
        let i = crate::i18n::I18n::new();
        let size = |b, lang| crate::i18n::strip_isolation(&human_size(&i, b, lang)).into_owned();
        assert_eq!(size(0, "en"), "0\u{a0}B");
        assert_eq!(size(1536, "fr"), "1,5\u{a0}Ko");
        assert_eq!(size(200 * 1024 * 1024, "en"), "200\u{a0}MB");
        assert_eq!(size(1536, "pt"), "1,5\u{a0}KB");
        assert_eq!(size(3 << 30, "ar"), "3\u{a0}غيغابايت");
    }
}
