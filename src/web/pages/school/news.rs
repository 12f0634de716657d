//! The news pages: the timeline (a parent may narrow it to one child), one item with its
//! "I have read it" button and, for its author and the admins, who has read it and who not
//! yet; writing with a preview, editing, deleting.
//!
//! The form has two buttons like the forum's: `post` saves, `preview` shows the Markdown as
//! it will look and saves nothing. A refusal a person can fix shows the form again as typed.

use super::{
    AudienceForm, audience_kinds, audience_label, child_scope, form_problem, may_publish, read,
    web_error, write,
};
use crate::forum::markdown;
use crate::ids::NewsId;
use crate::school::{self, ClassRef, news};
use crate::web::Response;
use crate::web::error::WebError;
use crate::web::pages::forum::POST_FORM_LIMIT;
use crate::web::req::{Req, redirect, safe_next};
use hyper::StatusCode;
use minijinja::context;
use serde::{Deserialize, Serialize};

/// An item as pages show it: with who it is for, in words.
#[derive(Serialize)]
pub struct ItemView {
    #[serde(flatten)]
    pub item: news::Listed,
    pub audience_label: String,
}

pub fn view_of(req: &Req, item: news::Listed) -> ItemView {
    ItemView {
        audience_label: audience_label(req, &item.news.audience, &item.news.classes),
        item,
    }
}

#[derive(Deserialize, Default)]
struct TimelineQuery {
    #[serde(default)]
    page: u32,
    #[serde(default)]
    child: String,
}

pub async fn timeline(mut req: Req) -> Result<Response, WebError> {
    let q: TimelineQuery = req.query()?;
    let page = q.page.min(100_000);
    let (who, children) = child_scope(&req, Some(&q.child)).await?;
    let can_write = may_publish(req.principal()?);
    let (items, more) = read(&req, move |c| news::timeline(c, &who, page)).await?;
    let items: Vec<ItemView> = items.into_iter().map(|i| view_of(&req, i)).collect();
    let child = children.iter().find(|c| c.selected).map(|c| c.id);
    req.render(
        "news/timeline.html",
        context! {
            items => items, page => page, more => more, can_write => can_write,
            children => children, child => child,
        },
    )
}

/// The writing form as it comes back: what was typed, its preview, or why it was refused.
#[derive(Serialize, Default, Clone)]
struct NewsForm {
    title: String,
    body: String,
    must_read: bool,
    #[serde(flatten)]
    audience: AudienceForm,
}

impl NewsForm {
    fn from_pairs(pairs: Vec<(String, String)>) -> (NewsForm, String) {
        let mut f = NewsForm::default();
        let mut action = String::new();
        for (k, v) in pairs {
            if f.audience.take(&k, &v) {
                continue;
            }
            match k.as_str() {
                "title" => f.title = v,
                "body" => f.body = v,
                "must_read" => f.must_read = v == "1" || v == "on",
                "action" => action = v,
                _ => {}
            }
        }
        (f, action)
    }

    fn draft(&self) -> Result<news::Draft, school::SchoolError> {
        Ok(news::Draft {
            title: self.title.clone(),
            body: self.body.clone(),
            audience: self.audience.parse()?,
            must_read: self.must_read,
        })
    }
}

/// The form page, for a new item (`editing` is `None`) or an existing one.
async fn form_page(
    mut req: Req,
    editing: Option<NewsId>,
    form: NewsForm,
    preview: Option<String>,
    error: Option<&'static str>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let p = req.principal()?.clone();
    let kinds = audience_kinds(&p);
    let classes: Vec<ClassRef> = read(&req, move |c| school::addressable_classes(c, &p)).await?;
    req.render_status(
        status,
        "news/form.html",
        context! {
            editing => editing, form => form, preview => preview, error => error,
            kinds => kinds, classes => classes, title_max => school::TITLE_MAX,
            body_max => school::BODY_MAX,
        },
    )
}

pub async fn new_form(req: Req) -> Result<Response, WebError> {
    if !may_publish(req.principal()?) {
        return Err(WebError::Forbidden);
    }
    let p = req.principal()?;
    let kind = audience_kinds(p)[0].to_owned();
    let form = NewsForm {
        audience: AudienceForm {
            audience: kind,
            classes: match p.teaches.as_slice() {
                [only] => vec![only.0],
                _ => Vec::new(),
            },
        },
        ..NewsForm::default()
    };
    form_page(req, None, form, None, None, StatusCode::OK).await
}

