//! The moderators' tools: pin, lock, hide, move and delete a topic; hide, show and delete a
//! post; the queue of reported posts; muting a pupil in a category for a while.
//!
//! A class's teachers moderate its category and the admins every one; the domain checks it
//! on every action and writes the audit log, so these handlers only read the form and say
//! where to go next.

use super::{Problem, post_path, read, web_error, write};
use crate::accounts::{self, AccountError};
use crate::auth::Role;
use crate::forum::moderation::{self, Flag};
use crate::forum::{self, ForumError, categories};
use crate::ids::{CategoryId, PostId, ReportId, TopicId};
use crate::web::Response;
use crate::web::error::WebError;
use crate::web::req::{Req, redirect, safe_next};
use hyper::StatusCode;
use minijinja::context;
use serde::Deserialize;

#[derive(Deserialize)]
struct OnForm {
    #[serde(default)]
    on: String,
    /// Where to go afterwards (the report queue's buttons say so); else the post or topic.
    #[serde(default)]
    next: String,
}

impl OnForm {
    fn on(&self) -> Result<bool, WebError> {
        match self.on.as_str() {
            "1" => Ok(true),
            "0" => Ok(false),
            _ => Err(WebError::BadRequest("error.bad_form")),
        }
    }
}

async fn set_flag(mut req: Req, flag: Flag, messages: (&str, &str)) -> Result<Response, WebError> {
    let id: TopicId = req.param("id")?;
    let p = req.principal()?.clone();
    let form: OnForm = req.form().await?;
    let on = form.on()?;
    write(&req, move |tx| moderation::set_flag(tx, &p, id, flag, on))
        .await
        .map_err(web_error)?;
    let msg = if on { messages.0 } else { messages.1 };
    Ok(redirect(&format!("/forum/t/{id}?msg=forum.{msg}")))
}

pub async fn pin(req: Req) -> Result<Response, WebError> {
    set_flag(req, Flag::Pinned, ("pinned", "unpinned")).await
}

pub async fn lock(req: Req) -> Result<Response, WebError> {
    set_flag(req, Flag::Locked, ("locked", "unlocked")).await
}

pub async fn hide_topic(req: Req) -> Result<Response, WebError> {
    set_flag(req, Flag::Hidden, ("topic_hidden", "topic_shown")).await
}

#[derive(Deserialize)]
struct MoveForm {
    #[serde(default)]
    category: String,
}

pub async fn move_topic(mut req: Req) -> Result<Response, WebError> {
    let id: TopicId = req.param("id")?;
    let p = req.principal()?.clone();
    let form: MoveForm = req.form().await?;
    let to: CategoryId = form
        .category
        .trim()
        .parse()
        .map_err(|_| WebError::BadRequest("error.bad_form"))?;
    write(&req, move |tx| moderation::move_topic(tx, &p, id, to))
        .await
        .map_err(web_error)?;
    Ok(redirect(&format!("/forum/t/{id}?msg=forum.moved")))
}

pub async fn delete_topic(mut req: Req) -> Result<Response, WebError> {
    let id: TopicId = req.param("id")?;
    let p = req.principal()?.clone();
    let _: Vec<(String, String)> = req.form().await?;
    let category = write(&req, move |tx| moderation::delete_topic(tx, &p, id))
        .await
        .map_err(web_error)?;
    Ok(redirect(&format!(
        "/forum/c/{category}?msg=forum.topic_deleted"
    )))
}

/// After acting on a post: back to the queue when the form came from there, else the post.
fn after_post(
    tx: &rusqlite::Connection,
    next: &str,
    id: PostId,
    msg: &str,
) -> forum::Result<String> {
    if next.is_empty() {
        post_path(tx, id, Some(msg))
    } else {
        let next = safe_next(Some(next));
        let sep = if next.contains('?') { '&' } else { '?' };
        Ok(format!("{next}{sep}msg=forum.{msg}"))
    }
}

