//! Looking around: the list of one's spaces with the personal quota, and a folder's listing
//! (folders first, breadcrumbs, and the write forms only where the policy allows writing).
//! A `GET` that lands on a file hands over to `download`.

use super::{Target, blocking, human_size, locate, url_segments};
use crate::files::{self, quota};
use crate::ids::SpaceId;
use crate::web::Response;
use crate::web::error::WebError;
use crate::web::req::{Req, redirect};
use minijinja::context;
use serde::Serialize;

#[derive(Serialize)]
struct SpaceCard {
    title: String,
    path: String,
    href: String,
    writable: bool,
    kind: &'static str,
    kind_key: &'static str,
}

/// `GET /files`: the spaces the principal can see, and how full their own is.
pub async fn spaces(mut req: Req) -> Result<Response, WebError> {
    let p = req.principal()?.clone();
    let data_dir = req.app.data_dir.clone();
    let own = SpaceId::Personal(p.id);
    let role = p.role;
    let (spaces, quota) = req
        .app
        .db
        .read(move |c| {
            let spaces = files::visible_spaces(c, &p)?;
            let quota = quota::quota_bytes(c, own, Some(role))?;
            Ok((spaces, quota))
        })
        .await?;
    let root = files::space_root(&data_dir, own);
    let used = blocking(move || Ok(quota::used(&root)?)).await?;
    let cards: Vec<SpaceCard> = spaces
        .iter()
        .map(|s| SpaceCard {
            title: s.title.clone(),
            path: s.path.clone(),
            href: super::href(s, &[]),
            writable: s.writable,
            kind: match s.id {
                SpaceId::Personal(_) => "personal",
                SpaceId::Class(_) => "class",
                SpaceId::StaffRoom => "staff",
                SpaceId::DropBox { .. } => "homework",
            },
            kind_key: match s.id {
                SpaceId::Personal(_) => "files.kind_personal",
                SpaceId::Class(_) => "files.kind_class",
                SpaceId::StaffRoom => "files.kind_staff",
                SpaceId::DropBox { .. } => "homework.title",
            },
        })
        .collect();
    let percent = (used.saturating_mul(100) / quota.max(1)).min(100);
    let lang = req.lang;
    req.render(
        "files/spaces.html",
        context! {
            spaces => cards,
            used => human_size(&req.app.i18n, used, lang),
            quota => human_size(&req.app.i18n, quota, lang),
            percent => percent,
        },
    )
}

#[derive(Serialize)]
struct Entry {
    name: String,
    href: String,
    /// The entry's full path, as the action forms carry it.
    path: String,
    is_dir: bool,
    size: String,
    modified: i64,
}

#[derive(Serialize)]
struct Crumb {
    name: String,
    href: String,
}

/// `GET /files/{*path}`: a folder's listing, or a file's download.
pub async fn get(req: Req) -> Result<Response, WebError> {
    let raw = req
        .params
        .iter()
        .find(|(k, _)| k == "path")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    let segments = url_segments(&raw)?;
    if segments.is_empty() || segments == [files::spaces::CLASSES] {
        return Ok(redirect("/files"));
    }
    let target = locate(&req, segments).await?;
    let path = target.path.clone();
    let is_root = target.segments.is_empty();
    let meta = blocking(move || match std::fs::symlink_metadata(&path) {
        Ok(m) => Ok(Some(m)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e.into()),
    })
    .await?;
    match meta {
        Some(m) if m.is_file() => super::download::send(req, target, m).await,
        Some(m) if m.is_dir() => listing(req, target).await,
        // A space nobody has written to yet has no folder on disk: it is empty.
        None if is_root => listing(req, target).await,
        _ => Err(WebError::NotFound),
    }
}

async fn listing(mut req: Req, target: Target) -> Result<Response, WebError> {
    let dir = target.path.clone();
    let raw = blocking(move || {
        let mut out = Vec::new();
        let entries = match std::fs::read_dir(&dir) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(out),
            Err(e) => return Err(e.into()),
        };
        for e in entries {
            let e = e?;
            let Ok(name) = e.file_name().into_string() else {
                continue;
            };
            let m = std::fs::symlink_metadata(e.path())?;
            if m.file_type().is_symlink() || !(m.is_dir() || m.is_file()) {
                continue;
            }
            let modified = m
                .modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map(|d| d.as_secs() as i64)
                .unwrap_or(0);
            out.push((name, m.is_dir(), m.len(), modified));
        }
        Ok(out)
    })
    .await?;
    let mut raw = raw;
    raw.sort_by(|a, b| {
        b.1.cmp(&a.1)
            .then_with(|| files::names::fold(&a.0).cmp(&files::names::fold(&b.0)))
            .then_with(|| a.0.cmp(&b.0))
    });
    let lang = req.lang;
    let entries: Vec<Entry> = raw
        .into_iter()
        .map(|(name, is_dir, len, modified)| {
            let mut segs = target.segments.clone();
            segs.push(name.clone());
            Entry {
                href: super::href(&target.space, &segs),
                path: super::join_display(&target.space, &segs),
                size: if is_dir {
                    String::new()
                } else {
                    human_size(&req.app.i18n, len, lang)
                },
                name,
                is_dir,
                modified,
            }
        })
        .collect();
    let mut crumbs = vec![Crumb {
        name: target.space.title.clone(),
        href: super::href(&target.space, &[]),
    }];
    for i in 0..target.segments.len() {
        crumbs.push(Crumb {
            name: target.segments[i].clone(),
            href: super::href(&target.space, &target.segments[..i + 1]),
        });
    }
    let writable = target.writable(&req);
    // Destinations for "move": every folder of this space, offered as suggestions.
    let folders = if writable && !entries.is_empty() {
        let root = target.root.clone();
        let space = target.space.clone();
        blocking(move || Ok(all_folders(&root)))
            .await?
            .into_iter()
            .map(|segs| super::join_display(&space, &segs))
            .collect()
    } else {
        Vec::new()
    };
    let parent = (!target.segments.is_empty())
        .then(|| super::href(&target.space, &target.segments[..target.segments.len() - 1]));
    req.render(
        "files/folder.html",
        context! {
            title => target.segments.last().cloned().unwrap_or_else(|| target.space.title.clone()),
            crumbs => crumbs,
            entries => entries,
            here => target.display(),
            here_href => target.href(),
            parent => parent,
            writable => writable,
            folders => folders,
        },
    )
}

/// The folders of a space, as segment lists, root first; capped so a huge tree cannot make
/// a huge page.
fn all_folders(root: &std::path::Path) -> Vec<Vec<String>> {
    const MAX: usize = 500;
    let mut out = vec![Vec::new()];
    let mut i = 0;
    while i < out.len() && out.len() < MAX {
        let segs = out[i].clone();
        i += 1;
        let dir = segs.iter().fold(root.to_path_buf(), |p, s| p.join(s));
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut subs: Vec<String> = entries
            .flatten()
            .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
            .filter_map(|e| e.file_name().into_string().ok())
            .collect();
        subs.sort_by_key(|n| files::names::fold(n));
        for s in subs {
            let mut next = segs.clone();
            next.push(s);
            out.push(next);
        }
    }
    out.truncate(MAX);
    out
}
