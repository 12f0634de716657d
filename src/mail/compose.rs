//! Writing messages: what the webmail sends (built with lettre's message builder, so headers
//! are encoded and folded correctly) and the delivery reports the queue sends back when mail
//! cannot leave (RFC 3464).

use super::MailError;
use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};

/// A file attached to a message being written.
pub struct NewAttachment {
    pub name: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

/// A message as a person wrote it in the webmail.
pub struct Draft {
    pub from_name: String,
    pub from_addr: String,
    /// Display name (may be empty) and address of each recipient.
    pub to: Vec<(String, String)>,
    pub subject: String,
    pub body: String,
    pub attachments: Vec<NewAttachment>,
    pub in_reply_to: Option<String>,
    pub references: Vec<String>,
}

fn mailbox(name: &str, addr: &str) -> Result<Mailbox, MailError> {
    let address = addr
        .parse()
        .map_err(|_| MailError::BadAddress(addr.to_owned()))?;
    let name = name.trim();
    Ok(Mailbox::new(
        (!name.is_empty()).then(|| name.to_owned()),
        address,
    ))
}

fn angle(id: &str) -> String {
    let id = id.trim().trim_start_matches('<').trim_end_matches('>');
    format!("<{id}>")
}

/// A fresh Message-ID for this school's domain.
pub fn message_id(domain: &str) -> String {
    format!("<{}@{domain}>", crate::random_token(12))
}

/// Builds the RFC 5322 bytes of a draft. Its attachments, the largest part by far, are moved
/// into the message rather than copied: the draft is left without them.
pub fn build(draft: &mut Draft, domain: &str) -> Result<Vec<u8>, MailError> {
    let mut b = lettre::Message::builder()
        .from(mailbox(&draft.from_name, &draft.from_addr)?)
        .subject(draft.subject.trim())
        .date_now()
        .message_id(Some(message_id(domain)))
        .user_agent(format!("Cartable {}", crate::VERSION));
    for (name, addr) in &draft.to {
        b = b.to(mailbox(name, addr)?);
    }
    if let Some(r) = &draft.in_reply_to {
        b = b.in_reply_to(angle(r));
    }
    if !draft.references.is_empty() {
        b = b.references(
            draft
                .references
                .iter()
                .map(|r| angle(r))
                .collect::<Vec<_>>()
                .join(" "),
        );
    }
    let text = SinglePart::plain(draft.body.replace("\r\n", "\n"));
    let msg = if draft.attachments.is_empty() {
        b.singlepart(text)
    } else {
        let mut parts = MultiPart::mixed().singlepart(text);
        for a in std::mem::take(&mut draft.attachments) {
            let ct = ContentType::parse(&a.content_type)
                .unwrap_or_else(|_| ContentType::parse("application/octet-stream").expect("valid"));
            parts = parts.singlepart(Attachment::new(a.name).body(a.bytes, ct));
        }
        b.multipart(parts)
    }
    .map_err(|e| MailError::Build(e.to_string()))?;
    Ok(msg.formatted())
}

/// An RFC 2047 encoded-word for a header, split so no word exceeds the limit.
fn encode_words(s: &str) -> String {
    use base64::Engine;
    if s.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        return s.to_owned();
    }
    let mut words = Vec::new();
    let mut chunk = String::new();
    for c in s.chars() {
        if chunk.len() + c.len_utf8() > 45 {
            words.push(std::mem::take(&mut chunk));
        }
        chunk.push(c);
    }
    if !chunk.is_empty() {
        words.push(chunk);
    }
    words
        .iter()
        .map(|w| {
            format!(
                "=?utf-8?b?{}?=",
                base64::engine::general_purpose::STANDARD.encode(w)
            )
        })
        .collect::<Vec<_>>()
        .join("\r\n ")
}

/// The header part of a message (everything before the first empty line).
fn headers_of(raw: &[u8]) -> &[u8] {
    raw.windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|p| &raw[..p + 2])
        .unwrap_or(raw)
}

/// The words a report uses, in the sender's language.
pub struct ReportText {
    /// The report's whole subject (the original's inside the sentence the language needs).
    pub subject: String,
    pub explanation: String,
}

/// The RFC 3463 status a report gives: the relay's own enhanced code when its reply has one
/// (`550 5.1.1 ...`), else 5.0.0 for a refusal and 4.4.7 (delivery time expired) for mail
/// given up after its retries.
pub fn enhanced_status(reason: &str, permanent: bool) -> String {
    let found = reason.split_ascii_whitespace().find(|w| {
        let parts: Vec<&str> = w.split('.').collect();
        parts.len() == 3
            && matches!(parts[0], "4" | "5")
            && parts[1..]
                .iter()
                .all(|p| (1..=3).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()))
    });
    match found {
        Some(code) if !permanent || code.starts_with('5') => code.to_owned(),
        _ if permanent => "5.0.0".into(),
        _ => "4.4.7".into(),
    }
}

