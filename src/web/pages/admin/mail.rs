//! The mail page of the administration: the school's mail rules and relay (administrators),
//! and the outbound queue (administrators and the office), where mail that cannot leave is
//! seen, retried and deleted.
//!
//! The queue is what the office looks at when a parent says "I never got it": each waiting
//! message shows who sent it to whom, since when, how many tries, and the relay's last answer.

use crate::accounts;
use crate::auth::Action;
use crate::ids::QueueId;
use crate::mail::MailSettings;
use crate::mail::queue;
use crate::mail::settings::{ClassListWriters, RelayTls};
use crate::web::Response;
use crate::web::error::WebError;
use crate::web::req::{Req, redirect};
use hyper::StatusCode;
use minijinja::context;
use serde::{Deserialize, Serialize};

#[derive(Deserialize, Serialize, Default)]
struct MailForm {
    #[serde(default)]
    max_size_mib: String,
    #[serde(default)]
    pupils_outside: Option<String>,
    #[serde(default)]
    class_lists: String,
    #[serde(default)]
    relay_host: String,
    #[serde(default)]
    relay_port: String,
    #[serde(default)]
    relay_tls: String,
    #[serde(default)]
    relay_user: String,
    /// Left empty, the saved password is kept.
    #[serde(default, skip_serializing)]
    relay_password: String,
    #[serde(default)]
    clear_password: Option<String>,
    #[serde(default)]
    retry_first_min: String,
    #[serde(default)]
    retry_max_min: String,
    #[serde(default)]
    give_up_days: String,
}

impl MailForm {
    fn from(m: &MailSettings) -> MailForm {
        MailForm {
            max_size_mib: (m.max_size / (1024 * 1024)).to_string(),
            pupils_outside: m.pupils_outside.then(|| "1".into()),
            class_lists: match m.class_lists {
                ClassListWriters::Teachers => "teachers".into(),
                ClassListWriters::Members => "members".into(),
            },
            relay_host: m.relay_host.clone().unwrap_or_default(),
            relay_port: m.relay_port.to_string(),
            relay_tls: m.relay_tls.as_str().into(),
            relay_user: m.relay_user.clone(),
            relay_password: String::new(),
            clear_password: None,
            retry_first_min: (m.retry_first.div_ceil(60)).to_string(),
            retry_max_min: (m.retry_max.div_ceil(60)).to_string(),
            give_up_days: (m.give_up.div_ceil(86400)).to_string(),
        }
    }

    /// The settings this form asks for, on top of the saved ones; `None` when a number or a
    /// choice does not parse.
    fn apply(&self, saved: &MailSettings) -> Option<MailSettings> {
        let num = |s: &str| s.trim().parse::<u64>().ok();
        let mut m = saved.clone();
        m.max_size = num(&self.max_size_mib)?.checked_mul(1024 * 1024)?;
        m.pupils_outside = self.pupils_outside.is_some();
        m.class_lists = match self.class_lists.as_str() {
            "teachers" => ClassListWriters::Teachers,
            "members" => ClassListWriters::Members,
            _ => return None,
        };
        let host = self.relay_host.trim().trim_end_matches('.').to_lowercase();
        m.relay_host = (!host.is_empty()).then_some(host);
        m.relay_port = self.relay_port.trim().parse().ok()?;
        m.relay_tls = RelayTls::parse(&self.relay_tls)?;
        m.relay_user = self.relay_user.trim().to_owned();
        if self.clear_password.is_some() {
            m.relay_password.clear();
        } else if !self.relay_password.is_empty() {
            m.relay_password = self.relay_password.clone();
        }
        m.retry_first = num(&self.retry_first_min)?.checked_mul(60)?;
        m.retry_max = num(&self.retry_max_min)?.checked_mul(60)?;
        m.give_up = num(&self.give_up_days)?.checked_mul(86400)?;
        Some(m)
    }
}

