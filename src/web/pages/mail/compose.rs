//! Writing a message: the form (new, to a given address, or a reply that quotes the
//! original) and sending it, with attachments, through `mail::send`.
//!
//! Recipients without JavaScript: a `<input list>` suggests from a `<datalist>` but completes
//! only one value per box, so the form shows several `to` boxes, each with the school
//! directory's suggestions (`mail::directory`); a box may also hold several addresses
//! separated by commas, semicolons or line breaks, and the server reads them all. After an
//! error the form comes back with every box as it was typed, and two more empty ones.
//!
//! The form is multipart: `csrf` first (a file met before a valid token is refused), then the
//! text fields, then `files` last, so that the text is always in hand when a too-large
//! attachment stops the reading and the form must be shown again with the error. Attachments
//! are held in memory (the message is built in one piece), never more than the school's
//! largest message, `MailSettings::max_size`.

use super::{load_entry, read_raw};
use crate::ids::EntryId;
use crate::mail::compose::{Draft, NewAttachment};
use crate::mail::directory::{self, Suggestion};
use crate::mail::{MAX_RECIPIENTS, MailError, MailSettings, RouteError, address::Address};
use crate::web::Response;
use crate::web::error::WebError;
use crate::web::pages::files::human_size;
use crate::web::req::{MultipartStream, Part, Req, redirect};
use hyper::StatusCode;
use minijinja::context;
use serde::{Deserialize, Serialize};

/// The whole body's cap, a backstop only: the attachments' own count (against `max_size`)
/// stops the reading long before, with the form shown again.
const STREAM_LIMIT: u64 = 4 * 1024 * 1024 * 1024;
/// What a body may carry besides its attachments (text fields, multipart framing), for the
/// early check of a declared length.
const FRAMING_ALLOWANCE: u64 = 256 * 1024;
/// At most this much of a refused body is read and dropped before answering, so that a
/// browser still sending reads the answer rather than a reset connection.
const DRAIN_LIMIT: u64 = 4 * 1024 * 1024;
/// Recipient boxes kept from one form (each may hold several addresses).
const MAX_TO_FIELDS: usize = 50;
/// Parts one form may have, files included: with the large stream cap above, this is what
/// bounds a body made of endless small fields.
const MAX_PARTS: usize = 500;
/// Recipient boxes the form shows at least.
const TO_FIELDS: usize = 3;
pub const SUBJECT_MAX: usize = 250;
/// The quoted original in a reply is cut here, to keep the body under the form's limit.
const QUOTE_MAX: usize = 20_000;

/// The form as typed, shown again after a refusal.
#[derive(Serialize, Default, Debug, Clone, PartialEq)]
struct ComposeForm {
    /// Each `to` box as typed.
    to: Vec<String>,
    subject: String,
    body: String,
    in_reply_to: String,
    references: String,
}

/// Why the form came back.
struct Problem {
    key: &'static str,
    /// The recipient the refusal is about, when there is one.
    address: Option<String>,
}

impl Problem {
    fn new(key: &'static str) -> Problem {
        Problem { key, address: None }
    }
    fn about(key: &'static str, address: impl Into<String>) -> Problem {
        Problem {
            key,
            address: Some(address.into()),
        }
    }
}

#[derive(Serialize)]
struct DirectoryOption {
    address: String,
    label: String,
}

/// What the datalist shows beside each address: the name, then the role and classes.
fn option_label(req: &Req, s: &Suggestion) -> String {
    match s.role {
        None => req
            .app
            .i18n
            .format(req.lang, "mail.class_list", &[("class", &s.name)]),
        Some(role) => {
            let mut label = format!("{} · {}", s.name, req.t(&format!("role.{role}")));
            if !s.classes.is_empty() {
                label.push_str(" · ");
                label.push_str(&s.classes.join(&req.t("common.list_separator")));
            }
            label
        }
    }
}

