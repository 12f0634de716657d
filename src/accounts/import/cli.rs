//! `cartable --data DIR user import FILE.csv [--dry-run]`: the same plan and the same
//! all-or-nothing import as the admin page, for scripts and maintainers on the box.
//! Messages come from the English catalog, so they read as the page's do.

use super::{Plan, Refusal, apply, plan};
use crate::auth::{Allowed, Role};
use crate::db::Db;
use crate::i18n::{I18n, strip_isolation};
use crate::settings::Settings;
use std::path::Path;

const LANG: &str = "en";

/// Prints the plan, every problem and the new classes; imports unless `dry_run`. Any
/// problem is an error listing them, and nothing is written.
pub fn cli_import(db: &Db, file: &Path, dry_run: bool) -> Result<(), String> {
    let bytes = std::fs::read(file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    let i18n = I18n::new();
    let year = db
        .read_blocking(|c| Ok(Settings::load(c)?.school_year))
        .map_err(|e| e.to_string())?;
    let planned = db
        .read_blocking(|c| Ok(plan(c, &bytes, &year, &Role::ALL)?))
        .map_err(|e| e.to_string())?
        .map_err(|e| {
            format!(
                "{}: {}",
                file.display(),
                strip_isolation(&e.message(&i18n, LANG))
            )
        })?;
    print_plan(&planned, &i18n);
    if !planned.is_clean() {
        return Err(refused(&planned));
    }
    if dry_run {
        println!("dry run: nothing was written");
        return Ok(());
    }
    let file_name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let allowed = Allowed::system("import_accounts");
    let outcome = db
        .write_blocking(|tx| Ok(apply(tx, &allowed, &bytes, &file_name, &year, &Role::ALL)?))
        .map_err(|e| format!("nothing was imported: {e}"))?;
    match outcome {
        Ok(summary) => {
            println!(
                "imported {} accounts from {file_name}, without passwords: print the classes' login slips to hand them out",
                summary.accounts
            );
            for c in &summary.classes {
                println!(
                    "  class {} (id {}){}",
                    c.name,
                    c.id,
                    if c.new { ", new" } else { "" }
                );
            }
            Ok(())
        }
        Err(Refusal::File(e)) => Err(strip_isolation(&e.message(&i18n, LANG)).into_owned()),
        // The database changed between the plan above and the write: show the new problems.
        Err(Refusal::Problems(p)) => {
            print_plan(&p, &i18n);
            Err(refused(&p))
        }
    }
}

fn refused(p: &Plan) -> String {
    format!(
        "{} of {} lines have a problem; nothing was imported. Correct the file and run the import again.",
        p.lines_with_problems(),
        p.lines.len()
    )
}

fn print_plan(p: &Plan, i18n: &I18n) {
    let sep = match p.separator {
        '\t' => "tab".to_owned(),
        c => format!("'{c}'"),
    };
    println!(
        "{} lines, separator {sep}, school year {}",
        p.lines.len(),
        p.school_year
    );
    if !p.ignored_columns.is_empty() {
        println!("ignored columns: {}", p.ignored_columns.join(", "));
    }
    for l in &p.lines {
        let classes = if l.classes.is_empty() {
            String::new()
        } else {
            format!(", {}", l.classes.join(" + "))
        };
        println!(
            "line {}: {} {} -> {} ({}{classes})",
            l.line,
            l.last_name,
            l.first_name,
            if l.username.is_empty() {
                "?"
            } else {
                &l.username
            },
            l.role
        );
        for problem in &l.problems {
            println!(
                "  PROBLEM: {}",
                strip_isolation(&problem.message(i18n, LANG))
            );
        }
    }
    let new: Vec<&str> = p.new_classes().map(|c| c.name.as_str()).collect();
    if !new.is_empty() {
        println!("new classes ({}): {}", p.school_year, new.join(", "));
    }
    let old: Vec<&str> = p
        .classes
        .iter()
        .filter(|c| c.existing.is_some())
        .map(|c| c.name.as_str())
        .collect();
    if !old.is_empty() {
        println!("existing classes: {}", old.join(", "));
    }
}
