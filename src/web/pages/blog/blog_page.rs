//! A blog's page (its published posts, newest first) and its settings form.

use super::{form_problem, read, title_of, write};
use crate::blog::{self, blogs, posts};
use crate::ids::BlogId;
use crate::web::Response;
use crate::web::error::WebError;
use crate::web::req::{Req, redirect};
use hyper::StatusCode;
use minijinja::context;
use serde::Deserialize;

#[derive(Deserialize, Default)]
struct PageQuery {
    #[serde(default)]
    page: u32,
}

pub async fn view(mut req: Req) -> Result<Response, WebError> {
    let id: BlogId = req.param("id")?;
    let q: PageQuery = req.query()?;
    let page = q.page.min(100_000);
    let p = req.principal()?.clone();
    let (b, list, more) = read(&req, move |c| {
        let (b, list, more) = posts::page(c, &p, id, page)?;
        let list = list
            .into_iter()
            .map(|post| Ok((blog::media::of_post(c, post.id)?, post)))
            .collect::<blog::Result<Vec<_>>>()?;
        Ok((b, list, more))
    })
    .await?;
    let list: Vec<_> = list
        .into_iter()
        .map(|(files, p)| context! { p => p, files => files })
        .collect();
    let rights = blog::rights(req.principal()?, &b.facts);
    let title = title_of(&b, &req.app.settings().school_name);
    req.render(
        "blog/blog.html",
        context! { b => b, title => title, posts => list, more => more, page => page, rights => rights },
    )
}

/// The settings form's fields (a checkbox sends `approval` only when ticked).
#[derive(Deserialize)]
struct SettingsFields {
    #[serde(default)]
    title: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    audience: String,
    #[serde(default)]
    comments: String,
    #[serde(default)]
    approval: String,
}

async fn settings_page(
    mut req: Req,
    id: BlogId,
    form: Option<blogs::Settings>,
    error: Option<&'static str>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let p = req.principal()?.clone();
    let b = read(&req, move |c| blog::readable(c, &p, id)).await?;
    if !blog::rights(req.principal()?, &b.facts).moderate {
        return Err(WebError::Forbidden);
    }
    let form = form.unwrap_or_else(|| blogs::Settings {
        title: if b.titled {
            b.title.clone()
        } else {
            String::new()
        },
        description: b.description.clone(),
        audience: b.facts.audience.as_str().to_owned(),
        comments: b.facts.comments.as_str().to_owned(),
        approval: b.facts.approval,
    });
    let title = title_of(&b, &req.app.settings().school_name);
    let audiences: &[&str] = match b.facts.owner {
        crate::auth::BlogOwner::School => &["school", "public"],
        _ => &["class", "school", "public"],
    };
    let is_class = matches!(b.facts.owner, crate::auth::BlogOwner::Class { .. });
    req.render_status(
        status,
        "blog/settings.html",
        context! {
            b => b, title => title, form => form, error => error, audiences => audiences,
            is_class => is_class, title_max => blog::TITLE_MAX,
            description_max => blog::DESCRIPTION_MAX,
        },
    )
}

pub async fn settings_form(req: Req) -> Result<Response, WebError> {
    let id: BlogId = req.param("id")?;
    settings_page(req, id, None, None, StatusCode::OK).await
}

pub async fn save_settings(mut req: Req) -> Result<Response, WebError> {
    let id: BlogId = req.param("id")?;
    let p = req.principal()?.clone();
    let f: SettingsFields = req.form().await?;
    let settings = blogs::Settings {
        title: f.title,
        description: f.description,
        audience: f.audience,
        comments: f.comments,
        approval: matches!(f.approval.as_str(), "1" | "on"),
    };
    let form = settings.clone();
    match write(&req, move |tx| blogs::update(tx, &p, id, &settings)).await {
        Ok(()) => Ok(redirect(&format!("/blogs/{id}?msg=blog.settings_saved"))),
        Err(e) => {
            let key = form_problem(e)?;
            settings_page(req, id, Some(form), Some(key), StatusCode::BAD_REQUEST).await
        }
    }
}