async fn page(
    mut req: Req,
    mut form: ComposeForm,
    problem: Option<Problem>,
    had_attachments: bool,
    status: StatusCode,
) -> Result<Response, WebError> {
    let p = req.principal()?.clone();
    let settings = req.app.settings();
    let (suggestions, mail) = req
        .app
        .db
        .read(move |c| {
            Ok((
                directory::suggestions(c, &settings, &p)?,
                MailSettings::load(c)?,
            ))
        })
        .await?;
    let directory: Vec<DirectoryOption> = suggestions
        .iter()
        .map(|s| DirectoryOption {
            address: s.address.clone(),
            label: option_label(&req, s),
        })
        .collect();
    form.to.retain(|t| !t.trim().is_empty());
    let shown = (form.to.len() + 2).max(TO_FIELDS);
    form.to.resize(shown, String::new());
    let (key, address) = match &problem {
        Some(p) => (Some(p.key), p.address.clone()),
        None => (None, None),
    };
    req.render_status(
        status,
        "mail/compose.html",
        context! {
            form => form, error => key, error_address => address,
            had_attachments => had_attachments, directory => directory,
            max_size => human_size(&req.app.i18n, mail.max_size, req.lang), max_recipients => MAX_RECIPIENTS,
            subject_max => SUBJECT_MAX,
        },
    )
}

#[derive(Deserialize, Default)]
struct ComposeQuery {
    to: Option<String>,
    reply: Option<String>,
}

/// `Re: ` before a subject that does not already start with one (`Re:`, `RE :`, `re:`).
pub fn reply_subject(subject: &str) -> String {
    let s = subject.trim();
    let lower = s.to_lowercase();
    let already = lower
        .strip_prefix("re")
        .is_some_and(|rest| rest.trim_start().starts_with(':'));
    if already {
        s.to_owned()
    } else {
        format!("Re: {s}")
    }
}

/// The original text with `> ` before each line, cut at [`QUOTE_MAX`] characters.
pub fn quote(text: &str) -> String {
    let mut out = String::new();
    let cut = match text.char_indices().nth(QUOTE_MAX) {
        Some((i, _)) => &text[..i],
        None => text,
    };
    for line in cut.trim_end().lines() {
        if line.is_empty() {
            out.push_str(">\n");
        } else {
            out.push_str("> ");
            out.push_str(line);
            out.push('\n');
        }
    }
    if cut.len() < text.len() {
        out.push_str("> […]\n");
    }
    out
}

pub async fn form(req: Req) -> Result<Response, WebError> {
    req.principal()?;
    let q: ComposeQuery = req.query()?;
    let mut form = ComposeForm::default();
    if let Some(to) = q.to.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        form.to.push(to.chars().take(254).collect());
    }
    if let Some(reply) = q.reply {
        let id: EntryId = reply.parse().map_err(|_| WebError::NotFound)?;
        let entry = load_entry(&req, id).await?;
        let raw = read_raw(&req, &entry).await?;
        let v = tokio::task::spawn_blocking(move || crate::mail::mailbox::view(&raw))
            .await
            .map_err(|e| WebError::Internal(format!("mail task: {e}")))?;
        let to = if v.reply_to.is_empty() {
            v.from_addr.clone()
        } else {
            v.reply_to.clone()
        };
        if !to.is_empty() {
            form.to.insert(0, to);
        }
        form.subject = reply_subject(&v.subject);
        let date = crate::clock::format_local(v.date.unwrap_or(entry.at));
        let name = if v.from.is_empty() {
            &v.from_addr
        } else {
            &v.from
        };
        let header = req.app.i18n.format_plain(
            req.lang,
            "mail.quote_header",
            &[("date", &date), ("name", name)],
        );
        form.body = format!("\n\n{header}\n{}", quote(&v.text));
        form.in_reply_to = v.message_id.clone();
        let mut refs = v.references.clone();
        if !v.message_id.is_empty() {
            refs.push(v.message_id.clone());
        }
        let skip = refs.len().saturating_sub(10);
        form.references = refs[skip..].join(" ");
    }
    page(req, form, None, false, StatusCode::OK).await
}

/// The addresses typed in the `to` boxes: split on commas, semicolons (Latin or Arabic) and
/// line breaks,
/// `Name <address>` reduced to the address, duplicates dropped.
pub fn recipients(boxes: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    // Arabic keyboards type U+060C (،) and U+061B (؛) for the comma and the semicolon.
    for piece in boxes
        .iter()
        .flat_map(|b| b.split([',', ';', '\u{60C}', '\u{61B}', '\n', '\r']))
    {
        let mut a = piece.trim();
        if let (Some(open), true) = (a.rfind('<'), a.ends_with('>')) {
            a = a[open + 1..a.len() - 1].trim();
        }
        if !a.is_empty() && !out.iter().any(|o| o.eq_ignore_ascii_case(a)) {
            out.push(a.to_owned());
        }
    }
    out
}