/// A delivery status notification (RFC 3464) telling `to` that their message to
/// `recipient` was not delivered, with the reason and the original's headers.
#[allow(clippy::too_many_arguments)]
pub fn bounce(
    domain: &str,
    host: &str,
    to: &str,
    recipient: &str,
    original: &[u8],
    reason: &str,
    status: &str,
    queued_at: i64,
    text: &ReportText,
) -> Vec<u8> {
    use time::format_description::well_known::Rfc2822;
    let date = |t: i64| {
        time::OffsetDateTime::from_unix_timestamp(t)
            .unwrap_or(time::OffsetDateTime::UNIX_EPOCH)
            .format(&Rfc2822)
            .unwrap_or_default()
    };
    let now = crate::now();
    let boundary = format!("=_report_{}", crate::random_token(8));
    let reason: String = reason
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let subject = encode_words(&text.subject);
    let mut out = String::new();
    out += &format!("From: Mail Delivery System <MAILER-DAEMON@{domain}>\r\n");
    out += &format!("To: <{to}>\r\n");
    out += &format!("Subject: {subject}\r\n");
    out += &format!("Date: {}\r\n", date(now));
    out += &format!("Message-ID: {}\r\n", message_id(domain));
    out += "Auto-Submitted: auto-replied\r\nMIME-Version: 1.0\r\n";
    out += &format!(
        "Content-Type: multipart/report; report-type=delivery-status;\r\n boundary=\"{boundary}\"\r\n\r\n"
    );
    out += &format!(
        "--{boundary}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
    );
    out += &text.explanation.replace('\n', "\r\n");
    out += &format!("\r\n\r\n    {recipient}: {reason}\r\n\r\n");
    out += &format!("--{boundary}\r\nContent-Type: message/delivery-status\r\n\r\n");
    out += &format!(
        "Reporting-MTA: dns; {host}\r\nArrival-Date: {}\r\n\r\n",
        date(queued_at)
    );
    out += &format!(
        "Final-Recipient: rfc822; {recipient}\r\nAction: failed\r\nStatus: {status}\r\n\
         Diagnostic-Code: smtp; {reason}\r\nLast-Attempt-Date: {}\r\n\r\n",
        date(now)
    );
    out += &format!("--{boundary}\r\nContent-Type: text/rfc822-headers\r\n\r\n");
    let mut bytes = out.into_bytes();
    bytes.extend_from_slice(headers_of(original));
    bytes.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft() -> Draft {
        Draft {
            from_name: "Françoise Diallo".into(),
            from_addr: "f.diallo@ecole.fr".into(),
            to: vec![("6e A".into(), "classe+6e-a@ecole.fr".into())],
            subject: "Sortie au musée".into(),
            body: "Bonjour à tous,\nrendez-vous à 8 h.".into(),
            attachments: vec![NewAttachment {
                name: "autorisation.pdf".into(),
                content_type: "application/pdf".into(),
                bytes: b"%PDF-1.4 fake".to_vec(),
            }],
            in_reply_to: Some("abc@ecole.fr".into()),
            references: vec!["abc@ecole.fr".into()],
        }
    }

    #[test]
    fn a_draft_reads_back_the_same() {
        let raw = build(&mut draft(), "ecole.fr").unwrap();
        let v = super::super::mailbox::view(&raw);
        assert_eq!(v.subject, "Sortie au musée");
        assert_eq!(v.from, "Françoise Diallo");
        assert_eq!(v.to, vec!["6e A <classe+6e-a@ecole.fr>"]);
        assert!(v.text.contains("rendez-vous à 8 h."));
        assert_eq!(v.attachments.len(), 1);
        assert_eq!(v.attachments[0].name, "autorisation.pdf");
        let (_, _, bytes) = super::super::mailbox::attachment(&raw, 0).unwrap();
        assert_eq!(bytes, b"%PDF-1.4 fake");
        let s = String::from_utf8_lossy(&raw);
        assert!(s.contains("In-Reply-To: <abc@ecole.fr>"), "{s}");
        assert!(s.contains("@ecole.fr>"));
    }

    #[test]
    fn bad_addresses_are_refused() {
        let mut d = draft();
        d.to = vec![(String::new(), "not an address".into())];
        assert!(matches!(
            build(&mut d, "ecole.fr"),
            Err(MailError::BadAddress(_))
        ));
    }

    #[test]
    fn report_status_codes() {
        assert_eq!(
            enhanced_status("550 5.1.1 <x@y>: Recipient address rejected", true),
            "5.1.1"
        );
        assert_eq!(enhanced_status("554 relay refused", true), "5.0.0");
        assert_eq!(enhanced_status("451 4.3.0 busy", true), "5.0.0");
        assert_eq!(enhanced_status("connection refused", false), "4.4.7");
        assert_eq!(enhanced_status("451 4.3.0 busy (gave up)", false), "4.3.0");
    }

    #[test]
    fn a_bounce_is_a_delivery_report() {
        let original = build(&mut draft(), "ecole.fr").unwrap();
        let text = ReportText {
            subject: "Non distribué : Sortie au musée".into(),
            explanation: "Votre message n'a pas pu être remis.".into(),
        };
        let raw = bounce(
            "ecole.fr",
            "ent.ecole.fr",
            "f.diallo@ecole.fr",
            "x@dehors.test",
            &original,
            "550 5.1.1 no such user",
            &enhanced_status("550 5.1.1 no such user", true),
            crate::now(),
            &text,
        );
        let s = String::from_utf8_lossy(&raw);
        assert!(s.contains("report-type=delivery-status"));
        assert!(s.contains("Final-Recipient: rfc822; x@dehors.test"));
        assert!(s.contains("Status: 5.1.1"));
        assert!(s.contains("Diagnostic-Code: smtp; 550 5.1.1 no such user"));
        let v = super::super::mailbox::view(&raw);
        assert_eq!(v.subject, "Non distribué : Sortie au musée");
        assert_eq!(v.from_addr, "MAILER-DAEMON@ecole.fr");
        assert!(v.text.contains("550 5.1.1 no such user"), "{}", v.text);
    }
}
