//! The agenda: trips, exams, meetings and the rest, for the whole school or some classes,
//! planned by the office (anywhere) and teachers (their classes). Everyone sees what concerns
//! them, as a list of what is coming and a month's table, can download one event as `.ics`,
//! and has a personal calendar feed: a secret address a phone subscribes to, with no login,
//! holding exactly what its owner may see. Only the secret's SHA-256 is kept; a new link
//! replaces the old one, which stops working at once.

use super::when::{When, WhenForm, format_date, local_date, parse_when};
use super::*;
use crate::accounts::audit;
use crate::auth::{Action, Allowed, authorize};
use crate::ids::EventId;
use rusqlite::OptionalExtension;

/// Longest place and description, in characters.
pub const PLACE_MAX: usize = 200;
pub const DESCRIPTION_MAX: usize = 5_000;
/// How far back a calendar feed goes: a year of past events, and everything to come.
pub const FEED_PAST: i64 = 366 * 86_400;
/// The most events one list or feed holds.
pub const LIST_MAX: u32 = 500;

/// The kinds of event, as stored and as forms send them.
pub const KINDS: [&str; 4] = ["trip", "exam", "meeting", "other"];

#[derive(Debug, Clone, Serialize)]
pub struct Event {
    pub id: EventId,
    pub author_id: Option<UserId>,
    pub author: String,
    pub title: String,
    /// One of [`KINDS`].
    pub kind: String,
    pub audience: SchoolAudience,
    pub classes: Vec<ClassRef>,
    pub starts_at: i64,
    pub ends_at: i64,
    /// For an all-day event: its first and last days, `YYYY-MM-DD`.
    pub first_day: Option<String>,
    pub last_day: Option<String>,
    pub place: String,
    pub description: String,
    pub created_at: i64,
    pub edited_at: Option<i64>,
    pub sequence: i64,
}

impl Event {
    pub fn all_day(&self) -> bool {
        self.first_day.is_some()
    }

    /// When it happens, as saved.
    pub fn when(&self) -> When {
        let day = |d: &Option<String>| d.as_deref().and_then(|d| when::parse_date(d).ok());
        match (day(&self.first_day), day(&self.last_day)) {
            (Some(first), Some(last)) => When::AllDay { first, last },
            _ => When::Timed {
                start: self.starts_at,
                end: self.ends_at,
            },
        }
    }
}

/// An event as a form sends it.
#[derive(Debug, Clone)]
pub struct Draft {
    pub title: String,
    pub kind: String,
    pub audience: SchoolAudience,
    pub when: WhenForm,
    pub place: String,
    pub description: String,
}

/// A draft, checked.
struct Clean {
    title: String,
    kind: &'static str,
    audience: SchoolAudience,
    when: When,
    place: String,
    description: String,
    allowed: Allowed,
}

const EVENT: &str = "SELECT e.id, e.author_id, COALESCE(u.display_name, ''), e.title, e.kind,
        e.audience, e.starts_at, e.ends_at, e.first_day, e.last_day, e.place, e.description,
        e.created_at, e.edited_at, e.sequence
     FROM events e LEFT JOIN users u ON u.id = e.author_id";

/// An event as stored, with its audience's kind (its classes come from the link table).
fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<(Event, String)> {
    Ok((
        Event {
            id: r.get(0)?,
            author_id: r.get(1)?,
            author: r.get(2)?,
            title: r.get(3)?,
            kind: r.get(4)?,
            audience: SchoolAudience::School,
            classes: Vec::new(),
            starts_at: r.get(6)?,
            ends_at: r.get(7)?,
            first_day: r.get(8)?,
            last_day: r.get(9)?,
            place: r.get(10)?,
            description: r.get(11)?,
            created_at: r.get(12)?,
            edited_at: r.get(13)?,
            sequence: r.get(14)?,
        },
        r.get(5)?,
    ))
}

fn with_audience(conn: &Connection, (mut e, kind): (Event, String)) -> Result<Event> {
    e.classes = load_classes(conn, "event_classes", "event_id", e.id.0)?;
    e.audience = audience_of(&kind, &e.classes);
    Ok(e)
}

fn may_read(who: &Principal, e: &Event) -> bool {
    authorize(
        who,
        &Action::ReadEvent {
            audience: &e.audience,
            author: e.author_id,
        },
    )
    .is_ok()
}

