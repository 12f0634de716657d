//! A topic's posts as the page shows them to one reader: what each says, and what they may do
//! to it.
//!
//! This is the one list the portal writes out in Rust rather than in a template. A topic page
//! has fifty posts, and it is the forum's busiest page. With the list in the template, the
//! template engine's evaluation of the loop was 43% of the page's CPU, and turning each post's
//! strings into template values (one more copy of each post's HTML) another 11% (`perf`, the
//! `make bench` topic page). Here each post is written as its row is read (`posts::page` lends
//! it, [`PostLine`]), on the thread that reads, in the order the template had it. The page
//! around the list (`templates/forum/topic.html`) is a template as every other page is; the
//! markup here follows the site's, and `tests/it/forum*` and the browser scenarios read it as
//! they read any page.

use crate::auth::Role;
use crate::forum::{self, posts::PostLine};
use crate::ids::PostId;
use crate::ids::TopicId;
use crate::web::req::Req;
use minijinja::HtmlEscape;
use std::fmt::Write;

/// What a reader sees of a page of a topic, and may do there.
pub struct Reader {
    pub me: crate::ids::UserId,
    pub moderator: bool,
    pub can_post: bool,
    /// The last post they had seen before this page, 0 if none.
    pub last_seen: i64,
    pub topic: TopicId,
    pub page: u32,
}

/// The words every post repeats, looked up once for the page, and the form's CSRF token.
pub struct Words {
    csrf: String,
    gone_author: String,
    deleted_line: String,
    hidden_line: String,
    new_posts: String,
    edited: String,
    hidden_mark: String,
    quote: String,
    edit: String,
    delete_own: String,
    show: String,
    hide: String,
    delete: String,
    report: String,
    roles: Vec<(Role, String)>,
}

impl Words {
    pub fn new(req: &mut Req) -> Words {
        Words {
            csrf: req.csrf_token(),
            gone_author: req.t("forum.gone"),
            deleted_line: req.t("forum.post_deleted_line"),
            hidden_line: req.t("forum.post_hidden_line"),
            new_posts: req.t("forum.new_posts"),
            edited: req.t("forum.edited_mark"),
            hidden_mark: req.t("forum.hidden_post_mark"),
            quote: req.t("forum.quote"),
            edit: req.t("forum.edit"),
            delete_own: req.t("forum.delete_own"),
            show: req.t("forum.show"),
            hide: req.t("forum.hide"),
            delete: req.t("forum.delete"),
            report: req.t("forum.report"),
            roles: Role::ALL
                .iter()
                .map(|r| (*r, req.t(&format!("role.{}", r.as_str()))))
                .collect(),
        }
    }
}

const CLASSES: [&str; 8] = [
    "post",
    "post mine",
    "post deleted",
    "post deleted mine",
    "post hidden",
    "post hidden mine",
    "post hidden deleted",
    "post hidden deleted mine",
];

/// A page's posts as the `<li>` items of its list, written as the database gives them.
pub struct List<'a> {
    w: &'a Words,
    reader: &'a Reader,
    /// The quote links' address but the post's id: the reader stays on their page.
    quote_base: String,
    now: i64,
    out: String,
    /// The last post written, which the reader has now seen.
    last: Option<PostId>,
    new_seen: bool,
}

impl<'a> List<'a> {
    pub fn new(w: &'a Words, reader: &'a Reader) -> List<'a> {
        List {
            w,
            reader,
            quote_base: match reader.page {
                0 => format!("/forum/t/{}?quote=", reader.topic),
                n => format!("/forum/t/{}?page={n}&amp;quote=", reader.topic),
            },
            now: crate::now(),
            // Fifty posts of a few hundred characters, and their markup.
            out: String::with_capacity(64 * 1024),
            last: None,
            new_seen: false,
        }
    }

    pub fn push(&mut self, post: &PostLine<'_>) {
        let first_new =
            self.reader.last_seen > 0 && !self.new_seen && post.id.0 > self.reader.last_seen;
        self.new_seen |= first_new;
        self.last = Some(post.id);
        // Writing to a String cannot fail.
        let _ = write_post(self, post, first_new);
    }

    /// The list's HTML, and the last post in it.
    pub fn finish(self) -> (String, Option<PostId>) {
        (self.out, self.last)
    }
}

