//! Writing in the homework book: the form for a new entry (for one class the teacher
//! teaches, chosen first when they teach several), editing and deleting by the author or an
//! admin. The form offers the subjects already used in the class (a `<datalist>`, typed
//! freely), the class's drop boxes (to those who see them: not to an admin editing the entry
//! of a class they do not teach), and the author's own files as checkboxes; chosen files
//! are copied before the write (`attach::stage`) and put in place inside it.
//!
//! What a person can fix comes back as the form, as typed, with why (400); a class they do
//! not teach or an entry that is not theirs is a 403, one they cannot see a 404. A refused
//! change changes nothing, files included.

use super::{day_label, form_problem, read, web_error, write};
use crate::ids::{AssignmentId, BookEntryId, ClassId};
use crate::library::pick::{self, Picked};
use crate::library::registry::{self, Collection};
use crate::school::book::{self, ArticleLink, attach, write as book_write};
use crate::school::when::{format_date, local_date};
use crate::school::{ClassRef, SchoolError};
use crate::web::Response;
use crate::web::error::WebError;
use crate::web::req::{Req, redirect};
use hyper::StatusCode;
use minijinja::context;
use serde::{Deserialize, Serialize};

/// Two texts of `book::TEXT_MAX` characters, up to 4 bytes each, encoded, and the rest.
const BOOK_FORM_LIMIT: usize = 160 * 1024;

/// The form as it comes back: what was typed.
#[derive(Serialize, Default, Clone, Debug)]
struct BookForm {
    class: String,
    subject: String,
    lesson_day: String,
    done: String,
    work: String,
    due_day: String,
    assignment: String,
    files: Vec<String>,
    remove_files: Vec<i64>,
    /// Library articles chosen (`collection/path`), in order.
    articles: Vec<String>,
    /// The article picker's search, and whether its button (not "save") was pressed.
    article_q: String,
    find_article: bool,
}

impl BookForm {
    fn from_pairs(pairs: Vec<(String, String)>) -> BookForm {
        let mut f = BookForm::default();
        for (k, v) in pairs {
            match k.as_str() {
                "class" => f.class = v,
                "subject" => f.subject = v,
                "lesson_day" => f.lesson_day = v,
                "done" => f.done = v,
                "work" => f.work = v,
                "due_day" => f.due_day = v,
                "assignment" => f.assignment = v,
                "file" if !v.is_empty() && !f.files.contains(&v) => f.files.push(v),
                "article" if !v.is_empty() && !f.articles.contains(&v) => f.articles.push(v),
                "article_q" => f.article_q = v,
                "find_article" => f.find_article = true,
                "remove_file" => {
                    if let Ok(id) = v.trim().parse()
                        && !f.remove_files.contains(&id)
                    {
                        f.remove_files.push(id);
                    }
                }
                _ => {}
            }
        }
        f
    }

    fn draft(&self, articles: Vec<ArticleLink>) -> Result<book_write::Draft, SchoolError> {
        let assignment = match self.assignment.trim() {
            "" => None,
            a => Some(AssignmentId(
                a.parse().map_err(|_| SchoolError::BadAssignment)?,
            )),
        };
        Ok(book_write::Draft {
            subject: self.subject.clone(),
            lesson_day: self.lesson_day.clone(),
            done: self.done.clone(),
            work: self.work.clone(),
            due_day: self.due_day.clone(),
            assignment,
            remove_files: self.remove_files.clone(),
            articles,
        })
    }
}

/// A drop box the form offers.
#[derive(Serialize)]
struct BoxOption {
    id: AssignmentId,
    title: String,
    due: String,
}

/// The form page, for a new entry in `class` (`editing` is `None`) or an existing one.
async fn form_page(
    mut req: Req,
    editing: Option<BookEntryId>,
    class: ClassRef,
    form: BookForm,
    error: Option<&'static str>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let p = req.principal()?.clone();
    let data_dir = req.app.data_dir.clone();
    let class_id = class.id;
    let (subjects, boxes, attached, pickable) = read(&req, move |c| {
        let subjects = book::subjects(c, &p, class_id)?;
        // Asked of `authorize`, as `/homework/{id}` asks: an admin editing another
        // teacher's entry sees none of the class's drop boxes.
        let boxes = book::drop_boxes(c, &p, class_id)?;
        let attached = match editing {
            Some(id) => attach::list(c, id)?,
            None => Vec::new(),
        };
        Ok((subjects, boxes, attached, attach::pickable(&data_dir, &p)))
    })
    .await?;
    let (chosen, missing, found, library) = articles_for_form(&req, class_id, &form).await?;
    let boxes: Vec<BoxOption> = boxes
        .into_iter()
        .map(|a| BoxOption {
            id: a.id,
            due: day_label(&req, local_date(a.due_at)),
            title: a.title,
        })
        .collect();
    req.render_status(
        status,
        "book/form.html",
        context! {
            editing => editing, class => class, form => form, error => error,
            subjects => subjects, boxes => boxes, attached => attached, pickable => pickable,
            subject_max => book::SUBJECT_MAX, text_max => book::TEXT_MAX,
            max_files => attach::MAX_FILES, max_mib => attach::MAX_BYTES / (1024 * 1024),
            chosen => chosen, missing => missing, found => found, library => library,
            max_articles => book::MAX_ARTICLES,
        },
    )
}

