//! `cartable update FILE` and `cartable update --rollback`.

use super::Result;
use crate::cli::UpdateArgs;
use crate::ops::update::{self, Service};
use std::path::Path;
use std::time::Duration;

pub fn update(data: &Path, a: UpdateArgs) -> Result<()> {
    let binary = match a.binary {
        Some(b) => b,
        None => std::env::current_exe().map_err(|e| format!("cannot find this program: {e}"))?,
    };
    let svc = Service {
        binary,
        stop: a.stop,
        start: a.start,
        https: a.check_https,
        smtp: a.check_smtp,
        timeout: Duration::from_secs(a.timeout),
    };
    let done = match (a.rollback, a.file) {
        (true, _) => update::rollback(data, &svc)?,
        (false, Some(file)) => update::update(data, &file, &svc, a.allow_downgrade)?,
        (false, None) => return Err("give the new binary, or --rollback".into()),
    };
    println!("{done}");
    Ok(())
}
