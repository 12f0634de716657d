//! Starting a topic, reading one, and replying.
//!
//! Both forms have two buttons: `post` saves, `preview` shows the Markdown as it will look
//! (rendered and sanitised exactly as when saved) above the form, and saves nothing. A
//! refusal shows the form again with what was typed. Reading a page marks the topic read up
//! to its last post shown and the reader's notifications about it seen, in one write, and
//! only when there is something new to mark: a re-read page costs no write.

use super::post_view;
use super::{
    Named, POST_FORM_LIMIT, PostForm, Preview, Problem, bounded_page, form_problem, named, preview,
    read, write,
};
use crate::forum::{self, categories, markdown, notify, posts, topics};
use crate::ids::{CategoryId, PostId, TopicId};
use crate::web::Response;
use crate::web::error::WebError;
use crate::web::req::{Req, redirect};
use hyper::StatusCode;
use minijinja::context;
use serde::Deserialize;

async fn new_page(
    mut req: Req,
    form: PostForm,
    preview: Option<Preview>,
    error: Option<Problem>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let id: CategoryId = req.param("id")?;
    let p = req.principal()?.clone();
    let (category, muted) = read(&req, move |c| {
        let category = forum::readable_category(c, &p, id)?;
        let muted = forum::muted_until(c, category.id, p.id)?;
        Ok((category, muted))
    })
    .await?;
    let category: Named = named(&req, category);
    req.render_status(
        status,
        "forum/new_topic.html",
        context! {
            category => category, form => form, preview => preview, error => error,
            muted_until => muted, title_max => forum::TITLE_MAX, body_max => forum::BODY_MAX,
        },
    )
}

pub async fn new_form(req: Req) -> Result<Response, WebError> {
    new_page(req, PostForm::default(), None, None, StatusCode::OK).await
}

pub async fn create(mut req: Req) -> Result<Response, WebError> {
    let id: CategoryId = req.param("id")?;
    let p = req.principal()?.clone();
    let form: PostForm = req.form_limited(POST_FORM_LIMIT).await?;
    if form.preview() {
        return match preview(&form.body) {
            Ok(pv) => new_page(req, form, Some(pv), None, StatusCode::OK).await,
            Err(pb) => new_page(req, form, None, Some(pb), StatusCode::BAD_REQUEST).await,
        };
    }
    let (title, body) = (form.title.clone(), form.body.clone());
    match write(&req, move |tx| topics::create(tx, &p, id, &title, &body)).await {
        Ok((topic, _, notices)) => {
            notify::mail(&req.app, notices).await;
            Ok(redirect(&format!("/forum/t/{topic}")))
        }
        Err(e) => {
            let (problem, status) = form_problem(e)?;
            new_page(req, form, None, Some(problem), status).await
        }
    }
}

/// The reply box as it comes back: what was typed, its preview, or why it was refused.
#[derive(Default)]
pub struct ReplyState {
    body: String,
    preview: Option<Preview>,
    error: Option<Problem>,
}

#[derive(Deserialize, Default)]
struct TopicQuery {
    #[serde(default)]
    page: u32,
    #[serde(default)]
    quote: String,
}

pub async fn view(req: Req) -> Result<Response, WebError> {
    let q: TopicQuery = req.query()?;
    let quote = match q.quote.trim() {
        "" => None,
        s => Some(s.parse::<PostId>().map_err(|_| WebError::NotFound)?),
    };
    let page = Some(bounded_page(q.page));
    topic_page(
        req,
        page,
        quote,
        ReplyState::default(),
        StatusCode::OK,
        true,
    )
    .await
}

