//! Writing a post: title and Markdown text, with three buttons: preview (saves nothing),
//! save as a draft, and submit (which publishes at once for those who may publish alone).

use super::{form_problem, read, title_of, write};
use crate::blog::posts::{self, Draft, Intent, State};
use crate::blog::{self, Blog};
use crate::ids::{BlogId, BlogPostId};
use crate::web::Response;
use crate::web::error::WebError;
use crate::web::pages::forum::POST_FORM_LIMIT;
use crate::web::req::{Req, redirect};
use hyper::StatusCode;
use minijinja::context;
use serde::Serialize;

#[derive(Serialize, Default, Clone)]
struct PostForm {
    title: String,
    body: String,
}

/// The editor for a new post on `b` (`editing` is `None`) or for an existing one.
async fn form_page(
    mut req: Req,
    b: Blog,
    editing: Option<BlogPostId>,
    form: PostForm,
    preview: Option<String>,
    error: Option<&'static str>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let rights = blog::rights(req.principal()?, &b.facts);
    let title = title_of(&b, &req.app.settings().school_name);
    req.render_status(
        status,
        "blog/editor.html",
        context! {
            b => b, title => title, editing => editing, form => form, preview => preview,
            error => error, rights => rights, title_max => blog::TITLE_MAX,
            body_max => blog::BODY_MAX,
        },
    )
}

/// The blog, for someone who writes in it.
async fn writable(req: &Req, id: BlogId) -> Result<Blog, WebError> {
    let p = req.principal()?.clone();
    let b = read(req, move |c| blog::readable(c, &p, id)).await?;
    if !blog::rights(req.principal()?, &b.facts).write {
        return Err(WebError::Forbidden);
    }
    Ok(b)
}

pub async fn new_form(req: Req) -> Result<Response, WebError> {
    let id: BlogId = req.param("id")?;
    let b = writable(&req, id).await?;
    form_page(
        req,
        b,
        None,
        PostForm::default(),
        None,
        None,
        StatusCode::OK,
    )
    .await
}

pub async fn edit_form(req: Req) -> Result<Response, WebError> {
    let id: BlogPostId = req.param("id")?;
    let p = req.principal()?.clone();
    let (b, post) = read(&req, move |c| posts::get(c, &p, id)).await?;
    let form = PostForm {
        title: post.title,
        body: post.body,
    };
    form_page(req, b, Some(id), form, None, None, StatusCode::OK).await
}

/// Saves a new post (`editing` is `None`) or changes one, or shows the preview.
async fn save(mut req: Req, b: Blog, editing: Option<BlogPostId>) -> Result<Response, WebError> {
    let p = req.principal()?.clone();
    let pairs: Vec<(String, String)> = req.form_limited(POST_FORM_LIMIT).await?;
    let mut form = PostForm::default();
    let mut action = String::new();
    for (k, v) in pairs {
        match k.as_str() {
            "title" => form.title = v,
            "body" => form.body = v,
            "action" => action = v,
            _ => {}
        }
    }
    let intent = match action.as_str() {
        "preview" => {
            let html = crate::forum::markdown::render(&form.body);
            return form_page(req, b, editing, form, Some(html), None, StatusCode::OK).await;
        }
        "draft" => Intent::Save,
        "submit" => Intent::Submit,
        _ => return Err(WebError::BadRequest("blog.error_action")),
    };
    let draft = Draft {
        title: form.title.clone(),
        body: form.body.clone(),
    };
    let blog_id = b.id;
    let done = write(&req, move |tx| match editing {
        Some(id) => posts::edit(tx, &p, id, &draft, intent).map(|s| (id, s)),
        None => posts::create(tx, &p, blog_id, &draft, intent),
    })
    .await;
    match done {
        Ok((id, state)) => {
            let msg = match state {
                State::Draft => "saved",
                State::Submitted => "submitted",
                State::Published => "published",
            };
            Ok(redirect(&format!("/blogs/p/{id}?msg=blog.{msg}")))
        }
        Err(e) => {
            let key = form_problem(e)?;
            form_page(
                req,
                b,
                editing,
                form,
                None,
                Some(key),
                StatusCode::BAD_REQUEST,
            )
            .await
        }
    }
}

pub async fn create(req: Req) -> Result<Response, WebError> {
    let id: BlogId = req.param("id")?;
    let b = writable(&req, id).await?;
    save(req, b, None).await
}

pub async fn edit(req: Req) -> Result<Response, WebError> {
    let id: BlogPostId = req.param("id")?;
    let p = req.principal()?.clone();
    let (b, _) = read(&req, move |c| posts::get(c, &p, id)).await?;
    save(req, b, Some(id)).await
}
