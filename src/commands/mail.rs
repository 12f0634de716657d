//! `cartable mail ...`: the mail settings and the outbound queue, for provisioning scripts
//! and maintainers over SSH.

use super::{Result, read_password_stdin};
use crate::cli::{MailCommand, MailConfig};
use crate::mail::MailSettings;
use crate::mail::queue::{self, Outcome, Queue};
use crate::mail::settings::{ClassListWriters, RelayTls};
use crate::server;
use crate::settings::Settings;
use std::path::Path;

pub fn mail(data: &Path, cmd: MailCommand) -> Result<()> {
    let db = server::open_db(data).map_err(|e| e.to_string())?;
    match cmd {
        MailCommand::Config(c) => config(&db, *c),
        MailCommand::Queue => {
            let items = db
                .read_blocking(|c| Ok(queue::list(c)?))
                .map_err(|e| e.to_string())?;
            if items.is_empty() {
                println!("queue empty");
            }
            for i in items {
                println!(
                    "{}\t{}\t{} attempts\tnext {}\t{} -> {}\t{}",
                    i.id,
                    crate::clock::format_local(i.queued_at),
                    i.attempts,
                    crate::clock::format_local(i.next_attempt),
                    if i.sender.is_empty() { "<>" } else { &i.sender },
                    i.recipient,
                    i.last_error
                );
            }
            Ok(())
        }
        MailCommand::Flush => {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| e.to_string())?;
            let q = Queue::new(db, data, std::sync::Arc::new(crate::i18n::I18n::new()));
            let (done, _) = rt.block_on(q.pass(true)).map_err(|e| e.to_string())?;
            if done.is_empty() {
                println!("nothing to send");
            }
            for (item, outcome) in done {
                match outcome {
                    Outcome::Delivered => println!("{} {}: delivered", item.id, item.recipient),
                    Outcome::Deferred(e) => {
                        println!("{} {}: deferred: {e}", item.id, item.recipient)
                    }
                    Outcome::Bounced(e) => println!("{} {}: bounced: {e}", item.id, item.recipient),
                }
            }
            Ok(())
        }
    }
}

fn config(db: &crate::db::Db, c: MailConfig) -> Result<()> {
    let (mut settings, mut mail) = db
        .read_blocking(|conn| Ok((Settings::load(conn)?, MailSettings::load(conn)?)))
        .map_err(|e| e.to_string())?;
    if let Some(d) = c.domain {
        settings.mail_domain = d.trim().to_ascii_lowercase();
    }
    if let Some(h) = c.relay_host {
        mail.relay_host = Some(h.trim().to_owned()).filter(|h| !h.is_empty());
    }
    if c.no_relay {
        mail.relay_host = None;
    }
    if let Some(p) = c.relay_port {
        mail.relay_port = p;
    }
    if let Some(t) = c.relay_tls {
        mail.relay_tls = RelayTls::parse(&t)
            .ok_or_else(|| format!("--relay-tls must be none, starttls or tls, not {t:?}"))?;
    }
    if let Some(u) = c.relay_user {
        mail.relay_user = u;
    }
    if c.relay_password_stdin {
        mail.relay_password = read_password_stdin()?;
    }
    if let Some(v) = c.retry_first {
        mail.retry_first = v;
    }
    if let Some(v) = c.retry_max {
        mail.retry_max = v;
    }
    if let Some(v) = c.give_up {
        mail.give_up = v;
    }
    if let Some(v) = c.max_size {
        mail.max_size = v;
    }
    if let Some(v) = c.pupils_outside {
        mail.pupils_outside = match v.as_str() {
            "yes" => true,
            "no" => false,
            _ => return Err(format!("--pupils-outside must be yes or no, not {v:?}")),
        };
    }
    if let Some(v) = c.class_lists {
        mail.class_lists = match v.as_str() {
            "teachers" => ClassListWriters::Teachers,
            "members" => ClassListWriters::Members,
            _ => {
                return Err(format!(
                    "--class-lists must be teachers or members, not {v:?}"
                ));
            }
        };
    }
    settings.check().map_err(|e| format!("refused: {e}"))?;
    mail.check().map_err(|e| format!("refused: {e}"))?;
    let (s2, m2) = (settings.clone(), mail.clone());
    db.write_blocking(move |tx| {
        s2.save(tx)?;
        m2.save(tx)?;
        Ok(())
    })
    .map_err(|e| e.to_string())?;
    println!("domain = {}", settings.mail_domain);
    println!("max_size = {}", mail.max_size);
    println!(
        "pupils_outside = {}",
        if mail.pupils_outside { "yes" } else { "no" }
    );
    println!(
        "class_lists = {}",
        match mail.class_lists {
            ClassListWriters::Teachers => "teachers",
            ClassListWriters::Members => "members",
        }
    );
    println!(
        "relay_host = {}",
        mail.relay_host.as_deref().unwrap_or("(none)")
    );
    println!("relay_port = {}", mail.relay_port);
    println!("relay_tls = {}", mail.relay_tls.as_str());
    println!("relay_user = {}", mail.relay_user);
    println!(
        "relay_password = {}",
        if mail.relay_password.is_empty() {
            "(none)"
        } else {
            "(set)"
        }
    );
    println!("retry_first = {}", mail.retry_first);
    println!("retry_max = {}", mail.retry_max);
    println!("give_up = {}", mail.give_up);
    Ok(())
}