/// The topic page: `page` of its posts (the last page when `None`), the reply box pre-filled
/// with a quotation of `quote`, or with `reply` as it came back from a refusal or preview.
async fn topic_page(
    mut req: Req,
    page: Option<u32>,
    quote: Option<PostId>,
    reply: ReplyState,
    status: StatusCode,
    mark: bool,
) -> Result<Response, WebError> {
    let id: TopicId = req.param("id")?;
    let p = req.principal()?.clone();
    let words = post_view::Words::new(&mut req);
    let (opened, (posts, last), pages, page, quoted, targets) = read(&req, move |c| {
        let opened = topics::open(c, &p, id)?;
        let last = (opened.topic.posts.max(1) as u32).div_ceil(forum::POSTS_PER_PAGE) - 1;
        let page = page.unwrap_or(last);
        let reader = post_view::Reader {
            me: p.id,
            moderator: opened.can_moderate,
            can_post: opened.can_post,
            last_seen: opened.last_seen,
            topic: id,
            page,
        };
        let mut list = post_view::List::new(&words, &reader);
        let pages = posts::page(c, &p, id, page, |post| list.push(post))?;
        if page >= pages {
            return Err(forum::ForumError::NotFound);
        }
        let posts = list.finish();
        let quoted = match quote {
            Some(q) => {
                let (post, _, _) = posts::get(c, &p, q)?;
                if post.topic_id != id {
                    return Err(forum::ForumError::NotFound);
                }
                Some(markdown::quote(&post.author_username, &post.body))
            }
            None => None,
        };
        // Where a moderator may move the topic: the other categories they moderate.
        let targets = if opened.can_moderate {
            categories::visible(c, &p)?
                .into_iter()
                .filter(|k| k.id != opened.category.id && forum::may_moderate(&p, k))
                .collect()
        } else {
            Vec::new()
        };
        Ok((opened, posts, pages, page, quoted, targets))
    })
    .await?;
    let me = req.principal()?.clone();
    if mark
        && let Some(last) = last
        && last.0 > opened.last_seen
    {
        let who = me.clone();
        write(&req, move |tx| {
            topics::mark_read(tx, &who, id, last)?;
            notify::seen_topic(tx, &who, id)
        })
        .await
        .map_err(super::web_error)?;
    }
    let body = match quoted {
        Some(q) if reply.body.is_empty() && opened.can_post => q,
        _ => reply.body,
    };
    // After a refusal the box comes back even in a topic locked meanwhile, so nothing typed
    // is lost; the lock or mute notice says why it cannot be sent.
    let show_form = opened.can_post || !body.is_empty();
    let category: Named = named(&req, opened.category.clone());
    let targets: Vec<Named> = targets.into_iter().map(|c| named(&req, c)).collect();
    req.render_status(
        status,
        "forum/topic.html",
        context! {
            topic => opened.topic, category => category, can_post => opened.can_post,
            moderator => opened.can_moderate, muted_until => opened.muted_until,
            posts => minijinja::Value::from_safe_string(posts), page => page, pages => pages, body => body,
            preview => reply.preview, error => reply.error, show_form => show_form,
            targets => targets, body_max => forum::BODY_MAX,
        },
    )
}

pub async fn reply(mut req: Req) -> Result<Response, WebError> {
    let id: TopicId = req.param("id")?;
    let p = req.principal()?.clone();
    let form: PostForm = req.form_limited(POST_FORM_LIMIT).await?;
    if form.preview() {
        let (state, status) = match preview(&form.body) {
            Ok(pv) => (
                ReplyState {
                    body: form.body,
                    preview: Some(pv),
                    error: None,
                },
                StatusCode::OK,
            ),
            Err(pb) => (
                ReplyState {
                    body: form.body,
                    preview: None,
                    error: Some(pb),
                },
                StatusCode::BAD_REQUEST,
            ),
        };
        return topic_page(req, None, None, state, status, false).await;
    }
    let body = form.body.clone();
    match write(&req, move |tx| posts::reply(tx, &p, id, &body)).await {
        Ok((post, notices)) => {
            notify::mail(&req.app, notices).await;
            Ok(redirect(&format!("/forum/p/{post}")))
        }
        Err(e) => {
            let (problem, status) = form_problem(e)?;
            let state = ReplyState {
                body: form.body,
                preview: None,
                error: Some(problem),
            };
            topic_page(req, None, None, state, status, false).await
        }
    }
}
