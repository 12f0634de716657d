//! The CSV import pages: upload a class list, see every line's account and problems, then
//! import it all or nothing.
//!
//! The uploaded bytes wait in `pending_imports` between the preview and the import, visible
//! only to their uploader, so the import applies exactly the file that was previewed (planned
//! again, inside the write, against the database as it is then). The rules live in
//! `accounts::import`; this file only translates between them and the pages.

use crate::accounts::import::{self, Field, FileError, Plan, Refusal};
use crate::auth::{Action, Principal, Role, authorize};
use crate::ids::ClassId;
use crate::settings::Settings;
use crate::web::Response;
use crate::web::error::WebError;
use crate::web::pages::auth_pages::Csrf;
use crate::web::req::{Req, redirect};
use hyper::StatusCode;
use minijinja::context;
use serde::{Deserialize, Serialize};

/// The largest upload body: the file's own limit, plus room for the multipart framing and
/// the CSRF field, so that a file just over its limit gets the import's own message.
const UPLOAD_LIMIT: usize = import::MAX_BYTES + 64 * 1024;

/// The roles the principal may create: an import makes no account its importer could not
/// make one by one (the office makes no admins).
fn creatable_roles(p: &Principal) -> Vec<Role> {
    Role::ALL
        .into_iter()
        .filter(|r| authorize(p, &Action::CreateAccount { role: *r }).is_ok())
        .collect()
}

#[derive(Serialize)]
struct ColumnDoc {
    key: &'static str,
    doc: &'static str,
    required: bool,
    names: &'static [&'static str],
}

fn doc_key(f: Field) -> &'static str {
    match f {
        Field::LastName => "import.doc_last_name",
        Field::FirstName => "import.doc_first_name",
        Field::Class => "import.doc_class",
        Field::Username => "import.doc_username",
        Field::Role => "import.doc_role",
        Field::Language => "import.doc_language",
    }
}

#[derive(Serialize)]
struct DoneClass {
    id: ClassId,
    name: String,
    new: bool,
}

#[derive(Serialize)]
struct Done {
    accounts: usize,
    classes: Vec<DoneClass>,
}

/// The upload form with the columns' documentation; after an import, its result on top.
fn form_page(
    req: &mut Req,
    status: StatusCode,
    error: Option<String>,
    done: Option<Done>,
) -> Result<Response, WebError> {
    let columns: Vec<ColumnDoc> = Field::ALL
        .into_iter()
        .map(|f| ColumnDoc {
            key: f.key(),
            doc: doc_key(f),
            required: f.required(),
            names: f.examples(),
        })
        .collect();
    req.render_status(
        status,
        "admin/import.html",
        context! {
            error => error,
            done => done,
            columns => columns,
            max_rows => import::MAX_ROWS,
            limit_kib => import::MAX_BYTES / 1024,
        },
    )
}

fn file_error(req: &mut Req, e: &FileError) -> Result<Response, WebError> {
    let msg = e.message(&req.app.i18n, req.lang);
    form_page(req, StatusCode::BAD_REQUEST, Some(msg), None)
}

/// The answer for a pending import that is not (or no longer) there for this user.
fn gone(req: &mut Req) -> Result<Response, WebError> {
    let msg = req.t("import.error_gone");
    form_page(req, StatusCode::NOT_FOUND, Some(msg), None)
}

/// `GET /admin/import`
pub async fn form(mut req: Req) -> Result<Response, WebError> {
    req.allow(&Action::ImportAccounts)?;
    form_page(&mut req, StatusCode::OK, None, None)
}

/// The name the file had on the uploader's computer, for the preview and the audit log:
/// old browsers send a whole Windows path.
fn clean_file_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("");
    let clean: String = base.chars().filter(|c| !c.is_control()).take(100).collect();
    if clean.trim().is_empty() {
        "list.csv".into()
    } else {
        clean
    }
}

