//! `cartable provision` and `cartable banner`: the first-boot service's two commands.

use super::Result;
use crate::provision::{self, Failure};
use std::path::Path;
use std::process::ExitCode;

/// Exit status 2 means "the file is wrong" (nothing applied), 1 "applying failed".
pub fn provision(data: &Path, from: &Path, root: Option<&Path>) -> ExitCode {
    match provision::run(data, from, root) {
        Ok(changed) if changed.is_empty() => {
            println!("cartable.toml: already applied, nothing changed");
            ExitCode::SUCCESS
        }
        Ok(changed) => {
            for c in changed {
                println!("applied: {c}");
            }
            ExitCode::SUCCESS
        }
        Err(Failure::Invalid(problems)) => {
            eprintln!(
                "{} cannot be applied; nothing was changed. Fix these and restart:",
                from.display()
            );
            for p in problems {
                eprintln!("  - {p}");
            }
            ExitCode::from(2)
        }
        Err(Failure::Apply(e)) => {
            eprintln!("cartable: provisioning failed: {e}");
            ExitCode::FAILURE
        }
    }
}

pub fn banner(data: &Path, write: Option<&Path>) -> Result<()> {
    let text = provision::banner::text(data);
    match write {
        None => print!("{text}"),
        Some(path) => {
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
            }
            crate::tls::write_atomic(path, text.as_bytes(), false)
                .map_err(|e| format!("{}: {e}", path.display()))?;
        }
    }
    Ok(())
}
