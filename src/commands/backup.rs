//! `cartable backup` and `cartable restore`.

use super::Result;
use crate::ops::backup;
use std::path::Path;

pub fn backup(data: &Path, to: Option<&Path>, auto: bool) -> Result<()> {
    if !data.join("cartable.db").exists() {
        return Err(format!("{} holds no Cartable database", data.display()));
    }
    let last = match (to, auto) {
        (_, true) => backup::backup_auto(data)?,
        (Some(to), false) => backup::backup(data, to)?,
        (None, false) => return Err("say where: --to FILE, or --auto".into()),
    };
    println!(
        "backup written: {} ({} files, {} bytes)",
        last.path, last.files, last.size
    );
    Ok(())
}

pub fn restore(data: &Path, from: &Path) -> Result<()> {
    let m = backup::restore(from, data)?;
    println!(
        "restored {} (backup of {}, Cartable {}) into {}: {} files checked",
        m.school,
        crate::clock::format_local(m.created_at),
        m.version,
        data.display(),
        m.entries.iter().filter(|e| e.sha256.is_some()).count()
    );
    missing_collections(data)
}

/// Backups carry the library's registry but not its files: says which collections need
/// their file put back, and how.
fn missing_collections(data: &Path) -> Result<()> {
    let db = crate::server::open_db(data).map_err(|e| e.to_string())?;
    let missing = crate::library::missing::after_restore(&db, &data.join("library"))
        .map_err(|e| e.to_string())?;
    if missing.is_empty() {
        return Ok(());
    }
    println!(
        "{} library collection(s) are missing (backups do not hold the collections' files):",
        missing.len()
    );
    for c in &missing {
        println!(
            "  missing: {} ({}), file {}",
            c.name,
            c.title,
            c.file.display()
        );
    }
    println!(
        "re-add each file: `cartable --data {} library add FILE`, a USB disk's library folder, \
         or the staff share's Library folder (the audience is kept); or move the old data \
         folder's library/ into this one",
        data.display()
    );
    Ok(())
}