/// Message ids from a hidden field, kept only if they look like one (no spaces, no control
/// characters, no angle brackets inside), so the field cannot add header lines.
fn message_ids(s: &str) -> Vec<String> {
    s.split_whitespace()
        .map(|id| id.trim_start_matches('<').trim_end_matches('>'))
        .filter(|id| {
            !id.is_empty()
                && id.len() <= 250
                && id.contains('@')
                && id
                    .bytes()
                    .all(|b| b.is_ascii_graphic() && b != b'<' && b != b'>')
        })
        .map(str::to_owned)
        .take(20)
        .collect()
}

/// A file name as a message may carry it: no control characters, no path.
fn clean_file_name(name: &str) -> String {
    let n: String = name
        .chars()
        .filter(|c| !c.is_control())
        .collect::<String>()
        .trim()
        .chars()
        .take(200)
        .collect();
    if n.is_empty() {
        "attachment".to_owned()
    } else {
        n
    }
}

/// What the form brought.
#[derive(Default)]
struct Received {
    form: ComposeForm,
    attachments: Vec<NewAttachment>,
    /// The attachments passed the school's largest message: reading stopped there.
    too_big: bool,
}

async fn receive(
    stream: &mut MultipartStream,
    max: u64,
    declared: Option<u64>,
) -> Result<Received, WebError> {
    let mut r = Received {
        too_big: declared.is_some_and(|d| d > max.saturating_add(FRAMING_ALLOWANCE)),
        ..Received::default()
    };
    let mut total = 0u64;
    let mut parts = 0;
    while let Some(part) = stream.next().await? {
        parts += 1;
        if parts > MAX_PARTS {
            return Err(WebError::BadRequest("error.bad_form"));
        }
        match part {
            Part::Text(name, value) => match name.as_str() {
                "to" if r.form.to.len() < MAX_TO_FIELDS => r.form.to.push(value),
                "subject" => r.form.subject = value,
                "body" => r.form.body = value,
                "in_reply_to" => r.form.in_reply_to = value,
                "references" => r.form.references = value,
                _ => {}
            },
            Part::File(mut file) => {
                if file.field != "files" {
                    return Err(WebError::BadRequest("error.bad_form"));
                }
                if r.too_big {
                    return Ok(r);
                }
                let mut bytes = Vec::new();
                while let Some(c) = file.chunk().await? {
                    total += c.len() as u64;
                    if total > max {
                        r.too_big = true;
                        return Ok(r);
                    }
                    bytes.extend_from_slice(&c);
                }
                // A file input left empty still sends one nameless, empty part.
                if file.file_name.is_empty() && bytes.is_empty() {
                    continue;
                }
                let name = clean_file_name(&file.file_name);
                let content_type = mime_guess::from_path(&name)
                    .first_or_octet_stream()
                    .essence_str()
                    .to_owned();
                r.attachments.push(NewAttachment {
                    name,
                    content_type,
                    bytes,
                });
            }
        }
    }
    Ok(r)
}