/// One post: what it says, and the links and buttons this reader has on it. The text a person
/// typed (names, words of the catalog) is escaped as the templates escape it; the post's HTML
/// was sanitised when it was saved.
fn write_post(list: &mut List<'_>, post: &PostLine<'_>, first_new: bool) -> std::fmt::Result {
    let List {
        w,
        reader,
        now,
        out,
        ..
    } = list;
    let (w, reader, now) = (*w, *reader, *now);
    let id = post.id;
    let mine = post.author_id == Some(reader.me);
    let gone = if post.deleted {
        Some(&w.deleted_line)
    } else if post.hidden && !reader.moderator {
        Some(&w.hidden_line)
    } else {
        None
    };
    let visible = gone.is_none();
    let hidden_mark = post.hidden && visible;
    if first_new {
        writeln!(
            out,
            "<li class=\"new-line\" id=\"new\"><span>{}</span></li>",
            e(&w.new_posts)
        )?;
    }
    let class =
        CLASSES[usize::from(post.hidden) << 2 | usize::from(post.deleted) << 1 | usize::from(mine)];
    writeln!(
        out,
        "<li class=\"{class}\" id=\"post-{id}\">\n  <header class=\"post-head\">"
    )?;
    let author = if post.author.is_empty() {
        &w.gone_author
    } else {
        post.author
    };
    write!(
        out,
        "    <span class=\"who\"><strong><bdi>{}</bdi></strong>",
        e(author)
    )?;
    if let Some((_, role)) = post
        .author_role
        .and_then(|r| w.roles.iter().find(|(k, _)| *k == r))
    {
        write!(out, " <span class=\"role\">{}</span>", e(role))?;
    }
    let created = crate::clock::local_text(post.created_at).unwrap_or_default();
    write!(
        out,
        "</span>\n    <span class=\"meta\"><a href=\"/forum/p/{id}\"><time>{}</time></a>",
        e(&created)
    )?;
    if post.edited_at.is_some() && !post.deleted {
        write!(
            out,
            " · <a href=\"/forum/p/{id}/history\" class=\"edited\">{}</a>",
            e(&w.edited)
        )?;
    }
    out.push_str("</span>\n  </header>\n");
    if let Some(line) = gone {
        writeln!(out, "  <p class=\"hint gone\">{}</p>\n</li>", e(line))?;
        return Ok(());
    }
    if hidden_mark {
        writeln!(
            out,
            "  <p><span class=\"tag bad\">{}</span></p>",
            e(&w.hidden_mark)
        )?;
    }
    writeln!(
        out,
        "  <div class=\"post-body\" dir=\"auto\">{}</div>\n  <div class=\"post-actions\">",
        post.html
    )?;
    if reader.can_post {
        writeln!(
            out,
            "    <a href=\"{}{id}#reply\" class=\"quote\">{}</a>",
            list.quote_base,
            e(&w.quote)
        )?;
    }
    if mine && reader.can_post {
        writeln!(
            out,
            "    <a href=\"/forum/p/{id}/edit\" class=\"edit\">{}</a>",
            e(&w.edit)
        )?;
    }
    let csrf_field = format_args!(
        "<input type=\"hidden\" name=\"csrf\" value=\"{}\">",
        e(&w.csrf)
    );
    if mine && now - post.created_at <= forum::DELETE_WINDOW && !reader.moderator {
        writeln!(
            out,
            "    <form method=\"post\" action=\"/forum/p/{id}/delete\" class=\"inline\">{csrf_field}<button class=\"link\">{}</button></form>",
            e(&w.delete_own)
        )?;
    }
    if reader.moderator {
        let (on, label) = if hidden_mark {
            ("0", &w.show)
        } else {
            ("1", &w.hide)
        };
        writeln!(
            out,
            "    <form method=\"post\" action=\"/forum/p/{id}/hide\" class=\"inline\">{csrf_field}<input type=\"hidden\" name=\"on\" value=\"{on}\"><button class=\"link\">{}</button></form>",
            e(label)
        )?;
        writeln!(
            out,
            "    <form method=\"post\" action=\"/forum/p/{id}/remove\" class=\"inline\">{csrf_field}<button class=\"link danger\">{}</button></form>",
            e(&w.delete)
        )?;
    }
    if !mine {
        writeln!(
            out,
            "    <a href=\"/forum/p/{id}/report\" class=\"report\">{}</a>",
            e(&w.report)
        )?;
    }
    out.push_str("  </div>\n</li>\n");
    Ok(())
}

/// Text escaped for HTML as the templates escape it.
fn e(text: &str) -> HtmlEscape<'_> {
    HtmlEscape(text)
}
