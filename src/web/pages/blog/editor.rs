//! Writing a post: title and Markdown text, with three buttons: preview (saves nothing),
//! save as a draft, and submit (which publishes at once for those who may publish alone).

use super::{form_problem, read, title_of, write};
use crate::blog::posts::{self, Draft, Intent, State};
use crate::blog::{self, Blog, media};
use crate::ids::{BlogId, BlogMediaId, BlogPostId};
use crate::web::Response;
use crate::web::error::WebError;
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
    let files = match editing {
        Some(id) => read(&req, move |c| media::of_post(c, id)).await?,
        None => Vec::new(),
    };
    let (data_dir, who) = (req.app.data_dir.clone(), req.principal()?.clone());
    let documents =
        tokio::task::spawn_blocking(move || crate::school::book::attach::pickable(&data_dir, &who))
            .await
            .unwrap_or_default();
    let rights = blog::rights(req.principal()?, &b.facts);
    let title = title_of(&b, &req.app.settings().school_name);
    req.render_status(
        status,
        "blog/editor.html",
        context! {
            b => b, title => title, editing => editing, form => form, preview => preview,
            error => error, rights => rights, title_max => blog::TITLE_MAX,
            body_max => blog::BODY_MAX, files => files, max_files => media::MAX_PER_POST,
            documents => documents,
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

/// What one save request may carry in all (text and files), held in memory while it is read.
pub const UPLOAD_LIMIT: usize = 32 << 20;

/// Saves a new post (`editing` is `None`) or changes one, or shows the preview. The form is
/// multipart: its files are checked (images decoded and scaled down) before anything is
/// written, then the post and its files are saved in one transaction.
async fn save(mut req: Req, b: Blog, editing: Option<BlogPostId>) -> Result<Response, WebError> {
    let p = req.principal()?.clone();
    let mp = req.multipart(UPLOAD_LIMIT).await?;
    let mut form = PostForm::default();
    let mut action = String::new();
    let mut remove: Vec<BlogMediaId> = Vec::new();
    let mut documents: Vec<String> = Vec::new();
    for (k, v) in &mp.fields {
        match k.as_str() {
            "title" => form.title = v.clone(),
            "body" => form.body = v.clone(),
            "action" => action = v.clone(),
            "remove" => remove.extend(v.parse().ok().map(BlogMediaId)),
            "document" if documents.len() < media::MAX_PER_POST => documents.push(v.clone()),
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
    let uploads: Vec<(String, bytes::Bytes)> = mp
        .files
        .into_iter()
        .filter(|(field, name, _)| field == "files" && !name.is_empty())
        .map(|(_, name, data)| (name, data))
        .collect();
    let max_px = read(&req, media::image_px).await?;
    let (data_dir, who) = (req.app.data_dir.clone(), p.clone());
    let prepared = tokio::task::spawn_blocking(move || {
        // Files from one's own documents: read where they are, then checked like uploads.
        let mut files = Vec::new();
        for path in &documents {
            let (name, file) = crate::school::book::attach::own_file(&data_dir, &who, path)
                .map_err(|e| match e {
                    crate::school::SchoolError::AttachmentTooBig => blog::BlogError::FileTooBig,
                    _ => blog::BlogError::BadFile,
                })?;
            let bytes = std::fs::read(&file).map_err(|_| blog::BlogError::BadFile)?;
            files.push(media::prepare(&name, &bytes, max_px)?);
        }
        for (name, data) in &uploads {
            files.push(media::prepare(name, data, max_px)?);
        }
        Ok::<_, blog::BlogError>(files)
    })
    .await
    .map_err(|e| WebError::Internal(e.to_string()))?;
    let prepared = match prepared {
        Ok(files) => files,
        Err(e) => {
            let key = form_problem(e)?;
            return form_page(
                req,
                b,
                editing,
                form,
                None,
                Some(key),
                StatusCode::BAD_REQUEST,
            )
            .await;
        }
    };
    let draft = Draft {
        title: form.title.clone(),
        body: form.body.clone(),
    };
    let blog_id = b.id;
    let data_dir = req.app.data_dir.clone();
    let done = write(&req, move |tx| {
        let (id, state) = match editing {
            Some(id) => (id, posts::edit(tx, &p, id, &draft, intent)?),
            None => posts::create(tx, &p, blog_id, &draft, intent)?,
        };
        let mut removed = Vec::new();
        for m in remove {
            let (post, gone) = media::remove(tx, &p, m)?;
            if post != id {
                return Err(blog::BlogError::NotFound);
            }
            removed.push(gone.id);
        }
        for file in &prepared {
            media::attach(tx, &p, &data_dir, id, file)?;
        }
        Ok((id, state, removed))
    })
    .await;
    match done {
        Ok((id, state, removed)) => {
            for m in removed {
                let _ = std::fs::remove_file(media::path(&req.app.data_dir, m));
            }
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
