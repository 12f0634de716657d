//! CSV import of class lists (see the admin import page).

use crate::db::Db;
use std::path::Path;

pub fn cli_import(_db: &Db, _file: &Path, _dry_run: bool) -> Result<(), String> {
    Err("not yet".into())
}
