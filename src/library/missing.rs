//! Collections registered but without their file: backups carry the registry (it is in the
//! database) but never the collections' bytes nor their full-text indexes (tens of gigabytes,
//! re-installable), so a restored school lists its collections and says which files to put
//! back. `install` puts a missing file back under its old name, keeping its audience.
//!
//! A collection's file is always `DATA/library/<name>.zim` (or `.zimaa`, ...): `install` places
//! it there. Its recorded path is absolute, so a data folder restored elsewhere is checked, and
//! re-pointed by [`after_restore`], by file name under this data folder's `library/`.

use super::registry::{self, Collection, IndexState};
use crate::db::Db;
use std::path::{Path, PathBuf};

/// Where `c`'s file belongs under `library_dir`.
pub fn expected_file(library_dir: &Path, c: &Collection) -> PathBuf {
    match c.file.file_name() {
        Some(n) => library_dir.join(n),
        None => library_dir.join(format!("{}.zim", c.name)),
    }
}

/// Whether `c`'s file is where it belongs.
pub fn present(library_dir: &Path, c: &Collection) -> bool {
    expected_file(library_dir, c).is_file()
}

/// After a restore into `library_dir`'s data folder: each collection's recorded file is
/// re-pointed under this folder, an index that did not travel is marked to be built again,
/// and the collections whose file is missing are returned.
pub fn after_restore(db: &Db, library_dir: &Path) -> Result<Vec<Collection>, crate::db::Error> {
    let dir = library_dir.to_owned();
    db.write_blocking(move |tx| {
        let all = registry::list(tx)?;
        let mut missing = Vec::new();
        for c in all {
            let file = expected_file(&dir, &c);
            if file != c.file {
                tx.execute(
                    "UPDATE library_collections SET file = ?2 WHERE id = ?1",
                    rusqlite::params![c.id, file.to_string_lossy()],
                )?;
            }
            if !super::index_path(&dir, &c.uuid).exists() && c.index != IndexState::Pending {
                registry::set_index_state(tx, c.id, IndexState::Pending, 0, "")?;
            }
            if !file.is_file() {
                missing.push(Collection { file, ..c });
            }
        }
        Ok(missing)
    })
}