/// `POST /admin/import`: keeps the file and sends to its preview. A file that cannot be
/// read at all (not UTF-8, no header) is refused on the form at once and not kept.
pub async fn upload(mut req: Req) -> Result<Response, WebError> {
    let allowed = req.allow(&Action::ImportAccounts)?;
    let form = req.multipart(UPLOAD_LIMIT).await?;
    let file = form
        .files
        .into_iter()
        .find(|(field, _, data)| field == "file" && !data.is_empty());
    let Some((_, name, data)) = file else {
        let msg = req.t("import.error_no_file");
        return form_page(&mut req, StatusCode::BAD_REQUEST, Some(msg), None);
    };
    if let Err(e) = import::check_file(&data) {
        return file_error(&mut req, &e);
    }
    let file_name = clean_file_name(&name);
    let id = req
        .app
        .db
        .write(move |tx| Ok(import::store_pending(tx, &allowed, &file_name, &data)?))
        .await?;
    Ok(redirect(&format!("/admin/import/{id}")))
}

#[derive(Serialize)]
struct ClassTag {
    name: String,
    new: bool,
}

#[derive(Serialize)]
struct LineView {
    line: u64,
    last_name: String,
    first_name: String,
    username: String,
    username_given: bool,
    role: &'static str,
    language: Option<&'static str>,
    classes: Vec<ClassTag>,
    problems: Vec<String>,
}

#[derive(Serialize)]
struct ClassView {
    name: String,
    pupils: usize,
    teachers: usize,
}

/// The preview table: every line, its account and its problems; the import button only
/// when no line has one.
fn preview_page(
    req: &mut Req,
    status: StatusCode,
    id: &str,
    file_name: &str,
    plan: &Plan,
    error: Option<String>,
) -> Result<Response, WebError> {
    let (i18n, lang) = (req.app.i18n.clone(), req.lang);
    let is_new = |name: &str| {
        let folded = name.to_lowercase();
        plan.new_classes().any(|c| c.name.to_lowercase() == folded)
    };
    let lines: Vec<LineView> = plan
        .lines
        .iter()
        .map(|l| LineView {
            line: l.line,
            last_name: l.last_name.clone(),
            first_name: l.first_name.clone(),
            username: l.username.clone(),
            username_given: l.username_given,
            role: l.role.as_str(),
            language: l.language,
            classes: l
                .classes
                .iter()
                .map(|c| ClassTag {
                    name: c.clone(),
                    new: is_new(c),
                })
                .collect(),
            problems: l.problems.iter().map(|p| p.message(&i18n, lang)).collect(),
        })
        .collect();
    let class_view = |c: &import::PlannedClass| ClassView {
        name: c.name.clone(),
        pupils: c.pupils,
        teachers: c.teachers,
    };
    let new_classes: Vec<ClassView> = plan.new_classes().map(class_view).collect();
    let existing: Vec<ClassView> = plan
        .classes
        .iter()
        .filter(|c| c.existing.is_some())
        .map(class_view)
        .collect();
    let counts: Vec<(&str, usize)> = plan
        .count_by_role()
        .into_iter()
        .map(|(r, n)| (r.as_str(), n))
        .collect();
    let problem_lines: Vec<u64> = plan
        .lines
        .iter()
        .filter(|l| !l.problems.is_empty())
        .map(|l| l.line)
        .collect();
    req.render_status(
        status,
        "admin/import_preview.html",
        context! {
            id => id,
            file_name => file_name,
            year => plan.school_year.clone(),
            lines => lines,
            bad => problem_lines.len(),
            problem_lines => problem_lines,
            new_classes => new_classes,
            existing => existing,
            counts => counts,
            ignored => plan.ignored_columns.clone(),
            error => error,
        },
    )
}

/// `GET /admin/import/{id}`
pub async fn preview(mut req: Req) -> Result<Response, WebError> {
    req.allow(&Action::ImportAccounts)?;
    let p = req.principal()?.clone();
    let id: String = req.param("id")?;
    let creatable = creatable_roles(&p);
    let key = id.clone();
    let found = req
        .app
        .db
        .read(move |c| {
            let Some(pending) = import::load_pending(c, p.id, &key)? else {
                return Ok(None);
            };
            let year = Settings::load(c)?.school_year;
            let plan = import::plan(c, &pending.content, &year, &creatable)?;
            Ok(Some((pending.file_name, plan)))
        })
        .await?;
    match found {
        None => gone(&mut req),
        Some((_, Err(e))) => file_error(&mut req, &e),
        Some((file_name, Ok(plan))) => {
            preview_page(&mut req, StatusCode::OK, &id, &file_name, &plan, None)
        }
    }
}

