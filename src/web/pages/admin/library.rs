//! `/admin/library`: the offline library's collections for the admin — what is installed, who
//! reads each (school, staff, chosen classes), how far its full-text index has got, which
//! files were found and refused and why, and which lost their file in a restore.
//!
//! Nothing is uploaded here: a collection is tens of gigabytes, more than a browser upload
//! should carry, so the page explains the three ways in (the command line, the staff share's
//! `Library` folder, a USB disk) and offers "scan now" for the last two. Removing deletes
//! files, so it goes through a confirmation page (no JavaScript needed). Every change is
//! audited by the registry's functions.

use crate::auth::{Action, SchoolAudience};
use crate::ids::ClassId;
use crate::library::registry::{self, Collection};
use crate::library::{install, missing, scan};
use crate::settings::Settings;
use crate::web::Response;
use crate::web::error::WebError;
use crate::web::pages::files::human_size;
use crate::web::req::{Req, redirect};
use minijinja::context;
use serde::Serialize;
use std::path::PathBuf;
use std::time::Duration;

/// How long "scan now" waits for its scan before showing the page (a copy from a USB disk
/// goes on in the background).
const SCAN_WAIT: Duration = Duration::from_secs(10);

#[derive(Serialize)]
struct Row {
    c: Collection,
    size: String,
    present: bool,
    file: String,
    audience: String,
    classes: Vec<i64>,
}

#[derive(Serialize)]
struct ClassChoice {
    id: ClassId,
    name: String,
}

/// The collections, the refused files and this year's classes.
async fn load(
    req: &Req,
) -> Result<(Vec<Collection>, Vec<registry::Refusal>, Vec<ClassChoice>), WebError> {
    Ok(req
        .app
        .db
        .read(|c| {
            let year = Settings::load(c)?.school_year;
            let classes = crate::accounts::list_classes(c)
                .map_err(|e| crate::db::Error::Task(e.to_string()))?
                .into_iter()
                .filter(|k| k.school_year == year)
                .map(|k| ClassChoice {
                    id: k.id,
                    name: k.name,
                })
                .collect();
            Ok((registry::list(c)?, registry::refused(c)?, classes))
        })
        .await?)
}

pub async fn view(mut req: Req) -> Result<Response, WebError> {
    req.allow(&Action::ManageLibrary)?;
    let (collections, refused, classes) = load(&req).await?;
    let dir = req.app.library.dir().to_owned();
    let rows: Vec<Row> = collections
        .into_iter()
        .map(|c| Row {
            size: human_size(&req.app.i18n, c.size, req.lang),
            present: missing::present(&dir, &c),
            file: missing::expected_file(&dir, &c).display().to_string(),
            audience: c.audience.kind().to_owned(),
            classes: c.audience.classes().iter().map(|k| k.0).collect(),
            c,
        })
        .collect();
    let staff_folder = scan::staff_folder(&req.app.data_dir)
        .map(|p| p.display().to_string())
        .unwrap_or_default();
    let report = req.app.scanner.last();
    let scanning = req.app.scanner.running();
    let data = req.app.data_dir.display().to_string();
    req.render(
        "admin/library.html",
        context! {
            collections => rows,
            refused => refused,
            classes => classes,
            report => report,
            scanning => scanning,
            staff_folder => staff_folder,
            data_dir => data,
        },
    )
}

/// The collection named in the path, or 404.
async fn collection(req: &Req) -> Result<Collection, WebError> {
    let name: String = req.param("name")?;
    req.app
        .db
        .read(move |c| Ok(registry::by_name(c, &name)?))
        .await?
        .ok_or(WebError::NotFound)
}

pub async fn set_audience(mut req: Req) -> Result<Response, WebError> {
    let allowed = req.allow(&Action::ManageLibrary)?;
    let c = collection(&req).await?;
    let pairs: Vec<(String, String)> = req.form().await?;
    let mut kind = String::new();
    let mut classes: Vec<ClassId> = Vec::new();
    for (k, v) in pairs {
        match k.as_str() {
            "audience" => kind = v,
            "class" => {
                if let Ok(id) = v.trim().parse::<i64>()
                    && !classes.contains(&ClassId(id))
                {
                    classes.push(ClassId(id));
                }
            }
            _ => {}
        }
    }
    classes.sort();
    let audience = match kind.as_str() {
        "school" | "staff" | "classes" => SchoolAudience::from_parts(&kind, classes),
        _ => None,
    }
    .ok_or(WebError::BadRequest("library_admin.bad_audience"))?;
    if audience.classes().is_empty() && kind == "classes" {
        return Ok(redirect("/admin/library?msg=library_admin.no_class"));
    }
    let ids = audience.classes().to_vec();
    req.app
        .db
        .write(move |tx| {
            let mut known = tx.prepare_cached("SELECT 1 FROM classes WHERE id = ?1")?;
            if !ids.iter().all(|id| known.exists([id]).unwrap_or(false)) {
                return Ok(false);
            }
            drop(known);
            registry::set_audience(tx, &allowed, c.id, &c.name, &audience)?;
            Ok(true)
        })
        .await?
        .then_some(())
        .ok_or(WebError::BadRequest("library_admin.bad_audience"))?;
    Ok(redirect("/admin/library?msg=library_admin.audience_saved"))
}

