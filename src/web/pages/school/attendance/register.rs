//! Taking the register: the chooser (class, day, lesson, subject; the registers taken
//! lately), the sheet (one line per pupil, Present / Absent / Late as large buttons, minutes
//! late beside), and saving it. The chooser is a GET form, so the sheet's address names the
//! register and reopening it edits it.

use super::{day_label, read};
use crate::ids::{ClassId, UserId};
use crate::school::attendance::register::{self, Key, Presence};
use crate::school::attendance::{AttendanceError, MINUTES_MAX, SUBJECT_MAX, office};
use crate::school::{self, when};
use crate::web::Response;
use crate::web::error::WebError;
use crate::web::req::{Req, redirect};
use hyper::StatusCode;
use minijinja::context;
use serde::{Deserialize, Serialize};

/// How many recent registers the chooser lists.
const RECENT: u32 = 15;

#[derive(Serialize)]
struct BriefView {
    #[serde(flatten)]
    brief: register::Brief,
    day_label: String,
}

/// The chooser: which register to take, those taken lately, the export form, and for the
/// office the way to the absences.
pub async fn chooser(mut req: Req) -> Result<Response, WebError> {
    let p = req.principal()?.clone();
    let (classes, recent, waiting) = read(&req, move |c| {
        let classes: Vec<_> = school::addressable_classes(c, &p)?
            .into_iter()
            .filter(|k| {
                crate::auth::authorize(&p, &crate::auth::Action::TakeRegister { class: k.id })
                    .is_ok()
            })
            .collect();
        Ok((
            classes,
            register::recent(c, &p, RECENT)?,
            office::waiting(c, &p)?,
        ))
    })
    .await?;
    let recent: Vec<BriefView> = recent
        .into_iter()
        .map(|b| BriefView {
            day_label: day_label(&req, &b.day),
            brief: b,
        })
        .collect();
    let now = crate::clock::local(crate::now());
    let today = when::format_date(when::local_date(crate::now()));
    let hour = now.map(|t| t.hour()).unwrap_or(8).clamp(7, 18);
    let month = today.get(..7).unwrap_or("").to_owned();
    let office = req.allow(&crate::auth::Action::ReviewAbsences).is_ok();
    req.render(
        "attendance/home.html",
        context! {
            classes => classes, recent => recent, today => today,
            slot => format!("{hour:02}:00"), month => month, office => office,
            waiting => waiting, subject_max => SUBJECT_MAX,
        },
    )
}

#[derive(Deserialize, Default)]
struct SheetQuery {
    #[serde(default)]
    class: String,
    #[serde(default)]
    date: String,
    #[serde(default)]
    slot: String,
    #[serde(default)]
    subject: String,
}

/// A class id as a form sends it: anything but a number is no class at all.
fn class_id(s: &str) -> Result<ClassId, WebError> {
    s.trim().parse().map_err(|_| WebError::NotFound)
}

fn key(class: &str, date: &str, slot: &str) -> Result<Key, WebError> {
    let class = class_id(class)?;
    Key::parse(class, date, slot).map_err(super::web_error)
}

/// The register of a lesson, as taken or (never taken) everyone present.
pub async fn sheet(req: Req) -> Result<Response, WebError> {
    let q: SheetQuery = req.query()?;
    let key = key(&q.class, &q.date, &q.slot)?;
    let p = req.principal()?.clone();
    let mut sheet = read(&req, move |c| register::open(c, &p, &key)).await?;
    if sheet.register.is_none() {
        sheet.subject = crate::one_line(&q.subject)
            .chars()
            .take(SUBJECT_MAX)
            .collect();
    }
    render(req, sheet, None, StatusCode::OK)
}

fn render(
    mut req: Req,
    sheet: register::Sheet,
    error: Option<&'static str>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let label = day_label(&req, &sheet.day);
    req.render_status(
        status,
        "attendance/register.html",
        context! {
            sheet => sheet, day_label => label, minutes_max => MINUTES_MAX,
            subject_max => SUBJECT_MAX, error => error,
        },
    )
}

/// The sheet again, as the teacher filled it in, with why it was not saved: no tap is lost
/// to a typo. Refusals a teacher cannot fix by hand (a pupil not in the class: a forged
/// form) are their error page.
async fn again(
    req: Req,
    key: Key,
    pairs: Vec<(String, String)>,
    e: AttendanceError,
) -> Result<Response, WebError> {
    if !matches!(
        e,
        AttendanceError::BadMinutes | AttendanceError::BadMark | AttendanceError::SubjectTooLong
    ) {
        return Err(super::web_error(e));
    }
    let p = req.principal()?.clone();
    let mut sheet = read(&req, move |c| register::open(c, &p, &key)).await?;
    sheet.subject = field(&pairs, "subject").chars().take(SUBJECT_MAX).collect();
    for line in &mut sheet.lines {
        let typed = |prefix: char| {
            field(&pairs, &format!("{prefix}{}", line.id))
                .trim()
                .to_owned()
        };
        line.presence = match typed('p').as_str() {
            "absent" => "absent",
            "late" => "late",
            _ => "present",
        };
        line.minutes_late = typed('m').parse().unwrap_or(0);
    }
    render(req, sheet, Some(e.key()), StatusCode::BAD_REQUEST)
}

/// The register as the form sends it: `p{pupil}` = present, absent or late for each line,
/// `m{pupil}` the minutes late.
fn presences(pairs: &[(String, String)]) -> Result<Vec<(UserId, Presence)>, AttendanceError> {
    let minutes = |id: &str| {
        pairs
            .iter()
            .find(|(k, _)| k.strip_prefix('m') == Some(id))
            .map(|(_, v)| v.trim())
            .unwrap_or("")
    };
    let mut out = Vec::new();
    for (k, v) in pairs {
        let Some(id) = k.strip_prefix('p') else {
            continue;
        };
        let pupil: UserId = id.parse().map_err(|_| AttendanceError::UnknownPupil)?;
        let presence = match v.as_str() {
            "present" => Presence::Present,
            "absent" => Presence::Absent,
            "late" => Presence::Late(
                minutes(id)
                    .parse()
                    .map_err(|_| AttendanceError::BadMinutes)?,
            ),
            _ => return Err(AttendanceError::BadMark),
        };
        out.push((pupil, presence));
    }
    Ok(out)
}

fn field<'a>(pairs: &'a [(String, String)], name: &str) -> &'a str {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .unwrap_or("")
}

/// Saves the register, then shows it again as saved.
pub async fn save(mut req: Req) -> Result<Response, WebError> {
    let pairs: Vec<(String, String)> = req.form().await?;
    let key = key(
        field(&pairs, "class"),
        field(&pairs, "date"),
        field(&pairs, "slot"),
    )?;
    let subject = field(&pairs, "subject").to_owned();
    let marks = match presences(&pairs) {
        Ok(m) => m,
        Err(e) => return again(req, key, pairs, e).await,
    };
    let p = req.principal()?.clone();
    let k = key.clone();
    let saved = req
        .app
        .db
        .write_as::<_, AttendanceError, _>(move |tx| register::save(tx, &p, &k, &subject, &marks))
        .await;
    if let Err(e) = saved {
        return again(req, key, pairs, e).await;
    }
    let query = serde_urlencoded::to_string([
        ("class", key.class.to_string()),
        ("date", key.day_str()),
        ("slot", key.slot.clone()),
    ])
    .unwrap_or_default();
    Ok(redirect(&format!(
        "/attendance/register?{query}&msg=attendance.saved"
    )))
}
