//! `cartable library ...`: install, list and remove offline library collections from the
//! command line (a maintainer over SSH, a provisioning script, the benchmark). It may run while
//! the server does: the server reads the registry per request, and its indexer picks up a new
//! collection on its next look.

use super::Result;
use crate::auth::{Allowed, SchoolAudience};
use crate::cli::{LibraryAudience, LibraryCommand};
use crate::db::Db;
use crate::library::{install, registry};
use crate::server;
use crate::settings::Settings;
use std::path::Path;

/// The action the audit log records, the same as the admin page's.
const ACTION: &str = "manage_library";

pub fn library(data: &Path, cmd: LibraryCommand) -> Result<()> {
    let db = server::open_db(data).map_err(|e| e.to_string())?;
    let dir = data.join("library");
    let allowed = Allowed::system(ACTION);
    match cmd {
        LibraryCommand::Add { file, audience } => {
            let audience = resolve(&db, &audience)?;
            let c = install::install(&db, &dir, &file, audience, "cli", &allowed)
                .map_err(|e| format!("{}: refused: {e}", file.display()))?;
            println!(
                "installed {} ({}, {} articles)",
                c.name, c.title, c.article_count
            );
            Ok(())
        }
        LibraryCommand::List => {
            let all = db
                .read_blocking(|c| Ok(registry::list(c)?))
                .map_err(|e| e.to_string())?;
            for c in all {
                println!(
                    "{}\t{}\t{}\t{}\t{}\t{}",
                    c.name,
                    audience_text(&db, &c.audience),
                    c.index.as_str(),
                    c.article_count,
                    c.size,
                    c.title
                );
            }
            Ok(())
        }
        LibraryCommand::Audience { name, audience } => {
            let c = find(&db, &name)?;
            let audience = resolve(&db, &audience)?;
            db.write_blocking(move |tx| {
                Ok(registry::set_audience(
                    tx, &allowed, c.id, &c.name, &audience,
                )?)
            })
            .map_err(|e| e.to_string())?;
            println!("{name}: audience changed");
            Ok(())
        }
        LibraryCommand::Remove { name } => {
            let c = find(&db, &name)?;
            install::remove(&db, &dir, &c, &allowed).map_err(|e| e.to_string())?;
            println!("removed {name}");
            Ok(())
        }
    }
}

fn find(db: &Db, name: &str) -> Result<registry::Collection> {
    let n = name.to_owned();
    db.read_blocking(move |c| Ok(registry::by_name(c, &n)?))
        .map_err(|e| e.to_string())?
        .ok_or_else(|| format!("no collection named {name} (see `cartable library list`)"))
}

/// The audience the options name; classes by name, in the current school year.
fn resolve(db: &Db, a: &LibraryAudience) -> Result<SchoolAudience> {
    if a.audience != "classes" && !a.classes.is_empty() {
        return Err("--class goes with --audience classes".into());
    }
    let mut ids = Vec::new();
    for name in &a.classes {
        let n = name.clone();
        let id = db
            .read_blocking(move |c| {
                let year = Settings::load(c)?.school_year;
                Ok(crate::accounts::find_class(c, &n, &year)?)
            })
            .map_err(|e| e.to_string())?
            .ok_or_else(|| format!("no class named {name} this school year"))?;
        ids.push(id);
    }
    if a.audience == "classes" && ids.is_empty() {
        return Err("--audience classes needs at least one --class".into());
    }
    SchoolAudience::from_parts(&a.audience, ids).ok_or_else(|| "unknown audience".into())
}

fn audience_text(db: &Db, a: &SchoolAudience) -> String {
    match a {
        SchoolAudience::Classes(ids) => {
            let ids = ids.clone();
            let names = db
                .read_blocking(move |c| Ok(crate::accounts::classes_by_id(c, &ids)?))
                .map(|cs| cs.into_iter().map(|c| c.name).collect::<Vec<_>>().join(","))
                .unwrap_or_default();
            format!("classes:{names}")
        }
        other => other.kind().to_owned(),
    }
}
