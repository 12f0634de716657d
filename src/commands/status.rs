//! `cartable status`: what a maintainer checks first over SSH, one `key: value` per line so
//! scripts can read it too.

use super::Result;
use std::path::Path;

pub fn status(data: &Path) -> Result<()> {
    if !data.join("cartable.db").exists() {
        return Err(format!("{} holds no Cartable database", data.display()));
    }
    let db = crate::server::open_db(data).map_err(|e| e.to_string())?;
    let s = crate::ops::status::gather(data, &db).map_err(|e| e.to_string())?;
    for line in crate::ops::status::lines(&s) {
        println!("{line}");
    }
    Ok(())
}
