//! A post's page (its text, its state for its author and the moderators, its comments and the
//! comment form) and the buttons on it: approve, return to the author, hide, show, delete,
//! report; and a moderator's buttons on a comment.

use super::{read, title_of, web_error, write};
use crate::blog::posts::{self, State};
use crate::blog::{self, comments};
use crate::ids::{BlogCommentId, BlogPostId};
use crate::web::Response;
use crate::web::error::WebError;
use crate::web::req::{Req, redirect};
use minijinja::context;

pub async fn view(mut req: Req) -> Result<Response, WebError> {
    let id: BlogPostId = req.param("id")?;
    let p = req.principal()?.clone();
    let (b, post, list, files) = read(&req, move |c| {
        let (b, post) = posts::get(c, &p, id)?;
        let list = comments::list(c, &p, id)?;
        Ok((b, post, list, blog::media::of_post(c, id)?))
    })
    .await?;
    let who = req.principal()?;
    let rights = blog::rights(who, &b.facts);
    let own = post.author_id == Some(who.id);
    let can_edit = rights.moderate || (own && rights.write);
    let can_delete = rights.moderate || (own && post.published_at.is_none());
    let can_take_back = own && post.state == State::Submitted;
    let title = title_of(&b, &req.app.settings().school_name);
    req.render(
        "blog/post.html",
        context! {
            b => b, title => title, post => post, comments => list, rights => rights,
            own => own, can_edit => can_edit, can_delete => can_delete,
            can_take_back => can_take_back, comment_max => blog::COMMENT_MAX,
            is_public => post.public(), files => files,
        },
    )
}

/// What a post's buttons send besides the CSRF token: a moderator's word or a report's
/// reason (`note`), a comment (`body`).
#[derive(serde::Deserialize)]
struct ActFields {
    #[serde(default)]
    note: String,
    #[serde(default)]
    body: String,
}

/// A button on a post.
pub async fn act(mut req: Req) -> Result<Response, WebError> {
    let id: BlogPostId = req.param("id")?;
    let action: String = req.param("action")?;
    let p = req.principal()?.clone();
    let ActFields { note, body: text } = req.form().await?;
    let back = format!("/blogs/p/{id}");
    let msg = match action.as_str() {
        "approve" => {
            write(&req, move |tx| posts::approve(tx, &p, id))
                .await
                .map_err(web_error)?;
            "approved"
        }
        "return" => {
            write(&req, move |tx| posts::return_to_draft(tx, &p, id, &note))
                .await
                .map_err(web_error)?;
            "returned"
        }
        "hide" | "show" => {
            let on = action == "hide";
            write(&req, move |tx| posts::set_hidden(tx, &p, id, on))
                .await
                .map_err(web_error)?;
            if on { "hidden" } else { "shown" }
        }
        "delete" => {
            let (blog, files) = write(&req, move |tx| {
                let files = blog::media::of_post(tx, id)?;
                Ok((posts::delete(tx, &p, id)?, files))
            })
            .await
            .map_err(web_error)?;
            for m in files {
                let _ = std::fs::remove_file(blog::media::path(&req.app.data_dir, m.id));
            }
            return Ok(redirect(&format!("/blogs/{blog}?msg=blog.deleted")));
        }
        "report" => {
            write(&req, move |tx| posts::report(tx, &p, id, &note))
                .await
                .map_err(web_error)?;
            "reported"
        }
        "comment" => {
            let (_, waiting) = write(&req, move |tx| comments::add(tx, &p, id, &text))
                .await
                .map_err(web_error)?;
            if waiting {
                "comment_waiting"
            } else {
                "commented"
            }
        }
        _ => return Err(WebError::NotFound),
    };
    Ok(redirect(&format!("{back}?msg=blog.{msg}")))
}

/// A moderator's button on a comment.
pub async fn act_on_comment(mut req: Req) -> Result<Response, WebError> {
    let id: BlogCommentId = req.param("id")?;
    let action: String = req.param("action")?;
    let p = req.principal()?.clone();
    let _: Vec<(String, String)> = req.form().await?;
    let (post, msg) = match action.as_str() {
        "approve" => (
            write(&req, move |tx| comments::approve(tx, &p, id)).await,
            "comment_approved",
        ),
        "hide" => (
            write(&req, move |tx| comments::set_hidden(tx, &p, id, true)).await,
            "comment_hidden",
        ),
        "show" => (
            write(&req, move |tx| comments::set_hidden(tx, &p, id, false)).await,
            "comment_shown",
        ),
        "delete" => (
            write(&req, move |tx| comments::delete(tx, &p, id)).await,
            "comment_deleted",
        ),
        _ => return Err(WebError::NotFound),
    };
    let post = post.map_err(web_error)?;
    Ok(redirect(&format!(
        "/blogs/p/{post}?msg=blog.{msg}#comments"
    )))
}