/// `POST /admin/import/{id}`: plans again and writes, in one transaction, all or nothing.
/// The pending file goes in the same transaction, so a second click imports nothing twice.
pub async fn apply(mut req: Req) -> Result<Response, WebError> {
    let allowed = req.allow(&Action::ImportAccounts)?;
    let p = req.principal()?.clone();
    let id: String = req.param("id")?;
    let _: Csrf = req.form().await?;
    let creatable = creatable_roles(&p);
    let key = id.clone();
    let outcome = req
        .app
        .db
        .write(move |tx| {
            let Some(pending) = import::load_pending(tx, p.id, &key)? else {
                return Ok(None);
            };
            let year = Settings::load(tx)?.school_year;
            let result = import::apply(
                tx,
                &allowed,
                &pending.content,
                &pending.file_name,
                &year,
                &creatable,
            )?;
            if result.is_ok() {
                import::delete_pending(tx, p.id, &key)?;
            }
            Ok(Some((pending.file_name, result)))
        })
        .await?;
    match outcome {
        None => gone(&mut req),
        Some((_, Ok(summary))) => {
            let ids = |new: bool| {
                summary
                    .classes
                    .iter()
                    .filter(|c| !new || c.new)
                    .map(|c| c.id.to_string())
                    .collect::<Vec<_>>()
                    .join(".")
            };
            let q = serde_urlencoded::to_string([
                ("n", summary.accounts.to_string()),
                ("classes", ids(false)),
                ("new", ids(true)),
            ])
            .unwrap_or_default();
            Ok(redirect(&format!("/admin/import/done?{q}")))
        }
        Some((_, Err(Refusal::File(e)))) => file_error(&mut req, &e),
        Some((file_name, Err(Refusal::Problems(plan)))) => {
            let msg = req.t("import.error_changed");
            preview_page(
                &mut req,
                StatusCode::CONFLICT,
                &id,
                &file_name,
                &plan,
                Some(msg),
            )
        }
    }
}

#[derive(Deserialize, Default)]
struct DoneQuery {
    #[serde(default)]
    n: usize,
    #[serde(default)]
    classes: String,
    #[serde(default)]
    new: String,
}

fn class_ids(s: &str) -> Vec<ClassId> {
    s.split('.')
        .filter_map(|x| x.parse().ok())
        .take(500)
        .collect()
}

/// `GET /admin/import/done`: what the import made, with links to the classes, where the
/// login slips are printed. The numbers come from the redirect after the import.
pub async fn done(mut req: Req) -> Result<Response, WebError> {
    req.allow(&Action::ImportAccounts)?;
    let q: DoneQuery = req.query().unwrap_or_default();
    let ids = class_ids(&q.classes);
    let new = class_ids(&q.new);
    let classes = req
        .app
        .db
        .read(move |c| Ok(crate::accounts::classes_by_id(c, &ids)?))
        .await?;
    let done = Done {
        accounts: q.n,
        classes: classes
            .into_iter()
            .map(|c| DoneClass {
                new: new.contains(&c.id),
                id: c.id,
                name: c.name,
            })
            .collect(),
    };
    form_page(&mut req, StatusCode::OK, None, Some(done))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_from_every_browser() {
        assert_eq!(clean_file_name("6e A.csv"), "6e A.csv");
        assert_eq!(
            clean_file_name("C:\\Users\\secretariat\\Bureau\\classe.csv"),
            "classe.csv"
        );
        assert_eq!(clean_file_name("../../x\n.csv"), "x.csv");
        assert_eq!(clean_file_name(""), "list.csv");
    }
}