pub async fn send(mut req: Req) -> Result<Response, WebError> {
    let who = req.principal()?.clone();
    let max = req
        .app
        .db
        .read(|c| Ok(MailSettings::load(c)?))
        .await?
        .max_size;
    let declared = req
        .header(hyper::header::CONTENT_LENGTH)
        .and_then(|l| l.parse::<u64>().ok());
    // A form that may carry attachments waits for its turn to be held in memory.
    let _building = match declared {
        Some(n) if n <= FRAMING_ALLOWANCE => None,
        _ => req.app.mail_builds.clone().acquire_owned().await.ok(),
    };
    let mut stream = req.multipart_stream(STREAM_LIMIT)?;
    let received = receive(&mut stream, max, declared).await;
    if !matches!(&received, Ok(r) if !r.too_big) {
        stream.drain(DRAIN_LIMIT).await;
    }
    let Received {
        form,
        attachments,
        too_big,
    } = received?;
    // The token is checked as the parts pass; a form without one is refused here.
    if !stream.csrf_checked() {
        return Err(WebError::Csrf);
    }
    let had_attachments = !attachments.is_empty() || too_big;
    let refuse =
        |req, form, problem, status| page(req, form, Some(problem), had_attachments, status);
    if too_big {
        return refuse(
            req,
            form,
            Problem::new("mail.error_too_big"),
            StatusCode::PAYLOAD_TOO_LARGE,
        )
        .await;
    }
    if form.subject.chars().count() > SUBJECT_MAX {
        let p = Problem::new("mail.error_subject_long");
        return refuse(req, form, p, StatusCode::BAD_REQUEST).await;
    }
    let to = recipients(&form.to);
    if to.len() > MAX_RECIPIENTS {
        let p = Problem::new("mail.error_too_many");
        return refuse(req, form, p, StatusCode::BAD_REQUEST).await;
    }
    let subject: String = form
        .subject
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let in_reply_to = message_ids(&form.in_reply_to).into_iter().next();
    let draft = Draft {
        from_name: String::new(),
        from_addr: String::new(),
        to: Vec::new(),
        subject,
        body: form.body.clone(),
        attachments,
        in_reply_to,
        references: message_ids(&form.references),
    };
    let domain = req.app.settings().mail_domain.clone();
    match crate::mail::send(&req.app, &who, &to, draft).await {
        Ok(id) => {
            log::info!(
                "{} sent message {id} to {} recipient(s) from the webmail",
                who.username,
                to.len()
            );
            Ok(redirect("/mail/sent?msg=mail.sent"))
        }
        Err(e) => {
            let problem = match e {
                MailError::Route(e) => route_problem(e, &to, &domain),
                MailError::BadAddress(a) => Problem::about("mail.error_bad_address", a),
                MailError::NoRecipients => Problem::new("mail.error_no_recipients"),
                MailError::TooBig(_) => Problem::new("mail.error_too_big"),
                MailError::Build(e) => return Err(WebError::Internal(format!("mail build: {e}"))),
                MailError::Io(e) => return Err(WebError::Internal(format!("mail store: {e}"))),
                MailError::Db(e) => return Err(e.into()),
            };
            let status = if problem.key == "mail.error_too_big" {
                StatusCode::PAYLOAD_TOO_LARGE
            } else {
                StatusCode::BAD_REQUEST
            };
            refuse(req, form, problem, status).await
        }
    }
}

/// A routing refusal with the address it is about. The two that carry none are about mail
/// for the outside: the first outside address typed is the one.
fn route_problem(e: RouteError, to: &[String], domain: &str) -> Problem {
    let key = e.key();
    match e {
        RouteError::BadAddress(a)
        | RouteError::Unknown(a)
        | RouteError::ListNotAllowed(a)
        | RouteError::RelayDenied(a) => Problem::about(key, a),
        RouteError::OutsideNotAllowed | RouteError::NoRelay => {
            match to
                .iter()
                .find(|a| Address::parse(a).is_some_and(|a| !a.is_in(domain)))
            {
                Some(a) => Problem::about(key, a.clone()),
                None => Problem::new(key),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replies_get_one_re() {
        assert_eq!(reply_subject("Sortie"), "Re: Sortie");
        assert_eq!(reply_subject("Re: Sortie"), "Re: Sortie");
        assert_eq!(reply_subject("RE : Sortie"), "RE : Sortie");
        assert_eq!(reply_subject("re:Sortie"), "re:Sortie");
        assert_eq!(reply_subject("Reunion"), "Re: Reunion");
        assert_eq!(reply_subject(""), "Re: ");
    }

    #[test]
    fn quotes_every_line() {
        assert_eq!(quote("a\n\nb\n"), "> a\n>\n> b\n");
        let long = "x".repeat(QUOTE_MAX + 5);
        assert!(quote(&long).ends_with("> […]\n"));
    }

    #[test]
    fn recipients_are_split_and_deduplicated() {
        let boxes = vec![
            "a@ecole.fr, b@ecole.fr;c@ecole.fr".to_owned(),
            "".to_owned(),
            "Jeanne Martin <j.martin@ecole.fr>\nA@ecole.fr".to_owned(),
        ];
        assert_eq!(
            recipients(&boxes),
            [
                "a@ecole.fr",
                "b@ecole.fr",
                "c@ecole.fr",
                "j.martin@ecole.fr"
            ]
        );
        assert!(recipients(&[" , ;".to_owned()]).is_empty());
    }

    #[test]
    fn message_ids_cannot_carry_headers() {
        assert_eq!(message_ids("<a@b> c@d\r\nBcc: x@y"), ["a@b", "c@d", "x@y"]);
        assert!(message_ids("no-at-sign <a\u{7f}@b>").is_empty());
    }

    #[test]
    fn file_names_are_cleaned() {
        assert_eq!(clean_file_name(" a\r\nb.txt "), "ab.txt");
        assert_eq!(clean_file_name("\u{0}"), "attachment");
    }
}
