//! The monthly summary of a class as a CSV download (see `school::attendance::export` for
//! why it is shaped for a French spreadsheet), for the office and the class's teachers.

use super::read;
use crate::ids::ClassId;
use crate::school::attendance::export;
use crate::school::when;
use crate::web::error::WebError;
use crate::web::req::Req;
use crate::web::{Response, full};
use hyper::header::{self, HeaderValue};
use serde::Deserialize;

#[derive(Deserialize, Default)]
struct ExportQuery {
    #[serde(default)]
    class: String,
    #[serde(default)]
    month: String,
}

/// The column titles, in the reader's language.
const HEADERS: [&str; 10] = [
    "attendance.csv_class",
    "attendance.csv_pupil",
    "attendance.csv_absences",
    "attendance.csv_half_days",
    "attendance.csv_justified",
    "attendance.csv_unjustified",
    "attendance.csv_pending",
    "attendance.csv_late",
    "attendance.csv_minutes",
    "attendance.csv_last",
];

/// `6e A` as `6e-A`: a file name every system keeps.
fn slug(s: &str) -> String {
    let ascii = deunicode::deunicode(s);
    let s: String = ascii
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    s.trim_matches('-').to_owned()
}

pub async fn export(req: Req) -> Result<Response, WebError> {
    let q: ExportQuery = req.query()?;
    let class: ClassId = q.class.trim().parse().map_err(|_| WebError::NotFound)?;
    let (year, month) = when::parse_month(&q.month).map_err(|e| super::web_error(e.into()))?;
    let p = req.principal()?.clone();
    let summary = read(&req, move |c| export::summary(c, &p, class, year, month)).await?;
    let headers: Vec<String> = HEADERS.iter().map(|k| req.t(k)).collect();
    let bytes =
        export::to_csv(&summary, &headers).map_err(|e| WebError::Internal(e.to_string()))?;
    let name = format!(
        "{}-{}-{year:04}-{:02}.csv",
        req.t("attendance.file_prefix"),
        slug(&summary.class),
        summary.month
    );
    let mut resp = Response::new(full(bytes));
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{}\"", slug_file(&name)))
    {
        resp.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(resp)
}

/// A file name with nothing a header could choke on.
fn slug_file(name: &str) -> String {
    deunicode::deunicode(name)
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_'))
        .collect()
}
