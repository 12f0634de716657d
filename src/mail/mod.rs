//! Mail: a mailbox for every account, class lists, and a queue for the outside world.
//!
//! The rules live here and know no protocol: [`route`] decides where an address leads and
//! whether the sender may write there, [`store`] makes a message durable and files it,
//! [`queue`] relays mail for other domains through the smarthost when the link allows.
//! The doors are `smtp` (ports 25, 587, 465) and the webmail in `web`; both turn their login
//! into a [`Principal`](crate::auth::Principal) and go through the same functions.

pub mod address;
pub mod compose;
pub mod directory;
pub mod mailbox;
pub mod queue;
pub mod relay;
pub mod route;
pub mod settings;
pub mod spool;
pub mod store;

use crate::auth::Principal;
use crate::ids::MessageId;
pub use route::{Route, RouteError};
pub use settings::MailSettings;
pub use store::Envelope;

#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error(transparent)]
    Route(#[from] RouteError),
    #[error("{0:?} is not a valid address")]
    BadAddress(String),
    #[error("the message has no recipient")]
    NoRecipients,
    #[error("the message is larger than the {} MiB this school accepts", .0 / (1024 * 1024))]
    TooBig(u64),
    #[error("the message could not be written: {0}")]
    Build(String),
    #[error("mail storage failed: {0}")]
    Io(std::io::Error),
    #[error(transparent)]
    Db(#[from] crate::db::Error),
}

impl From<rusqlite::Error> for MailError {
    fn from(e: rusqlite::Error) -> Self {
        MailError::Db(e.into())
    }
}

/// The most recipients one message may have (RFC 5321 asks servers to take at least 100).
pub const MAX_RECIPIENTS: usize = 100;

/// The account's own address.
pub fn address_of(username: &str, domain: &str) -> String {
    format!("{username}@{domain}")
}

/// Sends a message written in the webmail: routes every recipient with the sender's rights,
/// builds the message, stores it for the local recipients and the sender's sent folder, and
/// queues it for the outside. `to` holds what the person typed, one address each.
pub async fn send(
    app: &crate::app::App,
    who: &Principal,
    to: &[String],
    mut draft: compose::Draft,
) -> Result<MessageId, MailError> {
    if to.is_empty() {
        return Err(MailError::NoRecipients);
    }
    if to.len() > MAX_RECIPIENTS {
        return Err(MailError::Build(format!(
            "at most {MAX_RECIPIENTS} recipients per message"
        )));
    }
    let settings = app.settings();
    let domain = settings.mail_domain.clone();
    let who2 = who.clone();
    let to2 = to.to_vec();
    let s2 = settings.clone();
    let (mail, env, names) = app
        .db
        .read(move |c| {
            let mail = MailSettings::load(c)?;
            let mut env = Envelope {
                from: address_of(&who2.username, &s2.mail_domain),
                sender: Some(who2.id),
                ..Envelope::default()
            };
            let mut names = Vec::new();
            for t in &to2 {
                let r = route::route(c, &s2, &mail, Some(&who2), t);
                match r {
                    Ok(Route::Local(users)) => env.add_local(&users),
                    Ok(Route::Outside(a)) => env.add_outside(a.to_string()),
                    Err(e) => return Ok(Err(e)),
                }
                names.push(display_name_for(c, &s2, t)?);
            }
            Ok(Ok((mail, env, names)))
        })
        .await??;
    draft.from_addr = address_of(&who.username, &domain);
    draft.from_name = who.display_name.clone();
    draft.to = names
        .into_iter()
        .zip(to)
        .map(|(n, a)| (n, a.trim().to_owned()))
        .collect();
    let raw = compose::build(&mut draft, &domain)?;
    if raw.len() as u64 > mail.max_size {
        return Err(MailError::TooBig(mail.max_size));
    }
    let id = store::accept(&app.db, &app.data_dir, env.clone(), raw).await?;
    if !env.outside.is_empty() {
        app.mail_queue.wake.notify_one();
    }
    Ok(id)
}

/// The name to show beside an address in the To: header: the account's or class's name for
/// a school address, nothing for an outside one.
fn display_name_for(
    c: &rusqlite::Connection,
    settings: &crate::settings::Settings,
    addr: &str,
) -> rusqlite::Result<String> {
    use rusqlite::OptionalExtension;
    let Some(a) = address::Address::parse(addr) else {
        return Ok(String::new());
    };
    if !a.is_in(&settings.mail_domain) {
        return Ok(String::new());
    }
    let local = a.local.to_ascii_lowercase();
    if let Some(slug) = local.strip_prefix(address::CLASS_LIST_PREFIX) {
        return Ok(
            match route::find_class_by_slug(c, &settings.school_year, slug)? {
                Some(id) => {
                    c.query_row("SELECT name FROM classes WHERE id = ?1", [id], |r| r.get(0))?
                }
                None => String::new(),
            },
        );
    }
    Ok(c.query_row(
        "SELECT display_name FROM users WHERE username = ?1",
        [local],
        |r| r.get(0),
    )
    .optional()?
    .unwrap_or_default())
}
