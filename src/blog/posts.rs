//! Posts: written as drafts, submitted, published (at once by those who may, or when a
//! moderator approves), returned to draft with a word for the author, hidden, deleted.
//!
//! An author who may not publish alone and edits a published post sends it back to the
//! moderators (submitted): approval once must not let a text be replaced afterwards.

use super::*;
use crate::accounts::audit;
use crate::auth::Role;
use crate::ids::BlogPostId;
use rusqlite::{Transaction, params};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    Draft,
    Submitted,
    Published,
}

impl State {
    fn as_str(self) -> &'static str {
        match self {
            State::Draft => "draft",
            State::Submitted => "submitted",
            State::Published => "published",
        }
    }

    fn parse(s: &str) -> State {
        match s {
            "published" => State::Published,
            "submitted" => State::Submitted,
            _ => State::Draft,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Post {
    pub id: BlogPostId,
    pub blog_id: BlogId,
    pub author_id: Option<UserId>,
    /// Empty when the author's account is gone.
    pub author: String,
    pub author_role: Option<Role>,
    pub title: String,
    pub body: String,
    pub html: String,
    pub state: State,
    /// A moderator's word when the post was returned to its author.
    pub note: String,
    pub hidden: bool,
    pub created_at: i64,
    pub edited_at: i64,
    pub submitted_at: Option<i64>,
    pub published_at: Option<i64>,
}

impl Post {
    /// What readers of the blog see: published and not hidden.
    pub fn public(&self) -> bool {
        self.state == State::Published && !self.hidden
    }
}

/// The columns [`post_row`] reads, from `blog_posts p` and `users u`.
macro_rules! post_columns {
    () => {
        "p.id, p.blog_id, p.author_id, COALESCE(u.display_name, ''), u.role, p.title, p.body,
         p.html, p.state, p.note, p.hidden, p.created_at, p.edited_at, p.submitted_at,
         p.published_at"
    };
}

pub(super) const POST: &str = concat!(
    "SELECT ",
    post_columns!(),
    " FROM blog_posts p LEFT JOIN users u ON u.id = p.author_id"
);

pub(super) fn post_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Post> {
    let state: String = r.get(8)?;
    Ok(Post {
        id: r.get(0)?,
        blog_id: r.get(1)?,
        author_id: r.get(2)?,
        author: r.get(3)?,
        author_role: r.get(4)?,
        title: r.get(5)?,
        body: r.get(6)?,
        html: r.get(7)?,
        state: State::parse(&state),
        note: r.get(9)?,
        hidden: r.get(10)?,
        created_at: r.get(11)?,
        edited_at: r.get(12)?,
        submitted_at: r.get(13)?,
        published_at: r.get(14)?,
    })
}

fn load_post(conn: &Connection, id: BlogPostId) -> Result<Post> {
    conn.prepare_cached(&format!("{POST} WHERE p.id = ?1"))?
        .query_row([id], post_row)
        .optional()?
        .ok_or(BlogError::NotFound)
}

/// Whether `who` sees the post: its readers once it is public, its author always, the blog's
/// moderators always.
fn sees(who: &Principal, b: &Blog, p: &Post) -> bool {
    (p.public() && may(who, &b.facts, |blog| Action::ReadBlog { blog }))
        || p.author_id == Some(who.id)
        || may(who, &b.facts, |blog| Action::ModerateBlog { blog })
}

/// The post and its blog, if `who` sees the post; otherwise `NotFound`.
pub fn get(conn: &Connection, who: &Principal, id: BlogPostId) -> Result<(Blog, Post)> {
    let p = load_post(conn, id)?;
    let b = load(conn, p.blog_id)?;
    if !sees(who, &b, &p) {
        return Err(BlogError::NotFound);
    }
    Ok((b, p))
}

/// A post as a form sends it.
#[derive(Debug, Clone)]
pub struct Draft {
    pub title: String,
    pub body: String,
}

/// What the author asked for when saving.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Intent {
    /// Keep it as a draft (a submitted or published post goes back to being one).
    Save,
    /// Submit it for publication: published at once by someone who may publish.
    Submit,
}

/// The state a saved post takes, and the audit's word for it.
fn state_for(who: &Principal, b: &Blog, intent: Intent) -> State {
    match intent {
        Intent::Save => State::Draft,
        Intent::Submit if may(who, &b.facts, |blog| Action::PublishBlogPost { blog }) => {
            State::Published
        }
        Intent::Submit => State::Submitted,
    }
}

/// Writes a new post on a blog `who` writes in.
pub fn create(
    tx: &Transaction<'_>,
    who: &Principal,
    blog: BlogId,
    draft: &Draft,
    intent: Intent,
) -> Result<(BlogPostId, State)> {
    let b = readable(tx, who, blog)?;
    allow(who, &b.facts, |blog| Action::WriteBlog { blog })?;
    let title = clean_title(&draft.title)?;
    let (body, html) = clean_body(&draft.body, BODY_MAX)?;
    let state = state_for(who, &b, intent);
    let now = crate::now();
    let stamp = |s: State| (state == s).then_some(now);
    tx.execute(
        "INSERT INTO blog_posts (blog_id, author_id, title, body, html, state, created_at,
         edited_at, submitted_at, published_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, ?8, ?9)",
        params![
            blog,
            who.id,
            title,
            body,
            html,
            state.as_str(),
            now,
            stamp(State::Submitted).or(stamp(State::Published)),
            stamp(State::Published)
        ],
    )?;
    let id = BlogPostId(tx.last_insert_rowid());
    index(tx, id, &title, &body)?;
    Ok((id, state))
}