/// Saves a new item (`editing` is `None`) or changes one, or shows the preview.
async fn save(mut req: Req, editing: Option<NewsId>) -> Result<Response, WebError> {
    let p = req.principal()?.clone();
    let pairs: Vec<(String, String)> = req.form_limited(POST_FORM_LIMIT).await?;
    let (form, action) = NewsForm::from_pairs(pairs);
    if action == "preview" {
        return match crate::forum::clean_body(&form.body) {
            Ok(b) => {
                let html = markdown::render(&b);
                form_page(req, editing, form, Some(html), None, StatusCode::OK).await
            }
            Err(_) => {
                let key = school::SchoolError::BodyEmpty.key();
                form_page(req, editing, form, None, Some(key), StatusCode::BAD_REQUEST).await
            }
        };
    }
    let draft = match form.draft() {
        Ok(d) => d,
        Err(e) => {
            let key = form_problem(e)?;
            return form_page(req, editing, form, None, Some(key), StatusCode::BAD_REQUEST).await;
        }
    };
    let done = write(&req, move |tx| match editing {
        Some(id) => news::edit(tx, &p, id, &draft).map(|_| id),
        None => news::create(tx, &p, &draft),
    })
    .await;
    match done {
        Ok(id) => {
            let msg = if editing.is_some() {
                "edited"
            } else {
                "published"
            };
            Ok(redirect(&format!("/news/{id}?msg=news.{msg}")))
        }
        Err(e) => {
            let key = form_problem(e)?;
            form_page(req, editing, form, None, Some(key), StatusCode::BAD_REQUEST).await
        }
    }
}

pub async fn create(req: Req) -> Result<Response, WebError> {
    save(req, None).await
}

pub async fn view(mut req: Req) -> Result<Response, WebError> {
    let id: NewsId = req.param("id")?;
    let p = req.principal()?.clone();
    let (opened, tracking) = read(&req, move |c| {
        let opened = news::open(c, &p, id)?;
        let tracking = if opened.can_track {
            Some(news::tracking(c, &p, id)?)
        } else {
            None
        };
        Ok((opened, tracking))
    })
    .await?;
    let label = audience_label(&req, &opened.item.news.audience, &opened.item.news.classes);
    req.render(
        "news/item.html",
        context! { n => opened, audience_label => label, tracking => tracking },
    )
}

#[derive(Deserialize)]
struct AckForm {
    #[serde(default)]
    next: String,
}

pub async fn acknowledge(mut req: Req) -> Result<Response, WebError> {
    let id: NewsId = req.param("id")?;
    let p = req.principal()?.clone();
    let form: AckForm = req.form().await?;
    write(&req, move |tx| news::acknowledge(tx, &p, id))
        .await
        .map_err(web_error)?;
    let next = match form.next.as_str() {
        "" => format!("/news/{id}"),
        n => safe_next(Some(n)),
    };
    let sep = if next.contains('?') { '&' } else { '?' };
    Ok(redirect(&format!("{next}{sep}msg=news.acknowledged")))
}

pub async fn edit_form(req: Req) -> Result<Response, WebError> {
    let id: NewsId = req.param("id")?;
    let p = req.principal()?.clone();
    let opened = read(&req, move |c| news::open(c, &p, id)).await?;
    if !opened.can_edit {
        return Err(WebError::Forbidden);
    }
    let n = opened.item.news;
    let form = NewsForm {
        title: n.title,
        body: n.body,
        must_read: n.must_read,
        audience: AudienceForm::of(&n.audience),
    };
    form_page(req, Some(id), form, None, None, StatusCode::OK).await
}

pub async fn edit(req: Req) -> Result<Response, WebError> {
    let id: NewsId = req.param("id")?;
    save(req, Some(id)).await
}

pub async fn delete(mut req: Req) -> Result<Response, WebError> {
    let id: NewsId = req.param("id")?;
    let p = req.principal()?.clone();
    let _: Vec<(String, String)> = req.form().await?;
    write(&req, move |tx| news::delete(tx, &p, id))
        .await
        .map_err(web_error)?;
    Ok(redirect("/news?msg=news.deleted"))
}
