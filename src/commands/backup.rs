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
    Ok(())
}
