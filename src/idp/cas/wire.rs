//! CAS on the wire, and nothing else: the validation answers of CAS 1.0 (`yes`/`no` lines),
//! 2.0 and 3.0 (`cas:serviceResponse` XML, or JSON with `format=JSON`), and the SAML
//! `LogoutRequest` that single logout POSTs to a service. Built with an XML writer, never by
//! pasting strings: a display name with `<` or `&` in it stays text.
//!
//! The `LogoutRequest` has no indentation and keeps the `samlp:` prefix on `SessionIndex`:
//! phpCAS (what Moodle's CAS login is built on) finds the ticket with a regular expression
//! on `<samlp:SessionIndex>…</samlp:SessionIndex>`.

use xml::writer::{EmitterConfig, EventWriter, XmlEvent};

const CAS_NS: &str = "http://www.yale.edu/tp/cas";

/// Why a validation failed, with the code the specification names for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// A required parameter is missing or the request is malformed.
    InvalidRequest,
    /// Not a service ticket (a proxy ticket, say): `serviceValidate` takes only `ST-`.
    InvalidTicketSpec,
    /// Unknown, used, expired, or its portal session or account has ended.
    InvalidTicket,
    /// `renew` was asked and the ticket came from an existing session (the specification's
    /// `INVALID_TICKET`, with its own reason).
    NotFromLogin,
    /// The ticket was issued for another service.
    InvalidService,
    InternalError,
}

impl Failure {
    pub fn code(self) -> &'static str {
        match self {
            Failure::InvalidRequest => "INVALID_REQUEST",
            Failure::InvalidTicketSpec => "INVALID_TICKET_SPEC",
            Failure::InvalidTicket | Failure::NotFromLogin => "INVALID_TICKET",
            Failure::InvalidService => "INVALID_SERVICE",
            Failure::InternalError => "INTERNAL_ERROR",
        }
    }

    /// The text beside the code (for the service's logs; people never see it).
    pub fn description(self) -> &'static str {
        match self {
            Failure::InvalidRequest => "the 'service' and 'ticket' parameters are both required",
            Failure::InvalidTicketSpec => "only service tickets (ST-) are validated here",
            Failure::NotFromLogin => "renew was asked and the ticket came from single sign-on",
            Failure::InvalidTicket => "the ticket is not recognized, was used, or has expired",
            Failure::InvalidService => "the ticket was not issued for this service",
            Failure::InternalError => "the server could not validate the ticket",
        }
    }
}

/// A successful validation, whatever the format.
#[derive(Debug, Clone)]
pub struct Success<'a> {
    pub user: &'a str,
    /// When the portal session began (RFC 3339).
    pub authentication_date: &'a str,
    /// The ticket came right after the person typed their password.
    pub from_new_login: bool,
    pub attributes: &'a [(&'static str, Vec<String>)],
}

fn writer() -> EventWriter<Vec<u8>> {
    EmitterConfig::new()
        .write_document_declaration(false)
        .perform_indent(false)
        .normalize_empty_elements(false)
        .create_writer(Vec::new())
}

type W = EventWriter<Vec<u8>>;

fn text_element(w: &mut W, name: &str, text: &str) -> xml::writer::Result<()> {
    w.write(XmlEvent::start_element(name))?;
    w.write(XmlEvent::characters(text))?;
    w.write(XmlEvent::end_element())
}

fn finish(w: W) -> String {
    String::from_utf8(w.into_inner()).unwrap_or_default()
}

/// The CAS 2.0/3.0 XML answer for a success. Version 3.0's `cas:attributes` are included for
/// `/serviceValidate` too, as CAS 3.0 servers do; an attribute with several values repeats.
pub fn success_xml(s: &Success<'_>) -> String {
    let mut w = writer();
    let r: xml::writer::Result<()> = (|| {
        w.write(XmlEvent::start_element("cas:serviceResponse").ns("cas", CAS_NS))?;
        w.write(XmlEvent::start_element("cas:authenticationSuccess"))?;
        text_element(&mut w, "cas:user", s.user)?;
        w.write(XmlEvent::start_element("cas:attributes"))?;
        text_element(&mut w, "cas:authenticationDate", s.authentication_date)?;
        text_element(
            &mut w,
            "cas:longTermAuthenticationRequestTokenUsed",
            "false",
        )?;
        let fresh = if s.from_new_login { "true" } else { "false" };
        text_element(&mut w, "cas:isFromNewLogin", fresh)?;
        for (name, values) in s.attributes {
            for v in values {
                text_element(&mut w, &format!("cas:{name}"), v)?;
            }
        }
        w.write(XmlEvent::end_element())?;
        w.write(XmlEvent::end_element())?;
        w.write(XmlEvent::end_element())
    })();
    debug_assert!(r.is_ok(), "{r:?}");
    finish(w)
}

pub fn failure_xml(f: Failure) -> String {
    let mut w = writer();
    let r: xml::writer::Result<()> = (|| {
        w.write(XmlEvent::start_element("cas:serviceResponse").ns("cas", CAS_NS))?;
        w.write(XmlEvent::start_element("cas:authenticationFailure").attr("code", f.code()))?;
        w.write(XmlEvent::characters(f.description()))?;
        w.write(XmlEvent::end_element())?;
        w.write(XmlEvent::end_element())
    })();
    debug_assert!(r.is_ok(), "{r:?}");
    finish(w)
}