/// Keeps the post's words for the search.
fn index(tx: &Transaction<'_>, id: BlogPostId, title: &str, body: &str) -> Result<()> {
    tx.execute("DELETE FROM blog_search WHERE rowid = ?1", [id])?;
    tx.execute(
        "INSERT INTO blog_search (rowid, title, body) VALUES (?1, ?2, ?3)",
        params![
            id,
            crate::library::index::strip_arabic_marks(title),
            crate::library::index::strip_arabic_marks(body)
        ],
    )?;
    Ok(())
}

/// Changes a post: its author's (while they still write in the blog), or a moderator's.
/// An author who may not publish alone sends a published post back to the moderators.
pub fn edit(
    tx: &Transaction<'_>,
    who: &Principal,
    id: BlogPostId,
    draft: &Draft,
    intent: Intent,
) -> Result<State> {
    let (b, p) = get(tx, who, id)?;
    let moderator = may(who, &b.facts, |blog| Action::ModerateBlog { blog });
    let author =
        p.author_id == Some(who.id) && may(who, &b.facts, |blog| Action::WriteBlog { blog });
    if !moderator && !author {
        return Err(BlogError::Denied);
    }
    let title = clean_title(&draft.title)?;
    let (body, html) = clean_body(&draft.body, BODY_MAX)?;
    // A moderator correcting someone else's published post leaves it published.
    let state = if moderator && p.author_id != Some(who.id) && intent == Intent::Submit {
        p.state.max_published(State::Submitted)
    } else {
        state_for(who, &b, intent)
    };
    let now = crate::now();
    tx.execute(
        "UPDATE blog_posts SET title = ?2, body = ?3, html = ?4, state = ?5, edited_at = ?6,
         submitted_at = CASE WHEN ?5 = 'draft' THEN NULL ELSE COALESCE(submitted_at, ?6) END,
         published_at = CASE WHEN ?5 = 'published' THEN COALESCE(published_at, ?6)
                             ELSE published_at END
         WHERE id = ?1",
        params![id, title, body, html, state.as_str(), now],
    )?;
    index(tx, id, &title, &body)?;
    if moderator && p.author_id != Some(who.id) {
        let allowed = allow(who, &b.facts, |blog| Action::ModerateBlog { blog })?;
        audit(
            tx,
            &allowed,
            &format!("blog post {id}"),
            "edited by a moderator",
        )?;
    }
    Ok(state)
}

impl State {
    /// A published post stays published; any other takes `other`.
    fn max_published(self, other: State) -> State {
        if self == State::Published {
            self
        } else {
            other
        }
    }
}

