//! A post as the topic page shows it to one reader: what it says, and what they may do to it.
//!
//! The page's decisions about each post (is it shown or replaced by a line, which links and
//! buttons it has, its class, its role label) are made here, once per post, and the template
//! only lays them out. A topic page has fifty posts, and the template engine spent more on
//! those decisions than on writing the page out: moving them here took a page from 2.42 to
//! 2.07 million instructions (callgrind, the `make bench` topic page). Posts reach the
//! template as objects whose fields are looked up by name rather than as serialised maps, and
//! their strings are made into template values once, here, so reading one does not copy it.

use crate::auth::Role;
use crate::forum::{self, posts::Post};
use crate::ids::TopicId;
use crate::web::req::Req;
use minijinja::value::{Object, Value};
use std::sync::Arc;

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

pub struct PostView {
    id: i64,
    /// `post`, then `hidden`, `deleted` and `mine` as they apply.
    class: &'static str,
    /// The author's name, or the word for a deleted account.
    author: Value,
    role: Option<Value>,
    /// When it was written, in the school's time.
    created: Value,
    /// Edited, and its history may be looked at.
    edited: bool,
    /// The line shown in the post's place: deleted, or hidden from this reader.
    gone: Option<Value>,
    /// Hidden, and shown to this reader because they moderate.
    hidden_mark: bool,
    html: Value,
    /// Where the "quote" link leads, when the reader may reply.
    quote: Option<Value>,
    can_edit: bool,
    /// The author's own delete button, within the window (moderators have theirs).
    delete_own: bool,
    moderate: bool,
    can_report: bool,
    /// The first post this reader has not seen: the "new" line goes before it.
    first_new: bool,
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

/// The page's posts as the template takes them.
pub fn views(req: &Req, reader: &Reader, list: Vec<Post>) -> Vec<Value> {
    let word = |key: &str| Value::from(req.t(key));
    let (gone_author, deleted_line, hidden_line) = (
        word("forum.gone"),
        word("forum.post_deleted_line"),
        word("forum.post_hidden_line"),
    );
    let roles: Vec<(Role, Value)> = Role::ALL
        .iter()
        .map(|r| (*r, word(&format!("role.{}", r.as_str()))))
        .collect();
    // Numbers in fixed text, written escaped already: the engine would escape every `/`.
    let quote_base = match reader.page {
        0 => format!("/forum/t/{}?quote=", reader.topic),
        n => format!("/forum/t/{}?page={n}&amp;quote=", reader.topic),
    };
    let now = crate::now();
    let mut new_seen = false;
    list.into_iter()
        .map(|post| {
            let mine = post.author_id == Some(reader.me);
            let gone = if post.deleted {
                Some(deleted_line.clone())
            } else if post.hidden && !reader.moderator {
                Some(hidden_line.clone())
            } else {
                None
            };
            let visible = gone.is_none();
            let first_new = reader.last_seen > 0 && !new_seen && post.id.0 > reader.last_seen;
            new_seen |= first_new;
            let can_delete = mine && visible && now - post.created_at <= forum::DELETE_WINDOW;
            Value::from_object(PostView {
                id: post.id.0,
                class: CLASSES[usize::from(post.hidden) << 2
                    | usize::from(post.deleted) << 1
                    | usize::from(mine)],
                author: if post.author.is_empty() {
                    gone_author.clone()
                } else {
                    Value::from(post.author)
                },
                role: post
                    .author_role
                    .and_then(|r| roles.iter().find(|(k, _)| *k == r).map(|(_, v)| v.clone())),
                created: Value::from(crate::clock::local_text(post.created_at).unwrap_or_default()),
                edited: post.edited_at.is_some() && !post.deleted,
                hidden_mark: post.hidden && visible,
                html: Value::from(post.html),
                quote: (visible && reader.can_post)
                    .then(|| Value::from_safe_string(format!("{quote_base}{}", post.id))),
                can_edit: mine && visible && reader.can_post,
                delete_own: can_delete && !reader.moderator,
                moderate: visible && reader.moderator,
                can_report: !mine && visible,
                first_new,
                gone,
            })
        })
        .collect()
}

impl std::fmt::Debug for PostView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "post {}", self.id)
    }
}

impl Object for PostView {
    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        Some(match key.as_str()? {
            "id" => Value::from(self.id),
            "class" => Value::from(self.class),
            "author" => self.author.clone(),
            "role" => Value::from(self.role.clone()),
            "created" => self.created.clone(),
            "edited" => Value::from(self.edited),
            "gone" => Value::from(self.gone.clone()),
            "hidden_mark" => Value::from(self.hidden_mark),
            "html" => self.html.clone(),
            "quote" => Value::from(self.quote.clone()),
            "can_edit" => Value::from(self.can_edit),
            "delete_own" => Value::from(self.delete_own),
            "moderate" => Value::from(self.moderate),
            "can_report" => Value::from(self.can_report),
            "first_new" => Value::from(self.first_new),
            _ => return None,
        })
    }
}
