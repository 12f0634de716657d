//! What someone without a login sees at `/site`: the public blogs and their published posts,
//! nothing else. No comments (their authors wrote for the school's community, not the
//! street), and no pupil's name: a post shows its author only when the author is staff; a
//! pupil's post is signed by the blog (the class) alone.

use super::posts::{POST, Post, post_row, public_page};
use super::*;
use crate::auth::Role;
use crate::ids::BlogPostId;

/// A post as the public sees it.
#[derive(Debug, Clone, Serialize)]
pub struct PublicPost {
    pub id: BlogPostId,
    pub blog_id: BlogId,
    pub title: String,
    pub html: String,
    pub published_at: i64,
    /// The author's name when the author is a teacher, the office or an admin.
    pub author: Option<String>,
}

impl From<Post> for PublicPost {
    fn from(p: Post) -> PublicPost {
        let staff = matches!(
            p.author_role,
            Some(Role::Teacher | Role::Staff | Role::Admin)
        );
        PublicPost {
            id: p.id,
            blog_id: p.blog_id,
            title: p.title,
            html: p.html,
            published_at: p.published_at.unwrap_or(p.edited_at),
            author: (staff && !p.author.is_empty()).then_some(p.author),
        }
    }
}

/// A public blog in the school's public page.
#[derive(Debug, Clone, Serialize)]
pub struct PublicBlog {
    pub blog: Blog,
    pub latest: Vec<PublicPost>,
}

/// The public blogs, each with its newest posts (at most `n`), those with the newest post
/// first; blogs with nothing published are left out.
pub fn blogs(conn: &Connection, n: usize) -> Result<Vec<PublicBlog>> {
    let mut st =
        conn.prepare_cached(&format!("{BLOG} WHERE b.audience = 'public' ORDER BY b.id"))?;
    let all: Vec<Blog> = st
        .query_map([], blog_row)?
        .collect::<rusqlite::Result<_>>()?;
    let mut out = Vec::new();
    for b in all {
        let b = complete(conn, b)?;
        if !visitor_reads(&b.facts) {
            continue;
        }
        let (posts, _) = public_page(conn, b.id, 0)?;
        if posts.is_empty() {
            continue;
        }
        out.push(PublicBlog {
            blog: b,
            latest: posts.into_iter().take(n).map(PublicPost::from).collect(),
        });
    }
    out.sort_by_key(|p| std::cmp::Reverse(p.latest.first().map(|x| x.published_at)));
    Ok(out)
}

/// Page `page` of a public blog's posts, and whether more follow.
pub fn page(conn: &Connection, blog: BlogId, page: u32) -> Result<(Blog, Vec<PublicPost>, bool)> {
    let b = public(conn, blog)?;
    let (posts, more) = public_page(conn, blog, page)?;
    Ok((b, posts.into_iter().map(PublicPost::from).collect(), more))
}

/// A published post of a public blog; anything else is `NotFound`.
pub fn post(conn: &Connection, id: BlogPostId) -> Result<(Blog, PublicPost)> {
    let p = conn
        .prepare_cached(&format!("{POST} WHERE p.id = ?1"))?
        .query_row([id], post_row)
        .optional()?
        .ok_or(BlogError::NotFound)?;
    let b = public(conn, p.blog_id)?;
    if !p.public() {
        return Err(BlogError::NotFound);
    }
    Ok((b, p.into()))
}