/// The event, if `who` may see it; otherwise `NotFound`, as if it did not exist.
pub fn readable(conn: &Connection, who: &Principal, id: EventId) -> Result<Event> {
    let raw = conn
        .prepare_cached(&format!("{EVENT} WHERE e.id = ?1"))?
        .query_row([id], row)
        .optional()?
        .ok_or(SchoolError::NotFound)?;
    let e = with_audience(conn, raw)?;
    if !may_read(who, &e) {
        return Err(SchoolError::NotFound);
    }
    Ok(e)
}

/// Trims a free text, keeping its line breaks, within `max` characters.
fn clean_text(s: &str, max: usize, too_long: SchoolError) -> Result<String> {
    let s: String = s
        .replace("\r\n", "\n")
        .chars()
        .filter(|c| *c == '\n' || !c.is_control())
        .collect::<String>()
        .trim()
        .to_owned();
    if s.chars().count() > max {
        return Err(too_long);
    }
    Ok(s)
}

/// Checks a draft: the audience and the policy first (what is refused there says nothing
/// about the rest), then every field.
fn check(conn: &Connection, who: &Principal, d: &Draft) -> Result<Clean> {
    let audience = tidy_audience(d.audience.clone())?;
    let allowed = authorize(
        who,
        &Action::CreateEvent {
            audience: &audience,
        },
    )
    .map_err(|_| SchoolError::Denied)?;
    check_classes(conn, &audience)?;
    let title = clean_title(&d.title)?;
    let kind = KINDS
        .into_iter()
        .find(|k| *k == d.kind.trim())
        .ok_or(SchoolError::BadKind)?;
    let when = parse_when(&d.when)?;
    let place: String =
        clean_text(&d.place, PLACE_MAX, SchoolError::PlaceTooLong)?.replace('\n', " ");
    let description = clean_text(
        &d.description,
        DESCRIPTION_MAX,
        SchoolError::DescriptionTooLong,
    )?;
    Ok(Clean {
        title,
        kind,
        audience,
        when,
        place,
        description,
        allowed,
    })
}

fn days(when: &When) -> (Option<String>, Option<String>) {
    match when {
        When::AllDay { first, last } => (Some(format_date(*first)), Some(format_date(*last))),
        When::Timed { .. } => (None, None),
    }
}

/// Puts an event in the agenda.
pub fn create(tx: &Transaction<'_>, who: &Principal, draft: &Draft) -> Result<EventId> {
    let c = check(tx, who, draft)?;
    let (first, last) = days(&c.when);
    tx.prepare_cached(
        "INSERT INTO events (author_id, title, kind, audience, starts_at, ends_at, first_day,
         last_day, place, description, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?
    .execute(rusqlite::params![
        c.allowed.actor(),
        c.title,
        c.kind,
        c.audience.kind(),
        c.when.starts_at(),
        c.when.ends_at(),
        first,
        last,
        c.place,
        c.description,
        crate::now()
    ])?;
    let id = tx.last_insert_rowid();
    save_classes(tx, "event_classes", "event_id", id, &c.audience)?;
    Ok(EventId(id))
}

/// Changes an event: its author or an admin, and only for an audience they may address.
pub fn edit(tx: &Transaction<'_>, who: &Principal, id: EventId, draft: &Draft) -> Result<()> {
    let e = readable(tx, who, id)?;
    authorize(
        who,
        &Action::EditEvent {
            author: e.author_id,
        },
    )
    .map_err(|_| SchoolError::Denied)?;
    let c = check(tx, who, draft)?;
    let (first, last) = days(&c.when);
    tx.prepare_cached(
        "UPDATE events SET title = ?1, kind = ?2, audience = ?3, starts_at = ?4, ends_at = ?5,
         first_day = ?6, last_day = ?7, place = ?8, description = ?9, edited_at = ?10,
         sequence = sequence + 1 WHERE id = ?11",
    )?
    .execute(rusqlite::params![
        c.title,
        c.kind,
        c.audience.kind(),
        c.when.starts_at(),
        c.when.ends_at(),
        first,
        last,
        c.place,
        c.description,
        crate::now(),
        id
    ])?;
    save_classes(tx, "event_classes", "event_id", id.0, &c.audience)
}

/// Deletes an event; the audit log keeps its title and date.
pub fn delete(tx: &Transaction<'_>, who: &Principal, id: EventId) -> Result<()> {
    let e = readable(tx, who, id)?;
    let allowed = authorize(
        who,
        &Action::DeleteEvent {
            author: e.author_id,
        },
    )
    .map_err(|_| SchoolError::Denied)?;
    tx.execute("DELETE FROM events WHERE id = ?1", [id])?;
    audit(
        tx,
        &allowed,
        &format!("event {id}"),
        &format!("{} ({})", e.title, format_date(local_date(e.starts_at))),
    )?;
    Ok(())
}

/// An event opened, with what this reader may do to it.
#[derive(Debug, Clone, Serialize)]
pub struct Opened {
    pub event: Event,
    pub can_edit: bool,
    pub can_delete: bool,
}

pub fn open(conn: &Connection, who: &Principal, id: EventId) -> Result<Opened> {
    let event = readable(conn, who, id)?;
    let author = event.author_id;
    Ok(Opened {
        can_edit: authorize(who, &Action::EditEvent { author }).is_ok(),
        can_delete: authorize(who, &Action::DeleteEvent { author }).is_ok(),
        event,
    })
}

/// The events `who` may see that overlap `[from, to)` (a moment counts if it falls in it),
/// by start, at most `limit`.
pub fn between(
    conn: &Connection,
    who: &Principal,
    from: i64,
    to: i64,
    limit: u32,
) -> Result<Vec<Event>> {
    // Built once, not on every page (the dashboard reads it on each visit).
    static SQL: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        format!(
            "{EVENT} WHERE {} AND e.starts_at < :to
               AND (e.ends_at > :from OR (e.ends_at = e.starts_at AND e.starts_at >= :from))
             ORDER BY e.starts_at, e.id LIMIT :limit",
            Scope::condition("e", "event_classes", "event_id")
        )
    });
    let scope = Scope::of(who);
    let mut stmt = conn.prepare_cached(&SQL)?;
    let params = scope.params(&[(":from", &from), (":to", &to), (":limit", &limit)]);
    let raw: Vec<(Event, String)> = stmt
        .query_map(params.as_slice(), row)?
        .collect::<rusqlite::Result<_>>()?;
    let mut out = Vec::with_capacity(raw.len());
    for r in raw {
        let e = with_audience(conn, r)?;
        // The SQL only narrows; the policy decides.
        if may_read(who, &e) {
            out.push(e);
        }
    }
    Ok(out)
}

