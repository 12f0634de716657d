//! The validation endpoints, called by applications (not browsers) with the ticket a person
//! brought back: `/cas/validate` (CAS 1.0, two lines of text), `/cas/serviceValidate` and
//! `/cas/p3/serviceValidate` (XML, or JSON with `format=JSON`; both with the attributes of
//! the application's claim profile). Every answer is a 200 in the protocol's format; a
//! failure names the specification's code.

use super::{Params, cas_base};
use crate::idp::cas::{self, Check, Failure, Validated, wire};
use crate::web::error::WebError;
use crate::web::req::Req;
use crate::web::{Response, full};
use hyper::header::{self, HeaderValue};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    V1,
    Xml,
    Json,
}

pub async fn validate_v1(req: Req) -> Result<Response, WebError> {
    let result = run(&req).await;
    Ok(answer(Format::V1, result))
}

pub async fn service_validate(req: Req) -> Result<Response, WebError> {
    let format = match Params::of(&req).as_ref().and_then(|q| q.one("format")) {
        Some(f) if f.eq_ignore_ascii_case("json") => Format::Json,
        _ => Format::Xml,
    };
    let result = run(&req).await;
    Ok(answer(format, result))
}

/// Takes the ticket (it is gone from here on, whatever follows) and validates it.
async fn run(req: &Req) -> Result<Validated, Failure> {
    let q = Params::of(req).ok_or(Failure::InvalidRequest)?;
    let (Some(service), Some(ticket_id)) = (q.one("service"), q.one("ticket")) else {
        return Err(Failure::InvalidRequest);
    };
    if service.is_empty() || ticket_id.is_empty() {
        return Err(Failure::InvalidRequest);
    }
    if !ticket_id.starts_with("ST-") {
        return Err(Failure::InvalidTicketSpec);
    }
    let ticket = req
        .app
        .idp
        .cas
        .take(ticket_id)
        .ok_or(Failure::InvalidTicket)?;
    let iss = cas_base(req);
    let check = Check {
        service,
        renew: q.flag("renew"),
        iss: &iss,
    };
    // Refused before any database work when the service or `renew` do not match.
    cas::check_ticket(&ticket, &check)?;
    let (service, renew) = (service.to_owned(), check.renew);
    let ticket_id = ticket_id.to_owned();
    let settings = req.app.settings();
    let result = req
        .app
        .db
        .write_as(move |tx| {
            let check = Check {
                service: &service,
                renew,
                iss: &iss,
            };
            cas::validate(tx, &ticket, &ticket_id, &check, &settings)
        })
        .await;
    result.map_err(|e| {
        if let cas::ValidateError::Db(e) = &e {
            log::error!("CAS ticket validation failed: {e}");
        }
        e.failure()
    })
}

fn answer(format: Format, result: Result<Validated, Failure>) -> Response {
    let date;
    let success = match &result {
        Ok(v) => {
            date = wire::rfc3339(v.auth_time);
            Ok(wire::Success {
                user: &v.username,
                authentication_date: &date,
                from_new_login: v.primary,
                attributes: &v.attributes,
            })
        }
        Err(f) => Err(*f),
    };
    let (body, content_type) = match (format, success) {
        (Format::V1, Ok(s)) => (wire::v1(Some(s.user)), "text/plain; charset=utf-8"),
        (Format::V1, Err(_)) => (wire::v1(None), "text/plain; charset=utf-8"),
        (Format::Xml, Ok(s)) => (wire::success_xml(&s), "application/xml; charset=utf-8"),
        (Format::Xml, Err(f)) => (wire::failure_xml(f), "application/xml; charset=utf-8"),
        (Format::Json, Ok(s)) => (wire::success_json(&s), "application/json"),
        (Format::Json, Err(f)) => (wire::failure_json(f), "application/json"),
    };
    let mut resp = Response::new(full(body));
    resp.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    resp
}