/// Publishes a submitted post: the blog's moderators' to do; audited.
pub fn approve(tx: &Transaction<'_>, who: &Principal, id: BlogPostId) -> Result<()> {
    let (b, p) = get(tx, who, id)?;
    let allowed = allow(who, &b.facts, |blog| Action::ModerateBlog { blog })?;
    if p.state != State::Submitted {
        return Err(BlogError::WrongState);
    }
    let now = crate::now();
    tx.execute(
        "UPDATE blog_posts SET state = 'published', note = '', approved_by = ?2,
         published_at = COALESCE(published_at, ?3) WHERE id = ?1",
        params![id, who.id, now],
    )?;
    audit(tx, &allowed, &format!("blog post {id}"), "approved").map_err(BlogError::from)
}

/// Sends a post back to its author as a draft: a moderator, with a word for the author (a
/// submitted or published post), or the author taking back their own submitted post.
pub fn return_to_draft(
    tx: &Transaction<'_>,
    who: &Principal,
    id: BlogPostId,
    note: &str,
) -> Result<()> {
    let (b, p) = get(tx, who, id)?;
    let own = p.author_id == Some(who.id);
    let moderator = may(who, &b.facts, |blog| Action::ModerateBlog { blog });
    if p.state == State::Draft {
        return Err(BlogError::WrongState);
    }
    let taken_back = own && p.state == State::Submitted;
    if !(moderator || taken_back) {
        return Err(BlogError::Denied);
    }
    let note = crate::one_line(note);
    if note.chars().count() > DESCRIPTION_MAX {
        return Err(BlogError::DescriptionTooLong);
    }
    tx.execute(
        "UPDATE blog_posts SET state = 'draft', note = ?2, submitted_at = NULL WHERE id = ?1",
        params![id, if own { "" } else { note.as_str() }],
    )?;
    if moderator && !own {
        let allowed = allow(who, &b.facts, |blog| Action::ModerateBlog { blog })?;
        audit(
            tx,
            &allowed,
            &format!("blog post {id}"),
            "returned to its author",
        )?;
    }
    Ok(())
}

/// Hides a post from its readers (or shows it again): a moderator's; audited.
pub fn set_hidden(tx: &Transaction<'_>, who: &Principal, id: BlogPostId, on: bool) -> Result<()> {
    let (b, _) = get(tx, who, id)?;
    let allowed = allow(who, &b.facts, |blog| Action::ModerateBlog { blog })?;
    tx.execute(
        "UPDATE blog_posts SET hidden = ?2 WHERE id = ?1",
        params![id, on],
    )?;
    let what = if on { "hidden" } else { "shown again" };
    audit(tx, &allowed, &format!("blog post {id}"), what).map_err(BlogError::from)
}

/// Deletes a post and its comments: a moderator (audited), or the author of a post not yet
/// published.
pub fn delete(tx: &Transaction<'_>, who: &Principal, id: BlogPostId) -> Result<BlogId> {
    let (b, p) = get(tx, who, id)?;
    let moderator = authorize(who, &Action::ModerateBlog { blog: &b.facts }).ok();
    let own_unpublished = p.author_id == Some(who.id) && p.published_at.is_none();
    if moderator.is_none() && !own_unpublished {
        return Err(BlogError::Denied);
    }
    tx.execute("DELETE FROM blog_posts WHERE id = ?1", [id])?;
    tx.execute("DELETE FROM blog_search WHERE rowid = ?1", [id])?;
    if let Some(allowed) = moderator
        && p.author_id != Some(who.id)
    {
        audit(
            tx,
            &allowed,
            &format!("blog post {id}"),
            &format!("deleted: {}", p.title),
        )?;
    }
    Ok(b.id)
}

/// Page `page` (from 0) of a blog's public posts, newest first, and whether more follow.
pub fn page(
    conn: &Connection,
    who: &Principal,
    blog: BlogId,
    page: u32,
) -> Result<(Blog, Vec<Post>, bool)> {
    let b = readable(conn, who, blog)?;
    let (posts, more) = public_page(conn, blog, page)?;
    Ok((b, posts, more))
}

