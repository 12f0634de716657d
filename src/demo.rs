//! The demo school for `make run`: made on the first start, kept afterwards.

use crate::server::Running;
use std::path::Path;

pub async fn ensure(_data: &Path) -> Result<(), String> {
    Ok(())
}

pub fn print_welcome(_data: &Path, _running: &Running) {}
