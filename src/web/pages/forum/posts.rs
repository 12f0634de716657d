//! One post: its permanent link, its author editing it (the earlier text is kept and shown
//! on its history page) or taking it back within the delete window, and reporting it to the
//! moderators (a page of its own, linked from each post).
//!
//! `/forum/p/{id}` is the link notifications and search results use: it finds the page of
//! the topic the post is on now, so the link stays right however long the topic grows.

use super::{
    POST_FORM_LIMIT, PostForm, Preview, Problem, form_problem, post_path, preview, read, web_error,
    write,
};
use crate::forum::{moderation, posts};
use crate::ids::PostId;
use crate::web::Response;
use crate::web::error::WebError;
use crate::web::req::{Req, redirect};
use hyper::StatusCode;
use minijinja::context;
use serde::Deserialize;

pub async fn goto(req: Req) -> Result<Response, WebError> {
    let id: PostId = req.param("id")?;
    let p = req.principal()?.clone();
    let path = read(&req, move |c| {
        posts::get(c, &p, id)?;
        post_path(c, id, None)
    })
    .await?;
    Ok(redirect(&path))
}

/// The edit form for one's own post; anyone else's is refused (403), one not visible is 404.
async fn edit_page(
    mut req: Req,
    form: Option<PostForm>,
    preview: Option<Preview>,
    error: Option<Problem>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let id: PostId = req.param("id")?;
    let p = req.principal()?.clone();
    let me = p.id;
    let (post, topic, category) = read(&req, move |c| posts::get(c, &p, id)).await?;
    if post.author_id != Some(me) || post.deleted {
        return Err(WebError::Forbidden);
    }
    let form = form.unwrap_or_else(|| PostForm {
        body: post.body.clone(),
        ..PostForm::default()
    });
    let category = super::named(&req, category);
    req.render_status(
        status,
        "forum/edit.html",
        context! {
            post => post, topic => topic, category => category, form => form,
            preview => preview, error => error, body_max => crate::forum::BODY_MAX,
        },
    )
}

pub async fn edit_form(req: Req) -> Result<Response, WebError> {
    edit_page(req, None, None, None, StatusCode::OK).await
}

pub async fn edit(mut req: Req) -> Result<Response, WebError> {
    let id: PostId = req.param("id")?;
    let p = req.principal()?.clone();
    let form: PostForm = req.form_limited(POST_FORM_LIMIT).await?;
    if form.preview() {
        return match preview(&form.body) {
            Ok(pv) => edit_page(req, Some(form), Some(pv), None, StatusCode::OK).await,
            Err(pb) => edit_page(req, Some(form), None, Some(pb), StatusCode::BAD_REQUEST).await,
        };
    }
    let body = form.body.clone();
    let saved = write(&req, move |tx| {
        posts::edit(tx, &p, id, &body)?;
        post_path(tx, id, Some("edited"))
    })
    .await;
    match saved {
        Ok(path) => Ok(redirect(&path)),
        Err(e) => {
            let (problem, status) = form_problem(e)?;
            edit_page(req, Some(form), None, Some(problem), status).await
        }
    }
}

pub async fn history(mut req: Req) -> Result<Response, WebError> {
    let id: PostId = req.param("id")?;
    let p = req.principal()?.clone();
    let (post, versions, topic) = read(&req, move |c| {
        let (_, topic, _) = posts::get(c, &p, id)?;
        let (post, versions) = posts::history(c, &p, id)?;
        Ok((post, versions, topic))
    })
    .await?;
    req.render(
        "forum/history.html",
        context! { post => post, versions => versions, topic => topic },
    )
}

/// The author takes their post back, within the delete window.
pub async fn delete_own(mut req: Req) -> Result<Response, WebError> {
    let id: PostId = req.param("id")?;
    let p = req.principal()?.clone();
    let _: Vec<(String, String)> = req.form().await?;
    let path = write(&req, move |tx| {
        posts::delete_own(tx, &p, id)?;
        post_path(tx, id, Some("post_deleted"))
    })
    .await
    .map_err(web_error)?;
    Ok(redirect(&path))
}

/// The form for reporting one post, with the post above it: the topic page links here
/// rather than carrying a form under every post (a sixth of its weight on a phone).
pub async fn report_form(mut req: Req) -> Result<Response, WebError> {
    let id: PostId = req.param("id")?;
    let p = req.principal()?.clone();
    let (post, topic, category) = read(&req, move |c| posts::get(c, &p, id)).await?;
    if post.deleted {
        return Err(WebError::NotFound);
    }
    let category = super::named(&req, category);
    req.render(
        "forum/report.html",
        context! { post => post, topic => topic, category => category },
    )
}

#[derive(Deserialize)]
struct ReportForm {
    #[serde(default)]
    reason: String,
}

/// A reader flags a post for the moderators.
pub async fn report(mut req: Req) -> Result<Response, WebError> {
    let id: PostId = req.param("id")?;
    let p = req.principal()?.clone();
    let form: ReportForm = req.form().await?;
    let path = write(&req, move |tx| {
        moderation::report(tx, &p, id, &form.reason)?;
        post_path(tx, id, Some("reported"))
    })
    .await
    .map_err(web_error)?;
    Ok(redirect(&path))
}
