//! The agenda page: what is coming, a month as a plain table (no JavaScript: the months are
//! links), a parent's choice of child, and the personal calendar feed with its "new link"
//! button; and the feed itself, which a phone's calendar fetches with no session.
//!
//! The feed's secret is shown once, on the page the "new link" button answers with: only its
//! hash is kept, so no page can show it again. Making a new one ends the old at once.

use super::{ChildOption, child_scope, day_label, hour_label, may_publish, read, write};
use crate::school::when::{self, local_date, local_midnight};
use crate::school::{SchoolError, agenda};
use crate::web::error::WebError;
use crate::web::req::Req;
use crate::web::{Response, full};
use hyper::StatusCode;
use hyper::header::{self, HeaderValue};
use minijinja::context;
use serde::{Deserialize, Serialize};
use time::{Date, Month};

/// How many coming events the agenda lists.
const UPCOMING: u32 = 30;

/// An event as pages show it: when and for whom, in words.
#[derive(Serialize)]
pub struct EventView {
    #[serde(flatten)]
    pub event: agenda::Event,
    pub when_label: String,
    pub audience_label: String,
}

pub fn view_of(req: &Req, e: agenda::Event) -> EventView {
    EventView {
        when_label: when_label(req, &e),
        audience_label: super::audience_label(req, &e.audience, &e.classes),
        event: e,
    }
}

/// "Mon 4 May 2026, 08:00 – 12:00", "Mon 4 May 2026 – Wed 6 May 2026", in the page's
/// language's punctuation.
pub fn when_label(req: &Req, e: &agenda::Event) -> String {
    let i18n = &req.app.i18n;
    let range = |from: &str, to: &str| {
        i18n.format_plain(req.lang, "date.range", &[("from", from), ("to", to)])
    };
    let at = |day: &str, time: &str| {
        i18n.format_plain(req.lang, "date.day_time", &[("day", day), ("time", time)])
    };
    match e.when() {
        when::When::AllDay { first, last } if first == last => {
            format!("{} · {}", day_label(req, first), req.t("agenda.all_day"))
        }
        when::When::AllDay { first, last } => range(&day_label(req, first), &day_label(req, last)),
        when::When::Timed { start, end } => {
            let (d0, d1) = (local_date(start), local_date(end));
            let day0 = day_label(req, d0);
            if end == start {
                at(&day0, &hour_label(start))
            } else if d0 == d1 {
                at(&day0, &range(&hour_label(start), &hour_label(end)))
            } else {
                range(
                    &at(&day0, &hour_label(start)),
                    &at(&day_label(req, d1), &hour_label(end)),
                )
            }
        }
    }
}

#[derive(Deserialize, Default)]
struct AgendaQuery {
    #[serde(default)]
    month: String,
    #[serde(default)]
    child: String,
}

/// An event in a day's cell of the month table.
#[derive(Serialize)]
struct Brief {
    id: crate::ids::EventId,
    title: String,
    kind: String,
    /// The start time if it starts that day and is not all-day.
    at: String,
}

#[derive(Serialize)]
struct DayCell {
    day: u8,
    date: String,
    label: String,
    in_month: bool,
    today: bool,
    events: Vec<Brief>,
}

#[derive(Serialize)]
struct MonthView {
    label: String,
    prev: String,
    next: String,
    this: String,
    weekdays: Vec<String>,
    weeks: Vec<Vec<DayCell>>,
}

fn month_key(y: i32, m: Month) -> String {
    format!("{y:04}-{:02}", u8::from(m))
}

fn month_view(req: &Req, year: i32, month: Month, events: &[agenda::Event]) -> MonthView {
    let today = local_date(crate::now());
    let (prev, next) = when::neighbours(year, month);
    let weeks = when::month_grid(year, month)
        .into_iter()
        .map(|week| {
            week.into_iter()
                .map(|d: Date| {
                    let from = local_midnight(d);
                    let to = local_midnight(d.next_day().unwrap_or(d));
                    let events = events
                        .iter()
                        .filter(|e| {
                            e.starts_at < to
                                && (e.ends_at > from
                                    || (e.ends_at == e.starts_at && e.starts_at >= from))
                        })
                        .map(|e| Brief {
                            id: e.id,
                            title: e.title.clone(),
                            kind: e.kind.clone(),
                            at: if !e.all_day() && e.starts_at >= from {
                                hour_label(e.starts_at)
                            } else {
                                String::new()
                            },
                        })
                        .collect();
                    DayCell {
                        day: d.day(),
                        date: when::format_date(d),
                        label: day_label(req, d),
                        in_month: d.month() == month,
                        today: d == today,
                        events,
                    }
                })
                .collect()
        })
        .collect();
    MonthView {
        label: req.app.i18n.format_plain(
            req.lang,
            "date.month_year",
            &[
                (
                    "month",
                    &req.t(&format!("agenda.month.{}", u8::from(month))),
                ),
                ("year", &year.to_string()),
            ],
        ),
        prev: month_key(prev.0, prev.1),
        next: month_key(next.0, next.1),
        this: month_key(year, month),
        weekdays: (1..=7)
            .map(|n| req.t(&format!("agenda.weekday.{n}")))
            .collect(),
        weeks,
    }
}