/// Page `page` of a blog's public posts, for whoever was allowed to read the blog.
pub(super) fn public_page(conn: &Connection, blog: BlogId, page: u32) -> Result<(Vec<Post>, bool)> {
    let mut st = conn.prepare_cached(&format!(
        "{POST} WHERE p.blog_id = ?1 AND p.state = 'published' AND p.hidden = 0
         ORDER BY p.published_at DESC, p.id DESC LIMIT ?2 OFFSET ?3"
    ))?;
    let mut posts: Vec<Post> = st
        .query_map(
            params![blog, PER_PAGE + 1, page.saturating_mul(PER_PAGE)],
            post_row,
        )?
        .collect::<rusqlite::Result<_>>()?;
    let more = posts.len() > PER_PAGE as usize;
    posts.truncate(PER_PAGE as usize);
    Ok((posts, more))
}

/// `who`'s own posts not yet published (drafts, submitted), newest first, with their blogs.
pub fn mine(conn: &Connection, who: &Principal) -> Result<Vec<(Blog, Post)>> {
    let mut st = conn.prepare_cached(&format!(
        "{POST} WHERE p.author_id = ?1 AND p.state != 'published' ORDER BY p.edited_at DESC"
    ))?;
    let posts: Vec<Post> = st
        .query_map([who.id], post_row)?
        .collect::<rusqlite::Result<_>>()?;
    with_blogs(conn, who, posts)
}

/// Posts submitted to blogs `who` moderates, oldest first.
pub fn waiting(conn: &Connection, who: &Principal) -> Result<Vec<(Blog, Post)>> {
    let mut st = conn.prepare_cached(&format!(
        "{POST} WHERE p.state = 'submitted' ORDER BY p.submitted_at, p.id"
    ))?;
    let posts: Vec<Post> = st
        .query_map([], post_row)?
        .collect::<rusqlite::Result<_>>()?;
    let all = with_blogs(conn, who, posts)?;
    Ok(all
        .into_iter()
        .filter(|(b, _)| may(who, &b.facts, |blog| Action::ModerateBlog { blog }))
        .collect())
}

/// The newest public posts of the blogs `who` reads (the dashboard's), at most `n`, among the
/// school's 200 newest (read newest first from the `blog_posts_latest` index, stopping at `n`).
pub fn latest(conn: &Connection, who: &Principal, n: usize) -> Result<Vec<(Blog, Post)>> {
    let mut st = conn.prepare_cached(&format!(
        "{POST} WHERE p.state = 'published' AND p.hidden = 0
         ORDER BY p.published_at DESC, p.id DESC LIMIT 200"
    ))?;
    let mut blogs = Blogs::default();
    let mut out = Vec::new();
    let mut rows = st.query([])?;
    while out.len() < n
        && let Some(r) = rows.next()?
    {
        let p = post_row(r)?;
        let b = blogs.get(conn, p.blog_id)?;
        if sees(who, &b, &p) {
            out.push((b, p));
        }
    }
    Ok(out)
}

/// Blogs loaded once each, for lists of posts from many blogs.
#[derive(Default)]
struct Blogs(std::collections::HashMap<BlogId, Blog>);

impl Blogs {
    fn get(&mut self, conn: &Connection, id: BlogId) -> Result<Blog> {
        if let Some(b) = self.0.get(&id) {
            return Ok(b.clone());
        }
        let b = load(conn, id)?;
        self.0.insert(id, b.clone());
        Ok(b)
    }
}

/// Each post with its blog, keeping those `who` sees.
fn with_blogs(conn: &Connection, who: &Principal, posts: Vec<Post>) -> Result<Vec<(Blog, Post)>> {
    let mut blogs = Blogs::default();
    let mut out = Vec::new();
    for p in posts {
        let b = blogs.get(conn, p.blog_id)?;
        if sees(who, &b, &p) {
            out.push((b, p));
        }
    }
    Ok(out)
}

