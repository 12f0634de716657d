//! Applying a checked plan to the data directory: the school's settings, the mail relay, the
//! first admin, the certificate for the box's names, the update key. Each step compares
//! before it writes, so a second run with the same file changes nothing.

use super::config::Plan;
use crate::accounts::{self, NewUser};
use crate::auth::{Allowed, Role};
use crate::mail::MailSettings;
use crate::settings::Settings;
use std::path::Path;

/// Where a generated first-admin password waits for the console, until the admin has logged
/// in and chosen their own.
pub const FIRST_PASSWORD_FILE: &str = "first-admin-password";
/// The minisign public key that signs updates.
pub const UPDATE_KEY_FILE: &str = "update-key.pub";

/// What a run changed, for the journal.
#[derive(Debug, Default)]
pub struct Changes {
    pub lines: Vec<String>,
    /// The admin's password, when this run generated it.
    pub generated_password: Option<String>,
}

pub fn apply(data: &Path, plan: &Plan) -> Result<Changes, String> {
    let db = crate::server::open_db(data).map_err(|e| e.to_string())?;
    let mut changes = Changes::default();
    let (mut settings, mut mail) = db
        .read_blocking(|c| Ok((Settings::load(c)?, MailSettings::load(c)?)))
        .map_err(|e| e.to_string())?;
    let before = settings.clone();
    settings.school_name = plan.school_name.clone();
    settings.mail_domain = plan.mail_domain.clone();
    settings.default_language = plan.language.clone();
    settings.host_names = plan.host_names.clone();
    settings.check().map_err(|e| e.to_string())?;
    let settings_changed = settings != before;
    let mail_before = mail.clone();
    match &plan.relay {
        Some(r) => {
            mail.relay_host = Some(r.host.clone());
            mail.relay_port = r.port;
            mail.relay_tls = r.tls;
            mail.relay_user = r.user.clone();
            // An empty password in the file means "keep the one applied before" (the
            // file's copy is erased once applied).
            if !r.password.is_empty() {
                mail.relay_password = r.password.clone();
            }
        }
        None => mail.relay_host = None,
    }
    if let Some(p) = plan.pupils_outside {
        mail.pupils_outside = p;
    }
    mail.check().map_err(|e| e.to_string())?;
    let mail_changed = mail != mail_before;
    if settings_changed || mail_changed {
        let (s, m) = (settings.clone(), mail.clone());
        db.write_blocking(move |tx| {
            s.save(tx)?;
            m.save(tx)?;
            Ok(())
        })
        .map_err(|e| e.to_string())?;
        if settings_changed {
            changes.lines.push(format!(
                "school: {}, mail domain {}, language {}, names {}",
                settings.school_name,
                settings.mail_domain,
                settings.default_language,
                settings.host_names.join(", ")
            ));
        }
        if mail_changed {
            changes.lines.push(format!(
                "mail relay: {}",
                mail.relay_host.as_deref().unwrap_or("none")
            ));
        }
    }
    admin(&db, data, plan, &mut changes)?;
    crate::tls::ensure(
        &data.join("tls"),
        &settings.school_name,
        &settings.host_names,
    )
    .map_err(|e| e.to_string())?;
    let key_path = data.join(UPDATE_KEY_FILE);
    if let Some(k) = &plan.update_key {
        let text = format!("untrusted comment: Cartable update key\n{k}\n");
        if std::fs::read_to_string(&key_path).ok().as_deref() != Some(&text) {
            crate::tls::write_atomic(&key_path, text.as_bytes(), false)
                .map_err(|e| format!("{}: {e}", key_path.display()))?;
            changes.lines.push("update key set".into());
        }
    }
    Ok(changes)
}

/// Makes the first admin if there is none by that name, or sets the password the file gives.
fn admin(
    db: &crate::db::Db,
    data: &Path,
    plan: &Plan,
    changes: &mut Changes,
) -> Result<(), String> {
    let name = plan.admin_username.clone();
    let existing = db
        .read_blocking(move |c| {
            Ok(rusqlite::OptionalExtension::optional(c.query_row(
                "SELECT id, password_hash FROM users WHERE username = ?1",
                [name],
                |r| {
                    Ok((
                        r.get::<_, crate::ids::UserId>(0)?,
                        r.get::<_, Option<String>>(1)?,
                    ))
                },
            ))?)
        })
        .map_err(|e| e.to_string())?;
    let allowed = Allowed::system("provision");
    match (existing, &plan.admin_password) {
        (Some((id, hash)), Some(pw)) => {
            let same = hash.is_some_and(|h| crate::auth::verify_password_blocking(&h, pw));
            if !same {
                let h = crate::auth::hash_password_blocking(pw);
                db.write_blocking(|tx| {
                    Ok(accounts::set_password_hash(
                        tx, &allowed, id, &h, false, None,
                    )?)
                })
                .map_err(|e| e.to_string())?;
                changes.lines.push(format!(
                    "admin {}: password set from the file",
                    plan.admin_username
                ));
            }
        }
        (Some(_), None) => {}
        (None, given) => {
            let (pw, generated) = match given {
                Some(p) => (p.clone(), false),
                None => (crate::auth::generate_password(), true),
            };
            let h = crate::auth::hash_password_blocking(&pw);
            let new = NewUser {
                username: plan.admin_username.clone(),
                first_name: plan.admin_first_name.clone(),
                last_name: if plan.admin_last_name.is_empty() {
                    "Administrateur".into()
                } else {
                    plan.admin_last_name.clone()
                },
                role: Some(Role::Admin),
                language: None,
            };
            db.write_blocking(|tx| {
                Ok(accounts::create_user(
                    tx,
                    &allowed,
                    &new,
                    Some(&h),
                    generated,
                )?)
            })
            .map_err(|e| e.to_string())?;
            if generated {
                let path = data.join(FIRST_PASSWORD_FILE);
                crate::tls::write_atomic(
                    &path,
                    format!("{}\n{pw}\n", plan.admin_username).as_bytes(),
                    true,
                )
                .map_err(|e| format!("{}: {e}", path.display()))?;
                changes.generated_password = Some(pw);
            }
            changes
                .lines
                .push(format!("admin {} created", plan.admin_username));
        }
    }
    Ok(())
}