/// The agenda page; `fresh` is a feed secret just made, shown this once.
async fn page(
    mut req: Req,
    fresh: Option<String>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let q: AgendaQuery = req.query()?;
    let (year, month) = match q.month.trim() {
        "" => {
            let today = local_date(crate::now());
            (today.year(), today.month())
        }
        m => when::parse_month(m).map_err(|e| WebError::BadRequest(e.key()))?,
    };
    let (who, children): (_, Vec<ChildOption>) = child_scope(&req, Some(&q.child)).await?;
    let me = req.principal()?.clone();
    let can_write = may_publish(&me);
    let grid = when::month_grid(year, month);
    let (from, to) = match (grid.first(), grid.last()) {
        (Some(f), Some(l)) => (
            local_midnight(f[0]),
            local_midnight(l[6].next_day().unwrap_or(l[6])),
        ),
        _ => return Err(WebError::BadRequest(SchoolError::BadMonth.key())),
    };
    let now = crate::now();
    let (upcoming, in_month, feed_made) = read(&req, move |c| {
        Ok((
            agenda::upcoming(c, &who, now, UPCOMING)?,
            agenda::between(c, &who, from, to, agenda::LIST_MAX)?,
            agenda::feed_made(c, &me)?,
        ))
    })
    .await?;
    let month = month_view(&req, year, month, &in_month);
    let upcoming: Vec<EventView> = upcoming.into_iter().map(|e| view_of(&req, e)).collect();
    let feed_url = fresh.map(|t| feed_url(&req, &t));
    // The same address for calendars that subscribe on a tap (iOS, macOS, Thunderbird).
    let webcal_url = feed_url
        .as_deref()
        .and_then(|u| u.split_once("://"))
        .map(|(_, rest)| format!("webcal://{rest}"));
    let child = children.iter().find(|c| c.selected).map(|c| c.id);
    req.render_status(
        status,
        "agenda/index.html",
        context! {
            upcoming => upcoming, month => month, can_write => can_write,
            children => children, child => child, feed_made => feed_made,
            feed_url => feed_url, webcal_url => webcal_url,
        },
    )
}

pub async fn agenda(req: Req) -> Result<Response, WebError> {
    req.principal()?;
    page(req, None, StatusCode::OK).await
}

/// The address of a feed, on the host and scheme this page was reached by.
fn feed_url(req: &Req, token: &str) -> String {
    format!("{}/agenda/feed/{token}.ics", req.origin())
}

/// "New link": a new secret replaces the old one, and the page shows it once.
pub async fn new_feed(mut req: Req) -> Result<Response, WebError> {
    let p = req.principal()?.clone();
    let _: Vec<(String, String)> = req.form().await?;
    let token = write(&req, move |tx| agenda::new_feed_token(tx, &p))
        .await
        .map_err(super::web_error)?;
    page(req, Some(token), StatusCode::OK).await
}

/// An iCalendar response; `file` names a download (`None`: a feed, shown inline).
pub fn calendar_response(text: String, file: Option<&str>) -> Response {
    let mut resp = Response::new(full(text));
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/calendar; charset=utf-8"),
    );
    if let Some(name) = file
        && let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\""))
    {
        resp.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    resp
}

/// The calendar feed: no session, the secret in the address says whose it is. An unknown or
/// replaced secret is a plain 404.
pub async fn feed(req: Req) -> Result<Response, WebError> {
    let token: String = req.param("token")?;
    let now = crate::now();
    let found = read(&req, move |c| {
        let Some(owner) = agenda::feed_owner(c, &token)? else {
            return Ok(None);
        };
        let events = agenda::feed_events(c, &owner, now)?;
        Ok(Some((owner, events)))
    })
    .await?;
    let Some((owner, events)) = found else {
        return Err(WebError::NotFound);
    };
    let settings = req.app.settings();
    let lang = crate::i18n::negotiate(
        owner.language.as_deref(),
        None,
        &settings.default_language,
        req.header(header::ACCEPT_LANGUAGE),
    );
    let text = render_calendar(&req, lang, &events, now);
    Ok(calendar_response(text, None))
}

/// Events as an iCalendar object in `lang`, with links back to their pages when the portal's
/// address is known from the request.
pub fn render_calendar(req: &Req, lang: &str, events: &[agenda::Event], now: i64) -> String {
    let settings = req.app.settings();
    let i18n = req.app.i18n.clone();
    let label = move |kind: &str| i18n.get(lang, &format!("agenda.kind.{kind}")).to_owned();
    let base = req.header(header::HOST).map(|_| req.origin());
    let cal = crate::school::ical::Calendar {
        name: format!(
            "{} · {}",
            settings.school_name,
            req.app.i18n.get(lang, "agenda.title")
        ),
        stamp: now,
        events: events
            .iter()
            .map(|e| {
                let link = base.as_ref().map(|b| format!("{b}/agenda/{}", e.id));
                agenda::ics_event(e, &settings.mail_domain, &label, link)
            })
            .collect(),
    };
    cal.render()
}