/// The collections `class`'s pupils read (the only ones a book entry may link to).
async fn class_collections(req: &Req, class: ClassId) -> Result<Vec<Collection>, WebError> {
    let all = req.app.db.read(|c| Ok(registry::list(c)?)).await?;
    Ok(all
        .into_iter()
        .filter(|c| pick::class_reads(c, class))
        .collect())
}

/// The article picker's state: the chosen articles found again, the chosen ones no longer
/// in the library (shown, unticked), what the search found (the chosen left out), and
/// whether the class has any collection at all.
async fn articles_for_form(
    req: &Req,
    class: ClassId,
    form: &BookForm,
) -> Result<(Vec<Picked>, Vec<String>, Vec<Picked>, bool), WebError> {
    let collections = class_collections(req, class).await?;
    if collections.is_empty() {
        return Ok((Vec::new(), form.articles.clone(), Vec::new(), false));
    }
    let app = req.app.clone();
    let (values, q) = (form.articles.clone(), form.article_q.clone());
    tokio::task::spawn_blocking(move || {
        let mut chosen = Vec::new();
        let mut missing = Vec::new();
        for v in &values {
            match pick::resolve(&app.library, &collections, v) {
                Some(p) => chosen.push(p),
                None => missing.push(v.clone()),
            }
        }
        let found = pick::find(&app.library, &collections, &q, 10)
            .into_iter()
            .filter(|f| !chosen.iter().any(|c: &Picked| c.value == f.value))
            .collect();
        (chosen, missing, found, true)
    })
    .await
    .map_err(|e| WebError::Internal(format!("book articles: {e}")))
}

/// The chosen articles as the entry will keep them; one not found (or not for this class's
/// pupils) refuses the whole form.
async fn chosen_articles(
    req: &Req,
    class: ClassId,
    values: &[String],
) -> Result<Result<Vec<ArticleLink>, SchoolError>, WebError> {
    if values.is_empty() {
        return Ok(Ok(Vec::new()));
    }
    if values.len() > book::MAX_ARTICLES {
        return Ok(Err(SchoolError::TooManyArticles));
    }
    let collections = class_collections(req, class).await?;
    let app = req.app.clone();
    let values = values.to_vec();
    tokio::task::spawn_blocking(move || {
        values
            .iter()
            .map(|v| {
                pick::resolve(&app.library, &collections, v)
                    .map(|p| ArticleLink::new(p.collection, p.path, p.title))
                    .ok_or(SchoolError::BadArticle)
            })
            .collect()
    })
    .await
    .map_err(|e| WebError::Internal(format!("book articles: {e}")))
}

#[derive(Deserialize, Default)]
struct NewQuery {
    #[serde(default)]
    class: String,
    #[serde(default)]
    day: String,
}

/// The classes `req`'s principal writes in.
async fn writable(req: &Req) -> Result<Vec<ClassRef>, WebError> {
    let p = req.principal()?.clone();
    read(req, move |c| book::writable_classes(c, &p)).await
}

pub async fn new_form(mut req: Req) -> Result<Response, WebError> {
    let q: NewQuery = req.query()?;
    let classes = writable(&req).await?;
    if classes.is_empty() {
        return Err(WebError::Forbidden);
    }
    let class = match q.class.trim() {
        "" if classes.len() == 1 => classes[0].clone(),
        "" => return req.render("book/choose.html", context! { classes => classes }),
        c => {
            let id: ClassId = c.parse().map_err(|_| WebError::NotFound)?;
            classes
                .iter()
                .find(|k| k.id == id)
                .cloned()
                .ok_or(WebError::Forbidden)?
        }
    };
    let day = match q.day.trim() {
        "" => format_date(local_date(crate::now())),
        d => book::parse_day(d)
            .map(format_date)
            .map_err(|e| WebError::BadRequest(e.key()))?,
    };
    let form = BookForm {
        class: class.id.to_string(),
        lesson_day: day,
        ..BookForm::default()
    };
    form_page(req, None, class, form, None, StatusCode::OK).await
}