async fn page(
    mut req: Req,
    form: Option<MailForm>,
    error: Option<&'static str>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let p = req.principal()?.clone();
    let settings_allowed = crate::auth::authorize(&p, &Action::EditSettings).is_ok();
    let (saved, items) = req
        .app
        .db
        .read(|c| Ok((MailSettings::load(c)?, queue::list(c)?)))
        .await?;
    let form = form.unwrap_or_else(|| MailForm::from(&saved));
    req.render_status(
        status,
        "admin/mail.html",
        context! {
            form => form,
            error => error,
            settings_allowed => settings_allowed,
            password_set => !saved.relay_password.is_empty(),
            domain => req.app.settings().mail_domain.clone(),
            items => items,
        },
    )
}

pub async fn view(req: Req) -> Result<Response, WebError> {
    req.allow(&Action::ManageMailQueue)?;
    page(req, None, None, StatusCode::OK).await
}

pub async fn save(mut req: Req) -> Result<Response, WebError> {
    let allowed = req.allow(&Action::EditSettings)?;
    let form: MailForm = req.form().await?;
    let saved = req.app.db.read(|c| Ok(MailSettings::load(c)?)).await?;
    let Some(new) = form.apply(&saved) else {
        return page(
            req,
            Some(form),
            Some("mail_admin.error_number"),
            StatusCode::BAD_REQUEST,
        )
        .await;
    };
    if let Err(e) = new.check() {
        return page(req, Some(form), Some(e.key()), StatusCode::BAD_REQUEST).await;
    }
    let detail = format!(
        "relay {}:{} ({}), max {} MiB, pupils outside {}, class lists {:?}",
        new.relay_host.as_deref().unwrap_or("none"),
        new.relay_port,
        new.relay_tls.as_str(),
        new.max_size / (1024 * 1024),
        new.pupils_outside,
        new.class_lists
    );
    req.app
        .db
        .write(move |tx| {
            new.save(tx)?;
            accounts::audit(tx, &allowed, "mail_settings", &detail)?;
            Ok(())
        })
        .await?;
    // A new relay may be what the waiting mail needed.
    req.app.mail_queue.wake.notify_one();
    Ok(redirect("/admin/mail?msg=saved"))
}

#[derive(Deserialize)]
struct QueueForm {
    /// A queued message's id, or empty for "every message".
    #[serde(default)]
    id: String,
}

/// Makes one queued message (or all) due now and wakes the queue.
pub async fn retry(mut req: Req) -> Result<Response, WebError> {
    req.allow(&Action::ManageMailQueue)?;
    let form: QueueForm = req.form().await?;
    let id = match form.id.trim() {
        "" => None,
        s => Some(s.parse::<QueueId>().map_err(|_| WebError::NotFound)?),
    };
    let n = req
        .app
        .db
        .write(move |tx| Ok(queue::retry_now(tx, id)?))
        .await?;
    if id.is_some() && n == 0 {
        return Err(WebError::NotFound);
    }
    req.app.mail_queue.wake.notify_one();
    Ok(redirect("/admin/mail?msg=mail_admin.retrying"))
}

/// Drops a queued message for good: the sender is not told (the office does that).
pub async fn delete(mut req: Req) -> Result<Response, WebError> {
    let allowed = req.allow(&Action::ManageMailQueue)?;
    let form: QueueForm = req.form().await?;
    let id: QueueId = form.id.trim().parse().map_err(|_| WebError::NotFound)?;
    let data_dir = req.app.data_dir.clone();
    let files = req
        .app
        .db
        .write(move |tx| {
            let what: Option<(String, String)> =
                rusqlite::OptionalExtension::optional(tx.query_row(
                    "SELECT sender, recipient FROM mail_queue WHERE id = ?1",
                    [id],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                ))?;
            let files = queue::delete(tx, id)?;
            if let (Some((from, to)), Some(_)) = (&what, &files) {
                accounts::audit(
                    tx,
                    &allowed,
                    "mail_queue_delete",
                    &format!("{id}: {from} -> {to}"),
                )?;
            }
            Ok(files)
        })
        .await?;
    match files {
        Some(files) => {
            crate::mail::store::remove_files(&data_dir, &files);
            Ok(redirect("/admin/mail?msg=mail_admin.deleted"))
        }
        None => Err(WebError::NotFound),
    }
}