/// Reports a post to the blog's moderators (something wrong in it).
pub fn report(tx: &Transaction<'_>, who: &Principal, id: BlogPostId, reason: &str) -> Result<()> {
    let (_, p) = get(tx, who, id)?;
    if !p.public() {
        return Err(BlogError::WrongState);
    }
    let reason = crate::one_line(reason);
    if reason.chars().count() > DESCRIPTION_MAX {
        return Err(BlogError::DescriptionTooLong);
    }
    tx.execute(
        "INSERT INTO blog_reports (post_id, reporter_id, reason, created_at)
         VALUES (?1, ?2, ?3, ?4)",
        params![id, who.id, reason, crate::now()],
    )?;
    Ok(())
}

/// A report on a post, still open, for the blog's moderators.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub id: i64,
    pub post: Post,
    pub reason: String,
    pub created_at: i64,
}

/// Open reports on posts of blogs `who` moderates, oldest first.
pub fn reports(conn: &Connection, who: &Principal) -> Result<Vec<(Blog, Report)>> {
    let mut st = conn.prepare_cached(
        "SELECT id, post_id, reason, created_at FROM blog_reports
         WHERE resolved_at IS NULL ORDER BY created_at, id",
    )?;
    let open: Vec<(i64, BlogPostId, String, i64)> = st
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut out = Vec::new();
    for (id, post, reason, created_at) in open {
        let Ok((b, p)) = get(conn, who, post) else {
            continue;
        };
        if may(who, &b.facts, |blog| Action::ModerateBlog { blog }) {
            out.push((
                b,
                Report {
                    id,
                    post: p,
                    reason,
                    created_at,
                },
            ));
        }
    }
    Ok(out)
}

/// Closes a report: a moderator of the reported post's blog; audited.
pub fn dismiss(tx: &Transaction<'_>, who: &Principal, report: i64) -> Result<()> {
    let post: BlogPostId = tx
        .query_row(
            "SELECT post_id FROM blog_reports WHERE id = ?1 AND resolved_at IS NULL",
            [report],
            |r| r.get(0),
        )
        .optional()?
        .ok_or(BlogError::NotFound)?;
    let (b, _) = get(tx, who, post)?;
    let allowed = allow(who, &b.facts, |blog| Action::ModerateBlog { blog })?;
    tx.execute(
        "UPDATE blog_reports SET resolved_by = ?2, resolved_at = ?3 WHERE id = ?1",
        params![report, who.id, crate::now()],
    )?;
    audit(
        tx,
        &allowed,
        &format!("blog post {post}"),
        "report dismissed",
    )?;
    Ok(())
}

/// A post found by the search, with the words around what matched.
#[derive(Debug, Clone, Serialize)]
pub struct Found {
    pub blog: Blog,
    pub post: Post,
    pub excerpt: Vec<crate::forum::search::Piece>,
}

/// Published posts `who` reads that hold every word of `q`, best first, at most `limit`.
pub fn search(conn: &Connection, who: &Principal, q: &str, limit: usize) -> Result<Vec<Found>> {
    let Some(fts) = crate::forum::search::fts_query(&crate::library::index::strip_arabic_marks(q))
    else {
        return Ok(Vec::new());
    };
    let mut st = conn.prepare_cached(concat!(
        "SELECT ",
        post_columns!(),
        ", snippet(blog_search, 1, char(2), char(3), '…', 16)
         FROM blog_search s JOIN blog_posts p ON p.id = s.rowid
         LEFT JOIN users u ON u.id = p.author_id
         WHERE blog_search MATCH ?1 AND p.state = 'published' AND p.hidden = 0
         ORDER BY s.rank LIMIT ?2"
    ))?;
    let rows: Vec<(Post, String)> = st
        .query_map(params![fts, crate::forum::search::RANKED], |r| {
            Ok((post_row(r)?, r.get(15)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut blogs = Blogs::default();
    let mut out = Vec::new();
    for (p, snippet) in rows {
        if out.len() >= limit {
            break;
        }
        let b = blogs.get(conn, p.blog_id)?;
        if sees(who, &b, &p) {
            out.push(Found {
                blog: b,
                post: p,
                excerpt: crate::forum::search::pieces(&snippet),
            });
        }
    }
    Ok(out)
}