/// The CAS 3.0 JSON answer for a success: every attribute a list.
pub fn success_json(s: &Success<'_>) -> String {
    let mut attrs = serde_json::Map::new();
    attrs.insert(
        "authenticationDate".into(),
        serde_json::json!([s.authentication_date]),
    );
    attrs.insert(
        "longTermAuthenticationRequestTokenUsed".into(),
        serde_json::json!([false]),
    );
    attrs.insert(
        "isFromNewLogin".into(),
        serde_json::json!([s.from_new_login]),
    );
    for (name, values) in s.attributes {
        attrs.insert((*name).into(), serde_json::json!(values));
    }
    serde_json::json!({
        "serviceResponse": {
            "authenticationSuccess": { "user": s.user, "attributes": attrs }
        }
    })
    .to_string()
}

pub fn failure_json(f: Failure) -> String {
    serde_json::json!({
        "serviceResponse": {
            "authenticationFailure": { "code": f.code(), "description": f.description() }
        }
    })
    .to_string()
}

/// The CAS 1.0 answer (`/validate`): two lines.
pub fn v1(user: Option<&str>) -> String {
    match user {
        Some(u) => format!("yes\n{u}\n"),
        None => "no\n\n".into(),
    }
}

/// The SAML 2.0 `LogoutRequest` of single logout, naming the service ticket the session was
/// opened with. `id` is the request's unique id, `instant` its time (RFC 3339, UTC).
pub fn logout_request(id: &str, instant: &str, ticket: &str) -> String {
    let mut w = writer();
    let r: xml::writer::Result<()> = (|| {
        w.write(
            XmlEvent::start_element("samlp:LogoutRequest")
                .ns("samlp", "urn:oasis:names:tc:SAML:2.0:protocol")
                .attr("ID", id)
                .attr("Version", "2.0")
                .attr("IssueInstant", instant),
        )?;
        w.write(
            XmlEvent::start_element("saml:NameID")
                .ns("saml", "urn:oasis:names:tc:SAML:2.0:assertion"),
        )?;
        w.write(XmlEvent::characters("@NOT_USED@"))?;
        w.write(XmlEvent::end_element())?;
        text_element(&mut w, "samlp:SessionIndex", ticket)?;
        w.write(XmlEvent::end_element())
    })();
    debug_assert!(r.is_ok(), "{r:?}");
    finish(w)
}

/// A Unix time as RFC 3339 in UTC (`2026-12-07T03:20:00Z`).
pub fn rfc3339(t: i64) -> String {
    let fmt = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
    time::OffsetDateTime::from_unix_timestamp(t)
        .ok()
        .and_then(|d| d.format(&fmt).ok())
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attrs() -> Vec<(&'static str, Vec<String>)> {
        vec![
            ("displayName", vec!["Zoé <Ünïcode> & Co".into()]),
            ("ENTClasse", vec!["6e A".into(), "6e B".into()]),
        ]
    }

    #[test]
    fn success_xml_escapes_and_repeats_values() {
        let a = attrs();
        let s = Success {
            user: "alice",
            authentication_date: "2026-12-07T03:20:00Z",
            from_new_login: true,
            attributes: &a,
        };
        let x = success_xml(&s);
        assert!(x.starts_with(r#"<cas:serviceResponse xmlns:cas="http://www.yale.edu/tp/cas"><cas:authenticationSuccess><cas:user>alice</cas:user><cas:attributes>"#), "{x}");
        assert!(
            x.contains("<cas:displayName>Zoé &lt;Ünïcode&gt; &amp; Co</cas:displayName>"),
            "{x}"
        );
        assert!(
            x.contains("<cas:ENTClasse>6e A</cas:ENTClasse><cas:ENTClasse>6e B</cas:ENTClasse>")
        );
        assert!(x.contains("<cas:isFromNewLogin>true</cas:isFromNewLogin>"));
        // It parses back as XML.
        let events = xml::reader::EventReader::new(x.as_bytes());
        assert!(events.into_iter().all(|e| e.is_ok()));
        let j: serde_json::Value = serde_json::from_str(&success_json(&s)).unwrap();
        let ok = &j["serviceResponse"]["authenticationSuccess"];
        assert_eq!(ok["user"], "alice");
        assert_eq!(
            ok["attributes"]["ENTClasse"],
            serde_json::json!(["6e A", "6e B"])
        );
    }

    #[test]
    fn failures_carry_the_specification_codes() {
        let x = failure_xml(Failure::InvalidService);
        assert!(
            x.contains(r#"<cas:authenticationFailure code="INVALID_SERVICE">"#),
            "{x}"
        );
        let j: serde_json::Value =
            serde_json::from_str(&failure_json(Failure::InvalidTicket)).unwrap();
        assert_eq!(
            j["serviceResponse"]["authenticationFailure"]["code"],
            "INVALID_TICKET"
        );
        assert_eq!(v1(None), "no\n\n");
        assert_eq!(v1(Some("bob")), "yes\nbob\n");
    }

    #[test]
    fn the_logout_request_is_what_phpcas_reads() {
        let x = logout_request("LR-1", "2026-12-07T03:20:00Z", "ST-abc");
        assert_eq!(
            x,
            r#"<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="LR-1" Version="2.0" IssueInstant="2026-12-07T03:20:00Z"><saml:NameID xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">@NOT_USED@</saml:NameID><samlp:SessionIndex>ST-abc</samlp:SessionIndex></samlp:LogoutRequest>"#
        );
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
    }
}