pub async fn hide_post(mut req: Req) -> Result<Response, WebError> {
    let id: PostId = req.param("id")?;
    let p = req.principal()?.clone();
    let form: OnForm = req.form().await?;
    let on = form.on()?;
    let msg = if on { "post_hidden" } else { "post_shown" };
    let path = write(&req, move |tx| {
        moderation::hide_post(tx, &p, id, on)?;
        after_post(tx, &form.next, id, msg)
    })
    .await
    .map_err(web_error)?;
    Ok(redirect(&path))
}

#[derive(Deserialize)]
struct NextForm {
    #[serde(default)]
    next: String,
}

/// A moderator deletes a post's text for good.
pub async fn remove_post(mut req: Req) -> Result<Response, WebError> {
    let id: PostId = req.param("id")?;
    let p = req.principal()?.clone();
    let form: NextForm = req.form().await?;
    let path = write(&req, move |tx| {
        moderation::delete_post(tx, &p, id)?;
        after_post(tx, &form.next, id, "post_removed")
    })
    .await
    .map_err(web_error)?;
    Ok(redirect(&path))
}

/// The open reports in the categories this principal moderates. Someone who moderates no
/// category has no queue: 403.
pub async fn queue(mut req: Req) -> Result<Response, WebError> {
    let p = req.principal()?.clone();
    let (reports, moderates) = read(&req, move |c| {
        let moderates = categories::visible(c, &p)?
            .iter()
            .any(|k| forum::may_moderate(&p, k));
        Ok((moderation::reports(c, &p)?, moderates))
    })
    .await?;
    if !moderates {
        return Err(WebError::Forbidden);
    }
    req.render("forum/moderation.html", context! { reports => reports })
}

pub async fn dismiss(mut req: Req) -> Result<Response, WebError> {
    let id: ReportId = req.param("id")?;
    let p = req.principal()?.clone();
    let _: Vec<(String, String)> = req.form().await?;
    write(&req, move |tx| moderation::dismiss(tx, &p, id))
        .await
        .map_err(web_error)?;
    Ok(redirect("/forum/moderation?msg=forum.report_dismissed"))
}

#[derive(Deserialize)]
struct MuteForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    hours: String,
}

/// How long a mute may last, in hours: an hour, a day, a week; 0 lifts it.
const MUTE_HOURS: [i64; 4] = [0, 1, 24, 168];

/// A moderator mutes a pupil (named by username) in the category for a while.
pub async fn mute(mut req: Req) -> Result<Response, WebError> {
    let id: CategoryId = req.param("id")?;
    let p = req.principal()?.clone();
    let form: MuteForm = req.form().await?;
    let hours: i64 = form
        .hours
        .trim()
        .parse()
        .ok()
        .filter(|h| MUTE_HOURS.contains(h))
        .ok_or(WebError::BadRequest("error.bad_form"))?;
    // Only this category's moderators get as far as naming someone.
    let who = p.clone();
    read(&req, move |c| {
        let category = forum::readable_category(c, &who, id)?;
        if forum::may_moderate(&who, &category) {
            Ok(())
        } else {
            Err(ForumError::Denied)
        }
    })
    .await?;
    let username = form.username.trim().to_lowercase();
    let until = crate::now() + hours * 3600;
    let done = write(&req, move |tx| {
        let user = match accounts::get_user_by_name(tx, &username) {
            Ok(u) if u.role == Role::Pupil => u,
            Ok(_) | Err(AccountError::NotFound) => return Ok(false),
            Err(AccountError::Db(e)) => return Err(e.into()),
            Err(_) => return Ok(false),
        };
        moderation::mute(tx, &p, id, user.id, until)?;
        Ok(true)
    })
    .await
    .map_err(web_error)?;
    if !done {
        let problem = Problem::new("forum.error_mute_target");
        return super::categories::category_page(req, 0, Some(problem), StatusCode::BAD_REQUEST)
            .await;
    }
    let msg = if hours == 0 { "unmuted" } else { "muted" };
    Ok(redirect(&format!("/forum/c/{id}?msg=forum.{msg}")))
}
