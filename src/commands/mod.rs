//! What each command-line command does. `main.rs` only parses and calls in here.

use crate::accounts::{self, NewUser};
use crate::auth::{Allowed, Role, check_password_rules, generate_password};
use crate::cli::{UserAdd, UserCommand};
use crate::db::Db;
use crate::server;
use crate::settings::Settings;
use std::io::Read;
use std::path::Path;

pub type Result<T> = std::result::Result<T, String>;

pub(crate) fn read_password_stdin() -> Result<String> {
    let mut s = String::new();
    std::io::stdin()
        .read_to_string(&mut s)
        .map_err(|e| format!("cannot read the password from standard input: {e}"))?;
    let pw = s
        .strip_suffix('\n')
        .map(|p| p.strip_suffix('\r').unwrap_or(p))
        .unwrap_or(&s)
        .to_owned();
    Ok(pw)
}

/// Hashes on the calling thread: the command line does one at a time.
fn hash(pw: &str) -> String {
    crate::auth::hash_password_blocking(pw)
}

pub fn user(data: &Path, cmd: UserCommand) -> Result<()> {
    let db = server::open_db(data).map_err(|e| e.to_string())?;
    match cmd {
        UserCommand::Add(a) => user_add(&db, a),
        UserCommand::List { role } => {
            let filter = accounts::UserFilter {
                role: role.unwrap_or_default(),
                ..Default::default()
            };
            let mut page = 0;
            loop {
                let f = accounts::UserFilter {
                    page,
                    ..filter.clone()
                };
                let users = db
                    .read_blocking(|c| Ok(accounts::find_users(c, &f)?))
                    .map_err(|e| e.to_string())?;
                for u in &users {
                    println!(
                        "{}\t{}\t{}{}",
                        u.username,
                        u.role,
                        u.display_name,
                        if u.disabled { "\t(disabled)" } else { "" }
                    );
                }
                if users.len() < accounts::PAGE_SIZE as usize {
                    return Ok(());
                }
                page += 1;
            }
        }
        UserCommand::Passwd {
            username,
            password_stdin,
            temporary,
        } => {
            let user = db
                .read_blocking(|c| Ok(accounts::get_user_by_name(c, &username)?))
                .map_err(|_| format!("no account named {username}"))?;
            let (pw, generated) = if password_stdin {
                (read_password_stdin()?, false)
            } else {
                (generate_password(), true)
            };
            check_password_rules(&user.username, &pw).map_err(|e| format!("refused: {e}"))?;
            let h = hash(&pw);
            let allowed = Allowed::system("reset_password");
            db.write_blocking_as(|tx| {
                accounts::set_password_hash(tx, &allowed, user.id, &h, temporary || generated, None)
            })
            .map_err(|e: accounts::AccountError| e.to_string())?;
            if generated {
                println!("new password for {}: {pw}", user.username);
                println!("(it must be changed at the next login)");
            } else {
                println!("password set for {}", user.username);
            }
            Ok(())
        }
        UserCommand::Disable { username } => set_disabled(&db, &username, true),
        UserCommand::Enable { username } => set_disabled(&db, &username, false),
        UserCommand::Import { file, dry_run } => accounts::import::cli_import(&db, &file, dry_run),
    }
}

fn set_disabled(db: &Db, username: &str, disabled: bool) -> Result<()> {
    let user = db
        .read_blocking(|c| Ok(accounts::get_user_by_name(c, username)?))
        .map_err(|_| format!("no account named {username}"))?;
    let allowed = Allowed::system(if disabled {
        "disable_account"
    } else {
        "enable_account"
    });
    db.write_blocking_as(|tx| accounts::set_disabled(tx, &allowed, user.id, disabled))
        .map_err(|e: accounts::AccountError| e.to_string())?;
    println!(
        "{} {}",
        user.username,
        if disabled { "disabled" } else { "enabled" }
    );
    Ok(())
}

fn user_add(db: &Db, a: UserAdd) -> Result<()> {
    let role = Role::parse(&a.role).ok_or_else(|| {
        format!(
            "unknown role {:?}: use admin, staff, teacher, pupil or parent",
            a.role
        )
    })?;
    let username = a.username.trim().to_lowercase();
    accounts::check_username(&username).map_err(|e| format!("refused: {e}"))?;
    let (pw, generated) = if a.password_stdin {
        (read_password_stdin()?, false)
    } else {
        (generate_password(), true)
    };
    check_password_rules(&username, &pw).map_err(|e| format!("refused: {e}"))?;
    if let Some(l) = &a.language {
        crate::i18n::supported(l)
            .ok_or_else(|| format!("unknown language {l:?}: use fr, en, pt or ar"))?;
    }
    let h = hash(&pw);
    let new = NewUser {
        username: username.clone(),
        first_name: a.first_name,
        last_name: a.last_name,
        role: Some(role),
        language: a.language,
    };
    let allowed = Allowed::system("create_account");
    let class = a.class.clone();
    let year = db
        .read_blocking(|c| Ok(Settings::load(c)?.school_year))
        .map_err(|e| e.to_string())?;
    db.write_blocking_as(|tx| {
        let id = accounts::create_user(tx, &allowed, &new, Some(&h), generated)?;
        if let Some(name) = &class {
            let class_id = match accounts::find_class(tx, name, &year)? {
                Some(c) => c,
                None => accounts::create_class(tx, &allowed, name, &year)?,
            };
            accounts::add_member(tx, &allowed, class_id, id)?;
        }
        Ok(())
    })
    .map_err(|e: accounts::AccountError| format!("refused: {e}"))?;
    println!("created {username} ({role})");
    if generated {
        println!("password: {pw}");
        println!("(it must be changed at the first login)");
    }
    Ok(())
}

pub fn check(data: &Path) -> Result<()> {
    if !data.join("cartable.db").exists() {
        return Err(format!("{} holds no Cartable database", data.display()));
    }
    let db = server::open_db(data).map_err(|e| e.to_string())?;
    let (version, settings, users) = db
        .read_blocking(|c| {
            let v: i64 = c.query_row("PRAGMA user_version", [], |r| r.get(0))?;
            let n: i64 = c.query_row("SELECT count(*) FROM users", [], |r| r.get(0))?;
            Ok((v, Settings::load(c)?, n))
        })
        .map_err(|e| e.to_string())?;
    // The full check (FTS5's search index included), which a server runs in the background.
    let problems = crate::db::check::full(&data.join("cartable.db")).map_err(|e| e.to_string())?;
    if !problems.is_empty() {
        return Err(format!(
            "database check: {}; {}",
            problems.join("; "),
            crate::ops::integrity::ADVICE
        ));
    }
    println!("database: ok (full integrity check, schema {version})");
    println!("school: {}", settings.school_name);
    println!("host names: {}", settings.host_names.join(", "));
    println!("mail domain: {}", settings.mail_domain);
    println!("accounts: {users}");
    Ok(())
}

mod app;
mod backup;
mod library;
mod mail;
mod provision;
mod status;
mod update;
pub use app::app;
pub use backup::{backup, restore};
pub use library::library;
pub use mail::mail;
pub use provision::{banner, provision};
pub use status::status;
pub use update::update;