/// What is coming (or going on) from `now`, soonest first.
pub fn upcoming(conn: &Connection, who: &Principal, now: i64, limit: u32) -> Result<Vec<Event>> {
    between(conn, who, now, i64::MAX, limit)
}

/// Everything a calendar feed holds for `who`: the past year and all that is coming.
pub fn feed_events(conn: &Connection, who: &Principal, now: i64) -> Result<Vec<Event>> {
    between(conn, who, now - FEED_PAST, i64::MAX, LIST_MAX)
}

/// A new secret for `who`'s calendar feed (see `crate::feeds`), shown once.
pub fn new_feed_token(tx: &Transaction<'_>, who: &Principal) -> Result<String> {
    Ok(crate::feeds::new_token(
        tx,
        crate::feeds::Kind::Agenda,
        who,
    )?)
}

/// When `who`'s current feed link was made, if they have one.
pub fn feed_made(conn: &Connection, who: &Principal) -> Result<Option<i64>> {
    Ok(crate::feeds::made(conn, crate::feeds::Kind::Agenda, who)?)
}

/// The account a feed's secret belongs to, if it is current and the account active.
pub fn feed_owner(conn: &Connection, token: &str) -> Result<Option<Principal>> {
    Ok(crate::feeds::owner(
        conn,
        crate::feeds::Kind::Agenda,
        token,
    )?)
}

/// An event for a calendar. `label` names a kind in the reader's language; `link` is the
/// event's page, if the caller knows the portal's address.
pub fn ics_event(
    e: &Event,
    mail_domain: &str,
    label: &dyn Fn(&str) -> String,
    link: Option<String>,
) -> ical::VEvent {
    let (start, end) = match e.when() {
        When::AllDay { first, last } => (
            ical::IcsTime::Date(first),
            Some(ical::IcsTime::Date(last.next_day().unwrap_or(last))),
        ),
        When::Timed { start, end } => (
            ical::IcsTime::Utc(start),
            (end > start).then_some(ical::IcsTime::Utc(end)),
        ),
    };
    ical::VEvent {
        uid: format!("event-{}@{}", e.id, mail_domain),
        created: e.created_at,
        last_modified: e.edited_at.unwrap_or(e.created_at),
        sequence: e.sequence,
        start,
        end,
        summary: e.title.clone(),
        location: e.place.clone(),
        description: e.description.clone(),
        categories: vec![label(&e.kind)],
        url: link,
    }
}
