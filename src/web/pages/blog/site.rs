//! `/site`: the school's public face, readable without a login: its name, its public blogs
//! and their published posts (see `crate::blog::visitor` for what is left out). Someone logged
//! in sees the same pages; nothing here depends on who asks.

use super::{read, title_of};
use crate::blog::visitor;
use crate::ids::{BlogId, BlogPostId};
use crate::web::Response;
use crate::web::error::WebError;
use crate::web::req::Req;
use minijinja::context;
use serde::Deserialize;

/// Newest posts shown per blog on the home page.
const LATEST: usize = 3;

pub async fn home(mut req: Req) -> Result<Response, WebError> {
    let blogs = read(&req, |c| visitor::blogs(c, LATEST)).await?;
    let school = req.app.settings().school_name.clone();
    let blogs: Vec<_> = blogs
        .into_iter()
        .map(|pb| context! { title => title_of(&pb.blog, &school), b => pb.blog, latest => pb.latest })
        .collect();
    req.render(
        "blog/site.html",
        context! { school => school, blogs => blogs },
    )
}

#[derive(Deserialize, Default)]
struct PageQuery {
    #[serde(default)]
    page: u32,
}

pub async fn blog(mut req: Req) -> Result<Response, WebError> {
    let id: BlogId = req.param("id")?;
    let q: PageQuery = req.query()?;
    let page = q.page.min(100_000);
    let (b, posts, more) = read(&req, move |c| {
        let (b, posts, more) = visitor::page(c, id, page)?;
        let posts = posts
            .into_iter()
            .map(|p| Ok((crate::blog::media::of_post(c, p.id)?, p)))
            .collect::<crate::blog::Result<Vec<_>>>()?;
        Ok((b, posts, more))
    })
    .await?;
    let posts: Vec<_> = posts
        .into_iter()
        .map(|(files, p)| context! { p => p, files => files })
        .collect();
    let school = req.app.settings().school_name.clone();
    let title = title_of(&b, &school);
    req.render(
        "blog/site_blog.html",
        context! { school => school, b => b, title => title, posts => posts, more => more, page => page },
    )
}

pub async fn post(mut req: Req) -> Result<Response, WebError> {
    let id: BlogPostId = req.param("id")?;
    let (b, post, files) = read(&req, move |c| {
        let (b, post) = visitor::post(c, id)?;
        Ok((b, post, crate::blog::media::of_post(c, id)?))
    })
    .await?;
    let school = req.app.settings().school_name.clone();
    let title = title_of(&b, &school);
    req.render(
        "blog/site_post.html",
        context! { school => school, b => b, title => title, post => post, files => files },
    )
}