/// Saves a new entry (`editing` is `None`) or changes one.
async fn save(mut req: Req, editing: Option<BookEntryId>) -> Result<Response, WebError> {
    let p = req.principal()?.clone();
    let pairs: Vec<(String, String)> = req.form_limited(BOOK_FORM_LIMIT).await?;
    let form = BookForm::from_pairs(pairs);
    // Whose book, and may they write there at all: before anything is read or copied.
    let class = match editing {
        Some(id) => {
            let who = p.clone();
            let opened = read(&req, move |c| book::open(c, &who, id)).await?;
            if !opened.can_edit {
                return Err(WebError::Forbidden);
            }
            opened.entry.class
        }
        None => {
            let id: ClassId = form
                .class
                .trim()
                .parse()
                .map_err(|_| WebError::BadRequest("book.error_class"))?;
            writable(&req)
                .await?
                .into_iter()
                .find(|c| c.id == id)
                .ok_or(WebError::Forbidden)?
        }
    };
    // The picker's search button: the form again, as typed, with what it found.
    if form.find_article {
        return form_page(req, editing, class, form, None, StatusCode::OK).await;
    }
    let articles = match chosen_articles(&req, class.id, &form.articles).await? {
        Ok(a) => a,
        Err(e) => return refused(req, editing, class, form, e).await,
    };
    let draft = match form.draft(articles) {
        Ok(d) => d,
        Err(e) => return refused(req, editing, class, form, e).await,
    };
    let data_dir = req.app.data_dir.clone();
    let (who, chosen) = (p.clone(), form.files.clone());
    let staged = tokio::task::spawn_blocking(move || attach::stage(&data_dir, &who, &chosen))
        .await
        .map_err(|e| WebError::Internal(format!("book files: {e}")))?;
    let staged = match staged {
        Ok(s) => s,
        Err(e) => return refused(req, editing, class, form, e).await,
    };
    let data_dir = req.app.data_dir.clone();
    let class_id = class.id;
    let done = write(&req, move |tx| match editing {
        Some(id) => book_write::edit(tx, &p, &data_dir, id, &draft, staged).map(|s| (id, s)),
        None => book_write::create(tx, &p, &data_dir, class_id, &draft, staged)
            .map(|id| (id, Vec::new())),
    })
    .await;
    match done {
        Ok((id, stale)) => {
            attach::discard(&stale);
            Ok(redirect(&format!("/book/{id}?msg=book.saved")))
        }
        Err(e) => refused(req, editing, class, form, e).await,
    }
}

/// The form again, as typed, with why it was refused (or the refusal's own page).
async fn refused(
    req: Req,
    editing: Option<BookEntryId>,
    class: ClassRef,
    form: BookForm,
    e: SchoolError,
) -> Result<Response, WebError> {
    let key = form_problem(e)?;
    form_page(
        req,
        editing,
        class,
        form,
        Some(key),
        StatusCode::BAD_REQUEST,
    )
    .await
}

pub async fn create(req: Req) -> Result<Response, WebError> {
    save(req, None).await
}

pub async fn edit_form(req: Req) -> Result<Response, WebError> {
    let id: BookEntryId = req.param("id")?;
    let p = req.principal()?.clone();
    let opened = read(&req, move |c| book::open(c, &p, id)).await?;
    if !opened.can_edit {
        return Err(WebError::Forbidden);
    }
    let e = opened.entry;
    let form = BookForm {
        class: e.class.id.to_string(),
        subject: e.subject,
        lesson_day: e.lesson_day,
        done: e.done,
        work: e.work,
        due_day: e.due_day.unwrap_or_default(),
        assignment: e.assignment.map(|a| a.id.to_string()).unwrap_or_default(),
        articles: e
            .articles
            .iter()
            .map(|a| format!("{}/{}", a.collection, a.path))
            .collect(),
        ..BookForm::default()
    };
    form_page(req, Some(id), e.class, form, None, StatusCode::OK).await
}

pub async fn edit(req: Req) -> Result<Response, WebError> {
    let id: BookEntryId = req.param("id")?;
    save(req, Some(id)).await
}

pub async fn delete(mut req: Req) -> Result<Response, WebError> {
    let id: BookEntryId = req.param("id")?;
    let p = req.principal()?.clone();
    let _: Vec<(String, String)> = req.form().await?;
    let data_dir = req.app.data_dir.clone();
    let stale = write(&req, move |tx| book_write::delete(tx, &p, &data_dir, id))
        .await
        .map_err(web_error)?;
    attach::discard(&stale);
    Ok(redirect("/book?msg=book.deleted"))
}
