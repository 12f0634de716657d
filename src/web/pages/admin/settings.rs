//! The school's settings page: name, host names, mail domain, default language and school
//! year. Administrators only; every change goes to the audit log.
//!
//! Settings are saved in the database and swapped into the running server at once, except
//! the host names, which the TLS certificate picks up at the next start.

use crate::accounts;
use crate::auth::Action;
use crate::files::quota;
use crate::settings::{Settings, parse_host_names};
use crate::web::Response;
use crate::web::error::WebError;
use crate::web::req::{Req, redirect};
use hyper::StatusCode;
use minijinja::context;
use serde::{Deserialize, Serialize};

#[derive(Deserialize, Serialize)]
struct SettingsForm {
    #[serde(default)]
    school_name: String,
    #[serde(default)]
    host_names: String,
    #[serde(default)]
    mail_domain: String,
    #[serde(default)]
    default_language: String,
    #[serde(default)]
    school_year: String,
}

async fn page(
    mut req: Req,
    form: SettingsForm,
    error: Option<(&str, String)>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let (error, bad_value) = match error {
        Some((key, value)) => (Some(key), value),
        None => (None, String::new()),
    };
    let (quotas, image_px) = req
        .app
        .db
        .read(|c| {
            let px = crate::blog::media::image_px(c)
                .map_err(|e| crate::db::Error::Task(e.to_string()))?;
            Ok((quota::all_quotas(c)?, px))
        })
        .await?;
    req.render_status(
        status,
        "admin/settings.html",
        context! {
            form => form, error => error, bad_value => bad_value, quotas => quotas,
            image_px => image_px,
        },
    )
}

/// Saves the storage quotas (MiB per role, and for class spaces and the staff room). A value
/// that is not a whole number of MiB in range refuses the whole form.
pub async fn save_quotas(mut req: Req) -> Result<Response, WebError> {
    let allowed = req.allow(&Action::EditSettings)?;
    let fields: Vec<(String, String)> = req.form().await?;
    let mut wanted = Vec::new();
    for (key, value) in fields.into_iter().filter(|(k, _)| k.starts_with("quota_")) {
        match value.trim().parse::<u64>() {
            Ok(mib) if mib <= quota::MAX_MIB => wanted.push((key, mib)),
            _ => return Err(WebError::BadRequest("settings_page.quota_invalid")),
        }
    }
    let detail = wanted
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(", ");
    let ok = req
        .app
        .db
        .write(move |tx| {
            for (key, mib) in &wanted {
                if !quota::set_quota(tx, key, *mib)? {
                    return Ok(false);
                }
            }
            accounts::audit(tx, &allowed, "quotas", &detail)?;
            Ok(true)
        })
        .await?;
    if !ok {
        return Err(WebError::BadRequest("settings_page.quota_invalid"));
    }
    Ok(redirect("/admin/settings?msg=saved"))
}

#[derive(serde::Deserialize)]
struct BlogImagesForm {
    #[serde(default)]
    blog_image_px: String,
}

/// Saves the longest side blog photos keep (`blog_image_px`); larger ones are scaled down on
/// upload. Between 100 and 12,000 pixels; audited.
pub async fn save_blog_images(mut req: Req) -> Result<Response, WebError> {
    let allowed = req.allow(&Action::EditSettings)?;
    let form: BlogImagesForm = req.form().await?;
    let px = form
        .blog_image_px
        .trim()
        .parse::<u32>()
        .ok()
        .filter(|px| (100..=12_000).contains(px))
        .ok_or(WebError::BadRequest("settings_page.image_px_invalid"))?;
    req.app
        .db
        .write(move |tx| {
            tx.execute(
                "INSERT INTO settings (key, value) VALUES ('blog_image_px', ?1)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [px.to_string()],
            )?;
            accounts::audit(tx, &allowed, "blog images", &format!("blog_image_px={px}"))?;
            Ok(())
        })
        .await?;
    Ok(redirect("/admin/settings?msg=saved"))
}

pub async fn form(req: Req) -> Result<Response, WebError> {
    req.allow(&Action::EditSettings)?;
    let s = req.app.settings();
    let form = SettingsForm {
        school_name: s.school_name.clone(),
        host_names: s.host_names.join(", "),
        mail_domain: s.mail_domain.clone(),
        default_language: s.default_language.clone(),
        school_year: s.school_year.clone(),
    };
    page(req, form, None, StatusCode::OK).await
}

/// What changed, for the audit log: `field: old -> new`, one per changed field.
fn changes(before: &Settings, after: &Settings) -> String {
    let fields = [
        ("school_name", &before.school_name, &after.school_name),
        ("mail_domain", &before.mail_domain, &after.mail_domain),
        (
            "default_language",
            &before.default_language,
            &after.default_language,
        ),
        ("school_year", &before.school_year, &after.school_year),
    ];
    let mut out: Vec<String> = fields
        .iter()
        .filter(|(_, a, b)| a != b)
        .map(|(k, a, b)| format!("{k}: {a:?} -> {b:?}"))
        .collect();
    if before.host_names != after.host_names {
        out.push(format!(
            "host_names: {:?} -> {:?}",
            before.host_names.join(","),
            after.host_names.join(",")
        ));
    }
    out.join("; ")
}

pub async fn save(mut req: Req) -> Result<Response, WebError> {
    let allowed = req.allow(&Action::EditSettings)?;
    let form: SettingsForm = req.form().await?;
    let new = Settings {
        school_name: form.school_name.trim().to_owned(),
        host_names: parse_host_names(&form.host_names),
        mail_domain: form.mail_domain.trim().trim_end_matches('.').to_lowercase(),
        default_language: form.default_language.trim().to_owned(),
        school_year: form.school_year.trim().to_owned(),
    };
    if let Err(e) = new.check() {
        let value = match &e {
            crate::settings::SettingsError::HostName(h) => h.clone(),
            _ => String::new(),
        };
        return page(req, form, Some((e.key(), value)), StatusCode::BAD_REQUEST).await;
    }
    let before = req.app.settings();
    if *before == new {
        return Ok(redirect("/admin/settings?msg=saved"));
    }
    let detail = changes(&before, &new);
    let saved = new.clone();
    req.app
        .db
        .write(move |tx| {
            saved.save(tx)?;
            accounts::audit(tx, &allowed, "settings", &detail)?;
            Ok(())
        })
        .await?;
    let hosts_changed = before.host_names != new.host_names;
    req.app.set_settings(new);
    Ok(redirect(if hosts_changed {
        "/admin/settings?msg=admin.settings_restart"
    } else {
        "/admin/settings?msg=saved"
    }))
}