/// The confirmation page: what removing deletes.
pub async fn confirm_remove(mut req: Req) -> Result<Response, WebError> {
    req.allow(&Action::ManageLibrary)?;
    let c = collection(&req).await?;
    let twins = staff_twins(&req, &c);
    let size = human_size(&req.app.i18n, c.size, req.lang);
    req.render(
        "admin/library_remove.html",
        context! { c => c, size => size, twins => twins },
    )
}

pub async fn remove(mut req: Req) -> Result<Response, WebError> {
    let allowed = req.allow(&Action::ManageLibrary)?;
    let c = collection(&req).await?;
    let _: Vec<(String, String)> = req.form().await?;
    let twins: Vec<PathBuf> = staff_twins(&req, &c)
        .into_iter()
        .map(PathBuf::from)
        .collect();
    let app = req.app.clone();
    tokio::task::spawn_blocking(move || {
        install::remove(&app.db, app.library.dir(), &c, &allowed)?;
        // The same bytes under the staff share's name: removing the collection would free
        // nothing, and the next scan would add it again.
        for t in twins {
            if let Err(e) = std::fs::remove_file(&t) {
                log::warn!("library: could not remove {}: {e}", t.display());
            }
        }
        app.library.forget(c.id);
        // A copy left on a USB disk is then listed as removed, not silently skipped.
        app.scanner.look_again();
        Ok::<_, install::InstallError>(())
    })
    .await
    .map_err(|e| WebError::Internal(e.to_string()))?
    .map_err(|e| WebError::Internal(e.to_string()))?;
    Ok(redirect("/admin/library?msg=library_admin.removed"))
}

/// The files in the staff share's `Library` folder that are `c`'s file under another name
/// (the hard link a scan made).
fn staff_twins(req: &Req, c: &Collection) -> Vec<String> {
    use std::os::unix::fs::MetadataExt;
    let dir = req.app.library.dir();
    let Some(folder) = scan::staff_folder(&req.app.data_dir) else {
        return Vec::new();
    };
    let ours: Vec<(u64, u64)> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| {
            let n = e.file_name().to_string_lossy().into_owned();
            n.strip_prefix(c.name.as_str())
                .is_some_and(|rest| rest.starts_with(".zim") && rest.len() <= 6)
        })
        .filter_map(|e| e.metadata().ok())
        .map(|m| (m.dev(), m.ino()))
        .collect();
    if ours.is_empty() {
        return Vec::new();
    }
    let mut out: Vec<String> = std::fs::read_dir(&folder)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| {
            e.metadata()
                .is_ok_and(|m| m.is_file() && ours.contains(&(m.dev(), m.ino())))
        })
        .map(|e| e.path().display().to_string())
        .collect();
    out.sort();
    out
}

pub async fn scan_now(mut req: Req) -> Result<Response, WebError> {
    req.allow(&Action::ManageLibrary)?;
    let _: Vec<(String, String)> = req.form().await?;
    scan_and_show(&req).await
}

/// Runs a scan and shows the page once it is over, or after [`SCAN_WAIT`] (a copy goes on).
async fn scan_and_show(req: &Req) -> Result<Response, WebError> {
    let app = req.app.clone();
    let task = tokio::spawn(async move { scan::scan(&app).await });
    match tokio::time::timeout(SCAN_WAIT, task).await {
        Ok(_) => Ok(redirect("/admin/library?msg=library_admin.scanned")),
        Err(_) => Ok(redirect("/admin/library?msg=library_admin.scan_running")),
    }
}

#[derive(serde::Deserialize)]
struct ReadmitForm {
    #[serde(default)]
    path: String,
}

/// "Add it again": a file refused because an admin removed its collection may be added by the
/// next scan, which runs at once. Only a path the refused list holds as removed is looked at.
pub async fn readmit(mut req: Req) -> Result<Response, WebError> {
    let allowed = req.allow(&Action::ManageLibrary)?;
    let ReadmitForm { path } = req.form().await?;
    let listed = req
        .app
        .db
        .read(move |c| {
            Ok(registry::refused(c)?
                .into_iter()
                .find(|r| r.path == path && r.kind == "removed"))
        })
        .await?
        .ok_or(WebError::BadRequest("library_admin.not_removed"))?;
    let file = PathBuf::from(&listed.path);
    let uuid = tokio::task::spawn_blocking(move || {
        crate::library::zim::Archive::open(&file).map(|a| a.header().uuid_hex())
    })
    .await
    .map_err(|e| WebError::Internal(e.to_string()))?
    .map_err(|_| WebError::BadRequest("library_admin.not_removed"))?;
    req.app
        .db
        .write(move |tx| {
            registry::readmit(tx, &allowed, &uuid)?;
            Ok(())
        })
        .await?;
    req.app.scanner.look_again();
    scan_and_show(&req).await
}
